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
/// a view shows.
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
    public byte[] CommBytes { get; internal set; } = [];
    public char State { get; internal set; }
    public int PPid { get; internal set; }
    public int TtyNr { get; internal set; }
    public long Priority { get; internal set; }
    public long Nice { get; internal set; }
    public long NumThreads { get; internal set; }
    public ulong StartTimeTicks => Key.StartTimeTicks;
    public ulong VSizeBytes { get; internal set; }
    public long RssPages { get; internal set; }
    public int? Processor { get; internal set; }
    public uint? Policy { get; internal set; }
    public ulong CpuTicks { get; internal set; }
    public ulong MinFlt { get; internal set; }
    public ulong MajFlt { get; internal set; }
    /// <summary>%CPU and fault rates since the previous refresh (0 / null on the first sight of the task).</summary>
    public ProcessRateSample Rates { get; internal set; }

    // Once per (pid, start time), re-read after exec.
    /// <summary>Effective uid from status; null when status was refused.</summary>
    public uint? Uid { get; internal set; }
    /// <summary>Arguments joined with spaces (raw, hostile bytes); empty for kernel threads and zombies.</summary>
    public byte[] CmdlineBytes { get; internal set; } = [];
    public bool IsKernelThread { get; internal set; }

    // On demand (ReadDetails).
    public ProcessStatm? Statm { get; internal set; }
    public ProcessIo? Io { get; internal set; }
    public ProcessSchedstat? Schedstat { get; internal set; }
    public ProcessSmapsRollup? SmapsRollup { get; internal set; }
    public ProcessStatus? Status { get; internal set; }
    public byte[]? CgroupPath { get; internal set; }
    public int? OomScore { get; internal set; }
    /// <summary>Details requested but refused (render as "-").</summary>
    public ProcessFields Denied { get; internal set; }
    /// <summary>Rates of the on-demand counters (io, context switches, run-queue wait) between the last two ReadDetails.</summary>
    public ProcessRateSample DetailRates { get; internal set; }

    internal int Seen;
    internal ProcessCounters DetailCounters = ProcessCounters.Empty;
    internal long DetailTimestamp;
    internal int RefreshesSinceIdentity;
}

/// <summary>Options of a <see cref="ProcessTable"/>.</summary>
public sealed record ProcessTableOptions
{
    /// <summary>One row per thread (top -H) instead of per process.</summary>
    public bool Threads { get; init; }
    /// <summary>Only these processes (top -p); null for all.</summary>
    public IReadOnlyCollection<int>? Pids { get; init; }
    /// <summary>Re-read status and cmdline of a live task every this many refreshes (uid changes, argv rewrites).</summary>
    public int IdentityRefreshInterval { get; init; } = 60;
}

/// <summary>
/// A long-lived table of tasks for top-like views. Each <see cref="Refresh"/> reads only
/// /proc/[pid]/stat (the one file whose fields change every refresh for every task); identity
/// files are cached per (pid, start time); other files are read for visible rows only. Rates come
/// from <see cref="ProcessDeltaTracker"/>. Never throws per task: gone tasks drop out, refused
/// files leave fields null. Not thread-safe.
/// </summary>
public sealed class ProcessTable
{
    private readonly ProcFs _fs;
    private readonly Core.Sys.SystemInfo _system;
    private readonly Dictionary<int, TableTask> _tasks = new();
    private readonly List<TableTask> _current = new();
    private readonly List<int> _ids = new(1024);
    private readonly List<int> _tids = new(64);
    private readonly List<int> _gone = new();
    private readonly ProcessDeltaTracker _tracker = new();
    private readonly char[] _path = new char[512];
    private long _lastTimestamp;
    private int _generation;

    public ProcessTable(ProcFs fs, Core.Sys.SystemInfo system, ProcessTableOptions? options = null)
    {
        _fs = fs;
        _system = system;
        Options = options ?? new ProcessTableOptions();
    }

    public ProcessTableOptions Options { get; set; }
    /// <summary>Tasks of the last refresh, in pid (then tid) order.</summary>
    public IReadOnlyList<TableTask> Tasks => _current;
    /// <summary>Seconds between the last two refreshes (0 after the first).</summary>
    public double ElapsedSeconds { get; private set; }
    public Core.Sys.SystemInfo System => _system;

    /// <summary>Reads stat of every task and updates rates. Returns the tasks in pid order.</summary>
    public IReadOnlyList<TableTask> Refresh()
    {
        long now = Stopwatch.GetTimestamp();
        ElapsedSeconds = _lastTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        _generation++;
        _current.Clear();
        _ids.Clear();
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
        var reader = ProcFs.Reader;
        foreach (int pid in _ids)
        {
            if (!Options.Threads)
            {
                ReadTask(reader, pid, pid, false);
                continue;
            }
            _tids.Clear();
            DirectoryScanner.ListNumeric($"{_fs.Root}/{pid}/task", _tids);
            _tids.Sort();
            foreach (int tid in _tids) ReadTask(reader, pid, tid, true);
        }
        foreach (var (id, t) in _tasks)
            if (t.Seen != _generation) _gone.Add(id);
        foreach (int id in _gone) _tasks.Remove(id);
        _gone.Clear();
        _tracker.EndRefresh();
        return _current;
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

    private void ReadTask(FileReader reader, int pid, int tid, bool thread)
    {
        int len = BuildPath(pid, tid, thread, "stat");
        if (reader.Read(-1, _path.AsSpan(0, len), 64 * 1024, out var content, out _) != 0) return;
        ProcessStat st;
        try
        {
            st = ProcessStat.Parse(content);
        }
        catch (ProcFormatException)
        {
            return; // a torn or foreign line: skip the task this refresh rather than stop the view
        }
        var key = new ProcessKey(tid, st.StartTimeTicks);
        if (!_tasks.TryGetValue(tid, out var t) || t.Key != key)
        {
            t = new TableTask(key, pid, tid);
            _tasks[tid] = t;
            t.CommBytes = st.CommBytes;
            ReadIdentity(t, thread);
        }
        else if (!st.CommBytes.AsSpan().SequenceEqual(t.CommBytes))
        {
            t.CommBytes = st.CommBytes; // exec (or prctl PR_SET_NAME): the command line may have changed
            ReadIdentity(t, thread);
        }
        else if (++t.RefreshesSinceIdentity >= Options.IdentityRefreshInterval)
        {
            ReadIdentity(t, thread);
        }
        t.Seen = _generation;
        t.State = st.State;
        t.PPid = st.PPid;
        t.TtyNr = st.TtyNr;
        t.Priority = st.Priority;
        t.Nice = st.Nice;
        t.NumThreads = st.NumThreads;
        t.VSizeBytes = st.VSize;
        t.RssPages = st.RssPages;
        t.Processor = st.Processor;
        t.Policy = st.Policy;
        t.CpuTicks = st.UTimeTicks + st.STimeTicks;
        t.MinFlt = st.MinFlt;
        t.MajFlt = st.MajFlt;
        var counters = ProcessCounters.Empty;
        counters.CpuTicks = t.CpuTicks;
        counters.MinFlt = st.MinFlt;
        counters.MajFlt = st.MajFlt;
        t.Rates = _tracker.Observe(key, counters, out var previous)
            ? ProcessRates.Between(previous, counters, ElapsedSeconds, _system.TicksPerSecond, _system.CpuCount)
            : default;
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
                var status = ProcessStatus.Parse(content);
                t.Uid = status.EffectiveUid;
                t.IsKernelThread = status.Kthread ?? false;
            }
            catch (ProcFormatException) { }
        }
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
    public void ReadDetails(IEnumerable<TableTask> tasks, ProcessFields fields)
    {
        if (fields == ProcessFields.None) return;
        var reader = ProcFs.Reader;
        long now = Stopwatch.GetTimestamp();
        foreach (var t in tasks)
        {
            bool thread = Options.Threads;
            var denied = ProcessFields.None;
            if (fields.HasFlag(ProcessFields.Statm)) t.Statm = Get<ProcessStatm>(reader, t, thread, "statm", ProcessFields.Statm, ref denied);
            if (fields.HasFlag(ProcessFields.Status)) t.Status = Get<ProcessStatus>(reader, t, thread, "status", ProcessFields.Status, ref denied);
            if (fields.HasFlag(ProcessFields.Io)) t.Io = Get<ProcessIo>(reader, t, thread, "io", ProcessFields.Io, ref denied);
            if (fields.HasFlag(ProcessFields.Schedstat)) t.Schedstat = Get<ProcessSchedstat>(reader, t, thread, "schedstat", ProcessFields.Schedstat, ref denied);
            if (fields.HasFlag(ProcessFields.SmapsRollup)) t.SmapsRollup = Get<ProcessSmapsRollup>(reader, t, thread, "smaps_rollup", ProcessFields.SmapsRollup, ref denied);
            if (fields.HasFlag(ProcessFields.Cgroup)) t.CgroupPath = Get<ProcessCgroup>(reader, t, thread, "cgroup", ProcessFields.Cgroup, ref denied)?.UnifiedPath;
            if (fields.HasFlag(ProcessFields.OomScore))
            {
                int len = BuildPath(t.Pid, t.Tid, thread, "oom_score");
                int err = reader.Read(-1, _path.AsSpan(0, len), 4096, out var c, out _);
                if (err == 0 && Bytes.TryInt32(Bytes.Trim(c), out int v)) t.OomScore = v;
                else if (ErrnoMap.ToStatus(err) == ReadStatus.Denied) denied |= ProcessFields.OomScore;
            }
            t.Denied = denied;

            var counters = ProcessCounters.Empty;
            if (t.Io is { } io && fields.HasFlag(ProcessFields.Io))
            {
                counters.ReadBytes = io.ReadBytes;
                counters.WriteBytes = io.WriteBytes;
                counters.ReadOps = io.SyscR;
                counters.WriteOps = io.SyscW;
            }
            if (t.Status is { } s && fields.HasFlag(ProcessFields.Status))
            {
                counters.VoluntaryCtxt = s.VoluntaryCtxtSwitches ?? ProcessCounters.Absent;
                counters.InvoluntaryCtxt = s.NonvoluntaryCtxtSwitches ?? ProcessCounters.Absent;
            }
            if (t.Schedstat is { } ss && fields.HasFlag(ProcessFields.Schedstat)) counters.RunQueueWaitNs = ss.RunQueueWaitNs;
            double elapsed = t.DetailTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(t.DetailTimestamp, now).TotalSeconds;
            t.DetailRates = ProcessRates.Between(t.DetailCounters, counters, elapsed, _system.TicksPerSecond, _system.CpuCount);
            t.DetailCounters = counters;
            t.DetailTimestamp = now;
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
        catch (ProcFormatException)
        {
            return null;
        }
    }
}
