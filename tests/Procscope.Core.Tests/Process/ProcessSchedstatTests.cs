using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessSchedstatTests
{
    [Fact]
    public void Parse_BusyProgram_ReadsThreeFields()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/schedstat of a C program
        var s = ProcessSchedstat.Parse("19530626 103384 3\n"u8);

        Assert.Equal(19530626ul, s.RunTimeNs);
        Assert.Equal(103384ul, s.RunQueueWaitNs);
        Assert.Equal(3ul, s.Timeslices);
    }

    [Fact]
    public void Parse_KernelThread_ReadsThreeFields()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/schedstat (kthreadd)
        Assert.Equal(new ProcessSchedstat(4728272, 10376210, 60), ProcessSchedstat.Parse("4728272 10376210 60\n"u8));
    }

    [Fact]
    public void Parse_FreshProcess_CanReportZeroRunTime()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/schedstat of cat, read in its first slice
        Assert.Equal(new ProcessSchedstat(0, 0, 1), ProcessSchedstat.Parse("0 0 1\n"u8));
    }

    [Fact]
    public void Parse_TwoFields_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessSchedstat.Parse("1 2\n"u8));

        Assert.Equal("/proc/[pid]/schedstat", ex.File);
    }

    [Fact]
    public void Parse_NotANumber_ThrowsAtField()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessSchedstat.Parse("1 x 3\n"u8));

        Assert.Equal(2, ex.Offset);
    }
}
