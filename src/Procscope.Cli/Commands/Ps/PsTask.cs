using System.Globalization;
using System.Text;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux;
using Procscope.Linux.Interop;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Ps;

/// <summary>Everything rows are computed against: clocks, totals, caches and display options of one ps run.</summary>
internal sealed class PsContext
{
    public required PsOptions Options { get; init; }
    public required ProcFs Fs { get; init; }
    public required SystemInfo System { get; init; }
    public required bool Utf8 { get; init; }
    /// <summary>Uptime in clock ticks when the scan started: (ulong)(uptime × hz), as libproc2 computes it.</summary>
    public ulong BootTicks { get; init; }
    public long MemTotalKb { get; init; }
    /// <summary>time(NULL) when output started.</summary>
    public long Now { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public DateTime NowLocal { get; init; }
    public required TerminalNames Terminals { get; init; }
    public required UserDatabase Users { get; init; }
    public uint OwnEuid { get; init; }
    public int OwnTty { get; init; }
    public bool WideSignals { get; set; }

    /// <summary>procps forest_prefix: one char per tree level (' ', 'L', '+', '|'); the row being printed uses the first <see cref="ForestLevel"/>.</summary>
    public char[] ForestPrefix { get; } = new char[RowBuffer.Capacity];
    public int ForestLevel { get; set; }

    public long Hz => System.TicksPerSecond;

    private readonly Dictionary<uint, string> _userCells = new();
    private readonly Dictionary<uint, string> _groupCells = new();

    /// <summary>The name libproc2's pwcache gives: the login name, or the number when unknown or 33 bytes and longer.</summary>
    public string UserName(uint uid)
    {
        if (_userCells.TryGetValue(uid, out var s)) return s;
        var n = Users.UserName(uid);
        s = n is null || Encoding.UTF8.GetByteCount(n) >= 33 ? uid.ToString(CultureInfo.InvariantCulture) : n;
        _userCells[uid] = s;
        return s;
    }

    public string GroupName(uint gid)
    {
        if (_groupCells.TryGetValue(gid, out var s)) return s;
        var n = Users.GroupName(gid);
        s = n is null || Encoding.UTF8.GetByteCount(n) >= 33 ? gid.ToString(CultureInfo.InvariantCulture) : n;
        _groupCells[gid] = s;
        return s;
    }
}

/// <summary>
/// One line of ps output: a process, or one of its threads. Wraps what the snapshot read and
/// computes (and caches) the values columns, selection and sorting need, as libproc2 would.
/// </summary>
internal sealed class PsTask(ProcessSample sample, ProcessStat stat)
{
    public ProcessSample Sample { get; } = sample;
    public ProcessStat Stat { get; } = stat;
    public ProcessStatus? Status => Sample.StatusFile;

    /// <summary>The process id (TGID).</summary>
    public int Tgid => Sample.Pid;
    /// <summary>The thread id (equals <see cref="Tgid"/> for the process itself).</summary>
    public int Tid => Sample.Tid;
    /// <summary>Read from /proc/[pid]/task/[tid] rather than the process directory.</summary>
    public bool IsThreadRead => Sample.IsThread;

    private byte[]? _cmd;
    private byte[]? _cmdline;
    private string? _tty;
    private bool _ttyDone;
    private PsExtras? _extras;

    public uint Id(uint[]? ids, int index) => ids is { Length: > 3 } ? ids[index] : 0;
    public uint Ruid => Id(Status?.Uid, 0);
    public uint Euid => Id(Status?.Uid, 1);
    public uint Suid => Id(Status?.Uid, 2);
    public uint Fuid => Id(Status?.Uid, 3);
    public uint Rgid => Id(Status?.Gid, 0);
    public uint Egid => Id(Status?.Gid, 1);
    public uint Sgid => Id(Status?.Gid, 2);
    public uint Fgid => Id(Status?.Gid, 3);

    private static ulong Kb(long? bytes) => bytes is { } b && b > 0 ? (ulong)(b / 1024) : 0;
    public ulong VmRssKb => Kb(Status?.VmRssBytes);
    public ulong VmSizeKb => Kb(Status?.VmSizeBytes);
    public ulong VmLockKb => Kb(Status?.VmLckBytes);
    public ulong VmDataKb => Kb(Status?.VmDataBytes);
    public ulong VmStackKb => Kb(Status?.VmStkBytes);
    public ulong VmLibKb => Kb(Status?.VmLibBytes);
    public ulong VmExeKb => Kb(Status?.VmExeBytes);
    public ulong VmSwapKb => Kb(Status?.VmSwapBytes);

    /// <summary>Threads in the group; procps shows 1 when the kernel says 0.</summary>
    public int Nlwp
    {
        get
        {
            if (Status?.Threads is { } t && t > 0) return t;
            return Stat.NumThreads > 0 ? (int)Stat.NumThreads : 1;
        }
    }

    /// <summary>sched policy, -1 when the kernel does not report it.</summary>
    public int Policy => Stat.Policy is { } p ? (int)p : -1;

    public ulong TicsAll => Stat.UTimeTicks + Stat.STimeTicks;
    public ulong TicsAllC => Stat.UTimeTicks + Stat.STimeTicks + (ulong)Math.Max(0, Stat.CUTimeTicks) + (ulong)Math.Max(0, Stat.CSTimeTicks);

    /// <summary>libproc2 TIME_ELAPSED: (boot_tics − start_time) / hz in double, with its unsigned subtraction.</summary>
    public double ElapsedReal(PsContext c)
    {
        double t = unchecked(c.BootTicks - Stat.StartTimeTicks);
        return t > 0 ? t / c.Hz : 0;
    }

    /// <summary>libproc2 UTILIZATION: ticks × 100 (in float, as the C code multiplies by 100.0f) / ticks alive.</summary>
    public double Utilization(PsContext c, bool children)
    {
        double t = unchecked(c.BootTicks - Stat.StartTimeTicks);
        if (!(t > 0)) return 0;
        ulong ticks = children ? TicsAllC : TicsAll;
        return (double)((float)ticks * 100.0f) / t;
    }

    /// <summary>Per-mille CPU as ps' %CPU/C/CP compute it: ticks × scale / (ulong)(elapsed × hz).</summary>
    public ulong CpuScaled(PsContext c, ulong scale)
    {
        ulong total = c.Options.IncludeDeadChildren ? TicsAllC : TicsAll;
        ulong jiffies = (ulong)(ElapsedReal(c) * c.Hz);
        return jiffies == 0 ? 0 : unchecked(total * scale) / jiffies;
    }

    /// <summary>Start time in seconds since the epoch, as ps computes it (boot time + whole seconds).</summary>
    public long StartUnix(PsContext c) => c.System.BootTimeUnixSeconds + (long)(Stat.StartTimeTicks / (ulong)c.Hz);

    /// <summary>The command name after libproc2's escaping (what -C matches and comm shows).</summary>
    public byte[] Cmd(PsContext c) => _cmd ??= PsEscape.Library(Stat.CommBytes.Length > 63 ? Stat.CommBytes[..63] : Stat.CommBytes, c.Utf8);

    /// <summary>
    /// The command line as libproc2 prepares it: NULs and newlines become spaces, trailing NULs
    /// dropped, escaped; "[comm]" (plus " &lt;defunct&gt;" for zombies) when there is none, and "?"
    /// when it was nothing but NULs.
    /// </summary>
    public byte[] Cmdline(PsContext c)
    {
        if (_cmdline is not null) return _cmdline;
        var cl = Sample.Cmdline;
        if (cl is null || cl.IsEmpty)
        {
            var cmd = Cmd(c);
            bool zombie = Stat.State == 'Z';
            var b = new byte[cmd.Length + 2 + (zombie ? 10 : 0)];
            b[0] = (byte)'[';
            cmd.CopyTo(b, 1);
            b[cmd.Length + 1] = (byte)']';
            if (zombie) " <defunct>"u8.CopyTo(b.AsSpan(cmd.Length + 2));
            return _cmdline = b;
        }
        var joined = cl.JoinedWithSpaces();
        if (joined.Length == 0) return _cmdline = "?"u8.ToArray();
        if (joined.Length > RowBuffer.Capacity - 1) joined = joined[..(RowBuffer.Capacity - 1)];
        for (int i = 0; i < joined.Length; i++)
            if (joined[i] == (byte)'\n') joined[i] = (byte)' ';
        return _cmdline = PsEscape.Library(joined, c.Utf8);
    }

    /// <summary>TTY as ps prints it: "pts/0", "tty1", or "?" when none or unknown.</summary>
    public string TtyName(PsContext c)
    {
        if (!_ttyDone)
        {
            _tty = c.Terminals.Name(Stat.TtyNr);
            _ttyDone = true;
        }
        return _tty ?? "?";
    }

    public PsExtras Extras(PsContext c, PsExtraFields want)
    {
        _extras ??= new PsExtras();
        _extras.Load(c, this, want);
        return _extras;
    }
}

/// <summary>Files read only for the rows shown, outside the snapshot (namespaces, autogroup, loginuid, environ, smaps_rollup).</summary>
[Flags]
internal enum PsExtraFields
{
    None = 0,
    Namespaces = 1,
    Autogroup = 2,
    LoginUid = 4,
    Environ = 8,
    Smaps = 16,
}

internal sealed class PsExtras
{
    private PsExtraFields _loaded;
    public Dictionary<string, ulong>? Namespaces;
    public int AutogroupId = -1, AutogroupNice;
    public int LoginUid = -1;
    public byte[]? Environ;
    public ProcessSmapsRollup? Smaps;
    /// <summary>smaps_rollup exists but the task has no memory (kernel thread, zombie): zeros, as procps shows.</summary>
    public bool SmapsEmpty;
    public bool SmapsDenied;

    private static readonly string[] NsNames = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"];

    public void Load(PsContext c, PsTask t, PsExtraFields want)
    {
        var todo = want & ~_loaded;
        if (todo == PsExtraFields.None) return;
        _loaded |= todo;
        LinuxProcess p;
        try
        {
            p = t.IsThreadRead ? c.Fs.OpenThread(t.Tgid, t.Tid) : c.Fs.OpenProcess(t.Tgid);
        }
        catch (ProcessException)
        {
            if ((todo & PsExtraFields.Smaps) != 0) SmapsDenied = true;
            return;
        }
        using (p)
        {
            if ((todo & PsExtraFields.Namespaces) != 0)
            {
                Namespaces = new Dictionary<string, ulong>(StringComparer.Ordinal);
                foreach (var ns in NsNames)
                {
                    if (p.TryReadLink("ns/" + ns, out var target) != ReadStatus.Ok || target is null) continue;
                    // "ipc:[4026531839]"
                    var s = target.AsSpan();
                    int open = s.IndexOf((byte)'['), close = s.LastIndexOf((byte)']');
                    if (open >= 0 && close > open && Bytes.TryUInt64(s[(open + 1)..close], out ulong inode)) Namespaces[ns] = inode;
                }
            }
            if ((todo & PsExtraFields.Autogroup) != 0 && p.TryReadRaw("autogroup", out var ag, 4096) == ReadStatus.Ok)
            {
                // "/autogroup-123 nice 0"
                var s = Bytes.Trim(ag);
                int dash = s.IndexOf((byte)'-'), sp = s.IndexOf((byte)' ');
                if (dash >= 0 && sp > dash && Bytes.TryInt32(s[(dash + 1)..sp], out int id)) AutogroupId = id;
                int last = s.LastIndexOf((byte)' ');
                if (last >= 0 && Bytes.TryInt32(s[(last + 1)..], out int nice)) AutogroupNice = nice;
            }
            if ((todo & PsExtraFields.LoginUid) != 0 && p.TryReadRaw("loginuid", out var lu, 64) == ReadStatus.Ok
                && Bytes.TryUInt64(Bytes.Trim(lu), out ulong luid))
                LoginUid = unchecked((int)(uint)luid);
            if ((todo & PsExtraFields.Environ) != 0 && p.TryReadRaw("environ", out var env, RowBuffer.Capacity) == ReadStatus.Ok)
                Environ = env.ToArray();
            if ((todo & PsExtraFields.Smaps) != 0)
            {
                // Not through the snapshot: a task without memory answers ESRCH, which the
                // snapshot takes for "process gone" and would drop the whole row.
                var st = p.TryRead<ProcessSmapsRollup>("smaps_rollup", out var sm);
                if (st == ReadStatus.Ok) Smaps = sm;
                else if (st == ReadStatus.Denied) SmapsDenied = true;
                else SmapsEmpty = true;
            }
        }
    }
}
