using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessCommTests
{
    [Fact]
    public void Parse_Cat_StripsNewline()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/comm of cat
        Assert.Equal("cat"u8.ToArray(), ProcessComm.Parse("cat\n"u8).NameBytes);
    }

    [Fact]
    public void Parse_KernelThreadLongerThan15Bytes_KeepsFullName()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/16/comm: kernel threads show up to 64 bytes
        Assert.Equal("rcu_exp_par_gp_kthread_worker/0"u8.ToArray(), ProcessComm.Parse("rcu_exp_par_gp_kthread_worker/0\n"u8).NameBytes);
    }

    [Fact]
    public void Parse_NameWithNewlineAndBackslash_StripsOnlyTheLastNewline()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — comm set to "a\\b\nc) S 1 (d"; comm is not escaped
        var c = ProcessComm.Parse("a\\b\nc) S 1 (d\n"u8);

        Assert.Equal("a\\b\nc) S 1 (d"u8.ToArray(), c.NameBytes);
    }

    [Fact]
    public void Parse_NameEndingInNewline_KeepsIt()
    {
        // synthetic: prctl(PR_SET_NAME, "a\n") reads back as "a\n\n"
        Assert.Equal("a\n"u8.ToArray(), ProcessComm.Parse("a\n\n"u8).NameBytes);
    }

    [Fact]
    public void Parse_InvalidUtf8_KeepsRawBytes()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — comm written as "c\td\e[31m\xff"
        byte[] content = [.. "c\td\u001b[31m"u8, 0xFF, (byte)'\n'];

        Assert.Equal(content[..^1], ProcessComm.Parse(content).NameBytes);
    }

    [Fact]
    public void Parse_Empty_IsEmptyName()
    {
        // synthetic: prctl(PR_SET_NAME, "") gives "\n"; a truncated read gives nothing
        Assert.Empty(ProcessComm.Parse("\n"u8).NameBytes);
        Assert.Empty(ProcessComm.Parse(""u8).NameBytes);
    }

    [Fact]
    public void Parse_NoTrailingNewline_KeepsEverything()
    {
        // synthetic
        Assert.Equal("perl"u8.ToArray(), ProcessComm.Parse("perl"u8).NameBytes);
    }
}
