using System.Text;
using Procscope.Cli.Commands.Ps;

namespace Procscope.Cli.Tests.Ps;

/// <summary>Formatting helpers: time formats, procps' escaping of hostile names, column layout. Expected strings are what procps-ng 4.0.2 prints.</summary>
public sealed class PsFormatTests
{
    private static string Run(Action<RowBuffer> write)
    {
        var b = new RowBuffer();
        write(b);
        return new string(b.Span);
    }

    [Fact]
    public void Cumulative_HoursMinutesSecondsWithDays()
    {
        Assert.Equal("00:00:00", Run(b => PsTime.Cumulative(0, b)));
        Assert.Equal("00:01:05", Run(b => PsTime.Cumulative(65, b)));
        Assert.Equal("23:59:59", Run(b => PsTime.Cumulative(86399, b)));
        Assert.Equal("1-01:01:01", Run(b => PsTime.Cumulative(86400 + 3661, b)));
        Assert.Equal("123-00:00:00", Run(b => PsTime.Cumulative(123 * 86400UL, b)));
    }

    [Fact]
    public void Elapsed_OmitsZeroHoursAndDays()
    {
        Assert.Equal("00:59", Run(b => PsTime.Elapsed(59, b)));
        Assert.Equal("01:00:00", Run(b => PsTime.Elapsed(3600, b)));
        Assert.Equal("1-00:00:05", Run(b => PsTime.Elapsed(86405, b)));
    }

    [Fact]
    public void Bsd_MinutesAndSeconds()
    {
        Assert.Equal("  0:00", Run(b => PsTime.Bsd(0, b)));
        Assert.Equal("  2:05", Run(b => PsTime.Bsd(125, b)));
        Assert.Equal("1000:00", Run(b => PsTime.Bsd(60000, b)));
    }

    [Fact]
    public void Stime_TodayThisYearOtherYear()
    {
        var utc = TimeZoneInfo.Utc;
        long now = new DateTimeOffset(2024, 6, 15, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var nowLocal = PsTime.Local(now, utc);
        Assert.Equal("09:05", Run(b => PsTime.Stime(now - (2 * 3600 + 55 * 60), nowLocal, utc, b)));
        Assert.Equal("Jun01", Run(b => PsTime.Stime(now - 14 * 86400, nowLocal, utc, b)));
        Assert.Equal("2023", Run(b => PsTime.Stime(now - 200 * 86400, nowLocal, utc, b)));
    }

    [Fact]
    public void Start_LstartAndBsdstart()
    {
        var utc = TimeZoneInfo.Utc;
        long t = new DateTimeOffset(2024, 3, 5, 7, 8, 9, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal("Tue Mar  5 07:08:09 2024", PsTime.Ctime(t, utc));
        Assert.Equal("07:08:09", Run(b => PsTime.Start(t, t + 60, utc, b)));
        Assert.Equal("  Mar 05", Run(b => PsTime.Start(t, t + 2 * 86400, utc, b)));
        Assert.Equal(" 07:08", Run(b => PsTime.BsdStart(t, t + 60, utc, b)));
        Assert.Equal("Mar  5", Run(b => PsTime.BsdStart(t, t + 2 * 86400, utc, b)));
    }

    private static string Display(byte[] raw, bool utf8, int cells = 1000)
    {
        var lib = PsEscape.Library(raw, utf8);
        return Run(b => PsEscape.Output(lib, utf8, cells, b));
    }

    [Fact]
    public void Escape_Utf8Locale_ControlsBecomeQuestionMarks()
    {
        Assert.Equal("a) b", Display("a) b"u8.ToArray(), true));
        Assert.Equal("x?y", Display("x\ny"u8.ToArray(), true));
        Assert.Equal("?[31mred", Display("\u001b[31mred"u8.ToArray(), true));
        Assert.Equal("tab?here", Display("tab\there"u8.ToArray(), true));
        Assert.Equal("héllo", Display("héllo"u8.ToArray(), true));
    }

    [Fact]
    public void Escape_Utf8Locale_AfterInvalidByteTheRestIsAscii()
    {
        // procps: "mix\xc3\xa9\xff\x01z" shows as "mixé?.z" (the control after the bad byte is '.').
        Assert.Equal("mixé?.z", Display([.. "mix"u8, 0xC3, 0xA9, 0xFF, 0x01, (byte)'z'], true));
        Assert.Equal("??ab", Display([0xFF, 0xFE, (byte)'a', (byte)'b'], true));
    }

    [Fact]
    public void Escape_CLocale_ControlsBecomeDotsHighBytesQuestionMarks()
    {
        Assert.Equal("x.y", Display("x\ny"u8.ToArray(), false));
        Assert.Equal(".[31mred", Display("\u001b[31mred"u8.ToArray(), false));
        Assert.Equal("h??llo", Display("héllo"u8.ToArray(), false));
    }

    [Fact]
    public void Escape_NeverLetsAControlThrough()
    {
        var all = new byte[255];
        for (int i = 0; i < all.Length; i++) all[i] = (byte)(i + 1);
        foreach (bool utf8 in new[] { true, false })
        {
            var s = Display(all, utf8);
            Assert.DoesNotContain(s, ch => ch < 0x20 || (ch >= 0x7f && ch < 0xa0));
        }
        // C1 controls encoded in UTF-8 (U+009B is a CSI on some terminals).
        Assert.Equal("a?b", Display([(byte)'a', 0xC2, 0x9B, (byte)'b'], true));
    }

    [Fact]
    public void Escape_CellsLimitWideCharacters()
    {
        var cjk = Encoding.UTF8.GetBytes("日本語テス");
        Assert.Equal(10, PsEscape.Cells(cjk, true));
        // Truncated at whole characters: 5 cells hold two wide characters.
        Assert.Equal("日本", Display(cjk, true, 5));
        Assert.Equal(15, PsEscape.Cells(cjk, false));
    }

    [Fact]
    public void StrVersCmp_NumbersCompareNumerically()
    {
        Assert.True(PsSort.StrVersCmp("pts/9"u8, "pts/10"u8) < 0);
        Assert.True(PsSort.StrVersCmp("?"u8, "pts/0"u8) < 0);
        Assert.True(PsSort.StrVersCmp("tty2"u8, "tty10"u8) < 0);
        Assert.Equal(0, PsSort.StrVersCmp("pts/3"u8, "pts/3"u8));
    }

    private static string Header(params string[] args)
    {
        var env = new PsParseEnvironment { ScreenCols = RowBuffer.Capacity, PidLength = 5 };
        var o = PsParser.Parse(args, env);
        var w = new StringWriter();
        var ctx = new PsContext
        {
            Options = o,
            Fs = new Linux.ProcFs("/nonexistent"),
            System = new Core.Sys.SystemInfo(4096, 100, 0, 1),
            Utf8 = true,
            Zone = TimeZoneInfo.Utc,
            Terminals = new Linux.TerminalNames(new Linux.ProcFs("/nonexistent")),
            Users = Linux.UserDatabase.Shared,
        };
        var cols = o.Columns.ToArray();
        new PsTable(w, ctx, cols).Write(null, cols);
        return w.ToString();
    }

    [Fact]
    public void Layout_HeadersMatchProcps()
    {
        Assert.Equal("  PID TTY          TIME CMD\n", Header());
        Assert.Equal("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n", Header("aux"));
        Assert.Equal("UID        PID  PPID  C STIME TTY          TIME CMD\n", Header("-ef"));
        Assert.Equal("F S   UID   PID  PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD\n", Header("-l"));
        Assert.Equal(" PPID   PID  PGID   SID TTY      TPGID STAT   UID   TIME COMMAND\n", Header("axj"));
        Assert.Equal("  PID COMMAND        \n", Header("-o", "%p %c"));
    }

    [Fact]
    public void Layout_ActiveColumns_MultipleOfScreenWidth()
    {
        var o = PsParser.Parse(["-eF"], new PsParseEnvironment { ScreenCols = 40, PidLength = 5 });
        int active = PsTable.ActiveColumns(40, [.. o.Columns], out _);
        Assert.Equal(80, active);
        Assert.Equal(80, PsTable.ActiveColumns(80, [.. o.Columns], out _));
    }
}
