using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessStatmTests
{
    [Fact]
    public void Parse_BusyProgram_ReadsSevenFields()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/statm of the C program of the
        // smaps_rollup sample (VmSize 20972 kB = 5243 pages of 4 KiB)
        var s = ProcessStatm.Parse("5243 2932 585 1 0 4457 0\n"u8);

        Assert.Equal(5243ul, s.SizePages);
        Assert.Equal(2932ul, s.ResidentPages);
        Assert.Equal(585ul, s.SharedPages);
        Assert.Equal(1ul, s.TextPages);
        Assert.Equal(0ul, s.LibPages);
        Assert.Equal(4457ul, s.DataPages);
        Assert.Equal(0ul, s.DtPages);
    }

    [Fact]
    public void Parse_Init_ReadsSevenFields()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/1/statm
        Assert.Equal(new ProcessStatm(10151, 2919, 1584, 1315, 0, 8325, 0), ProcessStatm.Parse("10151 2919 1584 1315 0 8325 0\n"u8));
    }

    [Fact]
    public void Parse_KernelThread_AllZero()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/statm (kthreadd has no mm; zombies read the same)
        Assert.Equal(new ProcessStatm(0, 0, 0, 0, 0, 0, 0), ProcessStatm.Parse("0 0 0 0 0 0 0\n"u8));
    }

    [Fact]
    public void Parse_SixFields_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatm.Parse("1 2 3 4 5 6\n"u8));

        Assert.Equal("/proc/[pid]/statm", ex.File);
    }

    [Fact]
    public void Parse_NotANumber_ThrowsAtField()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStatm.Parse("1 2 3 -4 5 6 7\n"u8));

        Assert.Equal(6, ex.Offset);
    }

    [Fact]
    public void Parse_Empty_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStatm.Parse(""u8));
    }

    [Fact]
    public void ParseResidentShared_ReadsSecondAndThirdField()
    {
        Assert.Equal((2919UL, 1584UL), ProcessStatm.ParseResidentShared("10151 2919 1584 1315 0 8325 0\n"u8));
        Assert.Throws<ProcFormatException>(() => ProcessStatm.ParseResidentShared("1 2 3 4 5 6\n"u8));
    }
}
