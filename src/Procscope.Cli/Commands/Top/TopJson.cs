using System.Text.Encodings.Web;
using System.Text.Json;
using Procscope.Core.Parsing;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// --json: one NDJSON object per refresh (summary and rows), snake_case keys with units, exact
/// text (lossy UTF-8; control characters escaped by the writer). Utf8JsonWriter, no reflection.
/// </summary>
public static class TopJson
{
    public const int Schema = 1;

    public static void Write(TopFrame f, TopSettings s, long hz, Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("schema", "procscope.top/" + Schema);
        w.WriteString("time", f.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("uptime_seconds", f.UptimeSeconds);
        w.WriteNumber("users", f.Users);
        w.WriteStartArray("load_average");
        w.WriteNumberValue(f.Load.Load1);
        w.WriteNumberValue(f.Load.Load5);
        w.WriteNumberValue(f.Load.Load15);
        w.WriteEndArray();
        w.WriteStartObject(f.Threads ? "threads" : "tasks");
        w.WriteNumber("total", f.Tasks.Total);
        w.WriteNumber("running", f.Tasks.Running);
        w.WriteNumber("sleeping", f.Tasks.Sleeping);
        w.WriteNumber("stopped", f.Tasks.Stopped);
        w.WriteNumber("zombie", f.Tasks.Zombie);
        w.WriteEndObject();
        w.WritePropertyName("cpu_percent");
        Cpu(w, f.Cpu);
        w.WriteStartArray("per_cpu_percent");
        foreach (var c in f.PerCpu) Cpu(w, c);
        w.WriteEndArray();
        var m = f.Memory;
        w.WriteStartObject("memory");
        w.WriteNumber("total_bytes", m.TotalBytes);
        w.WriteNumber("free_bytes", m.FreeBytes);
        w.WriteNumber("used_bytes", m.UsedBytes);
        w.WriteNumber("buff_cache_bytes", m.BuffCacheBytes);
        w.WriteNumber("available_bytes", m.AvailableBytes);
        w.WriteNumber("swap_total_bytes", m.SwapTotalBytes);
        w.WriteNumber("swap_free_bytes", m.SwapFreeBytes);
        w.WriteNumber("swap_used_bytes", m.SwapUsedBytes);
        w.WriteEndObject();
        if ((f.CpuPressure ?? f.IoPressure ?? f.MemoryPressure) is not null)
        {
            w.WriteStartObject("pressure_avg10_percent");
            Psi(w, "cpu_some", f.CpuPressure?.Some);
            Psi(w, "io_some", f.IoPressure?.Some);
            Psi(w, "io_full", f.IoPressure?.Full);
            Psi(w, "memory_some", f.MemoryPressure?.Some);
            Psi(w, "memory_full", f.MemoryPressure?.Full);
            w.WriteEndObject();
        }
        w.WriteStartArray("processes");
        foreach (var r in f.Rows)
        {
            w.WriteStartObject();
            w.WriteNumber("pid", r.Pid);
            if (f.Threads) w.WriteNumber("tgid", r.Tgid);
            w.WriteNumber("ppid", r.PPid);
            if (r.Uid is { } uid) w.WriteNumber("uid", uid); else w.WriteNull("uid");
            w.WriteString("user", r.User);
            w.WriteNumber("priority", r.Priority);
            w.WriteNumber("nice", r.Nice);
            w.WriteNumber("virt_bytes", r.VirtKiB * 1024);
            w.WriteNumber("res_bytes", r.ResKiB * 1024);
            Opt(w, "shr_bytes", r.ShrKiB * 1024);
            w.WriteString("state", r.State.ToString());
            w.WriteNumber("cpu_percent", Math.Round(r.CpuPercent, 2));
            w.WriteNumber("mem_percent", Math.Round(r.MemPercent, 2));
            w.WriteNumber("time_seconds", (double)r.TimeTicks / hz);
            w.WriteNumber("threads", r.Threads);
            w.WriteString("name", TextSanitizer.Lossy(r.NameRaw));
            w.WriteString("command", TextSanitizer.Lossy(r.CommandLineRaw));
            Opt(w, "minor_faults_per_second", r.MinFltPerSecond);
            Opt(w, "major_faults_per_second", r.MajFltPerSecond);
            Opt(w, "swap_bytes", r.SwapKiB * 1024);
            Opt(w, "uss_bytes", r.UssKiB * 1024);
            Opt(w, "pss_bytes", r.PssKiB * 1024);
            Opt(w, "read_bytes_per_second", r.ReadBytesPerSecond);
            Opt(w, "write_bytes_per_second", r.WriteBytesPerSecond);
            Opt(w, "read_ops_per_second", r.ReadOpsPerSecond);
            Opt(w, "write_ops_per_second", r.WriteOpsPerSecond);
            Opt(w, "voluntary_switches_per_second", r.VoluntaryCtxtPerSecond);
            Opt(w, "involuntary_switches_per_second", r.InvoluntaryCtxtPerSecond);
            Opt(w, "run_queue_wait_percent", r.RunQueueWaitPercent);
            if (r.Cgroup is not null) w.WriteString("cgroup", r.Cgroup);
            if (r.OomScore is { } oom) w.WriteNumber("oom_score", oom);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void Opt(Utf8JsonWriter w, string key, double? v)
    {
        if (v is { } d) w.WriteNumber(key, Math.Round(d, 3));
    }

    private static void Opt(Utf8JsonWriter w, string key, long? v)
    {
        if (v is { } d) w.WriteNumber(key, d);
    }

    private static void Psi(Utf8JsonWriter w, string key, Core.Sys.PressureLine? l)
    {
        if (l is not null) w.WriteNumber(key, l.Avg10);
    }

    private static void Cpu(Utf8JsonWriter w, CpuStates c)
    {
        w.WriteStartObject();
        if (c.CpuId is { } id) w.WriteNumber("cpu", id);
        w.WriteNumber("us", Math.Round(c.Us, 2));
        w.WriteNumber("sy", Math.Round(c.Sy, 2));
        w.WriteNumber("ni", Math.Round(c.Ni, 2));
        w.WriteNumber("id", Math.Round(c.Id, 2));
        w.WriteNumber("wa", Math.Round(c.Wa, 2));
        w.WriteNumber("hi", Math.Round(c.Hi, 2));
        w.WriteNumber("si", Math.Round(c.Si, 2));
        w.WriteNumber("st", Math.Round(c.St, 2));
        w.WriteEndObject();
    }
}
