using System.Diagnostics;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Processes;

/// <summary>
/// One task (process, or thread in thread mode) of a <see cref="ProcessTable"/>. Fields from
/// /proc/[pid]/stat are refreshed every <see cref="ProcessTable.Refresh"/>; the user and the
/// command line are read once per (pid, start time) and again after an exec (comm changed) or at a
/// slow cadence; the rest is read on demand by <see cref="ProcessTable.ReadDetails"/> for the rows
/// a view shows. Kept small (a table holds one per task, 10,000 and more): the previous
/// refresh's counters for the rates live here rather than in a separate tracker, and the rarely
/// read files in a <see cref="TaskDetails"/> allocated only when one of them is read.
/// </summary>
public sealed class TableTask
{
    internal TableTask(ProcessKey key, int pid, int tid) { Key = key; Pid = pid; Tid = tid; }

    public ProcessKey Key { get; }
    public int Pid { get; }
    public int Tid { get; }
    /// <summary>Process or thread id shown in a PID column.</summary>
    public int Id => Tid;

    // From stat, every refresh.
    /// <summary>comm, raw; one array shared by all tasks of the table with the same comm (never modify it).</summary>
    public byte[] CommBytes { get; internal set; } = [];
    public char State { get; internal set; }
    public int PPid { get; internal set; }
    public int TtyNr { get; internal set; }
    // Stored narrow (the kernel's ranges: priority -100..39, nice -20..19, threads < 2^31), read as stat's types.
    private int _priority, _nice, _numThreads;
    public long Priority { get => _priority; internal set => _priority = Narrow(value); }
    public long Nice { get => _nice; internal set => _nice = Narrow(value); }
    public long NumThreads { get => _numThreads; internal set => _numThreads = Narrow(value); }
    public ulong StartTimeTicks => Key.StartTimeTicks;
    public ulong VSizeBytes { get; internal set; }
    public long RssPages { get; internal set; }
    // Optional values without Nullable's padding (a table holds 10,000 and more tasks): -1 / NaN / MaxValue mean absent.
    private int _processor = -1;
    private uint _policy = uint.MaxValue;
    public int? Processor { get => _processor >= 0 ? _processor : null; internal set => _processor = value is >= 0 ? value.Value : -1; }
    public uint? Policy { get => _policy != uint.MaxValue ? _policy : null; internal set => _policy = value ?? uint.MaxValue; }
    public ulong CpuTicks { get; internal set; }
    public ulong MinFlt { get; internal set; }
    public ulong MajFlt { get; internal set; }
    /// <summary>%CPU since the previous refresh (0 on the first sight of the task), clamped to [0, 100 × CPUs].</summary>
    public double CpuPercent { get; internal set; }
    /// <summary>Minor faults per second since the previous refresh; null on the first sight of the task.</summary>
    public double? MinFltPerSecond { get => double.IsNaN(_minFltRate) ? null : _minFltRate; internal set => _minFltRate = value ?? double.NaN; }
    private double _minFltRate = double.NaN, _majFltRate = double.NaN;
    /// <summary>Major faults per second since the previous refresh; null on the first sight of the task.</summary>
    public double? MajFltPerSecond { get => double.IsNaN(_majFltRate) ? null : _majFltRate; internal set => _majFltRate = value ?? double.NaN; }
    /// <summary>%CPU and fault rates since the previous refresh (0 / null on the first sight of the task).</summary>
    public ProcessRateSample Rates => new(CpuPercent, MinFltPerSecond, MajFltPerSecond, null, null, null, null, null, null, null);

    // Once per (pid, start time), re-read after exec.
    /// <summary>Effective uid from status; null when status was refused.</summary>
    public uint? Uid { get => _uid != uint.MaxValue ? _uid : null; internal set => _uid = value ?? uint.MaxValue; }
    private uint _uid = uint.MaxValue; // (uid_t)-1 is no user's id
    /// <summary>Arguments joined with spaces (raw, hostile bytes); empty for kernel threads and zombies.</summary>
    public byte[] CmdlineBytes { get; internal set; } = [];
    public bool IsKernelThread { get; internal set; }

    // On demand (ReadDetails).
    /// <summary>statm's resident pages (top's RES), null until read or when refused.</summary>
    public ulong? ResidentPages { get => _residentPages == ulong.MaxValue ? null : _residentPages; internal set => _residentPages = value ?? ulong.MaxValue; }
    private ulong _residentPages = ulong.MaxValue, _sharedPages = ulong.MaxValue;
    /// <summary>statm's shared pages (top's SHR), null until read or when refused.</summary>
    public ulong? SharedPages { get => _sharedPages == ulong.MaxValue ? null : _sharedPages; internal set => _sharedPages = value ?? ulong.MaxValue; }
    public ProcessIo? Io => Details?.Io;
    public ProcessSchedstat? Schedstat => Details?.Schedstat;
    public ProcessSmapsRollup? SmapsRollup => Details?.SmapsRollup;
    public ProcessStatus? Status => Details?.Status;
    public byte[]? CgroupPath => Details?.CgroupPath;
    public int? OomScore => Details?.OomScore;
    /// <summary>Details requested but refused (render as "-").</summary>
    public ProcessFields Denied { get; internal set; }
    /// <summary>Rates of the on-demand counters (io, context switches, run-queue wait) between the last two ReadDetails.</summary>
    public ProcessRateSample DetailRates => Details?.Rates ?? default;

    /// <summary>The caller's own per-task state (e.g. a view's cached row), dropped with the task.</summary>
    public object? Tag { get; set; }

    internal TaskDetails? Details;
    internal int Seen;
    /// <summary>Slots of the kept-open stat and statm in the table's <see cref="OpenFileReader"/> (-1: none): re-read with pread, closed when the task goes.</summary>
    internal int StatSlot = -1;
    internal int StatmSlot = -1;
    /// <summary>Refresh generations: stat last showed activity, statm last read, statm due again (see ProcessTableOptions.StatmMaxAge).</summary>
    internal int ActiveGeneration;
    internal int StatmReadGeneration;
    internal int StatmDueGeneration;
    internal int RefreshesSinceIdentity;
    internal bool HasPrevious;

    private static int Narrow(long v) => (int)Math.Clamp(v, int.MinValue, int.MaxValue);
}

/// <summary>The on-demand files of a <see cref="TableTask"/> other than statm, and their rates.</summary>
internal sealed class TaskDetails
{
    public ProcessIo? Io;
    public ProcessSchedstat? Schedstat;
    public ProcessSmapsRollup? SmapsRollup;
    public ProcessStatus? Status;
    public byte[]? CgroupPath;
    public int? OomScore;
    public ProcessRateSample Rates;
    public ProcessCounters Counters = ProcessCounters.Empty;
    public long Timestamp;
}

/// <summary>Options of a <see cref="ProcessTable"/>.</summary>
public sealed record ProcessTableOptions
{
    /// <summary>One row per thread (top -H) instead of per process.</summary>
    public bool Threads { get; init; }
    /// <summary>Only these processes (top -p); null for all.</summary>
    public IReadOnlyCollection<int>? Pids { get; init; }
    /// <summary>
    /// Re-read status and cmdline of a live task every this many refreshes (uid changes without an
    /// exec, argv rewrites), spread over refreshes. An exec (comm changed) re-reads at once.
    /// Default 300: status is the most expensive file per task, and with 10,000 tasks re-reading it
    /// every 60 refreshes cost about 4% of a refresh.
    /// </summary>
    public int IdentityRefreshInterval { get; init; } = 300;
    /// <summary>
    /// Keep /proc/[pid]/stat (and statm, once read) open per task and re-read it with pread
    /// (one syscall instead of three per file and refresh). Descriptors are kept while the soft
    /// RLIMIT_NOFILE leaves <see cref="FileDescriptorReserve"/> free; beyond that files are opened
    /// and closed each time. Call <see cref="ResourceLimits.RaiseOpenFilesLimit"/> first to keep more.
    /// </summary>
    public bool KeepFilesOpen { get; init; } = true;
    /// <summary>
    /// Read /proc/[pid]/cmdline with the identity files (default). Off, <see cref="TableTask.CmdlineBytes"/>
    /// stays empty: for views that show only comm (top -b without -c), it saves an open and read
    /// per process at start and at every identity re-read.
    /// </summary>
    public bool ReadCmdline { get; init; } = true;
    /// <summary>
    /// statm (exact resident and shared pages: top's RES and SHR) is re-read when the task's stat
    /// shows activity since the last read (faults, CPU time, stat's approximate rss or its size
    /// changed) and at least every this many refreshes otherwise (pages of an idle task can still
    /// be reclaimed or swapped). 1 reads it every time. Default 5.
    /// </summary>
    public int StatmMaxAge { get; init; } = 5;
    /// <summary>Descriptors left free for everything else the process does (default 256).</summary>
    public int FileDescriptorReserve { get; init; } = 256;
}

/// <summary>
/// A long-lived table of tasks for top-like views. Each <see cref="Refresh"/> reads only
/// /proc/[pid]/stat (the one file whose fields change every refresh for every task); identity
/// files are cached per (pid, start time); other files are read for visible rows only. Rates come
/// from <see cref="ProcessDeltaTracker"/>. Never throws per task: gone tasks drop out, refused
/// files leave fields null, and a file our parser rejects (a bug) is counted in
/// <see cref="FormatErrors"/> with the first error kept in <see cref="FirstFormatError"/> for the
/// caller to report.
/// <para>
/// File cache: with <see cref="ProcessTableOptions.KeepFilesOpen"/> the stat (and statm) file of
/// each task stays open and is re-read with pread at offset 0. The descriptor pins the task: after
/// it exits, reads fail (ESRCH) even if its pid was reused, and the table then drops the
/// descriptor and looks at the path again, where the new process gets a new (pid, start time)
/// entry. Descriptors of tasks that leave the listing are closed at the end of the refresh;
/// <see cref="Dispose"/> closes the rest.
/// </para>
/// Not thread-safe.
/// </summary>
public sealed class ProcessTable : IDisposable
{
    private readonly ProcFs _fs;
    private readonly Core.Sys.SystemInfo _system;
    private readonly Dictionary<int, TableTask> _tasks = new();
    private readonly List<TableTask> _current = new();
    private readonly List<int> _ids = new(1024);
    private readonly List<int> _tids = new(64);
    private readonly List<int> _gone = new();
    private readonly char[] _path = new char[512];
    private readonly OpenFileReader _files = new();
    // One comm array per distinct name, shared by the tasks that have it (10,000 processes of one
    // program keep one), so that views can also share what they derive from it by reference.
    private readonly HashSet<byte[]> _comms = new(CommComparer.Instance);
    private long _lastTimestamp;
    private int _generation;
    private bool? _threadsOfTasks;
    private int _fileBudget;
    private const int StatMaxBytes = 64 * 1024;

    public ProcessTable(ProcFs fs, Core.Sys.SystemInfo system, ProcessTableOptions? options = null)
    {
        _fs = fs;
        _system = system;
        Options = options ?? new ProcessTableOptions();
    }

    public ProcessTableOptions Options { get; set; }
    private bool _cmdlineOfTasks = true;
    /// <summary>Tasks of the last refresh, in pid (then tid) order.</summary>
    public IReadOnlyList<TableTask> Tasks => _current;
    /// <summary>Seconds between the last two refreshes (0 after the first).</summary>
    public double ElapsedSeconds { get; private set; }
    public Core.Sys.SystemInfo System => _system;
    /// <summary>Descriptors currently kept open by the file cache.</summary>
    public int OpenFileCount => _files.Count;
    /// <summary>Files our parsers rejected since the table was created (each is a parser bug; the task is skipped for that refresh).</summary>
    public int FormatErrors { get; private set; }
    /// <summary>The first of <see cref="FormatErrors"/>, with file, offset and line.</summary>
    public ProcFormatException? FirstFormatError { get; private set; }

    private void CountFormatError(ProcFormatException e)
    {
        FormatErrors++;
        FirstFormatError ??= e;
    }

    /// <summary>Reads stat of every task and updates rates. Returns the tasks in pid order.</summary>
    public IReadOnlyList<TableTask> Refresh()
    {
        if (_threadsOfTasks != Options.Threads)
        {
            // Process rows and thread rows share ids (the main thread's tid is the pid) but not
            // counters or files: start over rather than compute a rate across the two. (Before the
            // timestamp below: done after it, the first refresh forgot its own time, and the second,
            // top's first frame, had no interval: every %CPU 0.)
            ForgetAll();
            _threadsOfTasks = Options.Threads;
        }
        long now = Stopwatch.GetTimestamp();
        ElapsedSeconds = _lastTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        _generation++;
        _current.Clear();
        _ids.Clear();
        if (_cmdlineOfTasks != Options.ReadCmdline)
        {
            // Turned on: every known task's command line is read on this refresh; off: dropped,
            // so a view that does not show them does not keep 10,000 of them resident.
            foreach (var t in _tasks.Values)
            {
                if (Options.ReadCmdline) t.RefreshesSinceIdentity = Options.IdentityRefreshInterval;
                else t.CmdlineBytes = [];
            }
            _cmdlineOfTasks = Options.ReadCmdline;
        }
        _fileBudget = FileBudget();
        if (Options.Pids is { } wanted)
        {
            foreach (int p in wanted) if (p > 0 && !_ids.Contains(p)) _ids.Add(p);
            _ids.Sort();
        }
        else
        {
            DirectoryScanner.ListNumeric(_fs.Root, _ids);
            _ids.Sort();
        }
        foreach (int pid in _ids)
        {
            if (!Options.Threads)
            {
                ReadTask(pid, pid, false);
                continue;
            }
            _tids.Clear();
            DirectoryScanner.ListNumeric($"{_fs.Root}/{pid}/task", _tids);
            _tids.Sort();
            foreach (int tid in _tids) ReadTask(pid, tid, true);
        }
        foreach (var (id, t) in _tasks)
            if (t.Seen != _generation) _gone.Add(id);
        foreach (int id in _gone)
        {
            CloseFiles(_tasks[id]);
            _tasks.Remove(id);
        }
        _gone.Clear();
        // Names of tasks long gone: start the shared set over (live tasks keep their arrays).
        if (_comms.Count > 256 && _comms.Count > 2 * _tasks.Count) _comms.Clear();
        // A machine that had many more tasks than now: give the table's entries back.
        if (_tasks.Count >= 256 && _tasks.EnsureCapacity(0) > 4 * _tasks.Count) _tasks.TrimExcess();
        return _current;
    }

    /// <summary>The shared array holding <paramref name="comm"/>.</summary>
    private byte[] Intern(ReadOnlySpan<byte> comm)
    {
        var lookup = _comms.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(comm, out var shared)) return shared;
        shared = comm.ToArray();
        _comms.Add(shared);
        return shared;
    }

    /// <summary>Byte arrays by content, looked up from a span without allocating.</summary>
    private sealed class CommComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly CommComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var h = new HashCode();
            h.AddBytes(alternate);
            return h.ToHashCode();
        }
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    private int BuildPath(int pid, int tid, bool thread, string file)
    {
        var span = _path.AsSpan();
        int n = 0;
        _fs.Root.AsSpan().CopyTo(span);
        n += _fs.Root.Length;
        span[n++] = '/';
        pid.TryFormat(span[n..], out int w);
        n += w;
        if (thread)
        {
            "/task/".AsSpan().CopyTo(span[n..]);
            n += 6;
            tid.TryFormat(span[n..], out w);
            n += w;
        }
        span[n++] = '/';
        file.AsSpan().CopyTo(span[n..]);
        return n + file.Length;
    }

    private int FileBudget()
    {
        if (!Options.KeepFilesOpen) return 0;
        ulong limit = ResourceLimits.OpenFilesSoftLimit ?? 1024;
        return (int)Math.Clamp((long)Math.Min(limit, int.MaxValue) - Options.FileDescriptorReserve, 0, int.MaxValue);
    }

    private void ForgetAll()
    {
        foreach (var t in _tasks.Values) CloseFiles(t);
        _tasks.Clear();
        _lastTimestamp = 0;
        ElapsedSeconds = 0;
    }

    private void CloseFiles(TableTask t)
    {
        if (t.StatSlot >= 0) { _files.Close(t.StatSlot); t.StatSlot = -1; }
        if (t.StatmSlot >= 0) { _files.Close(t.StatmSlot); t.StatmSlot = -1; }
    }

    /// <summary>
    /// Reads one per-task file through the task's kept descriptor, or by path (keeping the new
    /// descriptor while the budget allows). A failed read through a kept descriptor means the
    /// task is gone (ESRCH): the descriptor is closed and the path tried once, where a reused
    /// pid shows up as a new start time. Returns 0 or errno.
    /// </summary>
    private int ReadFile(ref int slot, int pid, int tid, bool thread, string file, int maxBytes, out ReadOnlySpan<byte> content)
    {
        if (slot >= 0)
        {
            if (_files.ReadWhole(slot, maxBytes, out content) == 0) return 0;
            _files.Close(slot);
            slot = -1;
        }
        int len = BuildPath(pid, tid, thread, file);
        int err = _files.Open(_path.AsSpan(0, len), out int opened);
        if (err != 0)
        {
            content = default;
            return err;
        }
        err = _files.ReadWhole(opened, maxBytes, out content);
        // Over budget the descriptor is closed now; content stays valid (it is the reader's buffer).
        if (err == 0 && _files.Count <= _fileBudget) slot = opened;
        else _files.Close(opened);
        return err;
    }

    private void ReadTask(int pid, int tid, bool thread)
    {
        _tasks.TryGetValue(tid, out var t);
        int slot = t?.StatSlot ?? -1;
        int err = ReadFile(ref slot, pid, tid, thread, "stat", StatMaxBytes, out var content);
        if (t is not null) t.StatSlot = slot; // -1 when ReadFile closed a dead descriptor
        if (err != 0) return; // gone (or refused): the task drops out at the end of the refresh
        ProcessStatSample st;
        try
        {
            st = ProcessStat.ParseSample(content);
        }
        catch (ProcFormatException e)
        {
            CountFormatError(e); // a parser bug: counted for the caller to report, the task skipped this refresh
            if (t is null && slot >= 0) _files.Close(slot);
            return;
        }
        var comm = content.Slice(st.CommStart, st.CommLength);
        var key = new ProcessKey(tid, st.StartTimeTicks);
        if (t is null || t.Key != key)
        {
            if (t is not null)
            {
                // pid reused: the old task's files are not this task's
                t.StatSlot = -1; // slot was opened by path for the new process
                CloseFiles(t);
            }
            t = new TableTask(key, pid, tid) { StatSlot = slot, CommBytes = Intern(comm) };
            _tasks[tid] = t;
            ReadIdentity(t, thread);
        }
        else if (!comm.SequenceEqual(t.CommBytes))
        {
            t.CommBytes = Intern(comm); // exec (or prctl PR_SET_NAME): the command line may have changed
            ReadIdentity(t, thread);
        }
        else if (++t.RefreshesSinceIdentity >= Options.IdentityRefreshInterval)
        {
            ReadIdentity(t, thread);
        }
        ulong cpu = st.UTimeTicks + st.STimeTicks;
        if (!t.HasPrevious || cpu != t.CpuTicks || st.MinFlt != t.MinFlt || st.MajFlt != t.MajFlt || st.RssPages != t.RssPages || st.VSize != t.VSizeBytes)
            t.ActiveGeneration = _generation;
        if (t.HasPrevious)
        {
            // Rates against the previous refresh of the same (pid, start time), clamped (Core's ProcessRates).
            t.CpuPercent = ProcessRates.CpuPercent(t.CpuTicks, cpu, ElapsedSeconds, _system.TicksPerSecond, _system.CpuCount);
            t.MinFltPerSecond = ProcessRates.PerSecond(t.MinFlt, st.MinFlt, ElapsedSeconds);
            t.MajFltPerSecond = ProcessRates.PerSecond(t.MajFlt, st.MajFlt, ElapsedSeconds);
        }
        t.HasPrevious = true;
        t.Seen = _generation;
        t.State = st.State;
        t.PPid = st.PPid;
        t.TtyNr = st.TtyNr;
        t.Priority = st.Priority;
        t.Nice = st.Nice;
        t.NumThreads = st.NumThreads;
        t.VSizeBytes = st.VSize;
        t.RssPages = st.RssPages;
        t.Processor = st.Processor >= 0 ? st.Processor : null;
        t.Policy = st.Policy;
        t.CpuTicks = cpu;
        t.MinFlt = st.MinFlt;
        t.MajFlt = st.MajFlt;
        _current.Add(t);
    }

    private void ReadIdentity(TableTask t, bool thread)
    {
        t.RefreshesSinceIdentity = (t.Tid * 7) % Math.Max(1, Options.IdentityRefreshInterval); // spread re-reads over refreshes
        var reader = ProcFs.Reader;
        int len = BuildPath(t.Pid, t.Tid, thread, "status");
        if (reader.Read(-1, _path.AsSpan(0, len), 1 << 20, out var content, out _) == 0)
        {
            try
            {
                (t.Uid, bool? kthread) = ProcessStatus.ParseIdentity(content);
                t.IsKernelThread = kthread ?? false;
            }
            catch (ProcFormatException e) { CountFormatError(e); }
        }
        if (!Options.ReadCmdline) return;
        len = BuildPath(t.Pid, t.Tid, thread, "cmdline");
        if (reader.Read(-1, _path.AsSpan(0, len), ProcFs.DefaultMaxFileBytes, out content, out _) == 0)
        {
            var joined = ProcessCmdline.Parse(content).JoinedWithSpaces();
            if (!joined.AsSpan().SequenceEqual(t.CmdlineBytes)) t.CmdlineBytes = joined;
        }
        if (t.CmdlineBytes.Length == 0 && (t.PPid == 2 || t.Pid == 2)) t.IsKernelThread = true;
    }

    /// <summary>
    /// Reads the requested on-demand files for these tasks (the rows a view shows, or all rows when
    /// sorting or filtering by such a column) and computes their rates against the previous call.
    /// Supported: Statm, Status, Io, Schedstat, SmapsRollup, Cgroup, OomScore.
    /// </summary>
    public void ReadDetails(IReadOnlyList<TableTask> tasks, ProcessFields fields)
    {
        if (fields == ProcessFields.None) return;
        var reader = ProcFs.Reader;
        long now = Stopwatch.GetTimestamp();
        bool thread = Options.Threads;
        var others = fields & ~ProcessFields.Statm;
        for (int i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            var denied = ProcessFields.None;
            if (fields.HasFlag(ProcessFields.Statm)) ReadStatm(t, thread, ref denied);
            if (others == ProcessFields.None)
            {
                t.Denied = denied;
                continue;
            }
            var d = t.Details ??= new TaskDetails();
            if (fields.HasFlag(ProcessFields.Status)) d.Status = Get<ProcessStatus>(reader, t, thread, "status", ProcessFields.Status, ref denied);
            if (fields.HasFlag(ProcessFields.Io)) d.Io = Get<ProcessIo>(reader, t, thread, "io", ProcessFields.Io, ref denied);
            if (fields.HasFlag(ProcessFields.Schedstat)) d.Schedstat = Get<ProcessSchedstat>(reader, t, thread, "schedstat", ProcessFields.Schedstat, ref denied);
            if (fields.HasFlag(ProcessFields.SmapsRollup)) d.SmapsRollup = Get<ProcessSmapsRollup>(reader, t, thread, "smaps_rollup", ProcessFields.SmapsRollup, ref denied);
            if (fields.HasFlag(ProcessFields.Cgroup)) d.CgroupPath = Get<ProcessCgroup>(reader, t, thread, "cgroup", ProcessFields.Cgroup, ref denied)?.UnifiedPath;
            if (fields.HasFlag(ProcessFields.OomScore))
            {
                int len = BuildPath(t.Pid, t.Tid, thread, "oom_score");
                int err = reader.Read(-1, _path.AsSpan(0, len), 4096, out var c, out _);
                if (err == 0 && Bytes.TryInt32(Bytes.Trim(c), out int v)) d.OomScore = v;
                else if (ErrnoMap.ToStatus(err) == ReadStatus.Denied) denied |= ProcessFields.OomScore;
            }
            t.Denied = denied;

            var counters = ProcessCounters.Empty;
            if (d.Io is { } io && fields.HasFlag(ProcessFields.Io))
            {
                counters.ReadBytes = io.ReadBytes;
                counters.WriteBytes = io.WriteBytes;
                counters.ReadOps = io.SyscR;
                counters.WriteOps = io.SyscW;
            }
            if (d.Status is { } s && fields.HasFlag(ProcessFields.Status))
            {
                counters.VoluntaryCtxt = s.VoluntaryCtxtSwitches ?? ProcessCounters.Absent;
                counters.InvoluntaryCtxt = s.NonvoluntaryCtxtSwitches ?? ProcessCounters.Absent;
            }
            if (d.Schedstat is { } ss && fields.HasFlag(ProcessFields.Schedstat)) counters.RunQueueWaitNs = ss.RunQueueWaitNs;
            double elapsed = d.Timestamp == 0 ? 0 : Stopwatch.GetElapsedTime(d.Timestamp, now).TotalSeconds;
            d.Rates = ProcessRates.Between(d.Counters, counters, elapsed, _system.TicksPerSecond, _system.CpuCount);
            d.Counters = counters;
            d.Timestamp = now;
        }
    }

    private T? Get<T>(FileReader reader, TableTask t, bool thread, string file, ProcessFields field, ref ProcessFields denied)
        where T : class, IProcFile<T>
    {
        int len = BuildPath(t.Pid, t.Tid, thread, file);
        int err = reader.Read(-1, _path.AsSpan(0, len), ProcFs.DefaultMaxFileBytes, out var content, out _);
        if (err != 0)
        {
            if (ErrnoMap.ToStatus(err) == ReadStatus.Denied) denied |= field;
            return null;
        }
        try
        {
            return T.Parse(content);
        }
        catch (ProcFormatException e)
        {
            CountFormatError(e);
            return null;
        }
    }

    /// <summary>
    /// statm of one task, re-read only when its stat showed activity since the last read, or when
    /// <see cref="ProcessTableOptions.StatmMaxAge"/> refreshes have passed (spread over refreshes by tid).
    /// </summary>
    private void ReadStatm(TableTask t, bool thread, ref ProcessFields denied)
    {
        bool read = t.StatmReadGeneration != 0;
        if (read && t.ResidentPages is not null && t.ActiveGeneration <= t.StatmReadGeneration && _generation < t.StatmDueGeneration) return;
        int maxAge = Math.Max(1, Options.StatmMaxAge);
        // Spread the periodic re-reads of idle tasks over refreshes rather than all at once.
        t.StatmDueGeneration = _generation + (read ? maxAge : 1 + t.Tid % maxAge);
        t.StatmReadGeneration = _generation;
        int slot = t.StatmSlot;
        int err = ReadFile(ref slot, t.Pid, t.Tid, thread, "statm", 4096, out var content);
        t.StatmSlot = slot;
        if (err != 0)
        {
            if (ErrnoMap.ToStatus(err) == ReadStatus.Denied) denied |= ProcessFields.Statm;
            t.ResidentPages = t.SharedPages = null;
            return;
        }
        try
        {
            (ulong resident, ulong shared) = ProcessStatm.ParseResidentShared(content);
            t.ResidentPages = resident;
            t.SharedPages = shared;
        }
        catch (ProcFormatException e)
        {
            CountFormatError(e);
            t.ResidentPages = t.SharedPages = null;
        }
    }

    /// <summary>Closes every kept descriptor.</summary>
    public void Dispose()
    {
        _tasks.Clear();
        _files.Dispose();
    }
}
