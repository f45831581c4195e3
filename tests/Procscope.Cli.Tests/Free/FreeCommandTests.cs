using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Free;

/// <summary>procscope free as a command: errors with procps's wording and exit codes, --json, -L, repetition, write errors.</summary>
public sealed class FreeCommandTests
{
    private static RunResult Free(SysFixture fx, params string[] args) => Run.Procscope(["free", .. args, "--procfs", fx.Root]);

    private static void AssertError(string expectedMessage, params string[] args)
    {
        using var fx = new SysFixture();
        var r = Free(fx, args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal($"procscope free: {expectedMessage}\n", r.Stderr);
    }

    [Fact]
    public void InvalidOption_NamesIt() => AssertError("invalid option -- 'z'", "-z");

    [Fact]
    public void SecondsNotANumber_ProcpsMessage() => AssertError("seconds argument failed: 'x': Invalid argument", "-s", "x");

    [Fact]
    public void SecondsZero_NotPositive() => AssertError("seconds argument `0' is not positive number", "-s", "0");

    [Fact]
    public void CountZero_OutOfRange() => AssertError("failed to parse count argument: '0': Numerical result out of range", "-c", "0");

    [Fact]
    public void CountNotANumber_ProcpsMessage() => AssertError("failed to parse count argument: 'x'", "--count=x");

    [Fact]
    public void TwoUnits_Refused() => AssertError("Multiple unit options don't make sense.", "-b", "--mega");

    [Fact]
    public void Operand_Refused() => AssertError("unexpected argument 'extra'", "extra");

    [Fact]
    public void MissingValue_GetoptMessage() => AssertError("option requires an argument -- 's'", "-s");

    [Fact]
    public void MissingMeminfo_ProcpsMessage()
    {
        using var fx = new SysFixture();
        File.Delete(fx.PathOf("meminfo"));
        var r = Free(fx);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"procscope free: Memory information file {fx.Root}/meminfo does not exist\n", r.Stderr);
    }

    [Fact]
    public void Help_GoesToStdout_ExitZero()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(" -h, --human         show human-readable output\n", r.Stdout);
        Assert.Contains(" -L, --line          show output on a single line\n", r.Stdout);
    }

    [Fact]
    public void Version_ActsBeforeALaterBadOption()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "-V", "-z");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^free from procscope \S+ \(procps-ng 4\.0\.2 compatible\)\n$", r.Stdout);
    }

    [Fact]
    public void BundledOptionsAndAttachedValue_Work()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "-bt", "-c1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\nTotal:   35559240704  8584186880 21627498496\n", r.Stdout);
    }

    [Fact]
    public void Count_RepeatsWithBlankLineBetweenButNotAfter()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "-c", "3", "--seconds=0.05");
        var block = Free(fx).Stdout;
        Assert.Equal(block + "\n" + block + "\n" + block, r.Stdout);
    }

    [Fact]
    public void Line_RepeatsOneLinePerSample()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "-L", "-c", "2", "-s", "0.05");
        const string line = "SwapUse      100001 CachUse     2779010  MemUse     8282994 MemFree    19123457 \n";
        Assert.Equal(line + line, r.Stdout);
    }

    [Fact]
    public void Json_OneObjectInBytes_WithSchema()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "--json", "-h");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Lines);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("procscope.free/1", root.GetProperty("schema").GetString());
        Assert.True(root.TryGetProperty("timestamp", out _));
        var mem = root.GetProperty("mem");
        Assert.Equal(32628673L * 1024, mem.GetProperty("total_bytes").GetInt64());
        Assert.Equal(8282994L * 1024, mem.GetProperty("used_bytes").GetInt64());
        Assert.Equal((234567L + 2345678 + 198765) * 1024, mem.GetProperty("buff_cache_bytes").GetInt64());
        Assert.Equal(100001L * 1024, root.GetProperty("swap").GetProperty("used_bytes").GetInt64());
        Assert.Equal((10254316L - 11287654) * 1024, root.GetProperty("commit").GetProperty("free_bytes").GetInt64());
    }

    [Fact]
    public void Json_WithCount_IsNdjson()
    {
        using var fx = new SysFixture();
        var r = Free(fx, "--json", "-c", "2", "-s", "0.05");
        Assert.Equal(2, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var line in r.Lines) using (JsonDocument.Parse(line)) { }
    }

    [Fact]
    public void DevFull_WriteError_NonZero()
    {
        using var fx = new SysFixture();
        var r = Run.Shell($"'{Run.BinaryPath}' free --procfs '{fx.Root}' > /dev/full");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("procscope free: write error: No space left on device\n", r.Stderr);
    }

    [Fact]
    public void ClosedPipe_RepeatingStopsWithSigpipeStatus()
    {
        using var fx = new SysFixture();
        var r = Run.Program("/bin/bash", ["-c", $"'{Run.BinaryPath}' free -s 0.05 --procfs '{fx.Root}' | head -1; echo \"rc=${{PIPESTATUS[0]}}\""]);
        Assert.Equal("               total        used        free      shared  buff/cache   available\nrc=141\n", r.Stdout);
    }
}
