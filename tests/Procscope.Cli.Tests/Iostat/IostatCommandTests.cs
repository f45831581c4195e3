using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Iostat;

/// <summary>
/// iostat on the SysFixture tree (--procfs): since-boot figures over its 93784.52 s of uptime,
/// worked out by hand with sysstat's formulas; device selection (-p, names, ALL); bad input.
/// </summary>
public sealed class IostatCommandTests
{
    private static string[] Lines(RunResult r) => r.Stdout.Split('\n');

    [Fact]
    public void Default_SinceBoot_WholeDisksWithTheirFigures()
    {
        using var fx = new SysFixture();
        var r = Run.Procscope("iostat", "--procfs", fx.Root);
        Assert.Equal(0, r.ExitCode);
        var l = Lines(r);
        Assert.StartsWith("Linux ", l[0]);
        Assert.Equal("", l[1]);
        Assert.Equal("avg-cpu:  %user   %nice %system %iowait  %steal   %idle", l[2]);
        // cpu 123456 789 45678 9876543 2345 0 1234 567: total 10050612 ticks.
        Assert.Equal("           1.23    0.01    0.47    0.02    0.01   98.27", l[3]);
        Assert.Equal("", l[4]);
        Assert.Equal("Device             tps    kB_read/s    kB_wrtn/s    kB_dscd/s    kB_read    kB_wrtn    kB_dscd", l[5]);
        // loop0: 52 reads, 2142 sectors; nvme0n1: (834567 + 456789) / 93784.52 tps; sda: (5678 + 2345) / 93784.52.
        Assert.Equal("loop0             0.00         0.01         0.00         0.00       1071          0          0", l[6]);
        Assert.Equal("nvme0n1          13.77       243.53       184.29         0.00   22839450   17283945          0", l[7]);
        Assert.Equal("sda               0.09         2.44         5.27         0.00     228394     493827          0", l[8]);
        Assert.Equal(["", "", ""], l[9..]);
    }

    [Fact]
    public void PartitionsOfOneDisk_Extended_ShowsDiskThenPartitions()
    {
        using var fx = new SysFixture();
        var r = Run.Procscope("iostat", "--procfs", fx.Root, "-x", "-d", "-p", "sda");
        Assert.Equal(0, r.ExitCode);
        var rows = Lines(r).Skip(3).TakeWhile(x => x.Length > 0).Select(x => x.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["sda", "sda1"], rows.Select(x => x[0]));
        // sda: r_await = 12345 / 5678 ms, rareq-sz = 456789 / 2 / 5678 kB, %rrqm = 123 / (123 + 5678).
        Assert.Equal("2.17", rows[0][5]);
        Assert.Equal("40.22", rows[0][6]);
        Assert.Equal("2.12", rows[0][4]);
        // %util: 34567 ms busy over 93784.52 s.
        Assert.Equal("0.04", rows[0][^1]);
    }

    [Fact]
    public void Json_EveryDeviceOfAll_OneObject()
    {
        using var fx = new SysFixture();
        var r = Run.Procscope("iostat", "--procfs", fx.Root, "--json", "-p", "ALL");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var doc = JsonDocument.Parse(Assert.Single(lines));
        var names = doc.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToArray();
        Assert.Equal(["loop0", "nvme0n1", "nvme0n1p1", "nvme0n1p2", "sda", "sda1"], names);
        var sda = doc.RootElement.GetProperty("devices")[4];
        Assert.Equal(456789L * 512, sda.GetProperty("read_bytes").GetInt64());
        Assert.Equal(93784.52, doc.RootElement.GetProperty("interval_seconds").GetDouble());
        Assert.True(doc.RootElement.GetProperty("since_boot").GetBoolean());
    }

    [Theory]
    [InlineData(new[] { "-Q" }, "procscope iostat: invalid option -- 'Q'")]
    [InlineData(new[] { "1", "0" }, "procscope iostat: invalid count: 0")]
    [InlineData(new[] { "-k", "-m" }, "procscope iostat: -m cannot be combined with another unit option")]
    [InlineData(new[] { "-o", "XML" }, "procscope iostat: -o takes JSON (procscope writes NDJSON: one object per report)")]
    [InlineData(new[] { "1", "2", "3" }, "procscope iostat: unexpected argument '3'")]
    public void BadInput_OneLineAndExit1(string[] args, string message)
    {
        var r = Run.Procscope(["iostat", .. args]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(message + "\n", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void NamedDeviceThatDoesNotExist_NoRowNoError()
    {
        using var fx = new SysFixture();
        var r = Run.Procscope("iostat", "--procfs", fx.Root, "-d", "nosuchdisk", "sda");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["sda"], Lines(r).Skip(3).TakeWhile(x => x.Length > 0).Select(x => x.Split(' ')[0]));
    }
}

/// <summary>
/// Devices that appear, vanish or reset between two reports: diskstats of the fixture tree is
/// rewritten while iostat runs (14-field, 18-field and 20-field lines mixed).
/// </summary>
public sealed class IostatRobustnessTests
{
    [Fact]
    public void DevicesComeGoAndReset_NoNegativeRateNoCrash()
    {
        using var fx = new SysFixture(new Dictionary<string, string>
        {
            ["diskstats"] = """
                   8       0 sda 5678 123 456789 12345 2345 678 987654 23456 2 34567 45678
                   8      16 sdb 900 0 7200 90 900 0 7200 90 0 900 180 0 0 0 0
                 259       0 nvme0n1 834567 12345 45678901 234567 456789 98765 34567890 345678 0 456789 678901 0 0 0 0 12345 6789

                """,
            ["procscope-sysblock"] = "sda\nsdb\nnvme0n1\nsdc\n",
        });
        var psi = new System.Diagnostics.ProcessStartInfo(Run.BinaryPath) { RedirectStandardOutput = true };
        foreach (var a in new[] { "iostat", "--procfs", fx.Root, "-x", "-d", "--json", "1", "2" }) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var first = p.StandardOutput.ReadLine()!;
        // sda: counters reset to small values (replaced); sdb: gone; sdc: new; nvme0n1: moves forward.
        File.WriteAllText(fx.PathOf("diskstats"), """
               8       0 sda 10 0 80 5 0 0 0 0 0 10 5
               8      32 sdc 100 0 800 10 0 0 0 0 0 50 10 0 0 0 0
             259       0 nvme0n1 834667 12345 45679701 234577 456789 98765 34567890 345678 0 456889 678911 0 0 0 0 12345 6789

            """);
        var second = p.StandardOutput.ReadLine()!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        using var a1 = JsonDocument.Parse(first);
        Assert.Equal(["sda", "sdb", "nvme0n1"], a1.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        using var a2 = JsonDocument.Parse(second);
        var devices = a2.RootElement.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["sda", "sdc", "nvme0n1"], devices.Keys);
        Assert.True(devices["sda"].GetProperty("counters_reset").GetBoolean());
        Assert.Equal(80 * 512, devices["sda"].GetProperty("read_bytes").GetInt64());
        Assert.Equal(800 * 512, devices["sdc"].GetProperty("read_bytes").GetInt64());
        Assert.Equal(800 * 512, devices["nvme0n1"].GetProperty("read_bytes").GetInt64());
        Assert.Equal(0, devices["nvme0n1"].GetProperty("written_bytes").GetInt64());
        foreach (var d in devices.Values)
            foreach (var prop in d.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.Number))
                Assert.True(prop.Value.GetDouble() >= 0, $"{d.GetProperty("name")} {prop.Name} = {prop.Value}");
    }
}
