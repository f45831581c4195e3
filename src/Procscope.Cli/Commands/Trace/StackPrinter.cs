using System.Globalization;
using System.Text;
using System.Text.Json;
using Procscope.Core.LibraryCalls;
using Procscope.Core.Parsing;
using Procscope.Core.Syscalls;
using Procscope.Core.Unwind;
using Procscope.Linux;
using Procscope.Linux.Tracing;
using Procscope.Linux.Tracing.Stacks;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// trace -k: the stack of the traced thread after each printed call, as strace -k prints it
/// (strace 6.1 with libunwind on this machine): walked at the call's exit, except exit and
/// exit_group, whose stack is taken at entry and printed after the "+++ exited" line, and execve
/// (taken at entry, printed after its line); after each
/// signal line too; nothing for 32-bit calls (strace's libunwind unwinder disables itself there).
/// </summary>
public sealed class StackPrinter
{
    private const int SysExit = 60, SysExitGroup = 231, SysExecve = 59, SysExecveat = 322;
    private readonly StackTracer _tracer = new(new ProcFs());
    private readonly Dictionary<int, StackFrame[]> _atEntry = new();
    private readonly Dictionary<string, string> _demangled = new(StringComparer.Ordinal);

    /// <summary>With a seccomp filter, calls that change mappings must still stop, so the mapping cache can be refreshed.</summary>
    public static SyscallSelection WithMappingCalls(SyscallSelection selection)
    {
        foreach (int n in StackTracer.MappingCalls) selection.Add(SyscallAbi.X64, n);
        return selection;
    }

    /// <summary>
    /// At a selected call's entry: exit and exit_group never return, and execve replaces the image,
    /// so strace walks their stack now (flag SE in its tables) and prints it later. The spawned
    /// command's own first execve is the exception (strace is still checking that exec then), its
    /// stack is walked at exit: the new program's entry.
    /// </summary>
    public void OnEntry(TraceeThread t, bool spawnedFirstExec)
    {
        _atEntry.Remove(t.Tid); // a stack taken for a call that was then not printed (-z, -P …)
        if (t.Abi != SyscallAbi.X64) return;
        if (t.SyscallNumber is SysExit or SysExitGroup || (t.SyscallNumber is SysExecve or SysExecveat && !spawnedFirstExec))
            _atEntry[t.Tid] = _tracer.Capture(t).ToArray();
    }

    /// <summary>After a call's line: the stack taken at its entry if there is one, else the stack now.</summary>
    public void PrintAfterCall(TraceSink sink, TraceeThread t)
    {
        if (_atEntry.Remove(t.Tid, out var frames)) Print(sink, frames, queued: true);
        else Print(sink, Capture(t));
    }

    /// <summary>--json: the frames of a call, as <see cref="PrintAfterCall"/> chooses them.</summary>
    public IReadOnlyList<StackFrame> FramesAfterCall(TraceeThread t) =>
        _atEntry.Remove(t.Tid, out var frames) ? frames : Capture(t);

    /// <summary>At every call's exit (selected or not), before anything is printed.</summary>
    public void OnExit(TraceeThread t)
    {
        if (StackTracer.ChangesMappings(t.Abi, t.SyscallNumber)) _tracer.Invalidate(t.Tgid);
    }

    public void OnExec(TraceeThread t) => _tracer.Invalidate(t.Tgid);

    /// <summary>The thread's stack now; empty for 32-bit calls.</summary>
    public IReadOnlyList<StackFrame> Capture(TraceeThread t) =>
        t.Abi == SyscallAbi.I386 ? [] : _tracer.Capture(t);

    /// <summary>Prints the stack taken at the entry of exit/exit_group, if any (after "+++ exited").</summary>
    public void PrintPending(TraceSink sink, int tid)
    {
        if (_atEntry.Remove(tid, out var frames)) Print(sink, frames, queued: true);
    }

    public void Forget(int tid) => _atEntry.Remove(tid);

    /// <summary>The frame lines. strace formats a stack it queued at entry slightly differently: a
    /// frame without a name still gets "(+0x0)" (its queue formatter tests the name for NULL, the
    /// direct printer for empty).</summary>
    public void Print(TraceSink sink, IReadOnlyList<StackFrame> frames, bool queued = false)
    {
        foreach (var f in frames)
        {
            sink.Append(" > ");
            if (f.Error is { } error)
            {
                sink.Append(error);
                if (f.Address != 0) { sink.Append(" [0x"); sink.Append(f.Address.ToString("x", CultureInfo.InvariantCulture)); sink.Append(']'); }
            }
            else
            {
                sink.Append(TextSanitizer.ForTerminal(f.ModulePath));
                sink.Append('(');
                if (f.Symbol is { Length: > 0 } || queued)
                {
                    sink.Append(TextSanitizer.ForTerminal(Encoding.UTF8.GetBytes(Demangle(f.Symbol ?? ""))));
                    sink.Append("+0x");
                    sink.Append(f.SymbolOffset.ToString("x", CultureInfo.InvariantCulture));
                }
                sink.Append(") [0x");
                sink.Append(f.FileOffset.ToString("x", CultureInfo.InvariantCulture));
                sink.Append(']');
            }
            sink.Append('\n');
        }
    }

    /// <summary>--json: "stack":[{"module","symbol","offset","address","file_offset"} or {"error"}].</summary>
    public void WriteJson(Utf8JsonWriter w, IReadOnlyList<StackFrame> frames)
    {
        w.WriteStartArray("stack"u8);
        foreach (var f in frames)
        {
            w.WriteStartObject();
            if (f.Error is { } error)
            {
                w.WriteString("error"u8, error);
                if (f.Address != 0) w.WriteNumber("address"u8, f.Address);
            }
            else
            {
                if (f.ModulePath is { } p)
                {
                    if (System.Text.Unicode.Utf8.IsValid(p)) w.WriteString("module"u8, p);
                    else w.WriteBase64String("module_base64"u8, p);
                }
                if (f.Symbol is { Length: > 0 } sym)
                {
                    w.WriteString("symbol"u8, Demangle(sym));
                    w.WriteNumber("offset"u8, f.SymbolOffset);
                }
                else w.WriteNull("symbol"u8);
                w.WriteNumber("address"u8, f.Address);
                w.WriteNumber("file_offset"u8, f.FileOffset);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>C++ names as strace shows them (cplus_demangle with parameters); others unchanged.</summary>
    private string Demangle(string name)
    {
        if (!name.StartsWith("_Z", StringComparison.Ordinal)) return name;
        if (!_demangled.TryGetValue(name, out var d)) _demangled[name] = d = CxxDemangler.Demangle(name) ?? name;
        return d;
    }
}
