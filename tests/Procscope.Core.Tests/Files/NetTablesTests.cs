using System.Net;
using Procscope.Core.Files;
using Procscope.Core.Parsing;

namespace Procscope.Core.Tests.Files;

public sealed class NetTablesTests
{
    [Fact]
    public void NetInet_TcpListener_LittleEndianAddressBigEndianPort()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/net/tcp with holdfds' listener on 127.0.0.1:55497
        var list = NetInet.Parse(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"u8 +
            "   0: 0100007F:D8C9 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 4186048 1 000000008a557407 100 0 0 10 0\n"u8 +
            "   1: 0100007F:C632 0100007F:D8C9 01 00000005:00000000 00:00000000 00000000     0        0 4186049 1 0000000000000000 20 4 30 10 -1\n"u8,
            "TCP", false);
        Assert.Equal(2, list.Count);
        var l = list[0];
        Assert.Equal(IPAddress.Loopback, l.LocalAddress);
        Assert.Equal(55497, l.LocalPort);
        Assert.Equal(IPAddress.Any, l.RemoteAddress);
        Assert.Equal(0, l.RemotePort);
        Assert.Equal(TcpStates.Listen, l.State);
        Assert.Equal("LISTEN", TcpStates.Name(l.State));
        Assert.Equal(2u, l.ReceiveQueue);
        Assert.Equal(0u, l.SendQueue);
        Assert.Equal(4186048ul, l.Inode);
        Assert.False(l.HasRemote);
        Assert.Null(l.BytesSent);
        var c = list[1];
        Assert.Equal(50738, c.LocalPort);
        Assert.Equal(55497, c.RemotePort);
        Assert.Equal(5u, c.SendQueue);
        Assert.Equal("ESTABLISHED", TcpStates.Name(c.State));
        Assert.True(c.HasRemote);
    }

    [Fact]
    public void NetInet_Udp6_FourHostOrderWords()
    {
        var list = NetInet.Parse(
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"u8 +
            "  10: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   100        0 777 2 0000000000000000 0\n"u8,
            "UDP", true);
        var s = Assert.Single(list);
        Assert.Equal(IPAddress.IPv6Loopback, s.LocalAddress);
        Assert.Equal(53, s.LocalPort);
        Assert.True(s.IPv6);
        Assert.Equal("UDP", s.Protocol);
        Assert.Equal(777ul, s.Inode);
    }

    [Fact]
    public void NetInet_TruncatedAddress_FormatError()
    {
        Assert.Throws<ProcFormatException>(() => NetInet.Parse("header\n   0: 0100:D8C9 00000000:0000 0A 0:0 0:0 0 0 0 1\n"u8, "TCP", false));
    }

    [Fact]
    public void NetUnix_ConnectedListeningAbstractAndNewlineName()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/net/unix; the last path holds a newline
        var list = NetUnix.Parse(
            "Num       RefCount Protocol Flags    Type St Inode Path\n"u8 +
            "000000006db93e76: 00000003 00000000 00000000 0001 03 4186046\n"u8 +
            "00000000d4c498a7: 00000002 00000000 00010000 0001 01 4190335 /tmp/efe4ee85\n"u8 +
            "0000000011111111: 00000002 00000000 00000000 0002 01 55 @abstract name\n"u8 +
            "0000000022222222: 00000002 00000000 00010000 0005 01 56 /tmp/new\n"u8 +
            "line\n"u8);
        Assert.Equal(4, list.Count);
        Assert.Equal("0x000000006db93e76", list[0].KernelAddress);
        Assert.Equal(UnixState.Connected, list[0].State);
        Assert.Equal("STREAM", list[0].TypeName);
        Assert.Null(list[0].Path);
        Assert.Equal(UnixState.Listen, list[1].State);
        Assert.Equal("/tmp/efe4ee85"u8.ToArray(), list[1].Path);
        Assert.Equal("DGRAM", list[2].TypeName);
        Assert.Equal("UNCONNECTED", list[2].StateName);
        Assert.Equal("@abstract name"u8.ToArray(), list[2].Path);
        Assert.Equal("SEQPACKET", list[3].TypeName);
        Assert.Equal("/tmp/new\nline"u8.ToArray(), list[3].Path);
    }

    [Fact]
    public void NetNetlink_ProtocolPortAndInode()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/net/netlink
        var list = NetNetlink.Parse(
            "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"u8 +
            "000000009254c205 0   0          00000000 0        0        0     2        0        4       \n"u8 +
            "00000000169d9858 15  1234       00000001 0        0        0     2        0        473     \n"u8);
        Assert.Equal(2, list.Count);
        Assert.Equal("ROUTE", list[0].ProtocolName);
        Assert.Equal(4ul, list[0].Inode);
        Assert.Equal("KOBJECT_UEVENT", list[1].ProtocolName);
        Assert.Equal(1234u, list[1].PortId);
        Assert.Equal(473ul, list[1].Inode);
    }

    [Fact]
    public void MountInfo_EscapedMountPointAndLongestPrefix()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/mountinfo, plus a FUSE mount with a space
        var m = MountInfo.Parse(
            "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"u8 +
            "22 27 0:21 / /proc rw,relatime - proc proc rw\n"u8 +
            "40 27 0:50 / /mnt/my\\040fuse rw,nosuid master:3 - fuse.sshfs host:/ rw\n"u8);
        Assert.Equal(3, m.Mounts.Count);
        Assert.Equal(27, m.Mounts[0].MountId);
        Assert.Equal(254u, m.Mounts[0].Major);
        Assert.Equal("ext4", m.Mounts[0].FsType);
        Assert.False(m.Mounts[0].IsRemoteOrFuse);
        Assert.Equal("/mnt/my fuse"u8.ToArray(), m.Mounts[2].MountPoint);
        Assert.True(m.Mounts[2].IsRemoteOrFuse);
        Assert.Equal(40, m.Containing("/mnt/my fuse/a/b"u8)!.MountId);
        Assert.Equal(27, m.Containing("/mnt/my fusex"u8)!.MountId);
        Assert.Equal(22, m.Containing("/proc"u8)!.MountId);
    }
}
