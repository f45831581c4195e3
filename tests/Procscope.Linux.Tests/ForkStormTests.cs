using System.Globalization;
using Procscope.Linux.Processes;

namespace Procscope.Linux.Tests;

/// <summary>Live: snapshots while tests/tracees/forkstorm.c forks children that exit at once and churns threads.</summary>
public sealed class ForkStormTests
{
    [Fact]
    public void Snapshot_DuringForkStorm_NeverThrowsAndEverySampleHasStat()
    {
        // Bounded at 120 s; stopped as soon as the snapshots are done. At most 8 children at once
        // keeps it from starving the other work on a 2-core machine.
        using var storm = Tracees.Start("forkstorm", "-t", "120", "8");
        var options = new SnapshotOptions
        {
            Fields = ProcessFields.Stat | ProcessFields.Status | ProcessFields.Cmdline | ProcessFields.Comm | ProcessFields.Io,
            Threads = true,
        };
        int samples = 0;
        for (int i = 0; i < 50; i++)
        {
            var snap = ProcessSnapshot.Take(ProcFs.Default, options);
            Assert.All(snap.Samples, s => Assert.NotNull(s.Stat));
            Assert.All(snap.Samples, s => Assert.Equal(s.Tid, s.Stat!.Pid));
            // The storm itself lives throughout, with its thread churner.
            Assert.Contains(snap.Samples, s => s.Pid == storm.Pid && !s.IsThread);
            samples += snap.Samples.Count;
        }
        storm.Stop();
        Assert.Equal(0, storm.ExitCode);
        var forks = storm.TrailingLines.Single(l => l.StartsWith("forks ", StringComparison.Ordinal));
        Assert.True(long.Parse(forks[6..], CultureInfo.InvariantCulture) > 0, forks);
        Assert.True(samples > 0);
    }
}
