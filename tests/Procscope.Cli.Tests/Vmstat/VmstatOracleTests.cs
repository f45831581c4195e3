using System.Globalization;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Vmstat;

/// <summary>
/// Live oracle: procps vmstat and procscope vmstat on this machine. Counters are bracketed by two
/// procps runs (before ≤ ours ≤ after: "within the churn" of the moment, whatever the load);
/// memory is within 5 MiB; layouts are identical.
/// </summary>
public sealed class VmstatOracleTests
{
    private static void SkipWithoutProcps()
    {
        if (!Run.CommandExists("vmstat")) Assert.Skip("procps vmstat is not installed");
    }

    [Fact]
    public void Stats_BracketedByProcps()
    {
        SkipWithoutProcps();
        string report = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var before = Parse(Run.Program("vmstat", ["-s"]).Stdout);
            var ours = Parse(Run.Procscope("vmstat", "-s").Stdout);
            var after = Parse(Run.Program("vmstat", ["-s"]).Stdout);
            Assert.Equal(before.Select(l => l.Label), ours.Select(l => l.Label));
            bool ok = true;
            report = "";
            for (int i = 0; i < ours.Count; i++)
            {
                var (label, v) = ours[i];
                long lo = Math.Min(before[i].Value, after[i].Value), hi = Math.Max(before[i].Value, after[i].Value);
                bool memory = label.StartsWith("K ", StringComparison.Ordinal) && (label.Contains("memory") || label.Contains("swap"));
                if (label is "K total memory" or "K total swap") Assert.Equal(before[i].Value, v);
                else if (memory) ok &= v >= lo - 5120 && v <= hi + 5120;
                else ok &= v >= lo && v <= hi;
                report += $"{before[i].Value,14} {v,14} {after[i].Value,14} {label}\n";
            }
            if (ok) return;
        }
        Assert.Fail("procscope's vmstat -s is not between two procps runs (before, ours, after):\n" + report);
    }

    [Fact]
    public async Task OneSecondTwice_SameLayout_FirstLineAverages()
    {
        SkipWithoutProcps();
        var theirsTask = Task.Run(() => Run.Program("vmstat", ["1", "2"]));
        var ours = Run.Procscope("vmstat", "1", "2");
        var theirs = await theirsTask;
        var a = ours.Stdout.Split('\n');
        var b = theirs.Stdout.Split('\n');
        Assert.Equal(b.Length, a.Length);
        Assert.Equal(b[0], a[0]);
        Assert.Equal(b[1], a[1]);
        for (int i = 2; i < a.Length - 1; i++)
            Assert.Equal(Fields(b[i]).Length, Fields(a[i]).Length);
        // The since-boot averages (si … st) move by at most one unit between the two starts.
        var fa = Fields(a[2]);
        var fb = Fields(b[2]);
        for (int c = 6; c < fa.Length; c++)
            Assert.True(Math.Abs(fa[c] - fb[c]) <= 1, $"column {c}: procps {b[2]} procscope {a[2]}");
    }

    [Fact]
    public void WideActiveTimestamp_SameHeaders()
    {
        SkipWithoutProcps();
        var ours = Run.Procscope("vmstat", "-w", "-a", "-t").Stdout.Split('\n');
        var theirs = Run.Program("vmstat", ["-w", "-a", "-t"]).Stdout.Split('\n');
        Assert.Equal(theirs[0], ours[0]);
        Assert.Equal(theirs[1], ours[1]);
        // A memory value can gain or lose a digit between the runs.
        Assert.True(Math.Abs(theirs[2].Length - ours[2].Length) <= 2, $"procps: {theirs[2]}\nprocscope: {ours[2]}");
    }

    [Fact]
    public void Disks_SameDevicesAndHeaders()
    {
        SkipWithoutProcps();
        var ours = Run.Procscope("vmstat", "-d").Stdout.Split('\n');
        var theirs = Run.Program("vmstat", ["-d"]).Stdout.Split('\n');
        Assert.Equal(theirs.Length, ours.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            if (theirs[i].StartsWith("disk-", StringComparison.Ordinal) || theirs[i].StartsWith("       total", StringComparison.Ordinal)) Assert.Equal(theirs[i], ours[i]);
            else if (theirs[i].Length > 0) Assert.Equal(theirs[i].Split(' ')[0], ours[i].Split(' ')[0]);
        }
    }

    [Fact]
    public void DiskSum_SameDiskAndPartitionCounts()
    {
        SkipWithoutProcps();
        var ours = Run.Procscope("vmstat", "-D").Stdout.Split('\n');
        var theirs = Run.Program("vmstat", ["-D"]).Stdout.Split('\n');
        Assert.Equal(theirs[0], ours[0]);
        Assert.Equal(theirs[1], ours[1]);
        Assert.Equal(theirs.Select(l => l.Length > 14 ? l[14..] : l), ours.Select(l => l.Length > 14 ? l[14..] : l));
    }

    [Fact]
    public void Slabs_SameCachesInSameOrder()
    {
        SkipWithoutProcps();
        if (!Run.IsRoot) Assert.Skip("/proc/slabinfo is readable by root only");
        // A cache can be created or destroyed between the two runs: retry.
        for (int attempt = 0; ; attempt++)
        {
            var ours = Run.Procscope("vmstat", "-m").Stdout.Split('\n').Select(l => l.Split(' ')[0]).ToArray();
            var theirs = Run.Program("vmstat", ["-m"]).Stdout.Split('\n').Select(l => l.Split(' ')[0]).ToArray();
            if (ours.SequenceEqual(theirs) || attempt == 4)
            {
                Assert.Equal(theirs, ours);
                return;
            }
        }
    }

    private static long[] Fields(string line) =>
        [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];

    private static List<(string Label, long Value)> Parse(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var t = l.TrimStart();
            int sp = t.IndexOf(' ');
            return (t[(sp + 1)..], long.Parse(t[..sp], CultureInfo.InvariantCulture));
        })];
}
