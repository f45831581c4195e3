using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// Expected lines: strace 6.1 on Debian 12 for the same tracee calls (padding before " = " removed).
public sealed class NetworkSignalCallTests
{
    private const ulong A = 0x7ffc35e42000;

    [Fact]
    public void Socket_FamiliesTypesProtocols()
    {
        var m = new FakeMemory();
        Assert.Equal("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3", X64("socket", 3, m, 2, 0x80001, 6));
        Assert.Equal("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3", X64("socket", 3, m, 1, 0x80801, 0));
        Assert.Equal("socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 5", X64("socket", 5, m, 10, 2, 0));
        Assert.Equal("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3", X64("socket", 3, m, 16, 0x80003, 0));
    }

    [Fact]
    public void Connect_SockaddrForms()
    {
        var inet = new Bytes().U16(2).Raw(0, 9).Raw(127, 0, 0, 1).Zero(8).Build();
        var un = new Bytes().U16(1).Str("/tmp/nope\n").PadTo(110).Build();
        var abs = new Bytes().U16(1).Raw(0).Str("abs").Build();
        var in6 = new Bytes().U16(10).Raw(0, 53).U32(0).Zero(15).Raw(1).U32(0).Build();
        var nl = new Bytes().U16(16).U16(0).U32(0).U32(0).Build();
        var m = new FakeMemory().Put(A, inet).Put(A + 0x100, un).Put(A + 0x200, abs).Put(A + 0x300, in6).Put(A + 0x400, nl).Put(A + 0x500, "hi"u8);
        Assert.Equal("connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)",
            X64("connect", -111, m, 3, A, 16));
        Assert.Equal("connect(4, {sa_family=AF_UNIX, sun_path=\"/tmp/nope\\n\"}, 110) = -1 ENOENT (No such file or directory)",
            X64("connect", -2, m, 4, A + 0x100, 110));
        Assert.Equal("connect(4, {sa_family=AF_UNIX, sun_path=@\"abs\"}, 6) = -1 ECONNREFUSED (Connection refused)",
            X64("connect", -111, m, 4, A + 0x200, 6));
        Assert.Equal("sendto(5, \"hi\", 2, MSG_DONTWAIT, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 2",
            X64("sendto", 2, m, 5, A + 0x500, 2, 0x40, A + 0x300, 28));
        Assert.Equal("bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0", X64("bind", 0, m, 3, A + 0x400, 12));
    }

    [Fact]
    public void Getsockname_LengthInOut()
    {
        var inet = new Bytes().U16(2).Raw(0, 9).Raw(127, 0, 0, 1).Zero(8).Build();
        var m = new FakeMemory().Put(A, inet).Put(A + 0x100, new Bytes().U32(16).Build());
        var c = Call(SyscallAbi.X64, 51, 0, 3, A, A + 0x100);
        var d = new SyscallDecoder(new DecodeOptions());
        var before = new FakeMemory().Put(A, inet).Put(A + 0x100, new Bytes().U32(128).Build());
        d.OnEntry(c, before);
        c.ReturnValue = 0;
        d.OnExit(c, m);
        Assert.Equal("getsockname(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0", Render(c));
        Assert.Equal("getsockname(0, 0x7ffc35e42000, [16]) = -1 ENOTSOCK (Socket operation on non-socket)", X64("getsockname", -88, m, 0, A, A + 0x100));
    }

    [Fact]
    public void Sockopts_And_Msghdr()
    {
        var iov = new Bytes().U64(A + 0x200).U64(2).U64(A + 0x210).U64(3).Build();
        var msg = new Bytes().U64(0).U32(0).U32(0).U64(A + 0x100).U64(2).U64(0).U64(0).U32(0).U32(0).Build();
        var m = new FakeMemory().Put(A, new Bytes().U32(1).Build()).Put(A + 0x100, iov).Put(A + 0x200, "ab"u8).Put(A + 0x210, "cde"u8)
            .Put(A + 0x300, msg).Put(A + 0x400, new Bytes().U32(4).Build());
        Assert.Equal("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0", X64("setsockopt", 0, m, 3, 1, 2, A, 4));
        Assert.Equal("getsockopt(3, SOL_SOCKET, SO_ERROR, [1], [4]) = 0", X64("getsockopt", 0, m, 3, 1, 4, A, A + 0x400));
        Assert.Equal("setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0", X64("setsockopt", 0, m, 3, 6, 1, A, 4));
        Assert.Equal("sendmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = -1 ENOTCONN (Transport endpoint is not connected)",
            X64("sendmsg", -107, m, 4, A + 0x300, 0));
        Assert.Equal("writev(7, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], 2) = 5", X64("writev", 5, m, 7, A + 0x100, 2));
    }

    [Fact]
    public void Readv_DataSplitByTheReturnedLength()
    {
        var iov = new Bytes().U64(A + 0x200).U64(2).U64(A + 0x210).U64(8).Build();
        var m = new FakeMemory().Put(A, iov).Put(A + 0x200, "yz"u8).Put(A + 0x210, "abcde\0\0\0"u8);
        Assert.Equal("readv(6, [{iov_base=\"yz\", iov_len=2}, {iov_base=\"abcde\", iov_len=8}], 2) = 7", X64("readv", 7, m, 6, A, 2));
    }

    [Fact]
    public void Poll_TimeoutAndRevents()
    {
        var entry = new Bytes().I32(6).U16(1).U16(0).I32(7).U16(6).U16(0).Build();
        var exit = new Bytes().I32(6).U16(1).U16(1).I32(7).U16(6).U16(4).Build();
        var c = Call(SyscallAbi.X64, 7, 2, A, 2, 100);
        var d = new SyscallDecoder(new DecodeOptions());
        d.OnEntry(c, new FakeMemory().Put(A, entry));
        c.ReturnValue = 2;
        d.OnExit(c, new FakeMemory().Put(A, exit));
        Assert.Equal("poll([{fd=6, events=POLLIN}, {fd=7, events=POLLPRI|POLLOUT}], 2, 100) = 2 ([{fd=6, revents=POLLIN}, {fd=7, revents=POLLOUT}])", Render(c));
        Assert.Equal("poll([{fd=6, events=POLLIN}], 1, 0) = 0 (Timeout)", X64("poll", 0, new FakeMemory().Put(A, entry), A, 1, 0));
    }

    [Fact]
    public void Pselect6_SetsAndLeftTime()
    {
        var set = new Bytes().U64(1 << 6).Build();
        var m = new FakeMemory().Put(A, set).Put(A + 0x100, new Bytes().I64(1).I64(5000).Build());
        Assert.Equal("pselect6(7, [6], NULL, NULL, {tv_sec=1, tv_nsec=5000}, NULL) = 0 (Timeout)", X64("pselect6", 0, m, 7, A, 0, 0, A + 0x100, 0));
        Assert.Equal("pselect6(7, [6], NULL, NULL, {tv_sec=1, tv_nsec=5000}, NULL) = 1 (in [6], left {tv_sec=1, tv_nsec=5000})", X64("pselect6", 1, m, 7, A, 0, 0, A + 0x100, 0));
    }

    [Fact]
    public void Epoll_EventsAndData()
    {
        var ev = new Bytes().U32(0x80000001).U64(0x100000005).Build();
        var m = new FakeMemory().Put(A, ev).Put(A + 0x100, new Bytes().U32(1).U64(0x100000005).Build());
        Assert.Equal("epoll_create1(EPOLL_CLOEXEC) = 8", X64("epoll_create1", 8, m, 0x80000));
        Assert.Equal("epoll_ctl(8, EPOLL_CTL_ADD, 6, {events=EPOLLIN|EPOLLET, data={u32=5, u64=4294967301}}) = 0", X64("epoll_ctl", 0, m, 8, 1, 6, A));
        Assert.Equal("epoll_wait(8, [{events=EPOLLIN, data={u32=5, u64=4294967301}}], 4, -1) = 1", X64("epoll_wait", 1, m, 8, A + 0x100, 4, 0xffffffff));
        Assert.Equal("epoll_wait(8, [], 4, 0) = 0", X64("epoll_wait", 0, m, 8, A + 0x100, 4, 0));
    }

    [Fact]
    public void RtSigaction_And_Masks()
    {
        var act = new Bytes().U64(0x1234).U64(0x14000004).U64(0x7fe9ab15e050).U64(1UL << 9).Build();
        var old = new Bytes().U64(0).U64(0).U64(0).U64(0).Build();
        var m = new FakeMemory().Put(A, act).Put(A + 0x100, old);
        Assert.Equal("rt_sigaction(SIGUSR2, {sa_handler=0x1234, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x7fe9ab15e050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
            X64("rt_sigaction", 0, m, 12, A, A + 0x100, 8));
        var set = new FakeMemory().Put(A, new Bytes().U64((1UL << 1) | (1UL << 16) | (1UL << 33) | (1UL << 63)).Build())
            .Put(A + 0x100, new Bytes().U64(~((1UL << 31) | (1UL << 32))).Build());
        Assert.Equal("rt_sigprocmask(SIG_BLOCK, [INT CHLD RT_2 RT_32], NULL, 8) = 0", X64("rt_sigprocmask", 0, set, 0, A, 0, 8));
        Assert.Equal("rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0", X64("rt_sigprocmask", 0, set, 0, A + 0x100, 0, 8));
        Assert.Equal("kill(22046, SIGRT_2) = 0", X64("kill", 0, set, 22046, 34));
        Assert.Equal("kill(22046, 99) = -1 EINVAL (Invalid argument)", X64("kill", -22, set, 22046, 99));
        Assert.Equal("tgkill(1, 2, SIGABRT) = 0", X64("tgkill", 0, set, 1, 2, 6));
    }

    [Fact]
    public void Siginfo_Lines()
    {
        var chld = new Bytes().I32(17).I32(0).I32(1).I32(0).I32(30413).U32(0).I32(0).I32(0).I64(0).I64(0).PadTo(128).Build();
        Assert.Equal("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=30413, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
            SignalFormatter.FormatSignalLine(chld));
        var killedChld = new Bytes().I32(17).I32(0).I32(2).I32(0).I32(19745).U32(0).I32(15).I32(0).I64(1).I64(2).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=19745, si_uid=0, si_status=SIGTERM, si_utime=1, si_stime=2}", SignalFormatter.FormatSiginfo(killedChld));
        var segv = new Bytes().I32(11).I32(0).I32(1).I32(0).U64(0x10).PadTo(128).Build();
        Assert.Equal("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---", SignalFormatter.FormatSignalLine(segv));
        var kernel = new Bytes().I32(11).I32(0).I32(0x80).I32(0).U64(0).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL}", SignalFormatter.FormatSiginfo(kernel));
        var user = new Bytes().I32(32).I32(0).I32(0).I32(0).I32(22046).U32(0).PadTo(128).Build();
        Assert.Equal("--- SIGRTMIN {si_signo=SIGRTMIN, si_code=SI_USER, si_pid=22046, si_uid=0} ---", SignalFormatter.FormatSignalLine(user));
        var tkill = new Bytes().I32(6).I32(0).I32(-6).I32(0).I32(1).U32(1000).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=1, si_uid=1000}", SignalFormatter.FormatSiginfo(tkill));
        var kill9 = new Bytes().I32(9).I32(0).I32(0x80).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGKILL, si_code=SI_KERNEL}", SignalFormatter.FormatSiginfo(kill9));
        // A SIGCHLD the kernel sends itself (strace -e inject=…:signal=SIGCHLD) still shows its fields, as strace 6.1 does.
        var kernelChld = new Bytes().I32(17).I32(0).I32(0x80).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGCHLD, si_code=SI_KERNEL, si_pid=0, si_uid=0, si_status=0, si_utime=0, si_stime=0}", SignalFormatter.FormatSiginfo(kernelChld));
    }

    [Fact]
    public void Siginfo_I386ChldLayout()
    {
        // i386: the union starts at 12; si_utime/si_stime are 32-bit longs after si_status.
        var chld = new Bytes().I32(17).I32(0).I32(1).I32(42).U32(1000).I32(7).I32(3).I32(4).PadTo(128).Build();
        Assert.Equal("{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=1000, si_status=7, si_utime=3, si_stime=4}", SignalFormatter.FormatSiginfo(chld, i386: true));
    }

    [Fact]
    public void SignalNames()
    {
        Assert.Equal("SIGHUP", SignalFormatter.Name(1));
        Assert.Equal("SIGSYS", SignalFormatter.Name(31));
        Assert.Equal("SIGRTMIN", SignalFormatter.Name(32));
        Assert.Equal("SIGRT_32", SignalFormatter.Name(64));
        Assert.Null(SignalFormatter.Name(65));
        Assert.True(SignalFormatter.TryParse("chld", out int s) && s == 17);
        Assert.True(SignalFormatter.TryParse("SIGKILL", out s) && s == 9);
        Assert.True(SignalFormatter.TryParse("15", out s) && s == 15);
        Assert.False(SignalFormatter.TryParse("NOPE", out _));
    }
}
