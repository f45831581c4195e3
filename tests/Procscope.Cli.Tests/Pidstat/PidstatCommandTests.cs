using System.Diagnostics;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Pidstat;

/// <summary>procscope pidstat -r on a tracee touching memory at a known rate.</summary>
public sealed class PidstatCommandTests
{
    [Fact]
    public void MinorFaultRate_FollowsATraceeTouching40MiBPerSecond()
    {
        // 40 MiB/s = 10,240 pages/s, touched in steps of 1/10 s for 4 s.
        var psi = new ProcessStartInfo(CTracees.Build("touch-mb")) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "160", "40", "2000" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        try
        {
            Assert.Equal("# ready", p.StandardOutput.ReadLine());
            var r = Run.Procscope("pidstat", "-r", "-p", p.Id.ToString(), "--json", "1", "3");
            Assert.Equal(0, r.ExitCode);
            var rows = r.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(3, rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(p.Id, row.GetProperty("pid").GetInt32());
                double rate = row.GetProperty("minor_faults_per_second").GetDouble();
                // Scheduling jitter on a shared 2-CPU machine: the steps are 1/10 s, so ±25 %.
                Assert.InRange(rate, 10240 * 0.75, 10240 * 1.25);
                Assert.Equal(0, row.GetProperty("major_faults_per_second").GetDouble());
            }
            // RSS grows by about 40 MiB per interval.
            long first = rows[0].GetProperty("rss_bytes").GetInt64(), last = rows[2].GetProperty("rss_bytes").GetInt64();
            Assert.InRange(last - first, 2 * 40L * 0.75 * (1 << 20), 2 * 40L * 1.25 * (1 << 20));
        }
        finally
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    [Fact]
    public void TextLayout_AsSysstat()
    {
        var r = Run.Procscope("pidstat", "-r", "-p", "1", "1", "1");
        var lines = r.Stdout.Split('\n');
        Assert.Matches(@"^Linux \S+ \(.*\) \t\d\d/\d\d/\d\d \t_\S+_\t\(\d+ CPU\)$", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Matches(@"^\d\d:\d\d:\d\d      UID       PID  minflt/s  majflt/s     VSZ     RSS   %MEM  Command$", lines[2]);
        Assert.Matches(@"^\d\d:\d\d:\d\d +\d+ +1 +\d+\.\d\d +\d+\.\d\d +\d+ +\d+ +\d+\.\d\d  \S", lines[3]);
        Assert.StartsWith("Average:  ", lines[4]);
    }
}
