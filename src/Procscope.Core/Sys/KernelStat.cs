using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/stat, see proc_stat(5). Read by key: the aggregate "cpu" line, one "cpuN" line per
/// online CPU (offline CPUs are absent, so ids need not be contiguous), and the system counters.
/// Lines this type does not model (page, swap, disk_io from Linux 2.4) are skipped.
/// </summary>
public sealed record KernelStat : IProcFile<KernelStat>
{
    private const string FileName = "/proc/stat";

    /// <summary>The "cpu" line: ticks summed over all CPUs (<see cref="CpuTimes.CpuId"/> is null).</summary>
    public required CpuTimes Total { get; init; }
    /// <summary>The "cpuN" lines in file order; only online CPUs appear.</summary>
    public required IReadOnlyList<CpuTimes> Cpus { get; init; }
    /// <summary>intr: total interrupts serviced since boot (the first number; the per-IRQ counts are not kept).</summary>
    public required ulong IntrTotal { get; init; }
    /// <summary>ctxt: context switches since boot.</summary>
    public required ulong Ctxt { get; init; }
    /// <summary>btime: boot time in seconds since the Unix epoch.</summary>
    public required long BootTimeUnixSeconds { get; init; }
    /// <summary>processes: forks (processes and threads created) since boot.</summary>
    public required ulong Processes { get; init; }
    /// <summary>procs_running: runnable threads. Since Linux 2.5.45.</summary>
    public uint? ProcsRunning { get; init; }
    /// <summary>procs_blocked: threads blocked waiting for I/O. Since Linux 2.5.45.</summary>
    public uint? ProcsBlocked { get; init; }
    /// <summary>softirq: total softirqs serviced since boot (the first number). Since Linux 2.6.31.</summary>
    public ulong? SoftirqTotal { get; init; }

    public static KernelStat Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, FileName);
        CpuTimes? total = null;
        var cpus = new List<CpuTimes>();
        ulong? intr = null, ctxt = null, processes = null, softirq = null;
        long? btime = null;
        uint? running = null, blocked = null;
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            int at = r.Position;
            var key = r.NextField();
            if (key.StartsWith("cpu"u8))
            {
                int? id = null;
                if (key.Length > 3)
                {
                    if (!Bytes.TryInt32(key[3..], out int n) || n < 0) throw r.FailAt(at, "bad cpu id");
                    id = n;
                }
                var cpu = ParseCpu(ref r, id);
                if (id is null) total = cpu;
                else cpus.Add(cpu);
            }
            else if (key.SequenceEqual("intr"u8)) intr = r.NextUInt64();
            else if (key.SequenceEqual("ctxt"u8)) ctxt = r.NextUInt64();
            else if (key.SequenceEqual("btime"u8)) btime = r.NextInt64();
            else if (key.SequenceEqual("processes"u8)) processes = r.NextUInt64();
            else if (key.SequenceEqual("procs_running"u8)) running = NextUInt32(ref r);
            else if (key.SequenceEqual("procs_blocked"u8)) blocked = NextUInt32(ref r);
            else if (key.SequenceEqual("softirq"u8)) softirq = r.NextUInt64();
            r.SkipLine();
        }
        return new KernelStat
        {
            Total = total ?? throw Missing(content, "cpu"),
            Cpus = cpus,
            IntrTotal = intr ?? throw Missing(content, "intr"),
            Ctxt = ctxt ?? throw Missing(content, "ctxt"),
            BootTimeUnixSeconds = btime ?? throw Missing(content, "btime"),
            Processes = processes ?? throw Missing(content, "processes"),
            ProcsRunning = running,
            ProcsBlocked = blocked,
            SoftirqTotal = softirq,
        };
    }

    private static CpuTimes ParseCpu(ref SpanReader r, int? id) => new()
    {
        CpuId = id,
        UserTicks = r.NextUInt64(),
        NiceTicks = r.NextUInt64(),
        SystemTicks = r.NextUInt64(),
        IdleTicks = r.NextUInt64(),
        IowaitTicks = r.NextUInt64OrNull(),
        IrqTicks = r.NextUInt64OrNull(),
        SoftirqTicks = r.NextUInt64OrNull(),
        StealTicks = r.NextUInt64OrNull(),
        GuestTicks = r.NextUInt64OrNull(),
        GuestNiceTicks = r.NextUInt64OrNull(),
    };

    private static uint NextUInt32(ref SpanReader r)
    {
        int at = r.Position;
        ulong v = r.NextUInt64();
        if (v > uint.MaxValue) throw r.FailAt(at, "value too large");
        return (uint)v;
    }

    private static ProcFormatException Missing(ReadOnlySpan<byte> content, string key) =>
        ProcFormatException.At(FileName, content, content.Length, $"no '{key}' line");
}

/// <summary>
/// One "cpu" or "cpuN" line of /proc/stat, see proc_stat(5): time spent in each state, in clock
/// ticks (USER_HZ, <see cref="SystemInfo.TicksPerSecond"/>). Guest time is also counted in
/// user (and guest_nice in nice), as the kernel accounts it.
/// </summary>
public sealed record CpuTimes
{
    /// <summary>The N of "cpuN"; null for the aggregate "cpu" line.</summary>
    public int? CpuId { get; init; }
    /// <summary>user: normal processes in user mode (includes guest).</summary>
    public required ulong UserTicks { get; init; }
    /// <summary>nice: niced processes in user mode (includes guest_nice).</summary>
    public required ulong NiceTicks { get; init; }
    /// <summary>system: kernel mode.</summary>
    public required ulong SystemTicks { get; init; }
    /// <summary>idle: the idle task.</summary>
    public required ulong IdleTicks { get; init; }
    /// <summary>iowait: idle while I/O was outstanding (unreliable, may even decrease). Since Linux 2.5.41.</summary>
    public ulong? IowaitTicks { get; init; }
    /// <summary>irq: servicing hardware interrupts. Since Linux 2.6.0.</summary>
    public ulong? IrqTicks { get; init; }
    /// <summary>softirq: servicing softirqs. Since Linux 2.6.0.</summary>
    public ulong? SoftirqTicks { get; init; }
    /// <summary>steal: involuntary wait while the hypervisor ran another guest. Since Linux 2.6.11.</summary>
    public ulong? StealTicks { get; init; }
    /// <summary>guest: running a virtual CPU for guests. Since Linux 2.6.24.</summary>
    public ulong? GuestTicks { get; init; }
    /// <summary>guest_nice: running a niced guest. Since Linux 2.6.33.</summary>
    public ulong? GuestNiceTicks { get; init; }
}
