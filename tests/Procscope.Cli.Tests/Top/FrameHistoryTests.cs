using System.Globalization;
using System.Reflection;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Tests.Infrastructure;
using Procscope.Linux;

namespace Procscope.Cli.Tests.Top;

/// <summary>The rewind history's compact storage: rows read back equal the rows written; the time span and byte budget are honoured.</summary>
public sealed class FrameHistoryTests
{
    private static readonly string Fixture = Path.Combine(Run.RepoRoot, "tests", "fixtures", "debian12-hostile");
    private static readonly DateTime T0 = new(2026, 11, 25, 21, 50, 27);

    /// <summary>A frame of the hostile fixture with every detail column read for every row.</summary>
    private static TopFrame FixtureFrame()
    {
        var s = new TopSettings();
        s.Columns.InsertRange(s.Columns.IndexOf(TopField.Command), [TopField.Threads, TopField.Swap, TopField.Pss, TopField.Uss, TopField.Oom, TopField.Cgroup]);
        var c = new TopCollector(new ProcFs(Fixture), true, null, () => T0, () => 0);
        c.Collect(s, 0, 0);
        return c.Collect(s, 0, int.MaxValue);
    }

    private static readonly PropertyInfo[] RowProperties = typeof(TopRow).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Every public value of a row, as text (byte arrays in hex), for exact comparison.</summary>
    private static string Describe(TopRow r) => string.Join(" | ", RowProperties.Select(p => p.Name + "=" + (p.GetValue(r) switch
    {
        byte[] b => Convert.ToHexString(b),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "null",
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    })));

    private static TopRow Copy(TopRow r)
    {
        var c = new TopRow();
        foreach (var p in RowProperties) if (p.CanWrite) p.SetValue(c, p.GetValue(r));
        return c;
    }

    private static TopFrame WithRows(TopFrame f, DateTime time, TopRow[] rows) => new()
    {
        Time = time, UptimeSeconds = f.UptimeSeconds, Users = f.Users, Load = f.Load, Threads = f.Threads, Tasks = f.Tasks,
        Cpu = f.Cpu, PerCpu = f.PerCpu, Memory = f.Memory, CpuPressure = f.CpuPressure, IoPressure = f.IoPressure,
        MemoryPressure = f.MemoryPressure, Rows = rows, CpuCount = f.CpuCount,
    };

    private static void AssertSameRows(TopRow[] expected, TopFrame actual)
    {
        var want = expected.OrderBy(r => r.Pid).Select(Describe).ToArray();
        var got = actual.Rows.Select(Describe).ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i]);
    }

    [Fact]
    public void RowsWrittenThenRead_EqualTheOriginals_InEveryFrame()
    {
        var f0 = FixtureFrame();
        Assert.True(f0.Rows.Length >= 5, "the fixture has processes");
        Assert.Contains(f0.Rows, r => r.ShrKiB is not null); // details were read, so they round-trip too

        // Frame 1: one row busier, one gone, one new pid (a copy with another name), one renamed in place.
        var rows1 = f0.Rows.Select(Copy).ToList();
        rows1[0].CpuPercent = 42.5; rows1[0].TimeTicks += 17; rows1[0].State = 'R'; rows1[0].ResKiB += 4; rows1[0].MemPercent = 99.25;
        var gone = rows1[1];
        rows1.RemoveAt(1);
        var born = Copy(rows1[2]);
        born.Pid = 999_999; born.Tgid = 999_999; born.Name = "newborn"; born.NameRaw = "newborn"u8.ToArray(); born.MinFltPerSecond = 3; born.Processor = null;
        rows1.Add(born);
        rows1[3].Name = "renamed"; rows1[3].NameRaw = "renamed"u8.ToArray(); rows1[3].Nice = -20; rows1[3].Priority = -100;
        // Frame 2: the gone pid is back as a different process; the busy one is idle again.
        var rows2 = rows1.Select(Copy).ToList();
        rows2[0].CpuPercent = 0; rows2[0].ShrKiB = null; rows2[0].OomScore = null; rows2[0].Cgroup = null;
        var again = Copy(gone);
        again.StartTimeTicks += 1000; again.Name = "pid reused";
        rows2.Add(again);

        var frames = new[] { f0, WithRows(f0, T0.AddSeconds(3), rows1.ToArray()), WithRows(f0, T0.AddSeconds(6), rows2.ToArray()) };
        var h = new FrameHistory(600);
        for (int i = 0; i < frames.Length; i++)
        {
            h.Add(WithRows(frames[i], frames[i].Time, frames[i].Rows.Select(Copy).ToArray()));
            Assert.Equal(i + 1, h.Count);
            for (int j = 0; j <= i; j++)
            {
                var back = h.At(j);
                Assert.Equal(frames[j].Time, back.Time);
                Assert.Equal(frames[j].Memory, back.Memory);
                Assert.Equal(frames[j].Tasks, back.Tasks);
                AssertSameRows(frames[j].Rows, back);
                Assert.Equal(j, h.IndexOf(frames[j].Time));
            }
        }
    }

    [Fact]
    public void Span_OlderFramesDropped()
    {
        var f0 = FixtureFrame();
        var h = new FrameHistory(10);
        for (int i = 0; i <= 20; i++) h.Add(WithRows(f0, T0.AddSeconds(i), f0.Rows.Select(Copy).ToArray()));
        Assert.Equal(11, h.Count); // seconds 10..20
        Assert.Equal(T0.AddSeconds(10), h.OldestTime);
        Assert.Equal(10, h.KeptSeconds);
        Assert.Equal(-1, h.IndexOf(T0.AddSeconds(9)));
        AssertSameRows(f0.Rows, h.At(0));
    }

    [Fact]
    public void ByteBudget_Honoured_AndTheOldestKeptFrameIsIntact()
    {
        var f0 = FixtureFrame();
        const long budget = 64 * 1024;
        var h = new FrameHistory(1e9, budget);
        var written = new List<TopFrame>();
        for (int i = 0; i < 400; i++)
        {
            // Every row changes every refresh: the worst case for the undo lists.
            var rows = f0.Rows.Select(Copy).ToArray();
            foreach (var r in rows) { r.CpuPercent = i % 7; r.TimeTicks += (ulong)i; }
            var f = WithRows(f0, T0.AddSeconds(i), rows);
            written.Add(f);
            h.Add(WithRows(f, f.Time, rows.Select(Copy).ToArray()));
            Assert.True(h.Bytes <= budget || h.Count == 1, $"{h.Bytes} bytes held with {h.Count} frames, over the {budget} budget");
        }
        Assert.True(h.Count is > 10 and < 400, $"{h.Count} frames kept");
        Assert.Equal(written[^1].Time, h.NewestTime);
        var oldest = written.Single(f => f.Time == h.OldestTime);
        AssertSameRows(oldest.Rows, h.At(0));
        AssertSameRows(written[^1].Rows, h.At(h.Count - 1));
    }
}
