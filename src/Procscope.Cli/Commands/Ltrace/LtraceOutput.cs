using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Procscope.Core.LibraryCalls;
using Procscope.Core.Parsing;
using Procscope.Core.Syscalls;
using Procscope.Linux.LibraryTracing;

namespace Procscope.Cli.Commands.Ltrace;

/// <summary>How calls are printed (ltrace's -C -t -r -T -i -n -c, and --json).</summary>
public sealed class LtraceRenderOptions
{
    /// <summary>-s, also for -S system call strings.</summary>
    public int StringLimit { get; init; } = 32;
    public bool Demangle { get; init; }
    /// <summary>0: none; 1: -t; 2: -tt; 3: -ttt.</summary>
    public int Timestamps { get; init; }
    public bool Relative { get; init; }
    public bool Durations { get; init; }
    public bool InstructionPointer { get; init; }
    public int Indent { get; init; }
    /// <summary>The column " = " is padded to (ltrace: 48; -a).</summary>
    public int Align { get; init; } = 48;
    public bool Json { get; init; }
    public bool Summary { get; init; }
    /// <summary>Prefix every line with [pid N] (with -f or several -p).</summary>
    public bool AlwaysPid { get; init; }
}

/// <summary>
/// Renders the tracer's events as ltrace does: one line per call when nothing interleaves,
/// "name(args &lt;unfinished ...&gt;" and "&lt;... name resumed&gt; ) = ret" when something does;
/// "--- SIGINT (Interrupt) ---", "+++ exited (status 0) +++"; the -c table at the end; or NDJSON.
/// </summary>
public sealed class LtraceOutput(TextWriter output, LtraceRenderOptions options, bool utf8Locale) : ILibraryCallSink
{
    private readonly StringBuilder _sb = new(256);
    private readonly Dictionary<string, (long Calls, long Ticks)> _summary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _demangled = new(StringComparer.Ordinal);
    private readonly HashSet<int> _tids = new();
    private readonly List<LibraryCall> _inFlight = new();
    private LibraryCall? _pending;
    private DateTimeOffset? _last;

    public void OnEntry(LibraryCall call)
    {
        _inFlight.Add(call);
        _tids.Add(call.Tid);
        if (options.Summary || options.Json) return;
        FlushPending();
        _pending = call;
    }

    public void OnReturn(LibraryCall call)
    {
        _inFlight.Remove(call);
        if (options.Summary)
        {
            var name = DisplayName(call.Name);
            _summary.TryGetValue(name, out var s);
            _summary[name] = (s.Calls + 1, s.Ticks + (call.ReturnTimestamp - call.EntryTimestamp));
            return;
        }
        if (options.Json)
        {
            WriteJson(call, returned: true);
            return;
        }
        _sb.Clear();
        if (_pending == call)
        {
            Prefix(call.Pid, call.Tid, call.EntryWallClock, call.ReturnAddress, call.Depth);
            _sb.Append(DisplayName(call.Name)).Append('(').Append(Safe(call.Arguments.Joined)).Append(')');
            _pending = null;
        }
        else
        {
            FlushPending();
            _sb.Clear();
            Prefix(call.Pid, call.Tid, DateTimeOffset.UtcNow, call.ReturnAddress, call.Depth);
            _sb.Append("<... ").Append(DisplayName(call.Name)).Append(" resumed> )");
        }
        Pad();
        _sb.Append(" = ").Append(Safe(call.ReturnText ?? "?"));
        if (options.Durations) _sb.Append(" <").Append(Seconds(call.ReturnTimestamp - call.EntryTimestamp)).Append('>');
        Line();
    }

    private readonly SyscallDecoder _decoder = new(new DecodeOptions { StringLimit = options.StringLimit });
    private readonly Dictionary<int, SyscallCall> _syscalls = new();
    private SyscallCall? _syscallPending;

    public void OnSyscallEntry(int pid, int tid, long number, ReadOnlySpan<ulong> args, ITraceeMemory memory)
    {
        if (!options.Summary && !options.Json) FlushPending();
        if (!_syscalls.TryGetValue(tid, out var call)) _syscalls[tid] = call = new SyscallCall();
        call.Reset();
        call.Pid = tid;
        call.Number = number;
        args.CopyTo(call.Args);
        _decoder.OnEntry(call, memory);
        if (options.Summary || options.Json) return;
        _syscallPending = call;
    }

    public void OnSyscallExit(int pid, int tid, long number, long result, ITraceeMemory memory)
    {
        if (!_syscalls.TryGetValue(tid, out var call) || call.Number != number) return;
        call.ReturnValue = result;
        _decoder.OnExit(call, memory);
        if (options.Summary) return;
        if (options.Json)
        {
            Json(w =>
            {
                w.WriteString("type", "syscall");
                w.WriteNumber("pid", pid);
                w.WriteNumber("tid", tid);
                w.WriteString("name", call.Name);
                w.WriteStartArray("args");
                foreach (var a in call.Arguments) w.WriteStringValue(a.Text);
                w.WriteEndArray();
                w.WriteString("return", call.ReturnText);
            });
            return;
        }
        _sb.Clear();
        Prefix(pid, tid, DateTimeOffset.UtcNow, null, 0);
        if (_syscallPending == call) _sb.Append("SYS_").Append(call.Name).Append('(').Append(Safe(string.Join(", ", call.Arguments.Select(a => a.Text)))).Append(')');
        else _sb.Append("<... SYS_").Append(call.Name).Append(" resumed> )");
        _syscallPending = null;
        Pad();
        _sb.Append(" = ").Append(Safe(call.ReturnText));
        Line();
    }

    public void OnSignal(int pid, int tid, int signal)
    {
        if (options.Summary) return;
        if (options.Json)
        {
            Json(w => { w.WriteString("type", "signal"); w.WriteNumber("pid", pid); w.WriteNumber("tid", tid); w.WriteString("signal", SignalNames.Name(signal)); });
            return;
        }
        FlushPending();
        _sb.Clear();
        Prefix(pid, tid, DateTimeOffset.UtcNow, null, 0);
        _sb.Append("--- ").Append(SignalNames.Name(signal)).Append(" (").Append(SignalNames.Description(signal)).Append(") ---");
        Line();
    }

    public void OnExited(int pid, int code) => Final(pid, $"+++ exited (status {code}) +++", w => { w.WriteString("type", "exit"); w.WriteNumber("pid", pid); w.WriteNumber("status", code); });

    public void OnKilled(int pid, int signal) => Final(pid, $"+++ killed by {SignalNames.Name(signal)} +++", w => { w.WriteString("type", "killed"); w.WriteNumber("pid", pid); w.WriteString("signal", SignalNames.Name(signal)); });

    public void OnNotice(string message)
    {
        FlushPending();
        if (options.Json)
        {
            Json(w => { w.WriteString("type", "notice"); w.WriteString("message", message); });
            return;
        }
        output.Write("procscope ltrace: ");
        output.Write(Safe(message));
        output.Write('\n');
    }

    private void Final(int pid, string text, Action<Utf8JsonWriter> json)
    {
        // Calls of this process still in flight never return.
        foreach (var c in _inFlight.Where(c => c.Pid == pid).ToList())
        {
            _inFlight.Remove(c);
            if (options.Json) WriteJson(c, returned: false);
        }
        if (options.Summary) return;
        if (options.Json) { Json(json); return; }
        if (_syscallPending is { Name: "exit_group" or "exit" } last)
        {
            // It never returns: ltrace's "<no return ...>".
            _syscallPending = null;
            _sb.Clear();
            Prefix(pid, last.Pid, DateTimeOffset.UtcNow, null, 0);
            _sb.Append("SYS_").Append(last.Name).Append('(').Append(Safe(string.Join(", ", last.Arguments.Select(a => a.Text)))).Append(" <no return ...>");
            Line();
        }
        FlushPending();
        _sb.Clear();
        Prefix(pid, pid, DateTimeOffset.UtcNow, null, 0, forcePid: false);
        _sb.Append(text);
        Line();
    }

    /// <summary>Prints the -c table (ltrace's layout, sorted by time) and flushes.</summary>
    public void Finish()
    {
        FlushPending();
        if (options.Summary)
        {
            double total = _summary.Values.Sum(v => (double)v.Ticks) / Stopwatch.Frequency;
            long calls = _summary.Values.Sum(v => v.Calls);
            var sb = new StringBuilder();
            sb.Append("% time     seconds  usecs/call     calls      function\n");
            sb.Append("------ ----------- ----------- --------- --------------------\n");
            foreach (var (name, (n, ticks)) in _summary.OrderByDescending(kv => kv.Value.Ticks).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                double secs = (double)ticks / Stopwatch.Frequency;
                double pct = total > 0 ? secs * 100 / total : 0;
                sb.Append(CultureInfo.InvariantCulture, $"{pct,6:F2} {secs,11:F6} {(long)(secs * 1e6 / n),11} {n,9} {Safe(name)}\n");
            }
            sb.Append("------ ----------- ----------- --------- --------------------\n");
            sb.Append(CultureInfo.InvariantCulture, $"100.00 {total,11:F6} {"",11} {calls,9} total\n");
            output.Write(sb.ToString());
        }
        output.Flush();
    }

    private void FlushPending()
    {
        if (_syscallPending is { } sc)
        {
            _syscallPending = null;
            _sb.Clear();
            Prefix(sc.Pid, sc.Pid, DateTimeOffset.UtcNow, null, 0);
            _sb.Append("SYS_").Append(sc.Name).Append('(').Append(Safe(string.Join(", ", sc.Arguments.Take(sc.EntryArgumentCount).Select(a => a.Text)))).Append(" <unfinished ...>");
            Line();
        }
        if (_pending is not { } call) return;
        _pending = null;
        _sb.Clear();
        Prefix(call.Pid, call.Tid, call.EntryWallClock, call.ReturnAddress, call.Depth);
        _sb.Append(DisplayName(call.Name)).Append('(').Append(Safe(call.Arguments.Joined)).Append(" <unfinished ...>");
        Line();
    }

    private void Prefix(int pid, int tid, DateTimeOffset when, ulong? ip, int depth, bool forcePid = true)
    {
        // A thread other than the main one means several threads: every line says whose it is from then on.
        if (tid != pid) _tids.Add(tid);
        if (options.AlwaysPid || _tids.Count > 1 || tid != pid) _sb.Append("[pid ").Append(forcePid ? tid : pid).Append("] ");
        if (options.Timestamps > 0)
        {
            if (options.Timestamps == 3)
                _sb.Append(when.ToUnixTimeSeconds()).Append('.').Append((when.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture)).Append(' ');
            else
            {
                var local = when.ToLocalTime();
                _sb.Append(local.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
                if (options.Timestamps == 2) _sb.Append('.').Append((local.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture));
                _sb.Append(' ');
            }
        }
        if (options.Relative)
        {
            var delta = _last is { } l ? when - l : TimeSpan.Zero;
            if (delta < TimeSpan.Zero) delta = TimeSpan.Zero;
            _last = when;
            _sb.Append(((long)delta.TotalSeconds).ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append('.')
               .Append((delta.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture)).Append(' ');
        }
        if (options.InstructionPointer && ip is { } a) _sb.Append('[').Append(CallFormatter.Hex(a)).Append("] ");
        if (options.Indent > 0 && depth > 0) _sb.Append(' ', options.Indent * depth);
    }

    private void Pad()
    {
        if (_sb.Length < options.Align) _sb.Append(' ', options.Align - _sb.Length);
    }

    private void Line()
    {
        _sb.Append('\n');
        output.Write(_sb);
        _sb.Clear();
    }

    private string DisplayName(string name)
    {
        if (!options.Demangle || !name.StartsWith("_Z", StringComparison.Ordinal)) return name;
        if (!_demangled.TryGetValue(name, out var d)) _demangled[name] = d = CxxDemangler.Demangle(name) ?? name;
        return d;
    }

    /// <summary>Names and argument texts come from the tracee: control bytes never reach the terminal raw.</summary>
    private string Safe(string text)
    {
        foreach (char c in text)
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8Locale))
                return TextSanitizer.ForTerminal(Encoding.UTF8.GetBytes(text), utf8Locale);
        return text;
    }

    private static string Seconds(long ticks) => ((double)ticks / Stopwatch.Frequency).ToString("F6", CultureInfo.InvariantCulture);

    private readonly MemoryStream _json = new();

    private void Json(Action<Utf8JsonWriter> body)
    {
        _json.SetLength(0);
        using (var w = new Utf8JsonWriter(_json))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", 1);
            body(w);
            w.WriteEndObject();
        }
        output.Write(Encoding.UTF8.GetString(_json.GetBuffer(), 0, (int)_json.Length));
        output.Write('\n');
    }

    private void WriteJson(LibraryCall call, bool returned) => Json(w =>
    {
        w.WriteString("type", "call");
        w.WriteNumber("pid", call.Pid);
        w.WriteNumber("tid", call.Tid);
        w.WriteString("function", call.Name);
        if (call.Name.StartsWith("_Z", StringComparison.Ordinal) && CxxDemangler.Demangle(call.Name) is { } d) w.WriteString("demangled", d);
        w.WriteString("library", call.Library);
        w.WriteStartArray("args");
        foreach (var a in call.Arguments.Arguments) w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteBoolean("returned", returned);
        if (returned)
        {
            w.WriteString("return", call.ReturnText);
            w.WriteNumber("return_value", call.ReturnValue);
            if (call.Errno is { } e and > 0) { w.WriteNumber("errno", e); w.WriteString("errno_name", Xlat.Errnos.Name(e) ?? $"E{e}"); }
            w.WriteNumber("duration_seconds", (double)(call.ReturnTimestamp - call.EntryTimestamp) / Stopwatch.Frequency);
        }
        w.WriteString("caller", CallFormatter.Hex(call.ReturnAddress));
        w.WriteNumber("timestamp_seconds", call.EntryWallClock.ToUnixTimeMilliseconds() / 1000.0);
        w.WriteNumber("depth", call.Depth);
    });
}

/// <summary>Signal names (the generated table) and ltrace's descriptions (strsignal(3) texts, x86-64 numbering).</summary>
public static class SignalNames
{
    private static readonly string[] s_text =
    [
        "", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
        "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
        "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)", "Stopped",
        "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded",
        "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible", "Power failure", "Bad system call",
    ];

    public static string Name(int sig) => SignalFormatter.Name(sig) ?? $"SIG{sig}";

    public static string Description(int sig) => sig > 0 && sig < s_text.Length ? s_text[sig] : $"Real-time signal {Math.Max(0, sig - 34)}";
}
