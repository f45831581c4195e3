using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Sys;
using Procscope.Linux;

namespace Procscope.Cli.Commands.Iostat;

/// <summary>
/// <c>procscope iostat</c>: sysstat 12.6 iostat(1) — the avg-cpu line and the device table
/// (-c -d -x -s -k -m -G -h -p -y -z -t -N, device names, ALL, interval and count) — plus --json
/// (NDJSON, one object per report; -o JSON is taken as --json). See docs/COMPATIBILITY-iostat.md.
/// </summary>
public static class IostatCommand
{
    public const string Usage = """
        Usage: procscope iostat [ options ] [ <interval> [ <count> ] ]
        Options are:
        [ -c ] [ -d ] [ -h ] [ -k | -m | -G ] [ -N ] [ -s ] [ -t ] [ -V ] [ -x ] [ -y ] [ -z ]
        [ -p [ <device> [,...] | ALL ] ] [ <device> [...] | ALL ] [ --human ] [ --json | -o JSON ]

         -c        CPU utilization only          -d        device utilization only
         -x        extended statistics           -s        short (narrow) extended/basic report
         -k/-m/-G  kilobytes (default), megabytes, gigabytes per second
         -h        human readable sizes, device name last (sysstat's --pretty --human)
         -p [..]   partitions of the named devices (all devices and partitions without a list)
         -y        skip the first report (statistics since boot)
         -z        omit devices without activity in the interval
         -t        print the time of each report     -N  device-mapper names
         --json    one JSON object per report (NDJSON); rates in bytes per second

        """;

    public const string JsonSchema = "procscope.iostat/1";

    public static Command Create() => ClassicCommand.Create("iostat", "Report CPU and block device I/O statistics (sysstat iostat).", Run);

    private sealed record Sample(double UptimeSeconds, CpuTimes Cpu, DiskStats Disks);

    public static int Run(CommandContext ctx)
    {
        var s = IostatSettings.Parse(ctx.Args);
        if (s.Help)
        {
            ctx.Out.Write(Usage);
            return ExitCodes.Ok;
        }
        if (s.Version)
        {
            var v = typeof(IostatCommand).Assembly.GetName().Version;
            ctx.Out.WriteLine($"iostat from procscope {v?.ToString(3) ?? "0.0.0"} (sysstat 12.6 compatible)");
            return ExitCodes.Ok;
        }

        using var stop = new CancellationTokenSource();
        // sysstat ends after the report in progress on SIGINT/SIGTERM (to close its JSON); so do
        // we, which keeps every NDJSON line whole and the exit status 0.
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        if (!s.Json)
        {
            ctx.Out.Write(Banner(ctx.ProcFs));
            ctx.Out.Write("\n\n");
        }
        Sample? prev = null;
        bool skip = s.NoFirst && s.Interval > 0;
        long count = s.Count;
        long start = Environment.TickCount64;
        for (long i = 0; ; i++)
        {
            var cur = Read(ctx.ProcFs);
            if (!skip)
            {
                Report(ctx, s, prev, cur);
                if (!s.Json) ctx.Out.Write('\n');
                if (count > 0) count--;
            }
            // sysstat ends every pass of its loop with a newline, the skipped first one (-y) too.
            if (!s.Json) ctx.Out.Write('\n');
            SampleOutput.Flush(ctx);
            if (count == 0) break;
            // sysstat arms alarm(interval): reports stay on the schedule whatever each one costs.
            long due = start + (i + 1) * s.Interval * 1000;
            long wait = due - Environment.TickCount64;
            if (wait > 0 && stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait))) break;
            if (stop.IsCancellationRequested) break;
            skip = false;
            prev = cur;
        }
        return ExitCodes.Ok;
    }

    private static Sample Read(ProcFs fs)
    {
        var up = ProcReads.Read<Core.Sys.Uptime>(fs, "uptime", p => $"Cannot open {p}");
        var stat = ProcReads.Read<KernelStat>(fs, "stat", p => $"Cannot open {p}");
        var disks = ProcReads.Read<DiskStats>(fs, "diskstats", p => $"Cannot open {p}");
        return new Sample(up.UptimeSeconds, stat.Total, disks);
    }

    private static void Report(CommandContext ctx, IostatSettings s, Sample? prev, Sample cur)
    {
        double seconds = prev is null ? cur.UptimeSeconds : cur.UptimeSeconds - prev.UptimeSeconds;
        var cpuDelta = prev is null ? CpuTimesDelta.SinceBoot(cur.Cpu) : CpuTimesDelta.Between(prev.Cpu, cur.Cpu);
        var cpu = IostatCpuPercent.From(cpuDelta);
        var rows = s.Disk ? Rows(ctx, s, prev, cur, seconds) : [];
        var now = DateTimeOffset.UtcNow;
        if (s.Json)
        {
            ctx.Out.Write(IostatJson.Report(s, prev is null, seconds, cpu, rows, now));
            ctx.Out.Write('\n');
            return;
        }
        var sb = new StringBuilder(1024);
        if (s.Timestamp) sb.Append(Stamp()).Append('\n');
        if (s.Cpu) IostatFormatter.Cpu(sb, cpu, s.Human);
        if (s.Disk) IostatFormatter.Devices(sb, rows, s);
        ctx.Out.Write(sb.ToString());
    }

    /// <summary>
    /// The devices of one report, in /proc/diskstats order (named devices in command-line order).
    /// /sys/block is listed again for every report, so devices that appear or go away between
    /// samples are followed: a new device counts from zero, a vanished one is not shown.
    /// </summary>
    private static List<IostatRow> Rows(CommandContext ctx, IostatSettings s, Sample? prev, Sample cur, double seconds)
    {
        var block = BlockDevices.Read(ctx.ProcFs);
        var byName = new Dictionary<string, DiskStat>(StringComparer.Ordinal);
        foreach (var d in cur.Disks.Disks) byName.TryAdd(d.Name, d);
        var chosen = new List<DiskStat>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(DiskStat d)
        {
            if (seen.Add(d.Name)) chosen.Add(d);
        }
        foreach (var arg in s.Devices)
        {
            if (byName.TryGetValue(arg.Name, out var d)) Add(d);
            if (!arg.WithPartitions) continue;
            foreach (var p in cur.Disks.Disks)
                if (block.IsPartitionOf(p.Name, arg.Name)) Add(p);
        }
        if (s.Everything && s.Devices.Count == 0 || s.Everything && s.Devices.Count > 0 && s.AllDevices)
        {
            foreach (var d in cur.Disks.Disks) Add(d);
        }
        else if (s.AllDevices || s.Devices.Count == 0)
        {
            foreach (var d in cur.Disks.Disks)
                if (block.IsDisk(d.Name)) Add(d);
        }

        Dictionary<string, DiskStat>? before = null;
        if (prev is not null)
        {
            before = new Dictionary<string, DiskStat>(StringComparer.Ordinal);
            foreach (var d in prev.Disks.Disks) before.TryAdd(d.Name, d);
        }
        var rows = new List<IostatRow>(chosen.Count);
        foreach (var d in chosen)
        {
            if (!s.Unfiltered && d.ReadsCompleted == 0 && d.WritesCompleted == 0 && (d.DiscardsCompleted ?? 0) == 0 && (d.FlushesCompleted ?? 0) == 0)
                continue;
            DiskStat? p = null;
            before?.TryGetValue(d.Name, out p);
            if (s.OmitIdle && p is not null && p.ReadsCompleted == d.ReadsCompleted && p.WritesCompleted == d.WritesCompleted
                && p.DiscardsCompleted == d.DiscardsCompleted && p.FlushesCompleted == d.FlushesCompleted)
                continue;
            if (s.OmitIdle && p is null && prev is not null && d.ReadsCompleted + d.WritesCompleted == 0) continue;
            string name = s.MapperNames ? block.MapperName(d.Name) ?? d.Name : d.Name;
            rows.Add(new IostatRow(ctx.Safe(Encoding.UTF8.GetBytes(name)), DiskRates.Between(p, d, seconds)));
        }
        return rows;
    }

    /// <summary>The first line of every sysstat report: kernel, host, date, architecture, CPUs.</summary>
    public static string Banner(ProcFs fs)
    {
        string Text(string f) => Encoding.UTF8.GetString(fs.TryReadBytes(f) ?? []).Trim();
        string machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            var a => a.ToString().ToLowerInvariant(),
        };
        int cpus = fs.GetSystemInfo().CpuCount;
        string date = LocalClock.Format(LocalClock.NowUnixSeconds(), IsoTime() ? "%Y-%m-%d" : "%x");
        return $"Linux {Text("sys/kernel/osrelease")} ({Text("sys/kernel/hostname")}) \t{date} \t_{machine}_\t({cpus.ToString(CultureInfo.InvariantCulture)} CPU)";
    }

    /// <summary>-t: strftime "%x %X" in the locale, or ISO 8601 when S_TIME_FORMAT=ISO, as sysstat.</summary>
    private static string Stamp() =>
        LocalClock.Format(LocalClock.NowUnixSeconds(), IsoTime() ? "%Y-%m-%dT%H:%M:%S%z" : "%x %X");

    private static bool IsoTime() => Environment.GetEnvironmentVariable("S_TIME_FORMAT") == "ISO";
}
