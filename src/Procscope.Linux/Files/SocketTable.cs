using System.Runtime.InteropServices;
using Procscope.Core.Files;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Files;

/// <summary>
/// Every socket of this network namespace by inode: TCP and UDP endpoints and states from the
/// kernel's sock_diag netlink interface (which also gives TCP bytes sent and received), else from
/// /proc/net/{tcp,udp}[6]; UNIX sockets from /proc/net/unix (its address column is lsof's DEVICE)
/// with exact names and peers from unix sock_diag where the unix_diag module is present; netlink
/// sockets from /proc/net/netlink.
/// </summary>
public sealed class SocketTable
{
    private readonly Dictionary<ulong, InetSocket> _inet = [];
    private readonly Dictionary<ulong, UnixSocket> _unix = [];
    private readonly Dictionary<ulong, NetlinkSocket> _netlink = [];

    /// <summary>Where TCP/UDP sockets came from: "sock_diag" or "/proc/net".</summary>
    public string InetSource { get; private set; } = "none";

    public InetSocket? Inet(ulong inode) => _inet.GetValueOrDefault(inode);
    public UnixSocket? Unix(ulong inode) => _unix.GetValueOrDefault(inode);
    public NetlinkSocket? Netlink(ulong inode) => _netlink.GetValueOrDefault(inode);

    /// <summary>Loads the table. <paramref name="useSockDiag"/> false forces the /proc/net files.</summary>
    public static SocketTable Load(ProcFs fs, bool useSockDiag = true)
    {
        var t = new SocketTable();
        bool diag = useSockDiag && fs.IsLive && t.LoadInetDiag();
        if (diag) t.InetSource = "sock_diag";
        else
        {
            t.InetSource = "/proc/net";
            foreach (var (file, proto, v6) in new[] { ("net/tcp", "TCP", false), ("net/tcp6", "TCP", true), ("net/udp", "UDP", false), ("net/udp6", "UDP", true) })
                if (fs.TryReadBytes(file) is { } bytes)
                    foreach (var s in NetInet.Parse(bytes, proto, v6)) t._inet.TryAdd(s.Inode, s);
        }
        if (fs.TryReadBytes("net/unix") is { } unix)
            foreach (var s in NetUnix.Parse(unix)) t._unix.TryAdd(s.Inode, s);
        if (useSockDiag && fs.IsLive)
        {
            // Names (exact bytes) and peers; a missing unix_diag module leaves /proc/net/unix's view.
            foreach (var d in Dump(SockDiag.UnixRequest(1), p => SockDiag.DecodeUnix(p)) ?? [])
                t._unix[d.Inode] = t._unix.TryGetValue(d.Inode, out var u)
                    ? u with { PeerInode = d.PeerInode, Path = d.Path ?? u.Path }
                    : d;
        }
        if (fs.TryReadBytes("net/netlink") is { } nl)
            foreach (var s in NetNetlink.Parse(nl)) t._netlink.TryAdd(s.Inode, s);
        return t;
    }

    private bool LoadInetDiag()
    {
        foreach (var (family, proto) in new[] { (SockDiag.AfInet, SockDiag.IpProtoTcp), (SockDiag.AfInet6, SockDiag.IpProtoTcp), (SockDiag.AfInet, SockDiag.IpProtoUdp), (SockDiag.AfInet6, SockDiag.IpProtoUdp) })
        {
            var list = Dump(SockDiag.InetRequest(family, proto, 1), p => SockDiag.DecodeInet(p, proto));
            if (list is null)
            {
                _inet.Clear();
                return false;
            }
            foreach (var s in list) _inet.TryAdd(s.Inode, s);
        }
        return true;
    }

    /// <summary>One dump request, every answer decoded; null on failure.</summary>
    private static List<T>? Dump<T>(byte[] request, Func<byte[], T?> decode) where T : class
    {
        var result = new List<T>();
        // A dump that stops answering must not hang lsof: 2 s per recv.
        return SockDiagQuery.Run(request, p => { if (decode(p.ToArray()) is { } v) result.Add(v); }, 2) ? result : null;
    }
}
