using System.Globalization;
using System.Text;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Vmstat;

/// <summary>
/// procps vmstat and procscope vmstat reading the same bytes (<see cref="ProcpsOracle"/>) must print
/// the same text: the golden fixture, then seeded random trees with counters up to 2^40 (the
/// 32-bit truncations and float rounding of procps), and a two-sample run whose files change
/// between the samples.
/// </summary>
public sealed class VmstatFixtureOracleTests
{
    private static readonly string[][] Variants =
    [
        [], ["-w"], ["-a"], ["-S", "m"], ["-S", "k", "-w"], ["-S", "M", "-a"], ["-S", "b"], ["-s"], ["-s", "-S", "M"], ["-s", "-S", "k"],
        ["-d"], ["-d", "-w"], ["-D"], ["-p", "sda1"], ["-p", "/dev/nvme0n1"], ["-f"], ["-m"], ["-n", "-m"],
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
    public void RandomTrees_EveryVariant_SameTextAsProcps()
    {
        ProcpsOracle.SkipIfUnavailable();
        var failures = new StringBuilder();
        for (int seed = 1; seed <= 8; seed++)
        {
            using var fx = new SysFixture(RandomTree(seed));
            failures.Append(Compare(fx, $"seed {seed}"));
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    /// <summary>
    /// vmstat 2 2 with /proc/stat and /proc/vmstat rewritten one second in: both tools read the
    /// first sample at start and the second two seconds later, so the interval line must agree
    /// (meminfo stays put: procps 4.0.2 never re-reads it in the loop, procscope does).
    /// </summary>
    [Fact]
    public async Task TwoSamples_FilesChangeBetween_SameIntervalLine()
    {
        ProcpsOracle.SkipIfUnavailable();
        string last = "";
        for (int attempt = 0; attempt < 3; attempt++)
        {
            using var fx = new SysFixture();
            var theirsTask = Task.Run(() => ProcpsOracle.Run(fx, "vmstat", "-w", "2", "2"));
            var oursTask = Task.Run(() => Run.Procscope("vmstat", "-w", "2", "2", "--procfs", fx.Root));
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            File.WriteAllText(fx.PathOf("stat"), Grow(SysFixture.Stat, 12345) + "\n");
            File.WriteAllText(fx.PathOf("vmstat"), Grow(SysFixture.VmStat, 777) + "\n");
            var theirs = (await theirsTask).Stdout;
            var ours = (await oursTask).Stdout;
            if (theirs == ours && ours.Split('\n').Length == 5) return;
            last = $"procps:\n{theirs}procscope:\n{ours}";
        }
        Assert.Fail("the two-sample runs differ (or a run started late) three times:\n" + last);
    }

    /// <summary>Adds <paramref name="step"/> × (field index + 1) to every counter, leaving btime and procs_* alone.</summary>
    private static string Grow(string text, long step)
    {
        var sb = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0 || f[0] is "btime" or "procs_running" or "procs_blocked")
            {
                sb.Append(line).Append('\n');
                continue;
            }
            sb.Append(f[0]);
            for (int i = 1; i < f.Length; i++) sb.Append(' ').Append(long.Parse(f[i], CultureInfo.InvariantCulture) + step * i);
            sb.Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static StringBuilder Compare(SysFixture fx, string label)
    {
        var failures = new StringBuilder();
        foreach (var v in Variants)
        {
            var expected = ProcpsOracle.Run(fx, "vmstat", v);
            var actual = Run.Procscope(["vmstat", .. v, "--procfs", fx.Root]);
            string e = expected.Stdout + expected.Stderr, a = actual.Stdout + actual.Stderr.Replace("procscope vmstat:", "vmstat:");
            if (e != a || expected.ExitCode != actual.ExitCode)
                failures.Append($"{label} vmstat {string.Join(' ', v)}:\nprocps:\n{e}procscope:\n{a}\n");
        }
        return failures;
    }

    /// <summary>stat, vmstat, meminfo, uptime, diskstats and the disk list, from tiny to 2^40.</summary>
    public static Dictionary<string, string> RandomTree(int seed)
    {
        var rnd = new Random(seed);
        long Big()
        {
            double r = rnd.NextDouble();
            if (r < 0.15) return 0;
            if (r < 0.5) return rnd.NextInt64(1, 100001);
            if (r < 0.85) return rnd.NextInt64(1, 1_000_000_001);
            return rnd.NextInt64(1, 1L << 40);
        }
        long Kb()
        {
            double r = rnd.NextDouble();
            if (r < 0.1) return 0;
            if (r < 0.5) return rnd.NextInt64(1, 1L << 24);
            return rnd.NextInt64(1L << 24, 1L << 36);
        }
        var cpu = rnd.NextDouble() < 0.2 ? new long[10] : Enumerable.Range(0, 10).Select(_ => Big()).ToArray();
        string cpus = string.Join(' ', cpu);
        var stat = $"cpu  {cpus}\ncpu0 {cpus}\nintr {Big()} 0 0 1\nctxt {Big()}\nbtime {rnd.NextInt64(1, 1L << 31)}\nprocesses {Big()}\n" +
                   $"procs_running {rnd.Next(0, 301)}\nprocs_blocked {rnd.Next(0, 301)}\nsoftirq 5 1 2\n";
        var vmstat = $"nr_free_pages 5\npgpgin {Big()}\npgpgout {Big()}\npswpin {Big()}\npswpout {Big()}\npgfault 7\n";
        long total = Math.Max(1, Kb());
        var mem = new StringBuilder();
        foreach (var (k, v) in new (string, long)[]
        {
            ("MemTotal", total), ("MemFree", rnd.NextInt64(0, total + 1)), ("MemAvailable", Kb()), ("Buffers", Kb()), ("Cached", Kb()),
            ("Active", Kb()), ("Inactive", Kb()), ("SwapTotal", Kb()), ("SwapFree", Kb()), ("Shmem", Kb()), ("SReclaimable", Kb()),
            ("CommitLimit", Kb()), ("Committed_AS", Kb()),
        })
            mem.Append((k + ":").PadRight(16)).Append(v.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append(" kB\n");
        string[] names = ["sda", "sda1", "sda2", "vda", "nvme0n1", "nvme0n1p1", "dm-0", "loop0", "averyveryverylongdiskname"];
        string[] disks = ["sda", "vda", "nvme0n1", "dm-0", "loop0", "averyveryverylongdiskname"];
        long[] inFlight = [0, 5, 1500, 999, 1000, 2500000];
        var ds = new StringBuilder();
        for (int i = 0; i < names.Length; i++)
        {
            var v = Enumerable.Range(0, 11).Select(_ => Big()).ToArray();
            v[8] = inFlight[rnd.Next(inFlight.Length)];
            ds.Append($"{8,4} {i,7} {names[i]} {string.Join(' ', v)} 0 0 0 0 0 0\n");
        }
        return new Dictionary<string, string>
        {
            ["stat"] = stat,
            ["vmstat"] = vmstat,
            ["meminfo"] = mem.ToString(),
            ["uptime"] = $"{rnd.Next(1, 1_000_001)}.{rnd.Next(10, 100)} 5.00\n",
            ["diskstats"] = ds.ToString(),
            ["procscope-sysblock"] = string.Join('\n', disks) + "\n",
        };
    }
}
