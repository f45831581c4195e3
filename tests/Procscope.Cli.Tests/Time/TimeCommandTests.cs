using System.Diagnostics;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Time;

/// <summary>
/// procscope time against GNU time (/usr/bin/time) on the same commands, and the tree measures.
/// One class: its tests run one after another, so the cgroup checks see only their own run.
/// </summary>
public sealed class TimeCommandTests
{
    private const string GnuTime = "/usr/bin/time";

    private static void RequireGnuTime()
    {
        if (!File.Exists(GnuTime)) Assert.Skip("GNU time is not installed (/usr/bin/time; apt-get install time)");
    }

    /// <summary>"\tLabel: value" lines of -v output, by label.</summary>
    private static Dictionary<string, string> Verbose(string stderr) =>
        stderr.Split('\n').Where(l => l.StartsWith('\t') && l.Contains(": "))
            .Select(l => l.Trim('\t').Split(": ", 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    private static void Within(double expected, double actual, double fraction, string what) =>
        Assert.True(Math.Abs(actual - expected) <= expected * fraction, $"{what}: ours {actual}, GNU time {expected} (tolerance {fraction:P0})");

    [Fact]
    public void Report_GoesToStderr_CommandOutputToStdout()
    {
        var r = Run.Procscope("time", "sh", "-c", "echo out; echo err >&2");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
        Assert.StartsWith("err\n", r.Stderr);
        Assert.Matches(@"\d+\.\d\duser \d+\.\d\dsystem \d+:\d\d\.\d\delapsed (\d+|\?)%CPU \(0avgtext\+0avgdata \d+maxresident\)k\n\d+inputs\+\d+outputs \(\d+major\+\d+minor\)pagefaults 0swaps\n$", r.Stderr[4..]);
    }

    [Theory]
    [InlineData("exit 3")]
    [InlineData("exit 0")]
    [InlineData("kill -TERM $$")]
    [InlineData("kill -KILL $$")]
    [InlineData("kill -INT $$")]
    public void ExitCodeAndStatusLine_AsGnuTime(string script)
    {
        RequireGnuTime();
        var ours = Run.Procscope("time", "sh", "-c", script);
        var gnu = Run.Program(GnuTime, ["sh", "-c", script]);
        Assert.Equal(gnu.ExitCode, ours.ExitCode);
        Assert.Equal(gnu.Stderr.Split('\n')[0].StartsWith("Command", StringComparison.Ordinal) ? gnu.Stderr.Split('\n')[0] : null,
                     ours.Stderr.Split('\n')[0].StartsWith("Command", StringComparison.Ordinal) ? ours.Stderr.Split('\n')[0] : null);
        var quiet = Run.Procscope("time", "-q", "sh", "-c", script);
        Assert.Equal(gnu.ExitCode, quiet.ExitCode);
        Assert.DoesNotContain("Command ", quiet.Stderr);
    }

    [Fact]
    public void NotFound127_NotExecutable126_AsGnuTime()
    {
        RequireGnuTime();
        var dir = Directory.CreateTempSubdirectory("procscope-time");
        try
        {
            var plain = Path.Combine(dir.FullName, "not-executable");
            File.WriteAllText(plain, "#!/bin/sh\necho no\n");
            foreach (var cmd in new[] { "procscope-no-such-command", plain, dir.FullName })
            {
                var ours = Run.Procscope("time", cmd);
                var gnu = Run.Program(GnuTime, [cmd]);
                Assert.Equal(gnu.ExitCode, ours.ExitCode);
                Assert.Contains($"cannot run {cmd}:", ours.Stderr);
                Assert.Contains($"Command exited with non-zero status {gnu.ExitCode}", ours.Stderr);
            }
            Assert.Equal(127, Run.Procscope("time", "procscope-no-such-command").ExitCode);
            Assert.Equal(126, Run.Procscope("time", plain).ExitCode);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Usage_Errors_Exit125_AsGnuTime()
    {
        var none = Run.Procscope("time");
        Assert.Equal(125, none.ExitCode);
        Assert.Contains("missing program to run", none.Stderr);
        Assert.Equal(125, Run.Procscope("time", "--bogus", "true").ExitCode);
        // Options stop at the command: "-v" belongs to ls here.
        var r = Run.Procscope("time", "-f", "%x", "sh", "-c", "exit 4", "-v");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("Command exited with non-zero status 4\n4\n", r.Stderr);
    }

    [Fact]
    public void Verbose_MatchesGnuTime_MaxRssAndFaultsWithin10Percent()
    {
        RequireGnuTime();
        var exe = CTracees.Build("touch-mb");
        // 128 MiB: large against either tool's own footprint, which both bill to the child.
        var ours = Verbose(Run.Procscope("time", "-v", exe, "128").Stderr);
        var gnu = Verbose(Run.Program(GnuTime, ["-v", exe, "128"]).Stderr);
        Within(long.Parse(gnu["Maximum resident set size (kbytes)"]), long.Parse(ours["Maximum resident set size (kbytes)"]), 0.10, "max RSS");
        Within(long.Parse(gnu["Minor (reclaiming a frame) page faults"]), long.Parse(ours["Minor (reclaiming a frame) page faults"]), 0.10, "minor faults");
        Assert.Equal(gnu["Exit status"], ours["Exit status"]);
        Assert.Equal(gnu["Page size (bytes)"], ours["Page size (bytes)"]);
        Assert.Equal($"{exe} 128", ours["Command being timed"].Trim('"'));
        // Every GNU line, in GNU's order, then ours.
        var gnuLabels = gnu.Keys.ToList();
        Assert.Equal(gnuLabels, ours.Keys.Take(gnuLabels.Count).ToList());
    }

    [Fact]
    public void Verbose_SignalLineAndExitStatus_AsGnuTime()
    {
        RequireGnuTime();
        var ours = Run.Procscope("time", "-v", "sh", "-c", "kill -9 $$");
        var gnu = Run.Program(GnuTime, ["-v", "sh", "-c", "kill -9 $$"]);
        Assert.Equal(gnu.Stderr.Split('\n')[0], ours.Stderr.Split('\n')[0]);
        Assert.Equal(Verbose(gnu.Stderr)["Exit status"], Verbose(ours.Stderr)["Exit status"]);
        Assert.Equal(gnu.ExitCode, ours.ExitCode);
    }

    [Fact]
    public void Format_Specifiers_AsGnuTime()
    {
        RequireGnuTime();
        // The deterministic specifiers and the escape rules (unknown ones print '?').
        const string fmt = @"%C|%x|%Z|%%|%Q|\t|\q|\\|%W|%X|%D|%K|%p|%t|%k|%r|%s";
        var ours = Run.Procscope("time", "-f", fmt, "sh", "-c", "exit 2");
        var gnu = Run.Program(GnuTime, ["-f", fmt, "sh", "-c", "exit 2"]);
        Assert.Equal(gnu.Stderr, ours.Stderr);
        var env = new Dictionary<string, string?> { ["TIME"] = "T=%x" };
        Assert.Equal("T=0\n", Run.ProcscopeEnv(env, "time", "true").Stderr);
        Assert.Matches(@"^real \d+\.\d\d\nuser \d+\.\d\d\nsys \d+\.\d\d\n$", Run.Procscope("time", "-p", "true").Stderr);
        Assert.Matches(@"^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+:\d\d\.\d\d$", Run.Procscope("time", "--format=%e %U %S %E", "true").Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void OutputFile_OverwritesOrAppends()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "old\n");
            var r = Run.Procscope("time", "-o", file, "-f", "one %x", "true");
            Assert.Equal("", r.Stderr);
            Assert.Equal("one 0\n", File.ReadAllText(file));
            Run.Procscope("time", "-a", "-o", file, "-f", "two %x", "sh", "-c", "exit 1");
            Assert.Equal("one 0\nCommand exited with non-zero status 1\ntwo 1\n", File.ReadAllText(file));
            Assert.Equal(125, Run.Procscope("time", "-o", "/nonexistent-dir/x", "true").ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TouchingNMiB_TakesAtLeastNMiBOver4KiBMinorFaults()
    {
        var exe = CTracees.Build("touch-mb");
        var r = Run.Procscope("time", "-f", "%R %F", exe, "64");
        Assert.Equal(0, r.ExitCode);
        var minor = long.Parse(r.Stderr.Split(' ')[0]);
        Assert.True(minor >= 64L * 1024 * 1024 / 4096, $"minor faults {minor}");
    }

    [Fact]
    public void MappingAnEvictedFile_TakesMajorFaults()
    {
        var exe = CTracees.Build("map-file");
        var file = Path.Combine("/var/tmp", $"procscope-map-{Environment.ProcessId}");
        try
        {
            var data = new byte[16 << 20];
            new Random(1).NextBytes(data);
            File.WriteAllBytes(file, data);
            // The tracee evicts the file's own pages (fadvise); as root, drop every clean cache too, as the issue asks.
            if (Run.IsRoot) Run.Shell("sync; echo 1 > /proc/sys/vm/drop_caches");
            var r = Run.Procscope("time", "-f", "%F %R", exe, file);
            Assert.Equal(0, r.ExitCode);
            var major = long.Parse(r.Stderr.Split(' ')[0]);
            Assert.True(major > 0, $"major faults {major}: {r.Stderr}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ThreeChildrenOf100MiB_TreePeakAtLeast300MiB_WhileGnuTimeSeesAbout100()
    {
        RequireGnuTime();
        var exe = CTracees.Build("three-children");
        var ours = Run.Procscope("time", "--json", "--tree", exe, "100", "300");
        Assert.Equal(0, ours.ExitCode);
        using var doc = JsonDocument.Parse(ours.Stderr);
        var root = doc.RootElement;
        long treePeak = root.GetProperty("tree_peak_rss_bytes").GetInt64();
        Assert.True(treePeak >= 300L << 20, $"tree peak {treePeak} ({root.GetProperty("tree_peak_rss_source")})");
        Assert.True(root.GetProperty("tree_sampled_peak_rss_bytes").GetInt64() >= 300L << 20);
        Assert.Equal(4, root.GetProperty("processes").GetArrayLength());
        Assert.Equal(3, root.GetProperty("processes").EnumerateArray().Count(p => p.GetProperty("peak_rss_bytes").GetInt64() >= 100L << 20));
        long maxRss = root.GetProperty("max_rss_bytes").GetInt64();
        var gnu = Run.Program(GnuTime, ["-f", "%M", exe, "100", "300"]);
        long gnuKiB = long.Parse(gnu.Stderr.Trim());
        Assert.InRange(gnuKiB, 100 * 1024, 130 * 1024);
        Within(gnuKiB * 1024, maxRss, 0.10, "max RSS (largest single process)");
        Assert.False(root.TryGetProperty("swaps", out _));
    }

    [Fact]
    public void WithoutCgroup_TreePeakSampled_StillSeesThreeChildren()
    {
        var exe = CTracees.Build("three-children");
        var env = new Dictionary<string, string?> { ["PROCSCOPE_TIME_NO_CGROUP"] = "1" };
        var r = Run.ProcscopeEnv(env, "time", "-v", exe, "100", "300");
        Assert.Equal(0, r.ExitCode);
        var v = Verbose(r.Stderr);
        var key = v.Keys.Single(k => k.StartsWith("Tree peak memory (kbytes, sampled every", StringComparison.Ordinal));
        Assert.True(long.Parse(v[key]) >= 300 * 1024, $"{key}: {v[key]}");
        using var doc = JsonDocument.Parse(Run.ProcscopeEnv(env, "time", "--json", "true").Stderr);
        Assert.Equal("sampled", doc.RootElement.GetProperty("tree_peak_rss_source").GetString());
        Assert.Contains("PROCSCOPE_TIME_NO_CGROUP", doc.RootElement.GetProperty("cgroup_unavailable_reason").GetString());
    }

    [Fact]
    public void Tree_AsRoot_SeesEveryShortLivedChildAndItsExitStatus()
    {
        // The report into a file: the shell writes "Killed" to stderr.
        var file = Path.GetTempFileName();
        Run.Procscope("time", "--tree", "--json", "-o", file, "sh", "-c", "for i in 1 2 3 4 5 6; do sh -c \"exit $i\"; done; sh -c 'kill -9 $$'; exit 0");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        File.Delete(file);
        var root = doc.RootElement;
        if (root.GetProperty("processes_source").GetString() != "events+sampled")
            Assert.Skip($"no process events: {root.GetProperty("process_events_unavailable_reason")}");
        var procs = root.GetProperty("processes").EnumerateArray().ToList();
        Assert.Equal(8, procs.Count);
        var codes = procs.Where(p => p.GetProperty("exit_code").ValueKind == JsonValueKind.Number).Select(p => p.GetProperty("exit_code").GetInt32()).Order().ToList();
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 6 }, codes);
        Assert.Single(procs, p => p.TryGetProperty("signal", out var s) && s.GetInt32() == 9);
        Assert.All(procs.Skip(1), p => Assert.Equal(procs[0].GetProperty("pid").GetInt32(), p.GetProperty("ppid").GetInt32()));
    }

    [Fact]
    public void Sigint_NotFromATerminal_IsForwarded()
    {
        // A background job of a non-interactive shell starts with SIGINT ignored, and exec keeps
        // SIG_IGN: the child would then rightly survive the forwarded signal (GNU time's too).
        if (Run.SigintIgnored)
            Assert.Skip("SIGINT is ignored in the test process (started as a background job), so every child inherits SIG_IGN");
        var psi = new ProcessStartInfo(Run.BinaryPath) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "time", "sleep", "30" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20) && (!File.Exists($"/proc/{p.Id}/task/{p.Id}/children") || File.ReadAllText($"/proc/{p.Id}/task/{p.Id}/children").Trim().Length == 0))
            Thread.Sleep(10);
        Assert.Equal(0, Tracees.Kill(p.Id, 2));
        Assert.True(p.WaitForExit(20_000), "procscope time did not exit after SIGINT");
        Assert.Equal(130, p.ExitCode);
        Assert.StartsWith("Command terminated by signal 2\n", p.StandardError.ReadToEnd());
    }

    /// <summary>The cgroup directories named procscope-time-* beside this test process's own cgroups.</summary>
    private static List<string> TransientCgroups()
    {
        var found = new List<string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            string? mount = parts[1] == "" ? "/sys/fs/cgroup/unified" : parts[1].Split(',').Contains("memory") ? "/sys/fs/cgroup/memory" : null;
            if (parts[1] == "" && !Directory.Exists(mount)) mount = "/sys/fs/cgroup";
            if (mount is null) continue;
            var dir = mount + parts[2].TrimEnd('/');
            if (Directory.Exists(dir)) found.AddRange(Directory.GetDirectories(dir, "procscope-time-*"));
        }
        return found;
    }

    [Fact]
    public void Cgroup_RemovedAfterTheRun()
    {
        var r = Run.Procscope("time", "--json", "true");
        using var doc = JsonDocument.Parse(r.Stderr);
        if (doc.RootElement.GetProperty("tree_peak_rss_source").GetString() != "cgroup")
            Assert.Skip($"no transient cgroup here: {doc.RootElement.GetProperty("cgroup_unavailable_reason")}");
        Assert.Empty(TransientCgroups());
    }

    [Fact]
    public async Task Sigterm_ReachesTheChild_ReportPrinted_CgroupRemoved()
    {
        var psi = new ProcessStartInfo(Run.BinaryPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "time", "-v", "sleep", "30" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // Wait (bounded) until the child runs: sleep appears as our child.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20) && !File.Exists($"/proc/{p.Id}/task/{p.Id}/children")) Thread.Sleep(10);
        while (sw.Elapsed < TimeSpan.FromSeconds(20) && File.ReadAllText($"/proc/{p.Id}/task/{p.Id}/children").Trim().Length == 0) Thread.Sleep(10);
        bool hadCgroup = TransientCgroups().Count > 0;
        Assert.Equal(0, Tracees.Kill(p.Id, 15));
        Assert.True(p.WaitForExit(20_000), "procscope time did not exit after SIGTERM");
        Assert.Equal(143, p.ExitCode);
        var stderr = await stderrTask;
        Assert.StartsWith("Command terminated by signal 15\n", stderr);
        Assert.Contains("\tExit status: 0\n", stderr);
        if (hadCgroup) Assert.Empty(TransientCgroups());
    }
}

internal static partial class Tracees
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int sig);
}
