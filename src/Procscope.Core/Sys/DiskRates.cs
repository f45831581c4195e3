namespace Procscope.Core.Sys;

/// <summary>
/// iostat(1)'s per-device figures between two /proc/diskstats samples of the same device, as
/// sysstat 12.6 computes them (iostat.c write_ext_stat, rd_stats.c compute_ext_disk_stats): rates
/// per second of the interval, averages per completed request. Every counter delta is clamped at
/// zero, so a counter that steps back (a device removed and added again under the same name, a
/// 32-bit millisecond counter wrapping) never gives a negative rate; sysstat clamps the rates but
/// not the merge percentages and request averages, which can go negative there.
/// </summary>
public sealed record DiskRates
{
    /// <summary>Seconds between the samples (uptime difference, as sysstat's itv).</summary>
    public required double IntervalSeconds { get; init; }
    /// <summary>True when there was no previous sample: the counters count from zero (since boot, or since the device appeared).</summary>
    public required bool FromZero { get; init; }
    /// <summary>True when the counters went back (device replaced): the rates cover its counters from zero.</summary>
    public required bool Reset { get; init; }

    /// <summary>Bytes read in the interval (kB_read of iostat's basic report).</summary>
    public required ulong ReadBytes { get; init; }
    public required ulong WrittenBytes { get; init; }
    public required ulong DiscardedBytes { get; init; }

    /// <summary>tps: reads + writes + discards completed per second (flushes are not counted, as sysstat).</summary>
    public double TransfersPerSecond => ReadsPerSecond + WritesPerSecond + DiscardsPerSecond;
    public required double ReadsPerSecond { get; init; }
    public required double WritesPerSecond { get; init; }
    public required double DiscardsPerSecond { get; init; }
    public required double FlushesPerSecond { get; init; }
    public required double ReadBytesPerSecond { get; init; }
    public required double WriteBytesPerSecond { get; init; }
    public required double DiscardBytesPerSecond { get; init; }
    public required double ReadsMergedPerSecond { get; init; }
    public required double WritesMergedPerSecond { get; init; }
    public required double DiscardsMergedPerSecond { get; init; }
    /// <summary>%rrqm: merged reads in percent of all read requests (merged + completed).</summary>
    public required double ReadsMergedPercent { get; init; }
    public required double WritesMergedPercent { get; init; }
    public required double DiscardsMergedPercent { get; init; }
    /// <summary>r_await: milliseconds per completed read, queueing included.</summary>
    public required double ReadAwaitMs { get; init; }
    public required double WriteAwaitMs { get; init; }
    public required double DiscardAwaitMs { get; init; }
    public required double FlushAwaitMs { get; init; }
    /// <summary>await of iostat -s: over reads, writes and discards together.</summary>
    public required double AwaitMs { get; init; }
    /// <summary>rareq-sz: bytes per completed read.</summary>
    public required double ReadRequestBytes { get; init; }
    public required double WriteRequestBytes { get; init; }
    public required double DiscardRequestBytes { get; init; }
    /// <summary>areq-sz of iostat -s: over reads, writes and discards together.</summary>
    public required double RequestBytes { get; init; }
    /// <summary>aqu-sz: average number of requests queued or in service (weighted time / interval).</summary>
    public required double AverageQueueSize { get; init; }
    /// <summary>%util: percent of the interval the device had requests in flight, at most 100.</summary>
    public required double UtilizationPercent { get; init; }

    private const double SectorBytes = 512;

    /// <summary>
    /// Rates from <paramref name="previous"/> (null: since boot, all counters from zero) to
    /// <paramref name="current"/> over <paramref name="seconds"/>. sysstat's reset rule: when the
    /// completed requests went down and every non-zero sector counter went down too, the device
    /// was removed and added again, and the report counts from zero.
    /// </summary>
    public static DiskRates Between(DiskStat? previous, DiskStat current, double seconds)
    {
        bool fromZero = previous is null;
        var p = previous ?? Zero(current);
        bool reset = false;
        if (!fromZero && Ios(current) < Ios(p)
            && (p.SectorsRead == 0 || current.SectorsRead < p.SectorsRead)
            && (p.SectorsWritten == 0 || current.SectorsWritten < p.SectorsWritten)
            && ((p.SectorsDiscarded ?? 0) == 0 || (current.SectorsDiscarded ?? 0) < (p.SectorsDiscarded ?? 0)))
        {
            p = Zero(current);
            reset = true;
        }
        double itv = seconds > 0 ? seconds : double.PositiveInfinity;
        ulong rd = Sub(current.ReadsCompleted, p.ReadsCompleted), wr = Sub(current.WritesCompleted, p.WritesCompleted);
        ulong dc = Sub(current.DiscardsCompleted, p.DiscardsCompleted), fl = Sub(current.FlushesCompleted, p.FlushesCompleted);
        ulong rm = Sub(current.ReadsMerged, p.ReadsMerged), wm = Sub(current.WritesMerged, p.WritesMerged);
        ulong dm = Sub(current.DiscardsMerged, p.DiscardsMerged);
        ulong rs = Sub(current.SectorsRead, p.SectorsRead), ws = Sub(current.SectorsWritten, p.SectorsWritten);
        ulong ds = Sub(current.SectorsDiscarded, p.SectorsDiscarded);
        ulong rt = Ms(current.TimeReadingMs, p.TimeReadingMs), wt = Ms(current.TimeWritingMs, p.TimeWritingMs);
        ulong dt = Ms(current.TimeDiscardingMs, p.TimeDiscardingMs), ft = Ms(current.TimeFlushingMs, p.TimeFlushingMs);
        ulong io = Ms(current.TimeIoMs, p.TimeIoMs), wio = Ms(current.WeightedTimeIoMs, p.WeightedTimeIoMs);
        ulong all = rd + wr + dc;
        return new DiskRates
        {
            IntervalSeconds = seconds,
            FromZero = fromZero,
            ReadBytes = rs * (ulong)SectorBytes,
            WrittenBytes = ws * (ulong)SectorBytes,
            DiscardedBytes = ds * (ulong)SectorBytes,
            Reset = reset,
            ReadsPerSecond = rd / itv,
            WritesPerSecond = wr / itv,
            DiscardsPerSecond = dc / itv,
            FlushesPerSecond = fl / itv,
            ReadBytesPerSecond = rs * SectorBytes / itv,
            WriteBytesPerSecond = ws * SectorBytes / itv,
            DiscardBytesPerSecond = ds * SectorBytes / itv,
            ReadsMergedPerSecond = rm / itv,
            WritesMergedPerSecond = wm / itv,
            DiscardsMergedPerSecond = dm / itv,
            ReadsMergedPercent = Ratio(rm * 100.0, rm + rd),
            WritesMergedPercent = Ratio(wm * 100.0, wm + wr),
            DiscardsMergedPercent = Ratio(dm * 100.0, dm + dc),
            ReadAwaitMs = Ratio(rt, rd),
            WriteAwaitMs = Ratio(wt, wr),
            DiscardAwaitMs = Ratio(dt, dc),
            FlushAwaitMs = Ratio(ft, fl),
            AwaitMs = Ratio(rt + wt + dt, all),
            ReadRequestBytes = Ratio(rs * SectorBytes, rd),
            WriteRequestBytes = Ratio(ws * SectorBytes, wr),
            DiscardRequestBytes = Ratio(ds * SectorBytes, dc),
            RequestBytes = Ratio((rs + ws + ds) * SectorBytes, all),
            AverageQueueSize = wio / 1000.0 / itv,
            UtilizationPercent = Math.Min(100.0, io / 10.0 / itv),
        };
    }

    private static ulong Ios(DiskStat d) => d.ReadsCompleted + d.WritesCompleted + (d.DiscardsCompleted ?? 0) + (d.FlushesCompleted ?? 0);

    private static DiskStat Zero(DiskStat like) => new()
    {
        Major = like.Major, Minor = like.Minor, Name = like.Name,
        ReadsCompleted = 0, ReadsMerged = 0, SectorsRead = 0, TimeReadingMs = 0,
        WritesCompleted = 0, WritesMerged = 0, SectorsWritten = 0, TimeWritingMs = 0,
        IosInProgress = 0, TimeIoMs = 0, WeightedTimeIoMs = 0,
    };

    private static double Ratio(double part, double whole) => whole > 0 ? part / whole : 0;

    private static ulong Sub(ulong current, ulong previous) => current >= previous ? current - previous : 0;

    private static ulong Sub(ulong? current, ulong? previous) => Sub(current ?? 0, previous ?? 0);

    /// <summary>
    /// The kernel prints the millisecond counters as 32-bit unsigned values (part_stat_read,
    /// jiffies_to_msecs into unsigned int): one that went back by less than it wraps is clamped.
    /// A wrap (previous near 2^32, current small) is a forward step modulo 2^32.
    /// </summary>
    private static ulong Ms(ulong current, ulong previous)
    {
        if (current >= previous) return current - previous;
        if (previous <= uint.MaxValue && previous - current > (1UL << 31)) return (1UL << 32) - previous + current;
        return 0;
    }

    private static ulong Ms(ulong? current, ulong? previous) => Ms(current ?? 0, previous ?? 0);
}

/// <summary>iostat(1)'s avg-cpu line: percent of all CPU ticks of the interval, each in [0, 100].</summary>
/// <param name="User">%user: user ticks (guest time included, as /proc/stat reports it).</param>
/// <param name="Nice">%nice.</param>
/// <param name="System">%system: system + irq + softirq.</param>
/// <param name="IoWait">%iowait.</param>
/// <param name="Steal">%steal.</param>
/// <param name="Idle">%idle.</param>
public sealed record IostatCpuPercent(double User, double Nice, double System, double IoWait, double Steal, double Idle)
{
    /// <summary>sysstat's write_plain_cpu_stat: each state over user+nice+system+idle+iowait+irq+softirq+steal.</summary>
    public static IostatCpuPercent From(CpuTimesDelta d)
    {
        double total = d.TotalTicks;
        double P(ulong v) => total > 0 ? Math.Clamp(100.0 * v / total, 0, 100) : 0;
        return new IostatCpuPercent(P(d.UserTicks), P(d.NiceTicks), P(d.SystemTicks + d.IrqTicks + d.SoftirqTicks),
            P(d.IowaitTicks), P(d.StealTicks), P(d.IdleTicks));
    }
}
