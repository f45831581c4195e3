using System.Diagnostics;
using System.Text;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux;
using Procscope.Linux.Taskstats;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>Whether a task's SWAPIN and IO can be shown.</summary>
public enum DelayState
{
    /// <summary>Measured: the percentages are real (0% means no waiting).</summary>
    Tracked,
    /// <summary>The task was forked while kernel.task_delayacct was 0: the kernel keeps no delays for it.</summary>
    NotTracked,
    /// <summary>kernel.task_delayacct is 0 now: nothing is measured.</summary>
    Off,
    /// <summary>No taskstats (not root): /proc/[pid]/io has no delays.</summary>
    Unavailable,
}

/// <summary>One row of iotop: a thread or a process over the last interval (or since iotop started, with -a).</summary>
public sealed class IotopRow
{
    public required int Id { get; init; }
    public required int Tgid { get; init; }
    public required string Prio { get; init; }
    public required uint? Uid { get; init; }
    public required string User { get; init; }
    /// <summary>Bytes per second, or bytes since iotop started with -a.</summary>
    public required double Read { get; init; }
    public required double Write { get; init; }
    public required double ReadOps { get; init; }
    public required double WriteOps { get; init; }
    public required double? SwapinPercent { get; init; }
    public required double? IoPercent { get; init; }
    public required DelayState Delay { get; init; }
    /// <summary>Bytes since iotop started (or since the task appeared, when it started later).</summary>
    public required ulong TotalReadBytes { get; init; }
    public required ulong TotalWriteBytes { get; init; }
    public required ulong TotalReadOps { get; init; }
    public required ulong TotalWriteOps { get; init; }
    /// <summary>False when the task's counters could not be read (another user's /proc/[pid]/io).</summary>
    public required bool Readable { get; init; }
    public required bool DidIo { get; init; }
    /// <summary>Command line sanitized for the terminal (control bytes as '?').</summary>
    public required string Command { get; init; }
    public required string Comm { get; init; }
    /// <summary>The exact text (lossy UTF-8), for JSON, which escapes it.</summary>
    public required string RawCommand { get; init; }
    public required string RawComm { get; init; }
}

/// <summary>One refresh: rows and the totals of the header.</summary>
public sealed record IotopFrame(
    IReadOnlyList<IotopRow> Rows, double IntervalSeconds, double TotalRead, double TotalWrite,
    double ActualRead, double ActualWrite, DateTimeOffset Time);

/// <summary>
/// Samples tasks, keeps the previous sample and the first one (for -a and the totals) keyed by
/// (id, start), and turns them into rows. Delay state per task: with delay accounting on since
/// a known moment (we turned it on, we saw it turn on, or at boot), a task started before that
/// moment whose delay counters are all zero has no delay record (not tracked). When the moment is
/// unknown (it was already on when iotop started), the start of iotop stands in for it.
/// </summary>
public sealed class IotopCollector : IDisposable
{
    private readonly ProcFs _fs;
    private readonly TaskIoSampler _sampler;
    private readonly Dictionary<int, (ulong Start, TaskIo Io)> _previous = [];
    private readonly Dictionary<int, (ulong Start, TaskIo Io)> _baseline = [];
    private readonly Dictionary<int, (byte[] Comm, string Command, string Raw, string CommText, string CommRaw)> _commands = [];
    private readonly bool _utf8;
    private long _lastTimestamp;
    private ulong? _lastPgIn, _lastPgOut;
    private bool _first = true;
    private bool? _lastSysctl;

    public IotopCollector(ProcFs fs, bool useTaskstats, bool utf8Locale)
    {
        _fs = fs;
        _sampler = TaskIoSampler.Create(fs, useTaskstats);
        _utf8 = utf8Locale;
        StartedUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _lastSysctl = DelayAccounting.ReadSysctl(fs);
        OnSinceBoot = DelayAccounting.OnSinceBoot(fs);
    }

    public TaskIoSampler Sampler => _sampler;
    public long StartedUnixSeconds { get; }
    public bool OnSinceBoot { get; }
    /// <summary>kernel.task_delayacct at the last refresh (null: no such sysctl).</summary>
    public bool? Sysctl => _lastSysctl;
    /// <summary>When delay accounting was seen or made to turn on (seconds since the epoch).</summary>
    public long? EnabledAtUnixSeconds { get; set; }
    public bool EnabledByUs { get; set; }

    /// <summary>Takes the first sample (the baseline of the first interval) without producing rows.</summary>
    public void Prime(IotopSettings s) => Collect(s);

    public IotopFrame Collect(IotopSettings s)
    {
        bool? sysctl = DelayAccounting.ReadSysctl(_fs);
        if (_lastSysctl == false && sysctl == true && EnabledAtUnixSeconds is null) EnabledAtUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _lastSysctl = sysctl;
        var samples = _sampler.Sample(!s.Processes, s.Pids);
        long now = Stopwatch.GetTimestamp();
        double seconds = _lastTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        var vm = _fs.TryRead<VmStat>("vmstat");
        double actualRead = 0, actualWrite = 0;
        if (vm?.PgpgInKb is { } pin && vm.PgpgOutKb is { } pout)
        {
            if (_lastPgIn is { } li && _lastPgOut is { } lo && seconds > 0)
            {
                actualRead = (pin >= li ? pin - li : 0) * 1024.0 / seconds;
                actualWrite = (pout >= lo ? pout - lo : 0) * 1024.0 / seconds;
            }
            _lastPgIn = pin;
            _lastPgOut = pout;
        }
        long trackedFrom = sysctl is null || OnSinceBoot ? long.MinValue : EnabledAtUnixSeconds ?? StartedUnixSeconds;
        long bootTime = 0, hz = 100;
        if (_sampler.Source == TaskIoSource.ProcIo)
        {
            var sys = _fs.GetSystemInfo();
            bootTime = sys.BootTimeUnixSeconds;
            hz = Math.Max(1, sys.TicksPerSecond);
        }

        double elapsed = Math.Max(1e-9, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - StartedUnixSeconds);
        var rows = new List<IotopRow>(samples.Count);
        double totalRead = 0, totalWrite = 0;
        var present = new HashSet<int>();
        foreach (var t in samples)
        {
            present.Add(t.Id);
            if (s.Uids is not null && (t.Uid is not { } u || !s.Uids.Contains(u))) continue;
            TaskIo cur = t.Io ?? default;
            bool readable = t.Io is not null;
            TaskIo prev = cur;
            bool had = _previous.TryGetValue(t.Id, out var p) && p.Start == t.StartKey;
            if (had) prev = p.Io;
            else if (!_first) prev = TaskIo.ZeroLike(cur); // a task that appeared: its counters start at zero
            if (readable) _previous[t.Id] = (t.StartKey, cur);
            if (!_baseline.TryGetValue(t.Id, out var b) || b.Start != t.StartKey)
            {
                b = (t.StartKey, _first ? cur : TaskIo.ZeroLike(cur));
                if (readable) _baseline[t.Id] = b;
            }
            var rates = TaskIoRates.Between(prev, cur, seconds);
            var since = TaskIoRates.Between(b.Io, cur, 1);
            var acc = TaskIoRates.Between(b.Io, cur, elapsed);
            var delay = StateOf(t, sysctl, trackedFrom, bootTime, hz);
            bool delays = delay == DelayState.Tracked;
            double? swapin = delays ? (s.Accumulated ? acc.SwapinPercent : rates.SwapinPercent) : null;
            double? io = delays ? (s.Accumulated ? acc.IoPercent : rates.IoPercent) : null;
            bool did = readable && (s.Accumulated
                ? since.ReadBytesPerSecond > 0 || since.WriteBytesPerSecond > 0 || (delays && (acc.IoPercent > 0 || acc.SwapinPercent > 0))
                : rates.ReadBytesPerSecond > 0 || rates.WriteBytesPerSecond > 0 || (delays && (rates.IoPercent > 0 || rates.SwapinPercent > 0)));
            totalRead += rates.ReadBytesPerSecond;
            totalWrite += rates.WriteBytesPerSecond;
            if (s.Only && !did) continue;
            rows.Add(new IotopRow
            {
                Id = t.Id,
                Tgid = t.Tgid,
                Prio = Prio(t.Policy, t.Nice),
                Uid = t.Uid,
                User = t.Uid is { } uid ? UserDatabase.Shared.UserName(uid) ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                Read = s.Accumulated ? since.ReadBytesPerSecond : rates.ReadBytesPerSecond,
                Write = s.Accumulated ? since.WriteBytesPerSecond : rates.WriteBytesPerSecond,
                ReadOps = s.Accumulated ? since.ReadOpsPerSecond : rates.ReadOpsPerSecond,
                WriteOps = s.Accumulated ? since.WriteOpsPerSecond : rates.WriteOpsPerSecond,
                SwapinPercent = swapin,
                IoPercent = io,
                Delay = delay,
                TotalReadBytes = (ulong)since.ReadBytesPerSecond,
                TotalWriteBytes = (ulong)since.WriteBytesPerSecond,
                TotalReadOps = (ulong)since.ReadOpsPerSecond,
                TotalWriteOps = (ulong)since.WriteOpsPerSecond,
                Readable = readable,
                DidIo = did,
                Command = Command(t, s.Processes, out var names),
                Comm = names.CommText,
                RawCommand = names.Raw,
                RawComm = names.CommRaw,
            });
        }
        foreach (int id in _previous.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _previous.Remove(id);
            _baseline.Remove(id);
        }
        foreach (int id in _commands.Keys.Where(k => !present.Contains(k)).ToList()) _commands.Remove(id);
        _first = false;
        Sort(rows, s);
        return new IotopFrame(rows, seconds, totalRead, totalWrite, actualRead, actualWrite, DateTimeOffset.UtcNow);
    }

    private DelayState StateOf(TaskIoSample t, bool? sysctl, long trackedFrom, long bootTime, long hz)
    {
        if (t.Io is not { HasDelays: true } io) return DelayState.Unavailable;
        if (sysctl == false) return DelayState.Off;
        long start = _sampler.Source == TaskIoSource.Taskstats ? (long)t.StartKey : bootTime + (long)(t.StartKey / (ulong)hz);
        return start < trackedFrom && io.TrackedDelayCounts == 0 ? DelayState.NotTracked : DelayState.Tracked;
    }

    /// <summary>
    /// iotop's PRIO without an explicit ionice: a task with no I/O priority of its own runs in
    /// the class of its scheduling policy (rt for SCHED_FIFO/RR, idle for SCHED_IDLE, else be)
    /// at level (nice + 20) / 5, as the kernel derives it (task_nice_ioprio).
    /// </summary>
    public static string Prio(uint policy, int nice)
    {
        int level = Math.Clamp((nice + 20) / 5, 0, 7);
        return policy switch
        {
            1 or 2 => RealTime[level],
            5 => "idle",
            _ => BestEffort[level],
        };
    }

    private static readonly string[] RealTime = ["rt/0", "rt/1", "rt/2", "rt/3", "rt/4", "rt/5", "rt/6", "rt/7"];
    private static readonly string[] BestEffort = ["be/0", "be/1", "be/2", "be/3", "be/4", "be/5", "be/6", "be/7"];

    /// <summary>The command line of the task's process (cached until its comm changes), "[comm]" for kernel threads, with the thread's name for threads.</summary>
    private string Command(TaskIoSample t, bool processes, out (byte[] Comm, string Command, string Raw, string CommText, string CommRaw) names)
    {
        if (!_commands.TryGetValue(t.Id, out var c) || !ReferenceEquals(c.Comm, t.Comm))
        {
            ProcessCmdline? cmd = null;
            try
            {
                cmd = _fs.TryRead<ProcessCmdline>($"{t.Tgid}/cmdline");
            }
            catch (IOException)
            {
                // gone: fall back to comm
            }
            string comm = TextSanitizer.ForTerminal(t.Comm, _utf8), rawComm = TextSanitizer.Lossy(t.Comm);
            string text, exact;
            if (cmd is null || cmd.IsEmpty)
            {
                text = "[" + comm + "]";
                exact = "[" + rawComm + "]";
            }
            else
            {
                var sb = new StringBuilder();
                var rb = new StringBuilder();
                foreach (var a in cmd.Args)
                {
                    if (sb.Length > 0)
                    {
                        sb.Append(' ');
                        rb.Append(' ');
                    }
                    sb.Append(TextSanitizer.ForTerminal(a, _utf8));
                    rb.Append(TextSanitizer.Lossy(a));
                    if (sb.Length > 4096) break;
                }
                text = sb.ToString();
                exact = rb.ToString();
                if (!processes && t.Id != t.Tgid)
                {
                    text += " [" + comm + "]";
                    exact += " [" + rawComm + "]";
                }
            }
            c = (t.Comm, text, exact, comm, rawComm);
            _commands[t.Id] = c;
        }
        names = c;
        return c.Command;
    }

    /// <summary>Default order: IO descending when delays are measured, else bytes read + written; ties by id.</summary>
    public static void Sort(List<IotopRow> rows, IotopSettings s)
    {
        var col = s.Sort ?? (rows.Any(r => r.Delay == DelayState.Tracked) ? IotopColumn.Io : IotopColumn.Write);
        bool textual = col is IotopColumn.User or IotopColumn.Command or IotopColumn.Prio or IotopColumn.Id;
        int sign = textual ? 1 : -1;
        if (s.Reverse) sign = -sign;
        rows.Sort((a, b) =>
        {
            int c = col switch
            {
                IotopColumn.Id => a.Id.CompareTo(b.Id),
                IotopColumn.Prio => string.CompareOrdinal(a.Prio, b.Prio),
                IotopColumn.User => string.CompareOrdinal(a.User, b.User),
                IotopColumn.Read => a.Read.CompareTo(b.Read),
                IotopColumn.Write => s.Sort is null ? (a.Read + a.Write).CompareTo(b.Read + b.Write) : a.Write.CompareTo(b.Write),
                IotopColumn.ReadOps => a.ReadOps.CompareTo(b.ReadOps),
                IotopColumn.WriteOps => a.WriteOps.CompareTo(b.WriteOps),
                IotopColumn.Swapin => (a.SwapinPercent ?? -1).CompareTo(b.SwapinPercent ?? -1),
                IotopColumn.Io => (a.IoPercent ?? -1).CompareTo(b.IoPercent ?? -1),
                IotopColumn.TotalRead => a.TotalReadBytes.CompareTo(b.TotalReadBytes),
                IotopColumn.TotalWrite => a.TotalWriteBytes.CompareTo(b.TotalWriteBytes),
                _ => string.CompareOrdinal(a.Command, b.Command),
            };
            return c != 0 ? sign * c : a.Id.CompareTo(b.Id);
        });
    }

    public void Dispose() => _sampler.Dispose();
}
