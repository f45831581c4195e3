using System.CommandLine;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Sys;
using Procscope.Linux;

namespace Procscope.Cli.Commands.Uptime;

/// <summary>
/// <c>procscope uptime</c>: uptime(1) of procps-ng 4.0.2 (-p, -s, -h, -V) plus --json. Users are
/// counted from utmp as procps 4.0.2 does (it predates the systemd-logind count of 4.0.3).
/// </summary>
public static class UptimeCommand
{
    public const string Usage = """

        Usage:
         procscope uptime [options]

        Options:
         -p, --pretty   show uptime in pretty format
         -h, --help     display this help and exit
         -s, --since    system up since
             --json     print one JSON object
         -V, --version  output version information and exit

        For more details see uptime(1).

        """;

    private static readonly GetOpt Options = new(
    [
        new('p', "pretty"), new('h', "help"), new('s', "since"), new('V', "version"), new(null, "json"),
    ]);

    public static Command Create() => ClassicCommand.Create("uptime", "Tell how long the system has been running (procps uptime).", Run);

    public static int Run(CommandContext ctx)
    {
        var parsed = ClassicArgs.Parse(Options, ctx.Args);
        bool json = parsed.Options.Any(o => o.Id == "json");
        bool pretty = false;
        foreach (var o in parsed.Options)
        {
            switch (o.Id)
            {
                case "pretty": pretty = true; break;
                case "help": ctx.Out.Write(Usage); return ExitCodes.Ok;
                case "version": ctx.Out.WriteLine(ClassicVersion.Text("uptime")); return ExitCodes.Ok;
                case "since":
                    if (json) break;
                    // procps prints the boot time as soon as it meets -s.
                    var up = ReadUptime(ctx);
                    long since = UptimeFormatter.SinceUnixSeconds(NowUnixSeconds(), up.UptimeSeconds);
                    ctx.Out.WriteLine(LocalClock.Format(since, "%Y-%m-%d %H:%M:%S"));
                    return ExitCodes.Ok;
            }
        }
        if (parsed.Error is not null) throw parsed.Error;
        if (parsed.Operands.Count > 0) throw new CliException($"unexpected argument '{parsed.Operands[0]}'");

        if (pretty && !json)
        {
            ctx.Out.WriteLine(UptimeFormatter.Pretty(ReadUptime(ctx).UptimeSeconds));
            return ExitCodes.Ok;
        }

        long now = LocalClock.NowUnixSeconds();
        var uptime = ReadUptime(ctx);
        int users = CountUsers(ctx);
        var load = ProcReads.Read<LoadAvg>(ctx.ProcFs, "loadavg");
        if (json)
        {
            double nowPrecise = NowUnixSeconds();
            long boot = UptimeFormatter.SinceUnixSeconds(nowPrecise, uptime.UptimeSeconds);
            ctx.Out.Write(ClassicJson.Line(w =>
            {
                w.WriteString("schema", "procscope.uptime/1");
                w.WriteString("timestamp", ClassicJson.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds((long)(nowPrecise * 1000))));
                w.WriteNumber("uptime_seconds", uptime.UptimeSeconds);
                w.WriteNumber("idle_seconds", uptime.IdleSeconds);
                w.WriteString("boot_time", ClassicJson.Timestamp(DateTimeOffset.FromUnixTimeSeconds(boot)));
                w.WriteString("pretty", UptimeFormatter.Pretty(uptime.UptimeSeconds));
                w.WriteNumber("users", users);
                w.WriteNumber("load1", load.Load1);
                w.WriteNumber("load5", load.Load5);
                w.WriteNumber("load15", load.Load15);
                w.WriteNumber("runnable_tasks", load.RunnableEntities);
                w.WriteNumber("total_tasks", load.TotalEntities);
            }) + "\n");
            return ExitCodes.Ok;
        }
        var t = LocalClock.ToLocal(now);
        ctx.Out.WriteLine(UptimeFormatter.Default(t.Hour, t.Minute, t.Second, uptime.UptimeSeconds, users, load.Load1, load.Load5, load.Load15));
        return ExitCodes.Ok;
    }

    private static Core.Sys.Uptime ReadUptime(CommandContext ctx) =>
        ProcReads.Read<Core.Sys.Uptime>(ctx.ProcFs, "uptime", _ => "Cannot get system uptime");

    /// <summary>USER_PROCESS records in utmp; 0 when there is no utmp file (procps: setutent fails, no records).</summary>
    private static int CountUsers(CommandContext ctx)
    {
        var bytes = SystemFiles.TryReadUtmp(ctx.ProcFs);
        return bytes is null ? 0 : Utmp.Parse(bytes).CountUsers();
    }

    private static double NowUnixSeconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
