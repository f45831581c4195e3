using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

/// <summary>wait(2) status words as glibc's sys/wait.h macros decode them (values from bits/waitstatus.h).</summary>
public sealed class ResourceUsageTests
{
    [Fact]
    public void WaitStatus_Exited3_DecodesLikeWEXITSTATUS()
    {
        var s = new WaitStatus(3 << 8);
        Assert.True(s.Exited);
        Assert.False(s.Signaled);
        Assert.Equal(3, s.ExitCode);
        Assert.Equal(3, s.ShellExitCode);
    }

    [Fact]
    public void WaitStatus_KilledBySigkill_Is128Plus9()
    {
        var s = new WaitStatus(9);
        Assert.False(s.Exited);
        Assert.True(s.Signaled);
        Assert.Equal(9, s.TermSignal);
        Assert.False(s.CoreDumped);
        Assert.Equal(0, s.ExitCode);
        Assert.Equal(137, s.ShellExitCode);
    }

    [Fact]
    public void WaitStatus_SigsegvWithCore_SetsCoreDumped()
    {
        var s = new WaitStatus(0x80 | 11);
        Assert.True(s.Signaled);
        Assert.True(s.CoreDumped);
        Assert.Equal(139, s.ShellExitCode);
    }

    [Fact]
    public void WaitStatus_StoppedBySigstop_IsStoppedNotSignaled()
    {
        var s = new WaitStatus((19 << 8) | 0x7f);
        Assert.True(s.Stopped);
        Assert.False(s.Signaled);
        Assert.False(s.Exited);
        Assert.Equal(19, s.StopSignal);
    }

    [Fact]
    public void ResourceUsage_Blocks_AreBytesOver512()
    {
        var u = ResourceUsage.Zero with { InBlock = 8, OuBlock = 2, MaxRssKiB = 1000 };
        Assert.Equal(4096, u.ReadBytes);
        Assert.Equal(1024, u.WrittenBytes);
        Assert.Equal(1_024_000, u.MaxRssBytes);
    }
}
