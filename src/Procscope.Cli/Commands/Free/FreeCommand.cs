using System.CommandLine;
using System.Text.Json;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Free;

/// <summary>
/// <c>procscope free</c>: free(1) of procps-ng 4.0.2, option for option (plus -L from 4.0.3 and
/// --json). See docs/COMPATIBILITY-sysc.md.
/// </summary>
public static class FreeCommand
{
    public const string Usage = """

        Usage:
         procscope free [options]

        Options:
         -b, --bytes         show output in bytes
             --kilo          show output in kilobytes
             --mega          show output in megabytes
             --giga          show output in gigabytes
             --tera          show output in terabytes
             --peta          show output in petabytes
         -k, --kibi          show output in kibibytes
         -m, --mebi          show output in mebibytes
         -g, --gibi          show output in gibibytes
             --tebi          show output in tebibytes
             --pebi          show output in pebibytes
         -h, --human         show human-readable output
             --si            use powers of 1000 not 1024
         -l, --lohi          show detailed low and high memory statistics
         -L, --line          show output on a single line
         -t, --total         show total for RAM + swap
         -v, --committed     show committed memory and commit limit
         -s N, --seconds N   repeat printing every N seconds
         -c N, --count N     repeat printing N times, then exit
         -w, --wide          wide output
             --json          one JSON object per sample (bytes), NDJSON with -s/-c

             --help     display this help and exit
         -V, --version  output version information and exit

        For more details see free(1).

        """;

    private static readonly GetOpt Options = new(
    [
        new('b', "bytes"), new(null, "kilo"), new(null, "mega"), new(null, "giga"), new(null, "tera"), new(null, "peta"),
        new('k', "kibi"), new('m', "mebi"), new('g', "gibi"), new(null, "tebi"), new(null, "pebi"),
        new('h', "human"), new(null, "si"), new('l', "lohi"), new('L', "line"), new('t', "total"), new('v', "committed"),
        new('s', "seconds", TakesValue: true), new('c', "count", TakesValue: true), new('w', "wide"),
        new(null, "help"), new('V', "version"), new(null, "json"),
    ]);

    public static Command Create() => ClassicCommand.Create("free", "Display amount of free and used memory in the system (procps free).", Run);

    /// <summary>The parsed invocation.</summary>
    public sealed record Settings(FreeLayout Layout, bool Json, bool Repeat, double IntervalSeconds, int? Count);

    public static int Run(CommandContext ctx)
    {
        var settings = Parse(ctx.Args, ctx.Out, out bool exitNow);
        if (exitNow) return ExitCodes.Ok;

        int? remaining = settings.Count;
        while (true)
        {
            var mem = ProcReads.Read<MemInfo>(ctx.ProcFs, "meminfo", path => $"Memory information file {path} does not exist");
            var usage = MemoryUsage.From(mem);
            if (settings.Json) ctx.Out.Write(Json(usage, DateTimeOffset.UtcNow) + "\n");
            else ctx.Out.Write(FreeFormatter.Render(usage, settings.Layout));
            SampleOutput.Flush(ctx);
            if (remaining is not null && --remaining < 1) return ExitCodes.Ok;
            if (!settings.Repeat) return ExitCodes.Ok;
            // procps prints a blank line after every repeated sample but the last; -L lines are
            // already separated by it (procps 4.0.3 leaves the line's own newline to this one).
            if (!settings.Json && !settings.Layout.Line) ctx.Out.Write('\n');
            SampleOutput.Flush(ctx);
            Thread.Sleep(TimeSpan.FromMicroseconds(Math.Min(settings.IntervalSeconds * 1e6, int.MaxValue * 1000.0)));
        }
    }

    /// <summary>Parses free's options in getopt order; prints --help/-V itself (then <paramref name="exitNow"/>).</summary>
    public static Settings Parse(IReadOnlyList<string> args, TextWriter output, out bool exitNow)
    {
        exitNow = false;
        var parsed = ClassicArgs.Parse(Options, args);
        int exponent = 0;
        bool unitSet = false, si = false, human = false, lohi = false, total = false, committed = false, wide = false, line = false, json = false;
        bool repeat = false;
        double interval = 1;
        int? count = null;

        void Unit(int e, bool siUnit = false)
        {
            if (unitSet) throw new CliException("Multiple unit options don't make sense.");
            unitSet = true;
            exponent = e;
            if (siUnit) si = true;
        }

        foreach (var o in parsed.Options)
        {
            switch (o.Id)
            {
                case "bytes": Unit(1); break;
                case "kibi": Unit(2); break;
                case "mebi": Unit(3); break;
                case "gibi": Unit(4); break;
                case "tebi": Unit(5); break;
                case "pebi": Unit(6); break;
                case "kilo": Unit(2, true); break;
                case "mega": Unit(3, true); break;
                case "giga": Unit(4, true); break;
                case "tera": Unit(5, true); break;
                case "peta": Unit(6, true); break;
                case "human": human = true; break;
                case "si": si = true; break;
                case "lohi": lohi = true; break;
                case "line": line = true; break;
                case "total": total = true; break;
                case "committed": committed = true; break;
                case "wide": wide = true; break;
                case "json": json = true; break;
                case "seconds":
                    repeat = true;
                    interval = ClassicNumbers.StrtodNolOrErr(o.Value!, "seconds argument failed");
                    // procps keeps microseconds in a float and rejects less than one.
                    if ((float)(1000000 * interval) < 1) throw new CliException($"seconds argument `{o.Value}' is not positive number");
                    break;
                case "count":
                    repeat = true;
                    long n = ClassicNumbers.StrtolOrErr(o.Value!, "failed to parse count argument");
                    // procps stores the count in an int; anything that does not stay positive is out of range.
                    if (unchecked((int)n) < 1) throw new CliException($"failed to parse count argument: '{o.Value}': {ClassicNumbers.ERange}");
                    count = unchecked((int)n);
                    break;
                case "help":
                    output.Write(Usage);
                    exitNow = true;
                    return Default();
                case "version":
                    output.WriteLine(ClassicVersion.Text("free"));
                    exitNow = true;
                    return Default();
            }
        }
        if (parsed.Error is not null) throw parsed.Error;
        if (parsed.Operands.Count > 0) throw new CliException($"unexpected argument '{parsed.Operands[0]}'");
        var layout = new FreeLayout(new FreeScale(exponent, si, human), wide, lohi, total, committed, line);
        return new Settings(layout, json, repeat, interval, count);
    }

    private static Settings Default() => new(new FreeLayout(new FreeScale()), false, false, 1, null);

    /// <summary>One sample as a JSON object; every value in bytes whatever the display options.</summary>
    public static string Json(MemoryUsage u, DateTimeOffset now) => ClassicJson.Line(w =>
    {
        w.WriteString("schema", "procscope.free/1");
        w.WriteString("timestamp", ClassicJson.Timestamp(now));
        w.WriteStartObject("mem");
        w.WriteNumber("total_bytes", u.TotalBytes);
        w.WriteNumber("used_bytes", u.UsedBytes);
        w.WriteNumber("free_bytes", u.FreeBytes);
        w.WriteNumber("shared_bytes", u.SharedBytes);
        w.WriteNumber("buffers_bytes", u.BuffersBytes);
        w.WriteNumber("cache_bytes", u.CacheBytes);
        w.WriteNumber("buff_cache_bytes", u.BuffCacheBytes);
        w.WriteNumber("available_bytes", u.AvailableBytes);
        w.WriteEndObject();
        Triple(w, "low", u.LowTotalBytes, u.LowUsedBytes, u.LowFreeBytes);
        Triple(w, "high", u.HighTotalBytes, u.HighUsedBytes, u.HighFreeBytes);
        Triple(w, "swap", u.SwapTotalBytes, u.SwapUsedBytes, u.SwapFreeBytes);
        w.WriteStartObject("commit");
        w.WriteNumber("limit_bytes", u.CommitLimitBytes);
        w.WriteNumber("committed_bytes", u.CommittedAsBytes);
        w.WriteNumber("free_bytes", u.CommitFreeBytes);
        w.WriteEndObject();
    });

    private static void Triple(Utf8JsonWriter w, string name, long total, long used, long free)
    {
        w.WriteStartObject(name);
        w.WriteNumber("total_bytes", total);
        w.WriteNumber("used_bytes", used);
        w.WriteNumber("free_bytes", free);
        w.WriteEndObject();
    }
}
