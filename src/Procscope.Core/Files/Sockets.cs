using System.Net;

namespace Procscope.Core.Files;

/// <summary>TCP states as the kernel numbers them (include/net/tcp_states.h), named as lsof names them.</summary>
public static class TcpStates
{
    public const int Established = 1;
    public const int Listen = 10;

    public static string Name(int state) => state switch
    {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => "UNKNOWN",
    };
}

/// <summary>A TCP or UDP socket over IPv4 or IPv6, from sock_diag or /proc/net/{tcp,udp}[6].</summary>
public sealed record InetSocket
{
    public required ulong Inode { get; init; }
    /// <summary>True for an AF_INET6 socket (also when it carries a v4-mapped address).</summary>
    public required bool IPv6 { get; init; }
    /// <summary>"TCP" or "UDP".</summary>
    public required string Protocol { get; init; }
    public required IPAddress LocalAddress { get; init; }
    public required int LocalPort { get; init; }
    public required IPAddress RemoteAddress { get; init; }
    public required int RemotePort { get; init; }
    /// <summary>The kernel's state number (<see cref="TcpStates"/>).</summary>
    public required int State { get; init; }
    /// <summary>Bytes queued to send (tx_queue / idiag_wqueue).</summary>
    public required uint SendQueue { get; init; }
    /// <summary>Bytes queued to read (rx_queue / idiag_rqueue); the backlog length of a listener.</summary>
    public required uint ReceiveQueue { get; init; }
    /// <summary>tcp_info.tcpi_bytes_sent (since Linux 4.19); sock_diag only.</summary>
    public ulong? BytesSent { get; init; }
    /// <summary>tcp_info.tcpi_bytes_received (since Linux 4.1); sock_diag only.</summary>
    public ulong? BytesReceived { get; init; }

    /// <summary>The remote end is set (a connected socket).</summary>
    public bool HasRemote => RemotePort != 0 || !(RemoteAddress.Equals(IPAddress.Any) || RemoteAddress.Equals(IPAddress.IPv6Any));
}

/// <summary>The SS_* states of /proc/net/unix (include/uapi/linux/net.h), plus listening.</summary>
public enum UnixState { Free, Unconnected, Connecting, Connected, Disconnecting, Listen }

/// <summary>A UNIX domain socket, from /proc/net/unix and, where available, unix sock_diag (exact name, peer).</summary>
public sealed record UnixSocket
{
    public required ulong Inode { get; init; }
    /// <summary>The "Num" column: the kernel address as printed (hashed by %pK), lsof's DEVICE.</summary>
    public string? KernelAddress { get; init; }
    /// <summary>SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5.</summary>
    public required int Type { get; init; }
    public required UnixState State { get; init; }
    /// <summary>The bound path; an abstract name starts with '@' (the kernel's NUL). Null when unbound.</summary>
    public byte[]? Path { get; init; }
    /// <summary>The inode of the connected peer (unix sock_diag UNIX_DIAG_PEER).</summary>
    public ulong? PeerInode { get; init; }

    public string TypeName => Type switch { 1 => "STREAM", 2 => "DGRAM", 3 => "RAW", 4 => "RDM", 5 => "SEQPACKET", _ => "UNKNOWN" };

    public string StateName => State switch
    {
        UnixState.Unconnected => "UNCONNECTED",
        UnixState.Connecting => "CONNECTING",
        UnixState.Connected => "CONNECTED",
        UnixState.Disconnecting => "DISCONNECTING",
        UnixState.Listen => "LISTEN",
        _ => "UNKNOWN",
    };
}

/// <summary>A netlink socket, from /proc/net/netlink.</summary>
public sealed record NetlinkSocket(ulong Inode, int Protocol, uint PortId)
{
    /// <summary>The protocol as lsof names it (include/uapi/linux/netlink.h).</summary>
    public string ProtocolName => Protocol switch
    {
        0 => "ROUTE",
        1 => "UNUSED",
        2 => "USERSOCK",
        3 => "FIREWALL",
        4 => "INET_DIAG",
        5 => "NFLOG",
        6 => "XFRM",
        7 => "SELINUX",
        8 => "ISCSI",
        9 => "AUDIT",
        10 => "FIB_LOOKUP",
        11 => "CONNECTOR",
        12 => "NETFILTER",
        13 => "IP6_FW",
        14 => "DNRTMSG",
        15 => "KOBJECT_UEVENT",
        16 => "GENERIC",
        18 => "SCSITRANSPORT",
        19 => "ECRYPTFS",
        20 => "RDMA",
        21 => "CRYPTO",
        22 => "SMC",
        _ => Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
