using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ps;

/// <summary>
/// ps over a captured /proc tree against the procps output recorded at the moment of capture
/// (tests/fixtures/debian12-hostile/oracle: ps.cmd and ps.txt, taken between two identical reads of
/// every file the columns need). Hostile names, kernel threads and a 13-thread pid 1 included.
/// </summary>
public sealed class PsFixtureGoldenTests
{
    private static readonly string Fixture = Path.Combine(Run.RepoRoot, "tests", "fixtures", "debian12-hostile");

    [Fact]
    public void FixtureTree_OutputEqualsProcpsAtCapture()
    {
        // ps.cmd: LC_ALL=C ps -o … -p …  (the oracle's exact command line)
        var cmd = File.ReadAllText(Path.Combine(Fixture, "oracle", "ps.cmd")).Trim().Split(' ');
        Assert.Equal(["LC_ALL=C", "ps"], cmd[..2]);
        var expected = File.ReadAllText(Path.Combine(Fixture, "oracle", "ps.txt"));
        var r = Run.ProcscopeEnv(new Dictionary<string, string?> { ["LC_ALL"] = "C", ["COLUMNS"] = null },
            ["ps", "--procfs", Fixture, .. cmd[2..]]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(expected, r.Stdout);
    }

    [Fact]
    public void FixtureTree_UnknownPid_HeaderOnlyExit1()
    {
        var r = Run.Procscope("ps", "--procfs", Fixture, "-p", "999999");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(["PID", "TTY", "TIME", "CMD"], r.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Single(r.Lines);
    }
}
