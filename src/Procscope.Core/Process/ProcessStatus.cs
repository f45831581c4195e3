using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/status and /proc/[pid]/task/[tid]/status, see proc_pid_status(5). Parsed by key:
/// keys come and go between kernels and configurations, unknown keys are ignored and a missing key
/// leaves its property null. Sizes are converted from the kernel's kB (1024 bytes) to bytes.
/// </summary>
/// <remarks>
/// Which lines appear depends on the task, not only on the kernel: a kernel thread has no Vm*/Rss*
/// lines (no mm), and a zombie has neither those nor Umask (its fs_struct is gone, so
/// <see cref="Umask"/> is null) and reports FDSize 0.
/// </remarks>
public sealed record ProcessStatus : IProcFile<ProcessStatus>
{
    private const string FileName = "/proc/[pid]/status";

    /// <summary>
    /// Name: the command name (comm), raw bytes. The kernel escapes '\n' as "\n" and '\' as "\\" in
    /// this file only; they are unescaped back, so this equals /proc/[pid]/comm without its newline.
    /// Hostile: may hold any other byte, including tabs, escape sequences and invalid UTF-8.
    /// </summary>
    public required byte[] NameBytes { get; init; }
    /// <summary>Umask, octal in the file. Since Linux 4.7; absent for zombies.</summary>
    public uint? Umask { get; init; }
    /// <summary>State: the letter of "R (running)", "S (sleeping)", "D (disk sleep)", "T (stopped)", "t (tracing stop)", "X (dead)", "Z (zombie)", "P (parked)", "I (idle)".</summary>
    public char? State { get; init; }
    /// <summary>Tgid: thread group ID, i.e. the process ID.</summary>
    public int? Tgid { get; init; }
    /// <summary>Ngid: NUMA group ID, 0 if none. Since Linux 3.13.</summary>
    public int? Ngid { get; init; }
    /// <summary>Pid: thread ID.</summary>
    public int? Pid { get; init; }
    /// <summary>PPid: parent's process ID (0 for init and kthreadd).</summary>
    public int? PPid { get; init; }
    /// <summary>TracerPid: process tracing this one, 0 if none.</summary>
    public int? TracerPid { get; init; }
    /// <summary>Uid: real, effective, saved set and filesystem UIDs (4 values).</summary>
    public uint[]? Uid { get; init; }
    /// <summary>Gid: real, effective, saved set and filesystem GIDs (4 values).</summary>
    public uint[]? Gid { get; init; }
    /// <summary>FDSize: number of file descriptor slots currently allocated (0 for a zombie).</summary>
    public int? FdSize { get; init; }
    /// <summary>Groups: supplementary group IDs; empty when none (or when the line is missing).</summary>
    public uint[] Groups { get; init; } = [];
    /// <summary>NStgid: thread group ID in each nested PID namespace, outermost (the reader's) first. Since Linux 4.1.</summary>
    public int[]? NStgid { get; init; }
    /// <summary>NSpid: thread ID in each nested PID namespace. Since Linux 4.1.</summary>
    public int[]? NSpid { get; init; }
    /// <summary>NSpgid: process group ID in each nested PID namespace. Since Linux 4.1.</summary>
    public int[]? NSpgid { get; init; }
    /// <summary>NSsid: session ID in each nested PID namespace. Since Linux 4.1.</summary>
    public int[]? NSsid { get; init; }
    /// <summary>Kthread: whether this is a kernel thread (PF_KTHREAD). Since Linux 6.4 (commit "fs/proc: add Kthread flag to /proc/$pid/status").</summary>
    public bool? Kthread { get; init; }

    /// <summary>VmPeak: peak virtual memory size. Absent for kernel threads and zombies (as are all Vm*/Rss* below).</summary>
    public long? VmPeakBytes { get; init; }
    /// <summary>VmSize: virtual memory size.</summary>
    public long? VmSizeBytes { get; init; }
    /// <summary>VmLck: locked memory size (mlock(2)).</summary>
    public long? VmLckBytes { get; init; }
    /// <summary>VmPin: pinned memory size. Since Linux 3.2.</summary>
    public long? VmPinBytes { get; init; }
    /// <summary>VmHWM: peak resident set size ("high water mark"); inaccurate, see proc_pid_statm(5).</summary>
    public long? VmHwmBytes { get; init; }
    /// <summary>VmRSS: resident set size = RssAnon + RssFile + RssShmem; inaccurate, see proc_pid_statm(5).</summary>
    public long? VmRssBytes { get; init; }
    /// <summary>RssAnon: resident anonymous memory. Since Linux 4.5.</summary>
    public long? RssAnonBytes { get; init; }
    /// <summary>RssFile: resident file mappings. Since Linux 4.5.</summary>
    public long? RssFileBytes { get; init; }
    /// <summary>RssShmem: resident shared memory (System V shm, tmpfs, shared anonymous). Since Linux 4.5.</summary>
    public long? RssShmemBytes { get; init; }
    /// <summary>VmData: size of the data segment.</summary>
    public long? VmDataBytes { get; init; }
    /// <summary>VmStk: size of the stack segment.</summary>
    public long? VmStkBytes { get; init; }
    /// <summary>VmExe: size of the text segment.</summary>
    public long? VmExeBytes { get; init; }
    /// <summary>VmLib: shared library code size.</summary>
    public long? VmLibBytes { get; init; }
    /// <summary>VmPTE: page table entries size. Since Linux 2.6.10.</summary>
    public long? VmPteBytes { get; init; }
    /// <summary>VmSwap: swapped-out anonymous private memory (shmem swap excluded). Since Linux 2.6.34.</summary>
    public long? VmSwapBytes { get; init; }
    /// <summary>HugetlbPages: size of hugetlb memory. Since Linux 4.4.</summary>
    public long? HugetlbPagesBytes { get; init; }
    /// <summary>CoreDumping: whether the process is dumping core. Since Linux 4.15; absent without an mm.</summary>
    public bool? CoreDumping { get; init; }

    /// <summary>Threads: number of threads in the thread group.</summary>
    public int? Threads { get; init; }
    /// <summary>SigQ (first number): signals queued for the real user ID of this process.</summary>
    public ulong? SigQQueued { get; init; }
    /// <summary>SigQ (second number): RLIMIT_SIGPENDING of this process.</summary>
    public ulong? SigQLimit { get; init; }
    /// <summary>SigPnd: signals pending for the thread (bit n-1 is signal n).</summary>
    public ulong? SigPnd { get; init; }
    /// <summary>ShdPnd: signals pending for the process as a whole.</summary>
    public ulong? ShdPnd { get; init; }
    /// <summary>SigBlk: blocked signals.</summary>
    public ulong? SigBlk { get; init; }
    /// <summary>SigIgn: ignored signals.</summary>
    public ulong? SigIgn { get; init; }
    /// <summary>SigCgt: caught signals.</summary>
    public ulong? SigCgt { get; init; }
    /// <summary>CapInh: inheritable capabilities (bit n is capability n, capabilities(7)).</summary>
    public ulong? CapInh { get; init; }
    /// <summary>CapPrm: permitted capabilities.</summary>
    public ulong? CapPrm { get; init; }
    /// <summary>CapEff: effective capabilities.</summary>
    public ulong? CapEff { get; init; }
    /// <summary>CapBnd: capability bounding set. Since Linux 2.6.26.</summary>
    public ulong? CapBnd { get; init; }
    /// <summary>CapAmb: ambient capabilities. Since Linux 4.3.</summary>
    public ulong? CapAmb { get; init; }
    /// <summary>NoNewPrivs: the no_new_privs bit (prctl(2)). Since Linux 4.10.</summary>
    public bool? NoNewPrivs { get; init; }
    /// <summary>Seccomp: 0 disabled, 1 strict, 2 filter (seccomp(2)). Since Linux 3.8, only with CONFIG_SECCOMP.</summary>
    public int? Seccomp { get; init; }
    /// <summary>Seccomp_filters: number of attached seccomp filters. Since Linux 5.9, only with CONFIG_SECCOMP_FILTER.</summary>
    public int? SeccompFilters { get; init; }
    /// <summary>Cpus_allowed_list: CPUs this task may run on, as a list such as "0-3,8". Since Linux 2.6.26.</summary>
    public string? CpusAllowedList { get; init; }
    /// <summary>Mems_allowed_list: memory nodes this task may use, as a list. Since Linux 2.6.26, only with CONFIG_CPUSETS.</summary>
    public string? MemsAllowedList { get; init; }
    /// <summary>voluntary_ctxt_switches. Since Linux 2.6.23.</summary>
    public ulong? VoluntaryCtxtSwitches { get; init; }
    /// <summary>nonvoluntary_ctxt_switches. Since Linux 2.6.23.</summary>
    public ulong? NonvoluntaryCtxtSwitches { get; init; }

    /// <summary>Real UID (first of <see cref="Uid"/>).</summary>
    public uint? RealUid => Uid is [var r, ..] ? r : null;
    /// <summary>Effective UID (second of <see cref="Uid"/>).</summary>
    public uint? EffectiveUid => Uid is [_, var e, ..] ? e : null;
    /// <summary>Real GID (first of <see cref="Gid"/>).</summary>
    public uint? RealGid => Gid is [var r, ..] ? r : null;
    /// <summary>Effective GID (second of <see cref="Gid"/>).</summary>
    public uint? EffectiveGid => Gid is [_, var e, ..] ? e : null;

    public static ProcessStatus Parse(ReadOnlySpan<byte> content)
    {
        var r = new KeyValueReader(content, FileName);
        byte[]? name = null;
        var s = new Builder();
        while (r.MoveNext())
        {
            var k = r.Key;
            // A switch on the first byte keeps this to a couple of comparisons per line.
            switch (k[0])
            {
                case (byte)'N':
                    if (k.SequenceEqual("Name"u8)) name = UnescapeName(r.Value);
                    else if (k.SequenceEqual("Ngid"u8)) s.Ngid = r.ParseInt32();
                    else if (k.SequenceEqual("NStgid"u8)) s.NStgid = r.ParseInt32List();
                    else if (k.SequenceEqual("NSpid"u8)) s.NSpid = r.ParseInt32List();
                    else if (k.SequenceEqual("NSpgid"u8)) s.NSpgid = r.ParseInt32List();
                    else if (k.SequenceEqual("NSsid"u8)) s.NSsid = r.ParseInt32List();
                    else if (k.SequenceEqual("NoNewPrivs"u8)) s.NoNewPrivs = r.ParseFlag();
                    break;
                case (byte)'U':
                    if (k.SequenceEqual("Umask"u8)) s.Umask = r.ParseOctal();
                    else if (k.SequenceEqual("Uid"u8)) s.Uid = ParseIds(ref r);
                    break;
                case (byte)'S':
                    if (k.SequenceEqual("State"u8))
                    {
                        var v = r.TrimmedValue;
                        if (v.IsEmpty) throw r.Fail("empty State");
                        s.State = (char)v[0];
                    }
                    else if (k.SequenceEqual("SigQ"u8)) ParseSigQ(ref r, ref s);
                    else if (k.SequenceEqual("SigPnd"u8)) s.SigPnd = r.ParseHex();
                    else if (k.SequenceEqual("ShdPnd"u8)) s.ShdPnd = r.ParseHex();
                    else if (k.SequenceEqual("SigBlk"u8)) s.SigBlk = r.ParseHex();
                    else if (k.SequenceEqual("SigIgn"u8)) s.SigIgn = r.ParseHex();
                    else if (k.SequenceEqual("SigCgt"u8)) s.SigCgt = r.ParseHex();
                    else if (k.SequenceEqual("Seccomp"u8)) s.Seccomp = r.ParseInt32();
                    else if (k.SequenceEqual("Seccomp_filters"u8)) s.SeccompFilters = r.ParseInt32();
                    break;
                case (byte)'T':
                    if (k.SequenceEqual("Tgid"u8)) s.Tgid = r.ParseInt32();
                    else if (k.SequenceEqual("TracerPid"u8)) s.TracerPid = r.ParseInt32();
                    else if (k.SequenceEqual("Threads"u8)) s.Threads = r.ParseInt32();
                    break;
                case (byte)'P':
                    if (k.SequenceEqual("Pid"u8)) s.Pid = r.ParseInt32();
                    else if (k.SequenceEqual("PPid"u8)) s.PPid = r.ParseInt32();
                    break;
                case (byte)'G':
                    if (k.SequenceEqual("Gid"u8)) s.Gid = ParseIds(ref r);
                    else if (k.SequenceEqual("Groups"u8)) s.Groups = r.ParseUInt32List();
                    break;
                case (byte)'F':
                    if (k.SequenceEqual("FDSize"u8)) s.FdSize = r.ParseInt32();
                    break;
                case (byte)'K':
                    if (k.SequenceEqual("Kthread"u8)) s.Kthread = r.ParseFlag();
                    break;
                case (byte)'V':
                    if (k.SequenceEqual("VmPeak"u8)) s.VmPeak = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmSize"u8)) s.VmSize = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmLck"u8)) s.VmLck = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmPin"u8)) s.VmPin = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmHWM"u8)) s.VmHwm = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmRSS"u8)) s.VmRss = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmData"u8)) s.VmData = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmStk"u8)) s.VmStk = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmExe"u8)) s.VmExe = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmLib"u8)) s.VmLib = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmPTE"u8)) s.VmPte = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("VmSwap"u8)) s.VmSwap = r.ParseKiBAsBytes();
                    break;
                case (byte)'R':
                    if (k.SequenceEqual("RssAnon"u8)) s.RssAnon = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("RssFile"u8)) s.RssFile = r.ParseKiBAsBytes();
                    else if (k.SequenceEqual("RssShmem"u8)) s.RssShmem = r.ParseKiBAsBytes();
                    break;
                case (byte)'H':
                    if (k.SequenceEqual("HugetlbPages"u8)) s.HugetlbPages = r.ParseKiBAsBytes();
                    break;
                case (byte)'C':
                    if (k.SequenceEqual("CoreDumping"u8)) s.CoreDumping = r.ParseFlag();
                    else if (k.SequenceEqual("CapInh"u8)) s.CapInh = r.ParseHex();
                    else if (k.SequenceEqual("CapPrm"u8)) s.CapPrm = r.ParseHex();
                    else if (k.SequenceEqual("CapEff"u8)) s.CapEff = r.ParseHex();
                    else if (k.SequenceEqual("CapBnd"u8)) s.CapBnd = r.ParseHex();
                    else if (k.SequenceEqual("CapAmb"u8)) s.CapAmb = r.ParseHex();
                    else if (k.SequenceEqual("Cpus_allowed_list"u8)) s.CpusAllowedList = Ascii(r.TrimmedValue);
                    break;
                case (byte)'M':
                    if (k.SequenceEqual("Mems_allowed_list"u8)) s.MemsAllowedList = Ascii(r.TrimmedValue);
                    break;
                case (byte)'v':
                    if (k.SequenceEqual("voluntary_ctxt_switches"u8)) s.VoluntaryCtxtSwitches = r.ParseUInt64();
                    break;
                case (byte)'n':
                    if (k.SequenceEqual("nonvoluntary_ctxt_switches"u8)) s.NonvoluntaryCtxtSwitches = r.ParseUInt64();
                    break;
            }
        }
        if (name is null) throw ProcFormatException.At(FileName, content, 0, "no Name line");

        return new ProcessStatus
        {
            NameBytes = name,
            Umask = s.Umask,
            State = s.State,
            Tgid = s.Tgid,
            Ngid = s.Ngid,
            Pid = s.Pid,
            PPid = s.PPid,
            TracerPid = s.TracerPid,
            Uid = s.Uid,
            Gid = s.Gid,
            FdSize = s.FdSize,
            Groups = s.Groups ?? [],
            NStgid = s.NStgid,
            NSpid = s.NSpid,
            NSpgid = s.NSpgid,
            NSsid = s.NSsid,
            Kthread = s.Kthread,
            VmPeakBytes = s.VmPeak,
            VmSizeBytes = s.VmSize,
            VmLckBytes = s.VmLck,
            VmPinBytes = s.VmPin,
            VmHwmBytes = s.VmHwm,
            VmRssBytes = s.VmRss,
            RssAnonBytes = s.RssAnon,
            RssFileBytes = s.RssFile,
            RssShmemBytes = s.RssShmem,
            VmDataBytes = s.VmData,
            VmStkBytes = s.VmStk,
            VmExeBytes = s.VmExe,
            VmLibBytes = s.VmLib,
            VmPteBytes = s.VmPte,
            VmSwapBytes = s.VmSwap,
            HugetlbPagesBytes = s.HugetlbPages,
            CoreDumping = s.CoreDumping,
            Threads = s.Threads,
            SigQQueued = s.SigQQueued,
            SigQLimit = s.SigQLimit,
            SigPnd = s.SigPnd,
            ShdPnd = s.ShdPnd,
            SigBlk = s.SigBlk,
            SigIgn = s.SigIgn,
            SigCgt = s.SigCgt,
            CapInh = s.CapInh,
            CapPrm = s.CapPrm,
            CapEff = s.CapEff,
            CapBnd = s.CapBnd,
            CapAmb = s.CapAmb,
            NoNewPrivs = s.NoNewPrivs,
            Seccomp = s.Seccomp,
            SeccompFilters = s.SeccompFilters,
            CpusAllowedList = s.CpusAllowedList,
            MemsAllowedList = s.MemsAllowedList,
            VoluntaryCtxtSwitches = s.VoluntaryCtxtSwitches,
            NonvoluntaryCtxtSwitches = s.NonvoluntaryCtxtSwitches,
        };
    }

    /// <summary>
    /// Reverses the kernel's escaping of the Name line: proc_task_name() calls
    /// seq_escape_str(..., ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\"), so only '\n' and '\' are
    /// escaped. Any other backslash sequence is kept as it is. The value follows "Name:" and exactly
    /// one tab; further leading tabs or spaces belong to the name.
    /// </summary>
    private static byte[] UnescapeName(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty && value[0] == (byte)'\t') value = value[1..];
        if (value.IndexOf((byte)'\\') < 0) return value.ToArray();
        Span<byte> buf = value.Length <= 256 ? stackalloc byte[value.Length] : new byte[value.Length];
        int n = 0;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == (byte)'\\' && i + 1 < value.Length)
            {
                byte next = value[i + 1];
                if (next == (byte)'n') { buf[n++] = (byte)'\n'; i++; continue; }
                if (next == (byte)'\\') { buf[n++] = (byte)'\\'; i++; continue; }
            }
            buf[n++] = b;
        }
        return buf[..n].ToArray();
    }

    /// <summary>
    /// Only the effective uid and the Kthread flag (what a process table needs to know who owns a
    /// task), without allocating: for reading the status of 10,000 processes at a view's start.
    /// Same line rules and errors as <see cref="Parse"/> for those two lines.
    /// </summary>
    public static (uint? EffectiveUid, bool? Kthread) ParseIdentity(ReadOnlySpan<byte> content)
    {
        var r = new KeyValueReader(content, FileName);
        uint? euid = null;
        bool? kthread = null;
        while (r.MoveNext())
        {
            var k = r.Key;
            if (k.SequenceEqual("Uid"u8))
            {
                var ids = new SpanReader(r.Value, FileName);
                ids.NextUInt64(); // real
                ulong e = ids.NextUInt64();
                ids.NextUInt64(); // saved
                ids.NextUInt64(); // filesystem
                if (ids.HasField() || e > uint.MaxValue) throw r.Fail("expected 4 ids (real, effective, saved, filesystem)");
                euid = (uint)e;
            }
            else if (k.SequenceEqual("Kthread"u8))
            {
                kthread = r.ParseFlag();
                break; // after Uid in every kernel that has it
            }
        }
        return (euid, kthread);
    }

    private static uint[] ParseIds(ref KeyValueReader r)
    {
        var ids = r.ParseUInt32List();
        if (ids.Length != 4) throw r.Fail("expected 4 ids (real, effective, saved, filesystem)");
        return ids;
    }

    private static void ParseSigQ(ref KeyValueReader r, ref Builder s)
    {
        var v = r.TrimmedValue;
        int slash = v.IndexOf((byte)'/');
        if (slash < 0 || !Bytes.TryUInt64(v[..slash], out ulong queued) || !Bytes.TryUInt64(v[(slash + 1)..], out ulong limit))
            throw r.Fail("expected \"queued/limit\"");
        s.SigQQueued = queued;
        s.SigQLimit = limit;
    }

    // Cpus_allowed_list and Mems_allowed_list are kernel-formatted ("0-3,8"), never process data.
    private static string Ascii(ReadOnlySpan<byte> v) => System.Text.Encoding.ASCII.GetString(v);

    /// <summary>Parse state: init-only properties can only be set in the final initializer.</summary>
    private struct Builder
    {
        public uint? Umask;
        public char? State;
        public int? Tgid, Ngid, Pid, PPid, TracerPid, FdSize, Threads, Seccomp, SeccompFilters;
        public uint[]? Uid, Gid, Groups;
        public int[]? NStgid, NSpid, NSpgid, NSsid;
        public bool? Kthread, CoreDumping, NoNewPrivs;
        public long? VmPeak, VmSize, VmLck, VmPin, VmHwm, VmRss, RssAnon, RssFile, RssShmem,
            VmData, VmStk, VmExe, VmLib, VmPte, VmSwap, HugetlbPages;
        public ulong? SigQQueued, SigQLimit, SigPnd, ShdPnd, SigBlk, SigIgn, SigCgt,
            CapInh, CapPrm, CapEff, CapBnd, CapAmb, VoluntaryCtxtSwitches, NonvoluntaryCtxtSwitches;
        public string? CpusAllowedList, MemsAllowedList;
    }
}
