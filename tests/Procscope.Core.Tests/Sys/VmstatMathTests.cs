using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

/// <summary>
/// vmstat's arithmetic (procps-ng 4.0.2 src/vmstat.c new_format). Expected numbers are worked out
/// by hand from procps's integer expressions; the same inputs through procps vmstat are compared
/// in tests/Procscope.Cli.Tests/Vmstat/VmstatFixtureOracleTests.
/// </summary>
public sealed class VmstatMathTests
{
    private static VmstatSample Sample(
        ulong user = 0, ulong nice = 0, ulong system = 0, ulong idle = 0, ulong iowait = 0, ulong irq = 0, ulong softirq = 0,
        ulong steal = 0, ulong guest = 0, ulong guestNice = 0, ulong intr = 0, ulong ctxt = 0, ulong pgpgin = 0, ulong pgpgout = 0,
        ulong pswpin = 0, ulong pswpout = 0, long freeKb = 0, double takenAt = 0) => new()
    {
        Cpu = new CpuTimes
        {
            UserTicks = user, NiceTicks = nice, SystemTicks = system, IdleTicks = idle, IowaitTicks = iowait, IrqTicks = irq,
            SoftirqTicks = softirq, StealTicks = steal, GuestTicks = guest, GuestNiceTicks = guestNice,
        },
        ProcsRunning = 3, ProcsBlocked = 1, Interrupts = intr, ContextSwitches = ctxt,
        PgpgInKb = pgpgin, PgpgOutKb = pgpgout, PswpInPages = pswpin, PswpOutPages = pswpout,
        SwapUsedBytes = 100001L * 1024, FreeBytes = freeKb * 1024, BuffersBytes = 234567L * 1024, CacheBytes = 2544443L * 1024,
        ActiveBytes = 3456789L * 1024, InactiveBytes = 2109876L * 1024, UptimeSeconds = 93784.52, TakenAtSeconds = takenAt,
    };

    [Fact]
    public void UnitConvert_BelowTwoTo24_Exact() => Assert.Equal(16777215UL, VmstatMath.UnitConvert(16777215, 1024));

    [Fact]
    public void UnitConvert_AboveTwoTo24_RoundsThroughFloat() => Assert.Equal(19123456UL, VmstatMath.UnitConvert(19123457, 1024));

    [Fact]
    public void UnitConvert_Megabytes_Truncates() => Assert.Equal(19582UL, VmstatMath.UnitConvert(19123457, 1000000));

    [Fact]
    public void UnitConvert_Bytes() => Assert.Equal(1024000UL, VmstatMath.UnitConvert(1000, 1));

    [Fact]
    public void SinceBoot_DividesByTotalTicksTimesHz()
    {
        // Div = 123456+789 + 45678+0+1234 + 9876543 + 2345 + 567 = 10050612; divo2 = 5025306.
        var s = Sample(user: 123456, nice: 789, system: 45678, idle: 9876543, iowait: 2345, softirq: 1234, steal: 567,
            intr: 34567890, ctxt: 98765432, pgpgin: 3456789, pgpgout: 2345678, pswpin: 1234, pswpout: 5678, freeKb: 19123457);
        var l = VmstatMath.SinceBoot(s, ticksPerSecond: 100, pageSizeBytes: 4096, unitBytes: 1024, activeInactive: false);
        Assert.Equal((3UL, 1UL, 100001UL, 19123456UL, 234567UL, 2544443UL), (l.Running, l.Blocked, l.Swpd, l.Free, l.BuffOrInactive, l.CacheOrActive));
        // si = (1234×4 × 100 + 5025306) / 10050612 = 0; bi = (3456789×100 + 5025306) / 10050612 = 34.
        Assert.Equal((0u, 0u, 34u, 23u, 344u, 983u), (l.SwapIn, l.SwapOut, l.BlocksIn, l.BlocksOut, l.Interrupts, l.ContextSwitches));
        Assert.Equal((1u, 0u, 98u, 0u, 0u, 0u), (l.User, l.System, l.Idle, l.IoWait, l.Steal, l.Guest));
    }

    [Fact]
    public void SinceBoot_ActiveInactive_SwapsColumns()
    {
        var l = VmstatMath.SinceBoot(Sample(idle: 1), 100, 4096, 1024, activeInactive: true);
        Assert.Equal((2109876UL, 3456789UL), (l.BuffOrInactive, l.CacheOrActive));
    }

    [Fact]
    public void SinceBoot_NoTicks_IdleIsHundred()
    {
        var l = VmstatMath.SinceBoot(Sample(intr: 5), 100, 4096, 1024, false);
        Assert.Equal((0u, 100u, 500u), (l.User, l.Idle, l.Interrupts));
    }

    [Fact]
    public void SinceBoot_ResultsAreTruncatedTo32Bits()
    {
        // pgpgin × hz / Div = 2^40 × 100 / 1 does not fit an unsigned int: procps prints the low 32 bits.
        var l = VmstatMath.SinceBoot(Sample(idle: 1, pgpgin: 1UL << 40), 100, 4096, 1024, false);
        Assert.Equal(unchecked((uint)((1UL << 40) * 100)), l.BlocksIn);
    }

    [Fact]
    public void SinceBoot_GuestSubtractedFromUser()
    {
        var l = VmstatMath.SinceBoot(Sample(user: 60, idle: 40, guest: 20), 100, 4096, 1024, false);
        Assert.Equal((40u, 40u, 20u), (l.User, l.Idle, l.Guest));
    }

    [Fact]
    public void Between_RoundsHalfUpOverTheNominalDelay()
    {
        var a = Sample(idle: 100, intr: 1000, ctxt: 1000, pgpgin: 1000);
        var b = Sample(user: 50, idle: 350, intr: 1003, ctxt: 1002, pgpgin: 1005, pswpin: 1);
        var l = VmstatMath.Between(a, b, delaySeconds: 2, pageSizeBytes: 4096, unitBytes: 1024, activeInactive: false);
        // (3 + 1) / 2 = 2; (2 + 1) / 2 = 1; (5 + 1) / 2 = 3; si = (4 KiB + 1) / 2 = 2.
        Assert.Equal((2u, 1u, 3u, 2u), (l.Interrupts, l.ContextSwitches, l.BlocksIn, l.SwapIn));
        // 50 of 300 ticks: (5000 + 150) / 300 = 17; idle (25000 + 150) / 300 = 83.
        Assert.Equal((17u, 83u), (l.User, l.Idle));
    }

    [Fact]
    public void Between_CountersGoingBackwards_ClampedAtZero()
    {
        var a = Sample(user: 500, idle: 500, intr: 1000, pgpgin: 900, pswpout: 9);
        var b = Sample(user: 400, idle: 600, intr: 10, pgpgin: 100, pswpout: 2);
        var l = VmstatMath.Between(a, b, 1, 4096, 1024, false);
        Assert.Equal((0u, 0u, 0u), (l.Interrupts, l.BlocksIn, l.SwapOut));
        Assert.Equal((0u, 100u), (l.User, l.Idle));
    }

    [Fact]
    public void Between_NothingElapsed_IdleIsHundred()
    {
        var s = Sample(user: 7, idle: 9);
        var l = VmstatMath.Between(s, s, 1, 4096, 1024, false);
        Assert.Equal((0u, 0u, 100u), (l.User, l.System, l.Idle));
    }

    [Fact]
    public void Between_MemoryIsTheCurrentSample()
    {
        var l = VmstatMath.Between(Sample(freeKb: 1), Sample(freeKb: 2048), 1, 4096, 1048576, false);
        Assert.Equal(2UL, l.Free);
    }

    [Fact]
    public void Between_ZeroDelay_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VmstatMath.Between(Sample(), Sample(), 0, 4096, 1024, false));

    [Fact]
    public void Rates_SinceBoot_DivideByUptime()
    {
        var r = VmstatRates.Since(Sample(idle: 10, intr: 937845, pgpgin: 1000), 4096);
        Assert.True(r.SinceBoot);
        Assert.Equal(10.0, r.InterruptsPerSecond, 3);
        Assert.Equal(1000 * 1024 / 93784.52, r.BlockInBytesPerSecond, 6);
        Assert.Equal(100, r.Cpu.Idle);
    }

    [Fact]
    public void Rates_Between_UseMeasuredInterval()
    {
        var r = VmstatRates.Between(Sample(intr: 100, pswpin: 1, takenAt: 10), Sample(intr: 350, pswpin: 3, takenAt: 12.5), 4096);
        Assert.False(r.SinceBoot);
        Assert.Equal(2.5, r.IntervalSeconds);
        Assert.Equal(100, r.InterruptsPerSecond);
        Assert.Equal(2 * 4096 / 2.5, r.SwapInBytesPerSecond);
    }

    [Fact]
    public void Rates_Between_NonPositiveInterval_Zero()
    {
        var r = VmstatRates.Between(Sample(intr: 1, takenAt: 5), Sample(intr: 9, takenAt: 5), 4096);
        Assert.Equal(0, r.InterruptsPerSecond);
    }

    [Fact]
    public void From_MissingCounters_AreZero()
    {
        var stat = KernelStat.Parse("cpu  1 2 3 4\nintr 5\nctxt 6\nbtime 7\nprocesses 8\n"u8);
        var vm = VmStat.Parse("nr_free_pages 1\n"u8);
        var mem = MemInfo.Parse("MemTotal: 100 kB\nMemFree: 50 kB\n"u8);
        var s = VmstatSample.From(stat, vm, mem, 1.5, 2.5);
        Assert.Equal((0UL, 0UL, 0UL, 0UL, 0UL, 0UL), (s.PgpgInKb, s.PgpgOutKb, s.PswpInPages, s.PswpOutPages, s.ProcsRunning, s.ProcsBlocked));
        Assert.Equal((51200L, 0L, 0L), (s.FreeBytes, s.CacheBytes, s.SwapUsedBytes));
    }
}
