using Procscope.Core.Parsing;

namespace Procscope.Core.Files;

/// <summary>/proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode", one socket per line.</summary>
public static class NetNetlink
{
    public static List<NetlinkSocket> Parse(ReadOnlySpan<byte> content)
    {
        var list = new List<NetlinkSocket>();
        int pos = content.IndexOf((byte)'\n');
        if (pos < 0) return list;
        pos++;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var r = new SpanReader(content[..end], "/proc/net/netlink", pos);
            if (r.HasField())
            {
                r.NextField(); // sk
                int proto = r.NextInt32();
                ulong portId = r.NextUInt64();
                for (int i = 0; i < 6; i++) r.NextField(); // Groups Rmem Wmem Dump Locks Drops
                ulong inode = r.NextUInt64();
                list.Add(new NetlinkSocket(inode, proto, (uint)portId));
            }
            pos = end + 1;
        }
        return list;
    }
}
