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
    public int Pid { get; set; }
    /// <summary>Thread group id (equals Pid unless thread mode).</summary>
    public int Tgid { get => Identity.Tgid; set { if (value != Identity.Tgid) Identity = Identity with { Tgid = value }; } }
    public int PPid { get; set; }
    public uint? Uid { get => Identity.Uid; set { if (value != Identity.Uid) Identity = Identity with { Uid = value }; } }
    public string User { get => Identity.User; set { if (!ReferenceEquals(value, Identity.User)) Identity = Identity with { User = value }; } }
    // Kept narrow, read as stat's types: a frame holds a row per task (10,000 and more).
    private int _priority, _nice;
    public long Priority { get => _priority; set => _priority = (int)Math.Clamp(value, int.MinValue, int.MaxValue); }
    public long Nice { get => _nice; set => _nice = (int)Math.Clamp(value, int.MinValue, int.MaxValue); }
    public long VirtKiB { get; set; }
    /// <summary>From statm (exact, as top's VmRSS) when read, else stat's rss (which the kernel approximates with per-CPU counters).</summary>
    public long ResKiB { get; set; }
    public long? ShrKiB { get => _shrKiB == long.MinValue ? null : _shrKiB; set => _shrKiB = value ?? long.MinValue; }
    private long _shrKiB = long.MinValue; // MinValue / NaN / -1: absent, without Nullable's padding
    public char State { get; set; }
    public double CpuPercent { get; set; }
    public double MemPercent { get; set; }
    public ulong TimeTicks { get; set; }
    /// <summary>comm (top's default COMMAND), sanitized.</summary>
    public string Name { get => Identity.Name; set { if (!ReferenceEquals(value, Identity.Name)) Identity = Identity with { Name = value }; } }
    /// <summary>Full command line (top's c), sanitized; "[comm]" for kernel threads and zombies, as top shows them.</summary>
    public string CommandLine { get => Identity.CommandLine; set { if (!ReferenceEquals(value, Identity.CommandLine)) Identity = Identity with { CommandLine = value }; } }
    public byte[] NameRaw { get => Identity.NameRaw; set { if (!ReferenceEquals(value, Identity.NameRaw)) Identity = Identity with { NameRaw = value }; } }
    public byte[] CommandLineRaw { get => Identity.CommandLineRaw; set { if (!ReferenceEquals(value, Identity.CommandLineRaw)) Identity = Identity with { CommandLineRaw = value }; } }
    public long Threads { get => _threads; set => _threads = (int)Math.Clamp(value, int.MinValue, int.MaxValue); }
    private int _threads;
    public int? Processor { get => _processor >= 0 ? _processor : null; set => _processor = value is >= 0 ? value.Value : -1; }
    public double? MinFltPerSecond { get => double.IsNaN(_minFlt) ? null : _minFlt; set => _minFlt = value ?? double.NaN; }
    public double? MajFltPerSecond { get => double.IsNaN(_majFlt) ? null : _majFlt; set => _majFlt = value ?? double.NaN; }
    private int _processor = -1;
    private double _minFlt = double.NaN, _majFlt = double.NaN;
    public ulong StartTimeTicks { get => Identity.StartTimeTicks; set { if (value != Identity.StartTimeTicks) Identity = Identity with { StartTimeTicks = value }; } }

    /// <summary>
    /// What stays the same while a task lives (ids, user, names), in one immutable object that the
    /// collector keeps per task and the rewind history shares with every frame the task appears
    /// in. The setters above replace it (copy on write); the collector assigns it whole.
    /// </summary>
    internal TaskIdentity Identity { get; set; } = TaskIdentity.Empty;

    // Details, read for visible rows (or all rows when a column needs them for sorting/filtering).
    // Kept in a separate object allocated only when one is set: with the default columns a row
    // of 10,000 carries none of them.
    private sealed class Extra
    {
        public long? SwapKiB, UssKiB, PssKiB;
        public double? ReadBytesPerSecond, WriteBytesPerSecond, ReadOpsPerSecond, WriteOpsPerSecond;
        public double? VoluntaryCtxtPerSecond, InvoluntaryCtxtPerSecond, RunQueueWaitPercent;
        public string? Cgroup;
        public int? OomScore;

        public void Clear()
        {
            SwapKiB = UssKiB = PssKiB = null;
            ReadBytesPerSecond = WriteBytesPerSecond = ReadOpsPerSecond = WriteOpsPerSecond = null;
            VoluntaryCtxtPerSecond = InvoluntaryCtxtPerSecond = RunQueueWaitPercent = null;
            Cgroup = null;
            OomScore = null;
        }
    }

    private Extra? _extra;
    private Extra X => _extra ??= new Extra();

    public long? SwapKiB { get => _extra?.SwapKiB; set { if (value is not null || _extra is not null) X.SwapKiB = value; } }
    public long? UssKiB { get => _extra?.UssKiB; set { if (value is not null || _extra is not null) X.UssKiB = value; } }
    public long? PssKiB { get => _extra?.PssKiB; set { if (value is not null || _extra is not null) X.PssKiB = value; } }
    public double? ReadBytesPerSecond { get => _extra?.ReadBytesPerSecond; set { if (value is not null || _extra is not null) X.ReadBytesPerSecond = value; } }
    public double? WriteBytesPerSecond { get => _extra?.WriteBytesPerSecond; set { if (value is not null || _extra is not null) X.WriteBytesPerSecond = value; } }
    public double? ReadOpsPerSecond { get => _extra?.ReadOpsPerSecond; set { if (value is not null || _extra is not null) X.ReadOpsPerSecond = value; } }
    public double? WriteOpsPerSecond { get => _extra?.WriteOpsPerSecond; set { if (value is not null || _extra is not null) X.WriteOpsPerSecond = value; } }
    public double? VoluntaryCtxtPerSecond { get => _extra?.VoluntaryCtxtPerSecond; set { if (value is not null || _extra is not null) X.VoluntaryCtxtPerSecond = value; } }
    public double? InvoluntaryCtxtPerSecond { get => _extra?.InvoluntaryCtxtPerSecond; set { if (value is not null || _extra is not null) X.InvoluntaryCtxtPerSecond = value; } }
    public double? RunQueueWaitPercent { get => _extra?.RunQueueWaitPercent; set { if (value is not null || _extra is not null) X.RunQueueWaitPercent = value; } }
    public string? Cgroup { get => _extra?.Cgroup; set { if (value is not null || _extra is not null) X.Cgroup = value; } }
    public int? OomScore { get => _extra?.OomScore; set { if (value is not null || _extra is not null) X.OomScore = value; } }

    /// <summary>The table task this row was copied from, while the collector fills it (cleared before the frame is returned).</summary>
    internal Procscope.Linux.Processes.TableTask? Source { get; set; }

    /// <summary>Clears the detail values before a reused row is filled again.</summary>
    internal void ClearDetails()
    {
        ShrKiB = null;
        _extra?.Clear();
        TreeDepth = 0;
    }

    /// <summary>Depth in the process tree (V), 0 when not in tree mode.</summary>
    public int TreeDepth { get; set; }
}

/// <summary>The identity part of a <see cref="TopRow"/>: immutable, shared by reference.</summary>
internal sealed record TaskIdentity(int Tgid, ulong StartTimeTicks, uint? Uid, string User, string Name, string CommandLine, byte[] NameRaw, byte[] CommandLineRaw)
{
    public static readonly TaskIdentity Empty = new(0, 0, null, "", "", "", [], []);

    /// <summary>Same values (byte arrays by content, unlike the record's equality).</summary>
    public bool SameAs(TaskIdentity o) =>
        ReferenceEquals(this, o) ||
        (Tgid == o.Tgid && Uid == o.Uid && StartTimeTicks == o.StartTimeTicks && User == o.User && Name == o.Name &&
         CommandLine == o.CommandLine && NameRaw.AsSpan().SequenceEqual(o.NameRaw) && CommandLineRaw.AsSpan().SequenceEqual(o.CommandLineRaw));
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
