using System.Text;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Ps;

/// <summary>A precomputed sort key: numbers compare numerically, names by bytes (strcoll in the C locale), TTYs by strverscmp.</summary>
internal readonly record struct SortValue(byte Kind, long Signed, ulong Unsigned, double Real, byte[]? Text)
{
    public const byte KNone = 0, KSigned = 1, KUnsigned = 2, KReal = 3, KText = 4, KVersion = 5;

    public static SortValue S(long v) => new(KSigned, v, 0, 0, null);
    public static SortValue U(ulong v) => new(KUnsigned, 0, v, 0, null);
    public static SortValue D(double v) => new(KReal, 0, 0, v, null);
    public static SortValue T(byte[] v) => new(KText, 0, 0, 0, v);
    public static SortValue V(string v) => new(KVersion, 0, 0, 0, Encoding.UTF8.GetBytes(v));

    public int CompareTo(in SortValue o) => Kind switch
    {
        KSigned => Signed.CompareTo(o.Signed),
        KUnsigned => Unsigned.CompareTo(o.Unsigned),
        KReal => Real.CompareTo(o.Real),
        KText => Text.AsSpan().SequenceCompareTo(o.Text),
        KVersion => PsSort.StrVersCmp(Text!, o.Text!),
        _ => 0,
    };
}

/// <summary>Sorting as procps does it: each key a stable sort over the libproc2 item the specifier names.</summary>
internal static class PsSort
{
    public static ProcessFields Needs(K k) => k switch
    {
        K.None or K.Lxcname or K.SdMach or K.SdOuid or K.SdSeat or K.SdSess or K.SdSlice or K.SdUnit or K.SdUunit or K.ProcessorNode => ProcessFields.None,
        K.IdEuid or K.IdRuid or K.IdSuid or K.IdFuid or K.IdEgid or K.IdRgid or K.IdSgid or K.IdFgid
            or K.IdEuser or K.IdRuser or K.IdSuser or K.IdFuser or K.IdEgroup or K.IdRgroup or K.IdSgroup or K.IdFgroup
            or K.VmRss or K.VmSize or K.VmData or K.VmStack or K.VmExe or K.VmLib or K.VmRssLocked or K.Nlwp
            or K.Sigblocked or K.Sigcatch or K.Sigignore or K.Signals or K.Sigpending or K.Supgids or K.Supgroups
            or K.CtxswVol or K.CtxswInvol => ProcessFields.Status,
        K.MemResPgs or K.MemShrPgs => ProcessFields.Statm,
        K.Cmdline => ProcessFields.Stat | ProcessFields.Cmdline,
        K.Exe => ProcessFields.Exe,
        K.Cgroup or K.Cgname => ProcessFields.Cgroup,
        K.WchanName => ProcessFields.Wchan,
        K.OomScore => ProcessFields.OomScore,
        K.OomAdj => ProcessFields.OomScoreAdj,
        K.IoReadBytes or K.IoReadChars or K.IoReadOps or K.IoWriteBytes or K.IoWriteCbytes or K.IoWriteChars or K.IoWriteOps => ProcessFields.Io,
        _ => ProcessFields.Stat,
    };

    public static PsExtraFields Extras(K k) => k switch
    {
        K.NsCgroup or K.NsIpc or K.NsMnt or K.NsNet or K.NsPid or K.NsTime or K.NsUser or K.NsUts => PsExtraFields.Namespaces,
        K.AutogrpId or K.AutogrpNice => PsExtraFields.Autogroup,
        K.IdLogin => PsExtraFields.LoginUid,
        K.SmapPss or K.SmapPrvTotal or K.Swap => PsExtraFields.Smaps,
        _ => PsExtraFields.None,
    };

    public static PsGlobalNeeds Globals(K k) => k is K.TimeElapsed or K.Utilization or K.UtilizationC ? PsGlobalNeeds.Uptime : PsGlobalNeeds.None;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Ns(K k) => k switch
    {
        K.NsCgroup => "cgroup",
        K.NsIpc => "ipc",
        K.NsMnt => "mnt",
        K.NsNet => "net",
        K.NsPid => "pid",
        K.NsTime => "time",
        K.NsUser => "user",
        _ => "uts",
    };

    public static SortValue Key(K k, PsTask t, PsContext c)
    {
        var st = t.Stat;
        var s = t.Status;
        switch (k)
        {
            case K.None: return default;
            case K.Utilization: return SortValue.D(t.Utilization(c, false));
            case K.UtilizationC: return SortValue.D(t.Utilization(c, true));
            case K.TimeElapsed: return SortValue.D(t.ElapsedReal(c));
            case K.TimeAll: return SortValue.D((double)t.TicsAll / c.Hz);
            case K.TicsAll: return SortValue.U(t.TicsAll);
            case K.TicsBegan: return SortValue.U(st.StartTimeTicks);
            case K.TicsUser: return SortValue.U(st.UTimeTicks);
            case K.TicsUserC: return SortValue.U(st.UTimeTicks + (ulong)Math.Max(0, st.CUTimeTicks));
            case K.IdTgid: return SortValue.S(t.Tgid);
            case K.IdPid: return SortValue.S(t.Tid);
            case K.IdPpid: return SortValue.S(st.PPid);
            case K.IdPgrp: return SortValue.S(st.PGrp);
            case K.IdSession: return SortValue.S(st.Session);
            case K.IdTpgid: return SortValue.S(st.TPGid);
            case K.IdEuid: return SortValue.U(t.Euid);
            case K.IdRuid: return SortValue.U(t.Ruid);
            case K.IdSuid: return SortValue.U(t.Suid);
            case K.IdFuid: return SortValue.U(t.Fuid);
            case K.IdEgid: return SortValue.U(t.Egid);
            case K.IdRgid: return SortValue.U(t.Rgid);
            case K.IdSgid: return SortValue.U(t.Sgid);
            case K.IdFgid: return SortValue.U(t.Fgid);
            case K.IdEuser: return SortValue.T(Utf8(c.UserName(t.Euid)));
            case K.IdRuser: return SortValue.T(Utf8(c.UserName(t.Ruid)));
            case K.IdSuser: return SortValue.T(Utf8(c.UserName(t.Suid)));
            case K.IdFuser: return SortValue.T(Utf8(c.UserName(t.Fuid)));
            case K.IdEgroup: return SortValue.T(Utf8(c.GroupName(t.Egid)));
            case K.IdRgroup: return SortValue.T(Utf8(c.GroupName(t.Rgid)));
            case K.IdSgroup: return SortValue.T(Utf8(c.GroupName(t.Sgid)));
            case K.IdFgroup: return SortValue.T(Utf8(c.GroupName(t.Fgid)));
            case K.IdLogin: return SortValue.S(t.Extras(c, PsExtraFields.LoginUid).LoginUid);
            case K.State: return SortValue.S(st.State);
            case K.Nice: return SortValue.S(st.Nice);
            case K.Priority: return SortValue.S(st.Priority);
            case K.PriorityRt: return SortValue.S(st.RtPriority ?? 0);
            case K.SchedClass: return SortValue.S(t.Policy);
            case K.Processor: return SortValue.S(st.Processor ?? 0);
            case K.Nlwp: return SortValue.S(t.Nlwp);
            case K.Flags: return SortValue.U(st.Flags);
            case K.FltMaj: return SortValue.U(st.MajFlt);
            case K.FltMin: return SortValue.U(st.MinFlt);
            case K.RssRlim: return SortValue.U(st.RssLim);
            case K.VmRss: return SortValue.U(t.VmRssKb);
            case K.VmSize: return SortValue.U(t.VmSizeKb);
            case K.VmData: return SortValue.U(t.VmDataKb);
            case K.VmStack: return SortValue.U(t.VmStackKb);
            case K.VmExe: return SortValue.U(t.VmExeKb);
            case K.VmLib: return SortValue.U(t.VmLibKb);
            case K.VmRssLocked: return SortValue.U(t.VmLockKb);
            case K.VsizeBytes: return SortValue.U(st.VSize);
            case K.MemResPgs: return SortValue.U(t.Sample.Statm?.ResidentPages ?? 0);
            case K.MemShrPgs: return SortValue.U(t.Sample.Statm?.SharedPages ?? 0);
            case K.AddrCodeEnd: return SortValue.U(st.EndCode);
            case K.AddrCodeStart: return SortValue.U(st.StartCode);
            case K.AddrCurrEip: return SortValue.U(st.KStkEip);
            case K.AddrCurrEsp: return SortValue.U(st.KStkEsp);
            case K.AddrStackStart: return SortValue.U(st.StartStack);
            case K.Cmd: return SortValue.T(t.Cmd(c));
            case K.Cmdline: return SortValue.T(t.Cmdline(c));
            case K.Exe: return SortValue.T(t.Sample.Exe is { Length: > 0 } e ? PsEscape.Library(e, c.Utf8) : "-"u8.ToArray());
            case K.Cgroup: return SortValue.T(PsEscape.Library(PsRender.CgroupText(t, false), c.Utf8));
            case K.Cgname: return SortValue.T(PsEscape.Library(PsRender.CgroupText(t, true), c.Utf8));
            case K.WchanName: return SortValue.T(Utf8(PsRender.Wchan(t)));
            case K.TtyName: return SortValue.V(t.TtyName(c));
            case K.Signals: return SortValue.U((t.IsThreadRead ? s?.SigPnd : s?.ShdPnd ?? s?.SigPnd) ?? 0);
            case K.Sigpending: return SortValue.U(s?.SigPnd ?? 0);
            case K.Sigblocked: return SortValue.U(s?.SigBlk ?? 0);
            case K.Sigignore: return SortValue.U(s?.SigIgn ?? 0);
            case K.Sigcatch: return SortValue.U(s?.SigCgt ?? 0);
            case K.Supgids: return SortValue.T(Utf8(s is { Groups.Length: > 0 } ? string.Join(',', s.Groups) : "-"));
            case K.Supgroups: return SortValue.T(Utf8(s is { Groups.Length: > 0 } ? string.Join(',', s.Groups.Select(c.GroupName)) : "-"));
            case K.IoReadBytes: return SortValue.U(t.Sample.Io?.ReadBytes ?? 0);
            case K.IoReadChars: return SortValue.U(t.Sample.Io?.RChar ?? 0);
            case K.IoReadOps: return SortValue.U(t.Sample.Io?.SyscR ?? 0);
            case K.IoWriteBytes: return SortValue.U(t.Sample.Io?.WriteBytes ?? 0);
            case K.IoWriteCbytes: return SortValue.U(t.Sample.Io?.CancelledWriteBytes ?? 0);
            case K.IoWriteChars: return SortValue.U(t.Sample.Io?.WChar ?? 0);
            case K.IoWriteOps: return SortValue.U(t.Sample.Io?.SyscW ?? 0);
            case K.OomScore: return SortValue.S(t.Sample.OomScore ?? 0);
            case K.OomAdj: return SortValue.S(t.Sample.OomScoreAdj ?? 0);
            case K.SmapPss: return SortValue.S(t.Extras(c, PsExtraFields.Smaps).Smaps?.PssBytes ?? 0);
            case K.SmapPrvTotal: return SortValue.S(t.Extras(c, PsExtraFields.Smaps).Smaps?.UssBytes ?? 0);
            case K.Swap: return SortValue.S(t.Extras(c, PsExtraFields.Smaps).Smaps?.SwapBytes ?? 0);
            case K.AutogrpId: return SortValue.S(t.Extras(c, PsExtraFields.Autogroup).AutogroupId);
            case K.AutogrpNice: return SortValue.S(t.Extras(c, PsExtraFields.Autogroup).AutogroupNice);
            case K.NsCgroup or K.NsIpc or K.NsMnt or K.NsNet or K.NsPid or K.NsTime or K.NsUser or K.NsUts:
            {
                var ns = t.Extras(c, PsExtraFields.Namespaces).Namespaces;
                return SortValue.U(ns is not null && ns.TryGetValue(Ns(k), out ulong v) ? v : 0);
            }
            case K.CtxswVol: return SortValue.U(s?.VoluntaryCtxtSwitches ?? 0);
            case K.CtxswInvol: return SortValue.U(s?.NonvoluntaryCtxtSwitches ?? 0);
            default: return SortValue.T("-"u8.ToArray());
        }
    }

    /// <summary>
    /// Orders <paramref name="tasks"/> as applying each sort in turn as a stable sort would: the
    /// last node is the primary key, ties fall back to earlier nodes, then to the input order.
    /// </summary>
    public static List<PsTask> Apply(List<PsTask> tasks, IReadOnlyList<SortNode> sorts, PsContext c)
    {
        if (sorts.Count == 0 || tasks.Count < 2) return tasks;
        var keys = new SortValue[sorts.Count][];
        for (int s = 0; s < sorts.Count; s++)
        {
            var arr = keys[s] = new SortValue[tasks.Count];
            var k = sorts[s].Field.Sort;
            for (int i = 0; i < tasks.Count; i++) arr[i] = Key(k, tasks[i], c);
        }
        var index = new int[tasks.Count];
        for (int i = 0; i < index.Length; i++) index[i] = i;
        Array.Sort(index, (a, b) =>
        {
            for (int s = sorts.Count - 1; s >= 0; s--)
            {
                int r = keys[s][a].CompareTo(keys[s][b]);
                if (r != 0) return sorts[s].Descending ? -r : r;
            }
            return a.CompareTo(b);
        });
        var result = new List<PsTask>(tasks.Count);
        foreach (int i in index) result.Add(tasks[i]);
        return result;
    }

    /// <summary>glibc strverscmp(): digit runs compare as numbers (with its rules for leading zeros), the rest by bytes.</summary>
    public static int StrVersCmp(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (i == a.Length && i == b.Length) return 0;
        // Back up to the start of a digit run shared by both.
        int start = i;
        while (start > 0 && IsDigit(a[start - 1])) start--;
        bool aDigit = i < a.Length && IsDigit(a[i]);
        bool bDigit = i < b.Length && IsDigit(b[i]);
        int Byte(ReadOnlySpan<byte> s, int k) => k < s.Length ? s[k] : 0;
        if ((start < i || (aDigit && bDigit)) && (aDigit || bDigit))
        {
            bool leadingZero = start < a.Length && a[start] == (byte)'0' || start < b.Length && b[start] == (byte)'0';
            if (!leadingZero || (start < i && !IsZeroRun(a, start, i)))
            {
                // Integral parts: the longer digit run is larger.
                int la = i, lb = i;
                while (la < a.Length && IsDigit(a[la])) la++;
                while (lb < b.Length && IsDigit(b[lb])) lb++;
                if (la != lb) return la - lb;
                return Byte(a, i) - Byte(b, i);
            }
            // Fractional parts (leading zeros): the one with more leading zeros is smaller.
            if (aDigit != bDigit) return aDigit ? -1 : 1;
        }
        return Byte(a, i) - Byte(b, i);
    }

    private static bool IsDigit(byte c) => c >= (byte)'0' && c <= (byte)'9';

    private static bool IsZeroRun(ReadOnlySpan<byte> s, int from, int to)
    {
        for (int k = from; k < to; k++)
            if (s[k] != (byte)'0') return false;
        return true;
    }
}
