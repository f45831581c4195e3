using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>
/// The wall clock and the local time zone exactly as the C library sees them (TZ, /etc/localtime),
/// so that times printed by uptime and vmstat -t match procps, which calls time(2), localtime_r(3)
/// and strftime(3). .NET's TimeZoneInfo cannot give strftime's %Z abbreviation in invariant mode.
/// </summary>
public static unsafe class LocalClock
{
    private static bool s_tzset;

    /// <summary>time(2): seconds since the Unix epoch.</summary>
    public static long NowUnixSeconds() => LibC.time(null);

    /// <summary>The broken-down local time of <paramref name="unixSeconds"/>.</summary>
    public static LocalTime ToLocal(long unixSeconds)
    {
        Tm tm = Convert(unixSeconds);
        return new LocalTime(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_gmtoff);
    }

    /// <summary>strftime(3) of <paramref name="unixSeconds"/> in local time, e.g. "%Y-%m-%d %H:%M:%S" or "%Z".</summary>
    public static string Format(long unixSeconds, string format)
    {
        Tm tm = Convert(unixSeconds);
        var fmt = new byte[Encoding.UTF8.GetByteCount(format) + 1];
        Encoding.UTF8.GetBytes(format, fmt);
        var buf = stackalloc byte[256];
        nuint n;
        fixed (byte* f = fmt)
            n = LibC.strftime(buf, 256, f, &tm);
        return Encoding.UTF8.GetString(buf, (int)n);
    }

    private static Tm Convert(long unixSeconds)
    {
        if (!s_tzset)
        {
            LibC.tzset();
            s_tzset = true;
        }
        Tm tm;
        if (LibC.localtime_r(&unixSeconds, &tm) == null)
            throw new ArgumentOutOfRangeException(nameof(unixSeconds), unixSeconds, "localtime_r failed");
        return tm;
    }
}

/// <summary>A local calendar time (localtime_r(3)); <see cref="UtcOffsetSeconds"/> is tm_gmtoff.</summary>
public readonly record struct LocalTime(int Year, int Month, int Day, int Hour, int Minute, int Second, long UtcOffsetSeconds);
