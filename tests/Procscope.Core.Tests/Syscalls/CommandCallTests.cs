using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// Expected lines: strace 6.1 on Debian 12 for the same tracee calls (padding before " = " removed).
public sealed class CommandCallTests
{
    private const ulong P = 0x7ffc35e41f98;

    [Fact]
    public void Ioctl_NamesAndArguments()
    {
        var m = new FakeMemory().Put(P, new Bytes().U16(24).U16(80).U16(0).U16(0).Build()).Put(P + 0x100, new Bytes().U32(0).Build())
            .Put(P + 0x200, new Bytes().U32(0x500).U32(5).U32(0xbf).U32(0x8a3b).Zero(20).Build());
        Assert.Equal("ioctl(1, TIOCGWINSZ, 0x7ffc35e41f98) = -1 ENOTTY (Inappropriate ioctl for device)", X64("ioctl", -25, m, 1, 0x5413, P));
        Assert.Equal("ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0", X64("ioctl", 0, m, 1, 0x5413, P));
        Assert.Equal("ioctl(6, FIONREAD, [0]) = 0", X64("ioctl", 0, m, 6, 0x541b, P + 0x100));
        Assert.Equal("ioctl(6, FIOCLEX) = 0", X64("ioctl", 0, m, 6, 0x5451, 0));
        Assert.Equal("ioctl(0, TCGETS, {B38400 opost isig icanon echo ...}) = 0", X64("ioctl", 0, m, 0, 0x5401, P + 0x200));
        Assert.Equal("ioctl(6, _IOC(_IOC_READ, 0x58, 0x7, 0x4), 0x7ffc35e420fc) = -1 ENOTTY (Inappropriate ioctl for device)",
            X64("ioctl", -25, m, 6, 0x80045807, 0x7ffc35e420fc));
    }

    [Fact]
    public void Fcntl_CommandsAndFlagReturns()
    {
        var m = new FakeMemory().Put(P, new Bytes().U16(1).U16(0).I64(0).I64(0).I32(0).PadTo(32).Build());
        Assert.Equal("fcntl(6, F_GETFD) = 0x1 (flags FD_CLOEXEC)", X64("fcntl", 1, m, 6, 1));
        Assert.Equal("fcntl(6, F_SETFD, FD_CLOEXEC) = 0", X64("fcntl", 0, m, 6, 2, 1));
        Assert.Equal("fcntl(6, F_GETFL) = 0 (flags O_RDONLY)", X64("fcntl", 0, m, 6, 3));
        Assert.Equal("fcntl(6, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)", X64("fcntl", 0x8002, m, 6, 3));
        Assert.Equal("fcntl(6, F_SETFL, O_RDONLY|O_NONBLOCK) = 0", X64("fcntl", 0, m, 6, 4, 0x800));
        Assert.Equal("fcntl(6, F_DUPFD_CLOEXEC, 10) = 11", X64("fcntl", 11, m, 6, 1030, 10));
        Assert.Equal("fcntl(3, F_ADD_SEALS, F_SEAL_SHRINK) = 0", X64("fcntl", 0, m, 3, 1033, 2));
        Assert.Equal("fcntl(3, F_GET_SEALS) = 0x2 (seals F_SEAL_SHRINK)", X64("fcntl", 2, m, 3, 1034));
        Assert.Equal("fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = 0", X64("fcntl", 0, m, 3, 6, P));
    }

    [Fact]
    public void Prctl_Options()
    {
        var m = new FakeMemory().Put(P, Bytes.CStr("tr2")).Put(P + 0x100, new Bytes().U32(9).Build());
        Assert.Equal("prctl(PR_SET_NAME, \"tr2\") = 0", X64("prctl", 0, m, 15, P));
        Assert.Equal("prctl(PR_GET_NAME, \"tr2\") = 0", X64("prctl", 0, m, 16, P));
        Assert.Equal("prctl(PR_SET_PDEATHSIG, SIGKILL) = 0", X64("prctl", 0, m, 1, 9));
        Assert.Equal("prctl(PR_GET_PDEATHSIG, [SIGKILL]) = 0", X64("prctl", 0, m, 2, P + 0x100));
        Assert.Equal("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0", X64("prctl", 0, m, 38, 1, 0, 0, 0));
    }

    [Fact]
    public void Futex_Operations()
    {
        var m = new FakeMemory();
        Assert.Equal("futex(0x7ffd1234, FUTEX_WAKE_PRIVATE, 1) = 0", X64("futex", 0, m, 0x7ffd1234, 129, 1));
        Assert.Equal("futex(0x7ffd1234, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 1, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)",
            X64("futex", -11, m, 0x7ffd1234, 393, 1, 0, 0, 0xffffffff));
        Assert.Equal("futex(0x7ffd1234, FUTEX_WAIT_PRIVATE, 2, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
            X64("futex", -512, m, 0x7ffd1234, 128, 2, 0));
        Assert.Equal("futex(0x7ffd1234, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7ffd1238, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 1",
            X64("futex", 1, m, 0x7ffd1234, 133, 1, 1, 0x7ffd1238, 0x04000001));
    }

    [Fact]
    public void DescriptorCalls()
    {
        var m = new FakeMemory().Put(P, new Bytes().I32(6).I32(7).Build()).Put(P + 0x100, Bytes.CStr("mem"));
        Assert.Equal("pipe2([6, 7], 0) = 0", X64("pipe2", 0, m, P, 0));
        Assert.Equal("pipe2([6, 7], O_NONBLOCK|O_CLOEXEC) = 0", X64("pipe2", 0, m, P, 0x80800));
        Assert.Equal("dup3(3, 21, O_CLOEXEC) = 21", X64("dup3", 21, m, 3, 21, 0x80000));
        Assert.Equal("eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 3", X64("eventfd2", 3, m, 0, 0x80800));
        Assert.Equal("timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = 4", X64("timerfd_create", 4, m, 1, 0x80000));
        Assert.Equal("memfd_create(\"mem\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 8", X64("memfd_create", 8, m, P + 0x100, 3));
        Assert.Equal("flock(6, LOCK_EX|LOCK_NB) = 0", X64("flock", 0, m, 6, 6));
        Assert.Equal("getrandom(\"\\x74\\x24\\xa5\\x80\\x27\\x20\\x7c\\xcd\", 8, GRND_NONBLOCK) = 8",
            X64("getrandom", 8, new FakeMemory().Put(P, new byte[] { 0x74, 0x24, 0xa5, 0x80, 0x27, 0x20, 0x7c, 0xcd }), P, 8, 1));
    }
}
