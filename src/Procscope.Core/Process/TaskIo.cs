namespace Procscope.Core.Process;

/// <summary>
/// I/O counters and delay-accounting totals of one task or thread group, since it started: what
/// taskstats (TASKSTATS_CMD_GET, linux/taskstats.h) or /proc/[pid]/io report. The delay fields are
/// null when the counters came from /proc/[pid]/io (no taskstats: not root, or no
/// CONFIG_TASKSTATS), which has no delays.
/// </summary>
public readonly record struct TaskIo
{
    /// <summary>read_bytes: bytes fetched from the storage layer.</summary>
    public ulong ReadBytes { get; init; }
    /// <summary>write_bytes: bytes sent towards the storage layer (dirtied page cache included).</summary>
    public ulong WriteBytes { get; init; }
    /// <summary>cancelled_write_bytes: dirty page cache truncated before writeback.</summary>
    public ulong CancelledWriteBytes { get; init; }
    /// <summary>syscr: read-like system calls.</summary>
    public ulong ReadSyscalls { get; init; }
    /// <summary>syscw: write-like system calls.</summary>
    public ulong WriteSyscalls { get; init; }
    /// <summary>Block I/O waits counted (taskstats blkio_count).</summary>
    public ulong? BlkioCount { get; init; }
    /// <summary>Nanoseconds waiting for block I/O (taskstats blkio_delay_total).</summary>
    public ulong? BlkioDelayNs { get; init; }
    /// <summary>Swap-ins waited for (swapin_count).</summary>
    public ulong? SwapinCount { get; init; }
    /// <summary>Nanoseconds waiting for swap-in (swapin_delay_total).</summary>
    public ulong? SwapinDelayNs { get; init; }
    /// <summary>
    /// Sum of every delay-accounting count the kernel keeps only for tracked tasks (blkio,
    /// swapin, freepages, thrashing, compact, wpcopy). Zero for a task forked while
    /// kernel.task_delayacct was 0: since Linux 5.14 such a task has no delay record at all.
    /// </summary>
    public ulong? TrackedDelayCounts { get; init; }

    /// <summary>Nanoseconds the task has run (taskstats cpu_run_real_total, filled with delay accounting off too); null from /proc.</summary>
    public ulong? RunNs { get; init; }

    /// <summary>Voluntary plus involuntary context switches (taskstats nvcsw + nivcsw); null from /proc.</summary>
    public ulong? ContextSwitches { get; init; }

    public bool HasDelays => BlkioDelayNs is not null;

    /// <summary>All counters at zero, with delays (at zero) when <paramref name="like"/> has them: the start of a task that appeared.</summary>
    public static TaskIo ZeroLike(TaskIo like) => like.HasDelays
        ? new TaskIo { BlkioCount = 0, BlkioDelayNs = 0, SwapinCount = 0, SwapinDelayNs = 0, TrackedDelayCounts = 0 }
        : default;
}

/// <summary>iotop's figures of one task between two samples: bytes and operations per second, and the share of the interval spent waiting.</summary>
public readonly record struct TaskIoRates(
    double ReadBytesPerSecond, double WriteBytesPerSecond, double ReadOpsPerSecond, double WriteOpsPerSecond,
    double? SwapinPercent, double? IoPercent)
{
    /// <summary>
    /// Rates from <paramref name="previous"/> to <paramref name="current"/> over
    /// <paramref name="seconds"/>, every delta clamped at zero (a counter that went back, e.g. a
    /// thread group that lost a thread, is no activity, never negative). DISK WRITE is
    /// write_bytes less cancelled_write_bytes, as iotop shows it; the percentages are delay
    /// nanoseconds over the interval, at most 100 (null without delay accounting).
    /// </summary>
    public static TaskIoRates Between(TaskIo previous, TaskIo current, double seconds)
    {
        if (seconds <= 0) return new TaskIoRates(0, 0, 0, 0, current.HasDelays ? 0 : null, current.HasDelays ? 0 : null);
        ulong written = Sub(current.WriteBytes, previous.WriteBytes);
        ulong cancelled = Sub(current.CancelledWriteBytes, previous.CancelledWriteBytes);
        double? Pct(ulong? cur, ulong? prev) =>
            cur is { } c && prev is { } p ? Math.Min(100.0, Sub(c, p) / (seconds * 1e9) * 100.0) : null;
        return new TaskIoRates(
            Sub(current.ReadBytes, previous.ReadBytes) / seconds,
            (written > cancelled ? written - cancelled : 0) / seconds,
            Sub(current.ReadSyscalls, previous.ReadSyscalls) / seconds,
            Sub(current.WriteSyscalls, previous.WriteSyscalls) / seconds,
            Pct(current.SwapinDelayNs, previous.SwapinDelayNs),
            Pct(current.BlkioDelayNs, previous.BlkioDelayNs));
    }

    private static ulong Sub(ulong a, ulong b) => a >= b ? a - b : 0;
}
