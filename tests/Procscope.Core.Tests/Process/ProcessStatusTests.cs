using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessStatusTests
{
    // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/status of cat(1), running as root
    private static ReadOnlySpan<byte> CatSelf =>
        "Name:\tcat\n"u8 +
        "Umask:\t0022\n"u8 +
        "State:\tR (running)\n"u8 +
        "Tgid:\t6817\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t6817\n"u8 +
        "PPid:\t6815\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t0\t0\t0\t0\n"u8 +
        "Gid:\t0\t0\t0\t0\n"u8 +
        "FDSize:\t256\n"u8 +
        "Groups:\t \n"u8 +
        "NStgid:\t6817\n"u8 +
        "NSpid:\t6817\n"u8 +
        "NSpgid:\t6815\n"u8 +
        "NSsid:\t2368\n"u8 +
        "Kthread:\t0\n"u8 +
        "VmPeak:\t    3060 kB\n"u8 +
        "VmSize:\t    3060 kB\n"u8 +
        "VmLck:\t       0 kB\n"u8 +
        "VmPin:\t       0 kB\n"u8 +
        "VmHWM:\t    1752 kB\n"u8 +
        "VmRSS:\t    1752 kB\n"u8 +
        "RssAnon:\t     112 kB\n"u8 +
        "RssFile:\t    1640 kB\n"u8 +
        "RssShmem:\t       0 kB\n"u8 +
        "VmData:\t     360 kB\n"u8 +
        "VmStk:\t     132 kB\n"u8 +
        "VmExe:\t      20 kB\n"u8 +
        "VmLib:\t    1528 kB\n"u8 +
        "VmPTE:\t      48 kB\n"u8 +
        "VmSwap:\t       0 kB\n"u8 +
        "HugetlbPages:\t       0 kB\n"u8 +
        "CoreDumping:\t0\n"u8 +
        "THP_enabled:\t1\n"u8 +
        "untag_mask:\t0xffffffffffffffff\n"u8 +
        "Threads:\t1\n"u8 +
        "SigQ:\t0/96365\n"u8 +
        "SigPnd:\t0000000000000000\n"u8 +
        "ShdPnd:\t0000000000000000\n"u8 +
        "SigBlk:\t0000000000000000\n"u8 +
        "SigIgn:\t0000000000000000\n"u8 +
        "SigCgt:\t0000000000000000\n"u8 +
        "CapInh:\t0000000000000000\n"u8 +
        "CapPrm:\t000001fffeffffff\n"u8 +
        "CapEff:\t000001fffeffffff\n"u8 +
        "CapBnd:\t000001fffeffffff\n"u8 +
        "CapAmb:\t0000000000000000\n"u8 +
        "NoNewPrivs:\t0\n"u8 +
        "Seccomp:\t0\n"u8 +
        "Seccomp_filters:\t0\n"u8 +
        "Speculation_Store_Bypass:\tvulnerable\n"u8 +
        "SpeculationIndirectBranch:\talways enabled\n"u8 +
        "Cpus_allowed:\t3\n"u8 +
        "Cpus_allowed_list:\t0-1\n"u8 +
        "Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000001\n"u8 +
        "Mems_allowed_list:\t0\n"u8 +
        "voluntary_ctxt_switches:\t1\n"u8 +
        "nonvoluntary_ctxt_switches:\t0\n"u8;

    // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/status of a C program that set its name
    // with prctl(PR_SET_NAME, "t\\ab\nx"), umask(077), setgroups({4, 24, 4294967294}),
    // PR_SET_NO_NEW_PRIVS, a seccomp filter, ignored/caught signals, blocked SIGUSR2/SIGWINCH/SIGRTMIN+1
    // and then sent itself SIGUSR2 (kill: process-wide) and SIGWINCH, SIGRTMIN+1 (tgkill: thread).
    private static ReadOnlySpan<byte> HostileSelf =>
        "Name:\tt\\\\ab\\nx\n"u8 +
        "Umask:\t0077\n"u8 +
        "State:\tR (running)\n"u8 +
        "Tgid:\t5532\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t5532\n"u8 +
        "PPid:\t5483\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t0\t0\t0\t0\n"u8 +
        "Gid:\t0\t0\t0\t0\n"u8 +
        "FDSize:\t256\n"u8 +
        "Groups:\t4 24 4294967294 \n"u8 +
        "NStgid:\t5532\n"u8 +
        "NSpid:\t5532\n"u8 +
        "NSpgid:\t5483\n"u8 +
        "NSsid:\t2368\n"u8 +
        "Kthread:\t0\n"u8 +
        "VmPeak:\t    2476 kB\n"u8 +
        "VmSize:\t    2476 kB\n"u8 +
        "VmLck:\t       0 kB\n"u8 +
        "VmPin:\t       0 kB\n"u8 +
        "VmHWM:\t    1492 kB\n"u8 +
        "VmRSS:\t    1492 kB\n"u8 +
        "RssAnon:\t     104 kB\n"u8 +
        "RssFile:\t    1388 kB\n"u8 +
        "RssShmem:\t       0 kB\n"u8 +
        "VmData:\t     224 kB\n"u8 +
        "VmStk:\t     132 kB\n"u8 +
        "VmExe:\t       4 kB\n"u8 +
        "VmLib:\t    1528 kB\n"u8 +
        "VmPTE:\t      48 kB\n"u8 +
        "VmSwap:\t       0 kB\n"u8 +
        "HugetlbPages:\t       0 kB\n"u8 +
        "CoreDumping:\t0\n"u8 +
        "THP_enabled:\t1\n"u8 +
        "untag_mask:\t0xffffffffffffffff\n"u8 +
        "Threads:\t1\n"u8 +
        "SigQ:\t3/96365\n"u8 +
        "SigPnd:\t0000000408000000\n"u8 +
        "ShdPnd:\t0000000000000800\n"u8 +
        "SigBlk:\t0000000408000800\n"u8 +
        "SigIgn:\t0000000000001200\n"u8 +
        "SigCgt:\t0000000000004002\n"u8 +
        "CapInh:\t0000000000000000\n"u8 +
        "CapPrm:\t000001fffeffffff\n"u8 +
        "CapEff:\t000001fffeffffff\n"u8 +
        "CapBnd:\t000001fffeffffff\n"u8 +
        "CapAmb:\t0000000000000000\n"u8 +
        "NoNewPrivs:\t1\n"u8 +
        "Seccomp:\t2\n"u8 +
        "Seccomp_filters:\t1\n"u8 +
        "Speculation_Store_Bypass:\tvulnerable\n"u8 +
        "SpeculationIndirectBranch:\talways enabled\n"u8 +
        "Cpus_allowed:\t3\n"u8 +
        "Cpus_allowed_list:\t0-1\n"u8 +
        "Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000001\n"u8 +
        "Mems_allowed_list:\t0\n"u8 +
        "voluntary_ctxt_switches:\t0\n"u8 +
        "nonvoluntary_ctxt_switches:\t0\n"u8;

    // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/status (kthreadd, a kernel thread)
    private static ReadOnlySpan<byte> Kthreadd =>
        "Name:\tkthreadd\n"u8 +
        "Umask:\t0022\n"u8 +
        "State:\tS (sleeping)\n"u8 +
        "Tgid:\t2\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t2\n"u8 +
        "PPid:\t0\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t0\t0\t0\t0\n"u8 +
        "Gid:\t0\t0\t0\t0\n"u8 +
        "FDSize:\t64\n"u8 +
        "Groups:\t \n"u8 +
        "NStgid:\t2\n"u8 +
        "NSpid:\t2\n"u8 +
        "NSpgid:\t0\n"u8 +
        "NSsid:\t0\n"u8 +
        "Kthread:\t1\n"u8 +
        "Threads:\t1\n"u8 +
        "SigQ:\t0/96365\n"u8 +
        "SigPnd:\t0000000000000000\n"u8 +
        "ShdPnd:\t0000000000000000\n"u8 +
        "SigBlk:\t0000000000000000\n"u8 +
        "SigIgn:\tffffffffffffffff\n"u8 +
        "SigCgt:\t0000000000000000\n"u8 +
        "CapInh:\t0000000000000000\n"u8 +
        "CapPrm:\t000001ffffffffff\n"u8 +
        "CapEff:\t000001ffffffffff\n"u8 +
        "CapBnd:\t000001ffffffffff\n"u8 +
        "CapAmb:\t0000000000000000\n"u8 +
        "NoNewPrivs:\t0\n"u8 +
        "Seccomp:\t0\n"u8 +
        "Seccomp_filters:\t0\n"u8 +
        "Speculation_Store_Bypass:\tvulnerable\n"u8 +
        "SpeculationIndirectBranch:\talways enabled\n"u8 +
        "Cpus_allowed:\t3\n"u8 +
        "Cpus_allowed_list:\t0-1\n"u8 +
        "Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000001\n"u8 +
        "Mems_allowed_list:\t0\n"u8 +
        "voluntary_ctxt_switches:\t60\n"u8 +
        "nonvoluntary_ctxt_switches:\t0\n"u8;

    // captured: Debian 12, Linux 6.18, x86_64 — /proc/<pid>/status of a zombie (perl child that exited)
    private static ReadOnlySpan<byte> Zombie =>
        "Name:\tperl\n"u8 +
        "State:\tZ (zombie)\n"u8 +
        "Tgid:\t5356\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t5356\n"u8 +
        "PPid:\t5354\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t0\t0\t0\t0\n"u8 +
        "Gid:\t0\t0\t0\t0\n"u8 +
        "FDSize:\t0\n"u8 +
        "Groups:\t \n"u8 +
        "NStgid:\t5356\n"u8 +
        "NSpid:\t5356\n"u8 +
        "NSpgid:\t5346\n"u8 +
        "NSsid:\t2368\n"u8 +
        "Kthread:\t0\n"u8 +
        "Threads:\t1\n"u8 +
        "SigQ:\t0/96365\n"u8 +
        "SigPnd:\t0000000000000000\n"u8 +
        "ShdPnd:\t0000000000000000\n"u8 +
        "SigBlk:\t0000000000000000\n"u8 +
        "SigIgn:\t0000000000000086\n"u8 +
        "SigCgt:\t0000000000000000\n"u8 +
        "CapInh:\t0000000000000000\n"u8 +
        "CapPrm:\t000001fffeffffff\n"u8 +
        "CapEff:\t000001fffeffffff\n"u8 +
        "CapBnd:\t000001fffeffffff\n"u8 +
        "CapAmb:\t0000000000000000\n"u8 +
        "NoNewPrivs:\t0\n"u8 +
        "Seccomp:\t0\n"u8 +
        "Seccomp_filters:\t0\n"u8 +
        "Speculation_Store_Bypass:\tvulnerable\n"u8 +
        "SpeculationIndirectBranch:\talways enabled\n"u8 +
        "Cpus_allowed:\t3\n"u8 +
        "Cpus_allowed_list:\t0-1\n"u8 +
        "Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000001\n"u8 +
        "Mems_allowed_list:\t0\n"u8 +
        "voluntary_ctxt_switches:\t1\n"u8 +
        "nonvoluntary_ctxt_switches:\t0\n"u8;

    // captured: Debian 12, Linux 6.18, x86_64 — first 17 lines of the status of a stopped perl in a
    // child PID namespace (unshare -p -f), comm set to "a\\b\nc) S 1 (d" through /proc/self/comm
    private static ReadOnlySpan<byte> NestedPidNamespace =>
        "Name:\ta\\\\b\\nc) S 1 (d\n"u8 +
        "Umask:\t0022\n"u8 +
        "State:\tT (stopped)\n"u8 +
        "Tgid:\t5314\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t5314\n"u8 +
        "PPid:\t5312\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t0\t0\t0\t0\n"u8 +
        "Gid:\t0\t0\t0\t0\n"u8 +
        "FDSize:\t256\n"u8 +
        "Groups:\t4 24 1000 \n"u8 +
        "NStgid:\t5314\t1\n"u8 +
        "NSpid:\t5314\t1\n"u8 +
        "NSpgid:\t5309\t0\n"u8 +
        "NSsid:\t2368\t0\n"u8 +
        "Kthread:\t0\n"u8;

    // from the proc_pid_status(5) example (man-pages 6.x, a Linux 4.x-era bash): no Kthread, no
    // Seccomp_filters, and VmPMD, which Linux 4.15 removed again
    private static ReadOnlySpan<byte> ManPageExample =>
        "Name:\tbash\n"u8 +
        "Umask:\t0022\n"u8 +
        "State:\tS (sleeping)\n"u8 +
        "Tgid:\t17248\n"u8 +
        "Ngid:\t0\n"u8 +
        "Pid:\t17248\n"u8 +
        "PPid:\t17200\n"u8 +
        "TracerPid:\t0\n"u8 +
        "Uid:\t1000\t1000\t1000\t1000\n"u8 +
        "Gid:\t100\t100\t100\t100\n"u8 +
        "FDSize:\t256\n"u8 +
        "Groups:\t16 33 100\n"u8 +
        "NStgid:\t17248\n"u8 +
        "NSpid:\t17248\n"u8 +
        "NSpgid:\t17248\n"u8 +
        "NSsid:\t17200\n"u8 +
        "VmPeak:\t  131168 kB\n"u8 +
        "VmSize:\t  131168 kB\n"u8 +
        "VmLck:\t       0 kB\n"u8 +
        "VmPin:\t       0 kB\n"u8 +
        "VmHWM:\t   13484 kB\n"u8 +
        "VmRSS:\t   13484 kB\n"u8 +
        "RssAnon:\t   10264 kB\n"u8 +
        "RssFile:\t    3220 kB\n"u8 +
        "RssShmem:\t       0 kB\n"u8 +
        "VmData:\t   10332 kB\n"u8 +
        "VmStk:\t     136 kB\n"u8 +
        "VmExe:\t     992 kB\n"u8 +
        "VmLib:\t    2104 kB\n"u8 +
        "VmPTE:\t      76 kB\n"u8 +
        "VmPMD:\t      12 kB\n"u8 +
        "VmSwap:\t       0 kB\n"u8 +
        "HugetlbPages:\t       0 kB\n"u8 +
        "CoreDumping:\t0\n"u8 +
        "Threads:\t1\n"u8 +
        "SigQ:\t0/3067\n"u8 +
        "SigPnd:\t0000000000000000\n"u8 +
        "ShdPnd:\t0000000000000000\n"u8 +
        "SigBlk:\t0000000000010000\n"u8 +
        "SigIgn:\t0000000000384004\n"u8 +
        "SigCgt:\t000000004b813efb\n"u8 +
        "CapInh:\t0000000000000000\n"u8 +
        "CapPrm:\t0000000000000000\n"u8 +
        "CapEff:\t0000000000000000\n"u8 +
        "CapBnd:\tffffffffffffffff\n"u8 +
        "CapAmb:\t0000000000000000\n"u8 +
        "NoNewPrivs:\t0\n"u8 +
        "Seccomp:\t0\n"u8 +
        "Speculation_Store_Bypass:\tvulnerable\n"u8 +
        "Cpus_allowed:\t00000001\n"u8 +
        "Cpus_allowed_list:\t0\n"u8 +
        "Mems_allowed:\t1\n"u8 +
        "Mems_allowed_list:\t0\n"u8 +
        "voluntary_ctxt_switches:\t150\n"u8 +
        "nonvoluntary_ctxt_switches:\t545\n"u8;

    private const long K = 1024;
    private const ulong AllButSysResource = 0x000001fffeffffff;

    [Fact]
    public void Parse_UserProcess_ReadsEveryField()
    {
        var s = ProcessStatus.Parse(CatSelf);

        Assert.Equal("cat"u8.ToArray(), s.NameBytes);
        Assert.Equal(0x12u, s.Umask); // 0022 octal
        Assert.Equal('R', s.State);
        Assert.Equal(6817, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(6817, s.Pid);
        Assert.Equal(6815, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([0u, 0u, 0u, 0u], s.Uid!);
        Assert.Equal([0u, 0u, 0u, 0u], s.Gid!);
        Assert.Equal(0u, s.RealUid);
        Assert.Equal(0u, s.EffectiveUid);
        Assert.Equal(0u, s.RealGid);
        Assert.Equal(0u, s.EffectiveGid);
        Assert.Equal(256, s.FdSize);
        Assert.Empty(s.Groups); // "Groups:\t \n": the kernel always adds a trailing space
        Assert.Equal([6817], s.NStgid!);
        Assert.Equal([6817], s.NSpid!);
        Assert.Equal([6815], s.NSpgid!);
        Assert.Equal([2368], s.NSsid!);
        Assert.False(s.Kthread);
        Assert.Equal(3060 * K, s.VmPeakBytes);
        Assert.Equal(3060 * K, s.VmSizeBytes);
        Assert.Equal(0, s.VmLckBytes);
        Assert.Equal(0, s.VmPinBytes);
        Assert.Equal(1752 * K, s.VmHwmBytes);
        Assert.Equal(1752 * K, s.VmRssBytes);
        Assert.Equal(112 * K, s.RssAnonBytes);
        Assert.Equal(1640 * K, s.RssFileBytes);
        Assert.Equal(0, s.RssShmemBytes);
        Assert.Equal(s.VmRssBytes, s.RssAnonBytes + s.RssFileBytes + s.RssShmemBytes);
        Assert.Equal(360 * K, s.VmDataBytes);
        Assert.Equal(132 * K, s.VmStkBytes);
        Assert.Equal(20 * K, s.VmExeBytes);
        Assert.Equal(1528 * K, s.VmLibBytes);
        Assert.Equal(48 * K, s.VmPteBytes);
        Assert.Equal(0, s.VmSwapBytes);
        Assert.Equal(0, s.HugetlbPagesBytes);
        Assert.False(s.CoreDumping);
        Assert.Equal(1, s.Threads);
        Assert.Equal(0ul, s.SigQQueued);
        Assert.Equal(96365ul, s.SigQLimit);
        Assert.Equal(0ul, s.SigPnd);
        Assert.Equal(0ul, s.ShdPnd);
        Assert.Equal(0ul, s.SigBlk);
        Assert.Equal(0ul, s.SigIgn);
        Assert.Equal(0ul, s.SigCgt);
        Assert.Equal(0ul, s.CapInh);
        Assert.Equal(AllButSysResource, s.CapPrm);
        Assert.Equal(AllButSysResource, s.CapEff);
        Assert.Equal(AllButSysResource, s.CapBnd);
        Assert.Equal(0ul, s.CapAmb);
        Assert.False(s.NoNewPrivs);
        Assert.Equal(0, s.Seccomp);
        Assert.Equal(0, s.SeccompFilters);
        Assert.Equal("0-1", s.CpusAllowedList);
        Assert.Equal("0", s.MemsAllowedList);
        Assert.Equal(1ul, s.VoluntaryCtxtSwitches);
        Assert.Equal(0ul, s.NonvoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_HostileProcess_UnescapesNameAndReadsMasks()
    {
        var s = ProcessStatus.Parse(HostileSelf);

        // The kernel printed "t\\\\ab\\nx": backslash and newline escaped, unescaped back here.
        Assert.Equal("t\\ab\nx"u8.ToArray(), s.NameBytes);
        Assert.Equal(0x3Fu, s.Umask); // 0077 octal
        Assert.Equal('R', s.State);
        Assert.Equal(5532, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(5532, s.Pid);
        Assert.Equal(5483, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([0u, 0u, 0u, 0u], s.Uid!);
        Assert.Equal([0u, 0u, 0u, 0u], s.Gid!);
        Assert.Equal(256, s.FdSize);
        // 4294967294 does not fit an int: group IDs are unsigned.
        Assert.Equal([4u, 24u, 4294967294u], s.Groups);
        Assert.Equal([5532], s.NStgid!);
        Assert.Equal([5532], s.NSpid!);
        Assert.Equal([5483], s.NSpgid!);
        Assert.Equal([2368], s.NSsid!);
        Assert.False(s.Kthread);
        Assert.Equal(2476 * K, s.VmPeakBytes);
        Assert.Equal(2476 * K, s.VmSizeBytes);
        Assert.Equal(0, s.VmLckBytes);
        Assert.Equal(0, s.VmPinBytes);
        Assert.Equal(1492 * K, s.VmHwmBytes);
        Assert.Equal(1492 * K, s.VmRssBytes);
        Assert.Equal(104 * K, s.RssAnonBytes);
        Assert.Equal(1388 * K, s.RssFileBytes);
        Assert.Equal(0, s.RssShmemBytes);
        Assert.Equal(224 * K, s.VmDataBytes);
        Assert.Equal(132 * K, s.VmStkBytes);
        Assert.Equal(4 * K, s.VmExeBytes);
        Assert.Equal(1528 * K, s.VmLibBytes);
        Assert.Equal(48 * K, s.VmPteBytes);
        Assert.Equal(0, s.VmSwapBytes);
        Assert.Equal(0, s.HugetlbPagesBytes);
        Assert.False(s.CoreDumping);
        Assert.Equal(1, s.Threads);
        Assert.Equal(3ul, s.SigQQueued);
        Assert.Equal(96365ul, s.SigQLimit);
        // Bit n-1 is signal n: SIGWINCH (28) and signal 35 (glibc's SIGRTMIN+1) pending on the thread.
        Assert.Equal((1ul << 27) | (1ul << 34), s.SigPnd);
        Assert.Equal(1ul << 11, s.ShdPnd); // SIGUSR2 (12), sent with kill()
        Assert.Equal((1ul << 11) | (1ul << 27) | (1ul << 34), s.SigBlk);
        Assert.Equal((1ul << 9) | (1ul << 12), s.SigIgn); // SIGUSR1, SIGPIPE
        Assert.Equal((1ul << 1) | (1ul << 14), s.SigCgt); // SIGINT, SIGTERM
        Assert.Equal(0ul, s.CapInh);
        Assert.Equal(AllButSysResource, s.CapPrm);
        Assert.Equal(AllButSysResource, s.CapEff);
        Assert.Equal(AllButSysResource, s.CapBnd);
        Assert.Equal(0ul, s.CapAmb);
        Assert.True(s.NoNewPrivs);
        Assert.Equal(2, s.Seccomp);
        Assert.Equal(1, s.SeccompFilters);
        Assert.Equal("0-1", s.CpusAllowedList);
        Assert.Equal("0", s.MemsAllowedList);
        Assert.Equal(0ul, s.VoluntaryCtxtSwitches);
        Assert.Equal(0ul, s.NonvoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_KernelThread_HasNoMemoryLines()
    {
        var s = ProcessStatus.Parse(Kthreadd);

        Assert.Equal("kthreadd"u8.ToArray(), s.NameBytes);
        Assert.Equal(0x12u, s.Umask);
        Assert.Equal('S', s.State);
        Assert.Equal(2, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(2, s.Pid);
        Assert.Equal(0, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([0u, 0u, 0u, 0u], s.Uid!);
        Assert.Equal([0u, 0u, 0u, 0u], s.Gid!);
        Assert.Equal(64, s.FdSize);
        Assert.Empty(s.Groups);
        Assert.Equal([2], s.NStgid!);
        Assert.Equal([2], s.NSpid!);
        Assert.Equal([0], s.NSpgid!);
        Assert.Equal([0], s.NSsid!);
        Assert.True(s.Kthread);
        Assert.Null(s.VmPeakBytes);
        Assert.Null(s.VmSizeBytes);
        Assert.Null(s.VmLckBytes);
        Assert.Null(s.VmPinBytes);
        Assert.Null(s.VmHwmBytes);
        Assert.Null(s.VmRssBytes);
        Assert.Null(s.RssAnonBytes);
        Assert.Null(s.RssFileBytes);
        Assert.Null(s.RssShmemBytes);
        Assert.Null(s.VmDataBytes);
        Assert.Null(s.VmStkBytes);
        Assert.Null(s.VmExeBytes);
        Assert.Null(s.VmLibBytes);
        Assert.Null(s.VmPteBytes);
        Assert.Null(s.VmSwapBytes);
        Assert.Null(s.HugetlbPagesBytes);
        Assert.Null(s.CoreDumping);
        Assert.Equal(1, s.Threads);
        Assert.Equal(0ul, s.SigQQueued);
        Assert.Equal(96365ul, s.SigQLimit);
        Assert.Equal(0ul, s.SigPnd);
        Assert.Equal(0ul, s.ShdPnd);
        Assert.Equal(0ul, s.SigBlk);
        Assert.Equal(ulong.MaxValue, s.SigIgn);
        Assert.Equal(0ul, s.SigCgt);
        Assert.Equal(0ul, s.CapInh);
        Assert.Equal(0x000001fffffffffful, s.CapPrm);
        Assert.Equal(0x000001fffffffffful, s.CapEff);
        Assert.Equal(0x000001fffffffffful, s.CapBnd);
        Assert.Equal(0ul, s.CapAmb);
        Assert.False(s.NoNewPrivs);
        Assert.Equal(0, s.Seccomp);
        Assert.Equal(0, s.SeccompFilters);
        Assert.Equal("0-1", s.CpusAllowedList);
        Assert.Equal("0", s.MemsAllowedList);
        Assert.Equal(60ul, s.VoluntaryCtxtSwitches);
        Assert.Equal(0ul, s.NonvoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_Zombie_HasNoUmaskAndNoMemoryLines()
    {
        var s = ProcessStatus.Parse(Zombie);

        Assert.Equal("perl"u8.ToArray(), s.NameBytes);
        Assert.Null(s.Umask); // the zombie's fs_struct is gone
        Assert.Equal('Z', s.State);
        Assert.Equal(5356, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(5356, s.Pid);
        Assert.Equal(5354, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([0u, 0u, 0u, 0u], s.Uid!);
        Assert.Equal([0u, 0u, 0u, 0u], s.Gid!);
        Assert.Equal(0, s.FdSize);
        Assert.Empty(s.Groups);
        Assert.Equal([5356], s.NStgid!);
        Assert.Equal([5356], s.NSpid!);
        Assert.Equal([5346], s.NSpgid!);
        Assert.Equal([2368], s.NSsid!);
        Assert.False(s.Kthread);
        Assert.Null(s.VmPeakBytes);
        Assert.Null(s.VmSizeBytes);
        Assert.Null(s.VmLckBytes);
        Assert.Null(s.VmPinBytes);
        Assert.Null(s.VmHwmBytes);
        Assert.Null(s.VmRssBytes);
        Assert.Null(s.RssAnonBytes);
        Assert.Null(s.RssFileBytes);
        Assert.Null(s.RssShmemBytes);
        Assert.Null(s.VmDataBytes);
        Assert.Null(s.VmStkBytes);
        Assert.Null(s.VmExeBytes);
        Assert.Null(s.VmLibBytes);
        Assert.Null(s.VmPteBytes);
        Assert.Null(s.VmSwapBytes);
        Assert.Null(s.HugetlbPagesBytes);
        Assert.Null(s.CoreDumping);
        Assert.Equal(1, s.Threads);
        Assert.Equal(0ul, s.SigQQueued);
        Assert.Equal(96365ul, s.SigQLimit);
        Assert.Equal(0ul, s.SigPnd);
        Assert.Equal(0ul, s.ShdPnd);
        Assert.Equal(0ul, s.SigBlk);
        Assert.Equal(0x86ul, s.SigIgn);
        Assert.Equal(0ul, s.SigCgt);
        Assert.Equal(0ul, s.CapInh);
        Assert.Equal(AllButSysResource, s.CapPrm);
        Assert.Equal(AllButSysResource, s.CapEff);
        Assert.Equal(AllButSysResource, s.CapBnd);
        Assert.Equal(0ul, s.CapAmb);
        Assert.False(s.NoNewPrivs);
        Assert.Equal(0, s.Seccomp);
        Assert.Equal(0, s.SeccompFilters);
        Assert.Equal("0-1", s.CpusAllowedList);
        Assert.Equal("0", s.MemsAllowedList);
        Assert.Equal(1ul, s.VoluntaryCtxtSwitches);
        Assert.Equal(0ul, s.NonvoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_NestedPidNamespace_ReadsOneIdPerLevel()
    {
        var s = ProcessStatus.Parse(NestedPidNamespace);

        Assert.Equal("a\\b\nc) S 1 (d"u8.ToArray(), s.NameBytes);
        Assert.Equal(0x12u, s.Umask);
        Assert.Equal('T', s.State);
        Assert.Equal(5314, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(5314, s.Pid);
        Assert.Equal(5312, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([0u, 0u, 0u, 0u], s.Uid!);
        Assert.Equal([0u, 0u, 0u, 0u], s.Gid!);
        Assert.Equal(256, s.FdSize);
        Assert.Equal([4u, 24u, 1000u], s.Groups);
        // Outermost (the reader's namespace) first: pid 1 inside the new namespace.
        Assert.Equal([5314, 1], s.NStgid!);
        Assert.Equal([5314, 1], s.NSpid!);
        // Group and session lie outside the new namespace, so they read as 0 inside it.
        Assert.Equal([5309, 0], s.NSpgid!);
        Assert.Equal([2368, 0], s.NSsid!);
        Assert.False(s.Kthread);
        // The sample stops here: everything after it is absent.
        Assert.Null(s.VmPeakBytes);
        Assert.Null(s.Threads);
        Assert.Null(s.SigPnd);
        Assert.Null(s.CapEff);
        Assert.Null(s.CpusAllowedList);
        Assert.Null(s.VoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_ManPageExample_LacksNewerKeysAndIgnoresRemovedOnes()
    {
        var s = ProcessStatus.Parse(ManPageExample);

        Assert.Equal("bash"u8.ToArray(), s.NameBytes);
        Assert.Equal(0x12u, s.Umask);
        Assert.Equal('S', s.State);
        Assert.Equal(17248, s.Tgid);
        Assert.Equal(0, s.Ngid);
        Assert.Equal(17248, s.Pid);
        Assert.Equal(17200, s.PPid);
        Assert.Equal(0, s.TracerPid);
        Assert.Equal([1000u, 1000u, 1000u, 1000u], s.Uid!);
        Assert.Equal([100u, 100u, 100u, 100u], s.Gid!);
        Assert.Equal(1000u, s.RealUid);
        Assert.Equal(100u, s.EffectiveGid);
        Assert.Equal(256, s.FdSize);
        Assert.Equal([16u, 33u, 100u], s.Groups);
        Assert.Equal([17248], s.NStgid!);
        Assert.Equal([17248], s.NSpid!);
        Assert.Equal([17248], s.NSpgid!);
        Assert.Equal([17200], s.NSsid!);
        Assert.Null(s.Kthread);
        Assert.Equal(131168 * K, s.VmPeakBytes);
        Assert.Equal(131168 * K, s.VmSizeBytes);
        Assert.Equal(0, s.VmLckBytes);
        Assert.Equal(0, s.VmPinBytes);
        Assert.Equal(13484 * K, s.VmHwmBytes);
        Assert.Equal(13484 * K, s.VmRssBytes);
        Assert.Equal(10264 * K, s.RssAnonBytes);
        Assert.Equal(3220 * K, s.RssFileBytes);
        Assert.Equal(0, s.RssShmemBytes);
        Assert.Equal(10332 * K, s.VmDataBytes);
        Assert.Equal(136 * K, s.VmStkBytes);
        Assert.Equal(992 * K, s.VmExeBytes);
        Assert.Equal(2104 * K, s.VmLibBytes);
        Assert.Equal(76 * K, s.VmPteBytes);
        Assert.Equal(0, s.VmSwapBytes);
        Assert.Equal(0, s.HugetlbPagesBytes);
        Assert.False(s.CoreDumping);
        Assert.Equal(1, s.Threads);
        Assert.Equal(0ul, s.SigQQueued);
        Assert.Equal(3067ul, s.SigQLimit);
        Assert.Equal(0ul, s.SigPnd);
        Assert.Equal(0ul, s.ShdPnd);
        Assert.Equal(0x10000ul, s.SigBlk);
        Assert.Equal(0x384004ul, s.SigIgn);
        Assert.Equal(0x4b813efbul, s.SigCgt);
        Assert.Equal(0ul, s.CapInh);
        Assert.Equal(0ul, s.CapPrm);
        Assert.Equal(0ul, s.CapEff);
        Assert.Equal(ulong.MaxValue, s.CapBnd);
        Assert.Equal(0ul, s.CapAmb);
        Assert.False(s.NoNewPrivs);
        Assert.Equal(0, s.Seccomp);
        Assert.Null(s.SeccompFilters);
        Assert.Equal("0", s.CpusAllowedList);
        Assert.Equal("0", s.MemsAllowedList);
        Assert.Equal(150ul, s.VoluntaryCtxtSwitches);
        Assert.Equal(545ul, s.NonvoluntaryCtxtSwitches);
    }

    [Fact]
    public void Parse_MinimalStatus_LeavesEverythingElseNull()
    {
        // synthetic: only the Name line
        var s = ProcessStatus.Parse("Name:\tx\n"u8);

        Assert.Equal("x"u8.ToArray(), s.NameBytes);
        Assert.Null(s.Umask);
        Assert.Null(s.State);
        Assert.Null(s.Tgid);
        Assert.Null(s.Pid);
        Assert.Null(s.PPid);
        Assert.Null(s.Uid);
        Assert.Null(s.Gid);
        Assert.Null(s.RealUid);
        Assert.Null(s.EffectiveUid);
        Assert.Empty(s.Groups);
        Assert.Null(s.NSpid);
        Assert.Null(s.SigQQueued);
    }

    [Fact]
    public void Parse_NameWithLeadingTabAndSpaces_KeepsThem()
    {
        // synthetic: comm "\t a " (the kernel prints exactly one tab after "Name:")
        var s = ProcessStatus.Parse("Name:\t\t a \nPid:\t7\n"u8);

        Assert.Equal("\t a "u8.ToArray(), s.NameBytes);
        Assert.Equal(7, s.Pid);
    }

    [Fact]
    public void Parse_NameWithEscapeSequenceAndInvalidUtf8_KeepsRawBytes()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — first two lines of the status of a bash whose comm
        // was written as "c\td\e[31m\xff": tabs, escapes and invalid UTF-8 are not escaped, only '\n' and '\'
        byte[] content = [.. "Name:\tc\td\u001b[31m"u8, 0xFF, .. "\nUmask:\t0022\n"u8];

        var s = ProcessStatus.Parse(content);

        Assert.Equal([(byte)'c', (byte)'\t', (byte)'d', 0x1B, (byte)'[', (byte)'3', (byte)'1', (byte)'m', 0xFF], s.NameBytes);
        Assert.Equal(0x12u, s.Umask);
    }

    [Fact]
    public void Parse_NameWithUnknownEscapeOrTrailingBackslash_KeepsThem()
    {
        // synthetic: the kernel never produces these, but they must not be mangled or crash
        var s = ProcessStatus.Parse("Name:\ta\\tb\\\n"u8);

        Assert.Equal("a\\tb\\"u8.ToArray(), s.NameBytes);
    }

    [Fact]
    public void Parse_UnknownKeys_AreIgnored()
    {
        // synthetic: a future kernel's key, and a known key with an unknown value format after it
        var s = ProcessStatus.Parse("Name:\tx\nFuture_thing:\tzz:zz q\nx86_Thread_features:\tshstk wrss\nPid:\t3\n"u8);

        Assert.Equal(3, s.Pid);
    }

    [Fact]
    public void Parse_NoName_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Pid:\t3\n"u8));

        Assert.Equal("/proc/[pid]/status", ex.File);
    }

    [Fact]
    public void Parse_Empty_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse(""u8));
    }

    [Fact]
    public void Parse_SizeWithoutUnit_ThrowsAtValue()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nVmRSS:\t  1752\n"u8));

        Assert.Equal("/proc/[pid]/status", ex.File);
        Assert.Equal(17, ex.Offset); // the "1752", after "Name:\tx\n" (8) and "VmRSS:\t  " (9)
        Assert.Equal("VmRSS:?  1752", ex.Line);
    }

    [Fact]
    public void Parse_SizeInOtherUnit_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nVmRSS:\t1752 MB\n"u8));
    }

    [Fact]
    public void Parse_HugeSize_ThrowsInsteadOfOverflowing()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nVmRSS:\t9223372036854775807 kB\n"u8));
    }

    [Fact]
    public void Parse_ThreeUids_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nUid:\t0\t0\t0\n"u8));
    }

    [Fact]
    public void Parse_BadHexMask_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nSigPnd:\t00000000000g0000\n"u8));

        Assert.Equal(16, ex.Offset);
    }

    [Fact]
    public void Parse_BadOctalUmask_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nUmask:\t0098\n"u8));
    }

    [Fact]
    public void Parse_BadFlag_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nKthread:\t2\n"u8));
    }

    [Fact]
    public void Parse_GroupOutOfRange_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nGroups:\t4294967296 \n"u8));
    }

    [Fact]
    public void Parse_BadSigQ_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\nSigQ:\t0-96365\n"u8));
    }

    [Fact]
    public void Parse_LineWithoutColon_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatus.Parse("Name:\tx\ngarbage\n"u8));

        Assert.Equal(8, ex.Offset);
        Assert.Equal("garbage", ex.Line);
    }

    [Fact]
    public void ParseIdentity_EffectiveUidAndKthread()
    {
        // Linux 6.18 layout, trimmed: Uid is real, effective, saved, filesystem.
        var (euid, kthread) = ProcessStatus.ParseIdentity("Name:\tsudo\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\nKthread:\t0\nVmRSS:\t  100 kB\n"u8);
        Assert.Equal(0u, euid);
        Assert.False(kthread);
        var (kuid, k) = ProcessStatus.ParseIdentity("Name:\tkthreadd\nUid:\t0\t0\t0\t0\nKthread:\t1\n"u8);
        Assert.Equal(0u, kuid);
        Assert.True(k);
        // Before Linux 6.4 there is no Kthread line.
        var (old, none) = ProcessStatus.ParseIdentity("Name:\tbash\nUid:\t1000\t1001\t1000\t1000\n"u8);
        Assert.Equal(1001u, old);
        Assert.Null(none);
        Assert.Throws<ProcFormatException>(() => ProcessStatus.ParseIdentity("Uid:\t1\t2\n"u8));
    }
}
