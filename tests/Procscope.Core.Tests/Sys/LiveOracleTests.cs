using System.Diagnostics;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

/// <summary>
/// Compares the pure Core math with the classic tools run on this machine at the same moment.
/// The kernel files are read before and after the tool; only a run where both reads are identical
/// is compared, so the tool saw the same numbers. Skips (never fails) when the tool or /proc is missing.
/// </summary>
public sealed class LiveOracleTests
{
    private const int Attempts = 50;

    [Fact]
    public void MemoryUsage_MatchesFreeBytesRunAtTheSameMoment()
    {
        SkipUnless(File.Exists("/proc/meminfo"), "no /proc/meminfo");
        var version = Run("free", "--version");
        SkipUnless(version is not null && version.Contains("procps-ng 4.", StringComparison.Ordinal),
            "needs free from procps-ng 4.x (3.x computes 'used' differently)");

        for (int i = 0; i < Attempts; i++)
        {
            var before = File.ReadAllBytes("/proc/meminfo");
            var output = Run("free", "-b", "-w", "-l", "-v");
            var after = File.ReadAllBytes("/proc/meminfo");
            if (output is null || !before.AsSpan().SequenceEqual(after)) continue;

            var u = MemoryUsage.From(MemInfo.Parse(before));
            var rows = ParseRows(output);
            Assert.Equal([u.TotalBytes, u.UsedBytes, u.FreeBytes, u.SharedBytes, u.BuffersBytes, u.CacheBytes, u.AvailableBytes], rows["Mem"]);
            Assert.Equal([u.LowTotalBytes, u.LowUsedBytes, u.LowFreeBytes], rows["Low"]);
            Assert.Equal([u.HighTotalBytes, u.HighUsedBytes, u.HighFreeBytes], rows["High"]);
            Assert.Equal([u.SwapTotalBytes, u.SwapUsedBytes, u.SwapFreeBytes], rows["Swap"]);
            // Committed_AS includes free's own allocations while it runs: only the limit is stable.
            Assert.Equal(u.CommitLimitBytes, rows["Comm"][0]);
            return;
        }
        Assert.Skip($"/proc/meminfo changed during each of {Attempts} runs of free");
    }

    [Fact]
    public void SinceBootPercent_MatchesVmstatFirstLine()
    {
        SkipUnless(File.Exists("/proc/stat"), "no /proc/stat");
        SkipUnless(Run("vmstat", "--version")?.Contains("procps-ng", StringComparison.Ordinal) == true, "no procps-ng vmstat");

        for (int i = 0; i < Attempts; i++)
        {
            var before = File.ReadAllBytes("/proc/stat");
            var output = Run("vmstat");
            var after = File.ReadAllBytes("/proc/stat");
            if (output is null) continue;
            var total = KernelStat.Parse(before).Total;
            if (KernelStat.Parse(after).Total != total) continue;

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int Col(string name) => int.Parse(values[Array.IndexOf(header, name)], System.Globalization.CultureInfo.InvariantCulture);

            var p = CpuTimesDelta.SinceBoot(total).ToVmstatPercent();
            Assert.Equal(Col("us"), Math.Floor(p.User + 0.5));
            Assert.Equal(Col("sy"), Math.Floor(p.System + 0.5));
            Assert.Equal(Col("id"), Math.Floor(p.Idle + 0.5));
            Assert.Equal(Col("wa"), Math.Floor(p.IoWait + 0.5));
            Assert.Equal(Col("st"), Math.Floor(p.Steal + 0.5));
            return;
        }
        Assert.Skip($"/proc/stat changed during each of {Attempts} runs of vmstat");
    }

    private static Dictionary<string, long[]> ParseRows(string output)
    {
        var rows = new Dictionary<string, long[]>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            rows[line[..colon].Trim()] = line[(colon + 1)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))
                .ToArray();
        }
        return rows;
    }

    private static void SkipUnless(bool condition, string reason)
    {
        if (!condition) Assert.Skip(reason);
    }

    private static string? Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        try
        {
            using var p = System.Diagnostics.Process.Start(psi);
            if (p is null) return null;
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? stdout : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // tool not installed
        }
    }
}
