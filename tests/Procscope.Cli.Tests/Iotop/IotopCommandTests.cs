using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Iotop;

/// <summary>iotop: bad input, the unprivileged path, and delay accounting that explains itself.</summary>
public sealed class IotopCommandTests
{
    [Theory]
    [InlineData(new[] { "-n", "0" }, "procscope iotop: option -n: invalid integer value: '0'")]
    [InlineData(new[] { "-d", "x" }, "procscope iotop: option -d: invalid delay: 'x' (a positive number of seconds)")]
    [InlineData(new[] { "--sort", "size" }, "procscope iotop: --sort: unknown column 'size' (pid, prio, user, read, write, rops, wops, swapin, io, total_read, total_write, command)")]
    [InlineData(new[] { "-u", "no-such-user-here" }, "procscope iotop: user 'no-such-user-here' does not exist")]
    [InlineData(new[] { "-Z" }, "procscope iotop: invalid option -- 'Z'")]
    public void BadInput_OneLineAndExit1(string[] args, string message)
    {
        var r = Run.Procscope(["iotop", .. args]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(message + "\n", r.Stderr);
    }

    [Fact]
    public void AsNobody_FallsBackToProcIo_AndSaysWhatIsMissing()
    {
        if (!Run.IsRoot) Assert.Skip("needs root to run as nobody with setpriv");
        if (!Run.CommandExists("setpriv")) Assert.Skip("no setpriv (util-linux)");
        var r = Run.Program("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "iotop", "-b", "-n", "1", "-d", "0.2", "-P"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Source: /proc/[pid]/io (taskstats needs CAP_NET_ADMIN (run as root)): SWAPIN and IO n/a", r.Stdout);
        Assert.Matches(@"\d+ tasks of other users unreadable \(-\)", r.Stdout);
        // pid 1 belongs to root: its counters are unreadable, shown as '-', never as 0.
        Assert.Matches(@"\n +1 +\S+ root +- +- +- +- +n/a +n/a  ", r.Stdout);
        var j = Run.Program("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "iotop", "-n", "1", "-d", "0.2", "-P", "--json"]);
        using var doc = JsonDocument.Parse(j.Stdout.Trim());
        Assert.Equal("proc_io", doc.RootElement.GetProperty("source").GetString());
        var one = doc.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("pid").GetInt32() == 1);
        Assert.False(one.GetProperty("readable").GetBoolean());
        Assert.Equal("unavailable", one.GetProperty("delay").GetString());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("io_percent").ValueKind);
    }

    [Fact]
    public void DelayAccountingOff_HeaderSaysSo_ColumnsSayOff()
    {
        if (!Run.IsRoot) Assert.Skip("taskstats needs root");
        if (File.ReadAllText("/proc/sys/kernel/task_delayacct").Trim() != "0") Assert.Skip("kernel.task_delayacct is not 0 here");
        var r = Run.Procscope("iotop", "-b", "-n", "1", "-d", "0.2", "-p", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Delay accounting: OFF (kernel.task_delayacct = 0): SWAPIN and IO are not measured; --enable-delay-accounting (root) turns it on", r.Stdout);
        Assert.Matches(@"\n +1 +be/\d root .* +off +off  ", r.Stdout);
    }

    /// <summary>
    /// --enable-delay-accounting: says it changed the sysctl, marks a process from before as "not
    /// tracked" (pid 1) and one started after as tracked with a real IO %, and sets the sysctl back
    /// when interrupted. The writer (dd fed through a FIFO) stays alive until iotop has shown it.
    /// </summary>
    [Fact]
    public async Task EnableDelayAccounting_OldTasksNotTracked_NewOnesMeasured_SettingRestored()
    {
        if (Run.SigintIgnored)
            Assert.Skip("SIGINT is ignored in the test process (started as a background job) and iotop is ended with SIGINT, which restores the sysctl");
        if (!Run.IsRoot) Assert.Skip("needs root");
        const string Sysctl = "/proc/sys/kernel/task_delayacct";
        if (!File.Exists(Sysctl) || File.ReadAllText(Sysctl).Trim() != "0") Assert.Skip("kernel.task_delayacct is not 0 here");
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Run.RepoRoot, "artifacts", "delayacct-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string fifo = Path.Combine(dir, "in");
        Assert.Equal(0, Run.Program("mkfifo", [fifo]).ExitCode);
        var psi = new ProcessStartInfo(Run.BinaryPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "iotop", "-P", "-a", "-d", "0.5", "--json", "--enable-delay-accounting" }) psi.ArgumentList.Add(a);
        using var iotop = Process.Start(psi)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reader = Task.Run(() =>
        {
            while (iotop.StandardOutput.ReadLine() is { } l) lines.Enqueue(l);
        }, ct);
        Process? dd = null;
        int ddId = 0;
        try
        {
            string first = iotop.StandardError.ReadLine()!;
            Assert.Equal("procscope iotop: changed a system setting: kernel.task_delayacct 0 -> 1 (set back to 0 when iotop exits)", first);
            Assert.Equal("1", File.ReadAllText(Sysctl).Trim());
            // taskstats start times are in seconds: start the writer in a later second than the switch.
            await Task.Delay(1100, ct);
            dd = Process.Start("dd", ["if=" + fifo, "of=" + Path.Combine(dir, "out"), "bs=64k", "iflag=fullblock", "oflag=direct,dsync", "status=none"])!;
            ddId = dd.Id;
            await using (var feed = new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                var block = new byte[64 * 1024];
                for (int i = 0; i < 128; i++) await feed.WriteAsync(block, ct);
                await feed.FlushAsync(ct);
                // Wait (no timing asserted) until a frame shows the writer's I/O wait.
                for (int i = 0; i < 600 && !lines.Any(l => Writer(l, ddId) is { } t && t.GetProperty("io_percent").ValueKind == JsonValueKind.Number && t.GetProperty("io_percent").GetDouble() > 0); i++)
                    await Task.Delay(100, ct);
            }
            dd.WaitForExit();
        }
        finally
        {
            Process.Start("kill", ["-INT", iotop.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            iotop.WaitForExit();
            dd?.Dispose();
            Directory.Delete(dir, true);
        }
        await reader;
        Assert.Equal(0, iotop.ExitCode);
        Assert.Equal("procscope iotop: restored kernel.task_delayacct to 0\n", iotop.StandardError.ReadToEnd());
        Assert.Equal("0", File.ReadAllText(Sysctl).Trim());

        var frames = lines.Select(l => JsonDocument.Parse(l)).ToList();
        Assert.NotEmpty(frames);
        foreach (var f in frames)
        {
            Assert.True(f.RootElement.GetProperty("delay_accounting").GetProperty("enabled_by_procscope").GetBoolean());
            var init = f.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("pid").GetInt32() == 1);
            Assert.Equal("not_tracked", init.GetProperty("delay").GetString());
            Assert.Equal(JsonValueKind.Null, init.GetProperty("io_percent").ValueKind);
        }
        var seen = lines.Select(l => Writer(l, ddId)).OfType<JsonElement>().ToList();
        Assert.NotEmpty(seen);
        Assert.All(seen, t => Assert.Equal("tracked", t.GetProperty("delay").GetString()));
        Assert.Contains(seen, t => t.GetProperty("io_percent").GetDouble() > 0);
    }

    private static JsonElement? Writer(string frame, int pid)
    {
        if (!frame.Contains($"\"pid\":{pid},", StringComparison.Ordinal)) return null;
        using var doc = JsonDocument.Parse(frame);
        foreach (var t in doc.RootElement.GetProperty("tasks").EnumerateArray())
            if (t.GetProperty("pid").GetInt32() == pid) return t.Clone();
        return null;
    }

    [Fact]
    public void Batch_SortByPid_Ascending_AndTimeColumn()
    {
        if (!Run.IsRoot) Assert.Skip("taskstats needs root");
        var r = Run.Procscope("iotop", "-b", "-P", "-n", "1", "-d", "0.2", "--sort", "pid", "-t");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\d\d:\d\d:\d\d Total DISK READ:", lines[0]);
        Assert.StartsWith("    TIME     PID  PRIO USER ", lines[3]);
        var pids = lines.Skip(4).Select(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1, pids[0]);
        Assert.Equal(pids.Order().ToList(), pids);
    }
}

/// <summary>Hostile bytes in a command line and a comm: '?' on the terminal, exact (escaped) in JSON.</summary>
public sealed class IotopHostileTests
{
    [Fact]
    public void EscapeInCommandAndComm_SanitizedInText_ExactInJson()
    {
        if (!Run.IsRoot) Assert.Skip("taskstats needs root (and the script writes its own comm)");
        var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("printf 'ev\\033[31mil' > /proc/$$/comm; read -r _ # \u001b]0;title\u0007");
        using var p = Process.Start(psi)!;
        try
        {
            string pid = p.Id.ToString(CultureInfo.InvariantCulture);
            string json = "";
            for (int i = 0; i < 50 && !json.Contains("ev\\u001B[31mil", StringComparison.Ordinal); i++)
                json = Run.Procscope("iotop", "-n", "1", "-d", "0.1", "-p", pid, "--json").Stdout;
            Assert.DoesNotContain('\u001b', json);
            using var doc = JsonDocument.Parse(json.Trim());
            var task = doc.RootElement.GetProperty("tasks").EnumerateArray().Single();
            Assert.Equal("ev\u001b[31mil", task.GetProperty("comm").GetString());
            Assert.EndsWith("# \u001b]0;title\u0007", task.GetProperty("command").GetString());
            string text = Run.Procscope("iotop", "-b", "-n", "1", "-d", "0.1", "-p", pid).Stdout;
            Assert.DoesNotContain('\u001b', text);
            Assert.DoesNotContain('\u0007', text);
            Assert.Contains("# ?]0;title?\n", text, StringComparison.Ordinal);
        }
        finally
        {
            p.StandardInput.Close();
            p.WaitForExit();
        }
    }
}
