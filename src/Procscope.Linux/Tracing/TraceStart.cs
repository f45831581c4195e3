namespace Procscope.Linux.Tracing;

/// <summary>What a <see cref="Tracer"/> traces: a command it starts, running processes, or both.</summary>
public sealed class TraceStart
{
    /// <summary>The program to execve (already resolved on PATH, as strace does before forking).</summary>
    public string? Path { get; init; }
    /// <summary>argv of the spawned command (argv[0] as the user typed it).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>The environment of the spawned command; null: ours.</summary>
    public IReadOnlyList<string>? Environment { get; init; }
    /// <summary>Processes (or threads) to attach to with PTRACE_SEIZE.</summary>
    public IReadOnlyList<int> AttachPids { get; init; } = [];
    /// <summary>With <see cref="TracerOptions.FollowForks"/>, -p also attaches to every thread of each process.</summary>
    public bool AttachAllThreads { get; init; }
}

/// <summary>How the traced command ended.</summary>
public readonly record struct TraceOutcome(int? ExitCode, int? Signal, bool CoreDumped, int ExecErrno)
{
    public static TraceOutcome None => new(null, null, false, 0);
}

/// <summary>Starting the trace failed (one line for the user: EPERM, ESRCH, "already traced", exec failure).</summary>
public sealed class TraceStartException(string message, int errno) : Exception(message)
{
    public int Errno { get; } = errno;
}
