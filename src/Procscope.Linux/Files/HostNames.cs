using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Files;

/// <summary>Host and service names of socket endpoints through getnameinfo(3) (NSS: /etc/hosts, DNS, /etc/services), cached.</summary>
public static unsafe class HostNames
{
    private static readonly ConcurrentDictionary<IPAddress, string> s_hosts = new();
    private static readonly ConcurrentDictionary<(int, bool), string> s_services = new();

    /// <summary>The host name of an address, or its numeric form when it has none.</summary>
    public static string Host(IPAddress address) => s_hosts.GetOrAdd(address, static a => Lookup(a, 0, false, true));

    /// <summary>The service name of a port (/etc/services), or the number.</summary>
    public static string Service(int port, bool udp) => s_services.GetOrAdd((port, udp), static k => Lookup(IPAddress.Loopback, k.Item1, k.Item2, false));

    private static string Lookup(IPAddress address, int port, bool udp, bool host)
    {
        Span<byte> sa = stackalloc byte[28];
        sa.Clear();
        uint len;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            sa[0] = 10; // AF_INET6
            address.TryWriteBytes(sa[8..], out _);
            len = 28;
        }
        else
        {
            sa[0] = 2; // AF_INET
            address.TryWriteBytes(sa[4..], out _);
            len = 16;
        }
        sa[2] = (byte)(port >> 8);
        sa[3] = (byte)port;
        Span<byte> hostBuf = stackalloc byte[1025];
        Span<byte> servBuf = stackalloc byte[64];
        int flags = (host ? LibC.NI_NUMERICSERV : LibC.NI_NUMERICHOST) | (udp ? LibC.NI_DGRAM : 0);
        int rc;
        fixed (byte* s = sa)
        fixed (byte* h = hostBuf)
        fixed (byte* v = servBuf)
            rc = host ? LibC.getnameinfo(s, len, h, (uint)hostBuf.Length, null, 0, flags)
                      : LibC.getnameinfo(s, len, null, 0, v, (uint)servBuf.Length, flags);
        if (rc != 0) return host ? address.ToString() : port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var buf = host ? hostBuf : servBuf;
        int n = buf.IndexOf((byte)0);
        return Encoding.UTF8.GetString(buf[..(n < 0 ? buf.Length : n)]);
    }
}

/// <summary>Service names of /etc/services (NSS) to port numbers.</summary>
public static unsafe class ServiceNames
{
    /// <summary>The port of a service name for "tcp" or "udp"; null when unknown.</summary>
    public static int? Port(string name, string protocol)
    {
        var n = Encoding.UTF8.GetBytes(name + "\0");
        var p = Encoding.UTF8.GetBytes(protocol + "\0");
        nint s;
        fixed (byte* nb = n)
        fixed (byte* pb = p)
            s = LibC.getservbyname(nb, pb);
        if (s == 0) return null;
        int port = *(int*)((byte*)s + 16); // struct servent: s_port (network order) after two pointers
        return (ushort)IPAddress.NetworkToHostOrder((short)port);
    }
}

/// <summary>stat(2) of a path named on the command line.</summary>
public static unsafe class FileStatus
{
    /// <summary>The file's stat, or null with errno.</summary>
    public static FileStat? Of(string path, out int errno)
    {
        var p = Encoding.UTF8.GetBytes(path + "\0");
        Stat st;
        int rc;
        fixed (byte* b = p) rc = LibC.fstatat(LibC.AT_FDCWD, b, &st, 0);
        if (rc != 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastSystemError();
            return null;
        }
        errno = 0;
        return new FileStat(st.st_dev, st.st_ino, st.st_mode, st.st_nlink, st.st_rdev, st.st_size);
    }
}
