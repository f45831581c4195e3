using System.Globalization;
using Procscope.Linux.Spawning;

namespace Procscope.Linux.Tests.Spawning;

/// <summary>posix_spawnp + wait4 (ChildProcess) and the transient cgroup, on the live system.</summary>
public sealed class ChildProcessTests
{
    private static (Core.Process.WaitStatus Status, Core.Process.ResourceUsage Usage) RunToEnd(params string[] argv)
    {
        Assert.Equal(0, ChildProcess.TrySpawn(argv, out var child));
        return child!.Wait();
    }

    [Fact]
    public void ExitCode_AndRusage_OfTheReapedChild()
    {
        var (status, usage) = RunToEnd("sh", "-c", "exit 7");
        Assert.True(status.Exited);
        Assert.Equal(7, status.ExitCode);
        Assert.True(usage.MaxRssKiB > 0);
        Assert.True(usage.MinFlt > 0);
    }

    [Fact]
    public void KilledBySignal_DecodedAsSignal()
    {
        var (status, _) = RunToEnd("sh", "-c", "kill -TERM $$");
        Assert.True(status.Signaled);
        Assert.Equal(15, status.TermSignal);
        Assert.Equal(143, status.ShellExitCode);
    }

    [Fact]
    public void NotFound_ReturnsEnoent_NotExecutable_ReturnsEacces()
    {
        Assert.Equal(2, ChildProcess.TrySpawn(["procscope-no-such-program"], out var c1));
        Assert.Null(c1);
        Assert.Equal(13, ChildProcess.TrySpawn(["/etc/passwd"], out _));
    }

    [Fact]
    public void Child_HasDefaultSigpipeAndEmptyMask_DespiteTheRuntime()
    {
        // The .NET runtime ignores SIGPIPE; an ignored disposition survives exec.
        var file = Path.GetTempFileName();
        try
        {
            var (status, _) = RunToEnd("sh", "-c", $"grep -E 'SigIgn|SigBlk' /proc/self/status > '{file}'");
            Assert.Equal(0, status.ExitCode);
            var masks = File.ReadAllLines(file).ToDictionary(l => l.Split(':')[0], l => ulong.Parse(l.Split('\t')[1], NumberStyles.HexNumber));
            Assert.Equal(0UL, masks["SigIgn"] & (1UL << (13 - 1)));
            Assert.Equal(0UL, masks["SigBlk"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TransientCgroup_PeakCoversTheChild_AndIsRemoved()
    {
        var cg = TransientCgroup.TryCreate(out var reason);
        if (cg is null) Assert.Skip($"no transient cgroup here: {reason}");
        string path = cg.Path;
        try
        {
            Assert.True(Directory.Exists(path));
            // 64 MiB touched by a shell pipeline: head reads it from /dev/zero into memory.
            var (status, _) = cg.SpawnInside(() =>
            {
                Assert.Equal(0, ChildProcess.TrySpawn(["sh", "-c", "head -c 67108864 /dev/zero | tail -c 1 >/dev/null"], out var child));
                return child!;
            }).Wait();
            Assert.Equal(0, status.ExitCode);
            Assert.True(cg.ReadPeakBytes() > 0);
            // This test process went back to its own cgroup.
            Assert.DoesNotContain(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllLines(path + "/cgroup.procs"));
        }
        finally
        {
            cg.Dispose();
        }
        Assert.False(Directory.Exists(path));
    }
}
