using System.Globalization;
using System.Text;

namespace Procscope.Cli.Commands.Ps;

/// <summary>The text of one cell while a row is laid out: a reusable char buffer.</summary>
internal sealed class RowBuffer
{
    /// <summary>procps' OUTBUF_SIZE: no cell is ever longer than this.</summary>
    public const int Capacity = 2 * 64 * 1024;

    private char[] _buf = new char[1024];

    public int Length { get; private set; }
    public ReadOnlySpan<char> Span => _buf.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Truncate(int length)
    {
        if (length < Length) Length = length;
    }

    private void Grow(int extra)
    {
        int want = Length + extra;
        if (want <= _buf.Length) return;
        Array.Resize(ref _buf, Math.Max(want, _buf.Length * 2));
    }

    public void Append(char c)
    {
        if (Length == _buf.Length) Grow(1);
        _buf[Length++] = c;
    }

    public void Append(char c, int count)
    {
        if (count <= 0) return;
        Grow(count);
        _buf.AsSpan(Length, count).Fill(c);
        Length += count;
    }

    public void Append(ReadOnlySpan<char> s)
    {
        Grow(s.Length);
        s.CopyTo(_buf.AsSpan(Length));
        Length += s.Length;
    }

    public void Append(long v)
    {
        Grow(24);
        v.TryFormat(_buf.AsSpan(Length), out int n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    public void Append(ulong v)
    {
        Grow(24);
        v.TryFormat(_buf.AsSpan(Length), out int n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>Zero-padded to <paramref name="digits"/> (printf "%02u").</summary>
    public void AppendPadded(long v, int digits)
    {
        Grow(24);
        v.TryFormat(_buf.AsSpan(Length), out int n, digits == 2 ? "D2" : "D" + digits, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>Space-padded on the left to <paramref name="width"/> (printf "%3u").</summary>
    public void AppendRight(long v, int width)
    {
        Span<char> tmp = stackalloc char[24];
        v.TryFormat(tmp, out int n, default, CultureInfo.InvariantCulture);
        Append(' ', width - n);
        Append(tmp[..n]);
    }

    public void AppendHex(ulong v, int digits)
    {
        Grow(24);
        v.TryFormat(_buf.AsSpan(Length), out int n, digits == 16 ? "x16" : "x" + digits, CultureInfo.InvariantCulture);
        Length += n;
    }
}

/// <summary>
/// procps' two escaping passes over text read about a process, reproduced byte for byte so that
/// names look exactly as ps shows them, and so that no control byte reaches the terminal:
/// <list type="number">
/// <item>The library pass (libproc2 escape.c escape_str) when a name or command line is read:
/// in a UTF-8 locale control bytes become '?', and from the first malformed lead byte on,
/// the rest of the string is made ASCII (controls → '.', bytes ≥ 0x80 → '?'); in other
/// locales the whole string is made ASCII that way.</item>
/// <item>The output pass (ps/output.c escape_str) when a cell is printed: in a UTF-8 locale
/// each invalid or non-printable character becomes one '?', printable ones are kept and counted
/// in terminal cells (wcwidth); otherwise controls → '.', bytes ≥ 0x80 → '?'.</item>
/// </list>
/// </summary>
internal static class PsEscape
{
    /// <summary>Lengths of UTF-8 sequences by lead byte, -1 for bytes that cannot start one (escape.c UTF_tab).</summary>
    private static int LeadLength(byte b) => b switch
    {
        < 0x80 => 1,
        < 0xC2 => -1,
        < 0xE0 => 2,
        < 0xF0 => 3,
        < 0xF5 => 4,
        _ => -1,
    };

    /// <summary>The ASCII-only replacement of escape.c ESC_tab: controls → '.', high bytes → '?'.</summary>
    private static byte AsciiOnly(byte b) => b switch
    {
        0 => (byte)'@',
        < 0x20 or 0x7f => (byte)'.',
        >= 0x80 => (byte)'?',
        _ => b,
    };

    /// <summary>The library pass; returns the input itself when nothing changes.</summary>
    public static byte[] Library(byte[] raw, bool utf8)
    {
        byte[]? copy = null;
        int i = 0;
        if (utf8)
        {
            while (i < raw.Length)
            {
                byte b = raw[i];
                int n = LeadLength(b);
                if (n < 0 || i + n > raw.Length) break;
                if (b < 0x20 || b == 0x7f)
                {
                    copy ??= (byte[])raw.Clone();
                    copy[i] = (byte)'?';
                }
                i += n;
            }
            if (i >= raw.Length) return copy ?? raw;
        }
        for (; i < raw.Length; i++)
        {
            byte r = AsciiOnly(raw[i]);
            if (r != raw[i])
            {
                copy ??= (byte[])raw.Clone();
                copy[i] = r;
            }
        }
        return copy ?? raw;
    }

    /// <summary>
    /// The output pass: appends at most <paramref name="maxCells"/> terminal cells of
    /// <paramref name="s"/> to <paramref name="dst"/>; returns the cells used.
    /// </summary>
    public static int Output(ReadOnlySpan<byte> s, bool utf8, int maxCells, RowBuffer dst)
    {
        if (maxCells <= 0) return 0;
        int cells = 0;
        if (!utf8)
        {
            int n = Math.Min(s.Length, maxCells);
            for (int i = 0; i < n; i++)
            {
                byte b = s[i];
                dst.Append(b < 0x20 || b == 0x7f ? '.' : b >= 0x80 ? '?' : (char)b);
            }
            return n;
        }
        int pos = 0;
        Span<char> pair = stackalloc char[2];
        while (pos < s.Length && cells < maxCells)
        {
            byte b = s[pos];
            if (b < 0x80)
            {
                dst.Append(b >= 0x20 && b < 0x7f ? (char)b : '?');
                pos++;
                cells++;
                continue;
            }
            if (Rune.DecodeFromUtf8(s[pos..], out var rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                dst.Append('?');
                pos++;
                cells++;
                continue;
            }
            if (!IsPrintable(rune))
            {
                dst.Append('?');
                pos += consumed;
                cells++;
                continue;
            }
            int w = CellWidth(rune);
            if (w > maxCells - cells) break;
            int len = rune.EncodeToUtf16(pair);
            dst.Append(pair[..len]);
            pos += consumed;
            cells += w;
        }
        return cells;
    }

    /// <summary>Cells needed by <paramref name="s"/> after the output pass (no limit).</summary>
    public static int Cells(ReadOnlySpan<byte> s, bool utf8)
    {
        if (!utf8) return s.Length;
        int cells = 0, pos = 0;
        while (pos < s.Length)
        {
            if (s[pos] < 0x80) { cells++; pos++; continue; }
            if (Rune.DecodeFromUtf8(s[pos..], out var rune, out int consumed) != System.Buffers.OperationStatus.Done) { cells++; pos++; continue; }
            cells += IsPrintable(rune) ? CellWidth(rune) : 1;
            pos += consumed;
        }
        return cells;
    }

    /// <summary>
    /// iswprint() of a UTF-8 locale, conservatively: C1 controls, unassigned code points, line and
    /// paragraph separators, and the bidirectional overrides (which can reorder what the terminal
    /// shows) are not printed.
    /// </summary>
    public static bool IsPrintable(Rune r)
    {
        int v = r.Value;
        if (v < 0xA0) return v >= 0x20 && v < 0x7f;
        if (v is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x2028 or 0x2029) return false;
        var cat = Rune.GetUnicodeCategory(r);
        return cat is not (UnicodeCategory.OtherNotAssigned or UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse);
    }

    /// <summary>wcwidth(): 0 for combining marks and format characters, 2 for East Asian wide and fullwidth, else 1.</summary>
    public static int CellWidth(Rune r)
    {
        int v = r.Value;
        if (v < 0x300) return 1;
        var cat = Rune.GetUnicodeCategory(r);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) return 0;
        if (cat == UnicodeCategory.Format && v != 0x00AD) return 0;
        if (v is >= 0x1160 and <= 0x11FF) return 0;
        return IsWide(v) ? 2 : 1;
    }

    private static bool IsWide(int v) =>
        v is >= 0x1100 and <= 0x115F
        or 0x231A or 0x231B or 0x2329 or 0x232A
        or >= 0x23E9 and <= 0x23EC or 0x23F0 or 0x23F3
        or 0x25FD or 0x25FE or 0x2614 or 0x2615
        or >= 0x2648 and <= 0x2653 or 0x267F or 0x2693 or 0x26A1 or 0x26AA or 0x26AB
        or 0x26BD or 0x26BE or 0x26C4 or 0x26C5 or 0x26CE or 0x26D4 or 0x26EA
        or 0x26F2 or 0x26F3 or 0x26F5 or 0x26FA or 0x26FD or 0x2705 or 0x270A or 0x270B
        or 0x2728 or 0x274C or 0x274E or >= 0x2753 and <= 0x2755 or 0x2757
        or >= 0x2795 and <= 0x2797 or 0x27B0 or 0x27BF or 0x2B1B or 0x2B1C or 0x2B50 or 0x2B55
        or >= 0x2E80 and <= 0x303E
        or >= 0x3041 and <= 0x33FF
        or >= 0x3400 and <= 0x4DBF
        or >= 0x4E00 and <= 0x9FFF
        or >= 0xA000 and <= 0xA4CF
        or >= 0xA960 and <= 0xA97F
        or >= 0xAC00 and <= 0xD7A3
        or >= 0xF900 and <= 0xFAFF
        or >= 0xFE10 and <= 0xFE19
        or >= 0xFE30 and <= 0xFE6F
        or >= 0xFF00 and <= 0xFF60
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x16FE0 and <= 0x16FE4
        or >= 0x17000 and <= 0x18CFF
        or >= 0x1B000 and <= 0x1B2FF
        or 0x1F004 or 0x1F0CF or 0x1F18E or >= 0x1F191 and <= 0x1F19A
        or >= 0x1F200 and <= 0x1F251
        or >= 0x1F300 and <= 0x1F64F
        or >= 0x1F680 and <= 0x1F6FF
        or >= 0x1F7E0 and <= 0x1F7EB
        or >= 0x1F90C and <= 0x1F9FF
        or >= 0x1FA70 and <= 0x1FAFF
        or >= 0x20000 and <= 0x2FFFD
        or >= 0x30000 and <= 0x3FFFD;
}

/// <summary>The time and date formats of ps columns (ps/output.c), in the local time zone.</summary>
internal static class PsTime
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>TIME: [DD-]HH:MM:SS of whole seconds.</summary>
    public static void Cumulative(ulong seconds, RowBuffer b)
    {
        ulong ss = seconds % 60, mm = seconds / 60 % 60, hh = seconds / 3600 % 24, dd = seconds / 86400;
        if (dd != 0)
        {
            b.Append(dd);
            b.Append('-');
        }
        b.AppendPadded((long)hh, 2);
        b.Append(':');
        b.AppendPadded((long)mm, 2);
        b.Append(':');
        b.AppendPadded((long)ss, 2);
    }

    /// <summary>ELAPSED: [[DD-]HH:]MM:SS.</summary>
    public static void Elapsed(ulong seconds, RowBuffer b)
    {
        ulong ss = seconds % 60, mm = seconds / 60 % 60, hh = seconds / 3600 % 24, dd = seconds / 86400;
        if (dd != 0)
        {
            b.Append(dd);
            b.Append('-');
        }
        if (dd != 0 || hh != 0)
        {
            b.AppendPadded((long)hh, 2);
            b.Append(':');
        }
        b.AppendPadded((long)mm, 2);
        b.Append(':');
        b.AppendPadded((long)ss, 2);
    }

    /// <summary>BSD TIME: MMM:SS (minutes right-aligned in 3).</summary>
    public static void Bsd(ulong seconds, RowBuffer b)
    {
        uint u = (uint)seconds;
        b.AppendRight(u / 60, 3);
        b.Append(':');
        b.AppendPadded(u % 60, 2);
    }

    public static DateTime Local(long unixSeconds, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddSeconds(unixSeconds), zone);

    /// <summary>STIME / START of u: HH:MM today, MmmDD this year, else YYYY.</summary>
    public static void Stime(long start, DateTime now, TimeZoneInfo zone, RowBuffer b)
    {
        var t = Local(start, zone);
        if (t.Year != now.Year)
        {
            b.Append(t.Year);
        }
        else if (t.DayOfYear != now.DayOfYear)
        {
            b.Append(Months[t.Month - 1]);
            b.AppendPadded(t.Day, 2);
        }
        else
        {
            b.AppendPadded(t.Hour, 2);
            b.Append(':');
            b.AppendPadded(t.Minute, 2);
        }
    }

    /// <summary>ctime(3): "Www Mmm dd hh:mm:ss yyyy" (day padded with a space).</summary>
    public static string Ctime(long t, TimeZoneInfo zone)
    {
        var d = Local(t, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{Days[(int)d.DayOfWeek]} {Months[d.Month - 1]} {d.Day,2} {d.Hour:D2}:{d.Minute:D2}:{d.Second:D2} {d.Year}");
    }

    /// <summary>STARTED (start): HH:MM:SS within 24 hours, else "  Mmm DD" with a zero-padded day.</summary>
    public static void Start(long t, long now, TimeZoneInfo zone, RowBuffer b)
    {
        var c = Ctime(t, zone).ToCharArray();
        if (c[8] == ' ') c[8] = '0';
        if (c[11] == ' ') c[11] = '0';
        if ((ulong)t + 86400 > (ulong)now) b.Append(c.AsSpan(11, 8));
        else
        {
            b.Append("  ");
            b.Append(c.AsSpan(4, 6));
        }
    }

    /// <summary>bsdstart: " HH:MM" within 24 hours, else "Mmm dd".</summary>
    public static void BsdStart(long t, long now, TimeZoneInfo zone, RowBuffer b)
    {
        long ago = Math.Max(0, now - t);
        var c = Ctime(t, zone);
        b.Append(ago > 86400 ? c.AsSpan(4, 6) : c.AsSpan(10, 6));
    }
}
