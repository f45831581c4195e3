using System.Diagnostics;
using System.Globalization;
using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;
using Procscope.Linux.Tracing;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// strace's output on top of the engine: one line per call, `&lt;unfinished ...&gt;` and
/// `&lt;... NAME resumed&gt;` when another thread prints in between, `[pid N]` prefixes, signal and
/// exit lines, timestamps, -c counting, --json.
/// </summary>
public sealed class StraceHandler : TraceHandler, IDisposable
{
    /// <summary>Where " = " starts: strace pads to -a COLUMN (default 40) after ") ".</summary>
    private readonly int _resultColumn;
    private readonly TraceSettings _s;
    private readonly IoDump? _dump;
    private readonly SyscallDecoder? _decoder;
    private readonly TraceSink _main;
    private readonly Func<int, TraceSink>? _perPid;
    private readonly Dictionary<int, TraceSink> _pidSinks = new();
    private readonly TextWriter _messages;
    private readonly bool _deferred;
    private readonly bool _fileWithPid;
    private readonly TraceJson? _json;
    private readonly byte[][]? _pathBytes;
    private readonly StackPrinter? _stacks;
    public readonly SyscallStats Stats;
    private int _live;
    private bool _sawSpawned;
    private int _spawnedTid;
    private bool _execSucceeded;

    /// <summary>The spawned command's execve failed (strace: "exec: MESSAGE", then "exited with 1").</summary>
    public bool ExecFailed { get; private set; }
    private readonly sbyte[][] _moreAtExit = [new sbyte[SyscallSelection.MaxNumber], new sbyte[SyscallSelection.MaxNumber]];
    private long _lastTimestampTicks;
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    public StraceHandler(TraceSettings settings, TraceSink main, Func<int, TraceSink>? perPid, TextWriter messages)
    {
        _s = settings;
        _resultColumn = settings.ResultColumn - 1;
        if (settings.Dumps && settings.PrintCalls && !settings.Json) _dump = new IoDump(settings.ReadFds, settings.WriteFds);
        _main = main;
        _perPid = perPid;
        _messages = messages;
        Stats = new SyscallStats(settings.WallClock);
        if (settings.PrintCalls)
            _decoder = new SyscallDecoder(new DecodeOptions
            {
                StringLimit = settings.StringLimit,
                Hex = settings.Hex,
                Verbose = settings.Verbose,
                FdDecoration = settings.FdDecoration,
                FdDescriber = settings.FdDecoration > 0 || settings.Paths.Count > 0 ? new ProcFdDescriber() : null,
            });
        // Lines are built whole at syscall-exit when a filter needs the result (status, -P) or for JSON.
        _deferred = settings.Json || settings.StatusSuccessful is not null || settings.Paths.Count > 0;
        _fileWithPid = settings.OutputFile is not null && settings.Follow == 1;
        if (settings.Json) _json = new TraceJson();
        if (settings.StackTrace && settings.PrintCalls) _stacks = new StackPrinter();
        if (settings.Paths.Count > 0) _pathBytes = settings.Paths.Select(p => System.Text.Encoding.UTF8.GetBytes(p)).ToArray();
    }

    /// <summary>-p with several processes prints "[pid N]" from the start, like strace.</summary>
    public bool AlwaysPrefix { get; init; }

    private TraceThreadState State(TraceeThread t)
    {
        if (t.Tag is TraceThreadState st) return st;
        st = new TraceThreadState { Tid = t.Tid, Sink = SinkFor(t.Tid) };
        t.Tag = st;
        return st;
    }

    private TraceSink SinkFor(int tid)
    {
        if (_perPid is null) return _main;
        if (!_pidSinks.TryGetValue(tid, out var sink)) _pidSinks[tid] = sink = _perPid(tid);
        return sink;
    }

    public override void OnNewTracee(TraceeThread tracee, TraceeThread? parent)
    {
        var st = State(tracee);
        // Without -f, children are still traced when a seccomp filter is installed (an untraced
        // process whose filter says SECCOMP_RET_TRACE gets ENOSYS), but silently.
        if (_s.Follow == 0 && !tracee.Attached && _sawSpawned)
        {
            st.Silent = true;
            return;
        }
        if (!tracee.Attached && !_sawSpawned)
        {
            _sawSpawned = true;
            _spawnedTid = tracee.Tid;
        }
        _live++;
        // strace: "Process N attached" for -p always, for a followed child only when the trace
        // goes to stderr (with -o the trace file's [pid N] lines say it); never when quiet.
        if ((_s.Quiet & QuietSet.Attach) == 0 && (tracee.Attached || (parent is not null && _s.OutputFile is null)))
            _messages.WriteLine($"procscope trace: Process {tracee.Tid} attached");
    }

    public override void OnSyscallEntry(TraceeThread tracee, in PtraceSyscallInfo info)
    {
        var st = State(tracee);
        var c = st.Call;
        st.Selected = !st.Silent && _s.Filter.Contains(tracee.Abi, tracee.SyscallNumber);
        st.Decoded = false;
        st.Injected = null;
        st.InjectSignal = 0;
        long previousNumber = st.LastNumber;
        st.LastNumber = tracee.SyscallNumber;
        if (tracee.Abi != st.LastAbi && !st.Silent && _decoder is not null)
        {
            // strace announces a change of system call ABI (int $0x80 from 64-bit code, or back) at
            // whichever call shows it, traced or not.
            st.LastAbi = tracee.Abi;
            if (_json is null && (_s.Quiet & QuietSet.Personality) == 0)
            {
                CloseOpen(st.Sink);
                st.LastNumber = previousNumber;
                WriteLeader(st.Sink, tracee.Tid, st, info.instruction_pointer);
                st.LastNumber = tracee.SyscallNumber;
                st.Sink.Append("[ Process PID=");
                st.Sink.Append(tracee.Tid);
                st.Sink.Append(tracee.Abi == SyscallAbi.I386 ? " runs in 32 bit mode. ]\n" : " runs in 64 bit mode. ]\n");
            }
        }
        if (!st.Selected) return;
        st.EntryTicks = Stopwatch.GetTimestamp();
        st.EntrySystemTime = tracee.SystemTimeMicroseconds;
        st.EntryIp = info.instruction_pointer;
        if (_decoder is null) // -c only: count and time, nothing to decode
        {
            if (_s.Injections.Count > 0) Inject(tracee, st);
            return;
        }
        _stacks?.OnEntry(tracee, !_execSucceeded && tracee.Tid == _spawnedTid);
        c.Reset();
        c.Pid = tracee.Tid;
        c.Abi = tracee.Abi;
        c.Number = tracee.SyscallNumber;
        for (int i = 0; i < 6; i++) c.Args[i] = PtraceArgs.Get(in info, i);
        c.StackPointer = info.stack_pointer;
        if (st.Interrupted is not null && c.Number == (c.Abi == SyscallAbi.I386 ? 0 : 219)) c.InterruptedName = st.Interrupted;
        st.Interrupted = null;
        _decoder.OnEntry(c, tracee);
        st.Decoded = true;
        if (_pathBytes is not null) st.PathMatch = MatchesPath(st, tracee.Tid);
        // strace tampers only with calls it traces (and, with -P, that name the path at entry).
        if (_s.Injections.Count > 0 && (_pathBytes is null || st.PathMatch)) Inject(tracee, st);
        if (_deferred) return;

        var sink = st.Sink;
        CloseOpen(sink);
        WriteLeader(sink, st.Tid, st, st.EntryIp);
        sink.Append(c.Name);
        sink.Append('(');
        for (int i = 0; i < c.EntryArgumentCount; i++)
        {
            if (i > 0) sink.Append(", ");
            sink.Append(c.Arguments[i].Text);
        }
        sink.Open = st;
    }

    /// <summary>A call's cost for -c, as strace counts it: the system CPU time the process used
    /// between the call's entry and exit stops (wait4's rusage); with -w, or when the tracer did not
    /// collect system times, the wall time between the two stops.</summary>
    private static long SummaryTicks(TraceeThread tracee, TraceThreadState st, long now)
    {
        long stime = tracee.SystemTimeMicroseconds;
        if (st.EntrySystemTime < 0 || stime < 0) return now - st.EntryTicks;
        return Math.Max(0, stime - st.EntrySystemTime) * Stopwatch.Frequency / 1_000_000;
    }

    public override void OnSyscallExit(TraceeThread tracee, in PtraceSyscallInfo info)
    {
        var st = State(tracee);
        _stacks?.OnExit(tracee);
        if (!st.Selected) return;
        long now = Stopwatch.GetTimestamp();
        long rval = info.rval;
        if (st.Injected is { } injected) rval = SetResult(tracee, injected);
        if (st.InjectSignal != 0) tracee.SignalOnResume = st.InjectSignal;
        if (tracee.Abi == SyscallAbi.I386) rval = (int)rval;
        bool failed = rval is < 0 and >= -4095;
        if (_s.Summary) Stats.Add(tracee.Abi, tracee.SyscallNumber, SummaryTicks(tracee, st, now), failed);
        if (!st.Decoded) return;
        var c = st.Call;
        c.ReturnValue = st.Injected is null ? info.rval : rval;
        _decoder!.OnExit(c, tracee);
        st.Decoded = false;
        // ERESTART_RESTARTBLOCK: the kernel resumes it with restart_syscall, which strace names.
        if (rval == -516) st.Interrupted = c.Name;
        bool execFailed = !_execSucceeded && tracee.Tid == _spawnedTid && c.Errno != 0 && c.Name is "execve" or "execveat";
        if ((ulong)c.Number < SyscallSelection.MaxNumber)
            _moreAtExit[c.Abi == SyscallAbi.I386 ? 1 : 0][c.Number] = c.Arguments.Count > c.EntryArgumentCount ? (sbyte)1 : (sbyte)-1;
        if (_deferred)
        {
            if (_s.StatusSuccessful is bool ok && ok == (c.Errno != 0)) return;
            if (_pathBytes is not null && !st.PathMatch && !MatchesPath(st, tracee.Tid)) return;
            if (_json is not null)
            {
                _json.Call(st.Sink, c, WallNow(), (now - st.EntryTicks) * 1_000_000 / Stopwatch.Frequency,
                    _stacks is { } stacks ? w => stacks.WriteJson(w, stacks.FramesAfterCall(tracee)) : null, st.Injected is not null);
                return;
            }
            var sink0 = st.Sink;
            CloseOpen(sink0);
            WriteLeader(sink0, st.Tid, st, st.EntryIp);
            sink0.Append(c.Name);
            sink0.Append('(');
            for (int i = 0; i < c.Arguments.Count; i++)
            {
                if (i > 0) sink0.Append(", ");
                sink0.Append(c.Arguments[i].Text);
            }
            FinishCall(sink0, st, now);
            _dump?.Write(sink0, tracee, c);
            _stacks?.PrintAfterCall(sink0, tracee);
            if (execFailed) ReportExecFailure(sink0, c.Errno);
            return;
        }
        var sink = st.Sink;
        if (sink.Open == st)
        {
            for (int i = c.EntryArgumentCount; i < c.Arguments.Count; i++)
            {
                if (i > 0) sink.Append(", ");
                sink.Append(c.Arguments[i].Text);
            }
        }
        else
        {
            CloseOpen(sink);
            WriteLeader(sink, st.Tid, st, info.instruction_pointer);
            sink.Append("<... ");
            sink.Append(c.Name);
            sink.Append(" resumed>");
            for (int i = c.EntryArgumentCount; i < c.Arguments.Count; i++)
            {
                if (i > c.EntryArgumentCount) sink.Append(", ");
                sink.Append(c.Arguments[i].Text);
            }
        }
        FinishCall(sink, st, now);
        _dump?.Write(sink, tracee, c);
        _stacks?.PrintAfterCall(sink, tracee);
        if (execFailed) ReportExecFailure(sink, c.Errno);
    }

    /// <summary>
    /// -e inject / -e fault at a traced call's entry (or seccomp stop): when this thread's countdown
    /// for the call says so, the call is skipped (number -1: the kernel runs nothing and returns
    /// -ENOSYS) and <see cref="SetResult"/> puts the chosen result in place at exit.
    /// </summary>
    private void Inject(TraceeThread tracee, TraceThreadState st)
    {
        long key = ((long)tracee.Abi << 32) | (uint)tracee.SyscallNumber;
        st.InjectionCounters ??= new();
        if (!st.InjectionCounters.TryGetValue(key, out var counter))
        {
            SyscallInjection? spec = null;
            // As strace: the last -e inject/fault naming the call applies.
            foreach (var inj in _s.Injections)
                if (inj.Calls.Contains(tracee.Abi, tracee.SyscallNumber)) spec = inj;
            counter = spec is null ? null : new InjectionCounter(spec);
            st.InjectionCounters[key] = counter!;
        }
        if (counter is null || !counter.Next()) return;
        st.InjectSignal = counter.Spec.Signal;
        if (counter.Spec.ReplacesResult && tracee.TrySetSyscallNumber(-1)) st.Injected = counter.Spec;
    }

    /// <summary>At the exit of a skipped call: the injected result into rax; returns it as the call's result.</summary>
    private static long SetResult(TraceeThread tracee, SyscallInjection injected)
    {
        long value = injected.ReturnRegister;
        tracee.TrySetReturnValue(value);
        return tracee.Abi == SyscallAbi.I386 ? (int)value : value;
    }

    private void ReportExecFailure(TraceSink sink, int errno)
    {
        ExecFailed = true;
        sink.Flush();
        _messages.WriteLine("procscope trace: exec: " + System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno));
    }

    private void FinishCall(TraceSink sink, TraceThreadState st, long now)
    {
        sink.Append(')');
        sink.PadTo(_resultColumn);
        sink.Append(" = ");
        sink.Append(st.Call.ReturnText);
        if (st.Injected is not null) sink.Append(" (INJECTED)");
        if (_s.CallTimes) AppendDuration(sink, now - st.EntryTicks);
        sink.Append('\n');
        sink.Open = null;
    }

    private static void AppendDuration(TraceSink sink, long ticks)
    {
        long us = ticks * 1_000_000 / Stopwatch.Frequency;
        sink.Append(" <");
        sink.Append((us / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (us % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
        sink.Append('>');
    }

    private bool MatchesPath(TraceThreadState st, int tid)
    {
        foreach (var a in st.Call.Arguments)
        {
            if (a.Kind == ArgKind.String && a.Bytes is { } b)
                foreach (var p in _pathBytes!)
                    if (b.AsSpan().SequenceEqual(p)) return true;
            if (a.Kind == ArgKind.Fd && a.Number is long fd && _decoder!.Options.FdDescriber is { } d && d.Describe(tid, (int)fd, false) is { } path)
                foreach (var p in _s.Paths)
                    if (path == p) return true;
        }
        return false;
    }

    /// <summary>
    /// Ends another thread's open entry with " &lt;unfinished ...&gt;". strace writes ", " before it when
    /// arguments follow at exit; whether they do is learnt from the last completed call of the same
    /// number (the decoder decides per call), else guessed from the table's argument count.
    /// </summary>
    private void CloseOpen(TraceSink sink)
    {
        var open = sink.Open;
        if (open is null) return;
        var c = open.Call;
        sbyte learnt = (ulong)c.Number < SyscallSelection.MaxNumber ? _moreAtExit[c.Abi == SyscallAbi.I386 ? 1 : 0][c.Number] : (sbyte)0;
        bool more = learnt != 0 ? learnt > 0 : c.Info is { } info && c.EntryArgumentCount < info.ArgCount;
        if (more && c.EntryArgumentCount > 0) sink.Append(", ");
        sink.Append(" <unfinished ...>\n");
        sink.Open = null;
    }

    /// <summary>
    /// strace's printleader: "[pid N] " (or "N " in a shared -o file), the timestamp, then with -n
    /// "[NNNN] " (the thread's last call number) and with -i "[IP] " (16 hex digits, 8 for i386;
    /// question marks when the thread is gone).
    /// </summary>
    private void WriteLeader(TraceSink sink, int tid, TraceThreadState st, ulong? ip)
    {
        if (_perPid is null)
        {
            if (_fileWithPid)
            {
                sink.Append(tid);
                sink.Append(' ');
            }
            else if (_live > 1 || AlwaysPrefix)
            {
                sink.Append("[pid ");
                sink.Append(tid);
                sink.Append("] ");
            }
        }
        if (_s.Timestamps > 0 || _s.Relative) WriteTimestamp(sink);
        if (_s.SyscallNumbers)
        {
            sink.Append('[');
            sink.Append(st.LastNumber.ToString(CultureInfo.InvariantCulture).PadLeft(4));
            sink.Append("] ");
        }
        if (_s.InstructionPointer)
        {
            bool narrow = st.LastAbi == SyscallAbi.I386;
            sink.Append('[');
            sink.Append(ip is ulong v ? v.ToString(narrow ? "x8" : "x16", CultureInfo.InvariantCulture) : narrow ? "????????" : "????????????????");
            sink.Append("] ");
        }
    }

    /// <summary>-i at a stop that is not a system call stop (a signal, a group-stop, an exec).</summary>
    private ulong? CurrentIp(TraceeThread tracee) =>
        _s.InstructionPointer && tracee.TryGetInstructionPointer(out ulong ip) ? ip : null;

    private void WriteTimestamp(TraceSink sink)
    {
        long ticks = Stopwatch.GetTimestamp();
        if (_s.Relative)
        {
            long prev = _lastTimestampTicks == 0 ? ticks : _lastTimestampTicks;
            _lastTimestampTicks = ticks;
            long us = (ticks - prev) * 1_000_000 / Stopwatch.Frequency;
            sink.Append((us / 1_000_000).ToString(CultureInfo.InvariantCulture).PadLeft(6) + "." + (us % 1_000_000).ToString("D6", CultureInfo.InvariantCulture) + " ");
            return;
        }
        var now = WallNow();
        if (_s.Timestamps >= 3)
        {
            long us = (long)(now - DateTime.UnixEpoch).Ticks / 10;
            sink.Append((us / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (us % 1_000_000).ToString("D6", CultureInfo.InvariantCulture) + " ");
            return;
        }
        var local = now.ToLocalTime();
        sink.Append(local.ToString(_s.Timestamps == 2 ? "HH:mm:ss.ffffff " : "HH:mm:ss ", CultureInfo.InvariantCulture));
    }

    private static DateTime WallNow() => DateTime.UtcNow;

    public override int OnSignal(TraceeThread tracee, in SigInfo info)
    {
        int sig = info.si_signo;
        if (!_s.PrintCalls || State(tracee).Silent || (_s.Signals is not null && !_s.Signals.Contains(sig))) return sig;
        var st = State(tracee);
        var sink = st.Sink;
        if (_json is not null)
        {
            _json.Signal(sink, tracee.Tid, WallNow(), SignalFormatter.Name(sig) ?? sig.ToString(CultureInfo.InvariantCulture));
            return sig;
        }
        CloseOpen(sink);
        WriteLeader(sink, tracee.Tid, st, CurrentIp(tracee));
        sink.Append(SignalText.Line(in info));
        sink.Append('\n');
        _stacks?.Print(sink, _stacks.Capture(tracee));
        return sig;
    }

    public override void OnGroupStop(TraceeThread tracee, int signal)
    {
        if (!_s.PrintCalls || _json is not null || State(tracee).Silent) return;
        var st = State(tracee);
        var sink = st.Sink;
        CloseOpen(sink);
        WriteLeader(sink, tracee.Tid, st, CurrentIp(tracee));
        sink.Append("--- stopped by ");
        sink.Append(SignalFormatter.Name(signal) ?? signal.ToString(CultureInfo.InvariantCulture));
        sink.Append(" ---\n");
    }

    public override void OnExec(TraceeThread tracee, int formerTid, TraceeThread? replacedLeader)
    {
        _execSucceeded = true;
        _stacks?.OnExec(tracee);
        var st = State(tracee);
        if (st.Silent) return;
        st.Tid = tracee.Tid;
        if (replacedLeader is not null)
        {
            if (_s.PrintCalls && _json is null)
            {
                // The old leader's call never returns: strace closes it with " = ?" first.
                var old = State(replacedLeader);
                var sink = old.Sink;
                if (replacedLeader.InSyscall && old.Selected && old.Decoded && !_deferred) NeverReturns(sink, old, killed: false);
                _live--;
                CloseOpen(sink);
                if ((_s.Quiet & QuietSet.ThreadExecve) == 0)
                {
                    // strace prints it as the thread that called execve (which now has the leader's id).
                    WriteLeader(sink, replacedLeader.Tid, st, CurrentIp(tracee));
                    sink.Append("+++ superseded by execve in pid ");
                    sink.Append(formerTid);
                    sink.Append(" +++\n");
                }
            }
            else _live--;
        }
    }

    public override void OnExited(TraceeThread tracee, int code)
    {
        // After a failed exec the child's _exit(127) is ours, not the command's: strace says 1.
        if (ExecFailed && tracee.Tid == _spawnedTid) code = 1;
        Ended(tracee, (_s.Quiet & QuietSet.Exit) != 0 ? null : "+++ exited with " + code.ToString(CultureInfo.InvariantCulture) + " +++", code, null);
    }

    public override void OnKilled(TraceeThread tracee, int signal, bool coreDumped) =>
        Ended(tracee, "+++ killed by " + (SignalFormatter.Name(signal) ?? signal.ToString(CultureInfo.InvariantCulture)) + (coreDumped ? " (core dumped)" : "") + " +++", null, signal);

    private void Ended(TraceeThread tracee, string? text, int? code, int? signal)
    {
        var st = State(tracee);
        if (st.Silent) return;
        var sink = st.Sink;
        if (_s.PrintCalls)
        {
            if (_json is not null)
            {
                _json.Exit(sink, tracee.Tid, WallNow(), code, signal is int s ? SignalFormatter.Name(s) : null);
            }
            else
            {
                // A call that never returns (exit_group, or killed inside a call): " = ?".
                if (tracee.InSyscall && st.Selected && st.Decoded && !_deferred) NeverReturns(sink, st, signal is not null);
                if (text is not null)
                {
                    CloseOpen(sink);
                    WriteLeader(sink, tracee.Tid, st, null);
                    sink.Append(text);
                    sink.Append('\n');
                }
                _stacks?.PrintPending(sink, tracee.Tid);
            }
        }
        _stacks?.Forget(tracee.Tid);
        _live--;
        if (_perPid is not null && _pidSinks.Remove(tracee.Tid, out var own)) own.Dispose();
    }

    /// <summary>A call that never returns (exit_group, execve's victims, killed inside a call): " = ?".</summary>
    private void NeverReturns(TraceSink sink, TraceThreadState st, bool killed)
    {
        if (sink.Open == st)
        {
            if (killed) sink.Append(" <unfinished ...>");
            sink.Append(')');
        }
        else
        {
            CloseOpen(sink);
            WriteLeader(sink, st.Tid, st, null);
            sink.Append("<... ");
            sink.Append(st.Call.Name);
            sink.Append(" resumed>)");
        }
        sink.PadTo(_resultColumn);
        sink.Append(" = ?\n");
        sink.Open = null;
        st.Decoded = false;
    }

    public override void OnDetached(TraceeThread tracee)
    {
        _live--;
        var st = State(tracee);
        var sink = st.Sink;
        // As strace: the message first, then the detached thread's open line ends " <detached ...>"
        // (-b execve leaves the execve line open; Ctrl-C on -p a blocking call's line).
        if ((_s.Quiet & QuietSet.Attach) == 0)
        {
            sink.Flush();
            _messages.WriteLine($"procscope trace: Process {tracee.Tid} detached");
        }
        if (sink.Open == st)
        {
            sink.Append(" <detached ...>\n");
            sink.Open = null;
        }
        if (_perPid is not null && _pidSinks.Remove(tracee.Tid, out var own)) own.Dispose();
    }

    public override void OnIdle()
    {
        if (_main.FlushWhenIdle) _main.Flush();
        foreach (var s in _pidSinks.Values)
            if (s.FlushWhenIdle) s.Flush();
    }

    /// <summary>Only terminals and pipes are flushed when the tracee is idle; files fill the buffer.</summary>
    public override bool WantsIdleCallbacks => _main.FlushWhenIdle;

    public void Dispose()
    {
        foreach (var s in _pidSinks.Values) s.Dispose();
        _pidSinks.Clear();
        _main.Flush();
    }
}

/// <summary>The six argument registers of an entry or seccomp stop.</summary>
internal static unsafe class PtraceArgs
{
    public static ulong Get(in PtraceSyscallInfo info, int i)
    {
        fixed (PtraceSyscallInfo* p = &info) return p->args[i];
    }
}
