using System.Globalization;
using System.Text;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Iostat;

/// <summary>One device line of a report: the name to show, and its figures over the interval.</summary>
public sealed record IostatRow(string Name, DiskRates Rates);

/// <summary>
/// iostat's text, as sysstat 12.6 prints it (iostat.c write_plain_cpu_stat, write_disk_stat_header,
/// write_plain_basic_stat, write_plain_ext_stat; common.c cprintf_f, cprintf_unit, cprintf_xpc):
/// same widths, same rounding (printf %.2f), -h's unit suffixes and its four-part extended report.
/// </summary>
public static class IostatFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string Units = "sBkMGTP?";

    /// <summary>The avg-cpu header and line, then a blank line.</summary>
    public static void Cpu(StringBuilder sb, IostatCpuPercent c, bool human)
    {
        sb.Append("avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n");
        sb.Append("       ");
        foreach (double v in (ReadOnlySpan<double>)[c.User, c.Nice, c.System, c.IoWait, c.Steal, c.Idle])
            Percent(sb, v, 7, human);
        sb.Append("\n\n");
    }

    /// <summary>
    /// The device table: header and rows. With -h and -x the extended report is printed in four
    /// parts (read, write, discard, flush), each with its own header, as sysstat does.
    /// </summary>
    public static void Devices(StringBuilder sb, IReadOnlyList<IostatRow> rows, IostatSettings s)
    {
        bool parts = s.Human && s.Extended && !s.Short;
        int first = parts ? 1 : 0, last = parts ? 4 : 0;
        for (int h = first; h <= last; h++)
        {
            Header(sb, s, h);
            foreach (var r in rows)
            {
                if (!s.Human) sb.Append(r.Name.PadRight(13));
                if (s.Extended) Extended(sb, r.Rates, s, h);
                else Basic(sb, r.Rates, s);
                if (s.Human) sb.Append(' ').Append(r.Name);
                sb.Append('\n');
            }
            if (h > 0 && h < last) sb.Append('\n');
        }
    }

    private static (string Units, string Space, double Divisor) UnitOf(IostatSettings s) => s.Unit switch
    {
        IostatUnit.Megabytes => ("MB", " ", 1024.0 * 1024),
        IostatUnit.Gigabytes => ("GB", " ", 1024.0 * 1024 * 1024),
        _ => ("kB", " ", 1024.0),
    };

    private static void Header(StringBuilder sb, IostatSettings s, int part)
    {
        var (u, spc, _) = UnitOf(s);
        if (!s.Human) sb.Append("Device       ");
        if (s.Extended)
        {
            if (s.Short)
            {
                sb.Append($"      tps     {spc}{u}/s    rqm/s   await  areq-sz  aqu-sz  %util");
            }
            else
            {
                if (part is 0 or 1) sb.Append($"     r/s    {spc}r{u}/s   rrqm/s  %rrqm r_await rareq-sz");
                if (part is 0 or 2) sb.Append($"     w/s    {spc}w{u}/s   wrqm/s  %wrqm w_await wareq-sz");
                if (part is 0 or 3) sb.Append($"     d/s    {spc}d{u}/s   drqm/s  %drqm d_await dareq-sz");
                if (part is 0 or 4) sb.Append("     f/s f_await  aqu-sz  %util");
            }
        }
        else if (s.Short)
        {
            sb.Append($"      tps   {spc}{u}_read/s    {spc}{u}_w+d/s   {spc}{u}_read    {spc}{u}_w+d");
        }
        else
        {
            sb.Append($"      tps   {spc}{u}_read/s   {spc}{u}_wrtn/s   {spc}{u}_dscd/s   {spc}{u}_read   {spc}{u}_wrtn   {spc}{u}_dscd");
        }
        if (s.Human) sb.Append(" Device");
        sb.Append('\n');
    }

    private static void Basic(StringBuilder sb, DiskRates r, IostatSettings s)
    {
        double div = UnitOf(s).Divisor;
        Fixed(sb, r.TransfersPerSecond, 8);
        if (s.Short)
        {
            Size(sb, r.ReadBytesPerSecond, div, 12, s.Human);
            Size(sb, r.WriteBytesPerSecond + r.DiscardBytesPerSecond, div, 12, s.Human);
            Total(sb, r.ReadBytes, div, 10, s.Human);
            Total(sb, r.WrittenBytes + r.DiscardedBytes, div, 10, s.Human);
        }
        else
        {
            Size(sb, r.ReadBytesPerSecond, div, 12, s.Human);
            Size(sb, r.WriteBytesPerSecond, div, 12, s.Human);
            Size(sb, r.DiscardBytesPerSecond, div, 12, s.Human);
            Total(sb, r.ReadBytes, div, 10, s.Human);
            Total(sb, r.WrittenBytes, div, 10, s.Human);
            Total(sb, r.DiscardedBytes, div, 10, s.Human);
        }
    }

    private static void Extended(StringBuilder sb, DiskRates r, IostatSettings s, int part)
    {
        double div = UnitOf(s).Divisor;
        bool h = s.Human;
        if (s.Short)
        {
            Fixed(sb, r.TransfersPerSecond, 8);
            Size(sb, r.ReadBytesPerSecond + r.WriteBytesPerSecond + r.DiscardBytesPerSecond, div, 9, h);
            Fixed(sb, r.ReadsMergedPerSecond + r.WritesMergedPerSecond + r.DiscardsMergedPerSecond, 8);
            Fixed(sb, r.AwaitMs, 7);
            RequestSize(sb, r.RequestBytes, 8, h);
            Fixed(sb, r.AverageQueueSize, 7);
            Percent(sb, r.UtilizationPercent, 6, h);
            return;
        }
        if (part is 0 or 1)
        {
            Direction(sb, r.ReadsPerSecond, r.ReadBytesPerSecond, r.ReadsMergedPerSecond, r.ReadsMergedPercent, r.ReadAwaitMs, r.ReadRequestBytes, div, h);
        }
        if (part is 0 or 2)
        {
            Direction(sb, r.WritesPerSecond, r.WriteBytesPerSecond, r.WritesMergedPerSecond, r.WritesMergedPercent, r.WriteAwaitMs, r.WriteRequestBytes, div, h);
        }
        if (part is 0 or 3)
        {
            Direction(sb, r.DiscardsPerSecond, r.DiscardBytesPerSecond, r.DiscardsMergedPerSecond, r.DiscardsMergedPercent, r.DiscardAwaitMs, r.DiscardRequestBytes, div, h);
        }
        if (part is 0 or 4)
        {
            Fixed(sb, r.FlushesPerSecond, 7);
            Fixed(sb, r.FlushAwaitMs, 7);
            Fixed(sb, r.AverageQueueSize, 7);
            Percent(sb, r.UtilizationPercent, 6, h);
        }
    }

    /// <summary>printf(" %*.2f").</summary>
    /// <summary>One direction's six -x columns (r/s rkB/s rrqm/s %rrqm r_await rareq-sz, and w, d alike).</summary>
    private static void Direction(StringBuilder sb, double perSecond, double bytesPerSecond, double mergedPerSecond, double mergedPercent,
        double awaitMs, double requestBytes, double div, bool h)
    {
        Fixed(sb, perSecond, 7);
        Size(sb, bytesPerSecond, div, 9, h);
        Fixed(sb, mergedPerSecond, 8);
        Percent(sb, mergedPercent, 6, h);
        Fixed(sb, awaitMs, 7);
        RequestSize(sb, requestBytes, 8, h);
    }

    private static void Fixed(StringBuilder sb, double v, int width) =>
        sb.Append(' ').Append(v.ToString("0.00", Inv).PadLeft(width));

    /// <summary>A rate in bytes per second: " %*.2f" in the unit, or with -h cprintf_unit's scaled value and suffix.</summary>
    private static void Size(StringBuilder sb, double bytesPerSecond, double divisor, int width, bool human)
    {
        if (human) Human(sb, bytesPerSecond / 1024, 2, width);
        else Fixed(sb, bytesPerSecond / divisor, width);
    }

    /// <summary>An interval total: integer units (sysstat divides sectors by the factor), or -h's scaled value.</summary>
    private static void Total(StringBuilder sb, ulong bytes, double divisor, int width, bool human)
    {
        if (human) Human(sb, bytes / 1024.0, 2, width);
        else sb.Append(' ').Append(((ulong)(bytes / divisor)).ToString(Inv).PadLeft(width));
    }

    /// <summary>Request sizes are always shown in kB (sysstat prints sectors / 2), whatever -m says.</summary>
    private static void RequestSize(StringBuilder sb, double bytes, int width, bool human)
    {
        if (human) Human(sb, bytes / 1024, 2, width);
        else Fixed(sb, bytes / 1024, width);
    }

    /// <summary>cprintf_unit: divide by 1024 while at least 1024, one decimal, then the unit letter.</summary>
    private static void Human(StringBuilder sb, double value, int unit, int width)
    {
        if (width < 4) width = 4;
        while (value >= 1024)
        {
            value /= 1024;
            unit++;
        }
        sb.Append(' ').Append(value.ToString("0.0", Inv).PadLeft(width - 1)).Append(Units[Math.Min(unit, Units.Length - 1)]);
    }

    /// <summary>cprintf_xpc: " %*.2f", or with -h one decimal and a percent sign in the same width.</summary>
    private static void Percent(StringBuilder sb, double v, int width, bool human)
    {
        if (human) sb.Append(' ').Append(v.ToString("0.0", Inv).PadLeft(width - 1)).Append('%');
        else Fixed(sb, v, width);
    }
}
