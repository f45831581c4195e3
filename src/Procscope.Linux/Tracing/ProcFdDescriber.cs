using System.Globalization;
using System.Net;
using System.Text;
using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// -y / -yy: what a tracee's fd refers to, from the /proc/PID/fd/N link; with -yy, a socket's
/// endpoints from /proc/PID/net/{tcp,tcp6,udp,udp6,unix} found by the socket's inode, in strace's
/// form ("TCP:[127.0.0.1:5000-&gt;127.0.0.1:40000]", "UNIX:[1234-&gt;1235]" or "UNIX:[1234,\"/path\"]").
/// </summary>
public sealed unsafe class ProcFdDescriber(string procRoot = "/proc") : IFdDescriber
{
    private const int AtFdCwd = -100;

    public string? Describe(int pid, int fd, bool full)
    {
        // AT_FDCWD: strace 6 decorates it with the working directory (openat(AT_FDCWD</tmp>, ...)).
        if (fd == AtFdCwd) return ReadLink($"{procRoot}/{pid}/cwd");
        if (fd < 0) return null;
        string? link = ReadLink($"{procRoot}/{pid}/fd/{fd}");
        if (link is null) return null;
        if (full && link.StartsWith("socket:[", StringComparison.Ordinal) && link.EndsWith(']')
            && ulong.TryParse(link.AsSpan(8, link.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
            return Socket(pid, inode) ?? Protocol($"{procRoot}/{pid}/fd/{fd}", inode) ?? link;
        return link;
    }

    private static string? ReadLink(string path) =>
        ProcFs.Reader.ReadLink(-1, path, out var target) == 0 ? Encoding.UTF8.GetString(target) : null;

    /// <summary>A socket not in /proc/net (not bound or connected yet, or another family): strace's
    /// "TCP:[INODE]", the protocol from the link's "system.sockprotoname" attribute.</summary>
    private static string? Protocol(string path, ulong inode)
    {
        byte* buf = stackalloc byte[64];
        nint n;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        fixed (byte* name = "system.sockprotoname\0"u8)
            n = LibC.getxattr(p, name, buf, 64);
        if (n <= 0) return null;
        var proto = new ReadOnlySpan<byte>(buf, (int)n).TrimEnd((byte)0);
        return $"{Encoding.ASCII.GetString(proto)}:[{inode}]";
    }

    private string? Socket(int pid, ulong inode)
    {
        foreach (var (file, proto, v6) in new[] { ("tcp", "TCP", false), ("tcp6", "TCPv6", true), ("udp", "UDP", false), ("udp6", "UDPv6", true) })
        {
            string? text = Read($"{procRoot}/{pid}/net/{file}");
            if (text is null) continue;
            foreach (var line in text.Split('\n').Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[9] != inode.ToString(CultureInfo.InvariantCulture)) continue;
                string local = Endpoint(f[1], v6), remote = Endpoint(f[2], v6);
                bool connected = !f[2].EndsWith(":0000", StringComparison.Ordinal);
                return connected ? $"{proto}:[{local}->{remote}]" : $"{proto}:[{local}]";
            }
        }
        string? unix = Read($"{procRoot}/{pid}/net/unix");
        if (unix is not null)
        {
            foreach (var line in unix.Split('\n').Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 7 || f[6] != inode.ToString(CultureInfo.InvariantCulture)) continue;
                return f.Length >= 8 ? $"UNIX:[{inode},\"{f[7]}\"]" : $"UNIX:[{inode}]";
            }
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
