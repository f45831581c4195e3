using Procscope.Cli.Classic;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>
/// iotop --json: one object per iteration (NDJSON). Rates per second of the measured interval and
/// totals since iotop started, always both; "delay" says per task whether swapin_percent and
/// io_percent are measured ("tracked") or why they are null ("not_tracked", "off", "unavailable").
/// </summary>
public static class IotopJson
{
    public const string Schema = "procscope.iotop/1";

    public static string Frame(IotopFrame f, IotopSettings s, IotopCollector c) => ClassicJson.Line(w =>
    {
        w.WriteString("schema", Schema);
        w.WriteString("timestamp", ClassicJson.Timestamp(f.Time));
        w.WriteRounded("interval_seconds", f.IntervalSeconds);
        w.WriteString("source", c.Sampler.Source == Linux.Taskstats.TaskIoSource.Taskstats ? "taskstats" : "proc_io");
        if (c.Sampler.TaskstatsUnavailableReason is { } why) w.WriteString("taskstats_unavailable", why);
        w.WriteStartObject("delay_accounting");
        if (c.Sysctl is { } on) w.WriteBoolean("sysctl_on", on);
        else w.WriteNull("sysctl_on");
        w.WriteBoolean("on_since_boot", c.OnSinceBoot);
        w.WriteBoolean("enabled_by_procscope", c.EnabledByUs);
        if (c.EnabledAtUnixSeconds is { } at) w.WriteNumber("enabled_at_unix_seconds", at);
        w.WriteEndObject();
        w.WriteRounded("total_read_bytes_per_second", f.TotalRead, 1);
        w.WriteRounded("total_write_bytes_per_second", f.TotalWrite, 1);
        w.WriteRounded("actual_read_bytes_per_second", f.ActualRead, 1);
        w.WriteRounded("actual_write_bytes_per_second", f.ActualWrite, 1);
        w.WriteStartArray("tasks");
        foreach (var r in f.Rows)
        {
            w.WriteStartObject();
            w.WriteNumber(s.Processes ? "pid" : "tid", r.Id);
            w.WriteNumber("tgid", r.Tgid);
            if (r.Uid is { } uid) w.WriteNumber("uid", uid);
            else w.WriteNull("uid");
            w.WriteString("user", r.User);
            w.WriteString("prio", r.Prio);
            w.WriteBoolean("readable", r.Readable);
            if (r.Readable)
            {
                if (s.Accumulated)
                {
                    w.WriteNumber("read_bytes", r.TotalReadBytes);
                    w.WriteNumber("write_bytes", r.TotalWriteBytes);
                }
                else
                {
                    w.WriteRounded("read_bytes_per_second", r.Read, 1);
                    w.WriteRounded("write_bytes_per_second", r.Write, 1);
                    w.WriteRounded("read_ops_per_second", r.ReadOps, 2);
                    w.WriteRounded("write_ops_per_second", r.WriteOps, 2);
                }
                w.WriteNumber("total_read_bytes", r.TotalReadBytes);
                w.WriteNumber("total_write_bytes", r.TotalWriteBytes);
                w.WriteNumber("total_read_ops", r.TotalReadOps);
                w.WriteNumber("total_write_ops", r.TotalWriteOps);
            }
            w.WriteString("delay", r.Delay switch
            {
                DelayState.Tracked => "tracked",
                DelayState.NotTracked => "not_tracked",
                DelayState.Off => "off",
                _ => "unavailable",
            });
            if (r.SwapinPercent is { } sw) w.WriteRounded("swapin_percent", sw, 2);
            else w.WriteNull("swapin_percent");
            if (r.IoPercent is { } io) w.WriteRounded("io_percent", io, 2);
            else w.WriteNull("io_percent");
            w.WriteString("comm", r.RawComm);
            w.WriteString("command", r.RawCommand);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
