using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Iostat;

/// <summary>
/// Live oracle against sysstat's iostat on this machine: the same layout, since-boot figures that
/// agree, and a direct-I/O writer with a known number of bytes seen by both over the same interval,
/// by procscope iotop and by pidstat -d.
/// </summary>
public sealed class IostatOracleTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Extended_SinceBoot_SameColumnsAndValuesAsSysstat()
    {
        if (!Run.CommandExists("iostat")) Assert.Skip("sysstat is not installed");
        var theirs = Run.Program("iostat", ["-x", "-d"]).Stdout.Split('\n');
        var ours = Run.Procscope("iostat", "-x", "-d").Stdout.Split('\n');
        Assert.Equal(theirs.Length, ours.Length);
        Assert.Equal(theirs[2], ours[2]); // header
        for (int i = 3; i < theirs.Length && theirs[i].Length > 0; i++)
        {
            var a = theirs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var b = ours[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(a[0], b[0]);
            Assert.Equal(a.Length, b.Length);
            // Since boot, two runs a few ms apart: every column within 1% (or 0.05 absolute).
            for (int c = 1; c < a.Length; c++)
                Assert.True(Math.Abs(D(a[c]) - D(b[c])) <= Math.Max(0.05, 0.01 * Math.Abs(D(a[c]))), $"{a[0]} column {c}: sysstat {a[c]}, ours {b[c]}");
        }
    }

    [Fact]
    public void JsonStream_IsOneValidObjectPerReport_AlsoWhenInterrupted()
    {
        if (Run.SigintIgnored)
            Assert.Skip("SIGINT is ignored in the test process (started as a background job) and it is interrupted with SIGINT");
        var psi = new ProcessStartInfo(Run.BinaryPath) { RedirectStandardOutput = true };
        foreach (var a in new[] { "iostat", "-x", "--json", "1" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var first = p.StandardOutput.ReadLine();
        var second = p.StandardOutput.ReadLine();
        Process.Start("kill", ["-INT", p.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        var rest = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        foreach (var line in new[] { first!, second! }.Concat(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("procscope.iostat/1", doc.RootElement.GetProperty("schema").GetString());
            Assert.True(doc.RootElement.GetProperty("cpu").GetProperty("idle_percent").GetDouble() is >= 0 and <= 100);
            foreach (var d in doc.RootElement.GetProperty("devices").EnumerateArray())
                Assert.True(d.GetProperty("utilization_percent").GetDouble() is >= 0 and <= 100);
        }
        using var f = JsonDocument.Parse(first!);
        Assert.True(f.RootElement.GetProperty("since_boot").GetBoolean());
        using var s = JsonDocument.Parse(second!);
        Assert.False(s.RootElement.GetProperty("since_boot").GetBoolean());
    }

    /// <summary>
    /// 32 MiB written with O_DIRECT through a FIFO-fed dd while iostat (ours and sysstat's), our
    /// iotop and pidstat -d watch the same 3-second window: each sees 32 MiB (device totals may
    /// add other traffic of the machine, so they are bounded below and loosely above).
    /// </summary>
    [Fact]
    public async Task DirectWriter_SeenByIostatIotopAndPidstat()
    {
        if (!Run.IsRoot) Assert.Skip("needs root for taskstats");
        if (!Run.CommandExists("iostat") || !Run.CommandExists("pidstat")) Assert.Skip("sysstat is not installed");
        var dir = Path.Combine(Run.RepoRoot, "artifacts", "iotest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string fifo = Path.Combine(dir, "in"), file = Path.Combine(dir, "out");
        try
        {
            Assert.Equal(0, Run.Program("mkfifo", [fifo]).ExitCode);
            using var dd = Process.Start("dd", ["if=" + fifo, "of=" + file, "bs=1M", "iflag=fullblock", "oflag=direct", "status=none"])!;
            await using (var feed = new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                string ddPid = dd.Id.ToString(CultureInfo.InvariantCulture);
                var ourIostat = Task.Run(() => Run.Procscope("iostat", "-d", "-y", "--json", "vda", "3", "1"));
                var theirIostat = Task.Run(() => Run.Program("iostat", ["-d", "-y", "-k", "vda", "3", "1"]));
                var iotop = Task.Run(() => Run.Procscope("iotop", "-b", "-P", "-a", "-p", ddPid, "-n", "1", "-d", "3", "--json"));
                var pidstat = Task.Run(() => Run.Program("pidstat", ["-d", "-p", ddPid, "3", "1"]));
                await Task.Delay(1000, TestContext.Current.CancellationToken);
                var block = new byte[1 << 20];
                for (int i = 0; i < 32; i++) await feed.WriteAsync(block, TestContext.Current.CancellationToken);
                await feed.FlushAsync(TestContext.Current.CancellationToken);
                var (oi, ti, it, ps) = (await ourIostat, await theirIostat, await iotop, await pidstat);
                const double MiB32 = 32 * 1024 * 1024;

                using var o = JsonDocument.Parse(oi.Stdout.Trim());
                var vda = o.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "vda");
                double oursWritten = vda.GetProperty("written_bytes").GetDouble();
                Assert.InRange(oursWritten, MiB32, MiB32 * 4);

                var row = ti.Stdout.Split('\n').Single(l => l.StartsWith("vda ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                double theirsWritten = D(row[6]) * 1024; // kB_wrtn
                Assert.InRange(theirsWritten, MiB32, MiB32 * 4);

                using var t = JsonDocument.Parse(it.Stdout.Trim().Split('\n')[^1]);
                var task = t.RootElement.GetProperty("tasks").EnumerateArray().Single();
                Assert.Equal(dd.Id, task.GetProperty("pid").GetInt32());
                Assert.InRange(task.GetProperty("write_bytes").GetDouble(), MiB32 * 0.99, MiB32 * 1.01);
                Assert.Equal("taskstats", t.RootElement.GetProperty("source").GetString());

                // pidstat -d: kB_wr/s over its 3-second interval.
                var line = ps.Stdout.Split('\n').First(l => l.Contains(" dd", StringComparison.Ordinal) && !l.StartsWith("Average", StringComparison.Ordinal));
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int pidAt = Array.IndexOf(f, ddPid);
                double kbWrPerSecond = D(f[pidAt + 2]);
                Assert.InRange(kbWrPerSecond * 3 * 1024, MiB32 * 0.85, MiB32 * 1.15);
            }
            dd.WaitForExit();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
