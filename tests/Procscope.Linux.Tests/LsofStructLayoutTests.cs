using Procscope.Core.Files;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>
/// struct stat (Stat.X64.cs) and the sock_diag layouts Core's <see cref="SockDiag"/> decodes
/// (inet_diag_req_v2, inet_diag_msg, unix_diag_req/msg, tcp_info byte counters), against the
/// system headers with gcc. Skips without a C compiler.
/// </summary>
public sealed class LsofStructLayoutTests
{
    private const string Program = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <sys/stat.h>
        #include <sys/socket.h>
        #include <linux/tcp.h>
        #include <linux/netlink.h>
        #include <linux/sock_diag.h>
        #include <linux/inet_diag.h>
        #include <linux/unix_diag.h>
        int main(void) {
            printf("stat %zu %zu %zu %zu %zu %zu %zu %zu\n", sizeof(struct stat), offsetof(struct stat, st_dev), offsetof(struct stat, st_ino),
                   offsetof(struct stat, st_nlink), offsetof(struct stat, st_mode), offsetof(struct stat, st_uid),
                   offsetof(struct stat, st_rdev), offsetof(struct stat, st_size));
            printf("diag %zu %zu %zu %zu %zu\n", sizeof(struct nlmsghdr), sizeof(struct inet_diag_req_v2), sizeof(struct inet_diag_msg),
                   sizeof(struct unix_diag_req), sizeof(struct unix_diag_msg));
            printf("inetmsg %zu %zu %zu %zu %zu %zu\n", offsetof(struct inet_diag_msg, id.idiag_sport), offsetof(struct inet_diag_msg, id.idiag_src),
                   offsetof(struct inet_diag_msg, id.idiag_dst), offsetof(struct inet_diag_msg, idiag_rqueue),
                   offsetof(struct inet_diag_msg, idiag_wqueue), offsetof(struct inet_diag_msg, idiag_inode));
            printf("req %zu %zu %zu %zu\n", offsetof(struct inet_diag_req_v2, idiag_ext), offsetof(struct inet_diag_req_v2, idiag_states),
                   offsetof(struct unix_diag_req, udiag_states), offsetof(struct unix_diag_req, udiag_show));
            printf("tcpinfo %zu %zu\n", offsetof(struct tcp_info, tcpi_bytes_received), offsetof(struct tcp_info, tcpi_bytes_sent));
            printf("consts %d %d %d %d %d %d\n", SOCK_DIAG_BY_FAMILY, NETLINK_SOCK_DIAG, INET_DIAG_INFO, UNIX_DIAG_NAME, UNIX_DIAG_PEER, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER);
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layouts_MatchSystemHeaders()
    {
        var lines = CLayout.Measure(Program);
        Stat s = default;
        Assert.Equal(lines["stat"], new[]
        {
            sizeof(Stat), (int)((byte*)&s.st_dev - (byte*)&s), (int)((byte*)&s.st_ino - (byte*)&s), (int)((byte*)&s.st_nlink - (byte*)&s),
            (int)((byte*)&s.st_mode - (byte*)&s), (int)((byte*)&s.st_uid - (byte*)&s), (int)((byte*)&s.st_rdev - (byte*)&s), (int)((byte*)&s.st_size - (byte*)&s),
        });
        Assert.Equal(lines["diag"], new[] { SockDiag.NlmsgHeaderSize, SockDiag.InetDiagReqV2Size, SockDiag.InetDiagMsgSize, SockDiag.UnixDiagReqSize, SockDiag.UnixDiagMsgSize });
        // DecodeInet reads sport at 4, src at 8, dst at 24, rqueue 56, wqueue 60, inode 68.
        Assert.Equal(lines["inetmsg"], new[] { 4, 8, 24, 56, 60, 68 });
        // InetRequest writes idiag_ext at 2 and idiag_states at 4; UnixRequest states at 4 and show at 12 (after the 16-byte nlmsghdr).
        Assert.Equal(lines["req"], new[] { 2, 4, 4, 12 });
        Assert.Equal(lines["tcpinfo"], new[] { SockDiag.TcpInfoBytesReceived, SockDiag.TcpInfoBytesSent });
        Assert.Equal(lines["consts"], new[] { (int)SockDiag.SockDiagByFamily, LibC.NETLINK_SOCK_DIAG, (int)SockDiag.InetDiagInfo, (int)SockDiag.UnixDiagName, (int)SockDiag.UnixDiagPeer, (int)(SockDiag.UdiagShowName | SockDiag.UdiagShowPeer) });
    }
}
