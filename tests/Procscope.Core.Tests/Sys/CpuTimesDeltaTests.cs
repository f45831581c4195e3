using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class CpuTimesDeltaTests
{
    private static CpuTimes Cpu(int? id, ulong user, ulong nice, ulong system, ulong idle, ulong? iowait = null,
        ulong? irq = null, ulong? softirq = null, ulong? steal = null, ulong? guest = null, ulong? guestNice = null) => new()
    {
        CpuId = id,
        UserTicks = user,
        NiceTicks = nice,
        SystemTicks = system,
        IdleTicks = idle,
        IowaitTicks = iowait,
        IrqTicks = irq,
        SoftirqTicks = softirq,
        StealTicks = steal,
        GuestTicks = guest,
        GuestNiceTicks = guestNice,
    };

    [Fact]
    public void Between_TwoSamples_SubtractsEachState()
    {
        var d = CpuTimesDelta.Between(Cpu(null, 10, 20, 30, 40, 50, 60, 70, 80, 5, 6), Cpu(null, 11, 22, 33, 44, 55, 66, 77, 88, 9, 10));

        Assert.Null(d.CpuId);
        Assert.Equal(
            new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8, 4, 4 },
            new[] { d.UserTicks, d.NiceTicks, d.SystemTicks, d.IdleTicks, d.IowaitTicks, d.IrqTicks, d.SoftirqTicks, d.StealTicks, d.GuestTicks, d.GuestNiceTicks });
        Assert.Equal(36UL, d.TotalTicks);
    }

    [Fact]
    public void Between_CountersGoingBackwards_ClampsAtZero()
    {
        // After CPU hotplug or resume, and iowait by design, counters can step back.
        var d = CpuTimesDelta.Between(Cpu(3, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100), Cpu(3, 99, 150, 0, 90, 80, 100, 101, 0, 1, 0));

        Assert.Equal(3, d.CpuId);
        Assert.Equal(
            new ulong[] { 0, 50, 0, 0, 0, 0, 1, 0, 0, 0 },
            new[] { d.UserTicks, d.NiceTicks, d.SystemTicks, d.IdleTicks, d.IowaitTicks, d.IrqTicks, d.SoftirqTicks, d.StealTicks, d.GuestTicks, d.GuestNiceTicks });
    }

    [Fact]
    public void Between_StatesTheKernelDoesNotReport_CountAsZero()
    {
        var d = CpuTimesDelta.Between(Cpu(null, 1, 1, 1, 1), Cpu(null, 2, 2, 2, 2, iowait: 7));

        Assert.Equal(7UL, d.IowaitTicks);
        Assert.Equal(0UL, d.StealTicks);
        Assert.Equal(11UL, d.TotalTicks);
    }

    [Fact]
    public void Between_DifferentCpus_Throws()
    {
        Assert.Throws<ArgumentException>(() => CpuTimesDelta.Between(Cpu(0, 1, 1, 1, 1), Cpu(1, 2, 2, 2, 2)));
        Assert.Throws<ArgumentException>(() => CpuTimesDelta.Between(Cpu(null, 1, 1, 1, 1), Cpu(0, 2, 2, 2, 2)));
    }

    [Fact]
    public void PerCpu_CpuOfflineInOneSample_HasNoDelta()
    {
        var before = KernelStat.Parse("cpu  3 0 0 0\ncpu0 1 0 0 0\ncpu1 1 0 0 0\ncpu2 1 0 0 0\nintr 0\nctxt 0\nbtime 0\nprocesses 0\n"u8);
        var after = KernelStat.Parse("cpu  9 0 0 0\ncpu0 4 0 0 0\ncpu2 5 0 0 0\ncpu3 1 0 0 0\nintr 0\nctxt 0\nbtime 0\nprocesses 0\n"u8);

        var deltas = CpuTimesDelta.PerCpu(before, after);

        Assert.Equal([0, 2], deltas.Select(d => d.CpuId!.Value));
        Assert.Equal([3UL, 4], deltas.Select(d => d.UserTicks));
    }

    [Fact]
    public void ToVmstatPercent_GroupsStatesAsVmstatDoes()
    {
        // us = user + nice - guest - guest_nice, sy = system + irq + softirq, over
        // user + nice + system + irq + softirq + idle + iowait + steal = 200.
        var d = CpuTimesDelta.Between(Cpu(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Cpu(null, 40, 10, 20, 100, 8, 4, 6, 12, 6, 4));

        var p = d.ToVmstatPercent();

        Assert.Equal(new VmstatCpuPercent(User: 20, System: 15, Idle: 50, IoWait: 4, Steal: 6, Guest: 5), p);
        Assert.Equal(100, p.User + p.System + p.Idle + p.IoWait + p.Steal + p.Guest);
    }

    [Fact]
    public void ToVmstatPercent_NoElapsedTicks_IsAllIdle()
    {
        var same = Cpu(null, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);

        var p = CpuTimesDelta.Between(same, same).ToVmstatPercent();

        Assert.Equal(new VmstatCpuPercent(0, 0, 100, 0, 0, 0), p);
    }

    [Fact]
    public void ToVmstatPercent_GuestAboveUser_ClampsUserAtZero()
    {
        // Guest and user are sampled at slightly different moments; guest can lead.
        var p = CpuTimesDelta.Between(Cpu(null, 0, 0, 0, 0, guest: 0), Cpu(null, 5, 0, 0, 5, guest: 7)).ToVmstatPercent();

        Assert.Equal(0, p.User);
        Assert.Equal(50, p.Idle);
        Assert.Equal(70, p.Guest);
    }

    [Fact]
    public void ToVmstatPercent_RoundedHalfUp_MatchesVmstatIntegerFormula()
    {
        var rng = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            ulong user = (ulong)rng.Next(0, 5000), sys = (ulong)rng.Next(0, 5000), idle = (ulong)rng.Next(0, 5000),
                wait = (ulong)rng.Next(0, 50), steal = (ulong)rng.Next(0, 50);
            var p = CpuTimesDelta.Between(Cpu(null, 0, 0, 0, 0, 0, 0, 0, 0), Cpu(null, user, 0, sys, idle, wait, 0, 0, steal)).ToVmstatPercent();
            ulong div = user + sys + idle + wait + steal;
            if (div == 0) continue;
            Assert.Equal((double)((100 * user + div / 2) / div), Math.Floor(p.User + 0.5));
            Assert.Equal((double)((100 * sys + div / 2) / div), Math.Floor(p.System + 0.5));
            Assert.Equal((double)((100 * idle + div / 2) / div), Math.Floor(p.Idle + 0.5));
            Assert.Equal((double)((100 * wait + div / 2) / div), Math.Floor(p.IoWait + 0.5));
            Assert.Equal((double)((100 * steal + div / 2) / div), Math.Floor(p.Steal + 0.5));
        }
    }

    [Fact]
    public void SinceBoot_CapturedStat_GivesVmstatFirstLine()
    {
        var s = KernelStat.Parse(KernelStatTests.Captured);

        var d = CpuTimesDelta.SinceBoot(s.Total);
        var p = d.ToVmstatPercent();

        // cpu  7273 2 2380 143261 302 0 23 21 0 0: Div = 153262.
        Assert.Equal(153262UL, d.TotalTicks);
        Assert.Equal(100.0 * 7275 / 153262, p.User, 12);
        Assert.Equal(100.0 * 2403 / 153262, p.System, 12);
        Assert.Equal(100.0 * 143261 / 153262, p.Idle, 12);
        Assert.Equal(100.0 * 302 / 153262, p.IoWait, 12);
        Assert.Equal(100.0 * 21 / 153262, p.Steal, 12);
        Assert.Equal(0, p.Guest);
    }
}
