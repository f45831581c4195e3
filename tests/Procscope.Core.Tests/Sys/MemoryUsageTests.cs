using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class MemoryUsageTests
{
    [Fact]
    public void From_CapturedMeminfo_MatchesFreeCapturedAtTheSameMoment()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs. `free -b -w -l -v` (procps-ng 4.0.2)
        // ran between two reads of /proc/meminfo that were identical (MemInfoTests.Captured):
        //                total        used        free      shared     buffers       cache   available
        // Mem:     25276514304   314253312 24947617792     8998912     2560000   243945472 24962260992
        // Low:     25276514304   328896512 24947617792
        // High:              0           0           0
        // Swap:       16773120           0    16773120
        // Comm:    12655030272    63524864 12591505408
        // (Comm used differs: Committed_AS moved while free itself was running.)
        var u = MemoryUsage.From(MemInfo.Parse(MemInfoTests.Captured));

        Assert.Equal(25276514304, u.TotalBytes);
        Assert.Equal(314253312, u.UsedBytes);
        Assert.Equal(24947617792, u.FreeBytes);
        Assert.Equal(8998912, u.SharedBytes);
        Assert.Equal(2560000, u.BuffersBytes);
        Assert.Equal(243945472, u.CacheBytes);
        Assert.Equal(2560000 + 243945472, u.BuffCacheBytes);
        Assert.Equal(24962260992, u.AvailableBytes);
        Assert.Equal(25276514304, u.LowTotalBytes);
        Assert.Equal(328896512, u.LowUsedBytes);
        Assert.Equal(24947617792, u.LowFreeBytes);
        Assert.Equal(0, u.HighTotalBytes);
        Assert.Equal(0, u.HighUsedBytes);
        Assert.Equal(0, u.HighFreeBytes);
        Assert.Equal(16773120, u.SwapTotalBytes);
        Assert.Equal(0, u.SwapUsedBytes);
        Assert.Equal(16773120, u.SwapFreeBytes);
        Assert.Equal(12655030272, u.CommitLimitBytes);
        Assert.Equal(61468L * 1024, u.CommittedAsBytes);
        Assert.Equal(12655030272 - 61468L * 1024, u.CommitFreeBytes);
    }

    [Fact]
    public void From_MeminfoMissingMemAvailable_UsesMemFree()
    {
        var u = Usage("""
            MemTotal:       1000 kB
            MemFree:         300 kB
            Buffers:         100 kB
            Cached:          200 kB

            """u8);

        Assert.Equal(300L * 1024, u.AvailableBytes);
        Assert.Equal(700L * 1024, u.UsedBytes);
        Assert.Equal(200L * 1024, u.CacheBytes);
        Assert.Equal(0, u.SharedBytes);
    }

    [Fact]
    public void From_MemAvailableZero_UsesMemFree()
    {
        var u = Usage("MemTotal: 1000 kB\nMemFree: 300 kB\nMemAvailable: 0 kB\n"u8);

        Assert.Equal(300L * 1024, u.AvailableBytes);
        Assert.Equal(700L * 1024, u.UsedBytes);
    }

    [Fact]
    public void From_MemAvailableAboveTotal_UsesMemFree()
    {
        // lxcfs-style container view: host MemAvailable against a container MemTotal.
        var u = Usage("MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 5000 kB\n"u8);

        Assert.Equal(400L * 1024, u.AvailableBytes);
        Assert.Equal(600L * 1024, u.UsedBytes);
    }

    [Fact]
    public void From_FreeAboveTotal_ClampsUsedAtZero()
    {
        var u = Usage("MemTotal: 1000 kB\nMemFree: 1500 kB\nMemAvailable: 900 kB\n"u8);

        Assert.Equal(900L * 1024, u.AvailableBytes);
        Assert.Equal(100L * 1024, u.UsedBytes);

        var v = Usage("MemTotal: 1000 kB\nMemFree: 1500 kB\n"u8);
        Assert.Equal(1500L * 1024, v.AvailableBytes);
        Assert.Equal(0, v.UsedBytes);
    }

    [Fact]
    public void From_SwapInUse_SubtractsFree()
    {
        var u = Usage("SwapTotal: 4000 kB\nSwapFree: 2500 kB\n"u8);

        Assert.Equal(1500L * 1024, u.SwapUsedBytes);
        Assert.Equal(2500L * 1024, u.SwapFreeBytes);
    }

    [Fact]
    public void From_SwapFreeAboveTotal_SwapUsedIsZero()
    {
        var u = Usage("SwapTotal: 4000 kB\nSwapFree: 4100 kB\n"u8);

        Assert.Equal(0, u.SwapUsedBytes);
    }

    [Fact]
    public void From_HighmemKernel_UsesLowAndHighKeys()
    {
        var u = Usage("""
            MemTotal:        3106692 kB
            MemFree:         2143644 kB
            HighTotal:       2227192 kB
            HighFree:        1577084 kB
            LowTotal:         879500 kB
            LowFree:          566560 kB

            """u8);

        Assert.Equal(879500L * 1024, u.LowTotalBytes);
        Assert.Equal((879500L - 566560) * 1024, u.LowUsedBytes);
        Assert.Equal(566560L * 1024, u.LowFreeBytes);
        Assert.Equal(2227192L * 1024, u.HighTotalBytes);
        Assert.Equal((2227192L - 1577084) * 1024, u.HighUsedBytes);
        Assert.Equal(1577084L * 1024, u.HighFreeBytes);
    }

    [Fact]
    public void From_Overcommitted_CommitFreeIsNegative()
    {
        var u = Usage("CommitLimit: 1000 kB\nCommitted_AS: 3000 kB\n"u8);

        Assert.Equal(-2000L * 1024, u.CommitFreeBytes);
    }

    [Fact]
    public void From_EmptyMeminfo_IsAllZero()
    {
        var u = Usage(""u8);

        Assert.Equal(0, u.TotalBytes);
        Assert.Equal(0, u.UsedBytes);
        Assert.Equal(0, u.AvailableBytes);
        Assert.Equal(0, u.LowTotalBytes);
    }

    private static MemoryUsage Usage(ReadOnlySpan<byte> meminfo) => MemoryUsage.From(MemInfo.Parse(meminfo));
}
