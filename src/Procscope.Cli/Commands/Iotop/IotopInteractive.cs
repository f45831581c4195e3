using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Infrastructure;
using Procscope.Linux.Tty;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>
/// The full-screen view, on top's <see cref="Screen"/> (frame diff) and <see cref="TerminalDevice"/>
/// (raw mode). Keys as iotop: left/right arrows change the sort column, r reverses it, o toggles
/// --only, p --processes, a --accumulated, q quits, any other key refreshes now. The terminal is
/// restored on q, Ctrl-C, SIGTERM and SIGHUP.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IotopInteractive(CommandContext ctx, IotopCollector collector, IotopSettings settings)
{
    private static readonly IotopColumn[] Order = Enum.GetValues<IotopColumn>();
    private readonly TerminalDevice _term = new();
    private readonly Screen _screen = new(ctx.Out);
    private readonly Lock _lock = new();
    private volatile bool _quit, _resized = true;
    private bool _active;
    private int _exitCode;

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
                ctx.Out.Write(Screen.EnterSequence);
                ctx.Out.Flush();
                _active = true;
            }
            Loop();
        }
        finally
        {
            Leave();
        }
        return _exitCode;
    }

    private void OnSignal(PosixSignalContext c, int code)
    {
        c.Cancel = true;
        _exitCode = code;
        _quit = true;
    }

    private void Leave()
    {
        lock (_lock)
        {
            if (_active)
            {
                _active = false;
                try { ctx.Out.Flush(); } catch (IOException) { }
                _term.WriteRaw(Encoding.ASCII.GetBytes(Screen.LeaveSequence));
            }
            _term.Restore();
        }
    }

    private void Loop()
    {
        var s = settings;
        s.Sort ??= IotopColumn.Io;
        collector.Prime(s);
        long next = Environment.TickCount64 + (long)(s.DelaySeconds * 1000);
        long done = 0;
        IotopFrame? frame = null;
        var input = new byte[64];
        while (!_quit)
        {
            if (_resized)
            {
                _resized = false;
                var size = _term.GetSize() ?? (24, 80);
                _screen.Resize(size.Rows, size.Columns);
                if (frame is not null) Draw(frame, s);
            }
            long now = Environment.TickCount64;
            if (now >= next || frame is null && now >= next)
            {
                frame = collector.Collect(s);
                Draw(frame, s);
                done++;
                if (s.Iterations is { } n && done >= n) return;
                next = now + (long)(s.DelaySeconds * 1000);
            }
            if (!_term.WaitForInput((int)Math.Clamp(next - Environment.TickCount64, 0, 200))) continue;
            int got = _term.Read(input);
            if (got <= 0) continue;
            bool refresh = false;
            var keys = input.AsSpan(0, got);
            while (!keys.IsEmpty)
            {
                if (keys.StartsWith("\e[D"u8)) { Move(s, -1); keys = keys[3..]; refresh = true; continue; }
                if (keys.StartsWith("\e[C"u8)) { Move(s, +1); keys = keys[3..]; refresh = true; continue; }
                if (keys.StartsWith("\e[<"u8))
                {
                    // SGR mouse report: ESC [ < b ; x ; y (M|m)
                    int end = keys.IndexOfAny((byte)'M', (byte)'m');
                    keys = end < 0 ? default : keys[(end + 1)..];
                    continue;
                }
                if (keys.StartsWith("\e[M"u8)) { keys = keys.Length > 6 ? keys[6..] : default; continue; }
                byte k = keys[0];
                keys = keys[1..];
                refresh = true;
                switch ((char)k)
                {
                    case 'q' or 'Q': return;
                    case 'r' or 'R': s.Reverse = !s.Reverse; break;
                    case 'o' or 'O': s.Only = !s.Only; break;
                    case 'p' or 'P': s.Processes = !s.Processes; collector.Prime(s); break;
                    case 'a' or 'A': s.Accumulated = !s.Accumulated; break;
                }
            }
            if (refresh && frame is not null)
            {
                // Re-sort and redraw the rows we have; the next sample comes on schedule.
                var rows = frame.Rows.ToList();
                IotopCollector.Sort(rows, s);
                frame = frame with { Rows = rows };
                Draw(frame, s);
            }
        }
    }

    private static void Move(IotopSettings s, int by)
    {
        int i = Array.IndexOf(Order, s.Sort ?? IotopColumn.Io);
        var col = Order[(i + by + Order.Length) % Order.Length];
        if (!s.Totals && col is IotopColumn.TotalRead or IotopColumn.TotalWrite)
            col = Order[(Array.IndexOf(Order, col) + (by > 0 ? 2 : -2) + Order.Length) % Order.Length];
        s.Sort = col;
    }

    private void Draw(IotopFrame f, IotopSettings s)
    {
        int width = Math.Max(20, _screen.Columns);
        var lines = new List<string>(_screen.Rows);
        string Fit(string t) => t.Length > width ? t[..width] : t;
        foreach (var l in IotopRender.Summary(f, s, IotopCommand.DelayLine(collector))) lines.Add(Fit(l));
        lines.Add("\e[7m" + Fit(IotopRender.Header(s, s.Sort, s.Reverse)).PadRight(width) + "\e[0m");
        foreach (var r in f.Rows)
        {
            if (lines.Count >= _screen.Rows - 1) break;
            lines.Add(Fit(IotopRender.Row(r, s, null)));
        }
        while (lines.Count < _screen.Rows - 1) lines.Add("");
        lines.Add(Fit(" keys: \u2190/\u2192 sort  r reverse  o only  p processes  a accumulated  q quit"));
        lock (_lock) if (_active) _screen.Draw(lines);
    }
}
