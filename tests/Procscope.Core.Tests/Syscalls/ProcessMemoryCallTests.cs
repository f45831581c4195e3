using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// Expected lines: strace 6.1 on Debian 12 for the same tracee calls (padding before " = " removed).
public sealed class ProcessMemoryCallTests
{
    private static readonly FakeMemory None = new();

    [Fact]
    public void Mmap_FlagsOffsetAndHexReturn()
    {
        Assert.Equal("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6255c3d000",
            X64("mmap", 0x7f6255c3d000, None, 0, 8192, 3, 0x22, 0xffffffff, 0));
        Assert.Equal("mmap(0x7f6255a00000, 1413120, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x28000) = 0x7f6255a00000",
            X64("mmap", 0x7f6255a00000, None, 0x7f6255a00000, 1413120, 5, 0x812, 3, 0x28000));
        Assert.Equal("mmap(0x10000, 4096, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EPERM (Operation not permitted)",
            X64("mmap", -1, None, 0x10000, 4096, 1, 0x100021, 0xffffffff, 0));
        Assert.Equal("mprotect(0x7f6255c3d000, 4096, PROT_NONE) = 0", X64("mprotect", 0, None, 0x7f6255c3d000, 4096, 0));
        Assert.Equal("madvise(0x7f6255c3d000, 8192, MADV_DONTNEED) = 0", X64("madvise", 0, None, 0x7f6255c3d000, 8192, 4));
        Assert.Equal("brk(NULL) = 0x55d4e5c4a000", X64("brk", 0x55d4e5c4a000, None, 0));
        Assert.Equal("munmap(0x7f6255c34000, 36231) = 0", X64("munmap", 0, None, 0x7f6255c34000, 36231));
    }

    [Fact]
    public void Execve_ArgvAndEnvpCount()
    {
        const ulong argv = 0x7ffd0100, envp = 0x7ffd0200;
        var m = new FakeMemory()
            .Put(0x7ffd0000, Bytes.CStr("/bin/true"))
            .Put(argv, new Bytes().U64(0x7ffd0300).U64(0x7ffd0310).U64(0x7ffd0320).U64(0).Build())
            .Put(0x7ffd0300, Bytes.CStr("true")).Put(0x7ffd0310, Bytes.CStr("a\nb")).Put(0x7ffd0320, new byte[] { 0xff, 0xfe, 0 })
            .Put(envp, new Bytes().U64(0x7ffd0330).U64(0).Build()).Put(0x7ffd0330, Bytes.CStr("A=1"));
        Assert.Equal("execve(\"/bin/true\", [\"true\", \"a\\nb\", \"\\377\\376\"], 0x7ffd0200 /* 1 var */) = 0",
            X64("execve", 0, m, 0x7ffd0000, argv, envp));
        Assert.Equal("execve(\"/bin/true\", [\"true\", \"a\\nb\", \"\\377\\376\"], [\"A=1\"]) = 0",
            X64(new DecodeOptions { Verbose = true }, "execve", 0, m, 0x7ffd0000, argv, envp));
        Assert.Equal("execve(\"\\x2f\\x62\\x69\\x6e\\x2f\\x74\\x72\\x75\\x65\", [\"\\x74\\x72\\x75\\x65\", \"\\x61\\x0a\\x62\", \"\\xff\\xfe\"], 0x7ffd0200 /* 1 var */) = 0",
            X64(new DecodeOptions { Hex = HexStrings.All }, "execve", 0, m, 0x7ffd0000, argv, envp));
    }

    [Fact]
    public void Execve_ArgvLongerThanStringLimit_IsAbbreviated()
    {
        var b = new Bytes();
        for (int i = 0; i < 4; i++)
            b.U64(0x7ffd0300);
        b.U64(0);
        var m = new FakeMemory().Put(0x7ffd0000, Bytes.CStr("/bin/echo")).Put(0x7ffd0100, b.Build()).Put(0x7ffd0300, Bytes.CStr("abcdef"));
        Assert.Equal("execve(\"/bin/echo\", [\"abc\"..., \"abc\"..., \"abc\"..., ...], NULL) = 0",
            X64(new DecodeOptions { StringLimit = 3 }, "execve", 0, m, 0x7ffd0000, 0x7ffd0100, 0));
    }

    [Fact]
    public void Clone_ForkFlagsAndChildTid()
    {
        Assert.Equal("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f6255c42a10) = 19744",
            X64("clone", 19744, None, 0x01200011, 0, 0, 0x7f6255c42a10, 0));
    }

    [Fact]
    public void Clone3_ShowsParentTidAtExit()
    {
        var args = new Bytes().U64(0x3d0f00).U64(0).U64(0x7f00aa0910).U64(0x7f00aa0910).U64(0).U64(0x7f00a9f000).U64(0x7fff00).U64(0x7f00aa06c0).PadTo(88).Build();
        var m = new FakeMemory().Put(0x7ffd5000, args).Put(0x7f00aa0910, new Bytes().U32(32048).Build());
        Assert.Equal("clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f00aa0910, parent_tid=0x7f00aa0910, exit_signal=0, stack=0x7f00a9f000, stack_size=0x7fff00, tls=0x7f00aa06c0} => {parent_tid=[32048]}, 88) = 32048",
            X64("clone3", 32048, m, 0x7ffd5000, 88));
    }

    [Fact]
    public void Wait4_StatusForms()
    {
        var exited = new FakeMemory().Put(0x7ffd0000, new Bytes().U32(3 << 8).Build());
        Assert.Equal("wait4(19744, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 19744", X64("wait4", 19744, exited, 19744, 0x7ffd0000, 0, 0));
        var killed = new FakeMemory().Put(0x7ffd0000, new Bytes().U32(15).Build());
        Assert.Equal("wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 7", X64("wait4", 7, killed, Neg(-1), 0x7ffd0000, 0, 0));
        var core = new FakeMemory().Put(0x7ffd0000, new Bytes().U32(0x8b).Build());
        Assert.Equal("wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], WNOHANG|__WALL, NULL) = 7",
            X64("wait4", 7, core, Neg(-1), 0x7ffd0000, 0x40000001, 0));
        Assert.Equal("wait4(-1, 0x7ffd0000, WNOHANG, NULL) = -1 ECHILD (No child processes)", X64("wait4", -10, core, Neg(-1), 0x7ffd0000, 1, 0));
    }

    [Fact]
    public void ExitGroup_And_ProcessIds()
    {
        var c = Call(SyscallAbi.X64, 231, 0, 0);
        var d = new SyscallDecoder(new DecodeOptions());
        d.OnEntry(c, None);
        Assert.Equal("exit_group", c.Name);
        Assert.Equal("0", c.Arguments[0].Text);
        Assert.Equal("getpid() = 22046", X64("getpid", 22046, None));
        Assert.Equal("set_tid_address(0x7fb2fbd42a10) = 30412", X64("set_tid_address", 30412, None, 0x7fb2fbd42a10));
        Assert.Equal("set_robust_list(0x7fb2fbd42a20, 24) = 0", X64("set_robust_list", 0, None, 0x7fb2fbd42a20, 24));
        Assert.Equal("rseq(0x7fb2fbd43060, 0x20, 0, 0x53053053) = 0", X64("rseq", 0, None, 0x7fb2fbd43060, 0x20, 0, 0x53053053));
        Assert.Equal("arch_prctl(ARCH_SET_FS, 0x7fb2fbd42740) = 0", X64("arch_prctl", 0, None, 0x1002, 0x7fb2fbd42740));
        Assert.Equal("arch_prctl(0x3001 /* ARCH_??? */, 0x7ffe2d1bca40) = -1 EINVAL (Invalid argument)", X64("arch_prctl", -22, None, 0x3001, 0x7ffe2d1bca40));
    }

    [Fact]
    public void Resources_Limits()
    {
        var m = new FakeMemory().Put(0x7ffd0000, new Bytes().U64(8192 * 1024).U64(ulong.MaxValue).Build())
            .Put(0x7ffd0100, new Bytes().U64(1024).U64(524288).Build());
        Assert.Equal("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0", X64("prlimit64", 0, m, 0, 3, 0, 0x7ffd0000));
        Assert.Equal("getrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=512*1024}) = 0", X64("getrlimit", 0, m, 7, 0x7ffd0100));
        Assert.Equal("setrlimit(RLIMIT_CORE, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0", X64("setrlimit", 0, m, 4, 0x7ffd0000));
    }

    [Fact]
    public void Uname_AbbreviatedUnlessVerbose()
    {
        var u = new Bytes().Str("Linux").PadTo(65).Str("host").PadTo(130).Str("6.1.0").PadTo(195).Str("#1 SMP").PadTo(260).Str("x86_64").PadTo(325).Str("(none)").PadTo(390).Build();
        var m = new FakeMemory().Put(0x7ffd0000, u);
        Assert.Equal("uname({sysname=\"Linux\", nodename=\"host\", ...}) = 0", X64("uname", 0, m, 0x7ffd0000));
        Assert.Equal("uname({sysname=\"Linux\", nodename=\"host\", release=\"6.1.0\", version=\"#1 SMP\", machine=\"x86_64\", domainname=\"(none)\"}) = 0",
            X64(new DecodeOptions { Verbose = true }, "uname", 0, m, 0x7ffd0000));
    }

    [Fact]
    public void Time_Structures()
    {
        var m = new FakeMemory().Put(0x7ffd0000, new Bytes().I64(0).I64(1000).Build())
            .Put(0x7ffd0100, new Bytes().I64(0).I64(0).I64(5).I64(0).Build())
            .Put(0x7ffd0200, new Bytes().U64(0).U64(0).U64(0).U64(0).Build());
        Assert.Equal("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0", X64("nanosleep", 0, m, 0x7ffd0000, 0));
        Assert.Equal("nanosleep({tv_sec=0, tv_nsec=1000}, 0x7ffd0000) = 0", X64("nanosleep", 0, m, 0x7ffd0000, 0x7ffd0000));
        Assert.Equal("nanosleep({tv_sec=0, tv_nsec=1000}, {tv_sec=0, tv_nsec=1000}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)",
            X64("nanosleep", -516, m, 0x7ffd0000, 0x7ffd0000));
        Assert.Equal("clock_gettime(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1000}) = 0", X64("clock_gettime", 0, m, 1, 0x7ffd0000));
        Assert.Equal("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0", X64("clock_nanosleep", 0, m, 0, 0, 0x7ffd0000, 0));
        Assert.Equal("timerfd_settime(4, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, NULL) = 0",
            X64("timerfd_settime", 0, m, 4, 0, 0x7ffd0100, 0));
        Assert.Equal("times({tms_utime=0, tms_stime=0, tms_cutime=0, tms_cstime=0}) = 1718999478", X64("times", 1718999478, m, 0x7ffd0200));
    }

    [Fact]
    public void Sched_Affinity_And_Policy()
    {
        var m = new FakeMemory().Put(0x7ffd0000, new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 });
        Assert.Equal("sched_getaffinity(0, 128, [0 1]) = 8", X64("sched_getaffinity", 8, m, 0, 128, 0x7ffd0000));
        Assert.Equal("sched_getscheduler(0) = 0 (SCHED_OTHER)", X64("sched_getscheduler", 0, m, 0));
        Assert.Equal("sched_yield() = 0", X64("sched_yield", 0, m));
    }
}
