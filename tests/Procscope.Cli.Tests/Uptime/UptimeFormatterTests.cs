using Procscope.Cli.Commands.Uptime;

namespace Procscope.Cli.Tests.Uptime;

/// <summary>
/// uptime's formats (procps-ng 4.0.2 library/uptime.c). The expected strings were checked against
/// procps uptime with the same /proc/uptime bind-mounted (UptimeFixtureOracleTests).
/// </summary>
public sealed class UptimeFormatterTests
{
    private static string Line(double up, int users = 1) => UptimeFormatter.Default(21, 38, 22, up, users, 0.00, 0.01, 0.05);

    [Fact]
    public void Default_DaysHoursMinutes() =>
        Assert.Equal(" 21:38:22 up 1 day,  2:03,  1 user,  load average: 0.00, 0.01, 0.05", Line(93784.52));

    [Fact]
    public void Default_UnderAnHour_UsesMin() =>
        Assert.Equal(" 21:38:22 up 59 min,  1 user,  load average: 0.00, 0.01, 0.05", Line(3599));

    [Fact]
    public void Default_WholeDay_ZeroMin() =>
        Assert.Equal(" 21:38:22 up 2 days, 0 min,  1 user,  load average: 0.00, 0.01, 0.05", Line(172800));

    [Fact]
    public void Default_TwoDigitHours_NoPadding() =>
        Assert.Equal(" 21:38:22 up 23:59,  1 user,  load average: 0.00, 0.01, 0.05", Line(86399));

    [Fact]
    public void Default_ZeroUsers_IsSingular() =>
        Assert.Equal(" 21:38:22 up 0 min,  0 user,  load average: 0.00, 0.01, 0.05", Line(0.5, 0));

    [Fact]
    public void Default_ManyUsers_PluralAndPadded() =>
        Assert.Equal(" 21:38:22 up 0 min, 12 users,  load average: 0.00, 0.01, 0.05", Line(30, 12));

    [Fact]
    public void Default_LoadAverage_TwoDecimals() =>
        Assert.Equal(" 01:02:03 up 1 min,  2 users,  load average: 12.50, 0.57, 100.00", UptimeFormatter.Default(1, 2, 3, 60, 2, 12.5, 0.57, 100));

    [Fact]
    public void Pretty_ExactlyOneMinute_PrintsNothingAfterUp() => Assert.Equal("up ", UptimeFormatter.Pretty(60));

    [Fact]
    public void Pretty_UnderOneMinute_ZeroMinutes() => Assert.Equal("up 0 minutes", UptimeFormatter.Pretty(59.99));

    [Fact]
    public void Pretty_ExactlyOneHour_SixtyMinutes() => Assert.Equal("up 60 minutes", UptimeFormatter.Pretty(3600));

    [Fact]
    public void Pretty_JustOverAnHour_ZeroMinutesShown() => Assert.Equal("up 1 hour, 0 minutes", UptimeFormatter.Pretty(3600.5));

    [Fact]
    public void Pretty_HourAndMinute_Singulars() => Assert.Equal("up 1 hour, 1 minute", UptimeFormatter.Pretty(3661));

    [Fact]
    public void Pretty_ExactlyAnHourAndAMinute_OmitsMinutes() => Assert.Equal("up 1 hour", UptimeFormatter.Pretty(3660));

    [Fact]
    public void Pretty_YearIs365Days_NotMoreThan() => Assert.Equal("up 52 weeks, 24 hours, 0 minutes", UptimeFormatter.Pretty(31536000));

    [Fact]
    public void Pretty_EveryUnit() =>
        Assert.Equal("up 1 decade, 2 years, 35 weeks, 4 days, 15 hours, 6 minutes", UptimeFormatter.Pretty(400000000));

    [Fact]
    public void Since_RoundsToNearestSecond() => Assert.Equal(1000, UptimeFormatter.SinceUnixSeconds(1100.7, 101.1));

    [Fact]
    public void Since_HalfRoundsUp() => Assert.Equal(1000, UptimeFormatter.SinceUnixSeconds(1100.5, 101.0));
}
