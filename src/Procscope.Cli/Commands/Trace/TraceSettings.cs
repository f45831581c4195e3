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
    public bool Quiet;                       // -q
    public bool NoSeccomp;                   // --no-seccomp-bpf
    public bool StackTrace;                  // -k (StackPrinter.cs)

    public bool Summary => Count || CountAndTrace;
    public bool PrintCalls => !Count || CountAndTrace;
}
