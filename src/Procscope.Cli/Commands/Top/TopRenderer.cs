using System.Globalization;
using System.Text;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Turns a <see cref="TopFrame"/> into text lines: the summary area and the table, in top's
/// layout. Pure (no terminal): batch mode prints these lines; the interactive view adds
/// attributes and diffs them against the previous screen.
/// </summary>
public static class TopRenderer
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    [ThreadStatic] private static StringBuilder? t_line;

    /// <summary>The summary lines. <paramref name="extended"/> adds what top -b does not print (the pressure-stall line).</summary>
    public static List<string> Summary(TopFrame f, TopSettings s, bool extended)
    {
        var lines = new List<string>(8);
        lines.Add("top -" + TopFormat.UptimeText(f.Time, f.UptimeSeconds, f.Users, f.Load.Load1, f.Load.Load5, f.Load.Load15));
        var t = f.Tasks;
        lines.Add($"{(f.Threads ? "Threads:" : "Tasks:")} {t.Total,3} total, {t.Running,3} running, {t.Sleeping,3} sleeping, {t.Stopped,3} stopped, {t.Zombie,3} zombie");
        if (s.PerCpu)
            foreach (var c in f.PerCpu) lines.Add(CpuLine($"%Cpu{c.CpuId?.ToString(C),-3}:", c));
        else
            lines.Add(CpuLine("%Cpu(s):", f.Cpu));
        var m = f.Memory;
        const double MiB = 1024.0 * 1024.0;
        lines.Add($"MiB Mem :{TopFormat.F(m.TotalBytes / MiB, "0.0"),9} total,{TopFormat.F(m.FreeBytes / MiB, "0.0"),9} free,{TopFormat.F(m.UsedBytes / MiB, "0.0"),9} used,{TopFormat.F(m.BuffCacheBytes / MiB, "0.0"),9} buff/cache     ");
        lines.Add($"MiB Swap:{TopFormat.F(m.SwapTotalBytes / MiB, "0.0"),9} total,{TopFormat.F(m.SwapFreeBytes / MiB, "0.0"),9} free,{TopFormat.F(m.SwapUsedBytes / MiB, "0.0"),9} used.{TopFormat.F(m.AvailableBytes / MiB, "0.0"),9} avail Mem ");
        if (extended && (f.CpuPressure ?? f.IoPressure ?? f.MemoryPressure) is not null)
            lines.Add($"PSI avg10: cpu {Psi(f.CpuPressure?.Some)}, io {Psi(f.IoPressure?.Some)} some {Psi(f.IoPressure?.Full)} full, mem {Psi(f.MemoryPressure?.Some)} some {Psi(f.MemoryPressure?.Full)} full");
        return lines;
    }

    private static string Psi(Core.Sys.PressureLine? l) => l is null ? "  -  " : TopFormat.F(l.Avg10, "0.00").PadLeft(5);

    private static string CpuLine(string label, CpuStates c) =>
        $"{label}{P(c.Us)} us,{P(c.Sy)} sy,{P(c.Ni)} ni,{P(c.Id)} id,{P(c.Wa)} wa,{P(c.Hi)} hi,{P(c.Si)} si,{P(c.St)} st ";

    private static string P(double v) => TopFormat.F(v, "0.0").PadLeft(5);

    /// <summary>PID column width: top's 5, wider when an id needs it.</summary>
    public static int PidWidth(TopFrame f)
    {
        int max = 0;
        foreach (var r in f.Rows) if (r.Pid > max) max = r.Pid;
        return Math.Max(5, max.ToString(C).Length);
    }

    private static int WidthOf(TopField field, int pidWidth) => field is TopField.Pid or TopField.PPid ? pidWidth : TopColumn.Of(field).Width;

    /// <summary>The column header line, laid out like the rows (<see cref="Row"/>).</summary>
    public static string Header(TopSettings s, int width, int pidWidth, out int sortStart, out int sortLength)
    {
        sortStart = sortLength = -1;
        var sb = new StringBuilder(width);
        int used = 0;
        foreach (var field in s.Columns)
        {
            var col = TopColumn.Of(field);
            if (!Place(sb, ref used, field, col.Header, width, pidWidth, s.Columns, out int start)) break;
            if (field == s.SortField)
            {
                sortStart = start;
                sortLength = sb.Length - start;
            }
        }
        return sb.ToString();
    }

    /// <summary>One row in at most <paramref name="width"/> columns, in top's layout (procps truncates COMMAND with '+').</summary>
    public static string Row(TopRow r, TopSettings s, int width, int pidWidth, long hz)
    {
        var sb = new StringBuilder(Math.Min(width, 512));
        AppendRow(sb, r, s, width, pidWidth, hz);
        return sb.ToString();
    }

    /// <summary>
    /// Appends one row to <paramref name="sb"/>. Numbers are formatted into a stack buffer, and
    /// names are the row's cached strings, so a row costs no allocation in the common case
    /// (batch mode prints every row of 10,000 processes each refresh).
    /// </summary>
    public static void AppendRow(StringBuilder sb, TopRow r, TopSettings s, int width, int pidWidth, long hz)
    {
        int used = 0;
        Span<char> scratch = stackalloc char[32];
        var cols = s.Columns;
        for (int i = 0; i < cols.Count; i++)
        {
            var field = cols[i];
            ReadOnlySpan<char> text = TryFormatCell(r, field, hz, scratch, out int n) ? scratch[..n] : Cell(r, field, s, hz);
            if (!Place(sb, ref used, field, text, width, pidWidth, cols, out _)) break;
        }
    }

    /// <summary>
    /// Appends one cell if it fits. Fixed columns are dropped whole when they do not fit; a text
    /// column at the end (COMMAND, CGROUP) takes the rest of the line, at least its header's width.
    /// </summary>
    private static bool Place(StringBuilder sb, ref int used, TopField field, ReadOnlySpan<char> text, int width, int pidWidth, List<TopField> cols, out int start)
    {
        var col = TopColumn.Of(field);
        int sep = sb.Length == 0 ? 0 : 1;
        start = sb.Length + sep;
        bool last = cols[^1] == field;
        int room = width - used - sep;
        if (col.Width == 0 || (last && !col.Right && TopColumn.IsText(field)))
        {
            if (room < col.Header.Length) return false;
            if (sep == 1) sb.Append(' ');
            int tw = TopFormat.DisplayWidth(text);
            if (tw <= room)
            {
                sb.Append(text);
                used += sep + tw;
            }
            else
            {
                var cut = TopFormat.Truncate(new string(text), room);
                sb.Append(cut);
                used += sep + TopFormat.DisplayWidth(cut);
            }
            return true;
        }
        int w = WidthOf(field, pidWidth);
        if (room < w) return false;
        if (sep == 1) sb.Append(' ');
        int dw = TopFormat.DisplayWidth(text);
        if (dw > w)
        {
            var cell = TopFormat.Truncate(new string(text), w);
            text = cell;
            dw = TopFormat.DisplayWidth(cell);
        }
        int pad = w - dw;
        if (col.Right) sb.Append(' ', pad).Append(text);
        else sb.Append(text).Append(' ', pad);
        used += sep + w;
        return true;
    }

    /// <summary>The common numeric cells formatted without allocating; false for the rest (see <see cref="Cell"/>).</summary>
    private static bool TryFormatCell(TopRow r, TopField field, long hz, Span<char> dst, out int n)
    {
        n = 0;
        switch (field)
        {
            case TopField.Pid: return r.Pid.TryFormat(dst, out n, default, C);
            case TopField.PPid: return r.PPid.TryFormat(dst, out n, default, C);
            case TopField.Pr: return r.Priority >= -99 && r.Priority.TryFormat(dst, out n, default, C);
            case TopField.Ni: return r.Nice.TryFormat(dst, out n, default, C);
            case TopField.Threads: return r.Threads.TryFormat(dst, out n, default, C);
            case TopField.Virt: return TopFormat.TryScaleMem(r.VirtKiB, 7, dst, out n);
            case TopField.Res: return TopFormat.TryScaleMem(r.ResKiB, 6, dst, out n);
            case TopField.Shr: return r.ShrKiB is { } shr && TopFormat.TryScaleMem(shr, 6, dst, out n);
            case TopField.S: dst[0] = r.State; n = 1; return true;
            case TopField.Cpu: return TopFormat.TryPercent(r.CpuPercent, dst, out n);
            case TopField.Mem: return TopFormat.TryPercent(r.MemPercent, dst, out n);
            case TopField.Time: return TopFormat.TryScaleTics(r.TimeTicks, hz, 9, dst, out n);
            default: return false;
        }
    }

    private static string Cell(TopRow r, TopField field, TopSettings s, long hz) => field switch
    {
        TopField.Pid => r.Pid.ToString(C),
        TopField.PPid => r.PPid.ToString(C),
        TopField.User => r.User,
        // top prints "rt" for real-time priorities (procps: priority below -99)
        TopField.Pr => r.Priority < -99 ? "rt" : r.Priority.ToString(C),
        TopField.Ni => r.Nice.ToString(C),
        TopField.Virt => TopFormat.ScaleMem(r.VirtKiB, 7),
        TopField.Res => TopFormat.ScaleMem(r.ResKiB, 6),
        TopField.Shr => r.ShrKiB is { } shr ? TopFormat.ScaleMem(shr, 6) : "-",
        TopField.S => r.State.ToString(),
        TopField.Cpu => TopFormat.Percent(r.CpuPercent),
        TopField.Mem => TopFormat.Percent(r.MemPercent),
        TopField.Time => TopFormat.ScaleTics(r.TimeTicks, hz, 9),
        TopField.Command => Command(r, s),
        TopField.Threads => r.Threads.ToString(C),
        TopField.Processor => r.Processor?.ToString(C) ?? "-",
        TopField.MinFlt => Rate(r.MinFltPerSecond, 7),
        TopField.MajFlt => Rate(r.MajFltPerSecond, 7),
        TopField.Swap => r.SwapKiB is { } v ? TopFormat.ScaleMem(v, 6) : "-",
        TopField.Uss => r.UssKiB is { } v ? TopFormat.ScaleMem(v, 6) : "-",
        TopField.Pss => r.PssKiB is { } v ? TopFormat.ScaleMem(v, 6) : "-",
        TopField.ReadBps => Rate(r.ReadBytesPerSecond, 6),
        TopField.WriteBps => Rate(r.WriteBytesPerSecond, 6),
        TopField.ReadOps => Rate(r.ReadOpsPerSecond, 6),
        TopField.WriteOps => Rate(r.WriteOpsPerSecond, 6),
        TopField.VolCtx => Rate(r.VoluntaryCtxtPerSecond, 7),
        TopField.InvCtx => Rate(r.InvoluntaryCtxtPerSecond, 7),
        TopField.RunWait => r.RunQueueWaitPercent is { } w ? TopFormat.Percent(w) : "-",
        TopField.Cgroup => r.Cgroup ?? "-",
        TopField.Oom => r.OomScore?.ToString(C) ?? "-",
        _ => "",
    };

    private static string Rate(double? v, int width) => v is { } d ? TopFormat.ScaleNumber(d, width) : "-";

    private static string Command(TopRow r, TopSettings s)
    {
        string text = s.FullCommand ? r.CommandLine : r.Name;
        if (!s.Tree || r.TreeDepth == 0) return text;
        // top's forest view: four columns per level, then " `- "
        return new string(' ', 4 * (r.TreeDepth - 1)) + " `- " + text;
    }

    /// <summary>
    /// A whole frame as top -b prints it: summary, a blank line, header, every row; table lines
    /// cut to <paramref name="width"/> − 1 columns as procps does.
    /// </summary>
    public static void Batch(TopFrame f, TopSettings s, int width, long hz, TextWriter w)
    {
        foreach (var line in Summary(f, s, extended: false)) w.Write(line + "\n");
        w.Write('\n');
        int pidWidth = PidWidth(f);
        w.Write(Header(s, width - 1, pidWidth, out _, out _));
        w.Write('\n');
        var sb = t_line ??= new StringBuilder(600);
        foreach (var r in f.Rows)
        {
            sb.Clear();
            AppendRow(sb, r, s, width - 1, pidWidth, hz);
            sb.Append('\n');
            w.Write(sb);
        }
        if (sb.Capacity > 4096) t_line = null;
    }
}
