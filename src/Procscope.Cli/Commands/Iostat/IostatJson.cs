using Procscope.Cli.Classic;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Iostat;

/// <summary>
/// iostat --json: one object per report on one line (NDJSON), so a reader can stop at any line
/// (sysstat's single document is left unterminated when iostat is killed, sysstat#215/#253).
/// Rates in bytes and requests per second, whatever -k/-m say; every device carries every column
/// of -x; "since_boot" marks the first report.
/// </summary>
public static class IostatJson
{
    public static string Report(IostatSettings s, bool sinceBoot, double seconds, IostatCpuPercent cpu, IReadOnlyList<IostatRow> rows, DateTimeOffset now) =>
        ClassicJson.Line(w =>
        {
            w.WriteString("schema", IostatCommand.JsonSchema);
            w.WriteString("timestamp", ClassicJson.Timestamp(now));
            w.WriteBoolean("since_boot", sinceBoot);
            w.WriteRounded("interval_seconds", seconds, 2);
            if (s.Cpu)
            {
                w.WriteStartObject("cpu");
                w.WriteRounded("user_percent", cpu.User, 2);
                w.WriteRounded("nice_percent", cpu.Nice, 2);
                w.WriteRounded("system_percent", cpu.System, 2);
                w.WriteRounded("iowait_percent", cpu.IoWait, 2);
                w.WriteRounded("steal_percent", cpu.Steal, 2);
                w.WriteRounded("idle_percent", cpu.Idle, 2);
                w.WriteEndObject();
            }
            if (!s.Disk) return;
            w.WriteStartArray("devices");
            foreach (var row in rows)
            {
                var r = row.Rates;
                w.WriteStartObject();
                w.WriteString("name", row.Name);
                w.WriteRounded("transfers_per_second", r.TransfersPerSecond, 2);
                w.WriteRounded("reads_per_second", r.ReadsPerSecond, 2);
                w.WriteRounded("writes_per_second", r.WritesPerSecond, 2);
                w.WriteRounded("discards_per_second", r.DiscardsPerSecond, 2);
                w.WriteRounded("flushes_per_second", r.FlushesPerSecond, 2);
                w.WriteRounded("read_bytes_per_second", r.ReadBytesPerSecond, 1);
                w.WriteRounded("write_bytes_per_second", r.WriteBytesPerSecond, 1);
                w.WriteRounded("discard_bytes_per_second", r.DiscardBytesPerSecond, 1);
                w.WriteNumber("read_bytes", r.ReadBytes);
                w.WriteNumber("written_bytes", r.WrittenBytes);
                w.WriteNumber("discarded_bytes", r.DiscardedBytes);
                w.WriteRounded("reads_merged_per_second", r.ReadsMergedPerSecond, 2);
                w.WriteRounded("writes_merged_per_second", r.WritesMergedPerSecond, 2);
                w.WriteRounded("discards_merged_per_second", r.DiscardsMergedPerSecond, 2);
                w.WriteRounded("reads_merged_percent", r.ReadsMergedPercent, 2);
                w.WriteRounded("writes_merged_percent", r.WritesMergedPercent, 2);
                w.WriteRounded("discards_merged_percent", r.DiscardsMergedPercent, 2);
                w.WriteRounded("read_await_ms", r.ReadAwaitMs, 2);
                w.WriteRounded("write_await_ms", r.WriteAwaitMs, 2);
                w.WriteRounded("discard_await_ms", r.DiscardAwaitMs, 2);
                w.WriteRounded("flush_await_ms", r.FlushAwaitMs, 2);
                w.WriteRounded("read_request_bytes", r.ReadRequestBytes, 1);
                w.WriteRounded("write_request_bytes", r.WriteRequestBytes, 1);
                w.WriteRounded("discard_request_bytes", r.DiscardRequestBytes, 1);
                w.WriteRounded("average_queue_size", r.AverageQueueSize, 2);
                w.WriteRounded("utilization_percent", r.UtilizationPercent, 2);
                w.WriteBoolean("counters_reset", r.Reset);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
}
