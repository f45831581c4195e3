using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ps;

/// <summary>
/// procscope ps against procps' ps, run at the same moment on this machine, for the invocations
/// people type. See <see cref="PsOracle"/> for what is compared and what is tolerated.
/// </summary>
[Collection(PsLiveCollection.Name)]
public sealed class PsOracleTests(PsFixtureProcesses fixtures)
{
    private void Same(params string[] args) => PsOracle.AssertSame(args, fixtures);

    [Fact] public void Ps_NoArguments() => Same();
    [Fact] public void Ps_Aux() => Same("aux");
    [Fact] public void Ps_DashAux_BsdFallback() => Same("-aux");
    [Fact] public void Ps_Ef() => Same("-ef");
    [Fact] public void Ps_EBigF() => Same("-eF");
    [Fact] public void Ps_Ely() => Same("-ely");
    [Fact] public void Ps_El() => Same("-el");
    [Fact] public void Ps_ELf_Threads() => Same("-eLf");
    [Fact] public void Ps_Axjf_Forest() => Same("axjf");
    [Fact] public void Ps_EForest() => Same("-e", "--forest");
    [Fact] public void Ps_AuxForest() => Same("aux", "--forest");
    [Fact] public void Ps_EH_Hierarchy() => Same("-eH");
    [Fact] public void Ps_Ejh_JobsHierarchy() => Same("-ejH");
    [Fact] public void Ps_L_Threads() => Same("-eL");
    [Fact] public void Ps_T_Threads() => Same("-eT");
    [Fact] public void Ps_M_ThreadsAfterProcesses() => Same("m");
    [Fact] public void Ps_AxM_ThreadsAfterProcesses() => Same("axm", "-o", "pid,tid,tty,stat,comm");
    [Fact] public void Ps_H_ThreadsAsProcesses() => Same("axH");
    [Fact] public void Ps_DashM_FixtureThreads() => Same("-m", "-p", fixtures.PidList, "-o", "pid,tid,stat,comm");
    [Fact] public void Ps_M_Fixtures() => Same("m", "-p", fixtures.PidList);
    [Fact] public void Ps_BsdL() => Same("axl");
    [Fact] public void Ps_BsdJ() => Same("axj");
    [Fact] public void Ps_BsdV() => Same("axv");
    [Fact] public void Ps_BsdS() => Same("axs");
    [Fact] public void Ps_EjPgidSid() => Same("-ej");
    [Fact] public void Ps_Lc_SchedulingClass() => Same("-elc");

    [Fact]
    public void Ps_UserFormat_ManyFields() => Same("-e", "-o",
        "pid,ppid,pgid,sid,tpgid,tid,nlwp,user,euser,ruser,uid,gid,group,tty,stat,state,ni,pri,rtprio,policy,rss,rsz,vsz,sz,maj_flt,min_flt,time,lstart,start,bsdstart,cmd");

    [Fact]
    public void Ps_UserFormat_Aliases() => Same("-e", "-o", "%cpu,%mem,f,s,c,lwp,label,psr,flags,ucmd,wchan,comm,command");

    [Fact]
    public void Ps_UserFormat_HeadersWidthsAndMultipleOptions() =>
        Same("-e", "-o", "pid=Process,user:12,comm=Name", "-o", "args:20,ppid", "o", "rss=");

    [Fact] public void Ps_UserFormat_BigO() => Same("-eO", "rss,ppid");
    [Fact] public void Ps_UserFormat_Aix() => Same("-e", "-o", "%p %P %c %a");
    [Fact] public void Ps_Sort_ByPidDescending() => Same("-e", "--sort=-pid", "-o", "pid,ppid,comm");
    [Fact] public void Ps_Sort_UserThenPid() => Same("ax", "--sort", "user,-pid", "-o", "user,pid,comm");
    [Fact] public void Ps_Sort_K() => Same("ax", "k", "comm,pid", "o", "pid,comm");
    [Fact] public void Ps_Sort_Tty() => Same("-e", "--sort=tty,pid");
    [Fact] public void Ps_Select_Pid() => Same("-p", fixtures.PidList, "-f");
    [Fact] public void Ps_Select_BsdPid() => Same("p", fixtures.PidList);
    [Fact] public void Ps_Select_GnuPid() => Same("--pid", fixtures.PidList, "-o", "pid,stat,args");
    [Fact] public void Ps_Select_TrailingPids() => Same("u", fixtures.SleeperPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    [Fact] public void Ps_Select_User() => Same("-u", "root", "-o", "pid,user,comm");
    [Fact] public void Ps_Select_RealUser() => Same("-U", "0", "-f");
    [Fact] public void Ps_Select_GnuUser() => Same("--user", "root");
    [Fact] public void Ps_Select_Group() => Same("-G", "0", "-o", "pid,group,comm");
    [Fact] public void Ps_Select_SessionOrGroup() => Same("-g", "0", "-o", "pid,sid,comm");
    [Fact] public void Ps_Select_Command() => Same("-C", "sleep,bash", "-o", "pid,comm");
    [Fact] public void Ps_Select_NoTty() => Same("-t", "-", "-o", "pid,tty,comm");
    [Fact] public void Ps_Select_Ppid() => Same("--ppid", "1,2", "-o", "pid,ppid,comm");
    [Fact] public void Ps_Select_Negated() => Same("-N", "-u", "root");
    [Fact] public void Ps_Select_A() => Same("-A");
    [Fact] public void Ps_Select_Ax() => Same("ax");
    [Fact] public void Ps_Select_BsdA() => Same("a");
    [Fact] public void Ps_Select_BsdX() => Same("x");
    [Fact] public void Ps_Select_D() => Same("-d");
    [Fact] public void Ps_Select_Running() => Same("r");
    [Fact] public void Ps_NoHeaders() => PsOracle.AssertSame(["-e", "--no-headers"], fixtures, hasHeader: false);
    [Fact] public void Ps_UnknownPid_HeaderOnly() => Same("-p", UnusedPid().ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Ps_Columns_TruncatesAtColumnsEnv()
    {
        var env = PsOracle.Environment();
        env["COLUMNS"] = "40";
        PsOracle.AssertSame(["aux"], fixtures, env);
        PsOracle.AssertSame(["-eF"], fixtures, env);
    }

    [Fact]
    public void Ps_W_WidensToAtLeast132()
    {
        var env = PsOracle.Environment();
        env["COLUMNS"] = "60";
        PsOracle.AssertSame(["-w", "-ef"], fixtures, env);
        PsOracle.AssertSame(["ww", "-ef"], fixtures, env);
        PsOracle.AssertSame(["--cols", "70", "-ef"], fixtures, env);
    }

    [Fact]
    public void Ps_HostileNames_Utf8Locale() =>
        PsOracle.AssertSame(["-o", "pid,ppid,stat,comm,args", "-p", fixtures.PidList], fixtures);

    [Fact]
    public void Ps_HostileNames_CLocale() =>
        PsOracle.AssertSame(["-o", "pid,ppid,stat,comm,args", "-p", fixtures.PidList], fixtures, PsOracle.Environment("C"));

    [Fact]
    public void Ps_HostileNames_NarrowColumnsCutWholeCharacters() =>
        PsOracle.AssertSame(["-o", "comm:6,pid,args:9,ppid,fname", "-p", fixtures.PidList], fixtures);

    [Fact]
    public void Ps_HostileNames_NoControlByteReachesOutput()
    {
        if (!fixtures.Available) Assert.Skip(fixtures.Problem ?? "fixtures unavailable");
        foreach (var locale in new[] { "C.UTF-8", "C" })
        {
            var r = Run.ProcscopeEnv(PsOracle.Environment(locale), "ps", "-o", "pid,comm,args,cmd,ucomm,exe", "-p", fixtures.PidList);
            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain(r.Stdout, c => (c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0));
        }
    }

    [Fact]
    public void Ps_Unprivileged_AllProcessesListedUnreadableAsDash()
    {
        if (!Run.IsRoot || !Run.CommandExists("setpriv")) Assert.Skip("needs root and setpriv to drop to nobody");
        string[] nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
        PsOracle.AssertSame(["aux"], fixtures, wrapper: nobody);
        PsOracle.AssertSame(["-ef"], fixtures, wrapper: nobody);
        var r = Run.Program(nobody[0], [.. nobody[1..], Run.BinaryPath, "ps", "-o", "pid,exe,io_read_bytes,uss", "-p", "1"], PsOracle.Environment());
        Assert.Equal(0, r.ExitCode);
        var line = r.Lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "-", "-", "-"], line);
    }

    /// <summary>
    /// Both programs inside one pseudo-terminal (util-linux script): terminal names (pts/N), the
    /// default selection (our euid and our terminal), STAT's '+' and 's', and the width taken
    /// from the terminal (90 columns here).
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("-f")]
    [InlineData("T")]
    [InlineData("-o pid,tty,tty4,stat,tpgid,args")]
    public void Ps_InATerminal(string args)
    {
        if (!Run.CommandExists("script") || !Run.CommandExists("bash")) Assert.Skip("needs util-linux script and bash");
        string bin = Run.BinaryPath;
        var r = Run.Program("script", ["-qec", $"stty cols 90 rows 30; ps {args}; echo =====; '{bin}' ps {args}; true", "/dev/null"], PsOracle.Environment());
        // The .NET runtime switches the terminal to application keypad mode (ESC[?1h ESC=) when the
        // host sets up console handling; that is the CLI host's doing, not ps output.
        var text = r.Stdout.Replace("\r", "").Replace("\u001b[?1h\u001b=", "");
        var parts = text.Split("=====\n");
        Assert.Equal(2, parts.Length);
        var a = parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var b = parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(a[0], b[0]);
        // The shell running both is in both listings, on the pseudo-terminal; the two ps differ.
        var (_, rowsA) = PsOracle.Parse(parts[0]);
        var (_, rowsB) = PsOracle.Parse(parts[1]);
        var shared = rowsA.Select(r => r.Pid).Intersect(rowsB.Select(r => r.Pid)).ToHashSet();
        var shellA = rowsA.Where(r => shared.Contains(r.Pid)).Select(r => r.Line).ToList();
        var shellB = rowsB.Where(r => shared.Contains(r.Pid)).Select(r => r.Line).ToList();
        Assert.NotEmpty(shellA);
        Assert.Contains(shellA, l => l.Contains("pts/", StringComparison.Ordinal));
        Assert.Equal(shellA, shellB);
        Assert.All(a.Concat(b), l => Assert.True(l.Length <= 90, PsOracle.Visible(l)));
        Assert.DoesNotContain(parts[1], ch => ch < 0x20 && ch != '\n');
    }

    private static int UnusedPid()
    {
        int max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (int pid = max - 1; pid > 1; pid--)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
        return max - 1;
    }
}
