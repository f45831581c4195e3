using System.Globalization;
using System.Text;

namespace Procscope.Cli.Commands.Top;

/// <summary>top's number formats (procps-ng src/top/top.c scale_mem, scale_tics, scale_pcnt) and display widths.</summary>
public static class TopFormat
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// A KiB amount in <paramref name="width"/> columns as top's scale_mem: the plain number when it
    /// fits, else "%.1f" with the first suffix m, g, t, p that fits ("261.5g").
    /// </summary>
    public static string ScaleMem(long kib, int width)
    {
        string s = kib.ToString(C);
        if (s.Length <= width) return s;
        double v = kib;
        foreach (char sfx in "mgtpe")
        {
            v /= 1024.0;
            s = v.ToString("0.0", C) + sfx;
            if (s.Length <= width) return s;
            // top's %#.1f falls back to no decimals only through the next unit; keep its behaviour
        }
        return "?";
    }

    /// <summary>
    /// <see cref="ScaleMem"/> into a span when the plain number fits (the common case); false when a
    /// suffix is needed (the caller then uses <see cref="ScaleMem"/>).
    /// </summary>
    public static bool TryScaleMem(long kib, int width, Span<char> dst, out int n) =>
        kib.TryFormat(dst, out n, default, C) && n <= width;

    /// <summary><see cref="Percent"/> (5 columns) into a span; false when it needs the wide form.</summary>
    public static bool TryPercent(double v, Span<char> dst, out int n) =>
        v.TryFormat(dst, out n, "0.0", C) && n <= 5;

    /// <summary><see cref="ScaleTics"/>' first form "M:SS.hh" into a span; false when it does not fit.</summary>
    public static bool TryScaleTics(ulong ticks, long hz, int width, Span<char> dst, out int n)
    {
        n = 0;
        if (hz <= 0) hz = 100;
        ulong cs = ticks * 100 / (ulong)hz;
        ulong secsTotal = cs / 100, hundredths = cs % 100;
        ulong mins = secsTotal / 60, secs = secsTotal % 60;
        if (!mins.TryFormat(dst, out int m, default, C) || m + 6 > width || m + 6 > dst.Length) return false;
        dst[m] = ':';
        dst[m + 1] = (char)('0' + (int)(secs / 10));
        dst[m + 2] = (char)('0' + (int)(secs % 10));
        dst[m + 3] = '.';
        dst[m + 4] = (char)('0' + (int)(hundredths / 10));
        dst[m + 5] = (char)('0' + (int)(hundredths % 10));
        n = m + 6;
        return true;
    }

    /// <summary>A count or rate in <paramref name="width"/> columns: integer when it fits, else k/m/g/t with one decimal.</summary>
    public static string ScaleNumber(double value, int width)
    {
        string s = Math.Round(value).ToString("0", C);
        if (s.Length <= width) return s;
        foreach (char sfx in "kmgtpe")
        {
            value /= 1000.0;
            s = value.ToString("0.0", C) + sfx;
            if (s.Length <= width) return s;
            s = value.ToString("0", C) + sfx;
            if (s.Length <= width) return s;
        }
        return "?";
    }

    /// <summary>
    /// TIME+ as top's scale_tics: "M:SS.hh" when it fits, else "M:SS", "H,MM", "Hh", "Dd", "Ww".
    /// </summary>
    public static string ScaleTics(ulong ticks, long hz, int width)
    {
        if (hz <= 0) hz = 100;
        ulong cs = ticks * 100 / (ulong)hz; // hundredths
        ulong secsTotal = cs / 100;
        ulong hundredths = cs % 100;
        ulong mins = secsTotal / 60, secs = secsTotal % 60;
        string s = $"{mins}:{secs:00}.{hundredths:00}";
        if (s.Length <= width) return s;
        s = $"{mins}:{secs:00}";
        if (s.Length <= width) return s;
        ulong hours = mins / 60;
        s = $"{hours},{mins % 60:00}";
        if (s.Length <= width) return s;
        s = $"{hours}h";
        if (s.Length <= width) return s;
        s = $"{hours / 24}d";
        if (s.Length <= width) return s;
        return $"{hours / 24 / 7}w";
    }

    /// <summary>A percentage in 5 columns like top: "%5.1f", "%5.0f" once it reaches 1000.</summary>
    public static string Percent(double v, int width = 5)
    {
        string s = v.ToString("0.0", C);
        if (s.Length <= width) return s;
        return v.ToString("0", C);
    }

    /// <summary>" 21:59:41 up 39 min,  0 user,  load average: 2.43, 1.16, 0.77" as procps sprint_uptime.</summary>
    public static string UptimeText(DateTime now, double uptimeSeconds, int users, double l1, double l5, double l15)
    {
        var sb = new StringBuilder();
        sb.Append(' ').Append(now.ToString("HH:mm:ss", C)).Append(" up ");
        long up = (long)uptimeSeconds;
        long days = up / 86400;
        long minutesTotal = up / 60;
        long hours = minutesTotal / 60 % 24, minutes = minutesTotal % 60;
        if (days > 0) sb.Append(days.ToString(C)).Append(days > 1 ? " days, " : " day, ");
        if (hours > 0) sb.Append(hours.ToString(C).PadLeft(2)).Append(':').Append(minutes.ToString("00", C)).Append(", ");
        else sb.Append(minutes.ToString(C)).Append(" min, ");
        sb.Append(users.ToString(C).PadLeft(2)).Append(users > 1 ? " users" : " user");
        sb.Append(",  load average: ").Append(l1.ToString("0.00", C)).Append(", ").Append(l5.ToString("0.00", C)).Append(", ").Append(l15.ToString("0.00", C));
        return sb.ToString();
    }

    public static string F(double v, string fmt) => v.ToString(fmt, C);

    /// <summary>Terminal columns a string takes: wide East Asian characters and emoji count 2, combining marks 0.</summary>
    public static int DisplayWidth(string s) => DisplayWidth(s.AsSpan());

    /// <summary><see cref="DisplayWidth(string)"/> of a span; all-ASCII text (the common case) is its length.</summary>
    public static int DisplayWidth(ReadOnlySpan<char> s)
    {
        if (!s.ContainsAnyExceptInRange((char)0, (char)0x2FF)) return s.Length;
        int w = 0;
        foreach (var r in s.EnumerateRunes()) w += RuneWidth(r);
        return w;
    }

    public static int RuneWidth(Rune r)
    {
        int v = r.Value;
        if (v < 0x300) return 1;
        var cat = Rune.GetUnicodeCategory(r);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return 0;
        if ((v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0xFE30 && v <= 0xFE4F) || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1F64F)
            || (v >= 0x1F900 && v <= 0x1F9FF) || (v >= 0x20000 && v <= 0x3FFFD))
            return 2;
        return 1;
    }

    /// <summary>The longest prefix of <paramref name="s"/> that fits in <paramref name="width"/> columns.</summary>
    public static string Fit(string s, int width, out int used)
    {
        used = 0;
        if (width <= 0) return "";
        int i = 0;
        foreach (var r in s.EnumerateRunes())
        {
            int w = RuneWidth(r);
            if (used + w > width) return s[..i];
            used += w;
            i += r.Utf16SequenceLength;
        }
        return s;
    }

    /// <summary>Cuts to <paramref name="width"/> columns; a cut string ends in '+' as top marks truncation.</summary>
    public static string Truncate(string s, int width)
    {
        if (DisplayWidth(s) <= width) return s;
        if (width <= 0) return "";
        return Fit(s, width - 1, out _) + "+";
    }
}
