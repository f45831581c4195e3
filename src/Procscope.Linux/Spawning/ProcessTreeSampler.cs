using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Core.Sys;

namespace Procscope.Linux.Spawning;

/// <summary>What the sampler last saw of one process of the tree (keyed by pid and start time).</summary>
public sealed class SampledProcess
{
    public required int Pid { get; init; }
    public required ulong StartTimeTicks { get; init; }
    public int PPid { get; internal set; }
    /// <summary>comm, raw bytes (hostile).</summary>
    public byte[] CommBytes { get; internal set; } = [];
    /// <summary>The command line, raw NUL-separated bytes (hostile); empty before the first read.</summary>
    public byte[] CmdlineBytes { get; internal set; } = [];
    public ulong UTimeTicks { get; internal set; }
    public ulong STimeTicks { get; internal set; }
    public long PeakRssBytes { get; internal set; }
    public ulong MinFlt { get; internal set; }
    public ulong MajFlt { get; internal set; }
    /// <summary>Time its threads waited on a run queue (schedstat), summed over the threads seen.</summary>
    public ulong RunDelayNs { get; internal set; }
    /// <summary>The exit status word: from the process-events connector, or when a sample caught the process as a zombie (Linux 3.5+).</summary>
    public int? ExitStatus { get; internal set; }
    /// <summary>How many samples read it (alive or zombie); 0 for a process known only from fork/exit events.</summary>
    public int TimesSampled { get; internal set; }
    internal Dictionary<int, ulong> ThreadDelays { get; } = [];
    /// <summary>Order of first sighting.</summary>
    internal long Sequence { get; init; }
}

/// <summary>
/// Samples a process tree at an interval: the tree's summed RSS (its peak is the "sampled" tree
/// peak), and per process its CPU time, peak RSS, faults and run-queue wait as last seen. A
/// process that lives and dies between two samples is missed: results are lower bounds.
/// Children are found through /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN), else by a
/// scan of every process's parent.
/// </summary>
public sealed class ProcessTreeSampler : IDisposable
{
    private readonly ProcFs _fs;
    private readonly int _root;
    private readonly TimeSpan _interval;
    private readonly SystemInfo _sys;
    private readonly Dictionary<(int, ulong), SampledProcess> _seen = [];
    private readonly object _lock = new();
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;
    private bool? _childrenFile;
    private readonly HashSet<int> _members = [];
    private bool _events;
    private long _sequence;

    public ProcessTreeSampler(ProcFs fs, int rootPid, TimeSpan interval, SystemInfo sys)
    {
        _fs = fs;
        _root = rootPid;
        _interval = interval;
        _sys = sys;
    }

    /// <summary>"sampled", or "events+sampled" once process events (fork/exec/exit) were fed in.</summary>
    public string Source => _events ? "events+sampled" : "sampled";

    public long PeakTreeRssBytes { get; private set; }
    public int Samples { get; private set; }
    public TimeSpan Interval => _interval;

    /// <summary>Every process seen, in order of first sighting.</summary>
    public IReadOnlyList<SampledProcess> Processes
    {
        get { lock (_lock) return _seen.Values.OrderBy(p => p.Sequence).ToList(); }
    }

    /// <summary>Run-queue wait summed over everything seen.</summary>
    public ulong TotalRunDelayNs
    {
        get { lock (_lock) return _seen.Values.Aggregate(0UL, (a, p) => a + p.RunDelayNs); }
    }

    public void Start()
    {
        SampleOnce();
        _thread = new Thread(Loop) { IsBackground = true, Name = "procscope-tree-sampler" };
        _thread.Start();
    }

    /// <summary>Stops sampling (one last sample first) and waits for the thread.</summary>
    public void Stop()
    {
        if (_thread is null) return;
        _stop.Set();
        _thread.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.Wait(_interval)) SampleOnce();
    }

    /// <summary>
    /// Feeds a process event (see <see cref="ProcEventListener"/>): a fork from a member adds the
    /// child to the tree (and samples it at once, so short-lived processes are seen); an exit records
    /// the exact status word. Lineage comes from the forks, so orphans re-parented to init stay members.
    /// </summary>
    public void OnEvent(ProcEvent e)
    {
        lock (_lock)
        {
            _events = true;
            if (_members.Count == 0) _members.Add(_root);
            switch (e.Kind)
            {
                case ProcEventKind.Fork when _members.Contains(e.ParentPid):
                    _members.Add(e.Pid);
                    SampleProcess(e.Pid, e.ParentPid);
                    break;
                case ProcEventKind.Exec when _members.Contains(e.Pid):
                    SampleProcess(e.Pid, null, newImage: true);
                    break;
                case ProcEventKind.Exit when _members.Contains(e.Pid):
                    var p = _seen.Values.Where(x => x.Pid == e.Pid).OrderByDescending(x => x.StartTimeTicks).FirstOrDefault();
                    if (p is null) _seen[(e.Pid, 0)] = p = new SampledProcess { Pid = e.Pid, StartTimeTicks = 0, PPid = e.ParentPid, Sequence = ++_sequence };
                    p.ExitStatus = e.ExitStatus;
                    _members.Remove(e.Pid); // its pid may be reused by a process outside the tree
                    break;
            }
        }
    }

    /// <summary>Reads one process into the table (caller holds the lock); returns its RSS, or 0 when gone or a zombie.</summary>
    private long SampleProcess(int pid, int? ppid, bool newImage = false)
    {
        var stat = ReadStat(pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/stat");
        if (stat is null)
        {
            if (newImage && _seen.Values.Where(x => x.Pid == pid).OrderByDescending(x => x.StartTimeTicks).FirstOrDefault() is { } execd)
                execd.CmdlineBytes = []; // it exec'd and exited before we could read the new command line

            // Gone before we could read it: known from its fork alone.
            if (ppid is int pp && !_seen.Values.Any(x => x.Pid == pid)) _seen[(pid, 0)] = new SampledProcess { Pid = pid, StartTimeTicks = 0, PPid = pp, Sequence = ++_sequence };
            return 0;
        }
        var key = (pid, stat.StartTimeTicks);
        if (!_seen.TryGetValue(key, out var p))
        {
            long seq = _seen.Remove((pid, 0), out var early) ? early.Sequence : ++_sequence;
            _seen[key] = p = new SampledProcess { Pid = pid, StartTimeTicks = stat.StartTimeTicks, Sequence = seq };
            if (early is not null) p.ExitStatus = early.ExitStatus;
        }
        if (newImage || !p.CommBytes.AsSpan().SequenceEqual(stat.CommBytes) || p.CmdlineBytes.Length == 0)
        {
            // A new comm means an exec: the command line changed too.
            p.CommBytes = stat.CommBytes;
            p.CmdlineBytes = _fs.TryReadBytes($"{pid}/cmdline") ?? [];
        }
        p.PPid = stat.PPid;
        p.UTimeTicks = stat.UTimeTicks;
        p.STimeTicks = stat.STimeTicks;
        p.MinFlt = stat.MinFlt;
        p.MajFlt = stat.MajFlt;
        long rss = _sys.PagesToBytes((ulong)Math.Max(0, stat.RssPages));
        if (rss > p.PeakRssBytes) p.PeakRssBytes = rss;
        p.TimesSampled++;
        if (stat.State == 'Z')
        {
            // A zombie's counters are final; it holds no memory any more.
            if (stat.ExitCode is int code && p.ExitStatus is null) p.ExitStatus = code;
            return 0;
        }
        foreach (int tid in _fs.ListTids(pid))
        {
            var bytes = _fs.TryReadBytes($"{pid}/task/{tid}/schedstat");
            if (bytes is null) continue;
            try { p.ThreadDelays[tid] = ProcessSchedstat.Parse(bytes).RunQueueWaitNs; }
            catch (ProcFormatException) { }
        }
        p.RunDelayNs = p.ThreadDelays.Values.Aggregate(0UL, (a, v) => a + v);
        return rss;
    }

    /// <summary>Takes one sample now (also callable from the owner, e.g. when the root becomes a zombie).</summary>
    public void SampleOnce()
    {
        var pids = new List<int> { _root };
        CollectDescendants(pids);
        long sum = 0;
        lock (_lock)
        {
            // With process events, members the children walk cannot see (orphans) are sampled too.
            foreach (int m in _members)
                if (!pids.Contains(m)) pids.Add(m);
            foreach (int pid in pids) sum += SampleProcess(pid, null);
            if (sum > PeakTreeRssBytes) PeakTreeRssBytes = sum;
            Samples++;
        }
    }

    private ProcessStat? ReadStat(string relative)
    {
        var bytes = _fs.TryReadBytes(relative);
        if (bytes is null) return null;
        try { return ProcessStat.Parse(bytes); }
        catch (ProcFormatException) { return null; }
    }

    private void CollectDescendants(List<int> pids)
    {
        _childrenFile ??= File.Exists(_fs.PathOf("self/task/" + Environment.ProcessId + "/children"));
        if (_childrenFile == true)
        {
            for (int i = 0; i < pids.Count; i++)
                foreach (int tid in _fs.ListTids(pids[i]))
                {
                    var bytes = _fs.TryReadBytes($"{pids[i]}/task/{tid}/children");
                    if (bytes is null) continue;
                    var r = new SpanReader(bytes, "children");
                    while (r.TryNextField(out var f))
                        if (Bytes.TryInt32(f, out int c) && !pids.Contains(c)) pids.Add(c);
                }
            return;
        }
        // No children files: one pass over every process's parent.
        var parents = new Dictionary<int, List<int>>();
        foreach (int pid in _fs.ListPids())
        {
            var st = ReadStat($"{pid}/stat");
            if (st is null) continue;
            if (!parents.TryGetValue(st.PPid, out var l)) parents[st.PPid] = l = [];
            l.Add(pid);
        }
        for (int i = 0; i < pids.Count; i++)
            if (parents.TryGetValue(pids[i], out var kids)) pids.AddRange(kids);
    }
}
