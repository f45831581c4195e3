using System.Buffers.Binary;
using System.Net;

namespace Procscope.Core.Files;

/// <summary>
/// The sock_diag netlink protocol (sock_diag(7)): the dump requests for TCP/UDP (inet_diag_req_v2)
/// and UNIX sockets (unix_diag_req), and the decoding of their answers. Layouts from
/// include/uapi/linux/{netlink,inet_diag,unix_diag,tcp}.h; offsets are checked against the headers
/// with gcc by the layout tests. All integers are host order (little-endian on x86_64) except the
/// ports and addresses inside inet_diag_sockid, which are network order.
/// </summary>
public static class SockDiag
{
    public const ushort SockDiagByFamily = 20;
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort NlmFRequest = 0x1;
    public const ushort NlmFDump = 0x300;
    public const int NlmsgHeaderSize = 16;
    public const byte AfUnix = 1;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;
    public const byte IpProtoTcp = 6;
    public const byte IpProtoUdp = 17;
    /// <summary>INET_DIAG_INFO: the attribute carrying struct tcp_info.</summary>
    public const ushort InetDiagInfo = 2;
    public const ushort UnixDiagName = 0;
    public const ushort UnixDiagPeer = 2;
    public const uint UdiagShowName = 1;
    public const uint UdiagShowPeer = 4;

    /// <summary>sizeof(struct inet_diag_req_v2).</summary>
    public const int InetDiagReqV2Size = 56;
    /// <summary>sizeof(struct inet_diag_msg).</summary>
    public const int InetDiagMsgSize = 72;
    /// <summary>sizeof(struct unix_diag_req).</summary>
    public const int UnixDiagReqSize = 24;
    /// <summary>sizeof(struct unix_diag_msg).</summary>
    public const int UnixDiagMsgSize = 16;
    /// <summary>offsetof(struct tcp_info, tcpi_bytes_received) (since Linux 4.1).</summary>
    public const int TcpInfoBytesReceived = 128;
    /// <summary>offsetof(struct tcp_info, tcpi_bytes_sent) (since Linux 4.19).</summary>
    public const int TcpInfoBytesSent = 200;

    /// <summary>A dump request for every TCP or UDP socket of one family, asking for tcp_info.</summary>
    public static byte[] InetRequest(byte family, byte protocol, uint sequence)
    {
        var m = new byte[NlmsgHeaderSize + InetDiagReqV2Size];
        Header(m, sequence);
        m[16] = family;
        m[17] = protocol;
        m[18] = protocol == IpProtoTcp ? (byte)(1 << (InetDiagInfo - 1)) : (byte)0; // idiag_ext
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(20), 0xffffffff); // idiag_states: all
        return m;
    }

    /// <summary>A dump request for every UNIX socket with its name and peer.</summary>
    public static byte[] UnixRequest(uint sequence)
    {
        var m = new byte[NlmsgHeaderSize + UnixDiagReqSize];
        Header(m, sequence);
        m[16] = AfUnix;
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(20), 0xffffffff); // udiag_states
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(28), UdiagShowName | UdiagShowPeer); // udiag_show
        return m;
    }

    /// <summary>A request for the one UNIX socket with inode <paramref name="inode"/> (no dump: the
    /// kernel answers with that socket's unix_diag_msg, name and peer, or an error).</summary>
    public static byte[] UnixInodeRequest(uint inode, uint sequence)
    {
        var m = UnixRequest(sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), NlmFRequest);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(24), inode); // udiag_ino
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(32), ulong.MaxValue); // udiag_cookie: INET_DIAG_NOCOOKIE
        return m;
    }

    private static void Header(byte[] m, uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), sequence);
    }

    /// <summary>What one buffer of a dump held.</summary>
    public enum Progress { More, Done, Error }

    /// <summary>
    /// Walks the netlink messages of one recv() buffer, calling <paramref name="onMessage"/> with
    /// each payload. Done at NLMSG_DONE; Error (with the positive errno) at NLMSG_ERROR.
    /// </summary>
    public static Progress Walk(ReadOnlySpan<byte> buffer, out int errno, Action<ReadOnlySpan<byte>> onMessage)
    {
        errno = 0;
        int pos = 0;
        while (pos + NlmsgHeaderSize <= buffer.Length)
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[pos..]);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer[(pos + 4)..]);
            if (len < NlmsgHeaderSize || pos + len > buffer.Length) return Progress.Error;
            var payload = buffer.Slice(pos + NlmsgHeaderSize, len - NlmsgHeaderSize);
            if (type == NlmsgDone) return Progress.Done;
            if (type == NlmsgError)
            {
                errno = payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                return Progress.Error;
            }
            if (type == SockDiagByFamily) onMessage(payload);
            pos += (len + 3) & ~3;
        }
        return Progress.More;
    }

    /// <summary>Decodes one inet_diag_msg (and its INET_DIAG_INFO attribute); null when too short.</summary>
    public static InetSocket? DecodeInet(ReadOnlySpan<byte> p, byte protocol)
    {
        if (p.Length < InetDiagMsgSize) return null;
        byte family = p[0];
        bool v6 = family == AfInet6;
        int state = p[1];
        int sport = BinaryPrimitives.ReadUInt16BigEndian(p[4..]);
        int dport = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        var src = new IPAddress(p.Slice(8, v6 ? 16 : 4));
        var dst = new IPAddress(p.Slice(24, v6 ? 16 : 4));
        uint rq = BinaryPrimitives.ReadUInt32LittleEndian(p[56..]);
        // For a listener, idiag_wqueue is the backlog limit, not queued bytes; /proc/net/tcp (and lsof)
        // shows 0 there.
        uint wq = state == TcpStates.Listen ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(p[60..]);
        uint inode = BinaryPrimitives.ReadUInt32LittleEndian(p[68..]);
        ulong? sent = null, received = null;
        foreach (var (type, data) in Attributes(p[InetDiagMsgSize..]))
        {
            if (type != InetDiagInfo) continue;
            if (data.Length >= TcpInfoBytesReceived + 8) received = BinaryPrimitives.ReadUInt64LittleEndian(data[TcpInfoBytesReceived..]);
            if (data.Length >= TcpInfoBytesSent + 8) sent = BinaryPrimitives.ReadUInt64LittleEndian(data[TcpInfoBytesSent..]);
        }
        return new InetSocket
        {
            Inode = inode, IPv6 = v6, Protocol = protocol == IpProtoTcp ? "TCP" : "UDP",
            LocalAddress = src, LocalPort = sport, RemoteAddress = dst, RemotePort = dport, State = state,
            SendQueue = wq, ReceiveQueue = rq, BytesSent = sent, BytesReceived = received,
        };
    }

    /// <summary>Decodes one unix_diag_msg with its name and peer attributes; null when too short.</summary>
    public static UnixSocket? DecodeUnix(ReadOnlySpan<byte> p)
    {
        if (p.Length < UnixDiagMsgSize) return null;
        int type = p[1];
        int state = p[2];
        uint inode = BinaryPrimitives.ReadUInt32LittleEndian(p[4..]);
        byte[]? name = null;
        ulong? peer = null;
        foreach (var (at, data) in Attributes(p[UnixDiagMsgSize..]))
        {
            if (at == UnixDiagName && data.Length > 0)
            {
                if (data[0] == 0)
                {
                    name = data.ToArray();
                    name[0] = (byte)'@'; // abstract: shown as /proc/net/unix shows it
                }
                else
                {
                    // A path name comes with the terminating NUL(s) of sun_path when bind() counted them.
                    int end = data.IndexOf((byte)0);
                    name = (end < 0 ? data : data[..end]).ToArray();
                }
            }
            else if (at == UnixDiagPeer && data.Length >= 4)
            {
                peer = BinaryPrimitives.ReadUInt32LittleEndian(data);
            }
        }
        // unix_diag reports sk_state with the TCP numbers: ESTABLISHED, LISTEN, CLOSE, SYN_SENT.
        var st = state switch
        {
            TcpStates.Established => UnixState.Connected,
            TcpStates.Listen => UnixState.Listen,
            2 => UnixState.Connecting,
            _ => UnixState.Unconnected,
        };
        return new UnixSocket { Inode = inode, Type = type, State = st, Path = name, PeerInode = peer };
    }

    /// <summary>The rtattr list after a fixed message: (type, payload) pairs, 4-byte aligned.</summary>
    public static List<(ushort Type, byte[] Data)> Attributes(ReadOnlySpan<byte> s)
    {
        var list = new List<(ushort, byte[])>();
        int pos = 0;
        while (pos + 4 <= s.Length)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(s[pos..]);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(s[(pos + 2)..]);
            if (len < 4 || pos + len > s.Length) break;
            list.Add((type, s.Slice(pos + 4, len - 4).ToArray()));
            pos += (len + 3) & ~3;
        }
        return list;
    }
}
