using System.Globalization;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Linux;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>The columns iotop can sort by (left and right arrows in the interactive view; --sort).</summary>
public enum IotopColumn
{
    Id,
    Prio,
    User,
    Read,
    Write,
    ReadOps,
    WriteOps,
    Swapin,
    Io,
    TotalRead,
    TotalWrite,
    Command,
}

/// <summary>iotop 0.6's options (-o -b -n -d -p -u -P -a -k -t -q) and ours (--json, --sort, --reverse, --totals, --enable-delay-accounting, --no-taskstats).</summary>
public sealed record IotopSettings
{
    public bool Only { get; set; }
    public bool Batch { get; init; }
    public long? Iterations { get; init; }
    public double DelaySeconds { get; init; } = 1;
    public IReadOnlySet<int>? Pids { get; init; }
    public IReadOnlySet<uint>? Uids { get; init; }
    public bool Processes { get; set; }
    public bool Accumulated { get; set; }
    public bool Kilobytes { get; init; }
    public bool Time { get; init; }
    public int Quiet { get; init; }
    public bool Json { get; init; }
    public IotopColumn? Sort { get; set; }
    public bool Reverse { get; set; }
    public bool Totals { get; init; }
    public bool EnableDelayAccounting { get; init; }
    public bool NoTaskstats { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }

    private static readonly GetOpt Options = new(
    [
        new('o', "only"), new('b', "batch"), new('n', "iter", TakesValue: true), new('d', "delay", TakesValue: true),
        new('p', "pid", TakesValue: true), new('u', "user", TakesValue: true), new('P', "processes"), new('a', "accumulated"),
        new('k', "kilobytes"), new('t', "time"), new('q', "quiet"), new(null, "no-help"), new('h', "help"), new(null, "version"),
        new(null, "json"), new('s', "sort", TakesValue: true), new('r', "reverse"), new(null, "totals"),
        new(null, "enable-delay-accounting"), new(null, "no-taskstats"),
    ]);

    public static IotopSettings Parse(IReadOnlyList<string> args)
    {
        var r = Options.Parse(args);
        if (r.Has("help")) return new IotopSettings { Help = true };
        if (r.Has("version")) return new IotopSettings { Version = true };
        if (r.Operands.Count > 0) throw new CliException($"unexpected argument '{r.Operands[0]}'");
        long? iter = null;
        if (r.Last("iter") is { } n)
        {
            if (!long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long v) || v < 1)
                throw new CliException($"option -n: invalid integer value: '{n}'");
            iter = v;
        }
        double delay = 1;
        if (r.Last("delay") is { } d)
        {
            if (!double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out delay) || !double.IsFinite(delay) || delay <= 0)
                throw new CliException($"option -d: invalid delay: '{d}' (a positive number of seconds)");
        }
        HashSet<int>? pids = null;
        foreach (var o in r.Options.Where(o => o.Id == "pid"))
        {
            pids ??= [];
            foreach (var part in o.Value!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid < 1)
                    throw new CliException($"option -p: invalid integer value: '{part}'");
                pids.Add(pid);
            }
        }
        HashSet<uint>? uids = null;
        foreach (var o in r.Options.Where(o => o.Id == "user"))
        {
            uids ??= [];
            if (!UserDatabase.TryGetUid(o.Value!, out uint uid)) throw new CliException($"user '{o.Value}' does not exist");
            uids.Add(uid);
        }
        IotopColumn? sort = null;
        if (r.Last("sort") is { } s) sort = ParseColumn(s);
        bool time = r.Has("time");
        int quiet = r.Count("quiet");
        bool json = r.Has("json");
        return new IotopSettings
        {
            Only = r.Has("only"),
            // -t and -q imply --batch, as in iotop; so does --json.
            Batch = r.Has("batch") || time || quiet > 0 || json,
            Iterations = iter,
            DelaySeconds = delay,
            Pids = pids,
            Uids = uids,
            Processes = r.Has("processes"),
            Accumulated = r.Has("accumulated"),
            Kilobytes = r.Has("kilobytes"),
            Time = time,
            Quiet = quiet,
            Json = json,
            Sort = sort,
            Reverse = r.Has("reverse"),
            Totals = r.Has("totals"),
            EnableDelayAccounting = r.Has("enable-delay-accounting"),
            NoTaskstats = r.Has("no-taskstats"),
        };
    }

    public static IotopColumn ParseColumn(string s) => s.ToLowerInvariant() switch
    {
        "pid" or "tid" or "id" => IotopColumn.Id,
        "prio" => IotopColumn.Prio,
        "user" => IotopColumn.User,
        "read" or "disk_read" => IotopColumn.Read,
        "write" or "disk_write" => IotopColumn.Write,
        "rops" or "read_ops" => IotopColumn.ReadOps,
        "wops" or "write_ops" => IotopColumn.WriteOps,
        "swapin" => IotopColumn.Swapin,
        "io" => IotopColumn.Io,
        "total_read" => IotopColumn.TotalRead,
        "total_write" => IotopColumn.TotalWrite,
        "command" or "comm" => IotopColumn.Command,
        _ => throw new CliException($"--sort: unknown column '{s}' (pid, prio, user, read, write, rops, wops, swapin, io, total_read, total_write, command)"),
    };

    public const string Usage = """
        Usage: procscope iotop [OPTIONS]

        DISK READ and DISK WRITE are the block I/O bandwidth of each thread (or process with -P)
        during the sampling period; READ/s and WRITE/s its read- and write-like system calls per
        second. SWAPIN and IO are the percentages of the period the task spent waiting for swap-in
        and for block I/O: they come from delay accounting (taskstats, root), which is off unless
        kernel.task_delayacct is 1. A task started while it was off shows "not tracked".

        Options:
          -o, --only            only show tasks actually doing I/O
          -b, --batch           non-interactive mode
          -n NUM, --iter=NUM    number of iterations before ending [infinite]
          -d SEC, --delay=SEC   delay between iterations [1 second]
          -p PID, --pid=PID     processes/threads to monitor [all]
          -u USER, --user=USER  users to monitor [all]
          -P, --processes       only show processes, not all threads
          -a, --accumulated     show accumulated I/O instead of bandwidth
          -k, --kilobytes       use kilobytes instead of a human friendly unit
          -t, --time            add a timestamp on each line (implies --batch)
          -q, --quiet           suppress some lines of header (implies --batch)
          -s COL, --sort=COL    sort by pid, prio, user, read, write, rops, wops, swapin, io,
                                total_read, total_write or command [io]
          -r, --reverse         reverse the sort order
              --totals          add the bytes read and written since iotop started
              --json            one JSON object per iteration (NDJSON; implies --batch)
              --enable-delay-accounting
                                set kernel.task_delayacct to 1 while iotop runs (root; set
                                back to 0 on exit)
              --no-taskstats    read /proc/[pid]/io even as root (no SWAPIN and IO)
          -h, --help            show this help message and exit

        Keys: left/right sort column, r reverse, o only, p processes, a accumulated, q quit.

        """;
}
