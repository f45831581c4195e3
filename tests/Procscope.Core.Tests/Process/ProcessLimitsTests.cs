using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessLimitsTests
{
    // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/limits of cat
    private static ReadOnlySpan<byte> Cat =>
        "Limit                     Soft Limit           Hard Limit           Units     \n"u8 +
        "Max cpu time              unlimited            unlimited            seconds   \n"u8 +
        "Max file size             unlimited            unlimited            bytes     \n"u8 +
        "Max data size             unlimited            unlimited            bytes     \n"u8 +
        "Max stack size            8388608              unlimited            bytes     \n"u8 +
        "Max core file size        0                    unlimited            bytes     \n"u8 +
        "Max resident set          unlimited            unlimited            bytes     \n"u8 +
        "Max processes             96365                96365                processes \n"u8 +
        "Max open files            20000                20000                files     \n"u8 +
        "Max locked memory         8388608              8388608              bytes     \n"u8 +
        "Max address space         unlimited            unlimited            bytes     \n"u8 +
        "Max file locks            unlimited            unlimited            locks     \n"u8 +
        "Max pending signals       96365                96365                signals   \n"u8 +
        "Max msgqueue size         819200               819200               bytes     \n"u8 +
        "Max nice priority         0                    0                    \n"u8 +
        "Max realtime priority     0                    0                    \n"u8 +
        "Max realtime timeout      unlimited            unlimited            us        \n"u8;

    [Fact]
    public void Parse_Cat_ReadsEveryRow()
    {
        var l = ProcessLimits.Parse(Cat);

        Assert.Equal(
            [
                new ProcessLimit("Max cpu time", null, null, "seconds"),
                new ProcessLimit("Max file size", null, null, "bytes"),
                new ProcessLimit("Max data size", null, null, "bytes"),
                new ProcessLimit("Max stack size", 8388608, null, "bytes"),
                new ProcessLimit("Max core file size", 0, null, "bytes"),
                new ProcessLimit("Max resident set", null, null, "bytes"),
                new ProcessLimit("Max processes", 96365, 96365, "processes"),
                new ProcessLimit("Max open files", 20000, 20000, "files"),
                new ProcessLimit("Max locked memory", 8388608, 8388608, "bytes"),
                new ProcessLimit("Max address space", null, null, "bytes"),
                new ProcessLimit("Max file locks", null, null, "locks"),
                new ProcessLimit("Max pending signals", 96365, 96365, "signals"),
                new ProcessLimit("Max msgqueue size", 819200, 819200, "bytes"),
                new ProcessLimit("Max nice priority", 0, 0, null),
                new ProcessLimit("Max realtime priority", 0, 0, null),
                new ProcessLimit("Max realtime timeout", null, null, "us"),
            ],
            l.Limits);
    }

    [Fact]
    public void Find_ByName_ReturnsRow()
    {
        var l = ProcessLimits.Parse(Cat);

        Assert.Equal(new ProcessLimit("Max open files", 20000, 20000, "files"), l.Find(ProcessLimits.MaxOpenFiles));
        Assert.Equal(8388608ul, l.Find(ProcessLimits.MaxStackSize)?.Soft);
        Assert.Null(l.Find(ProcessLimits.MaxStackSize)?.Hard);
        Assert.Null(l.Find("Max open file"));
        Assert.Null(l.Find("max open files"));
    }

    [Fact]
    public void Parse_KnownNames_ReuseConstantInstances()
    {
        var l = ProcessLimits.Parse(Cat);

        Assert.Same(ProcessLimits.MaxOpenFiles, l.Limits[7].Name);
        Assert.Same(ProcessLimits.MaxRealtimeTimeout, l.Limits[15].Name);
    }

    [Fact]
    public void Parse_DifferentValues_ReadsSoftAndHardSeparately()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — the "Max open files" row of /proc/2/limits
        var l = ProcessLimits.Parse(
            "Limit                     Soft Limit           Hard Limit           Units     \n"u8 +
            "Max open files            1024                 4096                 files     \n"u8);

        Assert.Equal(new ProcessLimit("Max open files", 1024, 4096, "files"), Assert.Single(l.Limits));
    }

    [Fact]
    public void Parse_TwentyDigitValueAndUnknownRow_DoesNotDependOnColumnWidths()
    {
        // synthetic: a 20-digit soft limit fills its column, and a future row with a name longer
        // than 25 bytes shifts every later column
        var l = ProcessLimits.Parse(
            "Limit                     Soft Limit           Hard Limit           Units     \n"u8 +
            "Max address space         18446744073709551614 unlimited            bytes     \n"u8 +
            "Max future thing per cgroup 5 6 widgets\n"u8);

        Assert.Equal(new ProcessLimit("Max address space", 18446744073709551614, null, "bytes"), l.Limits[0]);
        Assert.Equal(new ProcessLimit("Max future thing per cgroup", 5, 6, "widgets"), l.Limits[1]);
    }

    [Fact]
    public void Parse_HeaderOnly_HasNoRows()
    {
        Assert.Empty(ProcessLimits.Parse("Limit                     Soft Limit           Hard Limit           Units     \n"u8).Limits);
    }

    [Fact]
    public void Parse_NoHeader_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse("Max open files 1 2 files\n"u8));

        Assert.Equal("/proc/[pid]/limits", ex.File);
    }

    [Fact]
    public void Parse_MissingHardLimit_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse("Limit\nMax open files            1024\n"u8));

        Assert.Equal(6, ex.Offset);
    }

    [Fact]
    public void Parse_BadHardLimit_ThrowsAtField()
    {
        byte[] content = [.. "Limit\nMax open files 1024 lots files\n"u8];

        var ex = Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse(content));

        Assert.Equal(content.AsSpan().IndexOf("lots"u8), ex.Offset);
    }

    [Fact]
    public void Parse_NoName_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse("Limit\n1 2 files\n"u8));
    }

    [Fact]
    public void Parse_ExtraFieldAfterUnits_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse("Limit\nMax open files 1 2 files extra\n"u8));
    }
}
