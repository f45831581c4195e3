using Procscope.Cli.Tests.Infrastructure;
using Procscope.Cli.Tests.Top;

namespace Procscope.Cli.Tests.Iotop;

/// <summary>The interactive view in a real terminal (tmux, top's test session): sort keys, toggles, q restores the screen.</summary>
public sealed class IotopTmuxTests
{
    [Fact]
    public void SortKeys_Toggles_Q_RestoresTheScreenAndExitsZero()
    {
        if (!Run.CommandExists("tmux")) Assert.Skip("tmux not installed");
        if (!Run.IsRoot) Assert.Skip("taskstats needs root");
        using var s = new TopTmuxTests.Session();
        s.Literal($"{Run.BinaryPath} iotop -d 0.5; echo EXIT=$?");
        s.Keys("Enter");
        s.WaitFor(x => x.Contains("Total DISK READ:") && x.Contains("IO>") && x.Contains("COMMAND"), "the table sorted by IO");
        s.Keys("Left"); // sort by SWAPIN
        s.WaitFor(x => x.Contains("SWAPIN>"), "sort by SWAPIN");
        s.Keys("Right");
        s.Keys("Right"); // past IO to TOTAL READ, skipped without --totals: COMMAND
        s.WaitFor(x => x.Contains("COMMAND>"), "sort by COMMAND");
        s.Keys("r");
        s.WaitFor(x => x.Contains("COMMAND<"), "reversed");
        s.Keys("p");
        s.WaitFor(x => x.Contains("    PID "), "processes");
        s.Keys("a");
        s.WaitFor(x => x.Contains("READS ") && !x.Contains("READS/s"), "accumulated");
        s.Keys("q");
        // The typed command line contains "EXIT=$?" itself: wait for the digits.
        var end = s.WaitFor(x => System.Text.RegularExpressions.Regex.IsMatch(x, @"EXIT=\d"), "exit");
        Assert.Contains("EXIT=0", end);
        Assert.DoesNotContain("Total DISK READ:", end); // the alternate screen is gone
    }
}
