using System.Globalization;
using System.Net;
using System.Text;
using Procscope.Core.Files;
using Procscope.Core.Syscalls;
using Procscope.Linux.Files;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// -y / -yy: what a tracee's fd refers to, from the /proc/PID/fd/N link. With -yy a socket is shown
/// as strace shows it: the kernel's protocol name (the link's "system.sockprotoname" attribute:
/// TCP, TCPv6, UDP, UNIX-STREAM, UNIX, NETLINK …) and its endpoints, "TCP:[127.0.0.1:5000-&gt;127.0.0.1:40000]",
/// "UNIX-STREAM:[1234-&gt;1235]", "UNIX-STREAM:[1234,\"/path\"]", "NETLINK:[ROUTE:4321]", or
/// "PROTO:[INODE]" when the socket has no endpoint yet. TCP/UDP endpoints come from sock_diag
/// (else /proc/PID/net), UNIX ones from a unix_diag query for that one inode, netlink ones from
/// /proc/PID/net/netlink. Like strace, a socket's endpoints are remembered once found.
/// </summary>
public sealed unsafe class ProcFdDescriber(string procRoot = "/proc") : IFdDescriber
{
    private const int AtFdCwd = -100;
    private readonly Dictionary<ulong, string> _sockets = [];

    public string? Describe(int pid, int fd, bool full)
    {
        // AT_FDCWD: strace 6 decorates it with the working directory (openat(AT_FDCWD</tmp>, ...)).
        if (fd == AtFdCwd) return ReadLink($"{procRoot}/{pid}/cwd");
        if (fd < 0) return null;
        string fdPath = $"{procRoot}/{pid}/fd/{fd}";
        string? link = ReadLink(fdPath);
        if (link is null) return null;
        if (full && link.StartsWith("socket:[", StringComparison.Ordinal) && link.EndsWith(']')
            && ulong.TryParse(link.AsSpan(8, link.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
            return Socket(pid, fdPath, inode) ?? link;
        return link;
    }

    private static string? ReadLink(string path) =>
        ProcFs.Reader.ReadLink(-1, path, out var target) == 0 ? Encoding.UTF8.GetString(target) : null;

    private string? Socket(int pid, string fdPath, ulong inode)
    {
        if (_sockets.TryGetValue(inode, out var known)) return known;
        string? proto = ProtocolName(fdPath);
        if (proto is null) return null;
        string? endpoints = proto switch
        {
            "TCP" or "TCPv6" or "UDP" or "UDPv6" => Inet(pid, proto, inode),
            "UNIX" or "UNIX-STREAM" => Unix(inode),
            "NETLINK" => Netlink(pid, inode),
            _ => null,
        };
        if (endpoints is null) return $"{proto}:[{inode}]";
        string text = $"{proto}:[{endpoints}]";
        if (_sockets.Count >= 1024) _sockets.Clear();
        _sockets[inode] = text;
        return text;
    }

    /// <summary>The socket's protocol as the kernel names it (struct proto.name).</summary>
    private static string? ProtocolName(string fdPath)
    {
        byte* buf = stackalloc byte[64];
        nint n;
        fixed (byte* p = Encoding.UTF8.GetBytes(fdPath + "\0"))
        fixed (byte* name = "system.sockprotoname\0"u8)
            n = LibC.getxattr(p, name, buf, 64);
        if (n <= 0) return null;
        return Encoding.ASCII.GetString(new ReadOnlySpan<byte>(buf, (int)n).TrimEnd((byte)0));
    }

    private string? Inet(int pid, string proto, ulong inode)
    {
        bool v6 = proto.EndsWith("v6", StringComparison.Ordinal);
        bool tcp = proto.StartsWith("TCP", StringComparison.Ordinal);
        var found = InetDiag(v6 ? SockDiag.AfInet6 : SockDiag.AfInet, tcp ? SockDiag.IpProtoTcp : SockDiag.IpProtoUdp, inode);
        if (found is { } s)
        {
            string local = v6 ? $"[{s.LocalAddress}]:{s.LocalPort}" : $"{s.LocalAddress}:{s.LocalPort}";
            bool connected = s.RemotePort != 0 || !s.RemoteAddress.Equals(v6 ? IPAddress.IPv6Any : IPAddress.Any);
            if (!connected) return local;
            return v6 ? $"{local}->[{s.RemoteAddress}]:{s.RemotePort}" : $"{local}->{s.RemoteAddress}:{s.RemotePort}";
        }
        if (found is null && _inetDiagWorks) return null;
        return ProcNetInet(pid, (tcp ? "tcp" : "udp") + (v6 ? "6" : ""), v6, inode);
    }

    private bool _inetDiagWorks = true;

    /// <summary>The socket from a sock_diag dump of its family and protocol; null when absent or
    /// when sock_diag failed (then <see cref="_inetDiagWorks"/> turns false for good).</summary>
    private InetSocket? InetDiag(byte family, byte protocol, ulong inode)
    {
        if (!_inetDiagWorks) return null;
        InetSocket? hit = null;
        bool ok = SockDiagQuery.Run(SockDiag.InetRequest(family, protocol, 1), p =>
        {
            if (hit is null && SockDiag.DecodeInet(p, protocol) is { } s && s.Inode == inode) hit = s;
        }, 1);
        if (!ok) _inetDiagWorks = false;
        return hit;
    }

    private static string? Unix(ulong inode)
    {
        if (inode > uint.MaxValue) return null;
        UnixSocket? hit = null;
        SockDiagQuery.Run(SockDiag.UnixInodeRequest((uint)inode, 1), p =>
        {
            if (hit is null && SockDiag.DecodeUnix(p) is { } s && s.Inode == inode) hit = s;
        }, 1);
        if (hit is null || (hit.PeerInode is null or 0 && hit.Path is not { Length: > 0 })) return null;
        var sb = new StringBuilder();
        sb.Append(inode.ToString(CultureInfo.InvariantCulture));
        if (hit.PeerInode is { } peer and not 0) sb.Append("->").Append(peer.ToString(CultureInfo.InvariantCulture));
        if (hit.Path is { Length: > 0 } path)
        {
            // An abstract name (leading NUL, shown as '@' by DecodeUnix) is strace's ,@"name".
            sb.Append(',');
            if (path[0] == (byte)'@')
            {
                sb.Append('@');
                path = path[1..];
            }
            sb.Append(StraceQuote.Quote(path));
        }
        return sb.ToString();
    }

    private string? Netlink(int pid, ulong inode)
    {
        byte[] content;
        try { content = File.ReadAllBytes($"{procRoot}/{pid}/net/netlink"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        foreach (var s in NetNetlink.Parse(content))
        {
            if (s.Inode != inode) continue;
            string name = Xlat.NetlinkProtocols.Name((ulong)s.Protocol) is { } n && n.StartsWith("NETLINK_", StringComparison.Ordinal)
                ? n[8..] : s.Protocol.ToString(CultureInfo.InvariantCulture);
            return $"{name}:{s.PortId}";
        }
        return null;
    }

    private string? ProcNetInet(int pid, string file, bool v6, ulong inode)
    {
        string? text = Read($"{procRoot}/{pid}/net/{file}");
        if (text is null) return null;
        foreach (var line in text.Split('\n').Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[9] != inode.ToString(CultureInfo.InvariantCulture)) continue;
            string local = Endpoint(f[1], v6), remote = Endpoint(f[2], v6);
            bool connected = !f[2].EndsWith(":0000", StringComparison.Ordinal);
            return connected ? $"{local}->{remote}" : local;
        }
        return null;
    }

    private static string Endpoint(string hex, bool v6)
    {
        int colon = hex.IndexOf(':');
        if (colon < 0) return hex;
        int port = int.Parse(hex.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var addrHex = hex.AsSpan(0, colon);
        var bytes = new byte[addrHex.Length / 2];
        // /proc/net prints the address as 32-bit words in host (little-endian) order.
        for (int w = 0; w < bytes.Length / 4; w++)
            for (int b = 0; b < 4; b++)
                bytes[w * 4 + b] = byte.Parse(addrHex.Slice(w * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var ip = new IPAddress(bytes);
        return v6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
