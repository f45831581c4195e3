using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Syscalls;
using Procscope.Linux;
using Procscope.Linux.Spawning;
using Procscope.Linux.Tracing;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// procscope trace: strace's options and output on the engine in Procscope.Linux/Tracing, with
/// --json (NDJSON, one object per call), a seccomp-bpf filter by default when -e trace selects some
/// calls of a spawned command, and tracer and tracee pinned to one CPU (docs/INTERNALS-trace.md).
/// </summary>
public static class TraceCommand
{
    private static readonly OptionSpec[] Specs =
    [
        new('f', "follow-forks"),
        new('o', "output", TakesValue: true),
        new('e', null, TakesValue: true),
        new(null, "trace", TakesValue: true),
        new(null, "signal", TakesValue: true),
        new(null, "status", TakesValue: true),
        new('P', "trace-path", TakesValue: true),
        new('z', "successful-only"),
        new('Z', "failed-only"),
        new('y', null),
        new(null, "decode-fds", TakesValue: true, OptionalValue: true),
        new('v', "no-abbrev"),
        new('s', "string-limit", TakesValue: true),
        new('x', null),
        new('t', "absolute-timestamps"),
        new('r', "relative-timestamps"),
        new('T', "syscall-times"),
        new('c', "summary-only"),
        new('C', "summary"),
        new('w', "summary-wall-clock"),
        new('S', "summary-sort-by", TakesValue: true),
        new('p', "attach", TakesValue: true),
        new('q', null),
        new(null, "quiet", TakesValue: true, OptionalValue: true),
        new('A', "output-append-mode"),
        new('a', "columns", TakesValue: true),
        new('n', "syscall-number"),
        new('i', "instruction-pointer"),
        new('u', "user", TakesValue: true),
        new('E', "env", TakesValue: true),
        new('b', "detach-on", TakesValue: true),
        new(null, "read", TakesValue: true),
        new(null, "write", TakesValue: true),
        new(null, "inject", TakesValue: true),
        new('I', "interruptible", TakesValue: true),
        new('D', null),
        new(null, "daemonize", TakesValue: true, OptionalValue: true),
        new(null, "daemon-tracee", TakesValue: true),
        new(null, "fault", TakesValue: true),
        new('h', "help"),
        new('V', "version"),
        new(null, "json"),
        new(null, "no-pin"),
        new(null, "seccomp-bpf"),
        new(null, "no-seccomp-bpf"),
        new('k', "stack-trace"),
    ];

    public static Command Create() =>
        ClassicCommand.Create("trace", "Trace system calls and signals (strace compatible), with --json.", Run);

    public static int Run(CommandContext ctx)
    {
        int split = CommandStart(ctx.Args);
        GetOpt.Result opts;
        try
        {
            opts = new GetOpt(Specs).Parse(ctx.Args.Take(split).ToList());
        }
        catch (CliException e)
        {
            throw new CliException(e.Message + "\nTry 'procscope trace --help' for more information.");
        }
        if (opts.Has("help"))
        {
            ctx.Out.Write(Help);
            return 0;
        }
        if (opts.Has("version"))
        {
            ctx.Out.WriteLine("procscope trace (strace 6.1 compatible)");
            return 0;
        }
        var s = Parse(opts);
        var command = ctx.Args.Skip(split).ToList();
        if (command.Count == 0 && s.Pids.Count == 0)
            throw new CliException("must have PROG [ARGS] or -p PID\nTry 'procscope trace --help' for more information.");
        if (s.Follow >= 2 && s.OutputFile is null) s.Follow = 1;
        if (s.StackTrace && !s.PrintCalls) ctx.Console.Error.WriteLine("procscope trace: -k/--stack-trace has no effect with -c/--summary-only");
        // strace: -o FILE with a command implies -q unless a quiet set was given.
        if (s.OutputFile is not null && command.Count > 0 && s.QuietCount == 0 && !s.QuietGiven) s.Quiet = QuietSet.Attach | QuietSet.Personality;
        if (s.DetachOnExec && s.SeccompGiven)
            ctx.Console.Error.WriteLine("procscope trace: --seccomp-bpf is not enabled because it is not compatible with -b");

        string? path = null;
        if (command.Count > 0)
        {
            path = ResolveProgram(command[0]) ?? throw new CliException($"Can't stat '{command[0]}': No such file or directory");
        }
        RunAsUser? runAs = null;
        if (s.User is { } user)
        {
            if (Self.EffectiveUid != 0) throw new CliException("You must be root to use the -u/--username option");
            if (path is not null) runAs = RunAsUser.Resolve(user, path) ?? throw new CliException($"Cannot find user '{user}'");
        }
        var environment = s.EnvChanges.Count > 0 ? CommandEnvironment(s.EnvChanges) : null;
        if (s.Daemonize > 0 && s.DaemonTracee is null)
        {
            // -D: this process becomes the command; a new procscope, a detached grandchild, traces it.
            if (path is null) throw new CliException("PROG [ARGS] must be specified with -D/--daemonize\nTry 'procscope trace --help' for more information.");
            int self = Environment.ProcessId;
            var args = ctx.Args;
            string why = DaemonizedStart.ExecTraced(path, command, environment ?? CommandEnvironment([]), runAs,
                fd => ["trace", $"--daemon-tracee={self.ToString(CultureInfo.InvariantCulture)}:{fd.ToString(CultureInfo.InvariantCulture)}", .. args], s.Daemonize);
            if (why.Length > 0) ctx.Console.Error.WriteLine("procscope trace: " + why);
            return 1;
        }
        if (s.DaemonTracee is not null)
        {
            // The tracer half of -D: attach to the process that execs the command, which is not ours to start.
            path = null;
            if (s.Interruptible == 0) s.Interruptible = 4; // strace's default with -D
        }

        // Outputs: -o FILE (and FILE.PID with -ff), else stderr.
        Stream mainStream;
        bool interactive;
        if (s.OutputFile is { } of && s.Follow < 2)
        {
            try
            {
                mainStream = new FileStream(of, s.Append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Can't fopen '{of}': {e.Message}");
            }
            interactive = of.StartsWith("/dev/", StringComparison.Ordinal) && of != "/dev/null";
        }
        else
        {
            mainStream = new DescriptorStream(2);
            interactive = true;
        }
        using var main = new TraceSink(mainStream, interactive);
        Func<int, TraceSink>? perPid = null;
        if (s.Follow >= 2)
        {
            string prefix = s.OutputFile!;
            var mode = s.Append ? FileMode.Append : FileMode.Create;
            perPid = pid => new TraceSink(new FileStream($"{prefix}.{pid.ToString(CultureInfo.InvariantCulture)}", mode, FileAccess.Write, FileShare.ReadWrite, 1), false);
        }

        var attach = s.DaemonTracee is { } dt ? [dt.Pid, .. s.Pids] : s.Pids;
        using var handler = new StraceHandler(s, main, perPid, ctx.Console.Error) { AlwaysPrefix = attach.Count > 1 };
        // -b execve: a detached process keeps its seccomp filter, whose SECCOMP_RET_TRACE would then
        // fail the selected calls with ENOSYS; strace turns the filter off too.
        bool seccomp = path is not null && s.FilterGiven && !s.Filter.All && !s.NoSeccomp && !s.DetachOnExec;
        var tracer = new Tracer(new TracerOptions
        {
            // A seccomp filter is inherited by children: they must be traced too (see StraceHandler).
            FollowForks = s.Follow > 0 || seccomp,
            SeccompSelection = !seccomp ? null : s.StackTrace ? StackPrinter.WithMappingCalls(s.Filter.ToSelection()) : s.Filter.ToSelection(),
            PinToOneCpu = s.Pin && path is not null,
            DetachOnExec = s.DetachOnExec,
            // strace -c counts system time (wait4's rusage at each stop); -w wall time.
            CollectSystemTime = s.Summary && !s.WallClock,
        }, handler);

        bool spawnOnly = attach.Count == 0;
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            // Ctrl-C on the terminal reached the traced command too: let it decide, and trace that
            // (unless -I 2 asked for strace's "interrupted while waiting" handling).
            if (s.Interruptible == 0 && spawnOnly && c.Signal == PosixSignal.SIGINT && ChildProcess.InForegroundOfTerminal()) return;
            tracer.RequestStop();
        }
        // -I 1: no handlers at all; a fatal signal ends procscope at once (a spawned command dies
        // with it through PTRACE_O_EXITKILL, the kernel detaches attached ones). -I 3 / -I 4: ignored
        // (SIG_IGN, as strace), which no signal arriving as we finish can race with.
        bool handle = s.Interruptible is not (1 or 3 or 4);
        if (s.Interruptible >= 3)
            foreach (int fatal in s.Interruptible == 4 ? [1, 2, 3, 15, 20] : (int[])[1, 2, 3, 15]) SelfSignal.Ignore(fatal);
        using var sigint = handle ? PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal) : null;
        using var sigterm = handle ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal) : null;
        using var sighup = handle ? PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal) : null;
        using var sigquit = handle ? PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal) : null;

        TraceOutcome outcome;
        try
        {
            outcome = tracer.Run(new TraceStart
            {
                Path = path,
                Arguments = command,
                Environment = environment,
                RunAs = runAs,
                AttachPids = attach,
                AttachAllThreads = s.Follow > 0,
                AwaitExecPid = s.DaemonTracee?.Pid ?? 0,
                ReadyDescriptor = s.DaemonTracee?.ReadyFd ?? -1,
            });
        }
        catch (TraceStartException e)
        {
            main.Flush();
            throw new CliException(e.Message);
        }
        handler.OnIdle();
        if (s.Summary)
        {
            main.Flush();
            var w = new StringWriter();
            handler.Stats.Write(w, s.SortBy);
            main.Append(w.ToString());
        }
        handler.Dispose();
        // -D: the command's status is its own (its parent waits for it); nobody waits for us.
        if (s.DaemonTracee is not null) return 0;
        if (handler.ExecFailed) return 1;
        if (outcome.ExecErrno != 0 && tracer.ChildFailureStage == 3)
        {
            ctx.Console.Error.WriteLine($"procscope trace: exec: {Marshal.GetPInvokeErrorMessage(outcome.ExecErrno)}");
            return 1;
        }
        if (outcome.ExecErrno != 0)
        {
            ctx.Console.Error.WriteLine($"procscope trace: starting the command failed (stage {tracer.ChildFailureStage}): {Marshal.GetPInvokeErrorMessage(outcome.ExecErrno)}");
            return 1;
        }
        if (outcome.ExitCode is int code) return code;
        if (outcome.Signal is int sig)
        {
            ctx.Console.Out.Flush();
            // strace dies of the tracee's signal, so the caller sees the same status; a core-dumping
            // signal would dump our own core instead, so those give 128+N.
            if (!outcome.CoreDumped && sig is not (3 or 4 or 5 or 6 or 7 or 8 or 11 or 24 or 25 or 31)) SelfSignal.Raise(sig);
            return 128 + sig;
        }
        return 0;
    }

    private static TraceSettings Parse(GetOpt.Result opts)
    {
        var s = new TraceSettings();
        var ci = CultureInfo.InvariantCulture;
        foreach (var o in opts.Options)
        {
            switch (o.Id)
            {
                case "follow-forks": s.Follow++; break;
                case "output": s.OutputFile = o.Value; break;
                case "e": Expression(s, o.Value!); break;
                case "trace": Expression(s, "trace=" + o.Value); break;
                case "signal": Expression(s, "signal=" + o.Value); break;
                case "status": Expression(s, "status=" + o.Value); break;
                case "trace-path": s.Paths.Add(o.Value!); break;
                case "successful-only": s.StatusSuccessful = true; break;
                case "failed-only": s.StatusSuccessful = false; break;
                case "y": s.FdDecoration = Math.Min(2, s.FdDecoration + 1); break;
                case "decode-fds": Expression(s, "decode-fds=" + (o.Value ?? "path")); break;
                case "no-abbrev": s.Verbose = true; break;
                case "string-limit":
                    if (!int.TryParse(o.Value, NumberStyles.None, ci, out s.StringLimit) || s.StringLimit < 0)
                        throw new CliException($"invalid -s argument: '{o.Value}'");
                    break;
                case "x": s.Hex = s.Hex == HexStrings.None ? HexStrings.NonAscii : HexStrings.All; break;
                case "absolute-timestamps": s.Timestamps++; break;
                case "relative-timestamps": s.Relative = true; break;
                case "syscall-times": s.CallTimes = true; break;
                case "summary-only": s.Count = true; break;
                case "summary": s.CountAndTrace = true; break;
                case "summary-wall-clock": s.WallClock = true; break;
                case "summary-sort-by":
                    if (!SyscallStats.SortKeys.Contains(o.Value)) throw new CliException($"invalid sortby: '{o.Value}'");
                    s.SortBy = o.Value!;
                    break;
                case "attach":
                    foreach (var part in o.Value!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, ci, out int pid) || pid <= 0)
                            throw new CliException($"Invalid process id: '{part}'");
                        if (pid == Environment.ProcessId) throw new CliException("I'm sorry, I can't let you do that, Dave.");
                        if (!s.Pids.Contains(pid)) s.Pids.Add(pid);
                    }
                    break;
                case "q": s.QuietCount++; break;
                case "quiet": Expression(s, "quiet=" + (o.Value ?? "attach,personality")); break;
                case "output-append-mode": s.Append = true; break;
                case "columns":
                    if (!int.TryParse(o.Value, NumberStyles.None, ci, out s.ResultColumn))
                        throw new CliException($"invalid -a argument: '{o.Value}'");
                    break;
                case "syscall-number": s.SyscallNumbers = true; break;
                case "instruction-pointer": s.InstructionPointer = true; break;
                case "user": s.User = o.Value; break;
                case "env": s.EnvChanges.Add(o.Value!); break;
                case "detach-on":
                    if (o.Value != "execve") throw new CliException($"Syscall '{o.Value}' for -b isn't supported");
                    s.DetachOnExec = true;
                    break;
                case "D": s.Daemonize = Math.Min(3, s.Daemonize + 1); break;
                case "daemonize":
                    s.Daemonize = o.Value switch
                    {
                        null or "grandchild" => 1,
                        "pgroup" or "pgrp" => 2,
                        "session" => 3,
                        _ => throw new CliException($"invalid --daemonize argument: '{o.Value}'"),
                    };
                    break;
                case "daemon-tracee":
                    {
                        // Internal (-D): PID:FD, the process to attach to and the ready descriptor.
                        var parts = o.Value!.Split(':');
                        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, ci, out int dpid) || dpid <= 0
                            || !int.TryParse(parts[1], NumberStyles.None, ci, out int dfd) || dfd < 3)
                            throw new CliException($"invalid --daemon-tracee argument: '{o.Value}'");
                        s.DaemonTracee = (dpid, dfd);
                    }
                    break;
                case "interruptible":
                    s.Interruptible = o.Value switch
                    {
                        "anywhere" or "always" or "1" => 1,
                        "waiting" or "2" => 2,
                        "never" or "3" => 3,
                        "never_tstp" or "4" => 4,
                        _ => throw new CliException($"invalid -I argument: '{o.Value}'"),
                    };
                    break;
                case "read": Expression(s, "read=" + o.Value); break;
                case "write": Expression(s, "write=" + o.Value); break;
                case "inject": Expression(s, "inject=" + o.Value); break;
                case "fault": Expression(s, "fault=" + o.Value); break;
                case "json": s.Json = true; break;
                case "no-pin": s.Pin = false; break;
                case "seccomp-bpf": s.NoSeccomp = false; s.SeccompGiven = true; break;
                case "no-seccomp-bpf": s.NoSeccomp = true; break;
                case "stack-trace": s.StackTrace = true; break;
            }
        }
        if (s.QuietCount > 0)
        {
            if (s.QuietGiven) throw new CliException("-q and -e quiet/--quiet cannot be provided simultaneously");
            s.Quiet = s.QuietCount == 1 ? QuietSet.Attach | QuietSet.Personality
                : s.QuietCount == 2 ? QuietSet.Attach | QuietSet.Personality | QuietSet.Exit : QuietSet.All;
        }
        return s;
    }

    /// <summary>-e [QUALIFIER=][!]VALUE[,VALUE…]: trace (the default), signal, status.</summary>
    private static void Expression(TraceSettings s, string expr)
    {
        int eq = expr.IndexOf('=');
        string q = eq < 0 ? "trace" : expr[..eq];
        string v = eq < 0 ? expr : expr[(eq + 1)..];
        switch (q)
        {
            case "trace" or "t":
                s.Filter = SyscallFilter.Parse(v);
                s.FilterGiven = true;
                break;
            case "signal" or "signals" or "s":
                s.Signals = ParseSignals(v);
                break;
            case "status":
                s.StatusSuccessful = ParseStatus(v);
                break;
            case "abbrev" or "a" or "verbose" or "v" or "raw" or "x":
                if (q is "verbose" or "v" && v == "all") s.Verbose = true;
                break;
            case "read" or "reads" or "r":
                s.ReadFds = ParseFds(v);
                break;
            case "write" or "writes" or "w":
                s.WriteFds = ParseFds(v);
                break;
            case "quiet" or "silent" or "silence" or "q":
                s.Quiet = ParseQuiet(v);
                s.QuietGiven = true;
                break;
            case "decode-fds" or "decode-fd":
                s.FdDecoration = ParseDecodeFds(v);
                break;
            case "inject":
                s.Injections.Add(SyscallInjection.Parse(v, fault: false));
                break;
            case "fault":
                s.Injections.Add(SyscallInjection.Parse(v, fault: true));
                break;
            default:
                throw new CliException($"invalid -e qualifier '{q}' (procscope trace supports trace, signal, status, read, write, quiet, decode-fds, inject, fault)");
        }
    }

    private static HashSet<int> ParseSignals(string v)
    {
        bool negate = v.StartsWith('!');
        if (negate) v = v[1..];
        var set = new HashSet<int>();
        foreach (var item in v.Split(','))
        {
            if (item is "all") { for (int i = 1; i <= 64; i++) set.Add(i); continue; }
            if (item is "none") continue;
            if (!SignalFormatter.TryParse(item, out int sig)) throw new CliException($"invalid signal '{item}'");
            set.Add(sig);
        }
        if (!negate) return set;
        var all = new HashSet<int>();
        for (int i = 1; i <= 64; i++)
            if (!set.Contains(i)) all.Add(i);
        return all;
    }

    /// <summary>read=/write=: descriptor numbers, all, none, !SET.</summary>
    private static FdSet ParseFds(string v)
    {
        bool negate = v.StartsWith('!');
        if (negate) v = v[1..];
        var fds = new HashSet<int>();
        bool all = false;
        foreach (var item in v.Split(','))
        {
            if (item is "all") { all = true; continue; }
            if (item is "none") continue;
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int fd)) throw new CliException($"invalid descriptor '{item}'");
            fds.Add(fd);
        }
        return all ? new FdSet([], !negate) : new FdSet(fds, negate);
    }

    /// <summary>quiet=: attach, exit(s), path-resolution, personality, thread-execve (superseded), all, none, !SET.</summary>
    private static QuietSet ParseQuiet(string v)
    {
        bool negate = v.StartsWith('!');
        if (negate) v = v[1..];
        var set = QuietSet.None;
        foreach (var item in v.Split(','))
        {
            set |= item switch
            {
                "attach" => QuietSet.Attach,
                "exit" or "exits" => QuietSet.Exit,
                "path-resolution" => QuietSet.PathResolution,
                "personality" or "personalities" => QuietSet.Personality,
                "superseded" or "thread-execve" => QuietSet.ThreadExecve,
                "all" => QuietSet.All,
                "none" => QuietSet.None,
                _ => throw new CliException($"invalid quiet '{item}'"),
            };
        }
        return negate ? QuietSet.All & ~set : set;
    }

    /// <summary>decode-fds=: path (as -y), socket (as -yy), all; dev and pidfd are accepted (not decoded).</summary>
    private static int ParseDecodeFds(string v)
    {
        bool negate = v.StartsWith('!');
        if (negate) v = v[1..];
        bool path = false, socket = false;
        foreach (var item in v.Split(','))
        {
            switch (item)
            {
                case "path": path = true; break;
                case "socket": socket = true; break;
                case "all": path = socket = true; break;
                case "dev" or "pidfd" or "none": break;
                default: throw new CliException($"invalid decode-fds '{item}'");
            }
        }
        if (negate) { path = !path; socket = !socket; }
        return socket ? 2 : path ? 1 : 0;
    }

    /// <summary>status=successful|failed (and the sets strace accepts: unfinished, unavailable, detached, all, none).</summary>
    private static bool? ParseStatus(string v)
    {
        bool ok = false, fail = false;
        foreach (var item in v.Split(','))
        {
            switch (item)
            {
                case "successful": ok = true; break;
                case "failed": fail = true; break;
                case "all": ok = fail = true; break;
                case "unfinished" or "unavailable" or "detached" or "none": break;
                default: throw new CliException($"invalid status '{item}'");
            }
        }
        return ok && fail ? null : ok ? true : fail ? false : null;
    }

    /// <summary>
    /// -E VAR=VAL / -E VAR applied in order to our environment, as strace's putenv(3) does: an
    /// existing variable is replaced in place, a new one appended, a bare name removed. The order
    /// is the one we were started with (/proc/self/environ), so the command sees what strace's would.
    /// </summary>
    private static List<string> CommandEnvironment(List<string> changes)
    {
        var env = new List<string>();
        try
        {
            foreach (var entry in File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
                env.Add(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (System.Collections.DictionaryEntry e2 in Environment.GetEnvironmentVariables())
                env.Add($"{e2.Key}={e2.Value}");
        }
        foreach (var change in changes)
        {
            int eq = change.IndexOf('=');
            string name = eq < 0 ? change : change[..eq];
            int at = env.FindIndex(e => e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal));
            if (eq < 0)
            {
                env.RemoveAll(e => e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal));
            }
            else if (at >= 0) env[at] = change;
            else env.Add(change);
        }
        return env;
    }

    /// <summary>PATH search as strace does before forking (execvp's rules, without running a shell).</summary>
    private static string? ResolveProgram(string name)
    {
        if (name.Contains('/')) return File.Exists(name) || Directory.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var p = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Index of the command: option parsing stops at the first non-option (getopt "+").</summary>
    private static int CommandStart(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") return i + 1;
            if (a.Length < 2 || a[0] != '-') return i;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.Contains('=')) continue;
                string name = a[2..];
                var matches = Specs.Where(sp => sp.Long is not null && sp.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
                var spec = matches.FirstOrDefault(sp => sp.Long == name) ?? (matches.Count == 1 ? matches[0] : null);
                if (spec is { TakesValue: true, OptionalValue: false }) i++;
                continue;
            }
            for (int j = 1; j < a.Length; j++)
            {
                var spec = Specs.FirstOrDefault(sp => sp.Short == a[j]);
                if (spec is { TakesValue: true })
                {
                    if (j == a.Length - 1) i++;
                    break;
                }
            }
        }
        return args.Count;
    }

    private const string Help = """
        Usage: procscope trace [OPTIONS] PROG [ARGS]
           or: procscope trace [OPTIONS] -p PID[,PID...] [PROG [ARGS]]
        Trace the system calls and signals of a command or of running processes (strace compatible).

        Output:
          -o FILE         write the trace to FILE instead of stderr
          -A              with -o FILE: append instead of truncating
          -f              follow fork, vfork and clone ([pid N] prefixes)
          -ff             with -o FILE: one file per process, FILE.PID
          -q, -qq, -qqq   no "attached"/"detached" (and -qq: no exit, -qqq: no other) messages
          -e quiet=SET    attach, exit, personality, thread-execve, path-resolution, all, none
          -a COLUMN       align the " = " results at COLUMN (default 40)
          -n              print the system call number: [  59] execve(...)
          -i              print the instruction pointer at the call: [00007f...] close(3)
          --json          NDJSON: one object per system call, signal and exit
        Filtering:
          -e trace=SET    only these calls: names, %file %process %network %signal %ipc %desc
                          %memory %creds %clock %stat %lstat %fstat %%stat %statfs %fstatfs
                          %%statfs, /REGEX, ?NAME, !SET (negation), all, none
          -e signal=SET   only these signals (names or numbers, !SET)
          -e status=SET   successful, failed (others are accepted)
          -z, -Z          only successful / only failed calls
          -P PATH         only calls that name PATH (by path or descriptor)
        Decoding:
          -s N            strings up to N bytes (default 32)
          -x, -xx         non-ASCII / all string bytes in hex
          -y, -yy         descriptors with their paths / also socket endpoints
          -e decode-fds=SET  path (-y), socket (-yy), all, none
          -e read=SET     hex and ASCII dump of all data read from these descriptors
          -e write=SET    hex and ASCII dump of all data written to these descriptors
          -v              structures unabbreviated
          -k, --stack-trace  the stack of the traced thread after each call (x86-64 programs)
        Timing:
          -t, -tt, -ttt   wall-clock time of day / with microseconds / as UNIX seconds
          -r              time since the previous line
          -T              time spent in each call
        Summary:
          -c              count calls, errors and time; print a table at the end (no trace)
          -C              like -c, and trace too
          -w              time is the call's wall-clock latency
          -S SORTBY       time (default), min-time, max-time, avg-time, calls, errors, name, nothing
        Tampering:
          -e inject=SET[:error=ERRNO|:retval=N][:signal=SIG][:when=FIRST[..LAST][+[STEP]]]
                          skip the calls and make them fail with ERRNO or return N (" (INJECTED)"),
                          send SIG as they return; when= picks which of each thread's calls
          -e fault=SET[:error=ERRNO][:when=...]  the same, failing with ENOSYS by default
        Starting and attaching:
          -E VAR=VAL, -E VAR  set or remove an environment variable of the command
          -u USERNAME     run the command with the user's uid, gid and groups (root only)
          -b execve       detach from a process when it calls execve
          -p PID          attach to PID (PTRACE_SEIZE); Ctrl-C detaches and leaves it running
          -I 1..4         signals: 1 not handled, 2 stop tracing, 3 ignored, 4 SIGTSTP too
          -D, -DD, -DDD   the tracer as a detached grandchild (-DD: own process group, -DDD:
                          own session); the command stays the caller's child
        Performance:
          --no-pin        do not run the tracer and the traced command on one CPU
          --no-seccomp-bpf  stop at every call even when -e trace selects some (strace's default)

        A spawned command dies with the tracer (PTRACE_O_EXITKILL); attached processes are detached
        and left running on Ctrl-C, SIGTERM and errors. Exit status: the command's.

        """;
}
