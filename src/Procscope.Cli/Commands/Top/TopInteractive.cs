using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Infrastructure;
using Procscope.Linux.Tty;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// The full-screen view: alternate screen, raw input, SGR mouse, frame diff, pause/rewind. The
/// terminal is restored on q, Ctrl-C (SIGINT), SIGTERM, SIGHUP and on any exception.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TopInteractive
{
    private readonly CommandContext _ctx;
    private readonly TopCollector _collector;
    private readonly TopSettings _s;
    private readonly int? _iterations;
    private readonly TerminalDevice _term = new();
    private readonly TextWriter _out;
    private readonly Screen _screen;
    private readonly FrameHistory _history;
    private readonly object _lock = new();
    private readonly byte[] _input = new byte[256];
    private readonly List<byte> _pending = new();
    private volatile bool _quit;
    private volatile bool _resized = true;
    private int _exitCode;
    private bool _active;

    private TopFrame? _live;
    private TopFrame? _paused; // a past frame rebuilt from the history; null = live
    private int _scroll;
    private int _selected;
    private bool _help;
    private string _message = "";
    private Prompt? _prompt;
    private int _tableTop; // screen line of the header
    private List<(int Start, int End, TopField Field)> _headerCells = [];

    private sealed record Prompt(string Text, Action<string> Done)
    {
        public StringBuilder Input { get; } = new();
    }

    public TopInteractive(CommandContext ctx, TopCollector collector, TopSettings settings, int? iterations)
    {
        _ctx = ctx;
        _collector = collector;
        _s = settings;
        _iterations = iterations;
        // The view needs a terminal on stdout (TopCommand). It writes through a writer of its own:
        // the console's stdout writer holds 64 K chars and their bytes, about 330 KB resident.
        _out = ctx.Console is SystemConsole ? new StreamWriter(SystemConsole.OpenFd(1), new UTF8Encoding(false), 8192) : ctx.Out;
        _screen = new Screen(_out);
        _history = new FrameHistory(settings.HistorySeconds);
        // Frames kept for rewind are packed by the history, so the live frame can reuse one row per task.
        _collector.ReuseRows = true;
        _collector.ReadCommandLines = settings.FullCommand;
    }

    private bool Color => _ctx.Console.ColorEnabled && _s.Color;

    public int Run()
    {
        int err = _term.EnterRawMode();
        if (err != 0) throw new CliException($"cannot set up the terminal: {ProcessControl.Describe(err)}");
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, 0));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, 128 + 15));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => OnSignal(c, 128 + 1));
        using var sigwinch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, c => { c.Cancel = true; _resized = true; });
        try
        {
            lock (_lock)
            {
                _out.Write(Screen.EnterSequence);
                _out.Flush();
                _active = true;
            }
            Loop();
        }
        finally
        {
            Leave();
        }
        if (_collector.FormatErrorSummary is { } bug) _ctx.Console.Error.WriteLine("procscope top: " + bug);
        return _exitCode;
    }

    private void OnSignal(PosixSignalContext c, int code)
    {
        c.Cancel = true; // we exit ourselves, after restoring the terminal
        _exitCode = code;
        _quit = true;
        Leave();
    }

    /// <summary>Restores the terminal once; safe from the signal thread (serialized with drawing by the lock).</summary>
    private void Leave()
    {
        lock (_lock)
        {
            if (_active)
            {
                _active = false;
                try { _out.Flush(); } catch (IOException) { }
                _term.WriteRaw(Encoding.ASCII.GetBytes(Screen.LeaveSequence));
            }
            _term.Restore();
        }
    }

    private int VisibleRows => Math.Max(1, _screen.Rows - _tableTop - 1);

    private void Loop()
    {
        // Seed the table so the first frame has a %CPU interval.
        _collector.Collect(_s, 0, 0);
        MemoryBudget.AfterFirstRefresh();
        long nextRefresh = 0;
        bool first = true;
        int done = 0;
        while (!_quit)
        {
            if (_resized)
            {
                _resized = false;
                var size = _term.GetSize() ?? (24, 80);
                lock (_lock) if (_active) _screen.Resize(size.Rows, size.Columns);
            }
            long now = Environment.TickCount64;
            if (now >= nextRefresh)
            {
                if (first) Thread.Sleep(150);
                first = false;
                _collector.ReadCommandLines = _s.FullCommand; // read only while shown (c)
                _live = _collector.Collect(_s, _scroll, VisibleRows);
                _history.Add(_live);
                // Frames leaving the history are long-lived garbage: compact fully every 20 refreshes
                // (about 10 ms at 10,000 processes; measured 1.2 MiB less resident).
                if (done % 20 == 19) MemoryBudget.AfterFirstRefresh();
                else MemoryBudget.AfterRefresh(_live.Tasks.Total);
                nextRefresh = Environment.TickCount64 + (long)(Math.Max(0.1, _s.DelaySeconds) * 1000);
                done++;
            }
            Draw();
            if (_iterations is { } n && done >= n) break;
            int wait = (int)Math.Clamp(nextRefresh - Environment.TickCount64, 0, 200);
            if (_term.WaitForInput(wait))
            {
                int got = _term.Read(_input);
                if (got == 0) { _quit = true; break; } // terminal gone
                if (got > 0)
                {
                    for (int i = 0; i < got; i++) _pending.Add(_input[i]);
                    bool refresh = HandleInput();
                    if (refresh) nextRefresh = 0;
                }
            }
        }
    }

    private TopFrame? Shown => _paused ?? _live;

    /// <summary>Shows the past frame at <paramref name="index"/> (the newest is the live view), sorted with the current settings.</summary>
    private void ShowPast(int index)
    {
        if (index < 0 || index >= _history.Count - 1) { _paused = null; return; }
        _paused = _history.At(index);
        Resort();
    }

    /// <summary>Index of the paused frame in the history (0 when it has aged out), or the live one (Count − 1).</summary>
    private int PausedIndex => _paused is null ? _history.Count - 1 : Math.Max(0, _history.IndexOf(_paused.Time));

    // ---------------------------------------------------------------- drawing

    private void Draw()
    {
        var f = Shown;
        if (f is null) return;
        var lines = _help ? HelpLines() : FrameLines(f);
        lock (_lock)
        {
            if (!_active || _quit) return;
            _screen.Draw(lines);
        }
    }

    private List<string> FrameLines(TopFrame f)
    {
        int cols = _screen.Columns;
        var lines = new List<string>(_screen.Rows);
        foreach (var l in TopRenderer.Summary(f, _s, extended: true)) lines.Add(Fit(l, cols));
        // Message / prompt / pause line, as top's line under the summary.
        if (_prompt is not null)
            lines.Add(Attr("\e[1m", Fit(_prompt.Text + _prompt.Input, cols)));
        else if (_paused is not null)
            lines.Add(Attr("\e[7m", Fit($" PAUSED at {f.Time:HH:mm:ss}  ({_history.Count - 1 - PausedIndex} of {_history.Count - 1} back, {_history.KeptSeconds:0} s kept)  [ older  ] newer  space: live ", cols)));
        else if (_message.Length == 0 && _collector.FormatErrorSummary is { } bug)
            lines.Add(Attr("\e[1m", Fit(bug, cols)));
        else
            lines.Add(Fit(_message, cols));
        _tableTop = lines.Count;
        int pidWidth = TopRenderer.PidWidth(f);
        var header = TopRenderer.Header(_s, cols, pidWidth, out int ss, out int sl);
        RecordHeaderCells(pidWidth, cols);
        string padded = header.PadRight(cols);
        if (Color && ss >= 0)
            lines.Add("\e[30;46m" + padded[..ss] + "\e[1m" + padded.Substring(ss, sl) + "\e[22m" + padded[(ss + sl)..]);
        else
            lines.Add("\e[7m" + padded);
        int rows = VisibleRows;
        _selected = Math.Clamp(_selected, 0, Math.Max(0, f.Rows.Length - 1));
        if (_selected < _scroll) _scroll = _selected;
        if (_selected >= _scroll + rows) _scroll = _selected - rows + 1;
        _scroll = Math.Clamp(_scroll, 0, Math.Max(0, f.Rows.Length - rows));
        long hz = _collector.System.TicksPerSecond;
        for (int i = _scroll; i < f.Rows.Length && lines.Count < _screen.Rows; i++)
        {
            var r = f.Rows[i];
            var text = TopRenderer.Row(r, _s, cols, pidWidth, hz);
            if (i == _selected) lines.Add("\e[7m" + text.PadRight(cols));
            else if (Color && r.State == 'R') lines.Add("\e[1m" + text);
            else lines.Add(text);
        }
        return lines;
    }

    private void RecordHeaderCells(int pidWidth, int cols)
    {
        _headerCells = [];
        int x = 0;
        foreach (var field in _s.Columns)
        {
            var c = TopColumn.Of(field);
            int w = field is TopField.Pid or TopField.PPid ? pidWidth : c.Width == 0 ? cols - x : c.Width;
            _headerCells.Add((x, x + w, field));
            x += w + 1;
            if (x >= cols) break;
        }
    }

    private string Attr(string sgr, string text) => sgr + text;

    private static string Fit(string s, int cols) => TopFormat.Fit(s, cols, out _);

    private List<string> HelpLines()
    {
        int cols = _screen.Columns;
        var l = new List<string>
        {
            "\e[1mprocscope top: keys\e[0m",
            "",
            "  P M T N   sort by %CPU, %MEM, TIME+, PID      < >  move the sort column    R  reverse",
            "  H  threads on/off    V  tree    c  full command line    i  idle processes    1  per-CPU",
            "  u  user filter       o or /  filter (%CPU>5, COMMAND=java, USER=root, ! negates)   =  clear",
            "  f  add/remove a column (SWAP USS PSS RD/s WR/s RDOP/s WROP/s vCSW/s nCSW/s %WAIT CGROUP",
            "     OOMs nTH nMin/s nMaj/s PPID P)",
            "  k  kill (signal, default TERM)    r  renice    d or s  delay    space  refresh now",
            "  [ ]  rewind: step back / forward through past refreshes (PAUSED is shown); space: live",
            "  Up Down PgUp PgDn Home End  scroll and select;  mouse: click a row selects, a header sorts",
            "  z  colour    W  save settings to " + (TopSettings.ConfigPath(_ctx.Console.GetEnvironmentVariable) ?? "(no config dir)"),
            "  q  quit        ? or h  this help",
            "",
            $"  Rewind keeps {_history.Count} refreshes ({_history.KeptSeconds:0} s, about {_history.Bytes / 1024} KiB + {_history.NewestBytes / 1024} KiB for the newest rows); at most {_s.HistorySeconds:0} s and {_history.ByteBudget / 1024} KiB.",
            "",
            "Press any key to continue",
        };
        return l.Select(x => Fit(x, cols + (x.StartsWith('\e') ? 8 : 0))).ToList();
    }

    // ---------------------------------------------------------------- input

    /// <summary>Decodes pending input; returns true when a refresh should happen now.</summary>
    private bool HandleInput()
    {
        bool refresh = false;
        while (_pending.Count > 0)
        {
            int consumed = Decode(out var key, out var mouse);
            if (consumed == 0) break; // incomplete sequence: wait for more
            _pending.RemoveRange(0, consumed);
            if (mouse is { } m) { refresh |= OnMouse(m); continue; }
            refresh |= OnKey(key);
        }
        return refresh;
    }

    private readonly record struct Mouse(int Button, int X, int Y, bool Press);

    private int Decode(out string key, out Mouse? mouse)
    {
        mouse = null;
        key = "";
        var p = _pending;
        if (p[0] != 0x1b)
        {
            // one UTF-8 character
            int len = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
            if (p.Count < len) return 0;
            key = Encoding.UTF8.GetString(p.GetRange(0, len).ToArray());
            return len;
        }
        if (p.Count == 1) { key = "Esc"; return 1; }
        if (p[1] == 'O' && p.Count >= 3)
        {
            key = p[2] switch { (byte)'H' => "Home", (byte)'F' => "End", (byte)'A' => "Up", (byte)'B' => "Down", _ => "" };
            return 3;
        }
        if (p[1] != '[') { key = "Esc"; return 1; }
        // CSI: parameters then a final byte 0x40..0x7e
        int i = 2;
        while (i < p.Count && (p[i] < 0x40 || p[i] > 0x7e)) i++;
        if (i >= p.Count) return p.Count > 32 ? p.Count : 0;
        var body = Encoding.ASCII.GetString(p.GetRange(2, i - 2).ToArray());
        char fin = (char)p[i];
        if (body.StartsWith('<') && (fin == 'M' || fin == 'm'))
        {
            var parts = body[1..].Split(';');
            if (parts.Length == 3 && int.TryParse(parts[0], out int b) && int.TryParse(parts[1], out int x) && int.TryParse(parts[2], out int y))
                mouse = new Mouse(b, x - 1, y - 1, fin == 'M');
            return i + 1;
        }
        key = (body, fin) switch
        {
            ("", 'A') => "Up", ("", 'B') => "Down", ("", 'C') => "Right", ("", 'D') => "Left",
            ("", 'H') or ("1", '~') or ("7", '~') => "Home", ("", 'F') or ("4", '~') or ("8", '~') => "End",
            ("5", '~') => "PgUp", ("6", '~') => "PgDn",
            _ => "",
        };
        return i + 1;
    }

    private bool OnMouse(Mouse m)
    {
        if (!m.Press || _help || _prompt is not null) return false;
        if (m.Button == 64) { Move(-3); return false; } // wheel
        if (m.Button == 65) { Move(3); return false; }
        if (m.Button != 0) return false;
        if (m.Y == _tableTop)
        {
            foreach (var (start, end, field) in _headerCells)
                if (m.X >= start && m.X < end)
                {
                    if (_s.SortField == field) _s.SortDescending = !_s.SortDescending;
                    else { _s.SortField = field; _s.SortDescending = !TopColumn.IsText(field) && field != TopField.Pid; }
                    return Resort();
                }
            return false;
        }
        if (m.Y > _tableTop) _selected = _scroll + (m.Y - _tableTop - 1);
        return false;
    }

    private void Move(int delta)
    {
        var f = Shown;
        if (f is null) return;
        _selected = Math.Clamp(_selected + delta, 0, Math.Max(0, f.Rows.Length - 1));
    }

    /// <summary>A sort change re-sorts the shown frame at once (also when paused).</summary>
    private bool Resort()
    {
        // The frame on screen, live or paused: a paused frame is re-sorted in place, its values unchanged.
        if (Shown is { } f)
        {
            var sorted = TopCollector.Sort([.. f.Rows], _s);
            sorted.CopyTo(f.Rows, 0);
        }
        return false;
    }

    private bool OnKey(string key)
    {
        if (_help) { _help = false; return false; }
        if (_prompt is { } pr)
        {
            switch (key)
            {
                case "\r" or "\n":
                    _prompt = null;
                    pr.Done(pr.Input.ToString());
                    return true;
                case "Esc":
                    _prompt = null;
                    return false;
                case "\x7f" or "\b":
                    if (pr.Input.Length > 0) pr.Input.Length--;
                    return false;
                default:
                    if (key.Length > 0 && key[0] >= ' ' && key.Length <= 4 && pr.Input.Length < 200) pr.Input.Append(key);
                    return false;
            }
        }
        _message = "";
        switch (key)
        {
            case "q": _quit = true; return false;
            case "P": return SortBy(TopField.Cpu);
            case "M": return SortBy(TopField.Mem);
            case "T": return SortBy(TopField.Time);
            case "N": return SortBy(TopField.Pid);
            case "R": _s.SortDescending = !_s.SortDescending; return Resort();
            case "<" or ">":
            {
                int i = _s.Columns.IndexOf(_s.SortField);
                i = i < 0 ? 0 : Math.Clamp(i + (key == "<" ? -1 : 1), 0, _s.Columns.Count - 1);
                _s.SortField = _s.Columns[i];
                return Resort();
            }
            case "H": _s.Threads = !_s.Threads; _message = _s.Threads ? "Show threads On" : "Show threads Off"; return true;
            case "V": _s.Tree = !_s.Tree; return Resort() || true;
            case "c": _s.FullCommand = !_s.FullCommand; return true; // command lines are read from the next refresh on
            case "i": _s.ShowIdle = !_s.ShowIdle; return true;
            case "1": _s.PerCpu = !_s.PerCpu; return false;
            case "z": _s.Color = !_s.Color; return false;
            case "W":
                _message = _s.Save(_ctx.Console.GetEnvironmentVariable) is { } e ? "Failed to save settings: " + e : "Wrote " + TopSettings.ConfigPath(_ctx.Console.GetEnvironmentVariable);
                return false;
            case " ":
                _paused = null;
                return true;
            case "?" or "h": _help = true; return false;
            case "[":
                if (_history.Count > 1) ShowPast(Math.Max(0, PausedIndex - 1));
                return false;
            case "]":
                if (_paused is not null) ShowPast(PausedIndex + 1); // the newest frame is the live view
                return false;
            case "Up": Move(-1); return false;
            case "Down": Move(1); return false;
            case "PgUp": Move(-VisibleRows); return false;
            case "PgDn": Move(VisibleRows); return false;
            case "Home": _selected = 0; return false;
            case "End": _selected = int.MaxValue / 2; Move(0); return false;
            case "u":
                _prompt = new Prompt("Which user (blank for all): ", v =>
                {
                    v = v.Trim();
                    if (v.Length == 0) { _s.UserFilter = null; return; }
                    if (Linux.UserDatabase.TryGetUid(v, out uint uid)) { _s.UserFilter = uid; _s.UserFilterText = v; }
                    else _message = $" Invalid user '{v}'";
                });
                return false;
            case "o" or "O" or "/":
                _prompt = new Prompt("add filter #" + (_s.Filters.Count + 1) + " (ex. %CPU>5, COMMAND=java, !USER=root; blank: none): ", v =>
                {
                    if (v.Trim().Length == 0) return;
                    if (TopFilter.TryParse(v, out var f, out var err)) { _s.Filters.Add(f!); _selected = 0; }
                    else _message = " " + err;
                });
                return false;
            case "=": _s.Filters.Clear(); _s.UserFilter = null; return true;
            case "f":
                _prompt = new Prompt("toggle column (SWAP USS PSS RD/s WR/s RDOP/s WROP/s vCSW/s nCSW/s %WAIT CGROUP OOMs nTH nMin/s nMaj/s PPID P): ", v =>
                {
                    if (!TopColumn.TryFind(v.Trim(), out var fld)) { _message = $" Unknown column '{v.Trim()}'"; return; }
                    if (_s.Columns.Remove(fld)) return;
                    int at = _s.Columns.IndexOf(TopField.Command);
                    if (at < 0) _s.Columns.Add(fld); else _s.Columns.Insert(at, fld);
                });
                return false;
            case "d" or "s":
                _prompt = new Prompt($"Change delay from {_s.DelaySeconds.ToString("0.0", CultureInfo.InvariantCulture)} to: ", v =>
                {
                    if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < 1e6) _s.DelaySeconds = d;
                    else if (v.Trim().Length > 0) _message = $" Unacceptable floating point '{v}'";
                });
                return false;
            case "k":
            {
                int def = SelectedPid();
                _prompt = new Prompt($"PID to signal/kill [default pid = {def}] ", v =>
                {
                    int pid = v.Trim().Length == 0 ? def : int.TryParse(v, out var p) ? p : -1;
                    if (pid <= 0) { _message = $" Unacceptable integer '{v}'"; return; }
                    _prompt = new Prompt($"Send pid {pid} signal [15/sigterm] ", sv =>
                    {
                        int sig = 15;
                        if (sv.Trim().Length > 0 && !ProcessControl.TryParseSignal(sv, out sig)) { _message = $" Unacceptable signal '{sv}'"; return; }
                        int e = ProcessControl.Signal(pid, sig);
                        _message = e == 0 ? "" : $" Failed signal pid '{pid}' with '{sig}': {ProcessControl.Describe(e)}";
                    });
                });
                return false;
            }
            case "r":
            {
                int def = SelectedPid();
                _prompt = new Prompt($"PID to renice [default pid = {def}] ", v =>
                {
                    int pid = v.Trim().Length == 0 ? def : int.TryParse(v, out var p) ? p : -1;
                    if (pid <= 0) { _message = $" Unacceptable integer '{v}'"; return; }
                    _prompt = new Prompt($"Renice PID {pid} to value ", nv =>
                    {
                        if (!int.TryParse(nv, out int nice)) { _message = $" Unacceptable nice value '{nv}'"; return; }
                        int e = ProcessControl.SetNice(pid, nice);
                        _message = e == 0 ? "" : $" Failed renice of PID {pid} to {nice}: {ProcessControl.Describe(e)}";
                    });
                });
                return false;
            }
        }
        return false;
    }

    private int SelectedPid()
    {
        var f = Shown;
        return f is not null && _selected < f.Rows.Length ? f.Rows[_selected].Pid : 0;
    }

    private bool SortBy(TopField f)
    {
        _s.SortField = f;
        _s.SortDescending = f != TopField.Pid;
        return Resort();
    }
}
