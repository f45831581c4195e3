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
    /// <summary>-u USERNAME: the spawned command runs with these ids (set in the child before execve).</summary>
    public RunAsUser? RunAs { get; init; }
    /// <summary>Processes (or threads) to attach to with PTRACE_SEIZE.</summary>
    public IReadOnlyList<int> AttachPids { get; init; } = [];
    /// <summary>With <see cref="TracerOptions.FollowForks"/>, -p also attaches to every thread of each process.</summary>
    public bool AttachAllThreads { get; init; }
    /// <summary>
    /// -D: the attached process (one of <see cref="AttachPids"/>) that is about to exec the command
    /// (<see cref="DaemonizedStart"/>); 0 for none. Only its main thread is attached, everything
    /// before its execve is hidden, that execve is its first (-b execve keeps it), and once it is
    /// attached one byte is written to <see cref="ReadyDescriptor"/>, which is then closed.
    /// </summary>
    public int AwaitExecPid { get; init; }
    /// <summary>With <see cref="AwaitExecPid"/>: the descriptor (inherited from the process that
    /// waits) to write the ready byte to; -1 for none.</summary>
    public int ReadyDescriptor { get; init; } = -1;
}

/// <summary>
/// The ids a spawned command runs with (strace -u): supplementary groups, then real/effective gid,
/// then real/effective uid, in that order (groups must be set while still privileged). The
/// effective ids differ from the real ones for a set-user/group-ID program, as strace does.
/// </summary>
public sealed record RunAsUser(uint Uid, uint Gid, uint EffectiveUid, uint EffectiveGid, IReadOnlyList<uint> Groups)
{
    private const uint S_ISUID = 0x800, S_ISGID = 0x400;

    /// <summary>
    /// The ids for running <paramref name="program"/> as <paramref name="userName"/> (a name, looked
    /// up through NSS as getpwnam does); null when there is no such user. A set-user-ID or
    /// set-group-ID program keeps its owner as effective id, as strace -u arranges.
    /// </summary>
    public static unsafe RunAsUser? Resolve(string userName, string program)
    {
        if (!UserDatabase.TryGetAccount(userName, out uint uid, out uint gid, out uint[] groups)) return null;
        uint euid = uid, egid = gid;
        var path = System.Text.Encoding.UTF8.GetBytes(program + "\0");
        Interop.Stat st;
        fixed (byte* p = path)
            if (Interop.LibC.stat(p, &st) == 0)
            {
                if ((st.st_mode & S_ISUID) != 0) euid = st.st_uid;
                if ((st.st_mode & S_ISGID) != 0) egid = st.st_gid;
            }
        return new RunAsUser(uid, gid, euid, egid, groups);
    }
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
