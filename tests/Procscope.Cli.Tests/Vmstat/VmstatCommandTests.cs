using System.Text;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Vmstat;

/// <summary>procscope vmstat as a command: option handling in getopt order, errors, --json, output failures.</summary>
public sealed class VmstatCommandTests
{
    private static RunResult Vmstat(SysFixture fx, params string[] args) => Run.Procscope(["vmstat", .. args, "--procfs", fx.Root]);

    private static void AssertError(string message, params string[] args)
    {
        using var fx = new SysFixture();
        var r = Vmstat(fx, args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal($"procscope vmstat: {message}\n", r.Stderr);
    }

    [Fact]
    public void DelayZero_ProcpsMessage() => AssertError("delay must be positive integer", "0");

    [Fact]
    public void DelayNotANumber_ProcpsMessage() => AssertError("failed to parse argument: 'x'", "x");

    [Fact]
    public void CountNotANumber_ProcpsMessage() => AssertError("failed to parse argument: '2x'", "1", "2x");

    [Fact]
    public void DelayTooLarge_ProcpsMessage() => AssertError("too large delay value", "99999999999");

    [Fact]
    public void BadUnit_ProcpsMessage() => AssertError("-S requires k, K, m or M (default is KiB)", "-S", "x");

    [Fact]
    public void InvalidOption_GetoptMessage() => AssertError("invalid option -- 'z'", "-z");

    [Fact]
    public void TwoModes_Refused() => AssertError("only one of -s, -d, -D, -p and -m can be given", "-d", "-s");

    [Fact]
    public void ThirdOperand_Refused() => AssertError("unexpected argument '3'", "1", "2", "3");

    [Fact]
    public void UnknownPartition_ProcpsMessage() => AssertError("Disk/Partition sdz9 not found", "-p", "/dev/sdz9");

    [Fact]
    public void Forks_ActsBeforeALaterBadOption()
    {
        using var fx = new SysFixture();
        var r = Vmstat(fx, "-f", "-z");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("       123456 forks\n", r.Stdout);
    }

    [Fact]
    public void Forks_InABundleBeforeABadLetter_Acts()
    {
        using var fx = new SysFixture();
        var r = Vmstat(fx, "-fz");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("       123456 forks\n", r.Stdout);
    }

    [Fact]
    public void BadOption_BeforeForks_Fails()
    {
        using var fx = new SysFixture();
        Assert.Equal(1, Vmstat(fx, "-z", "-f").ExitCode);
    }

    [Fact]
    public void UnitLowercaseB_IsBytesThroughFloat()
    {
        using var fx = new SysFixture();
        Assert.StartsWith("  33411760128 b total memory\n", Vmstat(fx, "-s", "-S", "b").Stdout);
    }

    [Fact]
    public void CountZero_PrintsTheFirstLineOnly()
    {
        using var fx = new SysFixture();
        Assert.Equal(3, Vmstat(fx, "1", "0").Lines.Length);
    }

    [Fact]
    public void NoFirst_WithoutDelay_PrintsOneIntervalLine()
    {
        using var fx = new SysFixture();
        var r = Vmstat(fx, "-y");
        Assert.Equal(3, r.Lines.Length);
        Assert.EndsWith("  0  0 100  0  0\n", r.Stdout);
    }

    [Fact]
    public void Timestamp_FormatAndZone()
    {
        using var fx = new SysFixture();
        var r = Run.ProcscopeEnv(new Dictionary<string, string?> { ["TZ"] = "UTC" }, "vmstat", "-t", "--procfs", fx.Root);
        var lines = r.Lines;
        Assert.EndsWith(" -----timestamp-----", lines[0]);
        Assert.EndsWith("                 UTC", lines[1]);
        Assert.Matches(@" \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", lines[2]);
    }

    [Fact]
    public void Disks_HeaderRepeatsEvery21DevicesWhenPiped()
    {
        var sb = new StringBuilder();
        var names = new StringBuilder();
        for (int i = 0; i < 25; i++)
        {
            sb.Append($"   8 {i,7} sd{(char)('a' + i)} 1 2 3 4 5 6 7 8 0 9 10 0 0 0 0 0 0\n");
            names.Append($"sd{(char)('a' + i)}\n");
        }
        using var fx = new SysFixture(new Dictionary<string, string> { ["diskstats"] = sb.ToString(), ["procscope-sysblock"] = names.ToString() });
        var lines = Vmstat(fx, "-d").Lines;
        Assert.Equal(25 + 4, lines.Length);
        Assert.StartsWith("disk-", lines[0]);
        Assert.StartsWith("sdu ", lines[22]);
        Assert.StartsWith("disk-", lines[23]);
        Assert.Single(Vmstat(fx, "-d", "-n").Lines, l => l.StartsWith("disk-", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_FirstSampleSinceBoot_ThenIntervals()
    {
        using var fx = new SysFixture();
        var r = Vmstat(fx, "--json", "1", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Lines.Length);
        using var first = JsonDocument.Parse(r.Lines[0]);
        using var second = JsonDocument.Parse(r.Lines[1]);
        var a = first.RootElement;
        Assert.Equal("procscope.vmstat/1", a.GetProperty("schema").GetString());
        Assert.True(a.GetProperty("since_boot").GetBoolean());
        Assert.Equal(93784.52, a.GetProperty("interval_seconds").GetDouble());
        Assert.Equal(3, a.GetProperty("procs_running").GetInt32());
        Assert.Equal(19123457L * 1024, a.GetProperty("free_bytes").GetInt64());
        Assert.Equal(100001L * 1024, a.GetProperty("swap_used_bytes").GetInt64());
        Assert.Equal(Math.Round(3456789L * 1024 / 93784.52, 3), a.GetProperty("block_in_bytes_per_second").GetDouble());
        Assert.Equal(Math.Round(34567890 / 93784.52, 3), a.GetProperty("interrupts_per_second").GetDouble());
        var b = second.RootElement;
        Assert.False(b.GetProperty("since_boot").GetBoolean());
        Assert.Equal(0, b.GetProperty("interrupts_per_second").GetDouble());
        Assert.Equal(100, b.GetProperty("cpu_idle_percent").GetDouble());
    }

    [Fact]
    public void Json_Stats_CountersInBytes()
    {
        using var fx = new SysFixture();
        using var doc = JsonDocument.Parse(Vmstat(fx, "-s", "--json").Stdout);
        var e = doc.RootElement;
        Assert.Equal("procscope.vmstat.stats/1", e.GetProperty("schema").GetString());
        Assert.Equal(32628673L * 1024, e.GetProperty("memory_total_bytes").GetInt64());
        Assert.Equal(3456789L * 1024, e.GetProperty("paged_in_bytes").GetInt64());
        Assert.Equal(1764000000, e.GetProperty("boot_time_unix_seconds").GetInt64());
        Assert.Equal(123456, e.GetProperty("forks").GetInt64());
    }

    [Fact]
    public void Json_Disks_OnlyWholeDisks()
    {
        using var fx = new SysFixture();
        using var doc = JsonDocument.Parse(Vmstat(fx, "-d", "--json").Stdout);
        Assert.Equal(["loop0", "nvme0n1", "sda"], doc.RootElement.GetProperty("disks").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToArray());
    }

    [Fact]
    public void Json_Slabs_Sorted()
    {
        using var fx = new SysFixture();
        using var doc = JsonDocument.Parse(Vmstat(fx, "-m", "--json").Stdout);
        var caches = doc.RootElement.GetProperty("caches").EnumerateArray().ToArray();
        Assert.Equal("AF_VSOCK", caches[0].GetProperty("name").GetString());
        Assert.Equal("a_very_long_slab_cache_name_beyond_24", caches[2].GetProperty("name").GetString());
    }

    [Fact]
    public void SlabinfoUnreadable_OneLineError()
    {
        using var fx = new SysFixture();
        File.Delete(fx.PathOf("slabinfo"));
        var r = Vmstat(fx, "-m");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope vmstat: Unable to create slabinfo structure: ", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void DevFull_WriteError()
    {
        using var fx = new SysFixture();
        var r = Run.Shell($"'{Run.BinaryPath}' vmstat --procfs '{fx.Root}' > /dev/full");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope vmstat: write error: No space left on device\n", r.Stderr);
    }

    [Fact]
    public void ClosedPipe_EndlessLoopStops()
    {
        using var fx = new SysFixture();
        var r = Run.Program("/bin/bash", ["-c", $"'{Run.BinaryPath}' vmstat 1 --procfs '{fx.Root}' | head -3 >/dev/null; echo \"rc=${{PIPESTATUS[0]}}\""]);
        Assert.Equal("rc=141\n", r.Stdout);
    }
}
