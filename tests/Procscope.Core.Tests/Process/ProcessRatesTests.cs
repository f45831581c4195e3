using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

/// <summary>Rates from two samples: clamping when counters go backwards, %CPU bounds, pid reuse.</summary>
public sealed class ProcessRatesTests
{
    [Fact]
    public void CpuPercent_OneBusyCpuForOneSecond_Is100()
        => Assert.Equal(100.0, ProcessRates.CpuPercent(1000, 1100, 1.0, 100, 2), 6);

    [Fact]
    public void CpuPercent_CounterGoesBackwards_IsZeroNotWrapped()
        => Assert.Equal(0.0, ProcessRates.CpuPercent(5000, 4000, 1.0, 100, 2));

    [Fact]
    public void CpuPercent_MoreTicksThanCpusAllow_ClampedTo100TimesCpus()
        // a CPU disappeared (hotplug): the task accrued ticks from 4 CPUs but only 2 are online now
        => Assert.Equal(200.0, ProcessRates.CpuPercent(0, 400, 1.0, 100, 2));

    [Fact]
    public void CpuPercent_EmptyInterval_IsZero()
    {
        Assert.Equal(0.0, ProcessRates.CpuPercent(0, 100, 0, 100, 2));
        Assert.Equal(0.0, ProcessRates.CpuPercent(0, 100, double.NaN, 100, 2));
    }

    [Fact]
    public void PerSecond_BackwardsOrAbsent_ClampedOrNull()
    {
        Assert.Equal(0.0, ProcessRates.PerSecond(10, 5, 1.0));
        Assert.Equal(5.0, ProcessRates.PerSecond(10, 20, 2.0));
        Assert.Null(ProcessRates.PerSecond(ProcessCounters.Absent, 20, 2.0));
        Assert.Null(ProcessRates.PerSecond(10, ProcessCounters.Absent, 2.0));
    }

    [Fact]
    public void Between_AllRates_NeverNegative()
    {
        var a = new ProcessCounters { CpuTicks = 100, MinFlt = 50, MajFlt = 5, ReadBytes = 4096, WriteBytes = 8192, ReadOps = 3, WriteOps = 3, VoluntaryCtxt = 9, InvoluntaryCtxt = 9, RunQueueWaitNs = 1_000_000_000 };
        var b = new ProcessCounters { CpuTicks = 90, MinFlt = 40, MajFlt = 1, ReadBytes = 0, WriteBytes = 0, ReadOps = 0, WriteOps = 0, VoluntaryCtxt = 0, InvoluntaryCtxt = 0, RunQueueWaitNs = 0 };
        var r = ProcessRates.Between(a, b, 1.0, 100, 2);
        Assert.Equal(0.0, r.CpuPercent);
        foreach (var v in new[] { r.MinFltPerSecond, r.MajFltPerSecond, r.ReadBytesPerSecond, r.WriteBytesPerSecond, r.ReadOpsPerSecond, r.WriteOpsPerSecond, r.VoluntaryCtxtPerSecond, r.InvoluntaryCtxtPerSecond, r.RunQueueWaitPercent })
            Assert.Equal(0.0, v);
    }

    [Fact]
    public void Between_RunQueueWait_IsPercentOfOneCpu()
    {
        var a = ProcessCounters.Empty;
        a.RunQueueWaitNs = 0;
        var b = ProcessCounters.Empty;
        b.RunQueueWaitNs = 250_000_000; // 0.25 s waiting in 1 s
        var r = ProcessRates.Between(a, b, 1.0, 100, 2);
        Assert.Equal(25.0, r.RunQueueWaitPercent!.Value, 6);
        Assert.Null(r.ReadBytesPerSecond);
    }

    [Fact]
    public void Tracker_PidReusedWithNewStartTime_StartsFresh()
    {
        var t = new ProcessDeltaTracker();
        var c = ProcessCounters.Empty;
        c.CpuTicks = 500;
        Assert.False(t.Observe(new ProcessKey(42, 1000), c, out _));
        t.EndRefresh();
        c.CpuTicks = 10;
        Assert.False(t.Observe(new ProcessKey(42, 2000), c, out _)); // same pid, new process
        Assert.True(t.Observe(new ProcessKey(42, 2000), c, out var prev));
        Assert.Equal(10UL, prev.CpuTicks);
    }

    [Fact]
    public void Tracker_TaskNotSeen_IsForgotten()
    {
        var t = new ProcessDeltaTracker();
        var c = ProcessCounters.Empty;
        t.Observe(new ProcessKey(1, 1), c, out _);
        t.Observe(new ProcessKey(2, 1), c, out _);
        t.EndRefresh();
        t.Observe(new ProcessKey(1, 1), c, out _);
        t.EndRefresh();
        Assert.Equal(1, t.Count);
    }
}
