using Procscope.Core.Syscalls;

namespace Procscope.Cli.Commands.Trace;

/// <summary>strace's options, parsed (see TraceCommand for the flags).</summary>
public sealed class TraceSettings
{
    public int Follow;                       // -f count: 1 = -f, 2 = -ff
    public string? OutputFile;               // -o
    public SyscallFilter Filter = SyscallFilter.Everything();
    public bool FilterGiven;
    public bool? StatusSuccessful;           // -e status= / -z / -Z: null = all
    public bool StatusUnfinished = true;
    public HashSet<int>? Signals;            // -e signal=: null = all
    public List<string> Paths = [];          // -P
    public int FdDecoration;                 // -y count
    public bool Verbose;                     // -v
    public int StringLimit = 32;             // -s
    public HexStrings Hex;                   // -x count
    public int Timestamps;                   // -t count (3 = -ttt)
    public bool Relative;                    // -r
    public bool CallTimes;                   // -T
    public bool Count;                       // -c
    public bool CountAndTrace;               // -C
    public bool WallClock;                   // -w
    public string SortBy = "time";           // -S
    public List<int> Pids = [];              // -p
    public bool Json;                        // --json
    public bool Pin = true;                  // --no-pin
    public QuietSet Quiet;                   // -q count, -e quiet=
    public bool QuietGiven;                  // -e quiet= given (strace refuses it together with -q)
    public int QuietCount;                   // -q count
    public bool NoSeccomp;                   // --no-seccomp-bpf
    public bool StackTrace;                  // -k (StackPrinter.cs)
    public bool SeccompGiven;                // --seccomp-bpf given explicitly
    public bool Append;                      // -A
    public int ResultColumn = 40;            // -a COLUMN
    public bool SyscallNumbers;              // -n
    public bool InstructionPointer;          // -i
    public string? User;                     // -u USERNAME
    public List<string> EnvChanges = [];     // -E VAR=VAL / -E VAR, in order
    public bool DetachOnExec;                // -b execve
    public int Interruptible;                // -I 1..4 (0: our default, see TraceCommand)
    public int Daemonize;                    // -D count: 1 grandchild, 2 own process group, 3 own session
    public (int Pid, int ReadyFd)? DaemonTracee; // the tracer half of -D (internal --daemon-tracee=PID:FD)
    public FdSet? ReadFds;                   // -e read=: null = none
    public FdSet? WriteFds;                  // -e write=: null = none
    public List<SyscallInjection> Injections = []; // -e inject= / -e fault=, the last one naming a call wins

    public bool Summary => Count || CountAndTrace;
    public bool Dumps => ReadFds is not null || WriteFds is not null;
    public bool PrintCalls => !Count || CountAndTrace;
}

/// <summary>strace's -e quiet= set: which messages are suppressed.</summary>
[Flags]
public enum QuietSet
{
    None = 0,
    Attach = 1,          // "Process N attached" / "detached"
    Exit = 2,            // "+++ exited with N +++"
    PathResolution = 4,  // -P path resolution notes (nothing to suppress here)
    Personality = 8,     // "[ Process PID=N runs in 32 bit mode. ]"
    ThreadExecve = 16,   // "+++ superseded by execve in pid N +++"
    All = Attach | Exit | PathResolution | Personality | ThreadExecve,
}

/// <summary>A set of descriptors for -e read= / -e write= (<paramref name="Invert"/>: all but these).</summary>
public sealed record FdSet(HashSet<int> Fds, bool Invert)
{
    public bool Contains(int fd) => Fds.Contains(fd) != Invert;
}
