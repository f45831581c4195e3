using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Process;
using Procscope.Linux.Spawning;

namespace Procscope.Cli.Commands.Time;

/// <summary>
/// procscope time: GNU time 1.9 compatible (-f, -p, -v, -o, -a, -q, the TIME variable, exit codes
/// 125/126/127 and 128+N), plus the peak memory of the whole tree (a transient cgroup's peak
/// counter, else sampled RSS), storage bytes, CPU run-queue wait, --tree and --json.
/// </summary>
public static class TimeCommand
{
    /// <summary>GNU time's EXIT_CANCELED: time itself failed (bad usage, unwritable -o file).</summary>
    public const int ExitCanceled = 125;

    private static readonly OptionSpec[] Specs =
    [
        new('f', "format", TakesValue: true),
        new('p', "portability"),
        new('o', "output", TakesValue: true),
        new('a', "append"),
        new('v', "verbose"),
        new('q', "quiet"),
        new('V', "version"),
        new(null, "help"),
        new(null, "json"),
        new(null, "tree"),
        new(null, "interval", TakesValue: true),
    ];

    public static Command Create() =>
        ClassicCommand.Create("time", "Run a command and report its CPU time, memory, page faults and IO (GNU time compatible).", Run);

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
            throw new CliException(e.Message + "\nTry 'procscope time --help' for more information.", ExitCanceled);
        }
        if (opts.Has("help"))
        {
            ctx.Out.Write(Help);
            return 0;
        }
        if (opts.Has("version"))
        {
            ctx.Out.WriteLine("procscope time (GNU time 1.9 compatible)");
            return 0;
        }
        var command = ctx.Args.Skip(split).ToList();
        if (command.Count == 0)
            throw new CliException("missing program to run\nTry 'procscope time --help' for more information.", ExitCanceled);

        bool json = opts.Has("json"), tree = opts.Has("tree"), verbose = opts.Has("verbose"), quiet = opts.Has("quiet");
        string format = verbose ? GnuTimeFormat.Verbose
            : opts.Has("portability") ? GnuTimeFormat.Posix
            : opts.Last("format") ?? NonEmpty(ctx.Console.GetEnvironmentVariable("TIME")) ?? GnuTimeFormat.Default;
        var interval = TimeSpan.FromMilliseconds(10);
        if (opts.Last("interval") is { } iv)
        {
            if (!double.TryParse(iv, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || s <= 0 || s > 3600)
                throw new CliException($"invalid interval '{iv}'", ExitCanceled);
            interval = TimeSpan.FromSeconds(s);
        }

        // GNU opens the output file before the command runs: a bad path fails early.
        TextWriter output = ctx.Console.Error;
        FileStream? file = null;
        if (opts.Last("output") is { } path)
        {
            try
            {
                file = new FileStream(path, opts.Has("append") ? FileMode.Append : FileMode.Create, FileAccess.Write);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{path}: {e.Message}", ExitCanceled);
            }
            output = new StreamWriter(file, new UTF8Encoding(false));
        }

        try
        {
            var report = Measure(ctx, command, extended: json || tree || verbose, tree, interval);
            if (json)
            {
                output.Write(TimeJson.Write(report, tree));
                output.Write('\n');
            }
            else
            {
                var sb = new StringBuilder();
                if (!quiet && GnuTimeFormat.StatusLine(report) is { } status) sb.Append(status).Append('\n');
                sb.Append(GnuTimeFormat.Render(format, report)).Append('\n');
                if (verbose) AppendExtended(sb, report);
                if (tree) AppendTree(sb, report, ctx);
                output.Write(sb.ToString());
            }
            output.Flush();
            return report.SpawnError is not null ? report.Status.ExitCode : report.Status.ShellExitCode;
        }
        finally
        {
            if (file is not null) output.Dispose();
        }
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Index of the command: GNU time stops option parsing at the first non-option (getopt "+").</summary>
    private static int CommandStart(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") return i + 1 <= args.Count ? i + 1 : i;
            if (a.Length < 2 || a[0] != '-') return i;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.Contains('=')) continue;
                string name = a[2..];
                var matches = Specs.Where(s => s.Long is not null && s.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
                var spec = matches.FirstOrDefault(s => s.Long == name) ?? (matches.Count == 1 ? matches[0] : null);
                if (spec is { TakesValue: true }) i++;
                continue;
            }
            for (int j = 1; j < a.Length; j++)
            {
                var spec = Specs.FirstOrDefault(s => s.Short == a[j]);
                if (spec is { TakesValue: true })
                {
                    if (j == a.Length - 1) i++;
                    break;
                }
            }
        }
        return args.Count;
    }

    private static TimeReport Measure(CommandContext ctx, List<string> command, bool extended, bool tree, TimeSpan interval)
    {
        // GetSystemInfo reads /proc/stat (boot time); the plain GNU formats need only the page size.
        var sys = extended ? ctx.ProcFs.GetSystemInfo() : new Procscope.Core.Sys.SystemInfo(Environment.SystemPageSize, 100, 0, 1);
        TransientCgroup? cgroup = null;
        string? cgroupReason = null;
        // PROCSCOPE_TIME_NO_CGROUP=1 forces the sampled measure (tests of the fallback; hosts where
        // moving procscope between cgroups is not wanted).
        if (extended && ctx.Console.GetEnvironmentVariable("PROCSCOPE_TIME_NO_CGROUP") is null or "" or "0")
            cgroup = TransientCgroup.TryCreate(out cgroupReason);
        else if (extended)
            cgroupReason = "disabled by PROCSCOPE_TIME_NO_CGROUP";
        // --tree as root: subscribe to process events before the command starts, so every fork and
        // exit of the tree is seen, however short-lived.
        ProcEventListener? events = null;
        string? eventsReason = null;
        if (tree) events = ProcEventListener.TryCreate(out eventsReason);
        ChildProcess? child = null;
        // A signal that arrives before the child exists is delivered to it once it does.
        int pendingSignal = 0;
        var gate = new Lock(); // a Lock, not an object: Monitor on an object initialises the sync table at start-up
        void Forward(PosixSignalContext c)
        {
            c.Cancel = true; // procscope stays to reap the child and print the report
            if (c.Signal == PosixSignal.SIGINT && ChildProcess.InForegroundOfTerminal()) return; // the terminal sent it to the child too
            if (c.Signal == PosixSignal.SIGQUIT) return; // like GNU time: ignored here, the terminal delivers it to the child
            int signo = c.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, PosixSignal.SIGHUP => 1, _ => 15 };
            lock (gate)
            {
                if (child is null) pendingSignal = signo;
                else child.Signal(signo);
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Forward);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Forward);
        try
        {
            // The child's ru_maxrss starts at our own high-water mark (see ChildProcess): lower it to our current RSS.
            ChildProcess.ResetOwnPeakRss();
            long start = ChildProcess.MonotonicNanoseconds();
            int err;
            ChildProcess? spawned;
            if (cgroup is not null)
            {
                var r = cgroup.SpawnInside(() => (ChildProcess.TrySpawn(command, out var c), c));
                err = r.Item1;
                spawned = r.Item2;
            }
            else
            {
                err = ChildProcess.TrySpawn(command, out spawned);
            }
            if (err != 0)
            {
                long failedAt = ChildProcess.MonotonicNanoseconds();
                // As GNU time's child after execvp fails: 127 not found, 126 found but not runnable.
                int code = err == 2 ? 127 : 126;
                ctx.Console.Error.WriteLine($"procscope time: cannot run {command[0]}: {Marshal.GetPInvokeErrorMessage(err)}");
                return new TimeReport
                {
                    Command = command,
                    Status = new WaitStatus(code << 8),
                    Usage = ResourceUsage.Zero,
                    ElapsedMicroseconds = (failedAt - start) / 1000,
                    PageSizeBytes = sys.PageSizeBytes,
                    SpawnError = Marshal.GetPInvokeErrorMessage(err),
                };
            }
            lock (gate)
            {
                child = spawned!;
                if (pendingSignal != 0) child.Signal(pendingSignal);
            }
            ProcessTreeSampler? sampler = null;
            if (extended)
            {
                sampler = new ProcessTreeSampler(ctx.ProcFs, child.Pid, interval, sys);
                sampler.Start();
                events?.Start(sampler.OnEvent);
            }
            var (status, usage) = child.Wait();
            long end = ChildProcess.MonotonicNanoseconds();
            events?.Stop(); // delivers the events already queued (the root's exit is queued before wait4 returns)
            sampler?.Stop();
            long? cgroupPeak = cgroup?.ReadPeakBytes();
            var report = new TimeReport
            {
                Command = command,
                Status = status,
                Usage = usage,
                ElapsedMicroseconds = (end - start) / 1000,
                PageSizeBytes = sys.PageSizeBytes,
                RootPid = child.Pid,
                TicksPerSecond = sys.TicksPerSecond,
            };
            if (!extended || sampler is null) return report;
            // Not maxed with ru_maxrss: that carries procscope's own RSS (see docs/COMPATIBILITY-time.md).
            long sampledPeak = sampler.PeakTreeRssBytes;
            return report with
            {
                TreePeakBytes = cgroupPeak ?? sampledPeak,
                TreePeakSource = cgroupPeak is not null ? "cgroup" : "sampled",
                TreePeakCounter = cgroupPeak is not null ? cgroup!.PeakFile : null,
                SampledTreePeakBytes = sampledPeak,
                CpuWaitNs = sampler.TotalRunDelayNs,
                Samples = sampler.Samples,
                SampleIntervalSeconds = interval.TotalSeconds,
                CgroupUnavailableReason = cgroupPeak is null ? cgroupReason ?? "the cgroup peak could not be read" : null,
                Processes = tree ? sampler.Processes : null,
                ProcessesSource = sampler.Source,
                EventsUnavailableReason = tree && events is null ? eventsReason : null,
            };
        }
        finally
        {
            events?.Dispose();
            cgroup?.Dispose();
        }
    }

    private static void AppendExtended(StringBuilder sb, TimeReport r)
    {
        if (!r.Extended) return;
        var inv = CultureInfo.InvariantCulture;
        string source = r.TreePeakSource == "cgroup" ? $"cgroup {r.TreePeakCounter}" : $"sampled every {r.SampleIntervalSeconds * 1000:0.#} ms";
        sb.Append(inv, $"\tTree peak memory (kbytes, {source}): {r.TreePeakBytes / 1024}\n");
        sb.Append(inv, $"\tTree peak resident set size (kbytes, sampled): {r.SampledTreePeakBytes / 1024}\n");
        sb.Append(inv, $"\tFile system bytes read: {r.Usage.ReadBytes}\n");
        sb.Append(inv, $"\tFile system bytes written: {r.Usage.WrittenBytes}\n");
        sb.Append(inv, $"\tCPU run-queue wait (seconds, sampled): {r.CpuWaitNs / 1e9:0.000}\n");
    }

    private static void AppendTree(StringBuilder sb, TimeReport r, CommandContext ctx)
    {
        if (r.Processes is null) return;
        var inv = CultureInfo.InvariantCulture;
        if (r.ProcessesSource == "events+sampled")
            sb.Append(inv, $"Processes (every fork and exit from netlink process events; values sampled every {r.SampleIntervalSeconds * 1000:0.#} ms, {r.Samples} samples, '-' when a process lived too briefly; the root's values are exact from wait4):\n");
        else
            sb.Append(inv, $"Processes (sampled every {r.SampleIntervalSeconds * 1000:0.#} ms, {r.Samples} samples; a process that lived less than that may be missing ({r.EventsUnavailableReason ?? "no process events"}); the root's values are exact from wait4):\n");
        var rows = new List<string[]> { new[] { "PID", "PPID", "CPU(s)", "PEAK_RSS(KiB)", "MINFLT", "MAJFLT", "EXIT", "COMMAND" } };
        foreach (var p in r.Processes)
        {
            bool root = p.Pid == r.RootPid;
            double cpu = root ? (r.Usage.UTimeMicroseconds + r.Usage.STimeMicroseconds) / 1e6 : (p.UTimeTicks + p.STimeTicks) / (double)r.TicksPerSecond;
            long rss = p.PeakRssBytes;
            string exit = root ? ExitText(r.Status) : p.ExitStatus is int es ? ExitText(new WaitStatus(es)) : "-";
            bool known = root || p.TimesSampled > 0;
            rows.Add([
                p.Pid.ToString(inv), p.PPid.ToString(inv), known ? cpu.ToString("0.00", inv) : "-", known ? (rss / 1024).ToString(inv) : "-",
                known ? (root ? (ulong)r.Usage.MinFlt : p.MinFlt).ToString(inv) : "-", known ? (root ? (ulong)r.Usage.MajFlt : p.MajFlt).ToString(inv) : "-", exit,
                ctx.Safe(p.CmdlineBytes.Length > 0 ? CmdlineText(p.CmdlineBytes) : p.CommBytes),
            ]);
        }
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length - 1; i++) sb.Append(row[i].PadLeft(widths[i])).Append(' ');
            sb.Append(row[^1]).Append('\n');
        }
    }

    /// <summary>cmdline's NULs as spaces (and no trailing one).</summary>
    internal static byte[] CmdlineText(byte[] raw)
    {
        int n = raw.Length;
        while (n > 0 && raw[n - 1] == 0) n--;
        var b = raw[..n];
        for (int i = 0; i < b.Length; i++) if (b[i] == 0) b[i] = (byte)' ';
        return b;
    }

    internal static string ExitText(WaitStatus s) => s.Signaled ? $"sig{s.TermSignal}" : s.ExitCode.ToString(CultureInfo.InvariantCulture);

    private const string Help = """
        Usage: procscope time [OPTION]... COMMAND [ARG]...
        Run COMMAND, then report the resources it and its descendants used (GNU time compatible).

          -f, --format=FORMAT   use FORMAT (GNU time's %-specifiers) instead of the default;
                                the TIME environment variable gives a default format
          -p, --portability     print POSIX standard 1003.2 conformant output
          -o, --output=FILE     write the report to FILE instead of standard error
          -a, --append          with -o, append to FILE instead of overwriting it
          -v, --verbose         all of GNU time's fields, then the tree's peak memory,
                                storage bytes and CPU run-queue wait
          -q, --quiet           do not report an abnormal exit status
              --tree            also one row per process the command started (sampled)
              --json            the whole report as one JSON object (snake_case, units in keys)
              --interval=SECS   sampling interval of the tree (default 0.01)
              --help            display this help and exit
          -V, --version         output version information and exit

        The tree's peak memory comes from a transient cgroup's peak counter (cgroup v2 memory.peak
        or v1 memory.max_usage_in_bytes) when procscope may create one, otherwise from the tree's
        RSS sampled at the interval, and the report says which. Exit status: the command's, 128+N
        when signal N killed it, 126/127 when it could not be run, 125 when time itself failed.

        """;
}
