using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

/// <summary>
/// Pairs of /proc/diskstats samples with the rates iostat -x must show for them, worked out by
/// hand from Documentation/admin-guide/iostats.rst and sysstat's formulas (iostat.c, rd_stats.c).
/// </summary>
public sealed class DiskRatesTests
{
    private static DiskStat One(string line) => DiskStats.Parse(System.Text.Encoding.ASCII.GetBytes(line + "\n")).Disks.Single();

    [Fact]
    public void Between_20FieldPair_GivesEveryExtendedColumn()
    {
        // 2 s apart: 100 reads (10 merged, 2000 sectors, 60 ms), 100 writes (20 merged, 4000
        // sectors, 120 ms), 200 ms busy, 400 ms weighted, 10 discards (400 sectors, 20 ms), 2 flushes (6 ms).
        var prev = One("254 0 vda 1000 100 20000 500 200 50 8000 300 0 700 900 10 1 400 20 5 10");
        var cur = One("254 0 vda 1100 110 22000 560 300 70 12000 420 2 900 1300 20 1 800 40 7 16");
        var r = DiskRates.Between(prev, cur, 2.0);

        Assert.False(r.FromZero);
        Assert.False(r.Reset);
        Assert.Equal(50, r.ReadsPerSecond, 9);
        Assert.Equal(50, r.WritesPerSecond, 9);
        Assert.Equal(5, r.DiscardsPerSecond, 9);
        Assert.Equal(1, r.FlushesPerSecond, 9);
        Assert.Equal(105, r.TransfersPerSecond, 9);
        Assert.Equal(500 * 1024, r.ReadBytesPerSecond, 6);
        Assert.Equal(1000 * 1024, r.WriteBytesPerSecond, 6);
        Assert.Equal(100 * 1024, r.DiscardBytesPerSecond, 6);
        Assert.Equal(2000UL * 512, r.ReadBytes);
        Assert.Equal(4000UL * 512, r.WrittenBytes);
        Assert.Equal(400UL * 512, r.DiscardedBytes);
        Assert.Equal(5, r.ReadsMergedPerSecond, 9);
        Assert.Equal(10, r.WritesMergedPerSecond, 9);
        Assert.Equal(0, r.DiscardsMergedPerSecond, 9);
        Assert.Equal(10.0 / 110 * 100, r.ReadsMergedPercent, 9);
        Assert.Equal(20.0 / 120 * 100, r.WritesMergedPercent, 9);
        Assert.Equal(0, r.DiscardsMergedPercent, 9);
        Assert.Equal(0.6, r.ReadAwaitMs, 9);
        Assert.Equal(1.2, r.WriteAwaitMs, 9);
        Assert.Equal(2.0, r.DiscardAwaitMs, 9);
        Assert.Equal(3.0, r.FlushAwaitMs, 9);
        Assert.Equal(200.0 / 210, r.AwaitMs, 9);
        Assert.Equal(10240, r.ReadRequestBytes, 6);
        Assert.Equal(20480, r.WriteRequestBytes, 6);
        Assert.Equal(20480, r.DiscardRequestBytes, 6);
        Assert.Equal(6400.0 * 512 / 210, r.RequestBytes, 6);
        Assert.Equal(0.2, r.AverageQueueSize, 9);
        Assert.Equal(10, r.UtilizationPercent, 9);
    }

    [Fact]
    public void Between_14FieldDeviceReplaced_CountsFromZeroNeverNegative()
    {
        // Linux 4.4 shape; sdb was unplugged and another disk took its name: every counter went back.
        var prev = One("8 16 sdb 500 0 4000 100 500 0 4000 100 0 200 200");
        var cur = One("8 16 sdb 10 0 80 5 0 0 0 0 0 10 5");
        var r = DiskRates.Between(prev, cur, 1.0);

        Assert.True(r.Reset);
        Assert.Equal(10, r.ReadsPerSecond, 9);
        Assert.Equal(80 * 512, r.ReadBytesPerSecond, 6);
        Assert.Equal(0, r.WritesPerSecond, 9);
        Assert.Equal(0, r.DiscardsPerSecond, 9);
        Assert.Equal(0.5, r.ReadAwaitMs, 9);
        Assert.Equal(1, r.UtilizationPercent, 9);
        Assert.Equal(0.005, r.AverageQueueSize, 9);
    }

    [Fact]
    public void Between_CounterStepsBackWithoutReset_ClampsEveryDeltaAtZero()
    {
        // Reads went back (not every sector counter did, so this is no replaced device): no negative figure.
        var prev = One("254 0 vda 1000 100 20000 500 200 50 8000 300 0 700 900 10 1 400 20");
        var cur = One("254 0 vda 900 90 19000 400 250 50 9000 350 0 800 950 10 1 400 20");
        var r = DiskRates.Between(prev, cur, 1.0);

        Assert.False(r.Reset);
        Assert.Equal(0, r.ReadsPerSecond);
        Assert.Equal(0, r.ReadBytesPerSecond);
        Assert.Equal(0, r.ReadsMergedPercent);
        Assert.Equal(0, r.ReadAwaitMs);
        Assert.Equal(50, r.WritesPerSecond, 9);
        Assert.Equal(1000 * 512, r.WriteBytesPerSecond, 6);
        Assert.Equal(1.0, r.WriteAwaitMs, 9);
        Assert.Equal(0, r.FlushesPerSecond); // 18 fields: no flush counters
        Assert.Equal(10, r.UtilizationPercent, 9);
    }

    [Fact]
    public void Between_MillisecondCounterWraps_StepsForwardModulo2To32()
    {
        var prev = One("254 0 vda 10 0 80 5 0 0 0 0 0 4294967000 5");
        var cur = One("254 0 vda 20 0 160 10 0 0 0 0 0 200 10");
        var r = DiskRates.Between(prev, cur, 1.0);

        Assert.Equal(49.6, r.UtilizationPercent, 9);
        Assert.Equal(10, r.ReadsPerSecond, 9);
    }

    [Fact]
    public void Between_NoPreviousSample_IsSinceBootAndUtilizationStaysAtMost100()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64 (vda line of /proc/diskstats), 517.88 s of uptime.
        var cur = One("254 0 vda 14576 5329 1607530 16335 1959 5993 1568392 4420 0 4196 21007 3235 45 118384 250 9 0");
        var r = DiskRates.Between(null, cur, 517.88);

        Assert.True(r.FromZero);
        Assert.Equal((14576 + 1959 + 3235) / 517.88, r.TransfersPerSecond, 9);
        Assert.Equal(1607530 * 512 / 517.88, r.ReadBytesPerSecond, 6);
        Assert.Equal(4196 / 10.0 / 517.88, r.UtilizationPercent, 9);

        var busy = DiskRates.Between(One("254 0 vda 1 0 8 1 0 0 0 0 0 0 0"), One("254 0 vda 2 0 16 2 0 0 0 0 0 1500 0"), 1.0);
        Assert.Equal(100, busy.UtilizationPercent);
    }

    [Fact]
    public void IostatCpu_FromDelta_IsSysstatsAvgCpu()
    {
        var d = new CpuTimesDelta { UserTicks = 30, NiceTicks = 10, SystemTicks = 10, IrqTicks = 5, SoftirqTicks = 5, IdleTicks = 30, IowaitTicks = 5, StealTicks = 5, GuestTicks = 3 };
        var c = IostatCpuPercent.From(d);
        Assert.Equal(30, c.User, 9);
        Assert.Equal(10, c.Nice, 9);
        Assert.Equal(20, c.System, 9);
        Assert.Equal(5, c.IoWait, 9);
        Assert.Equal(5, c.Steal, 9);
        Assert.Equal(30, c.Idle, 9);
        Assert.Equal(new IostatCpuPercent(0, 0, 0, 0, 0, 0), IostatCpuPercent.From(new CpuTimesDelta()));
    }
}
