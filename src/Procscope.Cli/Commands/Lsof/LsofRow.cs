using System.Globalization;
using System.Net;
using System.Text;
using Procscope.Core.Files;
using Procscope.Linux.Files;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>One output line of lsof, computed once from an open file and the socket table; rendered as text, -F fields or JSON.</summary>
public sealed class LsofRow
{
    public required ProcessOpenFiles Process { get; init; }
    public required OpenFile File { get; init; }
    /// <summary>"cwd", "rtd", "txt", "mem", "DEL" or the descriptor number.</summary>
    public required string Fd { get; init; }
    /// <summary>r, w, u or ' '.</summary>
    public char Access { get; init; } = ' ';
    /// <summary>Lock character or ' '.</summary>
    public char Lock { get; init; } = ' ';
    public required string Type { get; init; }
    /// <summary>The DEVICE column ("254,0", a socket's inode or kernel address).</summary>
    public string Device { get; init; } = "";
    /// <summary>-F D: the raw st_dev in hex.</summary>
    public string? DeviceHex { get; init; }
    /// <summary>-F d: a character device (the DEVICE column of sockets).</summary>
    public string? DeviceChar { get; init; }
    public long? Size { get; init; }
    public long? Offset { get; init; }
    /// <summary>lsof shows the offset rather than the size by default (character devices, pipes, sockets).</summary>
    public bool OffsetByDefault { get; init; }
    public string Node { get; init; } = "";
    public ulong? Inode { get; init; }
    public ulong? LinkCount { get; init; }
    /// <summary>The exact name (raw bytes); <see cref="NameSuffix"/> follows it in the NAME column.</summary>
    public required byte[] Name { get; init; }
    public string NameSuffix { get; init; } = "";
    public string? Protocol { get; init; }
    /// <summary>-F T fields ("TST=LISTEN", "TQR=0" …).</summary>
    public IReadOnlyList<string> TcpInfo { get; init; } = [];
    public InetSocket? Inet { get; init; }
    public UnixSocket? Unix { get; init; }
    public NetlinkSocket? Netlink { get; init; }
    public bool Deleted => File.Deleted;

    public static string OffsetText(long off) =>
        off < 100_000_000 ? "0t" + off.ToString(CultureInfo.InvariantCulture) : "0x" + off.ToString("x", CultureInfo.InvariantCulture);

    public static string DevText(ulong dev) =>
        FileStat.Major(dev).ToString(CultureInfo.InvariantCulture) + "," + FileStat.Minor(dev).ToString(CultureInfo.InvariantCulture);

    /// <summary>Builds the row of one open file.</summary>
    public static LsofRow Build(ProcessOpenFiles p, OpenFile f, SocketTable sockets, bool noHost, bool noPort)
    {
        string fd = f.Kind switch
        {
            OpenFileKind.Cwd => "cwd",
            OpenFileKind.Root => "rtd",
            OpenFileKind.Text => "txt",
            OpenFileKind.Memory => "mem",
            OpenFileKind.DeletedMemory => "DEL",
            _ => f.Fd.ToString(CultureInfo.InvariantCulture),
        };
        if (f.Error is not null)
        {
            string what = f.Kind switch { OpenFileKind.Cwd => "cwd", OpenFileKind.Root => "root", OpenFileKind.Text => "exe", _ => "fd/" + fd };
            return new LsofRow
            {
                Process = p, File = f, Fd = fd, Type = "unknown",
                // A kernel thread has no executable (ENOENT): lsof names the link without a reason.
                Name = Encoding.UTF8.GetBytes($"/proc/{p.Pid}{(p.Tid is int t ? $"/task/{t}" : "")}/{what}" + (f.ErrorNumber == Linux.Interop.Errno.ENOENT ? "" : $" ({f.Error})")),
            };
        }
        char access = ' ', lockChar = ' ';
        long? offset = null;
        if (f.Info is { } info)
        {
            access = info.AccessMode switch { 0 => 'r', 1 => 'w', _ => 'u' };
            lockChar = FileLock.LsofCharOf(info.Locks);
            offset = info.Pos;
        }
        if (f.SocketInode is ulong sockIno) return Socket(p, f, fd, access, lockChar, offset ?? 0, sockIno, sockets, noHost, noPort);

        var name = f.Name;
        string type;
        long? size = null;
        bool offDefault = false;
        string device = "", node = "";
        string? devHex = null;
        ulong? nlink = null;
        if (f.Stat is { } st)
        {
            uint fmt = st.Format;
            type = f.IsAnonInode ? "a_inode" : fmt switch
            {
                FileStat.S_IFREG => "REG",
                FileStat.S_IFDIR => "DIR",
                FileStat.S_IFCHR => "CHR",
                FileStat.S_IFBLK => "BLK",
                FileStat.S_IFIFO => "FIFO",
                FileStat.S_IFLNK => "LINK",
                FileStat.S_IFSOCK => "sock",
                _ => "unknown",
            };
            bool dev = fmt is FileStat.S_IFCHR or FileStat.S_IFBLK;
            device = DevText(dev ? st.Rdev : st.Dev);
            devHex = "0x" + st.Dev.ToString("x", CultureInfo.InvariantCulture);
            node = st.Ino.ToString(CultureInfo.InvariantCulture);
            offDefault = fmt is FileStat.S_IFCHR or FileStat.S_IFIFO;
            if (!offDefault) size = st.Size;
            nlink = st.Nlink;
        }
        else
        {
            // No stat: a network/FUSE file we do not stat, a deleted mapping, or a vanished file.
            type = f.Kind is OpenFileKind.Cwd or OpenFileKind.Root || (f.Info is { } fi && (fi.Flags & 0x10000) != 0) ? "DIR" : "REG";
            if (f.Dev is ulong d)
            {
                device = DevText(d);
                devHex = "0x" + d.ToString("x", CultureInfo.InvariantCulture);
            }
            if (f.Inode is ulong ino) node = ino.ToString(CultureInfo.InvariantCulture);
        }
        // Anonymous inodes: lsof names them by kind, with the eventfd id or the epoll's targets.
        if (f.IsAnonInode)
        {
            var kind = name.AsSpan("anon_inode:".Length);
            if (kind.SequenceEqual("[eventfd]"u8) && f.Info?.EventFdId is long id)
                name = Encoding.UTF8.GetBytes($"[eventfd:{id.ToString(CultureInfo.InvariantCulture)}]");
            else if (kind.SequenceEqual("[eventpoll]"u8) && f.Info is { EpollTargets.Count: > 0 } ep)
                name = Encoding.UTF8.GetBytes($"[eventpoll:{string.Join(',', ep.EpollTargets.Order())}]");
            else name = kind.ToArray();
        }
        else if (name.AsSpan().StartsWith("pipe:["u8)) name = "pipe"u8.ToArray();
        return new LsofRow
        {
            Process = p, File = f, Fd = fd, Access = access, Lock = lockChar, Type = type, Device = device, DeviceHex = devHex,
            Size = size, Offset = offset, OffsetByDefault = offDefault, Node = node, Inode = f.Inode, LinkCount = nlink, Name = name,
        };
    }

    private static LsofRow Socket(ProcessOpenFiles p, OpenFile f, string fd, char access, char lockChar, long offset, ulong ino, SocketTable sockets, bool noHost, bool noPort)
    {
        string inoText = ino.ToString(CultureInfo.InvariantCulture);
        if (sockets.Inet(ino) is { } s)
        {
            var sb = new StringBuilder();
            sb.Append(Endpoint(s.LocalAddress, s.LocalPort, s.Protocol == "UDP", noHost, noPort));
            if (s.HasRemote) sb.Append("->").Append(Endpoint(s.RemoteAddress, s.RemotePort, s.Protocol == "UDP", noHost, noPort));
            var t = new List<string>();
            string suffix;
            if (s.Protocol == "TCP")
            {
                suffix = " (" + TcpStates.Name(s.State) + ")";
                t.Add("ST=" + TcpStates.Name(s.State));
            }
            else suffix = " ";
            t.Add("QR=" + s.ReceiveQueue.ToString(CultureInfo.InvariantCulture));
            t.Add("QS=" + s.SendQueue.ToString(CultureInfo.InvariantCulture));
            return new LsofRow
            {
                Process = p, File = f, Fd = fd, Access = access, Lock = lockChar, Type = s.IPv6 ? "IPv6" : "IPv4", Device = inoText, DeviceChar = inoText,
                Offset = offset, OffsetByDefault = true, Node = s.Protocol, Inode = ino, Name = Encoding.UTF8.GetBytes(sb.ToString()), NameSuffix = suffix,
                Protocol = s.Protocol, TcpInfo = t, Inet = s,
            };
        }
        if (sockets.Unix(ino) is { } u)
        {
            var name = u.Path is { } path ? [.. path, (byte)' ', .. Encoding.ASCII.GetBytes("type=" + u.TypeName)] : Encoding.ASCII.GetBytes("type=" + u.TypeName);
            return new LsofRow
            {
                Process = p, File = f, Fd = fd, Access = access, Lock = lockChar, Type = "unix", Device = u.KernelAddress ?? "", DeviceChar = u.KernelAddress,
                Offset = offset, OffsetByDefault = true, Node = inoText, Inode = ino, Name = name, NameSuffix = " (" + u.StateName + ")",
                TcpInfo = ["ST=" + u.StateName], Unix = u,
            };
        }
        if (sockets.Netlink(ino) is { } n)
        {
            return new LsofRow
            {
                Process = p, File = f, Fd = fd, Access = access, Lock = lockChar, Type = "netlink", Offset = offset, OffsetByDefault = true,
                Node = inoText, Inode = ino, Name = Encoding.ASCII.GetBytes(n.ProtocolName), Netlink = n,
            };
        }
        // Another network namespace, or a family we do not decode.
        return new LsofRow
        {
            Process = p, File = f, Fd = fd, Access = access, Lock = lockChar, Type = "sock", Offset = offset, OffsetByDefault = true,
            Node = inoText, Inode = ino, Name = "can't identify protocol"u8.ToArray(),
        };
    }

    private static string Endpoint(IPAddress a, int port, bool udp, bool noHost, bool noPort)
    {
        string host;
        if (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) host = "*";
        else
        {
            host = noHost ? a.ToString() : HostNames.Host(a);
            if (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && noHost) host = "[" + host + "]";
            else if (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && host.Contains(':')) host = "[" + host + "]";
        }
        string p = port == 0 ? "*" : noPort ? port.ToString(CultureInfo.InvariantCulture) : HostNames.Service(port, udp);
        return host + ":" + p;
    }
}
