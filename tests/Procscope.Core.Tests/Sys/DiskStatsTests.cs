using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class DiskStatsTests
{
    // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (20 fields per line)
    private static ReadOnlySpan<byte> Captured => """
           7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       1 loop1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       2 loop2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       3 loop3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       4 loop4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       5 loop5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       6 loop6 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       7 loop7 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
         254       0 vda 14576 5329 1607530 16335 1959 5993 1568392 4420 0 4196 21007 3235 45 118384 250 9 0
         253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0

        """u8;

    [Fact]
    public void Parse_CapturedDiskstatsWith20Fields_ReadsEveryField()
    {
        var d = DiskStats.Parse(Captured);

        Assert.Equal(10, d.Disks.Count);
        Assert.Equal(["loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop7", "vda", "zram0"], d.Disks.Select(x => x.Name));
        var vda = d.Disks[8];
        Assert.Equal(254U, vda.Major);
        Assert.Equal(0U, vda.Minor);
        Assert.Equal("vda", vda.Name);
        Assert.Equal(14576UL, vda.ReadsCompleted);
        Assert.Equal(5329UL, vda.ReadsMerged);
        Assert.Equal(1607530UL, vda.SectorsRead);
        Assert.Equal(16335UL, vda.TimeReadingMs);
        Assert.Equal(1959UL, vda.WritesCompleted);
        Assert.Equal(5993UL, vda.WritesMerged);
        Assert.Equal(1568392UL, vda.SectorsWritten);
        Assert.Equal(4420UL, vda.TimeWritingMs);
        Assert.Equal(0UL, vda.IosInProgress);
        Assert.Equal(4196UL, vda.TimeIoMs);
        Assert.Equal(21007UL, vda.WeightedTimeIoMs);
        Assert.Equal(3235UL, vda.DiscardsCompleted);
        Assert.Equal(45UL, vda.DiscardsMerged);
        Assert.Equal(118384UL, vda.SectorsDiscarded);
        Assert.Equal(250UL, vda.TimeDiscardingMs);
        Assert.Equal(9UL, vda.FlushesCompleted);
        Assert.Equal(0UL, vda.TimeFlushingMs);
        var zram = d.Disks[9];
        Assert.Equal((253U, 0U), (zram.Major, zram.Minor));
        Assert.Equal(0UL, zram.TimeFlushingMs);
    }

    [Fact]
    public void Parse_DiskstatsWith14Fields_LeavesDiscardsNull()
    {
        // Linux 4.4 shape (before 4.18).
        var d = DiskStats.Parse("   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n   8       1 sda1 12 13 14 15 16 17 18 19 20 21 22\n"u8);

        Assert.Equal(2, d.Disks.Count);
        var s = d.Disks[1];
        Assert.Equal((8U, 1U, "sda1"), (s.Major, s.Minor, s.Name));
        Assert.Equal(new ulong[] { 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 },
            new[] { s.ReadsCompleted, s.ReadsMerged, s.SectorsRead, s.TimeReadingMs, s.WritesCompleted, s.WritesMerged,
             s.SectorsWritten, s.TimeWritingMs, s.IosInProgress, s.TimeIoMs, s.WeightedTimeIoMs });
        Assert.Null(s.DiscardsCompleted);
        Assert.Null(s.DiscardsMerged);
        Assert.Null(s.SectorsDiscarded);
        Assert.Null(s.TimeDiscardingMs);
        Assert.Null(s.FlushesCompleted);
        Assert.Null(s.TimeFlushingMs);
    }

    [Fact]
    public void Parse_DiskstatsWith18Fields_LeavesFlushesNull()
    {
        // Linux 4.18 to 5.4 shape.
        var s = DiskStats.Parse(" 259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"u8).Disks[0];

        Assert.Equal((259U, 0U, "nvme0n1"), (s.Major, s.Minor, s.Name));
        Assert.Equal(11UL, s.WeightedTimeIoMs);
        Assert.Equal(12UL, s.DiscardsCompleted);
        Assert.Equal(13UL, s.DiscardsMerged);
        Assert.Equal(14UL, s.SectorsDiscarded);
        Assert.Equal(15UL, s.TimeDiscardingMs);
        Assert.Null(s.FlushesCompleted);
        Assert.Null(s.TimeFlushingMs);
    }

    [Fact]
    public void Parse_DiskstatsMixingFieldCounts_ReadsEachLineByItsCount()
    {
        var d = DiskStats.Parse("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n8 1 sda1 1 2 3 4 5 6 7 8 9 10 11\n"u8);

        Assert.Equal(17UL, d.Disks[0].TimeFlushingMs);
        Assert.Null(d.Disks[1].DiscardsCompleted);
    }

    [Fact]
    public void Parse_DiskstatsWithFieldsFromALaterKernel_IgnoresThem()
    {
        var s = DiskStats.Parse("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n"u8).Disks[0];

        Assert.Equal(17UL, s.TimeFlushingMs);
    }

    [Fact]
    public void Parse_HugeCounter_ReadsFullUInt64()
    {
        // in_flight has been seen printed as a wrapped unsigned value after accounting bugs.
        var s = DiskStats.Parse("8 0 sda 1 2 3 4 5 6 7 8 4294967295 10 11\n"u8).Disks[0];

        Assert.Equal(4294967295UL, s.IosInProgress);
    }

    [Fact]
    public void Parse_EmptyDiskstats_ReturnsNoDisks()
    {
        Assert.Empty(DiskStats.Parse(""u8).Disks);
        Assert.Empty(DiskStats.Parse("\n"u8).Disks);
    }

    [Theory]
    [InlineData("8 0 sda 1 2 3 4 5 6 7 8 9 10\n")]
    [InlineData("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12\n")]
    [InlineData("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n")]
    [InlineData("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    [InlineData("8 0 sda 1 2 3 4 5 6 7 8 9 10 x\n")]
    [InlineData("x 0 sda 1 2 3 4 5 6 7 8 9 10 11\n")]
    [InlineData("4294967296 0 sda 1 2 3 4 5 6 7 8 9 10 11\n")]
    public void Parse_MalformedDiskstats_Throws(string line)
    {
        var e = Assert.Throws<ProcFormatException>(() => DiskStats.Parse(System.Text.Encoding.ASCII.GetBytes(line)));
        Assert.Equal("/proc/diskstats", e.File);
    }
}
