using System.Globalization;
using System.Text;
using Procscope.Cli.Classic;

namespace Procscope.Cli.Commands.Iotop;

/// <summary>
/// iotop's text: the two summary lines, a delay-accounting line of ours, the column header and
/// the rows, in iotop 0.6's units (human_size: "%.2f B/s", K, M, G …; -k: always K).
/// </summary>
public static class IotopRender
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Units = ["B", "K", "M", "G", "T", "P", "E"];

    /// <summary>iotop's human_size: the largest unit with exponent int(log2(size / 2) / 10).</summary>
    public static string Size(double bytes, bool kilobytes)
    {
        if (kilobytes) return (bytes / 1024).ToString("0.00", Inv) + " K";
        if (bytes <= 0) return "0.00 B";
        int expo = bytes < 2 ? 0 : Math.Clamp((int)(Math.Log2(bytes / 2) / 10), 0, Units.Length - 1);
        return (bytes / Math.Pow(1024, expo)).ToString("0.00", Inv) + " " + Units[expo];
    }

    public static string Rate(double bytesPerSecond, bool kilobytes, bool accumulated) =>
        Size(bytesPerSecond, kilobytes) + (accumulated ? "" : "/s");

    public static string Percent(double? v, DelayState state) => state switch
    {
        DelayState.NotTracked => "not tracked",
        DelayState.Off => "off",
        DelayState.Unavailable => "n/a",
        _ => v is { } p ? p.ToString("0.00", Inv) + " %" : "n/a",
    };

    /// <summary>The lines above the table: totals, actual disk traffic, what delay accounting can show.</summary>
    public static List<string> Summary(IotopFrame f, IotopSettings s, string delayLine)
    {
        string L(string label, double v, int width) => label + Rate(v, s.Kilobytes, false).PadLeft(width - label.Length);
        return
        [
            L("Total DISK READ:", f.TotalRead, 33) + " | " + L("Total DISK WRITE:", f.TotalWrite, 34),
            L("Current DISK READ:", f.ActualRead, 33) + " | " + L("Current DISK WRITE:", f.ActualWrite, 34),
            delayLine,
        ];
    }

    public static string Header(IotopSettings s, IotopColumn? sorted, bool reverse)
    {
        var sb = new StringBuilder();
        if (s.Time) sb.Append("    TIME ");
        string Mark(IotopColumn c, string text) => sorted == c ? text + (reverse ? "<" : ">") : text;
        sb.Append(Mark(IotopColumn.Id, s.Processes ? "PID" : "TID").PadLeft(7)).Append(' ');
        sb.Append(Mark(IotopColumn.Prio, "PRIO").PadLeft(5)).Append(' ');
        sb.Append(Mark(IotopColumn.User, "USER").PadRight(8)).Append(' ');
        sb.Append(Mark(IotopColumn.Read, "DISK READ").PadLeft(12)).Append(' ');
        sb.Append(Mark(IotopColumn.Write, "DISK WRITE").PadLeft(12)).Append(' ');
        sb.Append(Mark(IotopColumn.ReadOps, s.Accumulated ? "READS" : "READS/s").PadLeft(9)).Append(' ');
        sb.Append(Mark(IotopColumn.WriteOps, s.Accumulated ? "WRITES" : "WRITES/s").PadLeft(9)).Append(' ');
        if (s.Totals)
        {
            sb.Append(Mark(IotopColumn.TotalRead, "TOTAL READ").PadLeft(11)).Append(' ');
            sb.Append(Mark(IotopColumn.TotalWrite, "TOTAL WRITE").PadLeft(11)).Append(' ');
        }
        sb.Append(Mark(IotopColumn.Swapin, "SWAPIN").PadLeft(11)).Append(' ');
        sb.Append(Mark(IotopColumn.Io, "IO").PadLeft(11)).Append("  ");
        sb.Append(Mark(IotopColumn.Command, "COMMAND"));
        return sb.ToString();
    }

    public static string Row(IotopRow r, IotopSettings s, string? time)
    {
        var sb = new StringBuilder(128);
        if (time is not null) sb.Append(time).Append(' ');
        sb.Append(r.Id.ToString(Inv).PadLeft(7)).Append(' ');
        sb.Append(r.Prio.PadLeft(5)).Append(' ');
        string user = r.User.Length > 8 ? r.User[..8] : r.User;
        sb.Append(user.PadRight(8)).Append(' ');
        if (r.Readable)
        {
            sb.Append(Rate(r.Read, s.Kilobytes, s.Accumulated).PadLeft(12)).Append(' ');
            sb.Append(Rate(r.Write, s.Kilobytes, s.Accumulated).PadLeft(12)).Append(' ');
            sb.Append(r.ReadOps.ToString(s.Accumulated ? "0" : "0.00", Inv).PadLeft(9)).Append(' ');
            sb.Append(r.WriteOps.ToString(s.Accumulated ? "0" : "0.00", Inv).PadLeft(9)).Append(' ');
            if (s.Totals)
            {
                sb.Append(Size(r.TotalReadBytes, s.Kilobytes).PadLeft(11)).Append(' ');
                sb.Append(Size(r.TotalWriteBytes, s.Kilobytes).PadLeft(11)).Append(' ');
            }
        }
        else
        {
            // Another user's /proc/[pid]/io without root: unreadable, not zero.
            sb.Append("-".PadLeft(12)).Append(' ').Append("-".PadLeft(12)).Append(' ').Append("-".PadLeft(9)).Append(' ').Append("-".PadLeft(9)).Append(' ');
            if (s.Totals) sb.Append("-".PadLeft(11)).Append(' ').Append("-".PadLeft(11)).Append(' ');
        }
        sb.Append(Percent(r.SwapinPercent, r.Delay).PadLeft(11)).Append(' ');
        sb.Append(Percent(r.IoPercent, r.Delay).PadLeft(11)).Append("  ");
        sb.Append(r.Command);
        return sb.ToString();
    }
}
