using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessSmapsRollupTests
{
    private const long K = 1024;

    // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/smaps_rollup of a C program holding 8 MiB
    // of THP-backed anonymous memory, 1 MiB with half of it MADV_FREE'd, 64 KiB mlock'ed and 1 MiB
    // of a shared memfd mapping
    private static ReadOnlySpan<byte> Busy =>
        "55999d634000-7ffe1057d000 ---p 00000000 00:00 0                          [rollup]\n"u8 +
        "Rss:               11724 kB\n"u8 +
        "Pss:               10619 kB\n"u8 +
        "Pss_Dirty:          9908 kB\n"u8 +
        "Pss_Anon:           9384 kB\n"u8 +
        "Pss_File:            211 kB\n"u8 +
        "Pss_Shmem:          1024 kB\n"u8 +
        "Shared_Clean:       1304 kB\n"u8 +
        "Shared_Dirty:          0 kB\n"u8 +
        "Private_Clean:       512 kB\n"u8 +
        "Private_Dirty:      9908 kB\n"u8 +
        "Referenced:        11212 kB\n"u8 +
        "Anonymous:          9384 kB\n"u8 +
        "KSM:                   0 kB\n"u8 +
        "LazyFree:            512 kB\n"u8 +
        "AnonHugePages:      8192 kB\n"u8 +
        "ShmemPmdMapped:        0 kB\n"u8 +
        "FilePmdMapped:         0 kB\n"u8 +
        "Shared_Hugetlb:        0 kB\n"u8 +
        "Private_Hugetlb:       0 kB\n"u8 +
        "Swap:                  0 kB\n"u8 +
        "SwapPss:               0 kB\n"u8 +
        "Locked:               64 kB\n"u8;

    [Fact]
    public void Parse_BusyProgram_ReadsEveryField()
    {
        var s = ProcessSmapsRollup.Parse(Busy);

        Assert.Equal(11724 * K, s.RssBytes);
        Assert.Equal(10619 * K, s.PssBytes);
        Assert.Equal(9908 * K, s.PssDirtyBytes);
        Assert.Equal(9384 * K, s.PssAnonBytes);
        Assert.Equal(211 * K, s.PssFileBytes);
        Assert.Equal(1024 * K, s.PssShmemBytes);
        Assert.Equal(1304 * K, s.SharedCleanBytes);
        Assert.Equal(0, s.SharedDirtyBytes);
        Assert.Equal(512 * K, s.PrivateCleanBytes); // the MADV_FREE'd half counts as clean
        Assert.Equal(9908 * K, s.PrivateDirtyBytes);
        Assert.Equal(11212 * K, s.ReferencedBytes);
        Assert.Equal(9384 * K, s.AnonymousBytes);
        Assert.Equal(512 * K, s.LazyFreeBytes);
        Assert.Equal(8192 * K, s.AnonHugePagesBytes);
        Assert.Equal(0, s.ShmemPmdMappedBytes);
        Assert.Equal(0, s.FilePmdMappedBytes);
        Assert.Equal(0, s.SharedHugetlbBytes);
        Assert.Equal(0, s.PrivateHugetlbBytes);
        Assert.Equal(0, s.SwapBytes);
        Assert.Equal(0, s.SwapPssBytes);
        Assert.Equal(64 * K, s.LockedBytes);
        Assert.Equal((512 + 9908) * K, s.UssBytes);
    }

    [Fact]
    public void Parse_Cat_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/smaps_rollup of cat
        var s = ProcessSmapsRollup.Parse(
            "55a950b1e000-7fff8b019000 ---p 00000000 00:00 0                          [rollup]\n"u8 +
            "Rss:                1748 kB\n"u8 +
            "Pss:                 496 kB\n"u8 +
            "Pss_Dirty:           112 kB\n"u8 +
            "Pss_Anon:            112 kB\n"u8 +
            "Pss_File:            384 kB\n"u8 +
            "Pss_Shmem:             0 kB\n"u8 +
            "Shared_Clean:       1596 kB\n"u8 +
            "Shared_Dirty:          0 kB\n"u8 +
            "Private_Clean:        40 kB\n"u8 +
            "Private_Dirty:       112 kB\n"u8 +
            "Referenced:         1748 kB\n"u8 +
            "Anonymous:           112 kB\n"u8 +
            "KSM:                   0 kB\n"u8 +
            "LazyFree:              0 kB\n"u8 +
            "AnonHugePages:         0 kB\n"u8 +
            "ShmemPmdMapped:        0 kB\n"u8 +
            "FilePmdMapped:         0 kB\n"u8 +
            "Shared_Hugetlb:        0 kB\n"u8 +
            "Private_Hugetlb:       0 kB\n"u8 +
            "Swap:                  0 kB\n"u8 +
            "SwapPss:               0 kB\n"u8 +
            "Locked:                0 kB\n"u8);

        Assert.Equal(1748 * K, s.RssBytes);
        Assert.Equal(496 * K, s.PssBytes);
        Assert.Equal(112 * K, s.PssDirtyBytes);
        Assert.Equal(112 * K, s.PssAnonBytes);
        Assert.Equal(384 * K, s.PssFileBytes);
        Assert.Equal(0, s.PssShmemBytes);
        Assert.Equal(1596 * K, s.SharedCleanBytes);
        Assert.Equal(0, s.SharedDirtyBytes);
        Assert.Equal(40 * K, s.PrivateCleanBytes);
        Assert.Equal(112 * K, s.PrivateDirtyBytes);
        Assert.Equal(1748 * K, s.ReferencedBytes);
        Assert.Equal(112 * K, s.AnonymousBytes);
        Assert.Equal(0, s.LazyFreeBytes);
        Assert.Equal(0, s.AnonHugePagesBytes);
        Assert.Equal(0, s.ShmemPmdMappedBytes);
        Assert.Equal(0, s.FilePmdMappedBytes);
        Assert.Equal(0, s.SharedHugetlbBytes);
        Assert.Equal(0, s.PrivateHugetlbBytes);
        Assert.Equal(0, s.SwapBytes);
        Assert.Equal(0, s.SwapPssBytes);
        Assert.Equal(0, s.LockedBytes);
        Assert.Equal(152 * K, s.UssBytes);
        // Rss = shared + private, always.
        Assert.Equal(s.RssBytes, s.SharedCleanBytes + s.SharedDirtyBytes + s.UssBytes);
    }

    [Fact]
    public void Parse_OldKernelWithoutPssSplit_LeavesNewerFieldsNull()
    {
        // synthetic, in the shape of Linux 4.14's first smaps_rollup (no Pss_Dirty/Anon/File/Shmem,
        // no FilePmdMapped, no KSM)
        var s = ProcessSmapsRollup.Parse(
            "00400000-7ffd5c3e8000 ---p 00000000 00:00 0                              [rollup]\n"u8 +
            "Rss:                 884 kB\n"u8 +
            "Pss:                 385 kB\n"u8 +
            "Shared_Clean:        696 kB\n"u8 +
            "Shared_Dirty:          0 kB\n"u8 +
            "Private_Clean:       120 kB\n"u8 +
            "Private_Dirty:        68 kB\n"u8 +
            "Referenced:          884 kB\n"u8 +
            "Anonymous:            68 kB\n"u8 +
            "LazyFree:              0 kB\n"u8 +
            "AnonHugePages:         0 kB\n"u8 +
            "ShmemPmdMapped:        0 kB\n"u8 +
            "Shared_Hugetlb:        0 kB\n"u8 +
            "Private_Hugetlb:       0 kB\n"u8 +
            "Swap:                  0 kB\n"u8 +
            "SwapPss:               0 kB\n"u8 +
            "Locked:                0 kB\n"u8);

        Assert.Equal(884 * K, s.RssBytes);
        Assert.Equal(385 * K, s.PssBytes);
        Assert.Null(s.PssDirtyBytes);
        Assert.Null(s.PssAnonBytes);
        Assert.Null(s.PssFileBytes);
        Assert.Null(s.PssShmemBytes);
        Assert.Null(s.FilePmdMappedBytes);
        Assert.Equal(696 * K, s.SharedCleanBytes);
        Assert.Equal(188 * K, s.UssBytes);
        Assert.Equal(0, s.LazyFreeBytes);
        Assert.Equal(0, s.SwapPssBytes);
    }

    [Fact]
    public void Parse_NoHeader_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessSmapsRollup.Parse("Rss:  1 kB\nPss:  1 kB\n"u8));

        Assert.Equal("/proc/[pid]/smaps_rollup", ex.File);
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void Parse_Empty_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessSmapsRollup.Parse(""u8));
    }

    [Fact]
    public void Parse_MissingRequiredKey_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessSmapsRollup.Parse(
            "0-0 ---p 00000000 00:00 0 [rollup]\nRss: 1 kB\nPss: 1 kB\n"u8));

        Assert.Contains("Shared_Clean", ex.Message);
    }

    [Fact]
    public void Parse_ValueWithoutUnit_ThrowsAtValue()
    {
        byte[] content = [.. "0-0 ---p 00000000 00:00 0 [rollup]\nRss:   12\n"u8];

        var ex = Assert.Throws<ProcFormatException>(() => ProcessSmapsRollup.Parse(content));

        Assert.Equal(content.AsSpan().IndexOf("12"u8), ex.Offset);
    }
}
