using System.Text.Json;
using Procscope.Cli.Classic;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Vmstat;

/// <summary>
/// vmstat --json: one JSON object per line (NDJSON), snake_case keys with the unit in the name, a
/// "schema" key naming the shape and version, and an RFC 3339 UTC "timestamp". Values are raw
/// bytes, counts and true rates (per measured second), not procps's display units.
/// </summary>
public static class VmstatJson
{
    public const string SampleSchema = "procscope.vmstat/1";
    public const string StatsSchema = "procscope.vmstat.stats/1";
    public const string ForksSchema = "procscope.vmstat.forks/1";
    public const string DisksSchema = "procscope.vmstat.disks/1";
    public const string DiskSumSchema = "procscope.vmstat.disk_sum/1";
    public const string PartitionSchema = "procscope.vmstat.partition/1";
    public const string SlabsSchema = "procscope.vmstat.slabs/1";

    /// <summary>One sample of the default mode. "since_boot" marks the first line's averages since boot.</summary>
    public static string Sample(VmstatSample s, VmstatRates r, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, SampleSchema, now);
        w.WriteBoolean("since_boot", r.SinceBoot);
        w.WriteRounded("interval_seconds", r.IntervalSeconds);
        w.WriteNumber("procs_running", s.ProcsRunning);
        w.WriteNumber("procs_blocked", s.ProcsBlocked);
        w.WriteNumber("swap_used_bytes", s.SwapUsedBytes);
        w.WriteNumber("free_bytes", s.FreeBytes);
        w.WriteNumber("buffers_bytes", s.BuffersBytes);
        w.WriteNumber("cache_bytes", s.CacheBytes);
        w.WriteNumber("active_bytes", s.ActiveBytes);
        w.WriteNumber("inactive_bytes", s.InactiveBytes);
        w.WriteRounded("swap_in_bytes_per_second", r.SwapInBytesPerSecond);
        w.WriteRounded("swap_out_bytes_per_second", r.SwapOutBytesPerSecond);
        w.WriteRounded("block_in_bytes_per_second", r.BlockInBytesPerSecond);
        w.WriteRounded("block_out_bytes_per_second", r.BlockOutBytesPerSecond);
        w.WriteRounded("interrupts_per_second", r.InterruptsPerSecond);
        w.WriteRounded("context_switches_per_second", r.ContextSwitchesPerSecond);
        w.WriteRounded("cpu_user_percent", r.Cpu.User);
        w.WriteRounded("cpu_system_percent", r.Cpu.System);
        w.WriteRounded("cpu_idle_percent", r.Cpu.Idle);
        w.WriteRounded("cpu_iowait_percent", r.Cpu.IoWait);
        w.WriteRounded("cpu_steal_percent", r.Cpu.Steal);
        w.WriteRounded("cpu_guest_percent", r.Cpu.Guest);
    });

    /// <summary>-s: the event counters since boot.</summary>
    public static string Stats(MemInfo meminfo, KernelStat stat, VmStat vm, SystemInfo sys, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        var m = MemoryUsage.From(meminfo);
        var c = stat.Total;
        Head(w, StatsSchema, now);
        w.WriteNumber("memory_total_bytes", m.TotalBytes);
        w.WriteNumber("memory_used_bytes", m.UsedBytes);
        w.WriteNumber("memory_active_bytes", meminfo.ActiveBytes ?? 0);
        w.WriteNumber("memory_inactive_bytes", meminfo.InactiveBytes ?? 0);
        w.WriteNumber("memory_free_bytes", m.FreeBytes);
        w.WriteNumber("memory_buffers_bytes", m.BuffersBytes);
        w.WriteNumber("memory_cache_bytes", m.CacheBytes);
        w.WriteNumber("swap_total_bytes", m.SwapTotalBytes);
        w.WriteNumber("swap_used_bytes", m.SwapUsedBytes);
        w.WriteNumber("swap_free_bytes", m.SwapFreeBytes);
        w.WriteNumber("ticks_per_second", sys.TicksPerSecond);
        w.WriteNumber("cpu_user_ticks", c.UserTicks);
        w.WriteNumber("cpu_nice_ticks", c.NiceTicks);
        w.WriteNumber("cpu_system_ticks", c.SystemTicks);
        w.WriteNumber("cpu_idle_ticks", c.IdleTicks);
        w.WriteNumber("cpu_iowait_ticks", c.IowaitTicks ?? 0);
        w.WriteNumber("cpu_irq_ticks", c.IrqTicks ?? 0);
        w.WriteNumber("cpu_softirq_ticks", c.SoftirqTicks ?? 0);
        w.WriteNumber("cpu_steal_ticks", c.StealTicks ?? 0);
        w.WriteNumber("cpu_guest_ticks", c.GuestTicks ?? 0);
        w.WriteNumber("cpu_guest_nice_ticks", c.GuestNiceTicks ?? 0);
        w.WriteNumber("paged_in_bytes", (vm.PgpgInKb ?? 0) * 1024);
        w.WriteNumber("paged_out_bytes", (vm.PgpgOutKb ?? 0) * 1024);
        w.WriteNumber("pages_swapped_in", vm.PswpInPages ?? 0);
        w.WriteNumber("pages_swapped_out", vm.PswpOutPages ?? 0);
        w.WriteNumber("page_size_bytes", sys.PageSizeBytes);
        w.WriteNumber("interrupts", stat.IntrTotal);
        w.WriteNumber("context_switches", stat.Ctxt);
        w.WriteNumber("boot_time_unix_seconds", stat.BootTimeUnixSeconds);
        w.WriteNumber("forks", stat.Processes);
    });

    /// <summary>-f.</summary>
    public static string Forks(ulong processes, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, ForksSchema, now);
        w.WriteNumber("forks", processes);
    });

    /// <summary>-d: counters since boot of every whole disk.</summary>
    public static string Disks(IEnumerable<DiskStat> disks, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, DisksSchema, now);
        w.WriteStartArray("disks");
        foreach (var d in disks)
        {
            w.WriteStartObject();
            Disk(w, d);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>-D: sums over whole disks (exact counters, no procps /1000 truncation).</summary>
    public static string DiskSum(IReadOnlyList<DiskStat> devices, Func<string, bool> isDisk, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, DiskSumSchema, now);
        var disks = devices.Where(d => isDisk(d.Name)).ToList();
        w.WriteNumber("disks", disks.Count);
        w.WriteNumber("partitions", devices.Count - disks.Count);
        ulong Sum(Func<DiskStat, ulong> f) => disks.Aggregate(0UL, (a, d) => unchecked(a + f(d)));
        w.WriteNumber("reads_completed", Sum(d => d.ReadsCompleted));
        w.WriteNumber("reads_merged", Sum(d => d.ReadsMerged));
        w.WriteNumber("sectors_read", Sum(d => d.SectorsRead));
        w.WriteNumber("read_time_ms", Sum(d => d.TimeReadingMs));
        w.WriteNumber("writes_completed", Sum(d => d.WritesCompleted));
        w.WriteNumber("writes_merged", Sum(d => d.WritesMerged));
        w.WriteNumber("sectors_written", Sum(d => d.SectorsWritten));
        w.WriteNumber("write_time_ms", Sum(d => d.TimeWritingMs));
        w.WriteNumber("ios_in_progress", Sum(d => d.IosInProgress));
        w.WriteNumber("io_time_ms", Sum(d => d.TimeIoMs));
        w.WriteNumber("weighted_io_time_ms", Sum(d => d.WeightedTimeIoMs));
    });

    /// <summary>-p: one device.</summary>
    public static string Partition(DiskStat d, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, PartitionSchema, now);
        Disk(w, d);
    });

    /// <summary>-m: every slab cache, sorted by name.</summary>
    public static string Slabs(IEnumerable<SlabCache> caches, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        Head(w, SlabsSchema, now);
        w.WriteStartArray("caches");
        foreach (var c in caches)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteNumber("active_objects", c.ActiveObjs);
            w.WriteNumber("objects", c.NumObjs);
            w.WriteNumber("object_size_bytes", c.ObjSizeBytes);
            w.WriteNumber("objects_per_slab", c.ObjPerSlab);
            w.WriteNumber("pages_per_slab", c.PagesPerSlab);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void Head(Utf8JsonWriter w, string schema, DateTimeOffset now)
    {
        w.WriteString("schema", schema);
        w.WriteString("timestamp", ClassicJson.Timestamp(now));
    }

    private static void Disk(Utf8JsonWriter w, DiskStat d)
    {
        w.WriteString("name", d.Name);
        w.WriteNumber("reads_completed", d.ReadsCompleted);
        w.WriteNumber("reads_merged", d.ReadsMerged);
        w.WriteNumber("sectors_read", d.SectorsRead);
        w.WriteNumber("read_time_ms", d.TimeReadingMs);
        w.WriteNumber("writes_completed", d.WritesCompleted);
        w.WriteNumber("writes_merged", d.WritesMerged);
        w.WriteNumber("sectors_written", d.SectorsWritten);
        w.WriteNumber("write_time_ms", d.TimeWritingMs);
        w.WriteNumber("ios_in_progress", d.IosInProgress);
        w.WriteNumber("io_time_ms", d.TimeIoMs);
        w.WriteNumber("weighted_io_time_ms", d.WeightedTimeIoMs);
    }
}
