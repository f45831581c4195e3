using Procscope.Core.Process;

namespace Procscope.Linux.Taskstats;

/// <summary>Where per-task I/O counters come from.</summary>
public enum TaskIoSource
{
    /// <summary>taskstats over generic netlink: bytes, syscalls and delays, for every task (root).</summary>
    Taskstats,
    /// <summary>/proc/[pid]/io: bytes and syscalls only, and only for tasks we may ptrace-read.</summary>
    ProcIo,
}

/// <summary>One task (a thread, or a whole process when sampling processes) in one sample.</summary>
public sealed class TaskIoSample
{
    /// <summary>The thread id, or the process id when sampling processes.</summary>
    public required int Id { get; init; }
    public required int Tgid { get; init; }
    /// <summary>Identity with <see cref="Id"/> across samples: the start time (seconds since the epoch from taskstats, clock ticks since boot from /proc).</summary>
    public required ulong StartKey { get; init; }
    public uint? Uid { get; init; }
    public required int Nice { get; init; }
    /// <summary>Scheduling policy (SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2, SCHED_BATCH 3, SCHED_IDLE 5).</summary>
    public required uint Policy { get; init; }
    /// <summary>The raw command name (hostile bytes).</summary>
    public required byte[] Comm { get; init; }
    /// <summary>Counters since the task started; null when /proc/[pid]/io was denied.</summary>
    public TaskIo? Io { get; init; }
}

/// <summary>
/// Samples every task's I/O counters: through taskstats when the kernel lets us (CAP_NET_ADMIN),
/// else through /proc/[pid]/io. With taskstats no /proc file is read per task, only the
/// listings (/proc and /proc/[pid]/task): the answer carries comm, uid, nice, policy and start
/// time. Processes (<c>threads: false</c>) are the sum of their live threads, as iotop -P shows
/// them (a thread-group answer of taskstats has delays but no I/O counters). Tasks that vanish
/// mid-sample drop out.
/// </summary>
public sealed class TaskIoSampler : IDisposable
{
    private readonly ProcFs _fs;
    private readonly TaskstatsClient? _client;
    private readonly Dictionary<int, (ulong Start, byte[] Comm)> _names = [];
    private readonly Dictionary<(int, ulong), uint?> _uids = [];
    private readonly Dictionary<int, (ulong Start, ulong RunNs, ulong Switches, ProcessIo Io)> _exact = [];

    private TaskIoSampler(ProcFs fs, TaskstatsClient? client, string? reason)
    {
        _fs = fs;
        _client = client;
        TaskstatsUnavailableReason = reason;
    }

    public TaskIoSource Source => _client is null ? TaskIoSource.ProcIo : TaskIoSource.Taskstats;

    /// <summary>Why taskstats is not used (null when it is).</summary>
    public string? TaskstatsUnavailableReason { get; }

    /// <summary>Tasks whose /proc/[pid]/io could not be read in the last sample (another user's, without root).</summary>
    public int DeniedCount { get; private set; }

    public static TaskIoSampler Create(ProcFs fs, bool useTaskstats = true)
    {
        if (!fs.IsLive || !useTaskstats) return new TaskIoSampler(fs, null, fs.IsLive ? "taskstats disabled" : "not the live /proc");
        var client = TaskstatsClient.TryOpen(out string reason, out _);
        return new TaskIoSampler(fs, client, client is null ? reason : null);
    }

    /// <summary>Every thread (or process), in pid order. <paramref name="only"/> limits the sample to these pids or tids.</summary>
    public List<TaskIoSample> Sample(bool threads, IReadOnlySet<int>? only = null)
    {
        var result = new List<TaskIoSample>(1024);
        DeniedCount = 0;
        var seen = new HashSet<int>();
        foreach (int pid in only is null ? _fs.ListPids() : ProcessesOf(only))
        {
            int[] tids = _client is null && !threads ? [pid] : _fs.ListTids(pid);
            if (tids.Length == 0) continue;
            if (_client is not null) SampleTaskstats(pid, tids, threads, only, result, seen);
            else SampleProc(pid, tids, threads, only, result, seen);
        }
        if (_names.Count > 2 * seen.Count + 1024)
            foreach (int id in _names.Keys.Where(k => !seen.Contains(k)).ToList()) _names.Remove(id);
        if (_exact.Count > 2 * seen.Count + 1024)
            foreach (int id in _exact.Keys.Where(k => !seen.Contains(k)).ToList()) _exact.Remove(id);
        if (_uids.Count > 2 * seen.Count + 1024)
            foreach (var key in _uids.Keys.Where(k => !seen.Contains(k.Item1)).ToList()) _uids.Remove(key);
        return result;
    }

    /// <summary>
    /// The processes holding the given ids (iotop -p takes process and thread ids alike): an id
    /// is looked up in /proc/[id]/status (thread ids resolve there too, though /proc does not list
    /// them), so a filtered sample does not list every process's threads.
    /// </summary>
    private int[] ProcessesOf(IReadOnlySet<int> ids)
    {
        var pids = new SortedSet<int>();
        foreach (int id in ids)
        {
            try
            {
                if (_fs.TryRead<Core.Process.ProcessStatus>($"{id}/status")?.Tgid is { } tgid) pids.Add(tgid);
            }
            catch (IOException)
            {
                // gone
            }
        }
        return [.. pids];
    }

    private void SampleTaskstats(int pid, int[] tids, bool threads, IReadOnlySet<int>? only, List<TaskIoSample> result, HashSet<int> seen)
    {
        TaskIo sum = default;
        TaskstatsIdentity main = default;
        byte[]? mainComm = null;
        bool any = false;
        foreach (int tid in tids)
        {
            if (threads && only is not null && !only.Contains(pid) && !only.Contains(tid)) continue;
            if (_client!.Query(tid, threadGroup: false, out var io, out var id) != 0) continue; // gone
            var comm = Name(tid, id.BeginTimeSeconds, _client.LastCommSpan);
            io = Exact(pid, tid, id.BeginTimeSeconds, io);
            seen.Add(tid);
            if (threads)
            {
                result.Add(new TaskIoSample
                {
                    Id = tid, Tgid = pid, StartKey = id.BeginTimeSeconds, Uid = id.Uid, Nice = id.Nice, Policy = id.Policy, Comm = comm, Io = io,
                });
                continue;
            }
            if (!any || tid == pid)
            {
                main = id;
                mainComm = comm;
            }
            sum = any ? Add(sum, io) : io;
            any = true;
        }
        if (!threads && any)
        {
            result.Add(new TaskIoSample
            {
                Id = pid, Tgid = pid, StartKey = main.BeginTimeSeconds, Uid = main.Uid, Nice = main.Nice, Policy = main.Policy, Comm = mainComm!, Io = sum,
            });
        }
    }

    /// <summary>
    /// taskstats rounds the I/O counters down to multiples of 1024 (KB_MASK), which would turn 47
    /// read system calls into 0: the exact counters come from /proc/[pid]/task/[tid]/io, read only
    /// when the task has run since the last sample. "Ran" is seen from its context switches
    /// (nvcsw + nivcsw: a task that woke up, made a call and slept again was switched out) and its
    /// CPU time (cpu_run_real_total, tick-sampled, for one that never left the CPU). A task that did
    /// not run made no system call and moved no byte, so its last exact counters still hold.
    /// </summary>
    private TaskIo Exact(int pid, int tid, ulong start, TaskIo io)
    {
        ulong run = io.RunNs ?? 0, switches = io.ContextSwitches ?? 0;
        ProcessIo? exact;
        if (_exact.TryGetValue(tid, out var known) && known.Start == start && known.RunNs == run && known.Switches == switches)
        {
            exact = known.Io;
        }
        else
        {
            exact = null;
            try
            {
                exact = _fs.TryRead<ProcessIo>($"{pid}/task/{tid}/io");
            }
            catch (IOException)
            {
                // gone between the answer and the read: keep taskstats' rounded counters
            }
            if (exact is null) return io;
            _exact[tid] = (start, run, switches, exact);
        }
        return io with
        {
            ReadBytes = exact.ReadBytes,
            WriteBytes = exact.WriteBytes,
            CancelledWriteBytes = exact.CancelledWriteBytes,
            ReadSyscalls = exact.SyscR,
            WriteSyscalls = exact.SyscW,
        };
    }

    /// <summary>The cached name of a task; a new array only for a new task or after an exec changed it.</summary>
    private byte[] Name(int id, ulong start, ReadOnlySpan<byte> comm)
    {
        if (_names.TryGetValue(id, out var known) && known.Start == start && comm.SequenceEqual(known.Comm)) return known.Comm;
        var bytes = comm.ToArray();
        _names[id] = (start, bytes);
        return bytes;
    }

    private void SampleProc(int pid, int[] tids, bool threads, IReadOnlySet<int>? only, List<TaskIoSample> result, HashSet<int> seen)
    {
        foreach (int tid in tids)
        {
            if (threads && only is not null && !only.Contains(pid) && !only.Contains(tid)) continue;
            string dir = threads ? $"{pid}/task/{tid}" : $"{pid}";
            Core.Process.ProcessStat? stat;
            try
            {
                stat = _fs.TryRead<Core.Process.ProcessStat>(dir + "/stat");
            }
            catch (IOException)
            {
                continue; // ESRCH and the like: gone between listing and reading
            }
            if (stat is null) continue;
            ProcessIo? pio = null;
            try
            {
                pio = _fs.TryRead<ProcessIo>(dir + "/io");
            }
            catch (IOException)
            {
                // ESRCH: gone; shown with unreadable counters for this sample.
            }
            if (pio is null) DeniedCount++;
            int id = threads ? tid : pid;
            seen.Add(id);
            var key = (id, stat.StartTimeTicks);
            if (!_uids.TryGetValue(key, out uint? uid))
            {
                uid = null;
                try
                {
                    uid = _fs.TryRead<Core.Process.ProcessStatus>(dir + "/status")?.Uid is { Length: > 0 } u ? u[0] : null;
                }
                catch (IOException)
                {
                }
                _uids[key] = uid;
            }
            result.Add(new TaskIoSample
            {
                Id = id, Tgid = pid, StartKey = stat.StartTimeTicks, Uid = uid, Nice = (int)stat.Nice, Policy = stat.Policy ?? 0,
                Comm = Name(id, stat.StartTimeTicks, stat.CommBytes),
                Io = pio is null ? null : new TaskIo
                {
                    ReadBytes = pio.ReadBytes, WriteBytes = pio.WriteBytes, CancelledWriteBytes = pio.CancelledWriteBytes,
                    ReadSyscalls = pio.SyscR, WriteSyscalls = pio.SyscW,
                },
            });
        }
    }

    private static TaskIo Add(TaskIo a, TaskIo b) => new()
    {
        ReadBytes = a.ReadBytes + b.ReadBytes,
        WriteBytes = a.WriteBytes + b.WriteBytes,
        CancelledWriteBytes = a.CancelledWriteBytes + b.CancelledWriteBytes,
        ReadSyscalls = a.ReadSyscalls + b.ReadSyscalls,
        WriteSyscalls = a.WriteSyscalls + b.WriteSyscalls,
        BlkioCount = a.BlkioCount + b.BlkioCount,
        BlkioDelayNs = a.BlkioDelayNs + b.BlkioDelayNs,
        SwapinCount = a.SwapinCount + b.SwapinCount,
        SwapinDelayNs = a.SwapinDelayNs + b.SwapinDelayNs,
        TrackedDelayCounts = a.TrackedDelayCounts + b.TrackedDelayCounts,
        RunNs = a.RunNs + b.RunNs,
        ContextSwitches = a.ContextSwitches + b.ContextSwitches,
    };

    public void Dispose() => _client?.Dispose();
}
