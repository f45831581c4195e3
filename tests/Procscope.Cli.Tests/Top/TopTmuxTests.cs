using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Top;

/// <summary>
/// End to end in a real terminal: procscope top in a detached tmux session of fixed size; keys are
/// sent and the screen is polled (generous timeouts, no timed assertions).
/// </summary>
public sealed class TopTmuxTests
{
    internal sealed class Session : IDisposable
    {
        public string Name { get; } = "procscope-top-test-" + Guid.NewGuid().ToString("N")[..12];
        private readonly string _home = Directory.CreateTempSubdirectory("procscope-top-home").FullName;
        public string Home => _home;

        public Session()
        {
            // A plain shell with a known prompt; HOME and XDG_CONFIG_HOME point at a scratch dir so W never touches the user's settings.
            Tmux("new-session", "-d", "-s", Name, "-x", "132", "-y", "40",
                 "env", "-i", "PATH=/usr/bin:/bin", "TERM=xterm-256color", "LANG=C.UTF-8", $"HOME={_home}", $"XDG_CONFIG_HOME={_home}/cfg", "PS1=READY$ ", "bash", "--norc", "--noprofile");
            WaitFor(s => s.Contains("READY$"), "shell prompt");
        }

        public string Capture() => Tmux("capture-pane", "-p", "-t", Name).Stdout;

        public void Keys(params string[] keys) => Tmux(["send-keys", "-t", Name, .. keys]);

        public void Literal(string text) => Tmux("send-keys", "-t", Name, "-l", text);

        public string WaitFor(Func<string, bool> predicate, string what, int timeoutMs = 30_000)
        {
            var end = Environment.TickCount64 + timeoutMs;
            string screen = "";
            while (Environment.TickCount64 < end)
            {
                screen = Capture();
                if (predicate(screen)) return screen;
                Thread.Sleep(100);
            }
            throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; screen:\n{screen}");
        }

        public void Dispose()
        {
            Tmux("kill-session", "-t", Name);
            try { Directory.Delete(_home, true); } catch (IOException) { }
        }

        public static RunResult Tmux(params string[] args) => Run.Program("tmux", args);
    }

    private static string[] TableRows(string screen)
    {
        var lines = screen.Split('\n');
        int h = Array.FindIndex(lines, l => l.TrimStart().StartsWith("PID ", StringComparison.Ordinal));
        return h < 0 ? [] : lines.Skip(h + 1).Where(l => l.Trim().Length > 0).ToArray();
    }

    private static string Column(string row, int index) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f && f.Length > index ? f[index] : "";

    private static bool SortedDescending(IEnumerable<double> values)
    {
        var v = values.ToList();
        for (int i = 1; i < v.Count; i++) if (v[i] > v[i - 1]) return false;
        return v.Count > 1;
    }

    private static double Num(string s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : -1;

    [Fact]
    public void Keys_M_H_P_Filter_Q_RestoreTheScreenAndExitZero()
    {
        if (!Run.CommandExists("tmux")) Assert.Skip("tmux not installed");
        using var s = new Session();
        s.Literal($"{Run.BinaryPath} top -d 1; echo EXIT=$?");
        s.Keys("Enter");
        s.WaitFor(x => x.Contains("%CPU") && x.Contains("Tasks:") && TableRows(x).Length > 3, "the table");

        s.Keys("M"); // sort by %MEM: column 9 descending
        s.WaitFor(x => SortedDescending(TableRows(x).Select(r => Num(Column(r, 9)))), "rows sorted by %MEM");

        s.Keys("H"); // threads
        s.WaitFor(x => x.Contains("Threads:"), "thread mode");
        s.Keys("H");
        s.WaitFor(x => x.Contains("Tasks:"), "process mode again");

        s.Keys("P"); // sort by %CPU
        s.WaitFor(x => SortedDescending(TableRows(x).Select(r => Num(Column(r, 8)))), "rows sorted by %CPU");

        s.Keys("/");
        s.WaitFor(x => x.Contains("add filter"), "the filter prompt");
        s.Literal("COMMAND=bash");
        s.Keys("Enter");
        s.WaitFor(x => TableRows(x) is { Length: > 0 } rows && rows.All(r => r.Contains("bash")), "only bash rows");

        s.Keys("[");
        s.WaitFor(x => x.Contains("PAUSED at"), "the pause indicator");
        s.Keys("["); // one more step back, then forward until live (the newest frame is the live view)
        for (int i = 0; i < 50 && s.Capture().Contains("PAUSED at"); i++)
        {
            s.Keys("]");
            Thread.Sleep(100);
        }
        s.WaitFor(x => !x.Contains("PAUSED at"), "live again");

        s.Keys("?");
        s.WaitFor(x => x.Contains("rewind"), "help");
        s.Keys("x");
        s.WaitFor(x => x.Contains("Tasks:"), "table after help");

        s.Keys("q");
        var end = s.WaitFor(x => System.Text.RegularExpressions.Regex.IsMatch(x, @"EXIT=\d"), "exit");
        Assert.Contains("EXIT=0", end);
        // The alternate screen was left: the shell's command line is visible again, the table is not.
        Assert.Contains("READY$", end);
        Assert.DoesNotContain("%CPU", end);
        // termios restored: the shell (and stty) see canonical mode with echo.
        s.Literal("stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo");
        s.Keys("Enter");
        s.WaitFor(x => x.Contains("icanon echo") && !x.Contains("-icanon"), "stty showing icanon echo");
    }

    private static bool SortedAscending(IEnumerable<double> values)
    {
        var v = values.ToList();
        for (int i = 1; i < v.Count; i++) if (v[i] < v[i - 1]) return false;
        return v.Count > 1;
    }

    private static int Nice(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(f[16], System.Globalization.CultureInfo.InvariantCulture); // nice: field 19, the 17th after comm
    }

    [Fact]
    public void Resize_Mouse_Kill_Renice_User_Save_ResortWhilePaused()
    {
        if (!Run.CommandExists("tmux")) Assert.Skip("tmux not installed");
        if (!File.Exists("/bin/sleep")) Assert.Skip("no /bin/sleep");
        using var victim = System.Diagnostics.Process.Start("/bin/sleep", "300");
        using var niced = System.Diagnostics.Process.Start("/bin/sleep", "300");
        try
        {
            using var s = new Session();
            s.Literal($"{Run.BinaryPath} top -d 1; echo EXIT=$?");
            s.Keys("Enter");
            s.WaitFor(x => x.Contains("%CPU") && TableRows(x).Length > 3, "the table");

            // Resize: the view redraws to the new size (fewer rows, then more rows again).
            Session.Tmux("resize-window", "-t", s.Name, "-x", "100", "-y", "24");
            s.WaitFor(x => x.Split('\n').Length <= 25 && TableRows(x).Length is > 3 and < 24 && x.Split('\n').All(l => l.Length <= 100), "redraw at 100x24");
            Session.Tmux("resize-window", "-t", s.Name, "-x", "132", "-y", "45");
            s.WaitFor(x => x.Split('\n').Length >= 44 && TableRows(x).Length > 24, "redraw at 132x45");

            // Mouse: a click on the %MEM header sorts by it; a click on a row selects it (k then offers its pid).
            var screen = s.WaitFor(x => TableRows(x).Length > 3, "the table");
            var lines = screen.Split('\n');
            int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("PID ", StringComparison.Ordinal));
            int memX = lines[header].IndexOf("%MEM", StringComparison.Ordinal);
            s.Literal($"\e[<0;{memX + 2};{header + 1}M\e[<0;{memX + 2};{header + 1}m");
            s.WaitFor(x => SortedDescending(TableRows(x).Select(r => Num(Column(r, 9)))), "rows sorted by %MEM after a header click");
            // Pause ([): a refresh between this capture and the click would reorder the rows.
            // [ needs a frame before the live one; press it again until the view is paused.
            for (int attempt = 0; ; attempt++)
            {
                s.Keys("[");
                try
                {
                    screen = s.WaitFor(x => x.Contains("PAUSED at"), "the paused view", 2_000);
                    break;
                }
                catch (Xunit.Sdk.XunitException) when (attempt < 15) { }
            }
            lines = screen.Split('\n');
            header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("PID ", StringComparison.Ordinal));
            s.Literal($"\e[<0;3;{header + 3}M\e[<0;3;{header + 3}m"); // the second row
            s.Keys("k");
            var prompt = s.WaitFor(x => x.Contains("PID to signal/kill"), "the kill prompt");
            var clickedPid = Column(lines[header + 2], 0);
            Assert.Contains($"[default pid = {clickedPid}]", prompt);
            s.Keys("Escape");
            s.WaitFor(x => !x.Contains("PID to signal/kill"), "prompt closed");
            s.Keys("Space"); // back to the live view
            s.WaitFor(x => !x.Contains("PAUSED at"), "the live view");

            // k: signal a process by pid (default signal TERM).
            s.Keys("k");
            s.WaitFor(x => x.Contains("PID to signal/kill"), "the kill prompt");
            s.Literal(victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.Keys("Enter");
            s.WaitFor(x => x.Contains($"Send pid {victim.Id} signal"), "the signal prompt");
            s.Keys("Enter");
            Assert.True(victim.WaitForExit(20_000), "k did not end the process");

            // r: renice.
            s.Keys("r");
            s.WaitFor(x => x.Contains("PID to renice"), "the renice prompt");
            s.Literal(niced.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.Keys("Enter");
            s.WaitFor(x => x.Contains($"Renice PID {niced.Id} to value"), "the nice value prompt");
            s.Literal("7");
            s.Keys("Enter");
            var end = Environment.TickCount64 + 20_000;
            while (Nice(niced.Id) != 7 && Environment.TickCount64 < end) Thread.Sleep(100);
            Assert.Equal(7, Nice(niced.Id));

            // u: only this user's processes.
            var user = Run.Program("id", ["-un"]).Stdout.Trim();
            s.Keys("u");
            s.WaitFor(x => x.Contains("Which user"), "the user prompt");
            s.Literal(user);
            s.Keys("Enter");
            var prefix = user.Length > 7 ? user[..7] : user;
            s.WaitFor(x => TableRows(x) is { Length: > 0 } rows && rows.All(r => Column(r, 1).StartsWith(prefix, StringComparison.Ordinal)), $"only {user}'s rows");
            s.Keys("=");

            // Pause, then re-sort the paused frame: N sorts by PID ascending, M by %MEM, and it stays paused.
            s.Keys("[");
            s.WaitFor(x => x.Contains("PAUSED at"), "the pause indicator");
            s.Keys("N");
            s.WaitFor(x => x.Contains("PAUSED at") && SortedAscending(TableRows(x).Select(r => Num(Column(r, 0)))), "paused rows sorted by PID");
            s.Keys("M");
            s.WaitFor(x => x.Contains("PAUSED at") && SortedDescending(TableRows(x).Select(r => Num(Column(r, 9)))), "paused rows sorted by %MEM");
            s.Keys("Space");
            s.WaitFor(x => !x.Contains("PAUSED at"), "live again");

            // W: settings saved under XDG_CONFIG_HOME, never the current directory.
            s.Keys("W");
            s.WaitFor(x => x.Contains("Wrote "), "the saved message");
            var rc = Path.Combine(s.Home, "cfg", "procscope", "toprc");
            Assert.True(File.Exists(rc), rc);
            Assert.Contains("sort=", File.ReadAllText(rc));

            s.Keys("q");
            var exit = s.WaitFor(x => System.Text.RegularExpressions.Regex.IsMatch(x, @"EXIT=\d"), "exit");
            Assert.Contains("EXIT=0", exit);
        }
        finally
        {
            foreach (var p in new[] { victim, niced })
                if (!p.HasExited) { p.Kill(); p.WaitForExit(); }
        }
    }

    [Fact]
    public void Sigterm_RestoresTheTerminal()
    {
        if (!Run.CommandExists("tmux")) Assert.Skip("tmux not installed");
        using var s = new Session();
        s.Literal($"{Run.BinaryPath} top -d 1; echo EXIT=$?");
        s.Keys("Enter");
        var screen = s.WaitFor(x => x.Contains("%CPU") && TableRows(x).Length > 3, "the table");
        // the pid of our top: the tmux pane's shell's child named procscope
        var panePid = int.Parse(Session.Tmux("display-message", "-p", "-t", s.Name, "#{pane_pid}").Stdout.Trim());
        int topPid = 0;
        var end = Environment.TickCount64 + 20_000;
        while (topPid == 0 && Environment.TickCount64 < end)
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    int close = stat.LastIndexOf(')');
                    var fields = stat[(close + 2)..].Split(' ');
                    if (stat.Contains("(procscope)") && int.Parse(fields[1]) == panePid) topPid = pid;
                }
                catch (IOException) { }
            }
            if (topPid == 0) Thread.Sleep(100);
        }
        Assert.True(topPid > 0, "procscope top process not found");
        Run.Program("kill", ["-TERM", topPid.ToString()]);
        var after = s.WaitFor(x => System.Text.RegularExpressions.Regex.IsMatch(x, @"EXIT=\d"), "exit after SIGTERM");
        Assert.Contains("EXIT=143", after);
        Assert.DoesNotContain("%CPU", after);
        s.Literal("stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo");
        s.Keys("Enter");
        s.WaitFor(x => x.Contains("icanon echo") && !x.Contains("-icanon"), "stty showing icanon echo");
    }
}
