using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class KernelStatTests
{
    // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs
    internal static ReadOnlySpan<byte> Captured => """
        cpu  7273 2 2380 143261 302 0 23 21 0 0
        cpu0 3005 0 1037 72536 21 0 5 9 0 0
        cpu1 4267 1 1343 70724 280 0 17 11 0 0
        intr 170945 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 14 0 0 0 0 153 39 0 25 1 10539 0 1750 1524 0 2390 4087 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        ctxt 621236
        btime 1795641589
        processes 5090
        procs_running 2
        procs_blocked 0
        softirq 94575 0 18926 3 3227 10536 0 3 30582 0 31298

        """u8;

    [Fact]
    public void Parse_CapturedStat_ReadsEveryField()
    {
        var s = KernelStat.Parse(Captured);

        AssertCpu(s.Total, null, 7273, 2, 2380, 143261, 302, 0, 23, 21, 0, 0);
        Assert.Equal(2, s.Cpus.Count);
        AssertCpu(s.Cpus[0], 0, 3005, 0, 1037, 72536, 21, 0, 5, 9, 0, 0);
        AssertCpu(s.Cpus[1], 1, 4267, 1, 1343, 70724, 280, 0, 17, 11, 0, 0);
        Assert.Equal(170945UL, s.IntrTotal);
        Assert.Equal(621236UL, s.Ctxt);
        Assert.Equal(1795641589L, s.BootTimeUnixSeconds);
        Assert.Equal(5090UL, s.Processes);
        Assert.Equal(2U, s.ProcsRunning);
        Assert.Equal(0U, s.ProcsBlocked);
        Assert.Equal(94575UL, s.SoftirqTotal);
    }

    [Fact]
    public void Parse_StatWithOfflineCpu_KeepsNonContiguousIds()
    {
        // cpu1 offline (echo 0 > /sys/devices/system/cpu/cpu1/online): its line disappears.
        var s = KernelStat.Parse("""
            cpu  300 0 60 9000 3 0 1 0 0 0
            cpu0 100 0 20 3000 1 0 0 0 0 0
            cpu2 200 0 40 6000 2 0 1 0 0 0
            intr 5
            ctxt 6
            btime 1700000000
            processes 7

            """u8);

        Assert.Equal([0, 2], s.Cpus.Select(c => c.CpuId!.Value));
        Assert.Equal(200UL, s.Cpus[1].UserTicks);
        Assert.Null(s.Total.CpuId);
    }

    [Fact]
    public void Parse_OldKernelStat_LeavesLaterFieldsNull()
    {
        // Shape of a Linux 2.6.9 file: 7 cpu fields, no steal/guest, no softirq line.
        var s = KernelStat.Parse("""
            cpu  2255 34 2290 22625563 6290 127 456
            cpu0 1132 34 1441 11311718 3675 127 438
            intr 114930548 113199788 3 0 5 263 0 4 0
            ctxt 1990473
            btime 1062191376
            processes 2915
            procs_running 1
            procs_blocked 0

            """u8);

        Assert.Equal(456UL, s.Total.SoftirqTicks);
        Assert.Null(s.Total.StealTicks);
        Assert.Null(s.Total.GuestTicks);
        Assert.Null(s.Total.GuestNiceTicks);
        Assert.Null(s.SoftirqTotal);
        Assert.Equal(114930548UL, s.IntrTotal);
    }

    [Fact]
    public void Parse_Linux24Stat_SkipsUnknownKeysAndLeavesProcsNull()
    {
        var s = KernelStat.Parse("""
            cpu  1 2 3 4
            page 5741 1808
            swap 1 0
            disk_io: (2,0):(31,30,5764,1,2) (3,0):
            intr 1462898 1 2
            ctxt 115315
            btime 769041601
            processes 86031

            """u8);

        Assert.Equal(4UL, s.Total.IdleTicks);
        Assert.Null(s.Total.IowaitTicks);
        Assert.Empty(s.Cpus);
        Assert.Null(s.ProcsRunning);
        Assert.Null(s.ProcsBlocked);
        Assert.Equal(86031UL, s.Processes);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("intr")]
    [InlineData("ctxt")]
    [InlineData("btime")]
    [InlineData("processes")]
    public void Parse_StatMissingRequiredLine_Throws(string key)
    {
        var lines = new[] { "cpu  1 2 3 4", "intr 5", "ctxt 6", "btime 7", "processes 8" };
        var text = string.Join('\n', lines.Where(l => !l.StartsWith(key + " ", StringComparison.Ordinal))) + "\n";

        var e = Assert.Throws<ProcFormatException>(() => KernelStat.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Contains($"'{key}'", e.Message);
    }

    [Theory]
    [InlineData("cpux 1 2 3 4\n")]
    [InlineData("cpu-1 1 2 3 4\n")]
    [InlineData("cpu  1 2 3\n")]
    [InlineData("cpu  1 2 x 4\n")]
    [InlineData("ctxt -5\n")]
    [InlineData("procs_running 4294967296\n")]
    public void Parse_MalformedStatLine_Throws(string line)
    {
        Assert.Throws<ProcFormatException>(() => KernelStat.Parse(System.Text.Encoding.ASCII.GetBytes(line)));
    }

    private static void AssertCpu(CpuTimes c, int? id, ulong user, ulong nice, ulong system, ulong idle,
        ulong iowait, ulong irq, ulong softirq, ulong steal, ulong guest, ulong guestNice)
    {
        Assert.Equal(id, c.CpuId);
        Assert.Equal(user, c.UserTicks);
        Assert.Equal(nice, c.NiceTicks);
        Assert.Equal(system, c.SystemTicks);
        Assert.Equal(idle, c.IdleTicks);
        Assert.Equal(iowait, c.IowaitTicks);
        Assert.Equal(irq, c.IrqTicks);
        Assert.Equal(softirq, c.SoftirqTicks);
        Assert.Equal(steal, c.StealTicks);
        Assert.Equal(guest, c.GuestTicks);
        Assert.Equal(guestNice, c.GuestNiceTicks);
    }
}
