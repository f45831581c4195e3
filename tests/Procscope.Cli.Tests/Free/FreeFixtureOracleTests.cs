using System.Text;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Free;

/// <summary>
/// procps free and procscope free reading the same bytes (see <see cref="ProcpsOracle"/>) must
/// print the same text. Random meminfo files (seeded, so reproducible) cover unit scaling and
/// -h rounding far beyond the hand-written cases.
/// </summary>
public sealed class FreeFixtureOracleTests
{
    private static readonly string[][] Variants =
    [
        [], ["-b"], ["-h"], ["-h", "--si"], ["-w", "-l", "-t", "-v"], ["-m"], ["-g"], ["--kilo"], ["--mega"], ["--giga"],
        ["--tera"], ["--peta"], ["--tebi"], ["--pebi"], ["-h", "-l", "-t", "-v", "-w"], ["--si"], ["-k", "--si"], ["-h", "--si", "-v", "-t"],
    ];

    [Fact]
    public void SysFixture_EveryVariant_SameTextAsProcps()
    {
        ProcpsOracle.SkipIfUnavailable();
        using var fx = new SysFixture();
        var failures = Compare(fx, "SysFixture");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void RandomMeminfo_EveryVariant_SameTextAsProcps()
    {
        ProcpsOracle.SkipIfUnavailable();
        var failures = new StringBuilder();
        for (int seed = 1; seed <= 12; seed++)
        {
            using var fx = new SysFixture(new Dictionary<string, string> { ["meminfo"] = RandomMeminfo(seed) });
            failures.Append(Compare(fx, $"seed {seed}"));
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static StringBuilder Compare(SysFixture fx, string label)
    {
        var failures = new StringBuilder();
        foreach (var v in Variants)
        {
            var expected = ProcpsOracle.Run(fx, "free", v);
            var actual = Run.Procscope(["free", .. v, "--procfs", fx.Root]);
            if (expected.Stdout != actual.Stdout || expected.ExitCode != actual.ExitCode)
                failures.Append($"{label} free {string.Join(' ', v)}:\nprocps:\n{expected.Stdout}{expected.Stderr}procscope:\n{actual.Stdout}{actual.Stderr}\n");
        }
        return failures;
    }

    /// <summary>
    /// A meminfo with values from tiny to 2^40 KiB, many next to unit boundaries. MemFree stays at
    /// most MemTotal: beyond that procps prints a negative "used" where procscope prints 0
    /// (MemoryUsage clamps; see docs/COMPATIBILITY-sysc.md).
    /// </summary>
    public static string RandomMeminfo(int seed)
    {
        var rnd = new Random(seed);
        long[] near = [1023, 1024, 1025, 999, 1000, 1001, 10239, 10240, 10241, 102399, 1048575, 1048576, 1047552, 1022976, 1023999, 1000000, 999999, 999424, 97656, 97657];
        long V()
        {
            double r = rnd.NextDouble();
            if (r < 0.1) return 0;
            if (r < 0.3) return rnd.NextInt64(1, 2001);
            if (r < 0.5) return Math.Max(0, near[rnd.Next(near.Length)] + rnd.Next(-2, 3));
            if (r < 0.8) return rnd.NextInt64(1, 64L << 20);
            return rnd.NextInt64(1, 1L << 40);
        }
        var keys = new List<string> { "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive", "HighTotal", "HighFree", "LowTotal", "LowFree", "SwapTotal", "SwapFree", "Shmem", "SReclaimable", "CommitLimit", "Committed_AS" };
        var values = keys.ToDictionary(k => k, _ => V());
        values["MemTotal"] = Math.Max(1, values["MemTotal"]);
        if (values["MemFree"] > values["MemTotal"]) values["MemFree"] = rnd.NextInt64(0, values["MemTotal"] + 1);
        if (rnd.NextDouble() < 0.5) foreach (var k in new[] { "HighTotal", "HighFree", "LowTotal", "LowFree" }) values.Remove(k);
        if (rnd.NextDouble() < 0.1) values.Remove("MemAvailable");
        var sb = new StringBuilder();
        foreach (var k in keys)
            if (values.TryGetValue(k, out long v)) sb.Append((k + ":").PadRight(16)).Append(v.ToString().PadLeft(8)).Append(" kB\n");
        return sb.ToString();
    }
}
