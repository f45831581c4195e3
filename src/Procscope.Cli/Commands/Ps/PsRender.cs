using System.Text;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Ps;

/// <summary>What a printer or sort key needs besides the per-process files.</summary>
[Flags]
internal enum PsGlobalNeeds
{
    None = 0,
    Uptime = 1,
    MemTotal = 2,
}

/// <summary>The column printers of ps/output.c: each writes one cell and returns its width as procps counts it.</summary>
internal static class PsRender
{
    /// <summary>Files a printer reads; requested from the snapshot only when a column needs them.</summary>
    public static ProcessFields Needs(R r, PsOptions o) => r switch
    {
        R.Nop or R.SdMachine or R.SdOuid or R.SdSeat or R.SdSession or R.SdSlice or R.SdUnit or R.SdUunit or R.Numa or R.Lxcname => ProcessFields.None,
        R.Args => ProcessFields.Stat | (o.BsdC ? 0 : ProcessFields.Cmdline),
        R.Comm => ProcessFields.Stat | (o.UnixF ? ProcessFields.Cmdline : 0),
        R.Fname => ProcessFields.Stat,
        R.Euid or R.Ruid or R.Suid or R.Fuid or R.Egid or R.Rgid or R.Sgid or R.Fgid
            or R.Euser or R.Ruser or R.Suser or R.Fuser or R.Egroup or R.Rgroup or R.Sgroup or R.Fgroup
            or R.Supgid or R.Supgrp => ProcessFields.Status,
        R.Rss or R.Vsz or R.Sz or R.Pmem or R.Swapable => ProcessFields.Status,
        R.Stat => ProcessFields.Stat | ProcessFields.Status,
        R.Nlwp => ProcessFields.Stat | ProcessFields.Status,
        R.Sig or R.Sigcatch or R.Sigignore or R.Sigmask or R.Tsig => ProcessFields.Status,
        R.CtxswVol or R.CtxswInvol => ProcessFields.Status,
        R.Exe => ProcessFields.Exe,
        R.Cgroup or R.Cgname => ProcessFields.Cgroup,
        R.Context => ProcessFields.Label,
        R.Wchan => ProcessFields.Wchan,
        R.Oom => ProcessFields.OomScore,
        R.OomAdj => ProcessFields.OomScoreAdj,
        R.Rbytes or R.Rchars or R.Rops or R.Wbytes or R.Wcbytes or R.Wchars or R.Wops or R.IoReadBytes or R.IoWriteBytes => ProcessFields.Io,
        _ => ProcessFields.Stat,
    };

    public static PsExtraFields Extras(R r, PsOptions o) => r switch
    {
        R.Cgroupns or R.Ipcns or R.Mntns or R.Netns or R.Pidns or R.Timens or R.Userns or R.Utsns => PsExtraFields.Namespaces,
        R.Agid or R.Agnice => PsExtraFields.Autogroup,
        R.Luid => PsExtraFields.LoginUid,
        R.Uss or R.Pss or R.Swap => PsExtraFields.Smaps,
        R.Args or R.Comm when o.BsdE => PsExtraFields.Environ,
        _ => PsExtraFields.None,
    };

    public static PsGlobalNeeds Globals(R r) => r switch
    {
        R.Pcpu or R.C or R.Cp or R.Etime or R.Etimes or R.Utilization or R.UtilizationC => PsGlobalNeeds.Uptime,
        R.Pmem => PsGlobalNeeds.MemTotal,
        _ => PsGlobalNeeds.None,
    };

    private static int Dash(RowBuffer b)
    {
        b.Append('-');
        return 1;
    }

    private static int Num(RowBuffer b, long v)
    {
        int start = b.Length;
        b.Append(v);
        return b.Length - start;
    }

    private static int UNum(RowBuffer b, ulong v)
    {
        int start = b.Length;
        b.Append(v);
        return b.Length - start;
    }

    private static int Text(RowBuffer b, string s)
    {
        b.Append(s);
        return s.Length;
    }

    /// <summary>procps forest_helper(): the tree art before a command, limited to the room left.</summary>
    private static int Forest(PsContext c, RowBuffer b, int rightward)
    {
        int level = c.ForestLevel;
        if (level == 0) return 0;
        int used = 0;
        bool unixy = c.Options.ForestType == 'u';
        int unit = unixy ? 2 : 4;
        for (int i = 0; i < level; i++)
        {
            if (rightward < unit) break;
            if (unixy) b.Append("  ");
            else
            {
                switch (c.ForestPrefix[i])
                {
                    case 'L':
                    case '+': b.Append(" \\_ "); break;
                    case '|': b.Append(" |  "); break;
                    default: b.Append("    "); break;
                }
            }
            used += unit;
            rightward -= unit;
        }
        return used;
    }

    /// <summary>args/cmd/command and comm/ucmd: forest art, the text, and with BSD e the environment.</summary>
    private static int Command(PsContext c, PsTask t, RowBuffer b, int maxRight, bool longForm)
    {
        int rightward = maxRight;
        int fh = Forest(c, b, rightward);
        rightward -= fh;
        var text = longForm ? t.Cmdline(c) : t.Cmd(c);
        rightward -= PsEscape.Output(text, c.Utf8, rightward, b);
        if (c.Options.BsdE && rightward > 1)
        {
            var env = t.Extras(c, PsExtraFields.Environ).Environ;
            if (env is { Length: > 0 })
            {
                var joined = (byte[])env.Clone();
                int end = joined.Length;
                while (end > 0 && joined[end - 1] == 0) end--;
                for (int i = 0; i < end; i++)
                    if (joined[i] is 0 or (byte)'\n') joined[i] = (byte)' ';
                var esc = PsEscape.Library(joined[..end], c.Utf8);
                if (esc.Length > 0)
                {
                    b.Append(' ');
                    rightward--;
                    rightward -= PsEscape.Output(esc, c.Utf8, rightward, b);
                }
            }
        }
        return maxRight - rightward;
    }

    /// <summary>procps do_pr_name(): a user or group name, cut with '+' when it does not fit, or the number with BSD n.</summary>
    private static int Name(PsContext c, RowBuffer b, string name, uint id, int maxRight)
    {
        if (!c.Options.UserIsNumber)
        {
            int start = b.Length;
            int len = PsEscape.Output(Encoding.UTF8.GetBytes(name), c.Utf8, RowBuffer.Capacity, b);
            if (len <= maxRight) return len;
            if (maxRight >= 1 && b.Length - start >= maxRight && b.Span[start + maxRight - 1] < 127)
            {
                b.Truncate(start + maxRight - 1);
                b.Append('+');
                return maxRight;
            }
            b.Truncate(start);
        }
        return UNum(b, id);
    }

    /// <summary>help_pr_sig(): a signal mask as 16 hex digits when wide, else the last 8 ('&lt;' marks lost digits).</summary>
    private static int Signal(PsContext c, RowBuffer b, ulong? mask)
    {
        Span<char> hex = stackalloc char[16];
        (mask ?? 0).TryFormat(hex, out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        if (c.WideSignals)
        {
            b.Append(hex);
            return 16;
        }
        int firstNonZero = hex.IndexOfAnyExcept('0');
        int significant = firstNonZero < 0 ? 0 : 16 - firstNonZero;
        if (significant > 8)
        {
            b.Append('<');
            b.Append(hex[8..]);
            return 9;
        }
        b.Append(hex[8..]);
        return 8;
    }

    private static int Class(RowBuffer b, int policy) => Text(b, policy switch
    {
        -1 => "-",
        0 => "TS",
        1 => "FF",
        2 => "RR",
        3 => "B",
        4 => "ISO",
        5 => "IDL",
        6 => "DLN",
        7 => "#7",
        8 => "#8",
        9 => "#9",
        _ => "?",
    });

    private static int EscapedText(PsContext c, RowBuffer b, byte[] raw, int maxRight) =>
        PsEscape.Output(PsEscape.Library(raw, c.Utf8), c.Utf8, maxRight, b);

    /// <summary>The cgroup column: every non-root line of /proc/[pid]/cgroup, escaped, joined by commas; "-" when none.</summary>
    public static byte[] CgroupText(PsTask t, bool nameOnly)
    {
        var cg = t.Sample.Cgroup;
        if (cg is null) return "-"u8.ToArray();
        var sb = new List<byte>();
        foreach (var e in cg.Entries)
        {
            if (e.Path.Length > 0 && e.Path[^1] == (byte)'/') continue;
            if (sb.Count > 0) sb.Add((byte)',');
            sb.AddRange(Encoding.ASCII.GetBytes($"{e.HierarchyId}:{string.Join(',', e.Controllers)}:"));
            sb.AddRange(e.Path);
        }
        if (sb.Count == 0) return "-"u8.ToArray();
        var all = sb.ToArray();
        if (!nameOnly) return all;
        int at = all.AsSpan().IndexOf(":name="u8);
        return at >= 0 && at + 6 < all.Length ? all[(at + 6)..] : all;
    }

    /// <summary>The security label as procps reads attr/current: its printable prefix, "-" when empty or unreadable.</summary>
    public static string? Label(PsTask t)
    {
        var l = t.Sample.Label;
        if (l is null) return null;
        int n = 0;
        while (n < l.Length && l[n] >= 0x20 && l[n] < 0x7f) n++;
        return n == 0 ? null : Encoding.ASCII.GetString(l, 0, n);
    }

    /// <summary>wchan as libproc2's lookup_wchan(): "-" for a running task, '.' and '_' prefixes dropped, "?" when unreadable.</summary>
    public static string Wchan(PsTask t)
    {
        var w = t.Sample.Wchan;
        if (w is null || w.Length == 0) return "?";
        var s = w.AsSpan();
        if (s.Length > 63) s = s[..63];
        int nul = s.IndexOf((byte)0);
        if (nul >= 0) s = s[..nul];
        if (s.Length == 0) return "?";
        if (s.SequenceEqual("0"u8)) return "-";
        if (s[0] == (byte)'.') s = s[1..];
        while (s.Length > 0 && s[0] == (byte)'_') s = s[1..];
        var chars = new char[s.Length];
        for (int i = 0; i < s.Length; i++) chars[i] = s[i] is >= 0x20 and < 0x7f ? (char)s[i] : '?';
        return new string(chars);
    }

    /// <summary>Writes one cell; returns its width as procps counts it (cells for text, bytes for numbers).</summary>
    public static int Render(R r, PsTask t, PsContext c, int maxRight, RowBuffer b)
    {
        if (r != R.Nop && (t.Sample.Denied & Needs(r, c.Options)) != 0) return Dash(b);
        var st = t.Stat;
        var o = c.Options;
        switch (r)
        {
            case R.Nop:
                return Dash(b);
            case R.Args:
                return Command(c, t, b, maxRight, longForm: !o.BsdC);
            case R.Comm:
                return Command(c, t, b, maxRight, longForm: o.UnixF);
            case R.Fname:
            {
                int rightward = maxRight;
                int fh = Forest(c, b, rightward);
                rightward -= fh;
                if (rightward > 8) rightward = 8;
                int used = PsEscape.Output(t.Cmd(c), c.Utf8, rightward, b);
                return fh + used;
            }
            case R.Etime:
            {
                int start = b.Length;
                PsTime.Elapsed((ulong)t.ElapsedReal(c), b);
                return b.Length - start;
            }
            case R.Etimes:
                return UNum(b, (uint)(ulong)t.ElapsedReal(c));
            case R.C:
            {
                ulong v = Math.Min(t.CpuScaled(c, 100), 99);
                int start = b.Length;
                b.AppendRight((long)v, 2);
                return b.Length - start;
            }
            case R.Pcpu:
            {
                uint v = (uint)t.CpuScaled(c, 1000);
                int start = b.Length;
                if (v > 999) b.Append(v / 10);
                else
                {
                    b.Append(v / 10);
                    b.Append('.');
                    b.Append(v % 10);
                }
                return b.Length - start;
            }
            case R.Cp:
            {
                ulong v = Math.Min(t.CpuScaled(c, 1000), 999);
                int start = b.Length;
                b.AppendRight((long)v, 3);
                return b.Length - start;
            }
            case R.Pgid: return UNum(b, (uint)st.PGrp);
            case R.Ppid: return UNum(b, (uint)st.PPid);
            case R.Time:
            {
                int start = b.Length;
                PsTime.Cumulative(t.TicsAll / (ulong)c.Hz, b);
                return b.Length - start;
            }
            case R.Times: return UNum(b, t.TicsAll / (ulong)c.Hz);
            case R.Vsz: return UNum(b, t.VmSizeKb);
            case R.Priority: return Num(b, st.Priority);
            case R.Opri: return Num(b, 60 + st.Priority);
            case R.PriFoo: return Num(b, st.Priority - 20);
            case R.PriBar: return Num(b, st.Priority + 1);
            case R.PriBaz: return Num(b, st.Priority + 100);
            case R.Pri: return Num(b, 39 - st.Priority);
            case R.PriApi: return Num(b, -1 - st.Priority);
            case R.Nice:
            {
                int pol = t.Policy;
                if (pol != 0 && pol != 3 && pol != -1) return Dash(b);
                return Num(b, st.Nice);
            }
            case R.Oom: return t.Sample.OomScore is { } os ? Num(b, os) : Dash(b);
            case R.OomAdj: return t.Sample.OomScoreAdj is { } oa ? Num(b, oa) : Dash(b);
            case R.Class: return Class(b, t.Policy);
            case R.Rtprio:
            {
                int pol = t.Policy;
                if (pol is 0 or -1) return Dash(b);
                return Num(b, st.RtPriority ?? 0);
            }
            case R.Sched: return t.Policy == -1 ? Dash(b) : Num(b, t.Policy);
            case R.Wchan:
            {
                var w = Wchan(t);
                if (w.Length > maxRight) w = w[..Math.Max(0, maxRight)];
                return Text(b, w);
            }
            case R.Tty8:
                return Text(b, t.TtyName(c));
            case R.Tty4:
            {
                var n = t.TtyName(c);
                if (n.StartsWith("tty", StringComparison.Ordinal) && n.Length > 3) n = n[3..];
                if (n.StartsWith("pts/", StringComparison.Ordinal) && n.Length > 4) n = n[4..];
                return Text(b, n);
            }
            case R.Stat:
            {
                int start = b.Length;
                b.Append(st.State);
                if (st.Nice < 0) b.Append('<');
                if (st.Nice > 0) b.Append('N');
                if (t.VmLockKb != 0) b.Append('L');
                if (st.Session == t.Tgid) b.Append('s');
                if (t.Nlwp > 1) b.Append('l');
                if (st.PGrp == st.TPGid) b.Append('+');
                return b.Length - start;
            }
            case R.S:
                b.Append(st.State);
                return 1;
            case R.Flag:
            {
                int start = b.Length;
                b.Append(Convert.ToString((st.Flags >> 6) & 7, 8));
                return b.Length - start;
            }
            case R.Stackp:
                b.AppendHex(st.StartStack, 16);
                return 16;
            case R.Esp:
                b.AppendHex(st.KStkEsp, 16);
                return 16;
            case R.Eip:
                b.AppendHex(st.KStkEip, 16);
                return 16;
            case R.Bsdtime:
            {
                int start = b.Length;
                PsTime.Bsd((o.IncludeDeadChildren ? t.TicsAllC : t.TicsAll) / (ulong)c.Hz, b);
                return b.Length - start;
            }
            case R.Bsdstart:
                PsTime.BsdStart(t.StartUnix(c), c.Now, c.Zone, b);
                return 6;
            case R.Sz: return UNum(b, t.VmSizeKb / (ulong)Math.Max(1, c.System.PageSizeBytes / 1024));
            case R.Dsiz:
            case R.Drs:
                return Num(b, st.VSize != 0 ? (long)((st.VSize - st.EndCode + st.StartCode) >> 10) : 0);
            case R.Tsiz:
            case R.Trs:
                return Num(b, st.VSize != 0 ? (long)((st.EndCode - st.StartCode) >> 10) : 0);
            case R.Swapable: return UNum(b, t.VmDataKb + t.VmStackKb);
            case R.Size: return UNum(b, st.VSize);
            case R.Minflt: return UNum(b, o.IncludeDeadChildren ? st.MinFlt + st.CMinFlt : st.MinFlt);
            case R.Majflt: return UNum(b, o.IncludeDeadChildren ? st.MajFlt + st.CMajFlt : st.MajFlt);
            case R.Lim:
                if (st.RssLim == ulong.MaxValue) return Text(b, "xx");
                {
                    int start = b.Length;
                    b.AppendRight((long)(st.RssLim >> 10), 5);
                    return b.Length - start;
                }
            case R.Psr: return Num(b, st.Processor ?? 0);
            case R.Rss: return UNum(b, t.VmRssKb);
            case R.Pmem:
            {
                ulong pm = c.MemTotalKb > 0 ? t.VmRssKb * 1000UL / (ulong)c.MemTotalKb : 0;
                if (pm > 999) pm = 999;
                int start = b.Length;
                b.AppendRight((long)(pm / 10), 2);
                b.Append('.');
                b.Append(pm % 10);
                return b.Length - start;
            }
            case R.Lstart:
                return Text(b, PsTime.Ctime(t.StartUnix(c), c.Zone));
            case R.Stime:
            {
                int start = b.Length;
                PsTime.Stime(t.StartUnix(c), c.NowLocal, c.Zone, b);
                return b.Length - start;
            }
            case R.Start:
            {
                int start = b.Length;
                PsTime.Start(t.StartUnix(c), c.Now, c.Zone, b);
                return b.Length - start;
            }
            case R.Sig:
                return Signal(c, b, t.IsThreadRead ? t.Status?.SigPnd : t.Status?.ShdPnd ?? t.Status?.SigPnd);
            case R.Tsig: return Signal(c, b, t.Status?.SigPnd);
            case R.Sigmask: return Signal(c, b, t.Status?.SigBlk);
            case R.Sigignore: return Signal(c, b, t.Status?.SigIgn);
            case R.Sigcatch: return Signal(c, b, t.Status?.SigCgt);
            case R.Egid: return Num(b, (int)t.Egid);
            case R.Rgid: return Num(b, (int)t.Rgid);
            case R.Sgid: return Num(b, (int)t.Sgid);
            case R.Fgid: return Num(b, (int)t.Fgid);
            case R.Euid: return Num(b, (int)t.Euid);
            case R.Ruid: return Num(b, (int)t.Ruid);
            case R.Suid: return Num(b, (int)t.Suid);
            case R.Fuid: return Num(b, (int)t.Fuid);
            case R.Luid:
            {
                int lu = t.Extras(c, PsExtraFields.LoginUid).LoginUid;
                return lu == -1 ? Dash(b) : Num(b, lu);
            }
            case R.Euser: return Name(c, b, c.UserName(t.Euid), t.Euid, maxRight);
            case R.Ruser: return Name(c, b, c.UserName(t.Ruid), t.Ruid, maxRight);
            case R.Suser: return Name(c, b, c.UserName(t.Suid), t.Suid, maxRight);
            case R.Fuser: return Name(c, b, c.UserName(t.Fuid), t.Fuid, maxRight);
            case R.Egroup: return Name(c, b, c.GroupName(t.Egid), t.Egid, maxRight);
            case R.Rgroup: return Name(c, b, c.GroupName(t.Rgid), t.Rgid, maxRight);
            case R.Sgroup: return Name(c, b, c.GroupName(t.Sgid), t.Sgid, maxRight);
            case R.Fgroup: return Name(c, b, c.GroupName(t.Fgid), t.Fgid, maxRight);
            case R.Rbytes: return t.Sample.Io is { } i1 ? UNum(b, i1.ReadBytes) : Dash(b);
            case R.Rchars: return t.Sample.Io is { } i2 ? UNum(b, i2.RChar) : Dash(b);
            case R.Rops: return t.Sample.Io is { } i3 ? UNum(b, i3.SyscR) : Dash(b);
            case R.Wbytes: return t.Sample.Io is { } i4 ? UNum(b, i4.WriteBytes) : Dash(b);
            case R.Wcbytes: return t.Sample.Io is { } i5 ? UNum(b, i5.CancelledWriteBytes) : Dash(b);
            case R.Wchars: return t.Sample.Io is { } i6 ? UNum(b, i6.WChar) : Dash(b);
            case R.Wops: return t.Sample.Io is { } i7 ? UNum(b, i7.SyscW) : Dash(b);
            case R.IoReadBytes: return t.Sample.Io is { } i8 ? UNum(b, i8.ReadBytes) : Dash(b);
            case R.IoWriteBytes: return t.Sample.Io is { } i9 ? UNum(b, i9.WriteBytes) : Dash(b);
            case R.Procs: return Num(b, t.Tgid);
            case R.Tasks: return Num(b, t.Tid);
            case R.Nlwp: return Num(b, t.Nlwp);
            case R.Sess: return Num(b, st.Session);
            case R.Tpgid: return Num(b, st.TPGid);
            case R.Supgid:
            {
                var g = t.Status?.Groups;
                if (g is null || g.Length == 0) return Dash(b);
                int start = b.Length;
                for (int i = 0; i < g.Length; i++)
                {
                    if (i > 0) b.Append(',');
                    b.Append(g[i]);
                }
                int n = b.Length - start;
                if (n > maxRight) b.Truncate(start + Math.Max(0, maxRight));
                return Math.Min(n, Math.Max(0, maxRight));
            }
            case R.Supgrp:
            {
                var g = t.Status?.Groups;
                if (g is null || g.Length == 0) return Dash(b);
                var names = string.Join(',', g.Select(c.GroupName));
                return PsEscape.Output(Encoding.UTF8.GetBytes(names), c.Utf8, maxRight, b);
            }
            case R.SgiP:
                if (st.State == 'R') return Num(b, st.Processor ?? 0);
                b.Append('*');
                return 1;
            case R.Exe:
            {
                if (t.Sample.Exe is not { Length: > 0 } exe) return Dash(b);
                return EscapedText(c, b, exe, maxRight);
            }
            case R.Cgroup:
            case R.Cgname:
            {
                var text = CgroupText(t, r == R.Cgname);
                return EscapedText(c, b, text, maxRight);
            }
            case R.Context:
            {
                var l = Label(t);
                return l is null ? Dash(b) : Text(b, l);
            }
            case R.Utilization:
            case R.UtilizationC:
            {
                double cu = t.Utilization(c, r == R.UtilizationC);
                if (cu > 99.0) cu = 99.999;
                int start = b.Length;
                b.Append(cu.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
                return b.Length - start;
            }
            case R.Agid: return Num(b, t.Extras(c, PsExtraFields.Autogroup).AutogroupId);
            case R.Agnice: return Num(b, t.Extras(c, PsExtraFields.Autogroup).AutogroupNice);
            case R.Cgroupns: return Ns(c, t, b, "cgroup");
            case R.Ipcns: return Ns(c, t, b, "ipc");
            case R.Mntns: return Ns(c, t, b, "mnt");
            case R.Netns: return Ns(c, t, b, "net");
            case R.Pidns: return Ns(c, t, b, "pid");
            case R.Timens: return Ns(c, t, b, "time");
            case R.Userns: return Ns(c, t, b, "user");
            case R.Utsns: return Ns(c, t, b, "uts");
            case R.Uss:
            case R.Pss:
            case R.Swap:
            {
                var x = t.Extras(c, PsExtraFields.Smaps);
                if (x.SmapsDenied) return Dash(b);
                long bytes = x.Smaps is null ? 0 : r switch { R.Uss => x.Smaps.UssBytes, R.Pss => x.Smaps.PssBytes, _ => x.Smaps.SwapBytes };
                return Num(b, bytes / 1024);
            }
            case R.CtxswVol: return t.Status?.VoluntaryCtxtSwitches is { } v1 ? UNum(b, v1) : Dash(b);
            case R.CtxswInvol: return t.Status?.NonvoluntaryCtxtSwitches is { } v2 ? UNum(b, v2) : Dash(b);
            default:
                // systemd, NUMA and LXC columns: procscope has no libsystemd/libnuma; procps prints
                // "-" too when those are unavailable.
                return Dash(b);
        }
    }

    private static int Ns(PsContext c, PsTask t, RowBuffer b, string name)
    {
        var ns = t.Extras(c, PsExtraFields.Namespaces).Namespaces;
        return ns is not null && ns.TryGetValue(name, out ulong inode) && inode != 0 ? UNum(b, inode) : Dash(b);
    }
}
