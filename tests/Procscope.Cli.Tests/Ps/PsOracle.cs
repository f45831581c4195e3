using System.Diagnostics;
using System.Text;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ps;

/// <summary>Live tests that run procps' ps share the process table: run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PsLiveCollection : ICollectionFixture<PsFixtureProcesses>
{
    public const string Name = "ps live";
}

/// <summary>
/// Processes whose every column is stable while the tests run: sleepers (some with hostile
/// names: parentheses, newline, escape sequence, invalid UTF-8, wide characters), a zombie and
/// its parent, and a command line with control characters. Started through a shell so that file
/// names can hold any byte; killed by pid at the end.
/// </summary>
public sealed class PsFixtureProcesses : IDisposable
{
    public string Directory { get; }
    /// <summary>pid → what it is.</summary>
    public Dictionary<int, string> Pids { get; } = [];
    public int ZombiePid { get; private set; }
    public int SleeperPid { get; private set; }
    public bool Available { get; }
    public string? Problem { get; }

    public PsFixtureProcesses()
    {
        if (!File.Exists("/bin/sleep") || !File.Exists("/bin/sh") || !Run.CommandExists("ps"))
        {
            Problem = "needs /bin/sleep, /bin/sh and procps ps";
            Directory = "";
            return;
        }
        Directory = System.IO.Directory.CreateTempSubdirectory("psfixture-").FullName;
        // Names in printf syntax (so that any byte can be written); each becomes a copy of sleep.
        string[] names =
        [
            "plain-sleeper", "a) b", "z) S 1 1 1", "((", @"x\ny", @"\033[31mred", @"\377\376ab", "héllo", "日本語テスト", @"tab\there",
            @"mix\303\251\377\001z",
        ];
        var script = new StringBuilder("set -e\n");
        script.Append($"d='{Directory}'\n");
        for (int i = 0; i < names.Length; i++)
            script.Append($"n=$(printf '{names[i]}'); cp /bin/sleep \"$d/$n\"; \"$d/$n\" 86400 </dev/null >/dev/null 2>&1 & echo \"$! {(i == 0 ? "plain-sleeper" : "hostile" + i)}\"\n");
        // A zombie: its parent exec's into sleep and never reaps it.
        script.Append("sh -c 'sleep 0 & exec sleep 86401' </dev/null >/dev/null 2>&1 & echo \"$! zombie-parent\"\n");
        // An escape sequence, a newline and an invalid byte in argv[0] (bash's exec -a).
        script.Append("""
            if command -v bash >/dev/null; then bash -c 'exec -a "$(printf "argv\033[31m\nnl\377")" sleep 86402' </dev/null >/dev/null 2>&1 & echo "$! argv"; fi

            """);
        var r = Run.Shell(script.ToString());
        if (r.ExitCode != 0)
        {
            Problem = "could not start fixture processes: " + r.Stderr;
            return;
        }
        foreach (var line in r.Lines)
        {
            var parts = line.Split(' ', 2);
            if (int.TryParse(parts[0], out int pid)) Pids[pid] = parts.Length > 1 ? parts[1] : "";
        }
        SleeperPid = Pids.First(p => p.Value == "plain-sleeper").Key;
        int parent = Pids.First(p => p.Value == "zombie-parent").Key;
        // Wait until the child of the zombie parent has exited (state Z) and every sleeper has exec'd.
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 5000)
        {
            ZombiePid = FindZombieChild(parent);
            if (ZombiePid != 0 && Pids.Keys.All(Execd)) break;
            Thread.Sleep(20);
        }
        if (ZombiePid != 0) Pids[ZombiePid] = "zombie";
        Available = ZombiePid != 0;
        if (!Available) Problem = "the zombie fixture did not appear";
    }

    private static bool Execd(int pid)
    {
        try
        {
            // After exec the command line is the sleeper's, not the starting shell's.
            var cmd = File.ReadAllBytes($"/proc/{pid}/cmdline");
            return !Encoding.UTF8.GetString(cmd).StartsWith("sh\0", StringComparison.Ordinal)
                   && !Encoding.UTF8.GetString(cmd).StartsWith("/bin/sh", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int FindZombieChild(int parent)
    {
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                int close = stat.LastIndexOf(')');
                var f = stat[(close + 2)..].Split(' ');
                if (f[0] == "Z" && int.Parse(f[1]) == parent) return pid;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return 0;
    }

    public string PidList => string.Join(',', Pids.Keys.Order());

    public void Dispose()
    {
        foreach (var pid in Pids.Keys)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
        // File names with invalid UTF-8 cannot be named from .NET strings: remove with rm.
        if (Directory.Length > 0) Run.Program("rm", ["-rf", Directory]);
    }
}

/// <summary>One parsed line of ps output.</summary>
internal sealed record PsRow(string Key, int Pid, string Line, string[] Tokens, string Command, int Index);

/// <summary>
/// Runs procps' ps and procscope ps with the same arguments at the same moment and compares them:
/// identical headers and exit codes; the same set of processes apart from those that started or
/// exited in between; for processes that did not change, the same PID, PPID, user, TTY and
/// command; for the fixture processes, byte-identical lines (column layout); the same order.
/// Races are retried.
/// </summary>
internal static class PsOracle
{
    public static Dictionary<string, string?> Environment(string locale = "C.UTF-8") => new()
    {
        ["COLUMNS"] = null,
        ["LINES"] = null,
        ["PS_FORMAT"] = null,
        ["PS_PERSONALITY"] = null,
        ["LC_ALL"] = locale,
    };

    /// <summary>pids, and "pid/tid" for every thread, currently in /proc.</summary>
    public static HashSet<string> Tasks()
    {
        var set = new HashSet<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!name.All(char.IsAsciiDigit)) continue;
            set.Add(name);
            try
            {
                foreach (var t in Directory.GetDirectories(dir + "/task")) set.Add(name + "/" + Path.GetFileName(t));
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return set;
    }

    private static readonly string[] CommandHeaders = ["CMD", "COMMAND"];

    /// <summary>Splits lines into the fixed columns (blank-separated) and the command (the rest).</summary>
    public static (string Header, List<PsRow> Rows) Parse(string output, bool hasHeader = true)
    {
        var lines = output.Split('\n');
        int n = lines.Length;
        if (n > 0 && lines[^1].Length == 0) n--;
        string header = hasHeader && n > 0 ? lines[0] : "";
        var headerTokens = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int fixedCount = Array.FindIndex(headerTokens, t => CommandHeaders.Contains(t));
        if (fixedCount < 0) fixedCount = headerTokens.Length;
        int pidCol = Array.IndexOf(headerTokens, "PID");
        int tidCol = Array.FindIndex(headerTokens, t => t is "LWP" or "SPID");
        var rows = new List<PsRow>();
        int lastPid = 0, sub = 0;
        for (int i = hasHeader ? 1 : 0; i < n; i++)
        {
            var line = lines[i];
            var tokens = new List<string>();
            int pos = 0;
            for (int k = 0; k < fixedCount; k++)
            {
                while (pos < line.Length && line[pos] == ' ') pos++;
                int start = pos;
                while (pos < line.Length && line[pos] != ' ') pos++;
                tokens.Add(line[start..pos]);
            }
            string cmd = pos < line.Length ? line[(pos + 1)..] : "";
            string key;
            int pid = 0;
            if (pidCol >= 0 && pidCol < tokens.Count && int.TryParse(tokens[pidCol], out pid))
            {
                key = pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (tidCol >= 0 && tidCol < tokens.Count) key += "/" + tokens[tidCol];
                lastPid = pid;
                sub = 0;
            }
            else
            {
                // m: thread lines ("-" for the PID) follow their process.
                pid = lastPid;
                key = $"{lastPid}#{++sub}";
            }
            rows.Add(new PsRow(key, pid, line, [.. tokens], cmd, i));
        }
        return (header, rows);
    }

    private static readonly string[] StableColumns = ["PID", "PPID", "USER", "UID", "TTY", "TT", "LWP", "SPID", "PGID", "SID"];

    /// <summary>Compares once; returns the problems found (empty when the outputs agree).</summary>
    public static List<string> CompareOnce(string[] args, PsFixtureProcesses fixtures, IDictionary<string, string?> env, bool hasHeader = true, string[]? wrapper = null)
    {
        var before = Tasks();
        RunResult a, b;
        if (wrapper is null)
        {
            a = Run.Program("ps", args, env);
            b = Run.ProcscopeEnv(env, ["ps", .. args]);
        }
        else
        {
            a = Run.Program(wrapper[0], [.. wrapper[1..], "ps", .. args], env);
            b = Run.Program(wrapper[0], [.. wrapper[1..], Run.BinaryPath, "ps", .. args], env);
        }
        var after = Tasks();
        var problems = new List<string>();
        string label = "ps " + string.Join(' ', args);
        if (a.ExitCode != b.ExitCode) problems.Add($"{label}: exit code {b.ExitCode}, procps {a.ExitCode} (stderr: {b.Stderr.Trim()})");
        var (ha, ra) = Parse(a.Stdout, hasHeader);
        var (hb, rb) = Parse(b.Stdout, hasHeader);
        if (ha != hb) problems.Add($"{label}: header\n  ours:   [{hb}]\n  procps: [{ha}]");
        var headerTokens = ha.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var byKeyA = ra.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First());
        var byKeyB = rb.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First());
        int self = System.Environment.ProcessId;
        bool Stable(PsRow r)
        {
            var k = r.Key.Contains('#') ? r.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) : r.Key;
            // The two ps processes started after the first listing and are gone before the second.
            return before.Contains(k) && after.Contains(k) && r.Pid != self;
        }
        foreach (var (key, row) in byKeyA)
            if (!byKeyB.ContainsKey(key) && Stable(row)) problems.Add($"{label}: missing [{row.Line}]");
        foreach (var (key, row) in byKeyB)
            if (!byKeyA.ContainsKey(key) && Stable(row)) problems.Add($"{label}: extra [{row.Line}]");
        foreach (var (key, rowA) in byKeyA)
        {
            if (!byKeyB.TryGetValue(key, out var rowB) || !Stable(rowA)) continue;
            if (fixtures.Pids.ContainsKey(rowA.Pid))
            {
                if (rowA.Line != rowB.Line) problems.Add($"{label}: fixture line differs\n  ours:   [{Visible(rowB.Line)}]\n  procps: [{Visible(rowA.Line)}]");
                continue;
            }
            for (int c = 0; c < headerTokens.Length && c < rowA.Tokens.Length; c++)
            {
                if (!StableColumns.Contains(headerTokens[c])) continue;
                if (rowA.Tokens[c] != rowB.Tokens[c]) problems.Add($"{label}: {headerTokens[c]} of {key}: ours {rowB.Tokens[c]}, procps {rowA.Tokens[c]}");
            }
            var ca = rowA.Command.TrimStart(' ', '\\', '_', '|');
            var cb = rowB.Command.TrimStart(' ', '\\', '_', '|');
            bool kernel = ca.StartsWith('[') || cb.StartsWith('[') || rowA.Line.Contains("kworker", StringComparison.Ordinal);
            if (!kernel && rowA.Command != rowB.Command) problems.Add($"{label}: command of {key}\n  ours:   [{rowB.Command}]\n  procps: [{rowA.Command}]");
        }
        // The same order for the rows both show.
        var common = ra.Where(r => byKeyB.ContainsKey(r.Key) && Stable(r)).Select(r => r.Key).ToList();
        var commonB = rb.Where(r => byKeyA.ContainsKey(r.Key) && Stable(r)).Select(r => r.Key).ToList();
        if (!common.SequenceEqual(commonB)) problems.Add($"{label}: rows in a different order");
        return problems;
    }

    public static string Visible(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s) sb.Append(c < 0x20 || c == 0x7f ? $"\\x{(int)c:x2}" : c.ToString());
        return sb.ToString();
    }

    /// <summary>Compares up to three times (processes come and go); fails with the last attempt's problems.</summary>
    public static void AssertSame(string[] args, PsFixtureProcesses fixtures, IDictionary<string, string?>? env = null, bool hasHeader = true, string[]? wrapper = null)
    {
        if (!fixtures.Available) Assert.Skip(fixtures.Problem ?? "fixtures unavailable");
        env ??= Environment();
        List<string> problems = [];
        for (int attempt = 0; attempt < 3; attempt++)
        {
            problems = CompareOnce(args, fixtures, env, hasHeader, wrapper);
            if (problems.Count == 0) return;
            Thread.Sleep(100);
        }
        Assert.Fail(string.Join("\n", problems.Take(20)));
    }
}
