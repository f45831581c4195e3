using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessStatTests
{
    [Fact]
    public void Parse_Cat_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/stat of cat
        var s = ProcessStat.Parse("6825 (cat) R 6815 6815 2368 0 -1 4194304 121 0 0 0 0 0 0 0 20 0 1 0 107719 3133440 409 18446744073709551615 94000789422080 94000789441961 140721293128048 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94000789457968 94000789459584 94001646366720 140721293134298 140721293134318 140721293134318 140721293135851 0\n"u8);

        Assert.Equal(6825, s.Pid);
        Assert.Equal("cat"u8.ToArray(), s.CommBytes);
        Assert.Equal('R', s.State);
        Assert.Equal(6815, s.PPid);
        Assert.Equal(6815, s.PGrp);
        Assert.Equal(2368, s.Session);
        Assert.Equal(0, s.TtyNr);
        Assert.Equal(0, s.TtyMajor);
        Assert.Equal(0, s.TtyMinor);
        Assert.Equal(-1, s.TPGid);
        Assert.Equal(4194304u, s.Flags); // PF_RANDOMIZE
        Assert.Equal(121ul, s.MinFlt);
        Assert.Equal(0ul, s.CMinFlt);
        Assert.Equal(0ul, s.MajFlt);
        Assert.Equal(0ul, s.CMajFlt);
        Assert.Equal(0ul, s.UTimeTicks);
        Assert.Equal(0ul, s.STimeTicks);
        Assert.Equal(0, s.CUTimeTicks);
        Assert.Equal(0, s.CSTimeTicks);
        Assert.Equal(20, s.Priority);
        Assert.Equal(0, s.Nice);
        Assert.Equal(1, s.NumThreads);
        Assert.Equal(0, s.ItRealValue);
        Assert.Equal(107719ul, s.StartTimeTicks);
        Assert.Equal(3133440ul, s.VSize);
        Assert.Equal(409, s.RssPages);
        Assert.Equal(ulong.MaxValue, s.RssLim);
        Assert.Equal(94000789422080ul, s.StartCode);
        Assert.Equal(94000789441961ul, s.EndCode);
        Assert.Equal(140721293128048ul, s.StartStack);
        Assert.Equal(0ul, s.KStkEsp);
        Assert.Equal(0ul, s.KStkEip);
        Assert.Equal(0ul, s.Signal);
        Assert.Equal(0ul, s.Blocked);
        Assert.Equal(0ul, s.SigIgnore);
        Assert.Equal(0ul, s.SigCatch);
        Assert.Equal(0ul, s.WChan);
        Assert.Equal(0ul, s.NSwap);
        Assert.Equal(0ul, s.CNSwap);
        Assert.Equal(17, s.ExitSignal); // SIGCHLD
        Assert.Equal(1, s.Processor);
        Assert.Equal(0u, s.RtPriority);
        Assert.Equal(0u, s.Policy);
        Assert.Equal(0ul, s.DelayAcctBlkioTicks);
        Assert.Equal(0ul, s.GuestTimeTicks);
        Assert.Equal(0, s.CGuestTimeTicks);
        Assert.Equal(94000789457968ul, s.StartData);
        Assert.Equal(94000789459584ul, s.EndData);
        Assert.Equal(94001646366720ul, s.StartBrk);
        Assert.Equal(140721293134298ul, s.ArgStart);
        Assert.Equal(140721293134318ul, s.ArgEnd);
        Assert.Equal(140721293134318ul, s.EnvStart);
        Assert.Equal(140721293135851ul, s.EnvEnd);
        Assert.Equal(0, s.ExitCode);
    }

    [Fact]
    public void Parse_KernelThread_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/stat (kthreadd)
        var s = ProcessStat.Parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8);

        Assert.Equal(2, s.Pid);
        Assert.Equal("kthreadd"u8.ToArray(), s.CommBytes);
        Assert.Equal('S', s.State);
        Assert.Equal(0, s.PPid);
        Assert.Equal(0, s.PGrp);
        Assert.Equal(0, s.Session);
        Assert.Equal(0, s.TtyNr);
        Assert.Equal(-1, s.TPGid);
        Assert.Equal(2129984u, s.Flags);
        Assert.NotEqual(0u, s.Flags & 0x00200000u); // PF_KTHREAD
        Assert.Equal(0ul, s.MinFlt);
        Assert.Equal(0ul, s.CMinFlt);
        Assert.Equal(0ul, s.MajFlt);
        Assert.Equal(0ul, s.CMajFlt);
        Assert.Equal(0ul, s.UTimeTicks);
        Assert.Equal(0ul, s.STimeTicks);
        Assert.Equal(0, s.CUTimeTicks);
        Assert.Equal(0, s.CSTimeTicks);
        Assert.Equal(20, s.Priority);
        Assert.Equal(0, s.Nice);
        Assert.Equal(1, s.NumThreads);
        Assert.Equal(0, s.ItRealValue);
        Assert.Equal(24ul, s.StartTimeTicks);
        Assert.Equal(0ul, s.VSize);
        Assert.Equal(0, s.RssPages);
        Assert.Equal(ulong.MaxValue, s.RssLim);
        Assert.Equal(0ul, s.StartCode);
        Assert.Equal(0ul, s.EndCode);
        Assert.Equal(0ul, s.StartStack);
        Assert.Equal(0ul, s.KStkEsp);
        Assert.Equal(0ul, s.KStkEip);
        Assert.Equal(0ul, s.Signal);
        Assert.Equal(0ul, s.Blocked);
        Assert.Equal(0x7ffffffful, s.SigIgnore); // all ignored, masked to 31 bits in this file
        Assert.Equal(0ul, s.SigCatch);
        Assert.Equal(1ul, s.WChan);
        Assert.Equal(0ul, s.NSwap);
        Assert.Equal(0ul, s.CNSwap);
        Assert.Equal(0, s.ExitSignal);
        Assert.Equal(1, s.Processor);
        Assert.Equal(0u, s.RtPriority);
        Assert.Equal(0u, s.Policy);
        Assert.Equal(0ul, s.DelayAcctBlkioTicks);
        Assert.Equal(0ul, s.GuestTimeTicks);
        Assert.Equal(0, s.CGuestTimeTicks);
        Assert.Equal(0ul, s.StartData);
        Assert.Equal(0ul, s.EndData);
        Assert.Equal(0ul, s.StartBrk);
        Assert.Equal(0ul, s.ArgStart);
        Assert.Equal(0ul, s.ArgEnd);
        Assert.Equal(0ul, s.EnvStart);
        Assert.Equal(0ul, s.EnvEnd);
        Assert.Equal(0, s.ExitCode);
    }

    [Fact]
    public void Parse_KernelThreadWithLongName_KeepsAllOfIt()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/16/stat: kernel thread names exceed 15 bytes
        var s = ProcessStat.Parse("16 (rcu_exp_par_gp_kthread_worker/0) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8);

        Assert.Equal(16, s.Pid);
        Assert.Equal("rcu_exp_par_gp_kthread_worker/0"u8.ToArray(), s.CommBytes);
        Assert.Equal(2, s.PPid);
        Assert.Equal(17, s.ExitSignal);
        Assert.Equal(0, s.ExitCode);
    }

    [Fact]
    public void Parse_Zombie_ReadsStateAndZeroMemory()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — a zombie perl child
        var s = ProcessStat.Parse("5356 (perl) Z 5354 5346 2368 0 -1 4227148 76 0 0 0 0 0 0 0 20 0 1 0 82540 0 0 18446744073709551615 0 0 0 0 0 0 0 134 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8);

        Assert.Equal('Z', s.State);
        Assert.Equal(5354, s.PPid);
        Assert.Equal(0ul, s.VSize);
        Assert.Equal(0, s.RssPages);
        Assert.Equal(134ul, s.SigIgnore);
        Assert.Equal(0, s.ExitCode);
    }

    // The hostile names below were all set with prctl(PR_SET_NAME) and read back from
    // /proc/self/stat. captured: Debian 12, Linux 6.18, x86_64. The rest of each line is checked by
    // AssertTail: a wrong split of the name shifts every field after it.

    [Fact]
    public void Parse_CommWithParenAndSpace_TakesLastParen()
    {
        var s = ProcessStat.Parse("12573 (a) b) R 12571 12571 2368 0 -1 4194304 234 0 2 0 0 0 0 0 20 0 1 0 131198 8069120 1221 18446744073709551615 94314170458112 94314172113317 140728607021056 0 0 0 0 128 0 0 0 0 17 1 0 0 0 0 0 94314173890600 94314173961044 94314192830464 140728607025508 140728607025637 140728607025637 140728607027178 0\n"u8);

        Assert.Equal(12573, s.Pid);
        Assert.Equal("a) b"u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 234, startTime: 131198, rss: 1221, envEnd: 140728607027178);
        Assert.Equal(2ul, s.MajFlt);
        Assert.Equal(1, s.Processor);
    }

    [Fact]
    public void Parse_CommThatLooksLikeFields_TakesLastParen()
    {
        var s = ProcessStat.Parse("12574 (z) S 1 1 1) R 12571 12571 2368 0 -1 4194304 236 0 0 0 0 0 0 0 20 0 1 0 131199 8069120 1238 18446744073709551615 94745364684800 94745366340005 140726632798272 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94745368117288 94745368187732 94745632579584 140726632806750 140726632806879 140726632806879 140726632808426 0\n"u8);

        Assert.Equal(12574, s.Pid);
        Assert.Equal("z) S 1 1 1"u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 236, startTime: 131199, rss: 1238, envEnd: 140726632808426);
    }

    [Fact]
    public void Parse_CommOfOpenParens_TakesFirstOpenParen()
    {
        var s = ProcessStat.Parse("12575 ((() R 12571 12571 2368 0 -1 4194304 236 0 0 0 0 0 0 0 20 0 1 0 131199 8069120 1215 18446744073709551615 94820313165824 94820314821029 140733407244304 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94820316598312 94820316668756 94821094154240 140733407246694 140733407246823 140733407246823 140733407248362 0\n"u8);

        Assert.Equal("(("u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 236, startTime: 131199, rss: 1215, envEnd: 140733407248362);
    }

    [Fact]
    public void Parse_CommOfCloseParens_TakesLastParen()
    {
        var s = ProcessStat.Parse("12576 ()))) R 12571 12571 2368 0 -1 4194304 235 0 0 0 0 0 0 0 20 0 1 0 131200 8069120 1234 18446744073709551615 94553529012224 94553530667429 140724195228656 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94553532444712 94553532515156 94554534297600 140724195236197 140724195236326 140724195236326 140724195237866 0\n"u8);

        Assert.Equal(")))"u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 235, startTime: 131200, rss: 1234, envEnd: 140724195237866);
    }

    [Fact]
    public void Parse_CommWithNestedParens_TakesLastParen()
    {
        var s = ProcessStat.Parse("12577 ((a)( ) b) R 12571 12571 2368 0 -1 4194304 239 0 0 0 0 0 0 0 20 0 1 0 131200 8069120 1249 18446744073709551615 94880947318784 94880948973989 140733516507088 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94880950751272 94880950821716 94881953857536 140733516511584 140733516511713 140733516511713 140733516513258 0\n"u8);

        Assert.Equal("(a)( ) b"u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 239, startTime: 131200, rss: 1249, envEnd: 140733516513258);
    }

    [Fact]
    public void Parse_CommWithNewline_KeepsNewline()
    {
        // The stat file does not escape the name (status does).
        var s = ProcessStat.Parse("12578 (two\nlines) R 12571 12571 2368 0 -1 4194304 237 0 0 0 0 0 0 0 20 0 1 0 131200 8069120 1230 18446744073709551615 94273112707072 94273114362277 140729666187376 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94273116139560 94273116210004 94273387225088 140729666193759 140729666193888 140729666193888 140729666195434 0\n"u8);

        Assert.Equal("two\nlines"u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 237, startTime: 131200, rss: 1230, envEnd: 140729666195434);
    }

    [Fact]
    public void Parse_CommWithSpaces_KeepsSpaces()
    {
        var s = ProcessStat.Parse("12579 (with  spaces ) R 12571 12571 2368 0 -1 4194304 240 0 0 0 0 0 0 0 20 0 1 0 131200 8069120 1273 18446744073709551615 93934754430976 93934756086181 140731183445760 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 93934757863464 93934757933908 93935385702400 140731183454555 140731183454684 140731183454684 140731183456234 0\n"u8);

        Assert.Equal("with  spaces "u8.ToArray(), s.CommBytes);
        AssertTail(s, minFlt: 240, startTime: 131200, rss: 1273, envEnd: 140731183456234);
    }

    [Fact]
    public void Parse_EmptyComm_IsEmpty()
    {
        var s = ProcessStat.Parse("12580 () R 12571 12571 2368 0 -1 4194304 237 0 0 0 0 0 0 0 20 0 1 0 131201 8069120 1256 18446744073709551615 94129096962048 94129098617253 140727282375264 0 0 0 0 128 0 0 0 0 17 0 0 0 0 0 0 94129100394536 94129100464980 94129556926464 140727282379112 140727282379241 140727282379241 140727282380778 0\n"u8);

        Assert.Empty(s.CommBytes);
        AssertTail(s, minFlt: 237, startTime: 131201, rss: 1256, envEnd: 140727282380778);
    }

    [Fact]
    public void Parse_StoppedWithHostileCommInPidNamespace_ReadsExitCode()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — a perl stopped with SIGSTOP whose comm is
        // "a\\b\nc) S 1 (d" (set through /proc/self/comm); exit_code holds the stop signal (19)
        var s = ProcessStat.Parse("5314 (a\\b\nc) S 1 (d) T 5312 5309 2368 0 -1 4194560 343 0 5 0 0 0 0 0 20 0 1 0 81590 8069120 1221 18446744073709551615 93918848491520 93918850146725 140721482073104 0 0 0 0 646 1 1 0 0 17 0 0 0 0 0 0 93918851924008 93918851994452 93919448846336 140721482074466 140721482074601 140721482074601 140721482076138 19\n"u8);

        Assert.Equal(5314, s.Pid);
        Assert.Equal("a\\b\nc) S 1 (d"u8.ToArray(), s.CommBytes);
        Assert.Equal('T', s.State);
        Assert.Equal(5312, s.PPid);
        Assert.Equal(5309, s.PGrp);
        Assert.Equal(343ul, s.MinFlt);
        Assert.Equal(5ul, s.MajFlt);
        Assert.Equal(646ul, s.SigIgnore);
        Assert.Equal(1ul, s.SigCatch);
        Assert.Equal(1ul, s.WChan);
        Assert.Equal(19, s.ExitCode);
    }

    [Fact]
    public void Parse_ControllingTerminal_DecodesMajorAndMinor()
    {
        // synthetic: tty_nr of /dev/pts/300 (major 136; minor 300 needs the high minor bits 31..20)
        int ttyNr = (136 << 8) | (300 & 0xff) | ((300 & 0xfff00) << 12);
        var s = ProcessStat.Parse(System.Text.Encoding.ASCII.GetBytes($"9 (bash) S 1 9 9 {ttyNr} 9 4194560 1 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 18446744073709551615 1 1 0 0 0 0 65536 3686404 1266761467 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"));

        Assert.Equal(ttyNr, s.TtyNr);
        Assert.Equal(136, s.TtyMajor);
        Assert.Equal(300, s.TtyMinor);
    }

    [Fact]
    public void Parse_OldKernelWith44Fields_LeavesLaterFieldsNull()
    {
        // synthetic: the 44 fields Linux 2.6.24 .. 3.2 print (up to cguest_time), values from the cat line above
        var s = ProcessStat.Parse("6825 (cat) R 6815 6815 2368 0 -1 4194304 121 0 0 0 0 0 0 0 20 0 1 0 107719 3133440 409 18446744073709551615 94000789422080 94000789441961 140721293128048 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"u8);

        Assert.Equal(17, s.ExitSignal);
        Assert.Equal(1, s.Processor);
        Assert.Equal(0u, s.RtPriority);
        Assert.Equal(0u, s.Policy);
        Assert.Equal(0ul, s.DelayAcctBlkioTicks);
        Assert.Equal(0ul, s.GuestTimeTicks);
        Assert.Equal(0, s.CGuestTimeTicks);
        Assert.Null(s.StartData);
        Assert.Null(s.EndData);
        Assert.Null(s.StartBrk);
        Assert.Null(s.ArgStart);
        Assert.Null(s.ArgEnd);
        Assert.Null(s.EnvStart);
        Assert.Null(s.EnvEnd);
        Assert.Null(s.ExitCode);
    }

    [Fact]
    public void Parse_VeryOldKernelWith37Fields_LeavesAllOptionalFieldsNull()
    {
        // synthetic: the 37 fields of Linux 2.0 (up to cnswap)
        var s = ProcessStat.Parse("6825 (cat) R 6815 6815 2368 0 -1 4194304 121 0 0 0 0 0 0 0 20 0 1 0 107719 3133440 409 18446744073709551615 94000789422080 94000789441961 140721293128048 0 0 0 0 0 0 0 0 0\n"u8);

        Assert.Equal(0ul, s.CNSwap);
        Assert.Null(s.ExitSignal);
        Assert.Null(s.Processor);
        Assert.Null(s.RtPriority);
        Assert.Null(s.Policy);
        Assert.Null(s.DelayAcctBlkioTicks);
        Assert.Null(s.GuestTimeTicks);
        Assert.Null(s.CGuestTimeTicks);
        Assert.Null(s.ExitCode);
    }

    [Fact]
    public void Parse_FutureKernelWithMoreFields_IgnoresThem()
    {
        // synthetic: a 53rd field
        var s = ProcessStat.Parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 7 99\n"u8);

        Assert.Equal(7, s.ExitCode);
    }

    [Fact]
    public void Parse_TruncatedLine_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessStat.Parse("6825 (cat) R 6815 6815 2368 0 -1 4194304 121 0 0\n"u8));

        Assert.Equal("/proc/[pid]/stat", ex.File);
        Assert.Equal(48, ex.Offset); // the newline, where the 14th field (utime) should be
    }

    [Fact]
    public void Parse_TruncatedInsideComm_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.Parse("6825 (ca"u8));
    }

    [Fact]
    public void Parse_NothingAfterComm_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.Parse("6825 (cat)\n"u8));
    }

    [Fact]
    public void Parse_Empty_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.Parse(""u8));
    }

    [Fact]
    public void Parse_BadPid_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.Parse("x (cat) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8));
    }

    [Fact]
    public void Parse_StateLongerThanOneByte_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.Parse("1 (cat) RS 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8));
    }

    [Fact]
    public void Parse_BadNumber_ThrowsAtThatField()
    {
        byte[] content = [.. "1 (cat) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 x 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"u8];

        var ex = Assert.Throws<ProcFormatException>(() => ProcessStat.Parse(content));

        Assert.Equal(content.AsSpan().IndexOf("x"u8), ex.Offset);
        Assert.StartsWith("1 (cat) R", ex.Line);
    }

    /// <summary>The fields after the comm shared by the hostile-comm samples (same parent, same shell).</summary>
    private static void AssertTail(ProcessStat s, ulong minFlt, ulong startTime, long rss, ulong envEnd)
    {
        Assert.Equal('R', s.State);
        Assert.Equal(12571, s.PPid);
        Assert.Equal(12571, s.PGrp);
        Assert.Equal(2368, s.Session);
        Assert.Equal(0, s.TtyNr);
        Assert.Equal(-1, s.TPGid);
        Assert.Equal(4194304u, s.Flags);
        Assert.Equal(minFlt, s.MinFlt);
        Assert.Equal(20, s.Priority);
        Assert.Equal(0, s.Nice);
        Assert.Equal(1, s.NumThreads);
        Assert.Equal(startTime, s.StartTimeTicks);
        Assert.Equal(8069120ul, s.VSize);
        Assert.Equal(rss, s.RssPages);
        Assert.Equal(ulong.MaxValue, s.RssLim);
        Assert.Equal(128ul, s.SigIgnore);
        Assert.Equal(17, s.ExitSignal);
        Assert.Equal(envEnd, s.EnvEnd);
        Assert.Equal(0, s.ExitCode);
    }

    [Theory]
    // captured: Debian 12, Linux 6.18, x86_64 (hostile names from tests/tracees/hostile.c)
    [InlineData("12573 (a) b) R 12571 12571 2368 0 -1 4194304 234 0 2 0 7 3 0 0 20 5 1 0 131198 8069120 1221 18446744073709551615 94314170458112 94314172113317 140728607021056 0 0 0 0 128 0 0 0 0 17 1 0 0 0 0 0 94314173890600 94314173961044 94314192830464 140728607025508 140728607025637 140728607025637 140728607027178 0\n", "a) b")]
    [InlineData("12574 (z) S 1 1 1) R 12571 12571 2368 0 -1 4194304 234 0 2 0 7 3 0 0 20 5 1 0 131198 8069120 1221 18446744073709551615 94745364684800 94745366340005 140726632798272 0 0 0 0 128 0 0 0 0 17 1 0 0 0 0 0 94745368117288 94745368187732 94745632579584 140726632806750 140726632806879 140726632806879 140726632808426 0\n", "z) S 1 1 1")]
    [InlineData("12580 () R 12571 12571 2368 0 -1 4194304 234 0 2 0 7 3 0 0 20 5 1 0 131198 8069120 1221 18446744073709551615 1 1 0 0 0 0 0 128 0 0 0 0 17 1 0 0 0 0 0 1 1 1 1 1 1 1 0\n", "")]
    public void ParseSample_HostileComm_SameFieldsAsParse(string line, string comm)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        var full = ProcessStat.Parse(bytes);
        var s = ProcessStat.ParseSample(bytes);
        Assert.Equal(comm, System.Text.Encoding.UTF8.GetString(bytes, s.CommStart, s.CommLength));
        Assert.Equal(full.CommBytes, bytes.AsSpan(s.CommStart, s.CommLength).ToArray());
        Assert.Equal(full.Pid, s.Pid);
        Assert.Equal('R', s.State);
        Assert.Equal(12571, s.PPid);
        Assert.Equal(234UL, s.MinFlt);
        Assert.Equal(2UL, s.MajFlt);
        Assert.Equal(7UL, s.UTimeTicks);
        Assert.Equal(3UL, s.STimeTicks);
        Assert.Equal(20, s.Priority);
        Assert.Equal(5, s.Nice);
        Assert.Equal(1, s.NumThreads);
        Assert.Equal(131198UL, s.StartTimeTicks);
        Assert.Equal(8069120UL, s.VSize);
        Assert.Equal(1221, s.RssPages);
        Assert.Equal(full.Processor, s.Processor);
        Assert.Equal(full.Policy, s.Policy);
    }

    [Fact]
    public void ParseSample_OldKernelWithoutProcessor_ProcessorMinusOnePolicyNull()
    {
        // stat as Linux 2.2 wrote it: 37 fields, no exit_signal, processor or policy.
        var s = ProcessStat.ParseSample("1 (init) S 0 1 1 0 -1 256 10 0 1 0 4 6 0 0 20 0 1 0 5 1000 50 4294967295 1 1 0 0 0 0 0 0 0 0 0 0\n"u8);
        Assert.Equal(-1, s.Processor);
        Assert.Null(s.Policy);
        Assert.Equal(10UL, s.UTimeTicks + s.STimeTicks);
    }

    [Fact]
    public void ParseSample_NoComm_ThrowsFormatError()
    {
        Assert.Throws<ProcFormatException>(() => ProcessStat.ParseSample("garbage without a comm\n"u8));
        Assert.Throws<ProcFormatException>(() => ProcessStat.ParseSample("1 (a) S 1 x\n"u8));
    }
}
