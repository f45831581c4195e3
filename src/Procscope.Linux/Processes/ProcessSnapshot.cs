using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Processes;

/// <summary>Which per-process files a snapshot reads. Read only what the requested columns need.</summary>
[Flags]
public enum ProcessFields
{
    None = 0,
    Stat = 1 << 0,
    Status = 1 << 1,
    Statm = 1 << 2,
    Cmdline = 1 << 3,
    Comm = 1 << 4,
    Io = 1 << 5,
    Schedstat = 1 << 6,
    Cgroup = 1 << 7,
    Limits = 1 << 8,
    SmapsRollup = 1 << 9,
    Exe = 1 << 10,
    Cwd = 1 << 11,
    FdCount = 1 << 12,
    /// <summary>/proc/[pid]/wchan: the kernel function the task sleeps in.</summary>
    Wchan = 1 << 13,
    /// <summary>/proc/[pid]/oom_score.</summary>
    OomScore = 1 << 14,
    /// <summary>/proc/[pid]/oom_score_adj.</summary>
    OomScoreAdj = 1 << 15,
    /// <summary>/proc/[pid]/attr/current (security label).</summary>
    Label = 1 << 16,
}

/// <summary>Whether an enumerated process could be read. Gone processes are dropped from snapshots.</summary>
public enum SampleStatus
{
    Ok,
    /// <summary>Some requested files were refused; see <see cref="ProcessSample.Denied"/>. The row still shows what was readable.</summary>
    Denied,
}

/// <summary>What one process (or thread) looked like at one moment. Fields not requested, denied or unsupported are null.</summary>
public sealed class ProcessSample
{
    public required int Pid { get; init; }
    /// <summary>Thread id; equals <see cref="Pid"/> for the process itself (and the main thread).</summary>
    public required int Tid { get; init; }
    public required bool IsThread { get; init; }
    public SampleStatus Status => Denied == ProcessFields.None ? SampleStatus.Ok : SampleStatus.Denied;
    /// <summary>Requested fields whose file was refused (EACCES/EPERM): render as "-".</summary>
    public ProcessFields Denied { get; internal set; }
    /// <summary>Requested fields this kernel does not provide for this task.</summary>
    public ProcessFields Missing { get; internal set; }

    public ProcessStat? Stat { get; internal set; }
    public ProcessStatus? StatusFile { get; internal set; }
    public ProcessStatm? Statm { get; internal set; }
    public ProcessCmdline? Cmdline { get; internal set; }
    public ProcessComm? Comm { get; internal set; }
    public ProcessIo? Io { get; internal set; }
    public ProcessSchedstat? Schedstat { get; internal set; }
    public ProcessCgroup? Cgroup { get; internal set; }
    public ProcessLimits? Limits { get; internal set; }
    public ProcessSmapsRollup? SmapsRollup { get; internal set; }
    public byte[]? Exe { get; internal set; }
    public byte[]? Cwd { get; internal set; }
    public int? FdCount { get; internal set; }
    public byte[]? Wchan { get; internal set; }
    public int? OomScore { get; internal set; }
    public int? OomScoreAdj { get; internal set; }
    public byte[]? Label { get; internal set; }
}

/// <summary>Options of <see cref="ProcessSnapshot.Take"/>.</summary>
public sealed record SnapshotOptions
{
    public ProcessFields Fields { get; init; } = ProcessFields.Stat;
    /// <summary>Also enumerate every thread (/proc/[pid]/task/[tid]).</summary>
    public bool Threads { get; init; }
    /// <summary>When set, only these pids are read (ps -p, top -p).</summary>
    public IReadOnlyCollection<int>? Pids { get; init; }
    /// <summary>Worker threads; default: the CPU count, 1 for small scans.</summary>
    public int? Parallelism { get; init; }
}

/// <summary>
/// A consistent-enough picture of every process: the pid list, then each process read once.
/// Enumeration never throws because a process vanished or a file was denied.
/// </summary>
public sealed class ProcessSnapshot
{
    private ProcessSnapshot(IReadOnlyList<ProcessSample> samples, SystemInfo system, int goneCount)
    {
        Samples = samples;
        System = system;
        GoneCount = goneCount;
    }

    /// <summary>Processes ordered by pid; threads, if requested, right after their process in kernel (creation) order.</summary>
    public IReadOnlyList<ProcessSample> Samples { get; }
    public SystemInfo System { get; }
    /// <summary>How many listed processes had exited before they could be read.</summary>
    public int GoneCount { get; }

    public static ProcessSnapshot Take(ProcFs fs, SnapshotOptions options, SystemInfo? system = null)
    {
        system ??= fs.GetSystemInfo();
        int[] pids;
        if (options.Pids is { } wanted)
        {
            pids = wanted.Where(p => p > 0).Distinct().Order().ToArray();
        }
        else
        {
            pids = fs.ListPids();
        }

        var results = new List<ProcessSample>?[pids.Length];
        int gone = 0;
        int workers = options.Parallelism ?? (pids.Length >= 256 ? Environment.ProcessorCount : 1);
        if (workers <= 1)
        {
            for (int i = 0; i < pids.Length; i++)
                if ((results[i] = ReadOne(fs, pids[i], options)) is null) gone++;
        }
        else
        {
            // Plain threads taking chunks of 64 pids from a shared counter: the work is kernel-bound
            // and uniform, so this keeps both CPUs busy without Parallel.For's task machinery
            // (which spun in sched_yield hundreds of times per scan of 10,000 processes).
            int next = 0;
            void Work()
            {
                int local = 0;
                while (true)
                {
                    int start = Interlocked.Add(ref next, 64) - 64;
                    if (start >= pids.Length) break;
                    int end = Math.Min(start + 64, pids.Length);
                    for (int i = start; i < end; i++)
                        if ((results[i] = ReadOne(fs, pids[i], options)) is null) local++;
                }
                Interlocked.Add(ref gone, local);
            }
            var threads = new Thread[workers - 1];
            for (int t = 0; t < threads.Length; t++)
            {
                threads[t] = new Thread(Work, 256 * 1024) { IsBackground = true, Name = "procscope-scan" };
                threads[t].Start();
            }
            Work();
            foreach (var t in threads) t.Join();
        }

        int total = 0;
        foreach (var r in results) total += r?.Count ?? 0;
        var flat = new List<ProcessSample>(total);
        foreach (var r in results)
            if (r is not null) flat.AddRange(r);
        return new ProcessSnapshot(flat, system, gone);
    }

    private static List<ProcessSample>? ReadOne(ProcFs fs, int pid, SnapshotOptions o)
    {
        // Unpinned: each task is read once, by path; a pid reused mid-scan is a new row, as in ps.
        using (var proc = LinuxProcess.OpenUnpinned(fs, pid, null))
        {
            var main = Fill(proc, pid, pid, false, o.Fields);
            if (main is null) return null;
            var list = new List<ProcessSample>(1) { main };
            if (!o.Threads) return list;
            foreach (int tid in fs.ListTids(pid))
            {
                using (var t = LinuxProcess.OpenUnpinned(fs, pid, tid))
                {
                    // Every thread shares the process's command line, executable and working
                    // directory: read them once per process, not once per thread (cgroups can differ
                    // per thread in cgroup v2 threaded mode, so those are read per thread).
                    const ProcessFields shared = ProcessFields.Cmdline | ProcessFields.Exe | ProcessFields.Cwd;
                    var s = Fill(t, pid, tid, true, o.Fields & ~shared);
                    if (s is null) continue;
                    s.Cmdline = main.Cmdline;
                    s.Exe = main.Exe;
                    s.Cwd = main.Cwd;
                    s.Denied |= main.Denied & o.Fields & shared;
                    s.Missing |= main.Missing & o.Fields & shared;
                    list.Add(s);
                }
            }
            return list;
        }
    }

    /// <summary>Reads the requested files of one task. Null when the task is gone.</summary>
    private static ProcessSample? Fill(LinuxProcess p, int pid, int tid, bool isThread, ProcessFields f)
    {
        var s = new ProcessSample { Pid = pid, Tid = tid, IsThread = isThread };
        // stat first: it is the identity of the row; without it the task is gone.
        if (f.HasFlag(ProcessFields.Stat))
        {
            var st = p.TryRead<ProcessStat>("stat", out var stat);
            if (st == ReadStatus.Gone) return null;
            Note(s, ProcessFields.Stat, st);
            s.Stat = stat;
        }
        if (f.HasFlag(ProcessFields.Status)) { s.StatusFile = Get<ProcessStatus>(p, s, ProcessFields.Status, "status", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Statm)) { s.Statm = Get<ProcessStatm>(p, s, ProcessFields.Statm, "statm", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Cmdline)) { s.Cmdline = Get<ProcessCmdline>(p, s, ProcessFields.Cmdline, "cmdline", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Comm)) { s.Comm = Get<ProcessComm>(p, s, ProcessFields.Comm, "comm", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Io)) { s.Io = Get<ProcessIo>(p, s, ProcessFields.Io, "io", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Schedstat)) { s.Schedstat = Get<ProcessSchedstat>(p, s, ProcessFields.Schedstat, "schedstat", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Cgroup)) { s.Cgroup = Get<ProcessCgroup>(p, s, ProcessFields.Cgroup, "cgroup", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Limits)) { s.Limits = Get<ProcessLimits>(p, s, ProcessFields.Limits, "limits", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.SmapsRollup)) { s.SmapsRollup = Get<ProcessSmapsRollup>(p, s, ProcessFields.SmapsRollup, "smaps_rollup", out bool g); if (g) return null; }
        if (f.HasFlag(ProcessFields.Exe))
        {
            var st = p.TryReadLink("exe", out var t);
            if (st == ReadStatus.Gone) return null;
            Note(s, ProcessFields.Exe, st);
            s.Exe = t;
        }
        if (f.HasFlag(ProcessFields.Cwd))
        {
            var st = p.TryReadLink("cwd", out var t);
            if (st == ReadStatus.Gone) return null;
            Note(s, ProcessFields.Cwd, st);
            s.Cwd = t;
        }
        if (f.HasFlag(ProcessFields.FdCount))
        {
            var st = p.TryCountFds(out int n);
            if (st == ReadStatus.Gone) return null;
            if (Note(s, ProcessFields.FdCount, st)) s.FdCount = n;
        }
        if (f.HasFlag(ProcessFields.Wchan))
        {
            var st = p.TryReadRaw("wchan", out var c, 4096);
            if (Note(s, ProcessFields.Wchan, st)) s.Wchan = c.ToArray();
        }
        if (f.HasFlag(ProcessFields.OomScore))
        {
            var st = p.TryReadRaw("oom_score", out var c, 4096);
            if (Note(s, ProcessFields.OomScore, st) && Core.Parsing.Bytes.TryInt32(Core.Parsing.Bytes.Trim(c), out int v)) s.OomScore = v;
        }
        if (f.HasFlag(ProcessFields.OomScoreAdj))
        {
            var st = p.TryReadRaw("oom_score_adj", out var c, 4096);
            if (Note(s, ProcessFields.OomScoreAdj, st) && Core.Parsing.Bytes.TryInt32(Core.Parsing.Bytes.Trim(c), out int v)) s.OomScoreAdj = v;
        }
        if (f.HasFlag(ProcessFields.Label))
        {
            var st = p.TryReadRaw("attr/current", out var c, 4096);
            if (Note(s, ProcessFields.Label, st)) s.Label = Core.Parsing.Bytes.Trim(c).ToArray();
        }
        return s;
    }

    private static T? Get<T>(LinuxProcess p, ProcessSample s, ProcessFields field, string file, out bool gone)
        where T : class, Core.Parsing.IProcFile<T>
    {
        var st = p.TryRead<T>(file, out var v);
        gone = st == ReadStatus.Gone;
        return Note(s, field, st) ? v : null;
    }

    /// <summary>Records a denial or an unsupported file; true when the read succeeded.</summary>
    private static bool Note(ProcessSample s, ProcessFields field, ReadStatus st)
    {
        switch (st)
        {
            case ReadStatus.Ok: return true;
            case ReadStatus.Denied: s.Denied |= field; return false;
            case ReadStatus.Missing: s.Missing |= field; return false;
            default: return false;
        }
    }
}
