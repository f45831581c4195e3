using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class MemInfoTests
{
    // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (with a 16 MiB swap file active)
    internal static ReadOnlySpan<byte> Captured => """
        MemTotal:       24684096 kB
        MemFree:        24362908 kB
        MemAvailable:   24377208 kB
        Buffers:            2500 kB
        Cached:           216512 kB
        SwapCached:            0 kB
        Active:           139392 kB
        Inactive:          83620 kB
        Active(anon):       1520 kB
        Inactive(anon):    11448 kB
        Active(file):     137872 kB
        Inactive(file):    72172 kB
        Unevictable:       12564 kB
        Mlocked:           11604 kB
        SwapTotal:         16380 kB
        SwapFree:          16380 kB
        Zswap:                 0 kB
        Zswapped:              0 kB
        Dirty:               272 kB
        Writeback:             0 kB
        AnonPages:         16844 kB
        Mapped:            15728 kB
        Shmem:              8788 kB
        KReclaimable:      21716 kB
        Slab:              43112 kB
        SReclaimable:      21716 kB
        SUnreclaim:        21396 kB
        KernelStack:        1332 kB
        PageTables:         1144 kB
        SecPageTables:         0 kB
        NFS_Unstable:          0 kB
        Bounce:                0 kB
        WritebackTmp:          0 kB
        CommitLimit:    12358428 kB
        Committed_AS:      61468 kB
        VmallocTotal:   34359738367 kB
        VmallocUsed:       14136 kB
        VmallocChunk:          0 kB
        Percpu:              688 kB
        AnonHugePages:         0 kB
        ShmemHugePages:        0 kB
        ShmemPmdMapped:        0 kB
        FileHugePages:         0 kB
        FilePmdMapped:         0 kB
        Balloon:               0 kB
        HugePages_Total:       0
        HugePages_Free:        0
        HugePages_Rsvd:        0
        HugePages_Surp:        0
        Hugepagesize:       2048 kB
        Hugetlb:               0 kB
        DirectMap4k:       30720 kB
        DirectMap2M:     2066432 kB
        DirectMap1G:    25165824 kB

        """u8;

    [Fact]
    public void Parse_CapturedMeminfo_ReadsEveryKnownKey()
    {
        var m = MemInfo.Parse(Captured);

        Assert.Equal(24684096L * 1024, m.MemTotalBytes);
        Assert.Equal(24362908L * 1024, m.MemFreeBytes);
        Assert.Equal(24377208L * 1024, m.MemAvailableBytes);
        Assert.Equal(2500L * 1024, m.BuffersBytes);
        Assert.Equal(216512L * 1024, m.CachedBytes);
        Assert.Equal(0L * 1024, m.SwapCachedBytes);
        Assert.Equal(139392L * 1024, m.ActiveBytes);
        Assert.Equal(83620L * 1024, m.InactiveBytes);
        Assert.Equal(1520L * 1024, m.ActiveAnonBytes);
        Assert.Equal(11448L * 1024, m.InactiveAnonBytes);
        Assert.Equal(137872L * 1024, m.ActiveFileBytes);
        Assert.Equal(72172L * 1024, m.InactiveFileBytes);
        Assert.Equal(12564L * 1024, m.UnevictableBytes);
        Assert.Equal(11604L * 1024, m.MlockedBytes);
        Assert.Null(m.HighTotalBytes);
        Assert.Null(m.HighFreeBytes);
        Assert.Null(m.LowTotalBytes);
        Assert.Null(m.LowFreeBytes);
        Assert.Null(m.MmapCopyBytes);
        Assert.Equal(16380L * 1024, m.SwapTotalBytes);
        Assert.Equal(16380L * 1024, m.SwapFreeBytes);
        Assert.Equal(0L * 1024, m.ZswapBytes);
        Assert.Equal(0L * 1024, m.ZswappedBytes);
        Assert.Equal(272L * 1024, m.DirtyBytes);
        Assert.Equal(0L * 1024, m.WritebackBytes);
        Assert.Equal(16844L * 1024, m.AnonPagesBytes);
        Assert.Equal(15728L * 1024, m.MappedBytes);
        Assert.Equal(8788L * 1024, m.ShmemBytes);
        Assert.Equal(21716L * 1024, m.KReclaimableBytes);
        Assert.Equal(43112L * 1024, m.SlabBytes);
        Assert.Equal(21716L * 1024, m.SReclaimableBytes);
        Assert.Equal(21396L * 1024, m.SUnreclaimBytes);
        Assert.Equal(1332L * 1024, m.KernelStackBytes);
        Assert.Null(m.ShadowCallStackBytes);
        Assert.Equal(1144L * 1024, m.PageTablesBytes);
        Assert.Equal(0L * 1024, m.SecPageTablesBytes);
        Assert.Equal(0L * 1024, m.NfsUnstableBytes);
        Assert.Equal(0L * 1024, m.BounceBytes);
        Assert.Equal(0L * 1024, m.WritebackTmpBytes);
        Assert.Equal(12358428L * 1024, m.CommitLimitBytes);
        Assert.Equal(61468L * 1024, m.CommittedAsBytes);
        Assert.Equal(34359738367L * 1024, m.VmallocTotalBytes);
        Assert.Equal(14136L * 1024, m.VmallocUsedBytes);
        Assert.Equal(0L * 1024, m.VmallocChunkBytes);
        Assert.Equal(688L * 1024, m.PercpuBytes);
        Assert.Null(m.HardwareCorruptedBytes);
        Assert.Equal(0L * 1024, m.AnonHugePagesBytes);
        Assert.Equal(0L * 1024, m.ShmemHugePagesBytes);
        Assert.Equal(0L * 1024, m.ShmemPmdMappedBytes);
        Assert.Equal(0L * 1024, m.FileHugePagesBytes);
        Assert.Equal(0L * 1024, m.FilePmdMappedBytes);
        Assert.Null(m.CmaTotalBytes);
        Assert.Null(m.CmaFreeBytes);
        Assert.Null(m.UnacceptedBytes);
        Assert.Equal(0L * 1024, m.BalloonBytes);
        Assert.Equal(0L, m.HugePagesTotal);
        Assert.Equal(0L, m.HugePagesFree);
        Assert.Equal(0L, m.HugePagesRsvd);
        Assert.Equal(0L, m.HugePagesSurp);
        Assert.Equal(2048L * 1024, m.HugepagesizeBytes);
        Assert.Equal(0L * 1024, m.HugetlbBytes);
        Assert.Equal(30720L * 1024, m.DirectMap4kBytes);
        Assert.Null(m.DirectMap4MBytes);
        Assert.Equal(2066432L * 1024, m.DirectMap2MBytes);
        Assert.Equal(25165824L * 1024, m.DirectMap1GBytes);
    }

    [Fact]
    public void Parse_CapturedMeminfo_KeepsEveryLineInOrder()
    {
        var m = MemInfo.Parse(Captured);

        Assert.Equal(54, m.All.Count);
        Assert.Equal(("MemTotal", 24684096L, true), m.All[0]);
        Assert.Equal(("Active(anon)", 1520L, true), m.All[8]);
        Assert.Equal(("HugePages_Total", 0L, false), m.All[45]);
        Assert.Equal(("DirectMap1G", 25165824L, true), m.All[53]);
    }

    [Fact]
    public void Parse_KnownKeys_ReturnsInternedStrings()
    {
        var a = MemInfo.Parse(Captured);
        var b = MemInfo.Parse(Captured);

        Assert.Same(a.All[0].Key, b.All[0].Key);
    }

    [Fact]
    public void Parse_MeminfoMissingMemAvailable_LeavesItNull()
    {
        // Shape of a Linux 3.10 file (before MemAvailable, 3.14), trimmed.
        var m = MemInfo.Parse("""
            MemTotal:        1016168 kB
            MemFree:          114980 kB
            Buffers:           94480 kB
            Cached:           541192 kB
            SwapCached:            0 kB

            """u8);

        Assert.Null(m.MemAvailableBytes);
        Assert.Equal(114980L * 1024, m.MemFreeBytes);
        Assert.Null(m.KReclaimableBytes);
        Assert.Equal(5, m.All.Count);
    }

    [Fact]
    public void Parse_UnknownKey_KeptInAllAndIgnoredByTypedProperties()
    {
        var m = MemInfo.Parse("""
            MemTotal:        1000 kB
            GPUActive:         12 kB
            SomeCount:          7

            """u8);

        Assert.Equal(1000L * 1024, m.MemTotalBytes);
        Assert.Equal(("GPUActive", 12L, true), m.All[1]);
        Assert.Equal(("SomeCount", 7L, false), m.All[2]);
    }

    [Fact]
    public void Parse_HighmemKeys_ReadLowAndHigh()
    {
        // Keys present on a 32-bit kernel with CONFIG_HIGHMEM (values illustrative).
        var m = MemInfo.Parse("""
            MemTotal:        3106692 kB
            MemFree:         2143644 kB
            HighTotal:       2227192 kB
            HighFree:        1577084 kB
            LowTotal:         879500 kB
            LowFree:          566560 kB
            DirectMap4M:      909312 kB

            """u8);

        Assert.Equal(2227192L * 1024, m.HighTotalBytes);
        Assert.Equal(1577084L * 1024, m.HighFreeBytes);
        Assert.Equal(879500L * 1024, m.LowTotalBytes);
        Assert.Equal(566560L * 1024, m.LowFreeBytes);
        Assert.Equal(909312L * 1024, m.DirectMap4MBytes);
    }

    [Fact]
    public void Parse_ConfigDependentKeys_ReadEach()
    {
        // Keys absent from the capture: arm64 with shadow call stacks, CMA, TDX/SEV guests, no-MMU.
        var m = MemInfo.Parse("""
            ShadowCallStack:    1 kB
            CmaTotal:           2 kB
            CmaFree:            3 kB
            Unaccepted:         4 kB
            MmapCopy:           5 kB

            """u8);

        Assert.Equal(1L * 1024, m.ShadowCallStackBytes);
        Assert.Equal(2L * 1024, m.CmaTotalBytes);
        Assert.Equal(3L * 1024, m.CmaFreeBytes);
        Assert.Equal(4L * 1024, m.UnacceptedBytes);
        Assert.Equal(5L * 1024, m.MmapCopyBytes);
    }

    [Fact]
    public void Parse_NoTrailingNewline_ReadsLastLine()
    {
        var m = MemInfo.Parse("MemTotal: 5 kB\nMemFree: 3 kB"u8);

        Assert.Equal(3L * 1024, m.MemFreeBytes);
    }

    [Fact]
    public void Parse_Empty_ReturnsNoKeys()
    {
        var m = MemInfo.Parse(""u8);

        Assert.Empty(m.All);
        Assert.Null(m.MemTotalBytes);
    }

    [Theory]
    [InlineData("MemTotal 1000 kB\n")]
    [InlineData("MemTotal: kB\n")]
    [InlineData("MemTotal: 1000 MB\n")]
    [InlineData("MemTotal: 1000 kB extra\n")]
    [InlineData("MemTotal: 12x kB\n")]
    [InlineData("MemTotal:\n")]
    [InlineData("MemTotal: 99999999999999999 kB\n")]
    public void Parse_MalformedLine_Throws(string line)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(line);

        var e = Assert.Throws<ProcFormatException>(() => MemInfo.Parse(bytes));
        Assert.Equal("/proc/meminfo", e.File);
    }
}
