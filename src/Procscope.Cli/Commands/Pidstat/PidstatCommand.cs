using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Pidstat;

/// <summary>
/// procscope pidstat -r: page faults per second, VSZ, RSS and %MEM of given processes at each
/// interval, in sysstat pidstat 12.6's layout (header, rows, "Average:" lines). --json streams one
/// NDJSON object per process and interval.
/// </summary>
public static class PidstatCommand
{
    private static readonly OptionSpec[] Specs =
    [
        new('r', null),
        new('p', null, TakesValue: true),
        new('h', "help"),
        new('V', "version"),
        new(null, "json"),
    ];

    public static Command Create() =>
        ClassicCommand.Create("pidstat", "Watch processes' page faults, VSZ and RSS per interval (pidstat -r compatible).", Run);

    private sealed class Watched(int pid, LinuxProcess proc, ProcessStat first, uint uid)
    {
        public int Pid { get; } = pid;
        public LinuxProcess Proc { get; } = proc;
        public ProcessStat Last { get; set; } = first;
        public ProcessStat First { get; } = first;
        public uint Uid { get; } = uid;
        public bool Gone { get; set; }
        public double SumVszKiB, SumRssKiB, SumMem;
        public int Rows;
    }

    public static int Run(CommandContext ctx)
    {
        var opts = new GetOpt(Specs).Parse(ctx.Args);
        if (opts.Has("help"))
        {
            ctx.Out.Write(Help);
            return 0;
        }
        if (opts.Has("version"))
        {
            ctx.Out.WriteLine("procscope pidstat (sysstat pidstat -r compatible)");
            return 0;
        }
        if (!opts.Has("r")) throw new CliException("only -r (page faults and memory) is implemented; see procscope ps and top for CPU");
        bool json = opts.Has("json");
        double? interval = null;
        long? count = null;
        if (opts.Operands.Count > 0)
        {
            if (!double.TryParse(opts.Operands[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double iv) || iv <= 0)
                throw new CliException($"invalid interval: {opts.Operands[0]}");
            interval = iv;
            if (opts.Operands.Count > 1)
            {
                if (!long.TryParse(opts.Operands[1], NumberStyles.None, CultureInfo.InvariantCulture, out long c) || c <= 0)
                    throw new CliException($"invalid count: {opts.Operands[1]}");
                count = c;
            }
            if (opts.Operands.Count > 2) throw new CliException($"unexpected argument: {opts.Operands[2]}");
        }

        var fs = ctx.ProcFs;
        var sys = fs.GetSystemInfo();
        long memTotal = fs.Read<MemInfo>("meminfo").MemTotalBytes ?? 0;
        var pids = SelectPids(fs, opts.Last("p"));
        var watched = new List<Watched>();
        foreach (int pid in pids)
        {
            try
            {
                var proc = fs.OpenProcess(pid);
                var stat = proc.Stat();
                uint uid = proc.Status().Uid is { Length: > 0 } u ? u[0] : 0;
                watched.Add(new Watched(pid, proc, stat, uid));
            }
            catch (ProcessException)
            {
                // sysstat shows nothing for a pid that does not exist.
            }
        }

        if (!json)
        {
            ctx.Out.Write(Banner(fs, sys));
            ctx.Out.Write("\n\n");
        }
        bool many = watched.Count > 1;
        var clock = Stopwatch.StartNew();
        if (interval is null)
        {
            // No interval: rates over each process's lifetime, one report.
            double uptime = fs.Read<Procscope.Core.Sys.Uptime>("uptime").UptimeSeconds;
            var rows = new List<(Watched W, FaultRates R, ProcessStat S)>();
            foreach (var w in watched)
            {
                double age = uptime - sys.TicksToSeconds(w.First.StartTimeTicks);
                rows.Add((w, FaultRates.SinceStart(w.First, age), w.First));
            }
            Emit(ctx, json, rows, sys, memTotal, header: true, blankBefore: false, label: null, age: true);
            return 0;
        }

        long n = 0;
        bool headerShown = false;
        var next = TimeSpan.FromSeconds(interval.Value);
        while (count is null || n < count)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            next += TimeSpan.FromSeconds(interval.Value);
            n++;
            double seconds = interval.Value;
            var rows = new List<(Watched W, FaultRates R, ProcessStat S)>();
            foreach (var w in watched)
            {
                if (w.Gone) continue;
                ProcessStat now;
                try
                {
                    now = w.Proc.Stat();
                }
                catch (ProcessException)
                {
                    w.Gone = true;
                    continue;
                }
                var rates = FaultRates.Between(w.Last, now, seconds) ?? new FaultRates(0, 0);
                w.Last = now;
                rows.Add((w, rates, now));
                w.SumVszKiB += now.VSize / 1024.0;
                w.SumRssKiB += sys.PagesToBytes((ulong)Math.Max(0, now.RssPages)) / 1024.0;
                w.SumMem += memTotal > 0 ? sys.PagesToBytes((ulong)Math.Max(0, now.RssPages)) * 100.0 / memTotal : 0;
                w.Rows++;
            }
            Emit(ctx, json, rows, sys, memTotal, header: many || !headerShown, blankBefore: many && headerShown, label: null, age: false, intervalSeconds: seconds);
            headerShown = true;
            ctx.Out.Flush();
        }
        if (!json)
        {
            // Average: fault rates over the whole run, sizes averaged over the samples.
            var avg = new StringBuilder();
            if (many) avg.Append('\n').Append(HeaderLine("Average:"));
            foreach (var w in watched.Where(w => w.Rows > 0))
            {
                double secs = interval.Value * w.Rows;
                var rates = FaultRates.Between(w.First, w.Last, secs) ?? new FaultRates(0, 0);
                avg.Append(Row("Average:", w.Uid, w.Pid, rates, w.SumVszKiB / w.Rows, w.SumRssKiB / w.Rows, w.SumMem / w.Rows, ctx.Safe(w.Last.CommBytes)));
            }
            ctx.Out.Write(avg.ToString());
        }
        foreach (var w in watched) w.Proc.Dispose();
        return 0;
    }

    private static List<int> SelectPids(ProcFs fs, string? list)
    {
        if (list is null || list == "ALL") return [.. fs.ListPids()];
        var pids = new List<int>();
        foreach (var part in list.Split(','))
        {
            if (part == "SELF") { pids.Add(Environment.ProcessId); continue; }
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                throw new CliException($"invalid process id: {part}");
            pids.Add(pid);
        }
        return pids;
    }

    private static string Banner(ProcFs fs, SystemInfo sys)
    {
        string Text(string f) => Encoding.UTF8.GetString(fs.TryReadBytes(f) ?? []).Trim();
        string machine = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x86_64",
            System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
            var a => a.ToString().ToLowerInvariant(),
        };
        return $"Linux {Text("sys/kernel/osrelease")} ({Text("sys/kernel/hostname")}) \t{DateTime.Now.ToString("MM/dd/yy", CultureInfo.InvariantCulture)} \t_{machine}_\t({sys.CpuCount} CPU)";
    }

    private static string Now() => DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string HeaderLine(string time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time,-8}{"UID",9} {"PID",9} {"minflt/s",9} {"majflt/s",9} {"VSZ",7} {"RSS",7} {"%MEM",6}  Command\n");

    private static string Row(string time, uint uid, int pid, FaultRates r, double vszKiB, double rssKiB, double mem, string comm) =>
        string.Create(CultureInfo.InvariantCulture, $"{time,-8}{uid,9} {pid,9} {r.MinorPerSecond,9:0.00} {r.MajorPerSecond,9:0.00} {(long)vszKiB,7} {(long)rssKiB,7} {mem,6:0.00}  {comm}\n");

    private static void Emit(CommandContext ctx, bool json, List<(Watched W, FaultRates R, ProcessStat S)> rows, SystemInfo sys, long memTotal,
        bool header, bool blankBefore, string? label, bool age, double intervalSeconds = 0)
    {
        string time = label ?? Now();
        if (json)
        {
            foreach (var (w, r, s) in rows)
            {
                long rss = sys.PagesToBytes((ulong)Math.Max(0, s.RssPages));
                using var ms = new MemoryStream();
                using (var jw = new Utf8JsonWriter(ms))
                {
                    jw.WriteStartObject();
                    jw.WriteNumber("schema", 1);
                    jw.WriteNumber("timestamp_unix_seconds", Math.Round(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, 3));
                    if (age) jw.WriteBoolean("since_start", true);
                    else jw.WriteNumber("interval_seconds", intervalSeconds);
                    jw.WriteNumber("pid", w.Pid);
                    jw.WriteNumber("uid", w.Uid);
                    jw.WriteString("comm", Encoding.UTF8.GetString(s.CommBytes));
                    jw.WriteNumber("minor_faults_per_second", Math.Round(r.MinorPerSecond, 2));
                    jw.WriteNumber("major_faults_per_second", Math.Round(r.MajorPerSecond, 2));
                    jw.WriteNumber("minor_faults", s.MinFlt);
                    jw.WriteNumber("major_faults", s.MajFlt);
                    jw.WriteNumber("vsz_bytes", s.VSize);
                    jw.WriteNumber("rss_bytes", rss);
                    jw.WriteNumber("mem_percent", memTotal > 0 ? Math.Round(rss * 100.0 / memTotal, 2) : 0);
                    jw.WriteEndObject();
                }
                ctx.Out.Write(Encoding.UTF8.GetString(ms.ToArray()));
                ctx.Out.Write('\n');
            }
            return;
        }
        var sb = new StringBuilder();
        if (blankBefore) sb.Append('\n');
        if (header) sb.Append(HeaderLine(time));
        foreach (var (w, r, s) in rows)
        {
            long rss = sys.PagesToBytes((ulong)Math.Max(0, s.RssPages));
            sb.Append(Row(time, w.Uid, w.Pid, r, s.VSize / 1024.0, rss / 1024.0, memTotal > 0 ? rss * 100.0 / memTotal : 0, ctx.Safe(s.CommBytes)));
        }
        ctx.Out.Write(sb.ToString());
    }

    private const string Help = """
        Usage: procscope pidstat -r [-p PID[,PID...] | -p ALL] [--json] [INTERVAL [COUNT]]
        Page faults per second (minflt/s, majflt/s), VSZ and RSS in KiB and %MEM of the given
        processes at each INTERVAL seconds, COUNT times (forever without COUNT), then averages.
        Without INTERVAL: the rates over each process's lifetime. --json: one NDJSON object per
        process and interval (snake_case, units in the key names).

        """;
}
