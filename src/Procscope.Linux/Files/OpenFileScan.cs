namespace Procscope.Linux.Files;

/// <summary>The outcome of reading many processes.</summary>
public sealed class OpenFileScanResult
{
    /// <summary>Processes (and thread rows) in pid order.</summary>
    public required List<ProcessOpenFiles> Processes { get; init; }
    /// <summary>Pids whose reading exceeded the per-process bound (left out, reported once).</summary>
    public required List<int> TimedOut { get; init; }
}

/// <summary>
/// Reads the open files of many processes on worker threads (one per CPU, taking chunks of pids)
/// with a bound per process: a process whose files take longer (a stat() stuck on a dead server
/// we were asked to stat, a kernel lock) is left out and named once, and a fresh worker takes over
/// so the rest of the scan is not held up. Processes that exit mid-walk drop out silently.
/// </summary>
public static class OpenFileScan
{
    public static OpenFileScanResult Run(OpenFileReader reader, IReadOnlyList<int> pids, TimeSpan perProcess, Func<int, bool>? wanted = null)
    {
        var list = new List<ProcessOpenFiles>(pids.Count);
        var timedOut = Run(reader, pids, perProcess, wanted, list.Add);
        return new OpenFileScanResult { Processes = list, TimedOut = timedOut };
    }

    /// <summary>
    /// Streams the processes (and thread rows) to <paramref name="sink"/> in pid order, on the calling
    /// thread, and forgets each one once handed over: a whole-system listing never holds every
    /// process's files at once. Returns the pids given up on.
    /// </summary>
    public static List<int> Run(OpenFileReader reader, IReadOnlyList<int> pids, TimeSpan perProcess, Func<int, bool>? wanted, Action<ProcessOpenFiles> sink)
    {
        int count = pids.Count;
        var results = new List<ProcessOpenFiles>?[count];
        var started = new long[count];   // Environment.TickCount64 when a worker took it; 0 = not yet
        var done = new bool[count];
        int next = 0;
        int waitingFor = -1;
        var gate = new object();

        // Workers stay at most this many processes ahead of the collector: on a loaded machine
        // the collector can lose the CPU for a while, and the results it has not taken yet are
        // what a scan holds in memory (tens of MB for 10,000 processes read ahead).
        var window = new SemaphoreSlim(256); // not disposed: an abandoned worker may still wait on it

        void Work()
        {
            while (true)
            {
                window.Wait();
                int i = Interlocked.Increment(ref next) - 1;
                if (i >= count)
                {
                    window.Release();
                    return;
                }
                Volatile.Write(ref started[i], Environment.TickCount64);
                List<ProcessOpenFiles>? r = null;
                if (wanted is null || wanted(pids[i])) r = reader.Read(pids[i]);
                results[i] = r;
                Volatile.Write(ref done[i], true);
                Interlocked.MemoryBarrier(); // the store above before the load below (see the collector)
                // Wake the collector only when it waits for this very process (a wake-up per
                // process cost more than reading most of them).
                if (Volatile.Read(ref waitingFor) == i)
                    lock (gate) Monitor.PulseAll(gate);
            }
        }

        int workers = count >= 64 ? Math.Max(2, Environment.ProcessorCount) : 1;
        var threads = new List<Thread>();
        void StartWorker()
        {
            var t = new Thread(Work, 256 * 1024) { IsBackground = true, Name = "procscope-lsof" };
            threads.Add(t);
            t.Start();
        }
        for (int w = 0; w < workers; w++) StartWorker();

        var timedOut = new List<int>();
        void Hand(int i)
        {
            var r = results[i];
            results[i] = null;
            if (r is not null) foreach (var p in r) sink(p);
        }
        long boundMs = (long)perProcess.TotalMilliseconds;
        for (int i = 0; i < count; i++)
        {
            if (Volatile.Read(ref done[i]))
            {
                Hand(i);
                window.Release();
                continue;
            }
            lock (gate)
            {
                Volatile.Write(ref waitingFor, i);
                Interlocked.MemoryBarrier();
                while (!Volatile.Read(ref done[i]))
                {
                    long s = Volatile.Read(ref started[i]);
                    long waited = s == 0 ? 0 : Environment.TickCount64 - s;
                    if (s != 0 && waited >= boundMs) break;
                    Monitor.Wait(gate, (int)Math.Clamp(boundMs - waited, 1, 100));
                }
                Volatile.Write(ref waitingFor, -1);
                if (!Volatile.Read(ref done[i]))
                {
                    // Abandon it: its worker stays blocked in the kernel; another one carries on.
                    timedOut.Add(pids[i]);
                    window.Release();
                    StartWorker();
                    continue;
                }
            }
            Hand(i);
            window.Release();
        }
        return timedOut;
    }
}
