using Procscope.Cli.Commands.Ps;
using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Tests.Ps;

/// <summary>
/// The ps command line as procps-ng 4.0.2 parses it: UNIX, BSD and GNU syntax mixed, the BSD
/// second pass, format and sort specifications, and its error messages. Expected columns are the
/// headers procps prints for the same options on Debian 12.
/// </summary>
public sealed class PsParserTests
{
    private static readonly PsParseEnvironment Env = new()
    {
        OwnTty = 0x8801,
        ScreenCols = 80,
        ScreenRows = 24,
        PidLength = 5,
        UserId = name => name switch { "root" => 0, "nobody" => 65534, _ => null },
        GroupId = name => name switch { "root" => 0, _ => null },
        Tty = name => name switch { "pts/1" or "1" => (0x8801, null), _ => (0, "TTY could not be found") },
    };

    private static PsOptions Parse(params string[] args) => PsParser.Parse(args, Env);

    private static string Headers(params string[] args) => string.Join(' ', Parse(args).Columns.Select(c => c.Name));

    private static string Error(params string[] args) => Assert.Throws<CliException>(() => Parse(args)).Message;

    [Fact]
    public void Parse_NoArguments_SameEuidSameTtyAsCaller()
    {
        var o = Parse();
        Assert.Equal("PID TTY TIME CMD", Headers());
        Assert.False(o.AllProcesses);
        Assert.Equal(0xaa00, o.SelectBits);
        Assert.Empty(o.Selections);
    }

    [Fact]
    public void Parse_Aux_AllProcessesUserFormat()
    {
        var o = Parse("aux");
        Assert.True(o.AllProcesses);
        Assert.Equal("USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND", Headers("aux"));
        Assert.Equal(["user", "pid", "pcpu", "pmem", "vsz", "rss", "tname", "stat", "start_time", "bsdtime", "args"], o.Columns.Select(c => c.Field!.Spec));
    }

    [Fact]
    public void Parse_DashAux_FallsBackToBsdParse()
    {
        // "-aux" fails as UNIX options (-u takes "x" as a user that does not exist) and is
        // reparsed as BSD options, as procps does.
        Assert.Equal(Headers("aux"), Headers("-aux"));
        Assert.True(Parse("-aux").AllProcesses);
    }

    [Fact]
    public void Parse_UnixFullFormats_ProcpsColumns()
    {
        Assert.Equal("UID PID PPID C STIME TTY TIME CMD", Headers("-ef"));
        Assert.Equal("UID PID PPID C SZ RSS PSR STIME TTY TIME CMD", Headers("-eF"));
        Assert.Equal("F S UID PID PPID C PRI NI ADDR SZ WCHAN TTY TIME CMD", Headers("-el"));
        Assert.Equal("S UID PID PPID C PRI NI RSS SZ WCHAN TTY TIME CMD", Headers("-ely"));
        Assert.Equal("UID PID PPID LWP C NLWP STIME TTY TIME CMD", Headers("-eLf"));
        Assert.Equal("PID LWP TTY TIME CMD", Headers("-L"));
        Assert.Equal("PID SPID TTY TIME CMD", Headers("-T"));
        Assert.Equal("PID PGID SID TTY TIME CMD", Headers("-ej"));
        Assert.Equal("F S UID PID PPID CLS PRI ADDR SZ WCHAN TTY TIME CMD", Headers("-lc"));
    }

    [Fact]
    public void Parse_BsdFormats_ProcpsColumns()
    {
        Assert.Equal("PPID PID PGID SID TTY TPGID STAT UID TIME COMMAND", Headers("axj"));
        Assert.Equal("F UID PID PPID PRI NI VSZ RSS WCHAN STAT TTY TIME COMMAND", Headers("l"));
        Assert.Equal("PID TTY STAT TIME MAJFL TRS DRS RSS %MEM COMMAND", Headers("v"));
        Assert.Equal("PID TTY STAT TIME COMMAND", Headers("x"));
        Assert.Equal("PID TTY STAT TIME COMMAND", Headers("m"));
    }

    [Fact]
    public void Parse_BigO_WrapsUserColumnsWithPidAndTrailer()
    {
        Assert.Equal("PID RSS S TTY TIME COMMAND", Headers("-O", "rss"));
        Assert.Equal("PID RSS S TTY TIME COMMAND", Headers("O", "rss"));
    }

    [Fact]
    public void Parse_UserFormat_HeadersWidthsAndMultipleOptions()
    {
        var o = Parse("-o", "pid,comm=Name", "-o", "user:12", "o", "rss=");
        Assert.Equal(["PID", "Name", "USER", ""], o.Columns.Select(c => c.Name));
        Assert.Equal(12, o.Columns[2].Width);
        Assert.Equal(15, o.Columns[1].Width);
        // A trailing delimiter is allowed once.
        Assert.Equal("PID PPID", Headers("-o", "pid,ppid,"));
        // Aliases.
        Assert.Equal("%CPU %MEM COMMAND CMD F S C LWP NLWP", Headers("-o", "%cpu,%mem,command,ucmd,f,s,c,lwp,nlwp"));
    }

    [Fact]
    public void Parse_HeaderOverride_GrowsTheColumn()
    {
        var col = Parse("-o", "pid=ProcessIdentifier").Columns.Single();
        Assert.Equal("ProcessIdentifier", col.Name);
        Assert.Equal(17, col.Width);
    }

    [Fact]
    public void Parse_AixDescriptors_CountATrailingEmptyLiteral()
    {
        var cols = Parse("-o", "%p %c").Columns;
        Assert.Equal(["PID", " ", "COMMAND", ""], cols.Select(c => c.Name));
        Assert.Null(cols[1].Field);
        Assert.Equal(J.Aix, cols[3].Just);
    }

    [Fact]
    public void Parse_Sort_LastWrittenAppliedFirst()
    {
        var o = Parse("-e", "--sort=-rss,pid");
        Assert.Equal(["pid", "rss"], o.Sort.Select(s => s.Field.Spec));
        Assert.False(o.Sort[0].Descending);
        Assert.True(o.Sort[1].Descending);
        var k = Parse("ax", "k", "+user,-%cpu");
        Assert.Equal(["%cpu", "user"], k.Sort.Select(s => s.Field.Spec));
    }

    [Fact]
    public void Parse_ShortSortO_SignAppliesToOneLetter()
    {
        var o = Parse("O-rp");
        // -r descending; p without its own sign gets procps' direction 0, which is ignored.
        var node = Assert.Single(o.Sort);
        Assert.Equal("rss", node.Field.Spec);
        Assert.True(node.Descending);
    }

    [Fact]
    public void Parse_SelectionLists_CommaAndBlankSeparated()
    {
        var o = Parse("-p", "1 2,3", "--ppid", "4", "-u", "root,nobody", "-t", "pts/1", "-C", "bash,sshd");
        Assert.Equal([1u, 2u, 3u], o.Selections[0].Values);
        Assert.Equal(SelectionType.Ppid, o.Selections[1].Type);
        Assert.Equal([0u, 65534u], o.Selections[2].Values);
        Assert.Equal([0x8801u], o.Selections[3].Values);
        Assert.Equal(["bash", "sshd"], o.Selections[4].Names!);
    }

    [Fact]
    public void Parse_TrailingPidsPgrpsAndSessions()
    {
        var o = Parse("u", "12", "-34", "+56");
        Assert.Contains(o.Selections, s => s.Type == SelectionType.Pid && s.Values.SequenceEqual([12u]));
        Assert.Contains(o.Selections, s => s.Type == SelectionType.Pgrp && s.Values.SequenceEqual([34u]));
        Assert.Contains(o.Selections, s => s.Type == SelectionType.Session && s.Values.SequenceEqual([56u]));
    }

    [Fact]
    public void Parse_BsdT_SelectsOwnTerminal()
    {
        var o = Parse("T");
        Assert.Equal([(uint)Env.OwnTty], Assert.Single(o.Selections).Values);
    }

    [Fact]
    public void Parse_Threads_FlagsAndConflicts()
    {
        Assert.True((Parse("-eLf").Threads & ThreadFlags.ShowTask) != 0);
        Assert.Equal(ThreadFlags.BsdM | ThreadFlags.ShowProc | ThreadFlags.ShowTask | ThreadFlags.ShowBoth, Parse("m").Threads);
        Assert.True((Parse("H").Threads & ThreadFlags.LooseTasks) != 0);
        Assert.Equal("thread display conflicts with forest display", Error("-L", "--forest"));
        Assert.Equal("thread flags conflict; can't use both -L and -T", Error("-L", "-T"));
    }

    [Fact]
    public void Parse_Forest_Types()
    {
        Assert.Equal('b', Parse("axjf").ForestType);
        Assert.Equal('g', Parse("-e", "--forest").ForestType);
        Assert.Equal('u', Parse("-eH").ForestType);
    }

    [Fact]
    public void Parse_Width_WAndColumnsOptions()
    {
        Assert.Equal(132, Parse("-w").ScreenCols);
        Assert.Equal(RowBuffer.Capacity, Parse("-ww").ScreenCols);
        Assert.Equal(RowBuffer.Capacity, Parse("ww").ScreenCols);
        Assert.Equal(50, Parse("--cols=50").ScreenCols);
        Assert.Equal(60, Parse("--width", "60").ScreenCols);
    }

    [Fact]
    public void Parse_Headers_NoneAndMulti()
    {
        Assert.Equal(HeaderType.None, Parse("--no-headers").Header);
        Assert.Equal(HeaderType.None, Parse("h").Header);
        Assert.Equal(HeaderType.Multi, Parse("--headers").Header);
        Assert.Equal("only one heading option may be specified", Error("--headers", "--no-headers"));
    }

    [Fact]
    public void Parse_JsonOptions()
    {
        Assert.True(Parse("aux", "--json").Json);
        var o = Parse("-ef", "--json-lines");
        Assert.True(o.Json && o.JsonLines);
    }

    [Fact]
    public void Parse_Errors_ProcpsMessages()
    {
        Assert.Equal("unknown gnu long option", Error("--foo"));
        Assert.Equal("unknown user-defined format specifier \"nosuchfield\"", Error("-o", "nosuchfield"));
        Assert.Equal("process ID list syntax error", Error("-p", "abc"));
        Assert.Equal("process ID out of range", Error("-p", "0"));
        Assert.Equal("user name does not exist", Error("-u", "nosuchuser"));
        Assert.Equal("TTY could not be found", Error("-t", "nosuchtty"));
        Assert.Equal("unknown sort specifier", Error("--sort=nosuch"));
        Assert.Equal("column widths must be unsigned decimal numbers", Error("-o", "pid:0"));
        Assert.Equal("can not set width for a macro (multi-column) format specifier", Error("-o", "DefBSD:5"));
        Assert.Equal("improper list", Error("-p", ",1"));
        Assert.Equal("list of process IDs must follow -p", Error("-p"));
        Assert.Equal("conflicting format options", Error("-f", "u"));
        Assert.Equal("garbage option", Error("%"));
        Assert.Equal("unknown AIX field descriptor", Error("-o", "%Z"));
    }

    [Fact]
    public void Parse_QuickPid_Conflicts()
    {
        Assert.Single(Parse("-q", "1").Selections);
        Assert.Equal("q/-q/--quick-pid cannot be combined with other selection options.", Error("-q", "1", "-p", "2"));
    }

    [Fact]
    public void Parse_HelpVersionAndSpecifierList_AreActions()
    {
        Assert.Equal(PsAction.Help, Parse("--help").Action);
        Assert.Equal("all", Parse("--help", "all").HelpTopic);
        Assert.Equal(PsAction.Version, Parse("-V").Action);
        Assert.Equal(PsAction.Version, Parse("V").Action);
        Assert.Equal(PsAction.ListSpecifiers, Parse("L").Action);
        Assert.Equal("the option is exclusive: -V", Error("-V", "-e"));
    }

    [Fact]
    public void StrToUL_BaseZeroLikeC()
    {
        Assert.True(PsParser.StrToUL("0x10", out ulong hex));
        Assert.Equal(16UL, hex);
        Assert.True(PsParser.StrToUL("010", out ulong oct));
        Assert.Equal(8UL, oct);
        Assert.True(PsParser.StrToUL(" 42", out ulong dec));
        Assert.Equal(42UL, dec);
        Assert.False(PsParser.StrToUL("12a", out _));
        Assert.False(PsParser.StrToUL("09", out _));
    }

    [Fact]
    public void Fields_AtLeastFortyImplementedSpecifiers()
    {
        var implemented = PsFields.All.Count(f => f.Render != R.Nop);
        Assert.True(implemented >= 40, $"{implemented} implemented specifiers");
        foreach (var spec in new[] { "uss", "pss", "swap", "io_read_bytes", "io_write_bytes", "ctxsw_vol", "ctxsw_invol", "oom_score" })
            Assert.NotNull(PsFields.Find(spec));
    }
}
