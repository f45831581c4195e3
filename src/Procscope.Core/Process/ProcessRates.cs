namespace Procscope.Core.Process;

/// <summary>
/// Identity of a task over time: a pid can be reused, the (pid, start time) pair cannot
/// (start time is field 22 of /proc/[pid]/stat, in clock ticks since boot; proc_pid_stat(5)).
/// </summary>
public readonly record struct ProcessKey(int Pid, ulong StartTimeTicks);

/// <summary>
/// The cumulative counters of one task that top-like views turn into rates. A counter the
/// caller did not read is <see cref="Absent"/>; its rate is then null.
/// </summary>
public struct ProcessCounters
{
    public const ulong Absent = ulong.MaxValue;

    /// <summary>utime + stime (proc_pid_stat(5) fields 14 and 15), clock ticks.</summary>
    public ulong CpuTicks;
    public ulong MinFlt;
    public ulong MajFlt;
    /// <summary>/proc/[pid]/io read_bytes / write_bytes (storage layer).</summary>
    public ulong ReadBytes;
    public ulong WriteBytes;
    /// <summary>/proc/[pid]/io syscr / syscw (read and write operations).</summary>
    public ulong ReadOps;
    public ulong WriteOps;
    /// <summary>/proc/[pid]/status voluntary_ctxt_switches / nonvoluntary_ctxt_switches.</summary>
    public ulong VoluntaryCtxt;
    public ulong InvoluntaryCtxt;
    /// <summary>/proc/[pid]/schedstat second field: time spent waiting on a run queue, ns.</summary>
    public ulong RunQueueWaitNs;

    /// <summary>All counters absent except those set afterwards.</summary>
    public static ProcessCounters Empty => new()
    {
        CpuTicks = Absent, MinFlt = Absent, MajFlt = Absent, ReadBytes = Absent, WriteBytes = Absent,
        ReadOps = Absent, WriteOps = Absent, VoluntaryCtxt = Absent, InvoluntaryCtxt = Absent, RunQueueWaitNs = Absent,
    };
}

/// <summary>
/// Rates of one task over one interval. Null where either sample lacked the counter.
/// <see cref="RunQueueWaitPercent"/> is the share of the interval spent runnable but waiting for a
/// CPU, percent of one CPU.
/// </summary>
public readonly record struct ProcessRateSample(
    double CpuPercent,
    double? MinFltPerSecond,
    double? MajFltPerSecond,
    double? ReadBytesPerSecond,
    double? WriteBytesPerSecond,
    double? ReadOpsPerSecond,
    double? WriteOpsPerSecond,
    double? VoluntaryCtxtPerSecond,
    double? InvoluntaryCtxtPerSecond,
    double? RunQueueWaitPercent);

/// <summary>
/// Rates from two samples of the same task: pure functions of the counters, the elapsed time,
/// the tick rate and the CPU count. Counter deltas are clamped at zero (a counter that goes
/// backwards, e.g. a task's times after a CPU is unplugged, yields 0, not a huge unsigned wrap),
/// and %CPU stays in [0, 100 × CPUs] (CONVENTIONS §3).
/// </summary>
public static class ProcessRates
{
    /// <summary>current − previous, or 0 when the counter went backwards or either side is absent.</summary>
    public static ulong Delta(ulong previous, ulong current) =>
        previous == ProcessCounters.Absent || current == ProcessCounters.Absent || current < previous ? 0 : current - previous;

    /// <summary>
    /// %CPU as top computes it: ticks used in the interval over ticks elapsed, × 100; one busy CPU
    /// is 100. Clamped to [0, 100 × <paramref name="cpuCount"/>]; 0 for an empty interval.
    /// </summary>
    public static double CpuPercent(ulong previousTicks, ulong currentTicks, double elapsedSeconds, long ticksPerSecond, int cpuCount)
    {
        if (!(elapsedSeconds > 0) || ticksPerSecond <= 0) return 0;
        double pct = Delta(previousTicks, currentTicks) * 100.0 / (elapsedSeconds * ticksPerSecond);
        double max = 100.0 * Math.Max(1, cpuCount);
        return pct > max ? max : pct;
    }

    /// <summary>Events per second, ≥ 0; null when either sample lacks the counter or the interval is empty.</summary>
    public static double? PerSecond(ulong previous, ulong current, double elapsedSeconds)
    {
        if (previous == ProcessCounters.Absent || current == ProcessCounters.Absent || !(elapsedSeconds > 0)) return null;
        return Delta(previous, current) / elapsedSeconds;
    }

    /// <summary>All rates of one task between two samples.</summary>
    public static ProcessRateSample Between(in ProcessCounters previous, in ProcessCounters current, double elapsedSeconds, long ticksPerSecond, int cpuCount)
    {
        double? wait = PerSecond(previous.RunQueueWaitNs, current.RunQueueWaitNs, elapsedSeconds) is { } ns ? Math.Min(ns / 1e7, 100.0 * Math.Max(1, cpuCount)) : null;
        return new ProcessRateSample(
            CpuPercent(previous.CpuTicks, current.CpuTicks, elapsedSeconds, ticksPerSecond, cpuCount),
            PerSecond(previous.MinFlt, current.MinFlt, elapsedSeconds),
            PerSecond(previous.MajFlt, current.MajFlt, elapsedSeconds),
            PerSecond(previous.ReadBytes, current.ReadBytes, elapsedSeconds),
            PerSecond(previous.WriteBytes, current.WriteBytes, elapsedSeconds),
            PerSecond(previous.ReadOps, current.ReadOps, elapsedSeconds),
            PerSecond(previous.WriteOps, current.WriteOps, elapsedSeconds),
            PerSecond(previous.VoluntaryCtxt, current.VoluntaryCtxt, elapsedSeconds),
            PerSecond(previous.InvoluntaryCtxt, current.InvoluntaryCtxt, elapsedSeconds),
            wait);
    }
}

/// <summary>
/// Remembers each task's counters from the previous refresh, keyed on (pid, start time) so a
/// reused pid starts fresh instead of inheriting another process's counters. Call
/// <see cref="Observe"/> for every task of a refresh, then <see cref="EndRefresh"/> to forget the
/// tasks not seen (memory stays proportional to the live task count). Not thread-safe.
/// </summary>
public sealed class ProcessDeltaTracker
{
    private struct Slot
    {
        public ProcessCounters Counters;
        public uint Generation;
    }

    private readonly Dictionary<ProcessKey, Slot> _slots = new();
    private readonly List<ProcessKey> _stale = new();
    private uint _generation = 1;

    public int Count => _slots.Count;

    /// <summary>Stores <paramref name="current"/> and returns the previous counters of the same task, if it was seen before.</summary>
    public bool Observe(ProcessKey key, in ProcessCounters current, out ProcessCounters previous)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_slots, key, out bool existed);
        previous = existed ? slot.Counters : default;
        slot.Counters = current;
        slot.Generation = _generation;
        return existed;
    }

    /// <summary>Forgets every task (after a change of what a key's counters mean, e.g. process ↔ thread rows).</summary>
    public void Clear()
    {
        _slots.Clear();
        _stale.Clear();
    }

    /// <summary>Forgets tasks not observed since the previous call.</summary>
    public void EndRefresh()
    {
        foreach (var (k, v) in _slots)
            if (v.Generation != _generation) _stale.Add(k);
        foreach (var k in _stale) _slots.Remove(k);
        _stale.Clear();
        _generation++;
    }
}
