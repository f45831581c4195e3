namespace Procscope.Core.Sys;

/// <summary>
/// The numbers free(1) prints, computed from <see cref="MemInfo"/> exactly as procps-ng 4.0.x
/// does (library/meminfo.c, <c>meminfo_read_failed()</c>; src/free.c), all in bytes. Verified
/// against <c>free -b -w -l -v</c> from procps-ng 4.0.2 (Debian 12) with /proc/meminfo read
/// before and after free and identical both times: every Mem, Low, High and Swap column matched
/// byte for byte. procps-ng 3.3.x computed "used" differently (total - free - buffers - cache);
/// this follows 4.x, whose free(1) man page says "used = total - available".
/// </summary>
public sealed record MemoryUsage
{
    /// <summary>total = MemTotal.</summary>
    public required long TotalBytes { get; init; }
    /// <summary>
    /// used = MemTotal - available; if that is negative, MemTotal - MemFree (procps guards against
    /// containers whose meminfo mixes host and guest values); never below zero (procps would
    /// print the wrapped unsigned value).
    /// </summary>
    public required long UsedBytes { get; init; }
    /// <summary>free = MemFree.</summary>
    public required long FreeBytes { get; init; }
    /// <summary>shared = Shmem (mostly tmpfs).</summary>
    public required long SharedBytes { get; init; }
    /// <summary>buffers = Buffers.</summary>
    public required long BuffersBytes { get; init; }
    /// <summary>cache = Cached + SReclaimable (procps <c>derived_mem_cached</c>).</summary>
    public required long CacheBytes { get; init; }
    /// <summary>buff/cache = buffers + cache (free without -w).</summary>
    public long BuffCacheBytes => BuffersBytes + CacheBytes;
    /// <summary>
    /// available = MemAvailable; MemFree when MemAvailable is missing or zero (kernels before
    /// 3.14; procps 4 no longer emulates it as 3.3.x did) or larger than MemTotal (containers).
    /// </summary>
    public required long AvailableBytes { get; init; }

    /// <summary>Swap total = SwapTotal.</summary>
    public required long SwapTotalBytes { get; init; }
    /// <summary>Swap used = SwapTotal - SwapFree when SwapFree &lt; SwapTotal, else 0.</summary>
    public required long SwapUsedBytes { get; init; }
    /// <summary>Swap free = SwapFree.</summary>
    public required long SwapFreeBytes { get; init; }

    /// <summary>Low total (free -l) = LowTotal, or MemTotal when LowTotal is missing or zero (no CONFIG_HIGHMEM).</summary>
    public required long LowTotalBytes { get; init; }
    /// <summary>Low used = low total - low free when low free &lt; low total, else 0.</summary>
    public required long LowUsedBytes { get; init; }
    /// <summary>Low free = LowFree, or MemFree when LowTotal is missing or zero.</summary>
    public required long LowFreeBytes { get; init; }
    /// <summary>High total (free -l) = HighTotal, 0 when missing.</summary>
    public required long HighTotalBytes { get; init; }
    /// <summary>High used = HighTotal - HighFree when HighFree &lt; HighTotal, else 0.</summary>
    public required long HighUsedBytes { get; init; }
    /// <summary>High free = HighFree, 0 when missing.</summary>
    public required long HighFreeBytes { get; init; }

    /// <summary>Comm total (free -v) = CommitLimit.</summary>
    public required long CommitLimitBytes { get; init; }
    /// <summary>Comm used (free -v) = Committed_AS.</summary>
    public required long CommittedAsBytes { get; init; }
    /// <summary>
    /// Comm free (free -v) = CommitLimit - Committed_AS. Negative when overcommitted; procps
    /// subtracts unsigned values and prints a wrapped number there.
    /// </summary>
    public long CommitFreeBytes => CommitLimitBytes - CommittedAsBytes;

    /// <summary>Computes free(1)'s columns. Missing keys count as zero, as in procps (it zeroes its table before reading).</summary>
    public static MemoryUsage From(MemInfo m)
    {
        long total = m.MemTotalBytes ?? 0;
        long free = m.MemFreeBytes ?? 0;

        long available = m.MemAvailableBytes ?? 0;
        if (available == 0) available = free;
        if (available > total) available = free;

        long used = total - available;
        if (used < 0) used = total - free;
        if (used < 0) used = 0;

        long swapTotal = m.SwapTotalBytes ?? 0, swapFree = m.SwapFreeBytes ?? 0;
        long highTotal = m.HighTotalBytes ?? 0, highFree = m.HighFreeBytes ?? 0;
        long lowTotal = m.LowTotalBytes ?? 0, lowFree = m.LowFreeBytes ?? 0;
        if (lowTotal == 0)
        {
            lowTotal = total;
            lowFree = free;
        }

        return new MemoryUsage
        {
            TotalBytes = total,
            UsedBytes = used,
            FreeBytes = free,
            SharedBytes = m.ShmemBytes ?? 0,
            BuffersBytes = m.BuffersBytes ?? 0,
            CacheBytes = (m.CachedBytes ?? 0) + (m.SReclaimableBytes ?? 0),
            AvailableBytes = available,
            SwapTotalBytes = swapTotal,
            SwapUsedBytes = swapFree < swapTotal ? swapTotal - swapFree : 0,
            SwapFreeBytes = swapFree,
            LowTotalBytes = lowTotal,
            LowUsedBytes = lowFree < lowTotal ? lowTotal - lowFree : 0,
            LowFreeBytes = lowFree,
            HighTotalBytes = highTotal,
            HighUsedBytes = highFree < highTotal ? highTotal - highFree : 0,
            HighFreeBytes = highFree,
            CommitLimitBytes = m.CommitLimitBytes ?? 0,
            CommittedAsBytes = m.CommittedAsBytes ?? 0,
        };
    }
}
