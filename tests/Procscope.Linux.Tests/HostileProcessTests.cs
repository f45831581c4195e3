using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Procscope.Core.Parsing;
using Procscope.Linux.Processes;

namespace Procscope.Linux.Tests;

/// <summary>
/// Live: tests/tracees/hostile.c children with hostile comm and argv bytes, read by a snapshot and
/// compared with the bytes they set and with procps ps run at the same moment.
/// </summary>
public sealed partial class HostileProcessTests
{
    private const ProcessFields Fields = ProcessFields.Stat | ProcessFields.Status | ProcessFields.Cmdline | ProcessFields.Comm;
    private static readonly byte[] LongName = "long-argv"u8.ToArray();

    private sealed record Child(int Pid, byte[] Comm);

    private static List<Child> Children(Tracee t) =>
        t.Lines.Select(l => l.Split('\t')).Select(f => new Child(int.Parse(f[0], CultureInfo.InvariantCulture), Convert.FromHexString(f[1]))).ToList();

    private static Dictionary<int, ProcessSample> Snapshot(Tracee t, IEnumerable<Child> kids)
    {
        var snap = ProcessSnapshot.Take(ProcFs.Default, new SnapshotOptions { Fields = Fields, Pids = kids.Select(k => k.Pid).Append(t.Pid).ToArray() });
        return snap.Samples.ToDictionary(s => s.Pid);
    }

    [Fact]
    public void Snapshot_HostileChildren_CommBytesPpidAndStateExact()
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t);
        Assert.Equal(27, kids.Count);
        // A child prints its line just before pause(): under load it may still be running ('R') for
        // a moment. Wait (bounded) until every child sleeps; then assert every field.
        var samples = Snapshot(t, kids);
        for (int i = 0; i < 100 && kids.Any(k => samples[k.Pid].Stat?.State != 'S'); i++)
        {
            Thread.Sleep(50);
            samples = Snapshot(t, kids);
        }
        foreach (var k in kids)
        {
            var s = samples[k.Pid];
            Assert.Equal(SampleStatus.Ok, s.Status);
            Assert.Equal(k.Comm, s.Stat!.CommBytes);
            Assert.Equal(k.Comm, s.Comm!.NameBytes);
            Assert.Equal(k.Comm, s.StatusFile!.NameBytes);
            Assert.Equal(t.Pid, s.Stat.PPid);
            Assert.Equal(t.Pid, s.StatusFile.PPid);
            Assert.Equal('S', s.Stat.State);
            Assert.Equal('S', s.StatusFile.State);
        }
        Assert.Equal("hostile"u8.ToArray(), samples[t.Pid].Stat!.CommBytes);
    }

    [Fact]
    public void Snapshot_HostileChildren_ArgvIsTheUntruncatedName()
    {
        using var t = Tracees.Start("hostile");
        var samples = Snapshot(t, Children(t));
        foreach (var k in Children(t).Where(k => !k.Comm.AsSpan().SequenceEqual(LongName)))
        {
            var args = samples[k.Pid].Cmdline!.Args;
            Assert.Equal(2, args.Length);
            Assert.Equal("--hostile-child"u8.ToArray(), args[1]);
            // argv[0] is the whole name; the kernel kept its first 15 bytes as comm.
            Assert.True(args[0].AsSpan().StartsWith(k.Comm), $"pid {k.Pid}: {Convert.ToHexString(args[0])}");
            if (k.Comm.Length < 15) Assert.Equal(k.Comm, args[0]);
            else Assert.True(args[0].Length >= 15);
        }
    }

    [Fact]
    public void Cmdline_LongRewrittenArgv_ReadWholeAndEqualsPs()
    {
        using var t = Tracees.Start("hostile");
        var kid = Children(t).Single(k => k.Comm.AsSpan().SequenceEqual(LongName));
        var s = Snapshot(t, [kid])[kid.Pid];
        var arg = Assert.Single(s.Cmdline!.Args);
        Assert.Equal((long)(s.Stat!.ArgEnd!.Value - s.Stat.ArgStart!.Value) - 1, arg.Length);
        Assert.True(arg.Length >= 204_800, $"{arg.Length} bytes");
        for (int i = 0; i < arg.Length; i++)
            if (arg[i] != (byte)('a' + i % 26)) Assert.Fail($"byte {i} is {arg[i]:x2}");

    }

    /// <summary>
    /// Known difference: procps 4.0.2 cuts every column, args included, at its output buffer
    /// (OUTBUF_SIZE in ps/common.h, 2 * 64 KiB): `ps -ww -o args` shows the first 131071 bytes of a
    /// longer command line. We read it whole.
    /// </summary>
    [Fact]
    public void Cmdline_LongRewrittenArgv_ProcpsShowsOnlyItsFirst128KiB()
    {
        using var t = Tracees.Start("hostile");
        var kid = Children(t).Single(k => k.Comm.AsSpan().SequenceEqual(LongName));
        var arg = Assert.Single(Snapshot(t, [kid])[kid.Pid].Cmdline!.Args);
        var ps = Cmd.Run("ps", ["-ww", "-o", "args=", "-p", kid.Pid.ToString(CultureInfo.InvariantCulture)], Cmd.Locale("C"));
        if (ps is null) Assert.Skip("no ps");
        Assert.Equal(0, ps.ExitCode);
        Assert.Equal([.. arg.AsSpan(0, 131071), (byte)'\n'], ps.Stdout);
        Assert.True(arg.Length > 131071);
    }

    [Fact]
    public void Comm_Utf8Locale_SanitizedEqualsProcps()
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t);
        var ps = PsComm(t, kids, "C.UTF-8");
        foreach (var k in kids.Where(k => !HasFormatCharacter(k.Comm)))
            Assert.Equal(ps[k.Pid], TextSanitizer.ForTerminal(k.Comm, utf8: true));
    }

    /// <summary>
    /// Known difference: procps 4.0.2 in a UTF-8 locale prints Unicode format characters (category
    /// Cf, e.g. U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE) raw, because glibc's
    /// iswprint() calls them printable; TextSanitizer shows each as one '?'.
    /// </summary>
    [Fact]
    public void Comm_Utf8Locale_FormatCharacters_ProcpsPrintsThemRawWeShowQuestionMark()
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t).Where(k => HasFormatCharacter(k.Comm)).ToList();
        Assert.Equal(2, kids.Count); // rlo<U+202E>evil, zw<U+200B>sp
        var ps = PsComm(t, kids, "C.UTF-8");
        foreach (var k in kids)
        {
            Assert.Equal(Encoding.UTF8.GetString(k.Comm), ps[k.Pid]);
            Assert.Equal(FormatCharactersAsQuestionMark(k.Comm), TextSanitizer.ForTerminal(k.Comm, utf8: true));
        }
    }

    [Fact]
    public void Comm_CLocale_SanitizedEqualsProcps()
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t);
        var ps = PsComm(t, kids, "C");
        foreach (var k in kids.Where(k => !HasControlByte(k.Comm)))
            Assert.Equal(ps[k.Pid], TextSanitizer.ForTerminal(k.Comm, utf8: false));
    }

    /// <summary>
    /// Known difference: procps 4.0.2 outside a UTF-8 locale shows control bytes (0x00-0x1f, 0x7f)
    /// as '.' (the codes[] table of escape_str()); TextSanitizer shows '?' as in a UTF-8 locale.
    /// Bytes from 0x80 are '?' in both.
    /// </summary>
    [Fact]
    public void Comm_CLocale_ControlBytes_ProcpsPrintsDotWeShowQuestionMark()
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t).Where(k => HasControlByte(k.Comm)).ToList();
        Assert.Equal(3, kids.Count); // new\nline, \e[31mred, tab\there\x7f
        var ps = PsComm(t, kids, "C");
        foreach (var k in kids)
        {
            Assert.Equal(FixtureTests.ProcpsCLocale(k.Comm), ps[k.Pid]);
            Assert.Equal(FixtureTests.ProcpsCLocale(k.Comm).Replace('.', '?'), TextSanitizer.ForTerminal(k.Comm, utf8: false));
        }
    }

    [Fact]
    public void Stop_OnStdinEof_KillsAndReapsEveryChild() => AssertNoLeftovers(t => t.Stop());

    [Fact]
    public void Stop_OnSigint_KillsAndReapsEveryChild() => AssertNoLeftovers(t =>
    {
        Assert.Equal(0, Tracees.kill(t.Pid, Tracees.SIGINT));
        Assert.True(t.WaitForExit(TimeSpan.FromSeconds(30)));
    });

    private static void AssertNoLeftovers(Action<Tracee> stop)
    {
        using var t = Tracees.Start("hostile");
        var kids = Children(t);
        var starts = Snapshot(t, kids).ToDictionary(p => p.Key, p => p.Value.Stat!.StartTimeTicks);
        stop(t);
        Assert.Equal(0, t.ExitCode);
        foreach (var k in kids)
        {
            // Gone, or the pid was reused by an unrelated process (another start time).
            var now = ProcessSnapshot.Take(ProcFs.Default, new SnapshotOptions { Pids = [k.Pid] }).Samples;
            Assert.True(now.Count == 0 || now[0].Stat!.StartTimeTicks != starts[k.Pid], $"child {k.Pid} is still there");
        }
    }

    /// <summary>
    /// ps -o pid=,ppid=,stat=,comm= under LC_ALL=locale; checks pid, ppid and state and returns the
    /// comm column. STAT is a 4-wide left-aligned column, then one space; comm runs to the end of the line.
    /// </summary>
    private static Dictionary<int, string> PsComm(Tracee t, IReadOnlyCollection<Child> kids, string locale)
    {
        if (locale != "C" && !File.Exists("/usr/lib/locale/C.utf8/LC_CTYPE") && !Directory.Exists("/usr/lib/locale/C.UTF-8"))
            Assert.Skip($"no {locale} locale");
        var ps = Cmd.Run("ps", ["-o", "pid=,ppid=,stat=,comm=", "-p", string.Join(',', kids.Select(k => k.Pid))], Cmd.Locale(locale));
        if (ps is null) Assert.Skip("no ps");
        Assert.Equal(0, ps.ExitCode);
        var result = new Dictionary<int, string>();
        foreach (var line in Encoding.UTF8.GetString(ps.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = PsLine().Match(line);
            Assert.True(m.Success, line);
            Assert.Equal(t.Pid, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal("S", m.Groups[3].Value);
            int commStart = Math.Max(m.Groups[3].Index + 4, m.Groups[3].Index + m.Groups[3].Length) + 1;
            result.Add(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), commStart < line.Length ? line[commStart..] : "");
        }
        Assert.Equal(kids.Select(k => k.Pid).Order(), result.Keys.Order());
        return result;
    }

    [GeneratedRegex(@"^ *(\d+) +(\d+) (\S+)")]
    private static partial Regex PsLine();

    private static bool HasControlByte(byte[] raw) => raw.Any(b => b < 0x20 || b == 0x7f);

    private static bool HasFormatCharacter(byte[] raw) => Runes(raw).Any(r => r is { } x && Rune.GetUnicodeCategory(x) == UnicodeCategory.Format);

    private static string FormatCharactersAsQuestionMark(byte[] raw) =>
        string.Concat(Runes(raw).Select(r => r is { } x ? (Rune.GetUnicodeCategory(x) == UnicodeCategory.Format ? "?" : x.ToString()) : "\uFFFD"));

    /// <summary>The runes of valid UTF-8 (null for each byte of an invalid sequence).</summary>
    private static IEnumerable<Rune?> Runes(byte[] raw)
    {
        for (int i = 0; i < raw.Length;)
        {
            if (Rune.DecodeFromUtf8(raw.AsSpan(i), out var r, out int n) == System.Buffers.OperationStatus.Done)
            {
                yield return r;
                i += n;
            }
            else
            {
                yield return null;
                i++;
            }
        }
    }
}
