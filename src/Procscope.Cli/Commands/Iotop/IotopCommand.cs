using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Classic;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Infrastructure;
using Procscope.Linux;
using Procscope.Linux.Taskstats;
using Procscope.Linux.Tty;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>
/// <c>procscope iotop</c>: iotop 0.6 (interactive and -b, -n -d -o -P -a -k -t -q -p -u) with
/// read/write system calls per second, totals, any sort column and --json. SWAPIN and IO come from
/// taskstats delay accounting, and say so when they cannot be measured. See docs/COMPATIBILITY-iotop.md.
/// </summary>
public static class IotopCommand
{
    public static Command Create() => ClassicCommand.Create("iotop", "Per-thread disk I/O, system calls and I/O wait (iotop).", Run);

    public static int Run(CommandContext ctx)
    {
        var s = IotopSettings.Parse(ctx.Args);
        if (s.Help)
        {
            ctx.Out.Write(IotopSettings.Usage);
            return ExitCodes.Ok;
        }
        if (s.Version)
        {
            var v = typeof(IotopCommand).Assembly.GetName().Version;
            ctx.Out.WriteLine($"iotop from procscope {v?.ToString(3) ?? "0.0.0"} (iotop 0.6 compatible)");
            return ExitCodes.Ok;
        }
        using var collector = new IotopCollector(ctx.ProcFs, !s.NoTaskstats, ctx.Console.Utf8Locale);
        bool restore = false;
        if (s.EnableDelayAccounting) restore = Enable(ctx, collector);
        try
        {
            bool interactive = !s.Batch && TerminalDevice.IsTerminal(0) && TerminalDevice.IsTerminal(1);
            return interactive && !OperatingSystem.IsWindows() ? new IotopInteractive(ctx, collector, s).Run() : Batch(ctx, collector, s);
        }
        finally
        {
            if (restore) Restore(ctx, collector);
        }
    }

    /// <summary>--enable-delay-accounting: sets the sysctl, says so on stderr, and returns whether it must be set back.</summary>
    private static bool Enable(CommandContext ctx, IotopCollector c)
    {
        if (c.Sysctl is null)
        {
            ctx.Console.Error.WriteLine("procscope iotop: this kernel has no kernel.task_delayacct (delay accounting is always on or not built in); nothing changed");
            return false;
        }
        if (c.Sysctl == true)
        {
            ctx.Console.Error.WriteLine("procscope iotop: kernel.task_delayacct is already 1; nothing changed");
            return false;
        }
        int err = DelayAccounting.Write(ctx.ProcFs, true);
        if (err != 0)
        {
            throw new CliException($"--enable-delay-accounting: cannot write {DelayAccounting.SysctlPath}: {Marshal.GetPInvokeErrorMessage(err)} (needs root); nothing changed", 1);
        }
        c.EnabledByUs = true;
        c.EnabledAtUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        ctx.Console.Error.WriteLine("procscope iotop: changed a system setting: kernel.task_delayacct 0 -> 1 (set back to 0 when iotop exits)");
        ctx.Console.Error.Flush();
        return true;
    }

    private static void Restore(CommandContext ctx, IotopCollector c)
    {
        int err = DelayAccounting.Write(ctx.ProcFs, false);
        ctx.Console.Error.WriteLine(err == 0
            ? "procscope iotop: restored kernel.task_delayacct to 0"
            : $"procscope iotop: could not restore kernel.task_delayacct to 0: {Marshal.GetPInvokeErrorMessage(err)}; run: sysctl kernel.task_delayacct=0");
        ctx.Console.Error.Flush();
    }

    /// <summary>The line under the totals: where the numbers come from and what SWAPIN/IO can show.</summary>
    public static string DelayLine(IotopCollector c)
    {
        var sb = new StringBuilder();
        if (c.Sampler.Source == TaskIoSource.ProcIo)
        {
            sb.Append("Source: /proc/[pid]/io (").Append(c.Sampler.TaskstatsUnavailableReason).Append("): SWAPIN and IO n/a");
            if (c.Sampler.DeniedCount > 0) sb.Append("; ").Append(c.Sampler.DeniedCount).Append(" tasks of other users unreadable (-)");
            return sb.ToString();
        }
        sb.Append("Delay accounting: ");
        if (c.Sysctl is null) sb.Append("on (no kernel.task_delayacct switch on this kernel)");
        else if (c.Sysctl == false) sb.Append("OFF (kernel.task_delayacct = 0): SWAPIN and IO are not measured; --enable-delay-accounting (root) turns it on");
        else if (c.OnSinceBoot) sb.Append("on since boot (delayacct)");
        else if (c.EnabledByUs) sb.Append("turned on by procscope at ").Append(Clock(c.EnabledAtUnixSeconds!.Value)).Append(" (set back to 0 on exit); tasks started before: not tracked");
        else if (c.EnabledAtUnixSeconds is { } at) sb.Append("turned on at ").Append(Clock(at)).Append("; tasks started before: not tracked");
        else sb.Append("on; tasks started while it was off and never delayed: not tracked");
        return sb.ToString();
    }

    private static string Clock(long unix) => LocalClock.Format(unix, "%H:%M:%S");

    private static int Batch(CommandContext ctx, IotopCollector c, IotopSettings s)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext sc)
        {
            sc.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // SIGHUP too: --enable-delay-accounting must set the sysctl back when the terminal goes away.
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        c.Prime(s);
        long start = Environment.TickCount64;
        for (long i = 1; s.Iterations is null || i <= s.Iterations; i++)
        {
            long wait = start + (long)(i * s.DelaySeconds * 1000) - Environment.TickCount64;
            if (wait > 0 && stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait))) break;
            var f = c.Collect(s);
            if (s.Json)
            {
                ctx.Out.Write(IotopJson.Frame(f, s, c));
                ctx.Out.Write('\n');
            }
            else
            {
                var sb = new StringBuilder(4096);
                string? time = s.Time ? LocalClock.Format(LocalClock.NowUnixSeconds(), "%H:%M:%S") : null;
                if (s.Quiet < 3)
                    foreach (var line in IotopRender.Summary(f, s, DelayLine(c)))
                        (time is null ? sb : sb.Append(time).Append(' ')).Append(line).Append('\n');
                if (s.Quiet == 0 || (s.Quiet == 1 && i == 1)) sb.Append(IotopRender.Header(s, null, false)).Append('\n');
                foreach (var r in f.Rows) sb.Append(IotopRender.Row(r, s, time)).Append('\n');
                ctx.Out.Write(sb.ToString());
            }
            SampleOutput.Flush(ctx);
            if (stop.IsCancellationRequested) break;
        }
        return ExitCodes.Ok;
    }
}
