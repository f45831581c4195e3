using Procscope.Core.Syscalls;

namespace Procscope.Cli.Commands.Trace;

/// <summary>Per traced thread: its call in flight (reused), when it entered, and where it prints.</summary>
public sealed class TraceThreadState
{
    public readonly SyscallCall Call = new();
    public long EntryTicks;
    /// <summary>The process's system time (µs) at the call's entry stop, for -c; -1 when not collected.</summary>
    public long EntrySystemTime = -1;
    public bool Selected;
    public bool Decoded;
    /// <summary>-P: the call names one of the paths.</summary>
    public bool PathMatch;
    public int Tid;
    /// <summary>The call that returned ERESTART_RESTARTBLOCK, for the restart_syscall that resumes it.</summary>
    public string? Interrupted;
    /// <summary>Traced only so that its seccomp filter has a tracer (a child without -f): nothing is printed.</summary>
    public bool Silent;
    /// <summary>The ABI of the last call (strace prints "[ Process PID=N runs in 32 bit mode. ]" on a change).</summary>
    public SyscallAbi LastAbi;
    public TraceSink Sink = null!;
    /// <summary>-n: the number of the thread's last call (strace's true_scno; 0 before the first).</summary>
    public long LastNumber;
    /// <summary>-i: the instruction pointer at the entry of the call in flight.</summary>
    public ulong EntryIp;
    /// <summary>-e inject/fault: the call in flight was skipped; its result is replaced at exit.</summary>
    public SyscallInjection? Injected;
    /// <summary>-e inject=…:signal=: the signal to send as the call in flight returns.</summary>
    public int InjectSignal;
    /// <summary>-e inject/fault: this thread's countdown per call ((abi &lt;&lt; 32) | number).</summary>
    public Dictionary<long, InjectionCounter>? InjectionCounters;
}
