using System.Buffers.Binary;
using System.Net;
using Procscope.Core.Files;

namespace Procscope.Core.Tests.Files;

public sealed class SockDiagTests
{
    [Fact]
    public void InetRequest_TcpV4_HeaderAndRequestBytes()
    {
        var m = SockDiag.InetRequest(SockDiag.AfInet, SockDiag.IpProtoTcp, 7);
        Assert.Equal(72, m.Length);
        Assert.Equal(72u, BinaryPrimitives.ReadUInt32LittleEndian(m));
        Assert.Equal((ushort)20, BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(4)));
        Assert.Equal((ushort)0x301, BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(6)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(8)));
        Assert.Equal([2, 6, 2, 0], m[16..20]);
        Assert.Equal(0xffffffffu, BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(20)));
        Assert.Equal(0, SockDiag.InetRequest(SockDiag.AfInet6, SockDiag.IpProtoUdp, 1)[18]); // no tcp_info for UDP
    }

    [Fact]
    public void UnixRequest_AsksForNameAndPeer()
    {
        var m = SockDiag.UnixRequest(1);
        Assert.Equal(40, m.Length);
        Assert.Equal(1, m[16]);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(28)));
    }

    private static byte[] Message(ushort type, byte[] payload)
    {
        var m = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), type);
        payload.CopyTo(m, 16);
        return m;
    }

    private static byte[] Attr(ushort type, byte[] data)
    {
        var a = new byte[(4 + data.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        data.CopyTo(a, 4);
        return a;
    }

    [Fact]
    public void Walk_InetMessageWithTcpInfo_DecodesEndpointsQueuesAndBytes()
    {
        var msg = new byte[SockDiag.InetDiagMsgSize];
        msg[0] = SockDiag.AfInet;
        msg[1] = TcpStates.Established;
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(4), 50738);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(6), 55497);
        new byte[] { 127, 0, 0, 1 }.CopyTo(msg, 8);
        new byte[] { 10, 1, 2, 3 }.CopyTo(msg, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(56), 9);     // rqueue
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(60), 5);     // wqueue
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(68), 4186049);
        var info = new byte[232];
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(SockDiag.TcpInfoBytesReceived), 1234);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(SockDiag.TcpInfoBytesSent), 5);
        var payload = msg.Concat(Attr(1, [1, 2, 3])).Concat(Attr(SockDiag.InetDiagInfo, info)).ToArray();
        var buffer = Message(SockDiag.SockDiagByFamily, payload).Concat(Message(SockDiag.NlmsgDone, new byte[4])).ToArray();

        var found = new List<InetSocket>();
        var progress = SockDiag.Walk(buffer, out int errno, p => found.Add(SockDiag.DecodeInet(p, SockDiag.IpProtoTcp)!));
        Assert.Equal(SockDiag.Progress.Done, progress);
        Assert.Equal(0, errno);
        var s = Assert.Single(found);
        Assert.Equal(IPAddress.Loopback, s.LocalAddress);
        Assert.Equal(50738, s.LocalPort);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), s.RemoteAddress);
        Assert.Equal(55497, s.RemotePort);
        Assert.Equal(9u, s.ReceiveQueue);
        Assert.Equal(5u, s.SendQueue);
        Assert.Equal(4186049ul, s.Inode);
        Assert.Equal(5ul, s.BytesSent);
        Assert.Equal(1234ul, s.BytesReceived);
        Assert.Equal("TCP", s.Protocol);
    }

    [Fact]
    public void DecodeInet_Listener_BacklogIsNotASendQueue()
    {
        var msg = new byte[SockDiag.InetDiagMsgSize];
        msg[0] = SockDiag.AfInet6;
        msg[1] = TcpStates.Listen;
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(60), 4096);
        var s = SockDiag.DecodeInet(msg, SockDiag.IpProtoTcp)!;
        Assert.Equal(0u, s.SendQueue);
        Assert.True(s.IPv6);
        Assert.Equal(IPAddress.IPv6Any, s.LocalAddress);
        Assert.Null(s.BytesSent);
    }

    [Fact]
    public void DecodeUnix_PathWithNulPeerAndAbstract()
    {
        var msg = new byte[SockDiag.UnixDiagMsgSize];
        msg[0] = SockDiag.AfUnix;
        msg[1] = 1;
        msg[2] = TcpStates.Established;
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(4), 4190377);
        var peer = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(peer, 4190378);
        var u = SockDiag.DecodeUnix(msg.Concat(Attr(SockDiag.UnixDiagName, "/tmp/MSBuild1\0"u8.ToArray())).Concat(Attr(SockDiag.UnixDiagPeer, peer)).ToArray())!;
        Assert.Equal(4190377ul, u.Inode);
        Assert.Equal("/tmp/MSBuild1"u8.ToArray(), u.Path);
        Assert.Equal(4190378ul, u.PeerInode);
        Assert.Equal(UnixState.Connected, u.State);
        msg[2] = TcpStates.Listen;
        var a = SockDiag.DecodeUnix(msg.Concat(Attr(SockDiag.UnixDiagName, "\0x\ny"u8.ToArray())).ToArray())!;
        Assert.Equal("@x\ny"u8.ToArray(), a.Path);
        Assert.Equal(UnixState.Listen, a.State);
    }

    [Fact]
    public void Walk_ErrorMessage_ReturnsErrno()
    {
        var err = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(err, -2);
        Assert.Equal(SockDiag.Progress.Error, SockDiag.Walk(Message(SockDiag.NlmsgError, err), out int errno, _ => { }));
        Assert.Equal(2, errno);
        // A length running past the buffer is an error, never an out-of-range read.
        var bad = Message(SockDiag.SockDiagByFamily, new byte[8]);
        BinaryPrimitives.WriteUInt32LittleEndian(bad, 4000);
        Assert.Equal(SockDiag.Progress.Error, SockDiag.Walk(bad, out _, _ => { }));
    }
}
