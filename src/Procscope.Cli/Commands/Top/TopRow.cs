using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// One row of one refresh, copied out of the live table so that a frame kept for rewind shows
/// that moment's values. Text is already sanitized for the terminal (hostile bytes never reach it
/// raw); <see cref="CommandLineRaw"/> keeps the exact bytes for JSON. Detail values are null when not
/// read (column hidden, row not visible) or refused.
/// </summary>
public sealed class TopRow
{
    public int Pid { get; init; }
    /// <summary>Thread group id (equals Pid unless thread mode).</summary>
    public int Tgid { get; init; }
    public int PPid { get; init; }
    public uint? Uid { get; init; }
    public string User { get; init; } = "";
    public long Priority { get; init; }
    public long Nice { get; init; }
    public long VirtKiB { get; init; }
    /// <summary>From statm (exact, as top's VmRSS) when read, else stat's rss (which the kernel approximates with per-CPU counters).</summary>
    public long ResKiB { get; set; }
    public long? ShrKiB { get; set; }
    public char State { get; init; }
    public double CpuPercent { get; init; }
    public double MemPercent { get; set; }
    public ulong TimeTicks { get; init; }
    /// <summary>comm (top's default COMMAND), sanitized.</summary>
    public string Name { get; init; } = "";
    /// <summary>Full command line (top's c), sanitized; "[comm]" for kernel threads and zombies, as top shows them.</summary>
    public string CommandLine { get; init; } = "";
    public byte[] NameRaw { get; init; } = [];
    public byte[] CommandLineRaw { get; init; } = [];
    public long Threads { get; init; }
    public int? Processor { get; init; }
    public double? MinFltPerSecond { get; init; }
    public double? MajFltPerSecond { get; init; }
    public ulong StartTimeTicks { get; init; }

    // Details, read for visible rows (or all rows when a column needs them for sorting/filtering).
    public long? SwapKiB { get; set; }
    public long? UssKiB { get; set; }
    public long? PssKiB { get; set; }
    public double? ReadBytesPerSecond { get; set; }
    public double? WriteBytesPerSecond { get; set; }
    public double? ReadOpsPerSecond { get; set; }
    public double? WriteOpsPerSecond { get; set; }
    public double? VoluntaryCtxtPerSecond { get; set; }
    public double? InvoluntaryCtxtPerSecond { get; set; }
    public double? RunQueueWaitPercent { get; set; }
    public string? Cgroup { get; set; }
    public int? OomScore { get; set; }

    /// <summary>Depth in the process tree (V), 0 when not in tree mode.</summary>
    public int TreeDepth { get; set; }
}

/// <summary>Task counts by state, as top's Tasks line.</summary>
public readonly record struct TaskCounts(int Total, int Running, int Sleeping, int Stopped, int Zombie);

/// <summary>CPU state percentages of one line (aggregate or one CPU).</summary>
public readonly record struct CpuStates(int? CpuId, double Us, double Sy, double Ni, double Id, double Wa, double Hi, double Si, double St);

/// <summary>Everything one refresh shows: the summary area and all rows (filtered, sorted).</summary>
public sealed class TopFrame
{
    public required DateTime Time { get; init; }
    public required double UptimeSeconds { get; init; }
    public required int Users { get; init; }
    public required LoadAvg Load { get; init; }
    public required bool Threads { get; init; }
    public required TaskCounts Tasks { get; init; }
    public required CpuStates Cpu { get; init; }
    public required IReadOnlyList<CpuStates> PerCpu { get; init; }
    public required MemoryUsage Memory { get; init; }
    public Pressure? CpuPressure { get; init; }
    public Pressure? IoPressure { get; init; }
    public Pressure? MemoryPressure { get; init; }
    public required TopRow[] Rows { get; init; }
    public required int CpuCount { get; init; }
}
