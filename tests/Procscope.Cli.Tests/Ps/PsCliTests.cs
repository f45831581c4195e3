using System.Globalization;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ps;

/// <summary>Exit codes, error lines, write errors and --json of procscope ps.</summary>
[Collection(PsLiveCollection.Name)]
public sealed class PsCliTests(PsFixtureProcesses fixtures)
{
    private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void UnknownPid_HeaderOnlyExitOneLikeProcps()
    {
        int pid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture) - 1;
        while (Directory.Exists($"/proc/{pid}")) pid--;
        var ours = Run.ProcscopeEnv(PsOracle.Environment(), "ps", "-p", Pid(pid));
        Assert.Equal(1, ours.ExitCode);
        Assert.Single(ours.Lines);
        Assert.Equal("", ours.Stderr);
        if (Run.CommandExists("ps"))
        {
            var procps = Run.Program("ps", ["-p", Pid(pid)], PsOracle.Environment());
            Assert.Equal(procps.ExitCode, ours.ExitCode);
            Assert.Equal(procps.Stdout, ours.Stdout);
        }
    }

    [Fact]
    public void InvalidOption_OneLineExitOne()
    {
        foreach (var (args, message) in new[]
                 {
                     (new[] { "--foo" }, "unknown gnu long option"),
                     (new[] { "-o", "nosuchfield" }, "unknown user-defined format specifier \"nosuchfield\""),
                     (new[] { "-p", "abc" }, "process ID list syntax error"),
                     (new[] { "--sort=nosuch" }, "unknown sort specifier"),
                     (new[] { "-L", "--forest" }, "thread display conflicts with forest display"),
                 })
        {
            var r = Run.Procscope(["ps", .. args]);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"procscope ps: {message}\n", r.Stderr);
            Assert.Equal("", r.Stdout);
            if (Run.CommandExists("ps")) Assert.Equal(Run.Program("ps", args).ExitCode, r.ExitCode);
        }
    }

    [Fact]
    public void DevFull_WriteErrorNonZero()
    {
        if (!File.Exists("/dev/full")) Assert.Skip("no /dev/full");
        var r = Run.Shell($"'{Run.BinaryPath}' ps aux > /dev/full");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("procscope ps: write error: No space left on device\n", r.Stderr);
    }

    [Fact]
    public void Help_ListsSectionsExitZero()
    {
        var r = Run.Procscope("ps", "--help", "all");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Selection by list:", r.Stdout);
        Assert.Contains("--json", r.Stdout);
    }

    [Fact]
    public void Json_ShapeAndValuesOfASleepingChild()
    {
        if (!fixtures.Available) Assert.Skip(fixtures.Problem ?? "fixtures unavailable");
        int pid = fixtures.SleeperPid;
        var r = Run.ProcscopeEnv(PsOracle.Environment(), "ps", "-p", Pid(pid), "-o", "pid,ppid,user,rss,vsz,stat,tty,etimes,time,lstart,comm,args,nlwp", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var o = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(pid, o.GetProperty("pid").GetInt32());
        Assert.Equal(JsonValueKind.Number, o.GetProperty("ppid").ValueKind);
        Assert.Equal("plain-sleeper", o.GetProperty("comm").GetString());
        Assert.Equal($"{fixtures.Directory}/plain-sleeper 86400", o.GetProperty("args").GetString());
        Assert.Equal("S", o.GetProperty("stat").GetString());
        Assert.Equal(1, o.GetProperty("nlwp").GetInt32());
        Assert.True(o.GetProperty("cpu_seconds").GetDouble() < 1);
        Assert.True(o.GetProperty("elapsed_seconds").GetDouble() >= 0);
        double start = o.GetProperty("start_time_unix").GetDouble();
        Assert.InRange(start, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        long rss = o.GetProperty("rss_bytes").GetInt64();
        long vsz = o.GetProperty("vsz_bytes").GetInt64();
        if (Run.CommandExists("ps"))
        {
            var ps = Run.Program("ps", ["-o", "rss=,vsz=,user=", "-p", Pid(pid)]);
            var f = ps.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(long.Parse(f[0], CultureInfo.InvariantCulture) * 1024, rss);
            Assert.Equal(long.Parse(f[1], CultureInfo.InvariantCulture) * 1024, vsz);
            Assert.Equal(f[2].Trim(), o.GetProperty("user").GetString());
        }
        Assert.Equal(JsonValueKind.Null, o.GetProperty("tty").ValueKind);
    }

    [Fact]
    public void Json_HostileNamesExactAndUnreadableNull()
    {
        if (!fixtures.Available) Assert.Skip(fixtures.Problem ?? "fixtures unavailable");
        var r = Run.ProcscopeEnv(PsOracle.Environment(), "ps", "-p", fixtures.PidList, "-o", "pid,comm,args", "--json");
        using var doc = JsonDocument.Parse(r.Stdout);
        var comms = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("comm").GetString()).ToList();
        Assert.Contains("a) b", comms);
        Assert.Contains("z) S 1 1 1", comms);
        Assert.Contains("x\ny", comms);
        Assert.Contains("\u001b[31mred", comms);
        Assert.Contains("\uFFFD\uFFFDab", comms);
        var args = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("args").GetString()).ToList();
        if (fixtures.Pids.ContainsValue("argv")) Assert.Contains("argv\u001b[31m\nnl\uFFFD 86402", args);
        // The zombie has no command line; its memory is gone.
        var zombie = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("pid").GetInt32() == fixtures.ZombiePid);
        Assert.Equal("", zombie.GetProperty("args").GetString());

        if (Run.IsRoot && Run.CommandExists("setpriv"))
        {
            var denied = Run.Program("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "ps", "-p", "1", "-o", "pid,exe,io_read_bytes,comm", "--json"]);
            using var d = JsonDocument.Parse(denied.Stdout);
            var one = Assert.Single(d.RootElement.EnumerateArray());
            Assert.Equal(JsonValueKind.Null, one.GetProperty("exe").ValueKind);
            Assert.Equal(JsonValueKind.Null, one.GetProperty("io_read_bytes").ValueKind);
            Assert.Equal(JsonValueKind.String, one.GetProperty("comm").ValueKind);
        }
    }

    [Fact]
    public void JsonLines_OneObjectPerLine()
    {
        var r = Run.Procscope("ps", "-e", "-o", "pid,ppid,rss,cmd,uss,pss,swap,io_read_bytes,io_write_bytes,ctxsw_vol,ctxsw_invol,oom_score", "--json-lines");
        Assert.Equal(0, r.ExitCode);
        Assert.True(r.Lines.Length > 1);
        foreach (var line in r.Lines)
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            Assert.Equal(JsonValueKind.Object, o.ValueKind);
            Assert.Equal(JsonValueKind.Number, o.GetProperty("pid").ValueKind);
            foreach (var key in new[] { "rss_bytes", "uss_bytes", "pss_bytes", "swap_bytes", "io_read_bytes", "io_write_bytes", "ctxsw_voluntary", "ctxsw_involuntary", "oom_score" })
                Assert.True(o.GetProperty(key).ValueKind is JsonValueKind.Number or JsonValueKind.Null, key);
        }
        var self = r.Lines.Select(l => JsonDocument.Parse(l).RootElement).FirstOrDefault(e => e.GetProperty("pid").GetInt32() == Environment.ProcessId);
        if (self.ValueKind == JsonValueKind.Object)
        {
            Assert.True(self.GetProperty("uss_bytes").GetInt64() > 0);
            Assert.True(self.GetProperty("ctxsw_voluntary").GetInt64() > 0);
        }
    }

    [Fact]
    public void ProcessesExitingMidScan_DropOutSilently()
    {
        // A fork storm: short-lived processes come and go while ps reads /proc.
        using var storm = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "end=$(($(date +%s)+4)); while [ $(date +%s) -lt $end ]; do /bin/true & /bin/true & wait; done"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            foreach (var args in new[] { new[] { "aux" }, ["-eLf"], ["-e", "-o", "pid,args,uss,io_read_bytes,wchan,exe"], ["axjf"], ["-e", "--json"] })
            {
                for (int i = 0; i < 3; i++)
                {
                    var r = Run.Procscope(["ps", .. args]);
                    Assert.Equal(0, r.ExitCode);
                    Assert.Equal("", r.Stderr);
                }
            }
        }
        finally
        {
            storm.Kill(true);
        }
    }

    [Fact]
    public void ElapsedTime_AgreesWithProcpsWithinTheTimeBetweenRuns()
    {
        if (!fixtures.Available || !Run.CommandExists("ps")) Assert.Skip("needs fixtures and procps ps");
        string[] args = ["-o", "etimes=,pcpu=,time=", "-p", Pid(fixtures.SleeperPid)];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var a = Run.Program("ps", args);
        var b = Run.Procscope(["ps", .. args]);
        double between = sw.Elapsed.TotalSeconds;
        var fa = a.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fb = b.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long ea = long.Parse(fa[0], CultureInfo.InvariantCulture), eb = long.Parse(fb[0], CultureInfo.InvariantCulture);
        Assert.InRange(eb - ea, 0, (long)Math.Ceiling(between) + 1);
        Assert.Equal(fa[1], fb[1]);
        Assert.Equal(fa[2].Trim(), fb[2].Trim());
    }

    [Fact]
    public void NewColumns_ShowInTextWithHeaders()
    {
        var r = Run.Procscope("ps", "-p", Pid(Environment.ProcessId), "-o", "pid,uss,pss,swap,io_read_bytes,io_write_bytes,ctxsw_vol,ctxsw_invol,oom_score");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("  PID   USS   PSS  SWAP RD_BYTES WR_BYTES   VCSW  IVCSW  OOM", r.Lines[0]);
        var f = r.Lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, f.Length);
        Assert.All(f, v => Assert.True(long.TryParse(v, out _), v));
    }
}
