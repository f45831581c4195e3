using System.CommandLine;
using System.Globalization;
using System.Text;
using Procscope.Cli.Infrastructure;
using Procscope.Linux;
using Procscope.Linux.Tty;

namespace Procscope.Cli.Commands.Top;

/// <summary>`procscope top` (and `procscope` with no arguments): the live process view.</summary>
public static class TopCommand
{
    public const string Usage = """
        Usage:
         procscope top [options]

        Options:
         -b, --batch            batch mode: plain frames in top -b's layout (also when not on a terminal)
         -d, --delay SECS       refresh delay (default 3.0)
         -n, --iterations N     stop after N refreshes
         -p, --pid PID[,PID...] only these processes (repeatable, no limit)
         -u, -U, --user USER    only processes of this user (name or uid)
         -H, --threads          one row per thread
         -o, --sort-override F  sort by field F (%CPU, %MEM, TIME+, PID, RES ...; -F for ascending)
         -c                     full command lines
         -i                     hide idle processes
         -w, --width [COLS]     output width in batch mode (512 without a value)
             --json             one NDJSON object per refresh (summary and rows)
             --no-color         no colours (also NO_COLOR)
         -h, --help             this help

        Keys in the interactive view: press ? or h.
        Settings (W) are saved to $XDG_CONFIG_HOME/procscope/toprc (default ~/.config/procscope/toprc).
        """;

    private static readonly GetOpt Parser = new([
        new('b', "batch"),
        new('d', "delay", TakesValue: true),
        new('n', "iterations", TakesValue: true),
        new('p', "pid", TakesValue: true),
        new('u', "user", TakesValue: true),
        new('U', null, TakesValue: true, Key: "user"),
        new('H', "threads"),
        new('o', "sort-override", TakesValue: true),
        new('c', null),
        new('i', null),
        new('w', "width", TakesValue: true, OptionalValue: true),
        new(null, "json"),
        new('h', "help"),
        new('1', null),
    ]);

    public static Command Create(ICliConsole? console = null) =>
        ClassicCommand.Create("top", "Live process view (top): summary, sortable process table, rewind.", ctx => Run(ctx), console);

    public static int Run(CommandContext ctx)
    {
        var opts = Parser.Parse(JoinWidth(ctx.Args));
        if (opts.Has("help"))
        {
            ctx.Out.Write(Usage.Replace("\r", "") + "\n");
            return 0;
        }
        if (opts.Operands.Count > 0) throw new CliException($"unexpected argument '{opts.Operands[0]}'");
        var settings = new TopSettings();
        settings.Load(ctx.Console.GetEnvironmentVariable);
        int? iterations = null;
        int? width = null;
        List<int>? pids = null;
        foreach (var o in opts.Options)
        {
            switch (o.Id)
            {
                case "delay":
                    if (!double.TryParse(o.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0 || double.IsNaN(d) || d > 1e6)
                        throw new CliException($"bad delay interval '{o.Value}'");
                    settings.DelaySeconds = d;
                    break;
                case "iterations":
                    if (!int.TryParse(o.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                        throw new CliException($"bad iterations argument '{o.Value}'");
                    iterations = n;
                    break;
                case "pid":
                    pids ??= [];
                    foreach (var part in o.Value!.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid < 1)
                            throw new CliException($"bad pid '{part}'");
                        if (!pids.Contains(pid)) pids.Add(pid);
                    }
                    break;
                case "user":
                    if (!UserDatabase.TryGetUid(o.Value!, out var uid)) throw new CliException($"bad user name '{o.Value}'");
                    settings.UserFilter = uid;
                    settings.UserFilterText = o.Value;
                    break;
                case "threads": settings.Threads = true; break;
                case "sort-override":
                {
                    var v = o.Value!;
                    bool asc = v.StartsWith('-');
                    var name = v.TrimStart('+', '-');
                    if (!TopColumn.TryFind(name, out var f)) throw new CliException($"unrecognized field name '{name}'");
                    settings.SortField = f;
                    settings.SortDescending = !asc;
                    break;
                }
                case "c": settings.FullCommand = true; break;
                case "i": settings.ShowIdle = false; break;
                case "1": settings.PerCpu = !settings.PerCpu; break;
                case "width":
                    if (o.Value is null) width = 512;
                    else if (!int.TryParse(o.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var w) || w < 1)
                        throw new CliException($"bad width arg '{o.Value}'");
                    else width = Math.Min(w, 512);
                    break;
            }
        }
        bool json = opts.Has("json");
        bool batch = opts.Has("batch") || json || !ctx.Console.IsOutputTerminal || !TerminalDevice.IsTerminal(0);
        // One kept descriptor per process (stat, statm) needs more than the usual 1,024.
        // (131,072: two files each for 65,000 processes; root may go above the hard limit.)
        if (ctx.ProcFs.IsLive) ResourceLimits.RaiseOpenFilesLimit(1 << 17);
        using var collector = new TopCollector(ctx.ProcFs, ctx.Console.Utf8Locale, pids);
        if (!batch)
            return OperatingSystem.IsWindows() ? 1 : new TopInteractive(ctx, collector, settings, iterations).Run();

        collector.ReuseRows = true; // each frame is printed and dropped
        collector.ReadCommandLines = json || settings.FullCommand;
        int cols = width ?? ctx.Console.Width ?? 80;
        long hz = collector.System.TicksPerSecond;
        // The first frame's %CPU needs an interval: seed the table, wait briefly (top does the same).
        collector.Collect(settings, 0, 0);
        MemoryBudget.AfterFirstRefresh();
        Thread.Sleep(ctx.ProcFs.IsLive ? 200 : 0);
        for (int i = 0; iterations is null || i < iterations; i++)
        {
            if (i > 0) Sleep(settings.DelaySeconds);
            var frame = collector.Collect(settings, 0, int.MaxValue);
            if (json)
            {
                var ms = new MemoryStream();
                TopJson.Write(frame, settings, hz, ms);
                ctx.Out.Write(Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length));
            }
            else
            {
                if (i > 0) ctx.Out.Write('\n');
                TopRenderer.Batch(frame, settings, cols, hz, ctx.Out);
            }
            ctx.Out.Flush();
            MemoryBudget.AfterRefresh(frame.Tasks.Total);
        }
        if (collector.FormatErrorSummary is { } bug) ctx.Console.Error.WriteLine("procscope top: " + bug);
        return 0;
    }

    /// <summary>top accepts "-w 120" although the width is optional: a number after a lone -w is its value.</summary>
    private static List<string> JoinWidth(IReadOnlyList<string> args)
    {
        var result = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            if ((args[i] == "-w" || args[i] == "--width") && i + 1 < args.Count && args[i + 1].Length > 0 && args[i + 1].All(char.IsAsciiDigit))
            {
                result.Add(args[i] == "-w" ? "-w" + args[i + 1] : "--width=" + args[i + 1]);
                i++;
                continue;
            }
            result.Add(args[i]);
        }
        return result;
    }

    private static void Sleep(double seconds)
    {
        if (seconds > 0) Thread.Sleep(TimeSpan.FromSeconds(seconds));
    }
}
