using System.Globalization;
using System.Text;
using Procscope.Cli.Classic;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Free;

/// <summary>How free prints numbers: procps's <c>args.exponent</c> and the FREE_SI / FREE_HUMANREADABLE flags.</summary>
/// <param name="Exponent">0: default (KiB, or kB with --si); 1: bytes; 2..6: kilo..peta (-k/--kilo … --pebi/--peta).</param>
/// <param name="Si">Powers of 1000 (--si, --kilo … --peta).</param>
/// <param name="Human">-h: three significant digits and a unit.</param>
public sealed record FreeScale(int Exponent = 0, bool Si = false, bool Human = false);

/// <summary>Which lines free prints.</summary>
public sealed record FreeLayout(FreeScale Scale, bool Wide = false, bool LowHigh = false, bool Total = false, bool Committed = false, bool Line = false);

/// <summary>
/// free(1)'s text, byte for byte as procps-ng 4.0.2 src/free.c prints it: scale_size() for the
/// numbers, "%11s" columns separated by one space, labels padded to 9 columns (print_head_col).
/// The single-line format (-L) is procps-ng 4.0.3's; 4.0.2 has no -L.
/// </summary>
public static class FreeFormatter
{
    public const string Header = "               total        used        free      shared  buff/cache   available";
    public const string WideHeader = "               total        used        free      shared     buffers       cache   available";

    private static readonly char[] Units = ['B', 'K', 'M', 'G', 'T', 'P'];

    /// <summary>
    /// procps scale_size(): <paramref name="kib"/> (meminfo's unit) in the requested scale.
    /// Arithmetic as in C: bytes = KiB × 1024 as a signed 64-bit value (a negative "Comm free"
    /// prints negative, as in procps, whose unsigned wrap-around comes back negative in long long);
    /// divisions by powers go through double; -h tries "%.1f" of a float, then "%ld", per unit,
    /// keeping the first that fits 4 characters (5 with the "i" of binary units).
    /// </summary>
    public static string ScaleSize(long kib, FreeScale scale)
    {
        long bytes = unchecked(kib * 1024);
        uint @base = scale.Si ? 1000u : 1024u;
        if (!scale.Human)
        {
            return scale.Exponent switch
            {
                0 => (bytes / @base).ToString(CultureInfo.InvariantCulture),
                1 => bytes.ToString(CultureInfo.InvariantCulture),
                _ => Truncate(bytes / Power(@base, scale.Exponent - 1)).ToString(CultureInfo.InvariantCulture),
            };
        }

        string buf = bytes.ToString(CultureInfo.InvariantCulture) + "B";
        if (buf.Length <= 4) return buf;
        for (int i = 1; i < Units.Length; i++)
        {
            double scaled = bytes / Power(@base, i);
            string suffix = scale.Si ? Units[i].ToString() : Units[i] + "i";
            int limit = scale.Si ? 4 : 5;
            buf = CFixed.Format((float)scaled, 1) + suffix;
            if (buf.Length <= limit) return buf;
            buf = Truncate(scaled).ToString(CultureInfo.InvariantCulture) + suffix;
            if (buf.Length <= limit) return buf;
        }
        // More than an exbibyte: procps returns the last attempt, too wide for the column.
        return buf;
    }

    /// <summary>procps power(): base^expo in double (exact for these powers).</summary>
    private static double Power(uint @base, int expo) => expo == 0 ? 1 : @base * Power(@base, expo - 1);

    /// <summary>C's (long) conversion of a double: truncation toward zero, saturating where C is undefined.</summary>
    private static long Truncate(double d) => d >= 9.2233720368547758E18 ? long.MaxValue : d <= -9.2233720368547758E18 ? long.MinValue : (long)d;

    /// <summary>print_head_col(): the label, padded with spaces to 9 columns.</summary>
    public static string HeadCol(string label) => label.Length < 9 ? label + new string(' ', 9 - label.Length) : label;

    /// <summary>One sample, every line ending in '\n' (no blank line between samples; the caller adds it).</summary>
    public static string Render(MemoryUsage u, FreeLayout layout)
    {
        var s = layout.Scale;
        string F(long bytes) => ScaleSize(bytes / 1024, s);
        var sb = new StringBuilder(512);
        if (layout.Line)
        {
            // procps 4.0.3: printf("%s %11s ", label, value) four times; the labels are 7 wide.
            sb.Append("SwapUse ").Append(F(u.SwapUsedBytes).PadLeft(11)).Append(' ');
            sb.Append("CachUse ").Append(F(u.BuffCacheBytes).PadLeft(11)).Append(' ');
            sb.Append(" MemUse ").Append(F(u.UsedBytes).PadLeft(11)).Append(' ');
            sb.Append("MemFree ").Append(F(u.FreeBytes).PadLeft(11)).Append(' ');
            sb.Append('\n');
            return sb.ToString();
        }

        sb.Append(layout.Wide ? WideHeader : Header).Append('\n');
        Row(sb, "Mem:", F(u.TotalBytes), F(u.UsedBytes), F(u.FreeBytes), F(u.SharedBytes));
        if (layout.Wide) sb.Append(' ').Append(F(u.BuffersBytes).PadLeft(11)).Append(' ').Append(F(u.CacheBytes).PadLeft(11));
        else sb.Append(' ').Append(F(u.BuffCacheBytes).PadLeft(11));
        sb.Append(' ').Append(F(u.AvailableBytes).PadLeft(11)).Append('\n');
        if (layout.LowHigh)
        {
            Row(sb, "Low:", F(u.LowTotalBytes), F(u.LowUsedBytes), F(u.LowFreeBytes));
            sb.Append('\n');
            Row(sb, "High:", F(u.HighTotalBytes), F(u.HighUsedBytes), F(u.HighFreeBytes));
            sb.Append('\n');
        }
        Row(sb, "Swap:", F(u.SwapTotalBytes), F(u.SwapUsedBytes), F(u.SwapFreeBytes));
        sb.Append('\n');
        if (layout.Total)
        {
            Row(sb, "Total:", F(u.TotalBytes + u.SwapTotalBytes), F(u.UsedBytes + u.SwapUsedBytes), F(u.FreeBytes + u.SwapFreeBytes));
            sb.Append('\n');
        }
        if (layout.Committed)
        {
            Row(sb, "Comm:", F(u.CommitLimitBytes), F(u.CommittedAsBytes), F(u.CommitFreeBytes));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string label, string first, params string[] rest)
    {
        sb.Append(HeadCol(label)).Append(first.PadLeft(11));
        foreach (var v in rest) sb.Append(' ').Append(v.PadLeft(11));
    }
}
