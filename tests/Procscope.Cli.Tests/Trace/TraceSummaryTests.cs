using System.Globalization;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// What -c counts: strace's default is the system CPU time a call used (from wait4's rusage at
/// its two stops), -w the wall time between them. A 300 ms sleep shows the difference.
/// </summary>
public sealed class TraceSummaryTests
{
    /// <summary>The seconds column of <paramref name="call"/>'s row in a -c table.</summary>
    private static double Seconds(string table, string call)
    {
        var row = table.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length >= 5 && f[^1] == call);
        Assert.True(row is not null, $"no {call} row in:\n{table}");
        return double.Parse(row[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Count_DefaultIsSystemTime_SleepCostsAlmostNothing()
    {
        var r = Run.Procscope("trace", "-c", "sleep", "0.3");
        Assert.Equal(0, r.ExitCode);
        Assert.True(Seconds(r.Stderr, "clock_nanosleep") < 0.1, r.Stderr);
        Assert.Contains("100.00", r.Stderr.Split('\n').Last(l => l.EndsWith(" total", StringComparison.Ordinal)));
    }

    [Fact]
    public void CountWallClock_SleepCostsItsDuration()
    {
        var r = Run.Procscope("trace", "-c", "-w", "sleep", "0.3");
        Assert.Equal(0, r.ExitCode);
        Assert.True(Seconds(r.Stderr, "clock_nanosleep") >= 0.29, r.Stderr);
    }
}
