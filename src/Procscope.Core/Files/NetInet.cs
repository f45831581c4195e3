using System.Net;
using Procscope.Core.Parsing;

namespace Procscope.Core.Files;

/// <summary>
/// /proc/net/tcp, tcp6, udp and udp6 (proc_net(5)): one socket per line after a header,
/// "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …".
/// Addresses are the kernel's 32-bit words printed in host byte order (little-endian on x86_64);
/// ports are big-endian hex.
/// </summary>
public static class NetInet
{
    /// <summary>Parses one of the four files; <paramref name="protocol"/> is "TCP" or "UDP".</summary>
    public static List<InetSocket> Parse(ReadOnlySpan<byte> content, string protocol, bool ipv6)
    {
        var list = new List<InetSocket>();
        string file = "/proc/net/" + protocol.ToLowerInvariant() + (ipv6 ? "6" : "");
        int pos = content.IndexOf((byte)'\n');
        if (pos < 0) return list;
        pos++;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var r = new SpanReader(content[..end], file, pos);
            if (r.HasField())
            {
                r.NextField(); // "sl:"
                var (la, lp) = Endpoint(ref r, ipv6);
                var (ra, rp) = Endpoint(ref r, ipv6);
                if (!Bytes.TryHexUInt64(r.NextField(), out ulong st)) throw r.Fail("expected a hexadecimal state");
                var q = r.NextField();
                int colon = q.IndexOf((byte)':');
                if (colon < 0 || !Bytes.TryHexUInt64(q[..colon], out ulong tx) || !Bytes.TryHexUInt64(q[(colon + 1)..], out ulong rx))
                    throw r.Fail("expected tx_queue:rx_queue");
                r.NextField(); // tr:tm->when
                r.NextField(); // retrnsmt
                r.NextField(); // uid
                r.NextField(); // timeout
                ulong inode = r.NextUInt64();
                list.Add(new InetSocket
                {
                    Inode = inode, IPv6 = ipv6, Protocol = protocol, LocalAddress = la, LocalPort = lp,
                    RemoteAddress = ra, RemotePort = rp, State = (int)st, SendQueue = (uint)tx, ReceiveQueue = (uint)rx,
                });
            }
            pos = end + 1;
        }
        return list;
    }

    private static (IPAddress, int) Endpoint(ref SpanReader r, bool ipv6)
    {
        var f = r.NextField();
        int colon = f.IndexOf((byte)':');
        int hexLen = ipv6 ? 32 : 8;
        if (colon != hexLen || !Bytes.TryHexUInt64(f[(colon + 1)..], out ulong port)) throw r.Fail("expected ADDRESS:PORT");
        Span<byte> addr = stackalloc byte[ipv6 ? 16 : 4];
        for (int w = 0; w < hexLen / 8; w++)
        {
            if (!Bytes.TryHexUInt64(f.Slice(w * 8, 8), out ulong word)) throw r.Fail("expected a hexadecimal address");
            // Each 32-bit word is in host (little-endian) order.
            addr[w * 4] = (byte)word;
            addr[w * 4 + 1] = (byte)(word >> 8);
            addr[w * 4 + 2] = (byte)(word >> 16);
            addr[w * 4 + 3] = (byte)(word >> 24);
        }
        return (new IPAddress(addr), (int)port);
    }
}
