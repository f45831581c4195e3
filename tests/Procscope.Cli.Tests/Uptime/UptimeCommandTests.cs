using System.Globalization;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Uptime;

/// <summary>procscope uptime on the fixture tree: formats, the utmp user count, errors, --json.</summary>
public sealed class UptimeCommandTests
{
    private static RunResult Uptime(SysFixture fx, params string[] args) => Run.Procscope(["uptime", .. args, "--procfs", fx.Root]);

    [Fact]
    public void Default_AfterTheClock_IsExact()
    {
        using var fx = new SysFixture();
        fx.WriteUtmp((2, "reboot"), (7, "alice"), (7, "bob"), (8, "carol"), (7, ""));
        var r = Uptime(fx);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^ \d\d:\d\d:\d\d up ", r.Stdout);
        Assert.Equal(" up 1 day,  2:03,  2 users,  load average: 0.00, 0.01, 0.05\n", r.Stdout[9..]);
    }

    [Fact]
    public void Default_NoUtmp_ZeroUser()
    {
        using var fx = new SysFixture();
        Assert.EndsWith(" up 1 day,  2:03,  0 user,  load average: 0.00, 0.01, 0.05\n", Uptime(fx).Stdout);
    }

    [Fact]
    public void Default_UserNameFillingTheField_StillCounts()
    {
        using var fx = new SysFixture();
        fx.WriteUtmp((7, new string('x', 32)));
        Assert.EndsWith(",  1 user,  load average: 0.00, 0.01, 0.05\n", Uptime(fx).Stdout);
    }

    [Fact]
    public void Pretty_Golden() // procps: "up 1 day, 2 hours, 3 minutes" for this fixture
    {
        using var fx = new SysFixture();
        Assert.Equal("up 1 day, 2 hours, 3 minutes\n", Uptime(fx, "-p").Stdout);
    }

    [Fact]
    public void Since_IsNowMinusUptime()
    {
        using var fx = new SysFixture();
        var before = DateTimeOffset.UtcNow;
        var r = Uptime(fx, "--since");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$", r.Stdout);
        var expected = before.AddSeconds(-93784.52).ToLocalTime();
        var printed = DateTime.ParseExact(r.Stdout.TrimEnd(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.InRange((printed - expected.DateTime).TotalSeconds, -2, 3);
    }

    [Fact]
    public void Since_ActsBeforeALaterBadOption()
    {
        using var fx = new SysFixture();
        var r = Uptime(fx, "-s", "-z");
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void InvalidOption_ExitOne()
    {
        using var fx = new SysFixture();
        var r = Uptime(fx, "-z");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope uptime: invalid option -- 'z'\n", r.Stderr);
    }

    [Fact]
    public void Operand_ExitOne()
    {
        using var fx = new SysFixture();
        var r = Uptime(fx, "now");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope uptime: unexpected argument 'now'\n", r.Stderr);
    }

    [Fact]
    public void Help_ShortH_IsHelp()
    {
        using var fx = new SysFixture();
        var r = Uptime(fx, "-h");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(" -p, --pretty   show uptime in pretty format\n", r.Stdout);
    }

    [Fact]
    public void Version_ProcpsShape()
    {
        using var fx = new SysFixture();
        Assert.Matches(@"^uptime from procscope \S+ \(procps-ng 4\.0\.2 compatible\)\n$", Uptime(fx, "-V").Stdout);
    }

    [Fact]
    public void MissingUptimeFile_CannotGetSystemUptime()
    {
        using var fx = new SysFixture();
        File.Delete(fx.PathOf("uptime"));
        var r = Uptime(fx);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope uptime: Cannot get system uptime\n", r.Stderr);
    }

    [Fact]
    public void Json_OneObject()
    {
        using var fx = new SysFixture();
        fx.WriteUtmp((7, "alice"));
        var r = Uptime(fx, "--json");
        Assert.Single(r.Lines);
        using var doc = JsonDocument.Parse(r.Stdout);
        var e = doc.RootElement;
        Assert.Equal("procscope.uptime/1", e.GetProperty("schema").GetString());
        Assert.Equal(93784.52, e.GetProperty("uptime_seconds").GetDouble());
        Assert.Equal(1, e.GetProperty("users").GetInt32());
        Assert.Equal(0.05, e.GetProperty("load15").GetDouble());
        Assert.Equal("up 1 day, 2 hours, 3 minutes", e.GetProperty("pretty").GetString());
        Assert.EndsWith("Z", e.GetProperty("boot_time").GetString());
    }

    [Fact]
    public void DevFull_WriteError()
    {
        using var fx = new SysFixture();
        var r = Run.Shell($"'{Run.BinaryPath}' uptime --procfs '{fx.Root}' > /dev/full");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope uptime: write error: No space left on device\n", r.Stderr);
    }
}
