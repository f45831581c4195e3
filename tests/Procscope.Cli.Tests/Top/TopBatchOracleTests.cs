using System.Diagnostics;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Top;

/// <summary>Batch output against procps top -b for the same pids, at the same moment (retried for churn).</summary>
public sealed class TopBatchOracleTests
{
    private static Dictionary<int, string[]> Rows(string output)
    {
        var result = new Dictionary<int, string[]>();
        bool table = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.TrimStart().StartsWith("PID ", StringComparison.Ordinal)) { table = true; continue; }
            if (!table || line.Trim().Length == 0) continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND...
            result[int.Parse(f[0])] = [f[0], f[1], f[3], f[4], f[5], f[7], string.Join(' ', f.Skip(11))];
        }
        return result;
    }

    [Fact]
    public void Batch_SamePids_PidUserNiVirtResStateCommandEqualTop()
    {
        if (!Run.CommandExists("top")) Assert.Skip("procps top not installed");
        var started = new List<Process>();
        try
        {
            foreach (var args in new[] { "1001", "1002", "1003" })
                started.Add(Process.Start(new ProcessStartInfo("sleep", args) { UseShellExecute = false })!);
            started.Add(Process.Start(new ProcessStartInfo("nice", ["-n", "5", "sleep", "1004"]) { UseShellExecute = false })!);
            var pids = string.Join(',', started.Select(p => p.Id).Append(1));
            string? last = null;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                var ours = Run.Procscope("top", "-b", "-n", "1", "-w", "200", "-p", pids);
                var theirs = Run.Program("top", ["-b", "-n", "1", "-w", "200", "-p", pids]);
                Assert.Equal(0, ours.ExitCode);
                var a = Rows(ours.Stdout);
                var b = Rows(theirs.Stdout);
                Assert.Equal(b.Keys.Order(), a.Keys.Order());
                // pid 1's RES may move between the two runs; our sleeps do not
                bool same = a.All(kv => kv.Value.SequenceEqual(b[kv.Key]) || (kv.Key == 1 && kv.Value[..4].SequenceEqual(b[kv.Key][..4])));
                if (same)
                {
                    Assert.Equal("5", a[started[3].Id][2]);
                    return;
                }
                last = $"ours:\n{ours.Stdout}\ntop:\n{theirs.Stdout}";
            }
            Assert.Fail("rows differ from top -b after 5 attempts\n" + last);
        }
        finally
        {
            foreach (var p in started)
            {
                try { p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }

    [Fact]
    public void Json_OneObjectPerRefresh_WithSchemaAndUnits()
    {
        var r = Run.Procscope("top", "--json", "-n", "2", "-d", "0.2", "-p", "1");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Lines;
        Assert.Equal(2, lines.Length);
        foreach (var l in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(l);
            var root = doc.RootElement;
            Assert.Equal("procscope.top/1", root.GetProperty("schema").GetString());
            var p = root.GetProperty("processes")[0];
            Assert.Equal(1, p.GetProperty("pid").GetInt32());
            Assert.True(p.GetProperty("res_bytes").GetInt64() > 0);
            Assert.True(p.GetProperty("cpu_percent").GetDouble() >= 0);
            Assert.True(p.TryGetProperty("time_seconds", out _));
            Assert.True(root.GetProperty("memory").GetProperty("total_bytes").GetInt64() > 0);
        }
    }

    [Fact]
    public void BadOption_OneLineError()
    {
        var r = Run.Procscope("top", "-b", "-d", "abc");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope top: bad delay interval 'abc'", r.Stderr.Trim());
    }
}
