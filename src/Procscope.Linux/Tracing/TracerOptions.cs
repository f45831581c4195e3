namespace Procscope.Linux.Tracing;

/// <summary>How a <see cref="Tracer"/> runs.</summary>
public sealed class TracerOptions
{
    /// <summary>-f: follow fork, vfork and clone (PTRACE_O_TRACEFORK/VFORK/CLONE).</summary>
    public bool FollowForks { get; init; }

    /// <summary>Stop at system calls (PTRACE_SYSCALL). False resumes with PTRACE_CONT: only signals
    /// (breakpoints) and events stop the tracee, as ltrace wants.</summary>
    public bool StopAtSyscalls { get; init; } = true;

    /// <summary>
    /// For a spawned command: install a seccomp-bpf filter so that only these calls stop the tracee
    /// (PTRACE_EVENT_SECCOMP, as strace --seccomp-bpf). Null: every call stops. Ignored for -p.
    /// </summary>
    public SyscallSelection? SeccompSelection { get; init; }

    /// <summary>
    /// strace -b execve: detach from a thread when it completes an execve (PTRACE_EVENT_EXEC), left
    /// running untraced; the spawned command's own first execve is not one of them.
    /// </summary>
    public bool DetachOnExec { get; init; }

    /// <summary>
    /// Run the tracer thread and a spawned tracee on one CPU. A ptrace stop is a context switch to the
    /// tracer and back; across CPUs each one is an inter-processor wake-up, which costs ~150 µs in a VM
    /// against ~10 µs on the same CPU (docs/INTERNALS-trace.md).
    /// </summary>
    public bool PinToOneCpu { get; init; } = true;

    /// <summary>
    /// Collect each stopped tracee's system CPU time (wait4's rusage, as strace does for -c) into
    /// <see cref="TraceeThread.SystemTimeMicroseconds"/>, so a call's cost can be its system time
    /// rather than the wall time between its two stops.
    /// </summary>
    public bool CollectSystemTime { get; init; }
}

/// <summary>A set of system call numbers per ABI (x86_64, i386), for the seccomp filter.</summary>
public sealed class SyscallSelection
{
    public const int MaxNumber = 1024;

    private readonly bool[] _x64 = new bool[MaxNumber];
    private readonly bool[] _i386 = new bool[MaxNumber];

    public void Add(Procscope.Core.Syscalls.SyscallAbi abi, int number)
    {
        if ((uint)number < MaxNumber) (abi == Procscope.Core.Syscalls.SyscallAbi.I386 ? _i386 : _x64)[number] = true;
    }

    public bool Contains(Procscope.Core.Syscalls.SyscallAbi abi, long number) =>
        (ulong)number < MaxNumber && (abi == Procscope.Core.Syscalls.SyscallAbi.I386 ? _i386 : _x64)[number];

    internal IEnumerable<int> Numbers(Procscope.Core.Syscalls.SyscallAbi abi)
    {
        var set = abi == Procscope.Core.Syscalls.SyscallAbi.I386 ? _i386 : _x64;
        for (int i = 0; i < set.Length; i++)
            if (set[i]) yield return i;
    }
}
