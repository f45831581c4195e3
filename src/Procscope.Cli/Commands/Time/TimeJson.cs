using System.Text;
using System.Text.Json;
using Procscope.Core.Process;

namespace Procscope.Cli.Commands.Time;

/// <summary>
/// The report as one JSON object: snake_case keys with units. Fields Linux never fills in struct
/// rusage (ixrss, idrss, isrss, nswap, msgsnd, msgrcv, nsignals) are left out, never written as 0.
/// </summary>
public static class TimeJson
{
    public const int Schema = 1;

    public static string Write(TimeReport r, bool tree)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", Schema);
            w.WriteStartArray("command");
            foreach (var a in r.Command) w.WriteStringValue(a);
            w.WriteEndArray();
            if (r.SpawnError is not null) w.WriteString("error", $"cannot run {r.Command[0]}: {r.SpawnError}");
            if (r.Status.Signaled)
            {
                w.WriteNull("exit_code");
                w.WriteNumber("signal", r.Status.TermSignal);
                w.WriteBoolean("core_dumped", r.Status.CoreDumped);
            }
            else
            {
                w.WriteNumber("exit_code", r.Status.ExitCode);
                w.WriteNull("signal");
            }
            w.WriteNumber("elapsed_seconds", r.ElapsedMicroseconds / 1e6);
            w.WriteNumber("user_seconds", r.Usage.UTimeMicroseconds / 1e6);
            w.WriteNumber("system_seconds", r.Usage.STimeMicroseconds / 1e6);
            if (r.ElapsedMicroseconds > 0)
                w.WriteNumber("cpu_percent", Math.Round((r.Usage.UTimeMicroseconds + r.Usage.STimeMicroseconds) * 100.0 / r.ElapsedMicroseconds, 1));
            w.WriteNumber("max_rss_bytes", r.Usage.MaxRssBytes);
            w.WriteNumber("major_faults", r.Usage.MajFlt);
            w.WriteNumber("minor_faults", r.Usage.MinFlt);
            w.WriteNumber("voluntary_context_switches", r.Usage.NvCsw);
            w.WriteNumber("involuntary_context_switches", r.Usage.NivCsw);
            w.WriteNumber("fs_inputs_512b", r.Usage.InBlock);
            w.WriteNumber("fs_outputs_512b", r.Usage.OuBlock);
            w.WriteNumber("read_bytes", r.Usage.ReadBytes);
            w.WriteNumber("written_bytes", r.Usage.WrittenBytes);
            w.WriteNumber("page_size_bytes", r.PageSizeBytes);
            if (r.Extended)
            {
                w.WriteNumber("tree_peak_rss_bytes", r.TreePeakBytes!.Value);
                w.WriteString("tree_peak_rss_source", r.TreePeakSource);
                if (r.TreePeakCounter is not null) w.WriteString("tree_peak_rss_counter", r.TreePeakCounter);
                if (r.CgroupUnavailableReason is not null) w.WriteString("cgroup_unavailable_reason", r.CgroupUnavailableReason);
                w.WriteNumber("tree_sampled_peak_rss_bytes", r.SampledTreePeakBytes!.Value);
                w.WriteNumber("cpu_wait_seconds", r.CpuWaitNs!.Value / 1e9);
                w.WriteString("cpu_wait_source", "sampled");
                w.WriteNumber("sample_interval_seconds", r.SampleIntervalSeconds);
                w.WriteNumber("samples", r.Samples);
            }
            if (tree && r.Processes is not null)
            {
                w.WriteString("processes_source", r.ProcessesSource);
                if (r.EventsUnavailableReason is not null) w.WriteString("process_events_unavailable_reason", r.EventsUnavailableReason);
                w.WriteStartArray("processes");
                foreach (var p in r.Processes)
                {
                    bool root = p.Pid == r.RootPid;
                    w.WriteStartObject();
                    w.WriteNumber("pid", p.Pid);
                    w.WriteNumber("ppid", p.PPid);
                    w.WriteString("comm", Encoding.UTF8.GetString(p.CommBytes));
                    w.WriteString("command", Encoding.UTF8.GetString(TimeCommand.CmdlineText(p.CmdlineBytes)));
                    if (!root && p.TimesSampled == 0)
                    {
                        // Known from its fork and exit only: lived between two samples.
                        foreach (var k in new[] { "cpu_seconds", "peak_rss_bytes", "minor_faults", "major_faults", "cpu_wait_seconds" }) w.WriteNull(k);
                    }
                    else
                    {
                    w.WriteNumber("cpu_seconds", root ? (r.Usage.UTimeMicroseconds + r.Usage.STimeMicroseconds) / 1e6 : (p.UTimeTicks + p.STimeTicks) / (double)r.TicksPerSecond);
                    w.WriteNumber("peak_rss_bytes", p.PeakRssBytes);
                    w.WriteNumber("minor_faults", root ? r.Usage.MinFlt : (long)p.MinFlt);
                    w.WriteNumber("major_faults", root ? r.Usage.MajFlt : (long)p.MajFlt);
                    w.WriteNumber("cpu_wait_seconds", p.RunDelayNs / 1e9);
                    }
                    WaitStatus? st = root ? r.Status : p.ExitStatus is int es ? new WaitStatus(es) : null;
                    if (st is null) w.WriteNull("exit_code");
                    else if (st.Value.Signaled) { w.WriteNull("exit_code"); w.WriteNumber("signal", st.Value.TermSignal); }
                    else w.WriteNumber("exit_code", st.Value.ExitCode);
                    w.WriteBoolean("exact", root);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
