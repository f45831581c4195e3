using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Uptime;

/// <summary>
/// procps uptime against procscope uptime: live on this machine (identical, retried when a
/// second or minute boundary falls between the two runs), and on fixture trees (many uptimes,
/// a utmp with several kinds of record) through <see cref="ProcpsOracle"/>.
/// </summary>
public sealed class UptimeOracleTests
{
    private static void SkipWithoutProcps()
    {
        if (!Run.CommandExists("uptime")) Assert.Skip("procps uptime is not installed");
    }

    [Fact]
    public void Live_Default_Identical()
    {
        SkipWithoutProcps();
        // The load average can move between the runs too; procps samples it every 5 s.
        for (int attempt = 0; ; attempt++)
        {
            var theirs = Run.Program("uptime", []);
            var ours = Run.Procscope("uptime");
            if (theirs.Stdout == ours.Stdout) return;
            Assert.True(attempt < 10, $"procps: {theirs.Stdout}procscope: {ours.Stdout}");
            Thread.Sleep(300);
        }
    }

    [Fact]
    public void Live_Pretty_Identical()
    {
        SkipWithoutProcps();
        for (int attempt = 0; ; attempt++)
        {
            var theirs = Run.Program("uptime", ["-p"]);
            var ours = Run.Procscope("uptime", "-p");
            if (theirs.Stdout == ours.Stdout) return;
            Assert.True(attempt < 5, $"procps: {theirs.Stdout}procscope: {ours.Stdout}");
        }
    }

    [Fact]
    public void Live_Since_Identical()
    {
        SkipWithoutProcps();
        for (int attempt = 0; ; attempt++)
        {
            var theirs = Run.Program("uptime", ["-s"]);
            var ours = Run.Procscope("uptime", "-s");
            if (theirs.Stdout == ours.Stdout) return;
            Assert.True(attempt < 5, $"procps: {theirs.Stdout}procscope: {ours.Stdout}");
        }
    }

    [Fact]
    public void Fixture_ManyUptimes_SameAsProcps()
    {
        ProcpsOracle.SkipIfUnavailable();
        double[] uptimes = [0.5, 59.99, 60, 60.01, 3599, 3600, 3600.5, 3660, 3661, 7200, 86399, 86400, 86401, 90000, 604800, 604801, 31536000, 31536001, 315360001, 400000000];
        var failures = new List<string>();
        foreach (var up in uptimes)
        {
            using var fx = new SysFixture(new Dictionary<string, string>
            {
                ["uptime"] = FormattableString.Invariant($"{up:0.00} 1.00\n"),
                ["loadavg"] = "1.25 0.50 12.34 1/80 99\n",
            });
            fx.WriteUtmp((2, "reboot"), (7, "alice"), (7, "bob"), (8, "carol"), (7, ""), (7, new string('x', 32)), (6, "LOGIN"));
            foreach (var args in new[] { new[] { "-p" }, [] })
            {
                for (int attempt = 0; ; attempt++)
                {
                    var theirs = ProcpsOracle.Run(fx, "uptime", args).Stdout;
                    var ours = Run.Procscope(["uptime", .. args, "--procfs", fx.Root]).Stdout;
                    if (theirs == ours) break;
                    if (attempt < 3) continue; // the clock ticked between the runs
                    failures.Add($"uptime {up} {string.Join(' ', args)}: procps '{theirs}' procscope '{ours}'");
                    break;
                }
            }
        }
        Assert.Empty(failures);
    }
}
