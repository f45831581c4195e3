using System.Globalization;
using System.Text;
using Procscope.Cli.Classic;

namespace Procscope.Cli.Commands.Uptime;

/// <summary>
/// uptime(1)'s three formats, as procps-ng 4.0.2 library/uptime.c and src/uptime.c print them.
/// Pure: the clock, the local time and the user count come in as arguments.
/// </summary>
public static class UptimeFormatter
{
    /// <summary>
    /// procps_uptime_sprint(): <c>" HH:MM:SS up [D day(s), ]{H:MM|M min},  N user(s),  load average: a, b, c"</c>.
    /// Days, hours and minutes are whole parts of the truncated uptime; "%2d" pads the hours and
    /// the user count; "user" is singular for 0 and 1 (procps tests users &gt; 1).
    /// </summary>
    public static string Default(int hour, int minute, int second, double uptimeSeconds, int users, double load1, double load5, double load15)
    {
        int secs = (int)uptimeSeconds;
        int days = secs / (60 * 60 * 24);
        int hours = secs / (60 * 60) % 24;
        int minutes = secs / 60 % 60;
        var sb = new StringBuilder(80);
        sb.Append(' ').Append(D2(hour)).Append(':').Append(D2(minute)).Append(':').Append(D2(second)).Append(" up ");
        if (days != 0) sb.Append(I(days)).Append(' ').Append(days > 1 ? "days" : "day").Append(", ");
        if (hours != 0) sb.Append(I(hours).PadLeft(2)).Append(':').Append(D2(minutes)).Append(", ");
        else sb.Append(I(minutes)).Append(" min, ");
        sb.Append(I(users).PadLeft(2)).Append(' ').Append(users > 1 ? "users" : "user");
        sb.Append(",  load average: ").Append(CFixed.Format(load1, 2)).Append(", ").Append(CFixed.Format(load5, 2)).Append(", ").Append(CFixed.Format(load15, 2));
        return sb.ToString();
    }

    /// <summary>
    /// procps_uptime_sprint_short() (-p): "up 1 week, 2 days, 3 hours, 4 minutes". Each unit is
    /// taken out only when the remaining seconds are strictly greater than it (so exactly one
    /// hour reads "up 60 minutes"); minutes are shown when non-zero or when under a minute remains.
    /// </summary>
    public static string Pretty(double uptimeSeconds)
    {
        const int Minute = 60, Hour = 60 * 60, Day = 60 * 60 * 24, Week = Day * 7, Year = Day * 365, Decade = Year * 10;
        double up = uptimeSeconds;
        int Take(int unit)
        {
            if (!(up > unit)) return 0;
            int n = (int)up / unit;
            up -= n * unit;
            return n;
        }
        int decades = Take(Decade), years = Take(Year), weeks = Take(Week), days = Take(Day), hours = Take(Hour), minutes = Take(Minute);

        var sb = new StringBuilder("up ");
        bool comma = false;
        void Part(int n, string one, string many, bool plural)
        {
            if (comma) sb.Append(", ");
            sb.Append(I(n)).Append(' ').Append(plural ? many : one);
            comma = true;
        }
        if (decades != 0) Part(decades, "decade", "decades", decades > 1);
        if (years != 0) Part(years, "year", "years", years > 1);
        if (weeks != 0) Part(weeks, "week", "weeks", weeks > 1);
        if (days != 0) Part(days, "day", "days", days > 1);
        if (hours != 0) Part(hours, "hour", "hours", hours > 1);
        if (minutes != 0 || up < 60) Part(minutes, "minute", "minutes", minutes != 1);
        return sb.ToString();
    }

    /// <summary>-s: the boot time as procps 4.0.2 rounds it, <c>(time_t)((now - uptime) + 0.5)</c>.</summary>
    public static long SinceUnixSeconds(double nowUnixSeconds, double uptimeSeconds) => (long)Math.Floor(nowUnixSeconds - uptimeSeconds + 0.5);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string D2(int v) => v.ToString("00", CultureInfo.InvariantCulture);
}
