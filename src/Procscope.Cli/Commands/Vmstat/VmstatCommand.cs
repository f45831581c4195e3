using System.CommandLine;
using System.Diagnostics;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Sys;
using Procscope.Linux;

namespace Procscope.Cli.Commands.Vmstat;

/// <summary>
/// <c>procscope vmstat</c>: vmstat(8) of procps-ng 4.0.2 ([delay [count]], -a -w -t -n -y -S,
/// -s -f -d -D -p -m) plus --json (NDJSON). See docs/COMPATIBILITY-sysc.md.
/// </summary>
public static class VmstatCommand
{
    public const string Usage = """

        Usage:
         procscope vmstat [options] [delay [count]]

        Options:
         -a, --active           active/inactive memory
         -f, --forks            number of forks since boot
         -m, --slabs            slabinfo
         -n, --one-header       do not redisplay header
         -s, --stats            event counter statistics
         -d, --disk             disk statistics
         -D, --disk-sum         summarize disk statistics
         -p, --partition <dev>  partition specific statistics
         -S, --unit <char>      define display unit
         -w, --wide             wide output
         -t, --timestamp        show timestamp
         -y, --no-first         skips first line of output
             --json             one JSON object per sample (NDJSON)

         -h, --help     display this help and exit
         -V, --version  output version information and exit

        For more details see vmstat(8).

        """;

    private static readonly GetOpt Options = new(
    [
        new('a', "active"), new('f', "forks"), new('m', "slabs"), new('n', "one-header"), new('s', "stats"),
        new('d', "disk"), new('D', "disk-sum"), new('p', "partition", TakesValue: true), new('S', "unit", TakesValue: true),
        new('w', "wide"), new('t', "timestamp"), new('h', "help"), new('V', "version"), new('y', "no-first"), new(null, "json"),
    ]);

    [Flags]
    public enum Mode
    {
        Vm = 0,
        Disk = 1,
        Sum = 2,
        Slab = 4,
        Partition = 8,
        DiskSum = 16,
    }

    /// <summary>The parsed invocation, as procps's globals after main()'s option loop.</summary>
    public sealed record Settings(
        Mode Mode, bool Active, bool Wide, bool Timestamp, bool NoFirst, bool MoreHeaders, bool Json,
        ulong UnitBytes, string UnitChar, string? Partition, uint Delay, bool Infinite, ulong Count);

    public static Command Create() => ClassicCommand.Create("vmstat", "Report virtual memory statistics (procps vmstat).", Run);

    public static int Run(CommandContext ctx)
    {
        if (Parse(ctx) is not { } s) return ExitCodes.Ok;
        switch (s.Mode)
        {
            case Mode.Vm: RunVm(ctx, s); break;
            case Mode.Sum: RunStats(ctx, s); break;
            case Mode.Disk: RunDisks(ctx, s); break;
            case Mode.Partition: RunPartition(ctx, s); break;
            case Mode.Slab: RunSlabs(ctx, s); break;
            case Mode.DiskSum: RunDiskSum(ctx, s); break;
            default: throw new CliException("only one of -s, -d, -D, -p and -m can be given");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Parses vmstat's options in getopt order: -V, -h and -f act where they stand (procps exits
    /// from inside its option loop), -S is checked where it stands, then delay and count. Null
    /// when an option already did all there was to do (-V, -h, -f).
    /// </summary>
    public static Settings? Parse(CommandContext ctx)
    {
        var parsed = ClassicArgs.Parse(Options, ctx.Args);
        bool json = parsed.Options.Any(o => o.Id == "json");
        Mode mode = Mode.Vm;
        bool active = false, wide = false, timestamp = false, noFirst = false, moreHeaders = true;
        ulong unit = 1024;
        string unitChar = "K";
        string? partition = null;
        foreach (var o in parsed.Options)
        {
            switch (o.Id)
            {
                case "version":
                    ctx.Out.WriteLine(ClassicVersion.Text("vmstat"));
                    return null;
                case "help":
                    ctx.Out.Write(Usage);
                    return null;
                case "forks":
                    var stat = ReadStat(ctx);
                    ctx.Out.Write(json ? VmstatJson.Forks(stat.Processes, DateTimeOffset.UtcNow) + "\n" : VmstatFormatter.Forks(stat.Processes));
                    return null;
                case "disk": mode |= Mode.Disk; break;
                case "active": active = true; break;
                case "slabs": mode |= Mode.Slab; break;
                case "disk-sum": mode |= Mode.DiskSum; break;
                case "one-header": moreHeaders = false; break;
                case "partition":
                    mode |= Mode.Partition;
                    partition = o.Value!.StartsWith("/dev/", StringComparison.Ordinal) ? o.Value[5..] : o.Value;
                    break;
                case "unit":
                    char c = o.Value!.Length > 0 ? o.Value[0] : '\0';
                    unit = c switch
                    {
                        'b' or 'B' => 1,
                        'k' => 1000,
                        'K' => 1024,
                        'm' => 1000000,
                        'M' => 1048576,
                        _ => throw new CliException("-S requires k, K, m or M (default is KiB)"),
                    };
                    unitChar = c.ToString();
                    break;
                case "stats": mode |= Mode.Sum; break;
                case "wide": wide = true; break;
                case "timestamp": timestamp = true; break;
                case "no-first": noFirst = true; break;
            }
        }
        if (parsed.Error is not null) throw parsed.Error;

        var ops = parsed.Operands;
        uint delay = 1;
        bool infinite = false;
        ulong count = 1;
        if (ops.Count > 0)
        {
            long tmp = ClassicNumbers.StrtolOrErr(ops[0], "failed to parse argument");
            if (tmp < 1) throw new CliException("delay must be positive integer");
            if (tmp > uint.MaxValue) throw new CliException("too large delay value");
            delay = (uint)tmp;
            infinite = true;
        }
        if (ops.Count > 1)
        {
            // procps keeps the count in an unsigned long: a negative count never runs out.
            count = unchecked((ulong)ClassicNumbers.StrtolOrErr(ops[1], "failed to parse argument"));
            infinite = false;
        }
        if (ops.Count > 2) throw new CliException($"unexpected argument '{ops[2]}'");
        return new Settings(mode, active, wide, timestamp, noFirst, moreHeaders, json, unit, unitChar, partition, delay, infinite, count);
    }

    // ---- default mode ----

    private static void RunVm(CommandContext ctx, Settings s)
    {
        var sys = SystemInfoOf(ctx);
        uint height = s.MoreHeaders ? VmstatFormatter.HeaderHeight(Terminal.Rows(1)) : 0;
        var clock = new Pacer(s.Delay);
        ulong count = s.Count;

        var prev = ReadSample(ctx);
        if (!s.Json) ctx.Out.Write(VmstatFormatter.VmHeader(s.Wide, s.Active, s.Timestamp ? Zone() : null));
        if (!s.NoFirst)
        {
            if (s.Json) ctx.Out.Write(VmstatJson.Sample(prev, VmstatRates.Since(prev, sys.PageSizeBytes), DateTimeOffset.UtcNow) + "\n");
            else ctx.Out.Write(VmstatFormatter.VmLine(VmstatMath.SinceBoot(prev, sys.TicksPerSecond, sys.PageSizeBytes, s.UnitBytes, s.Active), s.Wide, Stamp(s)));
        }
        else
        {
            count++;
        }
        SampleOutput.Flush(ctx);

        for (ulong i = 1; s.Infinite || i < count; i++)
        {
            clock.WaitFor(i);
            if (!s.Json && s.MoreHeaders && VmstatFormatter.HeaderBefore(i, height))
                ctx.Out.Write(VmstatFormatter.VmHeader(s.Wide, s.Active, s.Timestamp ? Zone() : null));
            var cur = ReadSample(ctx);
            if (s.Json) ctx.Out.Write(VmstatJson.Sample(cur, VmstatRates.Between(prev, cur, sys.PageSizeBytes), DateTimeOffset.UtcNow) + "\n");
            else ctx.Out.Write(VmstatFormatter.VmLine(VmstatMath.Between(prev, cur, s.Delay, sys.PageSizeBytes, s.UnitBytes, s.Active), s.Wide, Stamp(s)));
            SampleOutput.Flush(ctx);
            prev = cur;
        }
    }

    private static VmstatSample ReadSample(CommandContext ctx)
    {
        var stat = ReadStat(ctx);
        var vm = ProcReads.Read<VmStat>(ctx.ProcFs, "vmstat", p => $"Unable to create vmstat structure: {p} does not exist");
        var mem = ProcReads.Read<MemInfo>(ctx.ProcFs, "meminfo", p => $"Unable to create meminfo structure: {p} does not exist");
        var up = ProcReads.Read<Core.Sys.Uptime>(ctx.ProcFs, "uptime", p => $"Unable to get uptime: {p} does not exist");
        return VmstatSample.From(stat, vm, mem, up.UptimeSeconds, Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
    }

    // ---- -s ----

    private static void RunStats(CommandContext ctx, Settings s)
    {
        var stat = ReadStat(ctx);
        var vm = ProcReads.Read<VmStat>(ctx.ProcFs, "vmstat", p => $"Unable to create vmstat structure: {p} does not exist");
        var mem = ProcReads.Read<MemInfo>(ctx.ProcFs, "meminfo", p => $"Unable to create meminfo structure: {p} does not exist");
        if (s.Json) ctx.Out.Write(VmstatJson.Stats(mem, stat, vm, SystemInfoOf(ctx), DateTimeOffset.UtcNow) + "\n");
        else ctx.Out.Write(VmstatFormatter.Stats(mem, stat, vm, s.UnitBytes, s.UnitChar));
    }

    // ---- -d, -D, -p ----

    private static void RunDisks(CommandContext ctx, Settings s)
    {
        uint height = s.MoreHeaders ? VmstatFormatter.HeaderHeight(Terminal.Rows(1)) : 0;
        var isDisk = DiskPredicate(ctx);
        var clock = new Pacer(s.Delay);
        if (!s.Json && !s.MoreHeaders) ctx.Out.Write(VmstatFormatter.DiskHeader(s.Wide, s.Timestamp ? Zone() : null));
        for (ulong i = 0; s.Infinite || i < s.Count; i++)
        {
            if (i > 0) clock.WaitFor(i);
            var stats = ReadDisks(ctx);
            if (s.Json)
            {
                ctx.Out.Write(VmstatJson.Disks(stats.Disks.Where(d => isDisk(d.Name)), DateTimeOffset.UtcNow) + "\n");
            }
            else
            {
                string? stamp = Stamp(s);
                for (int j = 0; j < stats.Disks.Count; j++)
                {
                    var d = stats.Disks[j];
                    if (!isDisk(d.Name)) continue;
                    // procps counts j over every device, partitions included.
                    if (s.MoreHeaders && j % height == 0) ctx.Out.Write(VmstatFormatter.DiskHeader(s.Wide, s.Timestamp ? Zone() : null));
                    ctx.Out.Write(VmstatFormatter.DiskLine(d, s.Wide, stamp));
                }
            }
            SampleOutput.Flush(ctx);
        }
    }

    private static void RunDiskSum(CommandContext ctx, Settings s)
    {
        var stats = ReadDisks(ctx);
        var isDisk = DiskPredicate(ctx);
        ctx.Out.Write(s.Json ? VmstatJson.DiskSum(stats.Disks, isDisk, DateTimeOffset.UtcNow) + "\n" : VmstatFormatter.DiskSum(stats.Disks, isDisk));
    }

    private static void RunPartition(CommandContext ctx, Settings s)
    {
        string name = s.Partition!;
        DiskStat Find() => ReadDisks(ctx).Disks.FirstOrDefault(d => d.Name == name) ?? throw new CliException($"Disk/Partition {name} not found");
        var first = Find();
        if (!s.Json) ctx.Out.Write(VmstatFormatter.PartitionHeader(name));
        var clock = new Pacer(s.Delay);
        for (ulong i = 0; s.Infinite || i < s.Count; i++)
        {
            var d = i == 0 ? first : Find();
            ctx.Out.Write(s.Json ? VmstatJson.Partition(d, DateTimeOffset.UtcNow) + "\n" : VmstatFormatter.PartitionLine(d));
            SampleOutput.Flush(ctx);
            if (s.Infinite || i + 1 < s.Count) clock.WaitFor(i + 1);
        }
    }

    private static DiskStats ReadDisks(CommandContext ctx) =>
        ProcReads.Read<DiskStats>(ctx.ProcFs, "diskstats", p => $"Unable to retrieve disk statistics: {p} does not exist");

    private static Func<string, bool> DiskPredicate(CommandContext ctx)
    {
        var disks = SystemFiles.TryListBlockDisks(ctx.ProcFs);
        return name => disks is null || disks.Contains(name);
    }

    // ---- -m ----

    private static void RunSlabs(CommandContext ctx, Settings s)
    {
        uint height = s.MoreHeaders ? VmstatFormatter.HeaderHeight(Terminal.Rows(1)) : 0;
        var clock = new Pacer(s.Delay);
        if (!s.Json && !s.MoreHeaders) ctx.Out.Write(VmstatFormatter.SlabHeader);
        for (ulong i = 0; s.Infinite || i < s.Count; i++)
        {
            if (i > 0) clock.WaitFor(i);
            SlabInfo slabs;
            try
            {
                slabs = ctx.ProcFs.Read<SlabInfo>("slabinfo");
            }
            catch (IOException e)
            {
                throw new CliException($"Unable to create slabinfo structure: {e.Message}");
            }
            var sorted = VmstatFormatter.SortSlabs(slabs.Caches);
            if (s.Json)
            {
                ctx.Out.Write(VmstatJson.Slabs(sorted, DateTimeOffset.UtcNow) + "\n");
            }
            else
            {
                for (int j = 0; j < sorted.Count; j++)
                {
                    if (s.MoreHeaders && j % height == 0) ctx.Out.Write(VmstatFormatter.SlabHeader);
                    ctx.Out.Write(VmstatFormatter.SlabLine(sorted[j]));
                }
            }
            SampleOutput.Flush(ctx);
        }
    }

    // ---- shared ----

    private static KernelStat ReadStat(CommandContext ctx) =>
        ProcReads.Read<KernelStat>(ctx.ProcFs, "stat", p => $"Unable to create system stat structure: {p} does not exist");

    private static SystemInfo SystemInfoOf(CommandContext ctx)
    {
        try
        {
            return ctx.ProcFs.GetSystemInfo();
        }
        catch (IOException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static string? Stamp(Settings s) => s.Timestamp ? LocalClock.Format(LocalClock.NowUnixSeconds(), "%Y-%m-%d %H:%M:%S") : null;

    private static string Zone() => LocalClock.Format(LocalClock.NowUnixSeconds(), "%Z");

    /// <summary>
    /// Sleeps until sample <c>i</c> is due at start + i × delay. procps sleeps delay seconds after
    /// each line, so its lines drift by the time each takes; this keeps the schedule instead (the
    /// text still divides by the nominal delay, as procps does).
    /// </summary>
    private sealed class Pacer(uint delaySeconds)
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public void WaitFor(ulong i)
        {
            double due = i * (double)delaySeconds;
            double now = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            if (due > now) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(due - now, int.MaxValue / 1000.0)));
        }
    }
}
