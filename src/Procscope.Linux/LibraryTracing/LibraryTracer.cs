using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Core.Elf;
using Procscope.Core.LibraryCalls;
using Procscope.Linux.Interop;
using Procscope.Linux.Tracing;

namespace Procscope.Linux.LibraryTracing;

/// <summary>Starting to trace failed: one line for the user.</summary>
public sealed class LibraryTraceException(string message) : Exception(message);

/// <summary>
/// Library call tracing with breakpoints at function entries (docs/INTERNALS-ltrace.md). The
/// callee is found from the loaded objects' dynamic symbols, not from PLT slots, so -fno-plt,
/// BIND_NOW and IBT .plt.sec programs trace like lazy-binding ones. Each call costs two stops: the
/// entry breakpoint (its first instruction emulated or executed out of line, never single-stepped)
/// and a breakpoint at the return address, inserted while the call is in flight. All ptrace work
/// runs on one dedicated thread.
/// </summary>
public sealed unsafe partial class LibraryTracer
{
    private const int SIGTRAP = 5, SIGKILL = 9, SIGSTOP = 19, SIGCHLD = 17;
    private const int SI_KERNEL = 0x80, TRAP_BRKPT = 1;

    private readonly LibraryTraceOptions _options;
    private readonly ILibraryCallSink _sink;
    private readonly Dictionary<int, TraceeThread> _threads = new();
    private readonly Dictionary<int, AddressSpace> _spaces = new();
    private readonly Dictionary<int, ThreadState> _states = new();
    private readonly Dictionary<string, ElfFile?> _elfCache = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private volatile bool _stopRequested;
    private bool _stopping;
    private int _tracerTid;
    private int _spawnedPid;
    private int? _exitCode;
    private int? _killSignal;
    private Exception? _failure;
    private bool _attachMode;
    private ulong[]? _savedAffinity;
    private int _pinnedCpu = -1;

    public LibraryTracer(LibraryTraceOptions options, ILibraryCallSink sink)
    {
        _options = options;
        _sink = sink;
    }

    /// <summary>The CPU the tracer and a single-threaded tracee share now, or -1.</summary>
    public int PinnedCpu => _pinnedCpu;

    /// <summary>The CPU they shared at the start (-1: never pinned).</summary>
    public int InitiallyPinnedCpu { get; private set; } = -1;

    /// <summary>How many breakpoint hits were handled by emulation, by out-of-line execution and by single-stepping.</summary>
    public (long Emulated, long OutOfLine, long SingleStepped) StepCounts => (_emulated, _outOfLine, _singleStepped);
    private long _emulated, _outOfLine, _singleStepped;

    /// <summary>
    /// Ends tracing from any thread (Ctrl-C, SIGTERM): breakpoints are removed first (original
    /// bytes written back through /proc/PID/mem), then attached processes are detached and left
    /// running and spawned ones are killed.
    /// </summary>
    public void RequestStop()
    {
        if (_stopRequested) return;
        _stopRequested = true;
        // Remove every breakpoint now, before any thread is detached: after this no thread can trap
        // on our int3 again; traps already taken are rewound by the loop before detaching.
        lock (_lock)
            foreach (var space in _spaces.Values) space.RemoveAllThroughProcMem();
        var waker = new Thread(() =>
        {
            while (_tracerTid == 0 || !_stopping)
            {
                if (_tracerTid != 0) LibC.tgkill(LibC.getpid(), _tracerTid, WakeSignal);
                Thread.Sleep(20);
                if (_done) break;
            }
        }) { IsBackground = true, Name = "ltrace-wake" };
        waker.Start();
    }

    private volatile bool _done;

    /// <summary>SIGRTMIN+7: interrupts the tracer thread's waitpid when a stop is requested.</summary>
    private const int WakeSignal = 41;

    /// <summary>Spawns <paramref name="path"/> (resolved) with <paramref name="argv"/> and traces it until it exits. Returns its exit status as the shell would report it.</summary>
    public int RunCommand(string path, IReadOnlyList<string> argv, IReadOnlyList<string>? environment = null) =>
        RunOnThread(() => { Spawn(path, argv, environment ?? CurrentEnvironment()); Loop(); });

    /// <summary>Attaches to running processes (all their threads) and traces them until they exit or <see cref="RequestStop"/>.</summary>
    public int Attach(IReadOnlyList<int> pids) =>
        RunOnThread(() => { _attachMode = true; foreach (int pid in pids) AttachProcess(pid); Loop(); });

    private int RunOnThread(Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                _tracerTid = LibC.gettid();
                InstallWakeHandler();
                body();
            }
            catch (Exception e)
            {
                _failure = e;
                try { EmergencyCleanup(); } catch (Exception) { }
            }
            finally
            {
                _done = true;
                RestoreAffinity();
            }
        }, 1 << 20) { Name = "ltrace", IsBackground = true };
        thread.Start();
        thread.Join();
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        if (_killSignal is { } sig) return 128 + sig;
        return _exitCode ?? 0;
    }

    private static void InstallWakeHandler()
    {
        SigAction act = default;
        act.sa_handler = LibC.NoOpHandler;
        act.sa_flags = 0; // no SA_RESTART: waitpid returns EINTR
        LibC.sigaction(WakeSignal, &act, null);
    }

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }

    // ------------------------------------------------------------------ CPU pinning

    private void PinTracerAndTracee(int pid)
    {
        if (!_options.PinToOneCpu) return;
        ulong* saved = stackalloc ulong[16];
        if (LibC.sched_getaffinity(0, 128, saved) != 0) return;
        int cpu = LibC.sched_getcpu();
        if (cpu < 0 || cpu >= 1024) return;
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (LibC.sched_setaffinity(0, 128, mask) != 0) return;
        _savedAffinity = new Span<ulong>(saved, 16).ToArray();
        _pinnedCpu = cpu;
        InitiallyPinnedCpu = cpu;
        LibC.sched_setaffinity(pid, 128, mask);
    }

    /// <summary>A second thread appeared: sharing one CPU would serialise the tracee's threads, so give both back their CPUs.</summary>
    private void Unpin(IEnumerable<int> tids)
    {
        if (_savedAffinity is null) return;
        fixed (ulong* m = _savedAffinity)
        {
            foreach (int tid in tids) LibC.sched_setaffinity(tid, 128, m);
        }
        RestoreAffinity();
    }

    private void RestoreAffinity()
    {
        if (_savedAffinity is null) return;
        fixed (ulong* m = _savedAffinity) LibC.sched_setaffinity(0, 128, m);
        _savedAffinity = null;
        _pinnedCpu = -1;
    }

    // ------------------------------------------------------------------ spawn and attach

    private static readonly Lazy<ChildCalls> s_child = new(ChildCalls.Resolve);

    private void Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> env)
    {
        var strings = new List<byte[]>();
        byte[] cpathBytes = Encoding.UTF8.GetBytes(path + "\0");
        int total = cpathBytes.Length;
        foreach (var s in argv.Concat(env)) { var b = Encoding.UTF8.GetBytes(s + "\0"); strings.Add(b); total += b.Length; }
        nint blockSize = total + (argv.Count + env.Count + 2) * sizeof(nint) + sizeof(SigAction) + 512;
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)blockSize);
        try
        {
            byte* p = block;
            byte* cpath = p; cpathBytes.CopyTo(new Span<byte>(p, cpathBytes.Length)); p += cpathBytes.Length;
            p = (byte*)(((nint)p + 15) & ~15);
            byte** cargv = (byte**)p; p += (argv.Count + 1) * sizeof(nint);
            byte** cenv = (byte**)p; p += (env.Count + 1) * sizeof(nint);
            SigAction* dfl = (SigAction*)p; p += sizeof(SigAction);
            p = (byte*)(((nint)p + 15) & ~15);
            byte* emptySet = p; p += 128;
            for (int i = 0; i < strings.Count; i++)
            {
                strings[i].CopyTo(new Span<byte>(p, strings[i].Length));
                if (i < argv.Count) cargv[i] = p; else cenv[i - argv.Count] = p;
                p += strings[i].Length;
            }
            var c = s_child.Value;
            int pid = c.Fork();
            if (pid == 0)
            {
                // The child of a multi-threaded runtime: raw libc calls on native memory only (see ChildCalls).
                c.Sigprocmask(LibC.SIG_SETMASK, emptySet, null);
                for (int sig = 1; sig < 32; sig++)
                    if (sig != SIGKILL && sig != SIGSTOP) c.Sigaction(sig, dfl, null);
                if (c.Ptrace(LibC.PTRACE_TRACEME, 0, 0, 0) < 0) c.Exit(126);
                c.Kill(c.Getpid(), SIGSTOP);
                c.Execve(cpath, cargv, cenv);
                c.Exit(127);
            }
            if (pid < 0) throw new LibraryTraceException("fork: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError()));
            _spawnedPid = pid;
            int status = WaitFor(pid);
            if (!WIfStopped(status)) throw new LibraryTraceException("the child did not stop for tracing");
            int opts = LibC.PTRACE_O_EXITKILL | LibC.PTRACE_O_TRACEEXEC | LibC.PTRACE_O_TRACECLONE | LibC.PTRACE_O_TRACEFORK | LibC.PTRACE_O_TRACEVFORK | LibC.PTRACE_O_TRACESYSGOOD;
            if (LibC.ptrace(LibC.PTRACE_SETOPTIONS, pid, 0, opts) < 0)
            {
                int e = Marshal.GetLastSystemError();
                LibC.kill(pid, SIGKILL);
                WaitFor(pid);
                throw new LibraryTraceException("ptrace(PTRACE_SETOPTIONS): " + Marshal.GetPInvokeErrorMessage(e));
            }
            PinTracerAndTracee(pid);
            var t = new TraceeThread(pid, pid, attached: false);
            _threads[pid] = t;
            _states[pid] = new ThreadState();
            Resume(t, 0);
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    private void AttachProcess(int pid)
    {
        var tids = new List<int> { pid };
        try
        {
            foreach (var d in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                if (int.TryParse(Path.GetFileName(d), out int tid) && tid != pid) tids.Add(tid);
        }
        catch (DirectoryNotFoundException) { throw new LibraryTraceException($"no process {pid}"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        int opts = LibC.PTRACE_O_TRACECLONE | LibC.PTRACE_O_TRACEEXEC | LibC.PTRACE_O_TRACEFORK | LibC.PTRACE_O_TRACEVFORK | LibC.PTRACE_O_TRACESYSGOOD;
        var seized = new List<TraceeThread>();
        foreach (int tid in tids)
        {
            if (LibC.ptrace(LibC.PTRACE_SEIZE, tid, 0, opts) < 0)
            {
                int e = Marshal.GetLastSystemError();
                if (tid != pid && e == Errno.ESRCH) continue;
                foreach (var s in seized) { LibC.ptrace(LibC.PTRACE_DETACH, s.Tid, 0, 0); _threads.Remove(s.Tid); }
                string why = e == Errno.ESRCH ? "no such process" : Marshal.GetPInvokeErrorMessage(e);
                if (e == Errno.EPERM) why += " (already traced, another user's process, or kernel.yama.ptrace_scope forbids it)";
                throw new LibraryTraceException($"cannot attach to {tid}: {why}");
            }
            var t = new TraceeThread(tid, pid, attached: true);
            _threads[tid] = t;
            _states[tid] = new ThreadState();
            seized.Add(t);
            LibC.ptrace(LibC.PTRACE_INTERRUPT, tid, 0, 0);
        }
        // Every thread must be stopped before the first breakpoint goes in.
        foreach (var t in seized.ToList())
        {
            int status = WaitFor(t.Tid);
            if (!WIfStopped(status)) { _threads.Remove(t.Tid); seized.Remove(t); continue; }
        }
        if (seized.Count == 0) throw new LibraryTraceException($"process {pid} exited");
        var leader = seized.FirstOrDefault(t => t.Tid == pid) ?? seized[0];
        string exe = ExePath(pid) ?? throw new LibraryTraceException($"cannot read /proc/{pid}/exe");
        var space = new AddressSpace(this, pid, exe);
        _spaces[pid] = space;
        if (CheckLinkage(space, exe)) SetUp(space, leader, trapAddress: 0);
        foreach (var t in seized) Resume(t, 0);
    }

    private static string? ExePath(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/exe").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private int WaitFor(int tid)
    {
        int status;
        while (true)
        {
            int r = LibC.waitpid(tid, &status, LibC.__WALL);
            if (r == tid) return status;
            if (r < 0 && Marshal.GetLastSystemError() == Errno.EINTR) continue;
            return -1;
        }
    }

    private static bool WIfStopped(int status) => status != -1 && (status & 0xff) == 0x7f;
    private static bool WIfExited(int status) => (status & 0x7f) == 0;

    private void Resume(TraceeThread t, int signal)
    {
        int request = _options.SystemCalls ? LibC.PTRACE_SYSCALL : LibC.PTRACE_CONT;
        LibC.ptrace_fast(request, t.Tid, 0, signal);
    }

    // ------------------------------------------------------------------ the loop

    private void Loop()
    {
        int status;
        while (_threads.Count > 0)
        {
            if (_stopRequested && !_stopping) BeginStop();
            int tid = LibC.waitpid(-1, &status, LibC.__WALL);
            if (tid < 0)
            {
                int e = Marshal.GetLastSystemError();
                if (e == Errno.EINTR) continue;
                if (e == 10) break; // ECHILD
                throw new InvalidOperationException($"waitpid: {Marshal.GetPInvokeErrorMessage(e)}");
            }
            Dispatch(tid, status);
        }
    }

    /// <summary>The thread whose stop is being handled (not yet resumed), for cleanup after a failure.</summary>
    private TraceeThread? _current;

    private void Dispatch(int tid, int status)
    {
        _current = null;
        if (!_threads.TryGetValue(tid, out var t))
        {
            // A new thread's first stop can come before its creator's clone event.
            if (!WIfStopped(status)) return;
            t = new TraceeThread(tid, ReadTgid(tid), attached: _attachMode);
            _threads[tid] = t;
            _states[tid] = new ThreadState { InitialStopSeen = true };
            OnNewThread(t, null);
            Resume(t, 0);
            return;
        }
        if (!WIfStopped(status))
        {
            _threads.Remove(tid);
            _states.Remove(tid);
            if (tid == t.Tgid)
            {
                if (WIfExited(status)) { if (tid == _spawnedPid) _exitCode = (status >> 8) & 0xff; ReportExit(t.Tgid, () => _sink.OnExited(t.Tgid, (status >> 8) & 0xff)); }
                else { if (tid == _spawnedPid) _killSignal = status & 0x7f; ReportExit(t.Tgid, () => _sink.OnKilled(t.Tgid, status & 0x7f)); }
                _spaces.Remove(t.Tgid);
            }
            if (_stopping) FinishParked(t.Tgid);
            return;
        }
        int sig = (status >> 8) & 0xff;
        int evt = (status >> 16) & 0xff;
        var state = _states[tid];
        _current = t;
        if (_stopping)
        {
            if (t.Attached && _spaces.TryGetValue(t.Tgid, out var sp) && sp.Scratch.Count > 0 && !sp.SharesMemory)
            {
                // Held until every thread of its process is stopped: then the scratch pages go.
                _parked[tid] = (sig, evt);
                FinishParked(t.Tgid);
                return;
            }
            StopThread(t, sig, evt);
            return;
        }
        if (sig == (SIGTRAP | 0x80))
        {
            SyscallStop(t, state);
            Resume(t, 0);
            return;
        }
        if (evt != 0)
        {
            switch (evt)
            {
                case LibC.PTRACE_EVENT_CLONE:
                case LibC.PTRACE_EVENT_FORK:
                case LibC.PTRACE_EVENT_VFORK:
                    NewChild(t, evt);
                    break;
                case LibC.PTRACE_EVENT_EXEC:
                    if (!OnExec(t)) return; // detached
                    break;
                case LibC.PTRACE_EVENT_STOP:
                    if (!state.InitialStopSeen) { state.InitialStopSeen = true; break; }
                    if (sig is SIGSTOP or 20 or 21 or 22)
                    {
                        LibC.ptrace_fast(LibC.PTRACE_LISTEN, t.Tid, 0, 0);
                        return;
                    }
                    break;
            }
            Resume(t, 0);
            return;
        }
        if (!state.InitialStopSeen && sig == SIGSTOP)
        {
            state.InitialStopSeen = true;
            Resume(t, 0);
            return;
        }
        // A SIGTRAP whose rip-1 is one of our int3 bytes is ours: no PTRACE_GETSIGINFO on the hot path.
        if (sig == SIGTRAP && HandleTrap(t, state))
        {
            Resume(t, 0);
            return;
        }
        if (!t.TryGetSignalInfo(out _))
        {
            // Group-stop of a thread not seized: stays stopped until SIGCONT.
            Resume(t, 0);
            return;
        }
        if (IsReported(t.Tgid)) _sink.OnSignal(t.Tgid, t.Tid, sig);
        Resume(t, sig);
    }

    private void ReportExit(int pid, Action report)
    {
        if (IsReported(pid)) report();
    }

    private readonly HashSet<int> _silent = new();

    /// <summary>Without -f, forked children are traced (so they never meet a breakpoint untraced) but not reported.</summary>
    private bool IsReported(int tgid) => !_silent.Contains(tgid);

    private static int ReadTgid(int tid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{tid}/status"))
                if (line.StartsWith("Tgid:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5).Trim(), out int v)) return v;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return tid;
    }

    private void NewChild(TraceeThread parent, int evt)
    {
        ulong msg;
        if (LibC.ptrace_fast(LibC.PTRACE_GETEVENTMSG, parent.Tid, 0, (nint)(&msg)) < 0) return;
        int tid = (int)msg;
        if (_threads.ContainsKey(tid)) return;
        int tgid = evt == LibC.PTRACE_EVENT_CLONE ? parent.Tgid : tid;
        var child = new TraceeThread(tid, tgid, parent.Attached);
        _threads[tid] = child;
        _states[tid] = new ThreadState();
        OnNewThread(child, parent, evt);
    }

    private void OnNewThread(TraceeThread child, TraceeThread? parent, int evt = LibC.PTRACE_EVENT_CLONE)
    {
        if (child.Tgid == (parent?.Tgid ?? child.Tgid) && evt == LibC.PTRACE_EVENT_CLONE)
        {
            // A thread: same address space, same breakpoints. Pinning everything on one CPU would serialise the threads.
            if (_savedAffinity is not null) Unpin(_threads.Values.Where(t => t.Tgid == child.Tgid).Select(t => t.Tid));
            return;
        }
        // A new process (fork/vfork): a copy of the parent's memory with our breakpoints in it.
        if (parent is not null && _spaces.TryGetValue(parent.Tgid, out var parentSpace))
        {
            var copy = parentSpace.CloneFor(child.Tgid, sharesMemory: evt == LibC.PTRACE_EVENT_VFORK);
            _spaces[child.Tgid] = copy;
            // The child continues the parent's in-flight calls (it returns from fork inside them).
            _states[child.Tid].Frames.AddRange(_states[parent.Tid].Frames.Select(f => f.CloneFor(child.Tid)));
        }
        if (!_options.FollowForks || !IsReported(parent?.Tgid ?? child.Tgid)) _silent.Add(child.Tgid);
    }

    /// <summary>Returns false when the thread was detached (an unfollowed child's new program).</summary>
    private bool OnExec(TraceeThread t)
    {
        // The old image is gone with its breakpoints; a non-leader execve takes the leader's id.
        ulong msg;
        if (LibC.ptrace_fast(LibC.PTRACE_GETEVENTMSG, t.Tid, 0, (nint)(&msg)) >= 0 && (int)msg != t.Tid && _threads.Remove((int)msg, out var execer))
        {
            _states.Remove((int)msg);
        }
        foreach (var other in _threads.Values.Where(o => o.Tgid == t.Tgid && o.Tid != t.Tid).ToList())
        {
            _threads.Remove(other.Tid);
            _states.Remove(other.Tid);
        }
        _states[t.Tid] = new ThreadState { InitialStopSeen = true };
        _spaces.Remove(t.Tgid);
        int pid = t.Tgid;
        if (_silent.Contains(pid))
        {
            if (!_options.FollowForks)
            {
                // Not followed: the new program has no breakpoints; let it go.
                _silent.Remove(pid);
                _threads.Remove(t.Tid);
                _states.Remove(t.Tid);
                LibC.ptrace(LibC.PTRACE_DETACH, t.Tid, 0, 0);
                return false;
            }
        }
        string exe = ExePath(pid) ?? "";
        var space = new AddressSpace(this, pid, exe);
        _spaces[pid] = space;
        if (!CheckLinkage(space, exe)) return true;
        // Libraries are mapped by the dynamic loader after this point: break at the program's entry.
        var main = LoadedObjects.Read(pid, exe, Cached).Main;
        if (main is null) { _sink.OnNotice($"{exe}: cannot read the program's mappings"); return true; }
        ulong entry = main.Bias + main.Elf.Entry;
        space.InsertStartTrap(t, entry);
        return true;
    }

    /// <summary>Checks that the program can have library calls at all; says why not otherwise.</summary>
    private bool CheckLinkage(AddressSpace space, string exe)
    {
        var elf = Cached(exe);
        if (elf is null)
        {
            _sink.OnNotice($"{exe}: not a readable ELF file: its library calls cannot be traced");
            return false;
        }
        if (elf.Machine != ElfFile.MachineX86_64)
        {
            _sink.OnNotice($"{exe}: not an x86-64 program (e_machine {elf.Machine}): library calls are traced on x86-64 only");
            return false;
        }
        if (elf.Linkage != ElfLinkage.Dynamic && _options.ProgramSymbols.Count == 0)
        {
            _sink.OnNotice($"{exe} is statically linked: it calls no shared library, so there are no library calls to trace" +
                (elf.IsStripped ? " (and it is stripped: no symbol table for -x either)" : " (use -x to trace its own functions)") +
                "; procscope trace shows its system calls");
            return elf.IsStripped ? false : true;
        }
        return true;
    }

    internal ElfFile? Cached(string path)
    {
        if (!_elfCache.TryGetValue(path, out var elf))
            _elfCache[path] = elf = LoadedObjects.TryParse(_spawnedPid, path);
        return elf;
    }

    // ------------------------------------------------------------------ stopping

    private void BeginStop()
    {
        _stopping = true;
        foreach (var t in _threads.Values.ToList())
        {
            if (t.Attached) LibC.ptrace(LibC.PTRACE_INTERRUPT, t.Tid, 0, 0);
            else LibC.kill(t.Tgid, SIGKILL);
        }
    }

    /// <summary>A stop after the stop request: undo a breakpoint trap already taken, then detach.</summary>
    private void StopThread(TraceeThread t, int sig, int evt, bool interrupted = false)
    {
        int deliver = 0;
        if (evt == 0 && sig != (SIGTRAP | 0x80) && t.TryGetSignalInfo(out var si))
        {
            deliver = sig;
            if (sig == SIGTRAP && (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) && t.TryGetRegisters(out var regs)
                && _spaces.TryGetValue(t.Tgid, out var space) && space.WasBreakpoint(regs.rip - 1))
            {
                // Our int3 (already removed): run the original instruction again.
                regs.rip -= 1;
                t.TrySetRegisters(regs);
                deliver = 0;
            }
            // Stopped in the middle of our own handling: the trap was ours, never the tracee's.
            if (interrupted && sig == SIGTRAP && si.si_code is SI_KERNEL or TRAP_BRKPT) deliver = 0;
        }
        // A thread inside a scratch slot may be detached: the slot stays mapped and jumps back by itself.
        if (t.Attached)
        {
            LibC.ptrace(LibC.PTRACE_DETACH, t.Tid, 0, deliver);
        }
        _threads.Remove(t.Tid);
        _states.Remove(t.Tid);
    }

    /// <summary>Threads of attached processes that reached their stop while tracing ends, with that
    /// stop (signal, event), held until their whole process is stopped.</summary>
    private readonly Dictionary<int, (int Sig, int Evt)> _parked = new();

    /// <summary>
    /// Once every traced thread of <paramref name="tgid"/> is parked: unmaps the scratch pages made in
    /// it (<see cref="RemoveScratch"/>), then detaches every thread as <see cref="StopThread"/> does.
    /// </summary>
    private void FinishParked(int tgid)
    {
        var threads = _threads.Values.Where(x => x.Tgid == tgid).ToList();
        if (threads.Count == 0 || threads.Any(x => !_parked.ContainsKey(x.Tid))) return;
        if (_spaces.TryGetValue(tgid, out var space))
            RemoveScratch(space, threads);
        foreach (var x in threads)
        {
            var (sig, evt) = _parked[x.Tid];
            _parked.Remove(x.Tid);
            StopThread(x, sig, evt);
        }
    }

    /// <summary>
    /// Unmaps the scratch pages of an attached process whose threads are all stopped, so detaching
    /// leaves its address space as it was. A thread stopped inside a scratch slot (an out-of-line
    /// instruction copy and its jump back) is single-stepped out first; the munmap runs in a thread
    /// at its PTRACE_INTERRUPT stop, whose registers are restored after. Whenever that cannot be done
    /// safely (a thread in a slot with a signal pending, no thread at an interrupt stop, a step that
    /// does not leave the slot) the pages stay: mapped and unused, they are harmless.
    /// </summary>
    private void RemoveScratch(AddressSpace space, List<TraceeThread> threads)
    {
        bool InScratch(ulong rip) => space.Scratch.Any(r => rip >= r.Start && rip < r.End);
        foreach (var x in threads)
        {
            if (!x.TryGetRegisters(out var regs) || !InScratch(regs.rip)) continue;
            var (sig, evt) = _parked[x.Tid];
            if (evt == 0 && sig != (SIGTRAP | 0x80)) return;
            for (int i = 0; i < 16 && InScratch(regs.rip); i++)
            {
                if (LibC.ptrace(LibC.PTRACE_SINGLESTEP, x.Tid, 0, 0) < 0 || !WIfStopped(WaitFor(x.Tid)) || !x.TryGetRegisters(out regs)) return;
                // Now at a single-step trap: nothing to deliver when it is detached.
                _parked[x.Tid] = (SIGTRAP | 0x80, 0);
            }
            if (InScratch(regs.rip)) return;
        }
        var runner = threads.FirstOrDefault(x => _parked[x.Tid].Evt != 0);
        if (runner is null || !runner.TryGetRegisters(out var saved)) return;
        foreach (var (start, end) in space.Scratch)
            InferiorSyscall(runner, saved, saved.rip, 11 /* munmap */, start, end - start, 0, 0, 0, 0);
        runner.TrySetRegisters(saved);
        space.Scratch.Clear();
        space.ScratchNext.Clear();
        space.InferiorTrap = 0;
    }

    /// <summary>After a failure: remove breakpoints, detach attached threads, kill spawned ones.</summary>
    private void EmergencyCleanup()
    {
        lock (_lock)
            foreach (var space in _spaces.Values) space.RemoveAllThroughProcMem();
        _stopRequested = true;
        BeginStop();
        // The thread being handled when the failure came is still stopped: no new stop will be reported for it.
        if (_current is { } cur && _threads.ContainsKey(cur.Tid))
        {
            _current = null;
            StopThread(cur, SIGTRAP, 0, interrupted: true);
        }
        int status;
        while (_threads.Count > 0)
        {
            int tid = LibC.waitpid(-1, &status, LibC.__WALL);
            if (tid < 0)
            {
                if (Marshal.GetLastSystemError() == Errno.EINTR) continue;
                break;
            }
            if (!_threads.TryGetValue(tid, out var t)) continue;
            if (!WIfStopped(status)) { _threads.Remove(tid); continue; }
            StopThread(t, (status >> 8) & 0xff, (status >> 16) & 0xff);
        }
    }

    // ------------------------------------------------------------------ system calls (-S)

    private void SyscallStop(TraceeThread t, ThreadState state)
    {
        if (!_options.SystemCalls) return;
        PtraceSyscallInfo info;
        if (LibC.ptrace_fast(LibC.PTRACE_GET_SYSCALL_INFO, t.Tid, sizeof(PtraceSyscallInfo), (nint)(&info)) <= 0) return;
        if (info.op == PtraceSyscallInfo.OpEntry)
        {
            state.InSyscall = true;
            state.SyscallNumber = (long)info.nr;
            if (IsReported(t.Tgid))
            {
                Span<ulong> args = [info.args[0], info.args[1], info.args[2], info.args[3], info.args[4], info.args[5]];
                _sink.OnSyscallEntry(t.Tgid, t.Tid, state.SyscallNumber, args, t);
            }
        }
        else if (info.op == PtraceSyscallInfo.OpExit && state.InSyscall)
        {
            state.InSyscall = false;
            if (IsReported(t.Tgid)) _sink.OnSyscallExit(t.Tgid, t.Tid, state.SyscallNumber, info.rval, t);
        }
    }

    internal sealed class ThreadState
    {
        public bool InitialStopSeen;
        public bool InSyscall;
        public long SyscallNumber;
        public readonly List<Frame> Frames = [];
    }
}
