using Procscope.Core.LibraryCalls;
using Procscope.Core.Syscalls;

namespace Procscope.Linux.LibraryTracing;

/// <summary>Which calls are traced: names, libraries and callers (ltrace's -e, -l, -x).</summary>
public sealed class LibraryTraceOptions
{
    /// <summary>-f: also trace forked children (and the programs they execute).</summary>
    public bool FollowForks { get; init; }

    /// <summary>Put the tracer thread and a single-threaded tracee on one CPU (see docs/INTERNALS-ltrace.md).</summary>
    public bool PinToOneCpu { get; init; } = true;

    /// <summary>
    /// -l: libraries (file name patterns) whose every exported function is traced, called from the
    /// main program or from another library. Empty: the functions the main program imports, called from it.
    /// </summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];

    /// <summary>-x: patterns of the main program's own functions (from .symtab, else .dynsym) to trace too.</summary>
    public IReadOnlyList<string> ProgramSymbols { get; init; } = [];

    /// <summary>-e: decides, for a function name and its library file name, whether it is traced.</summary>
    public Func<string, string, bool> Filter { get; init; } = (_, _) => true;

    /// <summary>Prototypes for argument and return decoding.</summary>
    public PrototypeTable Prototypes { get; init; } = LibcPrototypes.Table;

    public FormatOptions Format { get; init; } = new();

    /// <summary>
    /// Calls are timed (-T, -c): every call needs its return breakpoint. Otherwise a function
    /// returning void is reported complete at its entry ("= &lt;void&gt;"), one stop instead of two.
    /// </summary>
    public bool TimeCalls { get; init; }

    /// <summary>-S: also report system calls (the tracee then stops at every system call).</summary>
    public bool SystemCalls { get; init; }
}

/// <summary>Receives what the tracer sees, on the tracer thread, in order.</summary>
public interface ILibraryCallSink
{
    void OnEntry(LibraryCall call);
    void OnReturn(LibraryCall call);
    /// <summary>A system call (-S) at entry: number and six arguments; <paramref name="memory"/> reads the tracee now.</summary>
    void OnSyscallEntry(int pid, int tid, long number, ReadOnlySpan<ulong> args, ITraceeMemory memory);
    /// <summary>The same call at exit, with its raw result (negative errno on failure).</summary>
    void OnSyscallExit(int pid, int tid, long number, long result, ITraceeMemory memory);
    /// <summary>A signal delivered to a traced thread (not our breakpoints).</summary>
    void OnSignal(int pid, int tid, int signal);
    void OnExited(int pid, int code);
    void OnKilled(int pid, int signal);
    /// <summary>A notice for the user ("statically linked: nothing to trace").</summary>
    void OnNotice(string message);
}
