using Procscope.Cli.Commands.Vmstat;
using Procscope.Core.Sys;

namespace Procscope.Cli.Tests.Vmstat;

/// <summary>vmstat's printf layouts (procps-ng 4.0.2 src/vmstat.c), from fixed values.</summary>
public sealed class VmstatFormatterTests
{
    private static readonly VmstatLine Sample = new(1, 0, 0, 24041436, 65624, 383696, 0, 0, 642, 360, 129, 446, 6, 2, 92, 0, 0, 0);

    [Fact]
    public void Header_Narrow_HasNoGuestColumn() => Assert.Equal(
        "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n" +
        " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n",
        VmstatFormatter.VmHeader(wide: false, activeInactive: false, timeZone: null));

    [Fact]
    public void Header_WideActiveTimestamp() => Assert.Equal(
        "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu---------- -----timestamp-----\n" +
        "   r    b         swpd         free        inact       active   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu                 UTC\n",
        VmstatFormatter.VmHeader(wide: true, activeInactive: true, timeZone: "UTC"));

    [Fact]
    public void Line_WideValuePushesColumnsRight() => Assert.Equal(
        " 1  0      0 24041436  65624 383696    0    0   642   360  129  446  6  2 92  0  0\n",
        VmstatFormatter.VmLine(Sample, wide: false, timestamp: null));

    [Fact]
    public void Line_IdleOfHundred_ThreeDigitsInATwoColumnField() => Assert.Equal(
        " 1  0      0 24204952  11324 384832    0    0     0     0   81  104  0  0 100  0  0\n",
        VmstatFormatter.VmLine(new VmstatLine(1, 0, 0, 24204952, 11324, 384832, 0, 0, 0, 0, 81, 104, 0, 0, 100, 0, 0, 0), wide: false, timestamp: null));

    [Fact]
    public void Line_WideWithTimestamp() => Assert.Equal(
        "   1    0            0     24041436        65624       383696    0    0   642   360  129  446   6   2  92   0   0   0 2026-11-25 21:50:09\n",
        VmstatFormatter.VmLine(Sample, wide: true, timestamp: "2026-11-25 21:50:09"));

    [Fact]
    public void HeaderHeight_PipeIsTwentyOneLines() => Assert.Equal(21u, VmstatFormatter.HeaderHeight(null));

    [Fact]
    public void HeaderHeight_TinyTerminal_Falls_Back_To22() => Assert.Equal(22u, VmstatFormatter.HeaderHeight(3));

    [Fact]
    public void HeaderBefore_EveryHeightLines() => Assert.Equal(
        [false, false, true, false, true],
        new ulong[] { 1, 2, 3, 5, 6 }.Select(i => VmstatFormatter.HeaderBefore(i, 3)).ToArray());

    [Fact]
    public void Forks_ThirteenWide() => Assert.Equal("        12208 forks\n", VmstatFormatter.Forks(12208));

    private static DiskStat Disk(string name, ulong inFlight = 0, ulong ioMs = 10072) => new()
    {
        Major = 254, Minor = 0, Name = name,
        ReadsCompleted = 62658, ReadsMerged = 23936, SectorsRead = 3176746, TimeReadingMs = 36374,
        WritesCompleted = 5499, WritesMerged = 15909, SectorsWritten = 1744064, TimeWritingMs = 6754,
        IosInProgress = inFlight, TimeIoMs = ioMs, WeightedTimeIoMs = 43456,
    };

    [Fact]
    public void DiskLine_SecondsAndInFlightDividedBy1000() => Assert.Equal(
        "vda    62658  23936 3176746   36374   5499  15909 1744064    6754      2     10\n",
        VmstatFormatter.DiskLine(Disk("vda", inFlight: 2500), wide: false, timestamp: null));

    [Fact]
    public void DiskLine_LongNameIsNotCut() => Assert.StartsWith("nvme0n1  62658 ", VmstatFormatter.DiskLine(Disk("nvme0n1"), false, null));

    [Fact]
    public void DiskHeader_Narrow() => Assert.Equal(
        "disk- ------------reads------------ ------------writes----------- -----IO------\n" +
        "       total merged sectors      ms  total merged sectors      ms    cur    sec\n",
        VmstatFormatter.DiskHeader(false, null));

    [Fact]
    public void DiskSum_CountsPartitionsSumsDisks()
    {
        var text = VmstatFormatter.DiskSum([Disk("vda"), Disk("vda1"), Disk("vdb")], n => n is "vda" or "vdb");
        Assert.StartsWith("            2 disks\n            1 partitions\n       125316 total reads\n", text);
        Assert.EndsWith("           20 milli spent IO\n           86 milli weighted IO\n", text);
    }

    [Fact]
    public void Partition_HeaderAndLine() => Assert.Equal(
        "vda             reads      read sectors      writes  requested writes\n" +
        "                62658           3176746        5499           1744064\n",
        VmstatFormatter.PartitionHeader("vda") + VmstatFormatter.PartitionLine(Disk("vda")));

    [Fact]
    public void SlabLine_NameCutTo24_PagesColumnIsObjectsPerSlab() => Assert.Equal(
        "a_very_long_slab_cache_n      7      8    512      8\n",
        VmstatFormatter.SlabLine(new SlabCache("a_very_long_slab_cache_name", 7, 8, 512, 8, 1, 0, 0, 0, 1, 1, 0)));

    [Fact]
    public void SortSlabs_ByteOrder_UppercaseFirst() => Assert.Equal(
        ["AF_VSOCK", "Acpi-State", "dentry"],
        VmstatFormatter.SortSlabs([Slab("dentry"), Slab("Acpi-State"), Slab("AF_VSOCK")]).Select(s => s.Name).ToArray());

    private static SlabCache Slab(string name) => new(name, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0);
}
