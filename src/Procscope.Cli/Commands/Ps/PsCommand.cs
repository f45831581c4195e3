using System.CommandLine;
using System.Globalization;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Ps;

/// <summary>
/// procscope ps: procps-ng 4.0.2's ps, option for option and column for column (see
/// docs/COMPATIBILITY.md), reading only the /proc files the chosen columns need, on all cores.
/// </summary>
public static class PsCommand
{
    public static Command Create() =>
        ClassicCommand.Create("ps", "report a snapshot of the current processes (procps-ng compatible; --json)", Run);

    internal static int Run(CommandContext ctx)
    {
        var fs = ctx.ProcFs;
        var console = ctx.Console;
        var ownStat = fs.IsLive ? SafeRead<ProcessStat>(fs, "self/stat") : null;
        var (cols, rows) = ScreenSize(console);
        var env = new PsParseEnvironment
        {
            OwnTty = ownStat?.TtyNr ?? 0,
            ScreenCols = cols,
            ScreenRows = rows,
            PidLength = PidLength(fs),
            Env = console.GetEnvironmentVariable,
        };
        var o = PsParser.Parse(ctx.Args, env, out var warnings);
        foreach (var w in warnings) console.Error.WriteLine(w);
        switch (o.Action)
        {
            case PsAction.Help:
                ctx.Out.Write(PsHelp.Text(o.HelpTopic));
                return ExitCodes.Ok;
            case PsAction.Version:
                ctx.Out.WriteLine(PsHelp.Version);
                return ExitCodes.Ok;
            case PsAction.ListSpecifiers:
                foreach (var f in PsFields.All.OrderBy(f => f.Spec, StringComparer.Ordinal))
                    if (f.Render != R.Nop) ctx.Out.WriteLine($"{Fit(f.Spec, 12)} {Fit(f.Header, 8)}");
                return ExitCodes.Ok;
        }

        // What the chosen columns, keys and selections need from each process.
        var fields = ProcessFields.Stat;
        var extras = PsExtraFields.None;
        var globals = PsGlobalNeeds.None;
        foreach (var col in o.Columns)
        {
            if (col.Field is not { } f) continue;
            fields |= PsRender.Needs(f.Render, o);
            extras |= PsRender.Extras(f.Render, o);
            globals |= PsRender.Globals(f.Render);
        }
        foreach (var s in o.Sort)
        {
            fields |= PsSort.Needs(s.Field.Sort);
            globals |= PsSort.Globals(s.Field.Sort);
        }
        if (!o.AllProcesses)
        {
            if (o.SimpleSelect != SimpleSelect.None || o.Selections.Count == 0) fields |= ProcessFields.Status;
            foreach (var sel in o.Selections)
                if (sel.Type is SelectionType.Ruid or SelectionType.Euid or SelectionType.Rgid or SelectionType.Egid) fields |= ProcessFields.Status;
        }

        bool fancy = o.ForestType != '\0' || o.Sort.Count > 0;
        bool threads = fancy
            ? (o.Threads & ThreadFlags.LooseTasks) != 0
            : (o.Threads & (ThreadFlags.ShowTask | ThreadFlags.LooseTasks)) != 0;

        // ps -p/-q alone: read only those processes (a thread id is not a process: checked below).
        int[]? onlyPids = null;
        if (!o.AllProcesses && !o.Negate && o.SimpleSelect == SimpleSelect.None && o.Selections.Count > 0
            && o.Selections.All(s => s.Type is SelectionType.Pid or SelectionType.PidQuick))
        {
            onlyPids = o.Selections.SelectMany(s => s.Values).Select(v => (int)v).Distinct().ToArray();
            fields |= ProcessFields.Status;
        }

        // As procps: the clock and uptime are taken before the processes are read.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var system = fs.GetSystemInfo();
        ulong bootTicks = 0;
        if ((globals & PsGlobalNeeds.Uptime) != 0)
        {
            var up = fs.TryRead<Procscope.Core.Sys.Uptime>("uptime");
            if (up is not null) bootTicks = (ulong)(up.UptimeSeconds * system.TicksPerSecond);
        }
        long memTotalKb = 0;
        if ((globals & PsGlobalNeeds.MemTotal) != 0)
            memTotalKb = (fs.TryRead<MemInfo>("meminfo")?.MemTotalBytes ?? 0) / 1024;

        var snapshot = ProcessSnapshot.Take(fs, new SnapshotOptions { Fields = fields, Threads = threads, Pids = onlyPids }, system);

        // libproc2 hides kthreadd and its children when LIBPROC_HIDE_KERNEL is set.
        bool hideKernel = console.GetEnvironmentVariable("LIBPROC_HIDE_KERNEL") is not null;
        var processes = new List<PsTask>(snapshot.Samples.Count);
        var tasks = threads ? new List<PsTask>(snapshot.Samples.Count) : null;
        var samples = snapshot.Samples;
        for (int i = 0; i < samples.Count;)
        {
            var main = samples[i++];
            int groupEnd = i;
            while (groupEnd < samples.Count && samples[groupEnd].IsThread && samples[groupEnd].Pid == main.Pid) groupEnd++;
            if (main.IsThread || main.Stat is null
                || (onlyPids is not null && main.StatusFile?.Tgid is { } tgid && tgid != main.Pid)
                || (hideKernel && (main.Stat.PPid == 2 || main.Pid == 2)))
            {
                i = groupEnd;
                continue;
            }
            var proc = new PsTask(main, main.Stat);
            processes.Add(proc);
            if (tasks is not null)
            {
                bool any = false;
                for (int k = i; k < groupEnd; k++)
                {
                    var ts = samples[k];
                    if (ts.Tid == main.Pid)
                    {
                        // procps reads the thread group leader from the process directory.
                        tasks.Add(proc);
                        any = true;
                    }
                    else if (ts.Stat is not null)
                    {
                        tasks.Add(new PsTask(ts, ts.Stat));
                        any = true;
                    }
                }
                if (!any) tasks.Add(proc);
            }
            i = groupEnd;
        }

        var zone = TimeZoneInfo.Local;
        var context = new PsContext
        {
            Options = o,
            Fs = fs,
            System = system,
            Utf8 = console.Utf8Locale,
            BootTicks = bootTicks,
            MemTotalKb = memTotalKb,
            Now = now,
            Zone = zone,
            NowLocal = PsTime.Local(now, zone),
            Terminals = new TerminalNames(fs),
            Users = UserDatabase.Shared,
            OwnEuid = fs.IsLive ? Self.EffectiveUid : 0,
            OwnTty = env.OwnTty,
        };
        var columns = o.Columns.ToArray();
        IPsSink sink = o.Json
            ? new PsJson(ctx.Out, context, columns, o.JsonLines)
            : new PsTable(ctx.Out, context, columns);
        var output = new PsOutput(context, sink);
        output.Run(processes, tasks);
        return output.Shown == 0 ? ExitCodes.NothingMatched : ExitCodes.Ok;
    }

    private static string Fit(string s, int width) => s.Length > width ? s[..width] : s.PadRight(width);

    private static T? SafeRead<T>(ProcFs fs, string path) where T : class, IProcFile<T>
    {
        try
        {
            return fs.TryRead<T>(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>procps set_screen_size(): the terminal's size (80x24 if unknown), unlimited width when stdout is not a terminal, $COLUMNS and $LINES over both.</summary>
    private static (int Cols, int Rows) ScreenSize(ICliConsole console)
    {
        int cols = 80, rows = 24;
        if (TerminalWindow.TryGetSize(out int c, out int r))
        {
            cols = c;
            rows = r;
        }
        if (!console.IsOutputTerminal) cols = RowBuffer.Capacity;
        if (StrToLong(console.GetEnvironmentVariable("COLUMNS"), out long ec) && ec > 0 && ec < RowBuffer.Capacity) cols = (int)ec;
        if (StrToLong(console.GetEnvironmentVariable("LINES"), out long er) && er > 0 && er < RowBuffer.Capacity) rows = (int)er;
        return (cols, rows);
    }

    private static bool StrToLong(string? s, out long v)
    {
        v = 0;
        if (string.IsNullOrEmpty(s)) return false;
        if (!PsParser.StrToUL(s, out ulong u)) return false;
        v = s.TrimStart().StartsWith('-') ? -(long)(0 - u) : (long)Math.Min(u, long.MaxValue);
        return true;
    }

    /// <summary>procps_pid_length(): the number of digits of /proc/sys/kernel/pid_max (5 if unreadable).</summary>
    private static int PidLength(ProcFs fs)
    {
        var raw = fs.TryReadBytes("sys/kernel/pid_max");
        if (raw is null || raw.Length == 0) return 5;
        int n = Math.Min(raw.Length, 23);
        if (raw[n - 1] == (byte)'\n') n--;
        return n;
    }
}
