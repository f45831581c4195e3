using System.Runtime.InteropServices;
using System.Text;
using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// The ptrace engine: spawns (fork + PTRACE_TRACEME + execve) or attaches (PTRACE_SEIZE), then runs
/// the stop loop on one dedicated thread (ptrace requests are only accepted from the thread that
/// became the tracer) and calls a <see cref="TraceHandler"/> at each stop. docs/INTERNALS-trace.md.
/// </summary>
public sealed unsafe class Tracer
{
    private const int SIGTRAP = 5, SIGKILL = 9, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
    private const int ECHILD = 10, ESRCH = 3, EPERM = 1;
    /// <summary>SIGRTMIN+6: interrupts the tracer thread's waitpid when a stop is requested.</summary>
    private const int WakeSignal = 40;

    private static readonly Lazy<ChildCalls> s_child = new(ChildCalls.Resolve);

    private readonly TracerOptions _options;
    private readonly TraceHandler _handler;
    private readonly Dictionary<int, TraceeThread> _threads = new();
    private readonly bool _seccomp;
    private PtraceSyscallInfo _info;
    private volatile bool _stopRequested;
    private volatile bool _running;
    private bool _stopHandled;
    private int _tracerTid;
    private int _spawnedPid;
    private TraceOutcome _outcome = TraceOutcome.None;
    private int _execErrnoFd = -1;
    private Exception? _failure;

    public Tracer(TracerOptions options, TraceHandler handler)
    {
        _options = options;
        _handler = handler;
        _seccomp = options.SeccompSelection is not null && options.StopAtSyscalls;
    }

    /// <summary>The CPU the tracer thread (and a spawned tracee) were pinned to, or -1.</summary>
    public int PinnedCpu { get; private set; } = -1;

    /// <summary>The spawned command's pid (0 before the spawn or without a command).</summary>
    public int SpawnedPid => _spawnedPid;

    /// <summary>How many threads are traced right now (tracer thread only).</summary>
    public int TraceeCount => _threads.Count;

    /// <summary>
    /// Asks the loop to end, from any thread (a Ctrl-C or SIGTERM handler): attached threads are
    /// interrupted and detached, left running; spawned ones are killed (as PTRACE_O_EXITKILL would).
    /// </summary>
    public void RequestStop()
    {
        if (_stopRequested) return;
        _stopRequested = true;
        var waker = new Thread(() =>
        {
            // A signal sent just before the tracer enters waitpid would be lost: repeat until it saw the flag.
            while (_running && !Volatile.Read(ref _stopHandled))
            {
                if (_tracerTid != 0) LibC.tgkill(LibC.getpid(), _tracerTid, WakeSignal);
                Thread.Sleep(20);
            }
        }) { IsBackground = true, Name = "tracer-wake" };
        waker.Start();
    }

    /// <summary>
    /// Starts tracing and runs the stop loop until no traced thread is left, on the calling thread:
    /// it becomes the one tracer thread (every ptrace request is made from it) until this returns.
    /// Running on the caller rather than a new thread saves a thread start on every run. Throws
    /// <see cref="TraceStartException"/> when the spawn or an attach fails; a handler's exception
    /// ends tracing (attached processes detached) and is rethrown.
    /// </summary>
    public TraceOutcome Run(TraceStart start)
    {
        _running = true;
        ThreadMain(start);
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        return _outcome;
    }

    private void ThreadMain(TraceStart start)
    {
        try
        {
            _tracerTid = LibC.gettid();
            InstallWakeHandler();
            if (_options.PinToOneCpu) PinSelf();
            if (start.Path is not null) Spawn(start);
            foreach (int pid in start.AttachPids)
                Attach(pid, start.AttachAllThreads && pid != start.AwaitExecPid, pid == start.AwaitExecPid);
            if (start.ReadyDescriptor >= 0)
            {
                // -D: the process waiting on the other end may exec its command now.
                byte one = 1;
                LibC.write(start.ReadyDescriptor, &one, 1);
                LibC.close(start.ReadyDescriptor);
            }
            Loop();
            ReadExecError();
        }
        catch (Exception e)
        {
            _failure = e;
            try { Shutdown(); } catch (Exception) { /* the original failure is what the user needs */ }
        }
        finally
        {
            _running = false;
            if (_execErrnoFd >= 0) LibC.close(_execErrnoFd);
            // The tracer ran on the caller's thread: give it back its CPUs.
            if (PinnedCpu >= 0)
                fixed (ulong* original = _originalMask)
                    LibC.sched_setaffinity(0, 128, original);
        }
    }

    private static void InstallWakeHandler()
    {
        SigAction act = default;
        act.sa_handler = LibC.NoOpHandler;
        act.sa_flags = 0; // no SA_RESTART: waitpid returns EINTR
        LibC.sigaction(WakeSignal, &act, null);
    }

    /// <summary>The tracer's CPU mask before pinning, given back to everyone by <see cref="Unpin"/>.</summary>
    private readonly ulong[] _originalMask = new ulong[16];

    private void PinSelf()
    {
        int cpu = LibC.sched_getcpu();
        if (cpu < 0 || cpu >= 1024) return;
        fixed (ulong* original = _originalMask)
            if (LibC.sched_getaffinity(0, 128, original) < 0) return;
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (LibC.sched_setaffinity(0, 128, mask) == 0) PinnedCpu = cpu;
    }

    private void PinTracee(int pid)
    {
        if (PinnedCpu < 0) return;
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[PinnedCpu / 64] = 1UL << (PinnedCpu % 64);
        LibC.sched_setaffinity(pid, 128, mask);
    }

    /// <summary>
    /// One CPU is right for one task (the tracer and the tracee wake each other on the same CPU),
    /// wrong for several: a traced `make -j` must keep its parallelism. So the first fork or clone
    /// gives the tracer and every tracee (the new one included) the original mask back.
    /// </summary>
    private void Unpin(int newTid)
    {
        if (PinnedCpu < 0) return;
        PinnedCpu = -1;
        fixed (ulong* original = _originalMask)
        {
            LibC.sched_setaffinity(0, 128, original);
            foreach (int tid in _threads.Keys) LibC.sched_setaffinity(tid, 128, original);
            LibC.sched_setaffinity(newTid, 128, original);
        }
    }

    private int Options(bool spawned)
    {
        int o = LibC.PTRACE_O_TRACESYSGOOD | LibC.PTRACE_O_TRACEEXEC;
        if (spawned) o |= LibC.PTRACE_O_EXITKILL;
        if (_options.FollowForks) o |= LibC.PTRACE_O_TRACEFORK | LibC.PTRACE_O_TRACEVFORK | LibC.PTRACE_O_TRACECLONE;
        if (_seccomp && spawned) o |= LibC.PTRACE_O_TRACESECCOMP;
        return o;
    }

    // ---------------------------------------------------------------- spawn

    private void Spawn(TraceStart start)
    {
        // The child inherits this process's environment straight from libc's environ (no copy)
        // unless the caller gave one.
        byte** inherited = start.Environment is null ? ProcessEnviron() : null;
        var env = start.Environment ?? (inherited is null ? CurrentEnvironment() : []);
        var argv = start.Arguments.Count > 0 ? start.Arguments : [start.Path!];
        // Everything the child touches lives in one native block, written before fork.
        var strings = new List<byte[]>();
        byte[] path = Encoding.UTF8.GetBytes(start.Path + "\0");
        int total = path.Length;
        foreach (var s in argv.Concat(env)) { var b = Encoding.UTF8.GetBytes(s + "\0"); strings.Add(b); total += b.Length; }
        SockFilter[] bpf = _seccomp ? SeccompProgram.Build(_options.SeccompSelection!) : [];
        var runAs = start.RunAs;
        int ngroups = runAs?.Groups.Count ?? 0;
        nint blockSize = total + (argv.Count + env.Count + 2) * sizeof(nint) + bpf.Length * sizeof(SockFilter) + ngroups * sizeof(uint) + 512;
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)blockSize);
        int* pipe = stackalloc int[2];
        if (LibC.pipe2(pipe, LibC.O_CLOEXEC) < 0) throw new TraceStartException("pipe2: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError()), Marshal.GetLastSystemError());
        try
        {
            byte* p = block;
            byte* cpath = p; path.CopyTo(new Span<byte>(p, path.Length)); p += path.Length;
            p = (byte*)(((nint)p + 15) & ~15);
            byte** cargv = (byte**)p; p += (argv.Count + 1) * sizeof(nint);
            byte** cenv = (byte**)p; p += (env.Count + 1) * sizeof(nint);
            SockFilter* filter = (SockFilter*)p; p += bpf.Length * sizeof(SockFilter);
            p = (byte*)(((nint)p + 15) & ~15);
            SockFprog* fprog = (SockFprog*)p; p += 16;
            SigAction* dfl = (SigAction*)p; p += sizeof(SigAction);
            p = (byte*)(((nint)p + 15) & ~15);
            byte* emptySet = p; p += 128;
            uint* groups = (uint*)p; p += ngroups * sizeof(uint);
            for (int i = 0; i < ngroups; i++) groups[i] = runAs!.Groups[i];
            for (int i = 0; i < strings.Count; i++)
            {
                strings[i].CopyTo(new Span<byte>(p, strings[i].Length));
                if (i < argv.Count) cargv[i] = p; else cenv[i - argv.Count] = p;
                p += strings[i].Length;
            }
            cargv[argv.Count] = null;
            cenv[env.Count] = null;
            if (inherited is not null) cenv = inherited;
            for (int i = 0; i < bpf.Length; i++) filter[i] = bpf[i];
            fprog->len = (ushort)bpf.Length;
            fprog->filter = filter;
            int errFd = pipe[1];
            bool useSeccomp = _seccomp;
            bool setIds = runAs is not null;
            nint uid = (nint)(runAs?.Uid ?? 0), euid = (nint)(runAs?.EffectiveUid ?? 0);
            nint gid = (nint)(runAs?.Gid ?? 0), egid = (nint)(runAs?.EffectiveGid ?? 0);

            var c = s_child.Value;
            int pid = c.Fork();
            if (pid == 0)
            {
                // The child: raw libc calls on native memory only, nothing that needs the runtime
                // (see ChildCalls). A failure reports {stage, errno} on the CLOEXEC pipe, _exit(127).
                int* msg = stackalloc int[2];
                c.Sigprocmask(LibC.SIG_SETMASK, emptySet, null);
                for (int sig = 1; sig < 32; sig++)
                    if (sig != SIGKILL && sig != SIGSTOP) c.Sigaction(sig, dfl, null);
                msg[0] = 0;
                bool ready = c.Ptrace(LibC.PTRACE_TRACEME, 0, 0, 0) >= 0;
                if (ready && setIds)
                {
                    // -u: groups first, while still privileged, then gid, then uid (as strace).
                    msg[0] = 4;
                    ready = c.Syscall(LibC.SYS_setgroups, ngroups, (nint)groups, 0) >= 0;
                    if (ready) { msg[0] = 5; ready = c.Syscall(LibC.SYS_setregid, gid, egid, 0) >= 0; }
                    if (ready) { msg[0] = 6; ready = c.Syscall(LibC.SYS_setreuid, uid, euid, 0) >= 0; }
                }
                if (ready)
                {
                    c.Kill(c.Getpid(), SIGSTOP);
                    msg[0] = 1;
                    if (!useSeccomp || c.Prctl(LibC.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) >= 0)
                    {
                        msg[0] = 2;
                        if (!useSeccomp || c.Prctl(LibC.PR_SET_SECCOMP, LibC.SECCOMP_MODE_FILTER, (nuint)fprog, 0, 0) >= 0)
                        {
                            msg[0] = 3;
                            c.Execve(cpath, cargv, cenv);
                        }
                    }
                }
                msg[1] = *c.ErrnoLocation();
                c.Write(errFd, (byte*)msg, 8);
                c.Exit(127);
            }
            if (pid < 0)
            {
                int e = Marshal.GetLastSystemError();
                throw new TraceStartException("fork: " + Marshal.GetPInvokeErrorMessage(e), e);
            }
            LibC.close(pipe[1]);
            pipe[1] = -1;
            _execErrnoFd = pipe[0];
            _spawnedPid = pid;

            int status;
            int r;
            do r = LibC.waitpid(pid, &status, LibC.__WALL); while (r < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
            if (r != pid || !WIfStopped(status))
            {
                ReadExecError();
                if (_failStage is >= 4 and <= 6)
                    throw new TraceStartException((_failStage == 4 ? "setgroups: " : _failStage == 5 ? "setregid: " : "setreuid: ") + Marshal.GetPInvokeErrorMessage(_outcome.ExecErrno), _outcome.ExecErrno);
                throw new TraceStartException("the child did not stop for tracing" + StageText(), _outcome.ExecErrno);
            }
            if (LibC.ptrace(LibC.PTRACE_SETOPTIONS, pid, 0, Options(spawned: true)) < 0)
            {
                int e = Marshal.GetLastSystemError();
                LibC.kill(pid, SIGKILL);
                LibC.waitpid(pid, &status, LibC.__WALL);
                throw new TraceStartException("ptrace(PTRACE_SETOPTIONS): " + Marshal.GetPInvokeErrorMessage(e), e);
            }
            PinTracee(pid);
            var t = new TraceeThread(pid, pid, attached: false) { ExecPending = true };
            _threads[pid] = t;
            _handler.OnNewTracee(t, null);
            Resume(t, 0);
        }
        finally
        {
            if (pipe[1] >= 0) LibC.close(pipe[1]);
            NativeMemory.Free(block);
        }
    }

    private int _failStage = -1;

    private string StageText() => _failStage switch
    {
        0 => " (PTRACE_TRACEME failed)",
        1 => " (prctl(PR_SET_NO_NEW_PRIVS) failed)",
        2 => " (installing the seccomp filter failed)",
        _ => "",
    };

    private void ReadExecError()
    {
        if (_execErrnoFd < 0) return;
        int* msg = stackalloc int[2];
        nint n = LibC.read(_execErrnoFd, (byte*)msg, 8);
        LibC.close(_execErrnoFd);
        _execErrnoFd = -1;
        if (n == 8)
        {
            _failStage = msg[0];
            _outcome = _outcome with { ExecErrno = msg[1] };
        }
    }

    /// <summary>Which stage of the child failed: 0 TRACEME, 1 NO_NEW_PRIVS, 2 seccomp, 3 execve,
    /// 4 setgroups, 5 setregid, 6 setreuid (-u) (-1: none).</summary>
    public int ChildFailureStage => _failStage;

    /// <summary>libc's <c>environ</c>, the environment this process started with, or null if it
    /// cannot be found. The runtime never writes it (Environment.SetEnvironmentVariable changes a
    /// managed copy only, and procscope does not call it), so it is what the user's shell passed.</summary>
    private static byte** ProcessEnviron()
        => NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "environ", out nint p) && p != 0 ? *(byte***)p : null;

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }

    // ---------------------------------------------------------------- attach

    private void Attach(int pid, bool allThreads, bool awaitExec)
    {
        var tids = new List<int> { pid };
        if (allThreads)
        {
            try
            {
                foreach (var d in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                    if (int.TryParse(Path.GetFileName(d), out int tid) && tid != pid) tids.Add(tid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        int tgid = ReadTgid(pid);
        foreach (int tid in tids)
        {
            if (_threads.ContainsKey(tid)) continue;
            if (LibC.ptrace(LibC.PTRACE_SEIZE, tid, 0, Options(spawned: false)) < 0)
            {
                int e = Marshal.GetLastSystemError();
                if (tid != pid && e == ESRCH) continue; // a thread that just exited
                string why = Marshal.GetPInvokeErrorMessage(e);
                if (e == EPERM && TracerPid(pid) is int tracer and > 0) why += $" (already traced by process {tracer})";
                throw new TraceStartException($"attach: ptrace(PTRACE_SEIZE, {tid}): {why}", e);
            }
            var t = new TraceeThread(tid, tgid < 0 ? pid : tgid, attached: true) { ExpectInitialStop = true, ExecPending = awaitExec };
            _threads[tid] = t;
            LibC.ptrace(LibC.PTRACE_INTERRUPT, tid, 0, 0);
            _handler.OnNewTracee(t, null);
        }
    }

    private static int? TracerPid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("TracerPid:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(10).Trim(), out int t)) return t;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The thread group of a thread (/proc/TID/status Tgid), -1 when unreadable.</summary>
    private static int ReadTgid(int tid)
    {
        byte* buf = stackalloc byte[512];
        Span<byte> path = stackalloc byte[40];
        int len = Encoding.ASCII.GetBytes($"/proc/{tid}/status\0", path);
        int fd;
        fixed (byte* p = path) fd = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) return -1;
        nint n = LibC.read(fd, buf, 512);
        LibC.close(fd);
        if (n <= 0) return -1;
        var s = new ReadOnlySpan<byte>(buf, (int)n);
        int at = s.IndexOf("\nTgid:"u8);
        if (at < 0) return -1;
        s = s[(at + 6)..];
        int v = 0;
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t')) i++;
        for (; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
        return v;
    }

    // ---------------------------------------------------------------- the loop

    private void Loop()
    {
        int status;
        Rusage usage = default;
        bool idle = !_handler.WantsIdleCallbacks;
        bool wantsIdle = !idle;
        while (_threads.Count > 0)
        {
            if (_stopRequested && !_stopHandled) BeginStop();
            int tid = _options.CollectSystemTime
                ? LibC.wait4(-1, &status, LibC.__WALL | (idle ? 0 : LibC.WNOHANG), &usage)
                : LibC.waitpid(-1, &status, LibC.__WALL | (idle ? 0 : LibC.WNOHANG));
            if (tid == 0)
            {
                _handler.OnIdle();
                idle = true;
                continue;
            }
            idle = !wantsIdle;
            if (tid < 0)
            {
                int e = Marshal.GetLastSystemError();
                if (e == Errno.EINTR) continue;
                if (e == ECHILD) break;
                throw new InvalidOperationException($"waitpid: {Marshal.GetPInvokeErrorMessage(e)}");
            }
            Dispatch(tid, status, _options.CollectSystemTime ? usage.ru_stime.tv_sec * 1_000_000 + usage.ru_stime.tv_usec : -1);
        }
        _handler.OnIdle();
    }

    private static bool WIfStopped(int status) => (status & 0xff) == 0x7f;
    private static bool WIfExited(int status) => (status & 0x7f) == 0;

    /// <summary>Handles one wait status; <paramref name="systemTime"/> is the process's system time
    /// wait4 reported with it (µs; -1: not collected).</summary>
    private void Dispatch(int tid, int status, long systemTime)
    {
        if (!_threads.TryGetValue(tid, out var t))
        {
            // A new child's first stop can arrive before its parent's fork/clone event.
            if (!WIfStopped(status)) return;
            int tgid = ReadTgid(tid);
            t = new TraceeThread(tid, tgid < 0 ? tid : tgid, attached: false) { ExpectInitialStop = true };
            _threads[tid] = t;
            _handler.OnNewTracee(t, null);
        }
        if (!WIfStopped(status))
        {
            _threads.Remove(tid);
            t.Gone = true;
            if (WIfExited(status))
            {
                int code = (status >> 8) & 0xff;
                if (tid == _spawnedPid) _outcome = _outcome with { ExitCode = code };
                _handler.OnExited(t, code);
            }
            else
            {
                int sig = status & 0x7f;
                bool core = (status & 0x80) != 0;
                if (tid == _spawnedPid) _outcome = _outcome with { Signal = sig, CoreDumped = core };
                _handler.OnKilled(t, sig, core);
            }
            return;
        }
        int stopSig = (status >> 8) & 0xff;
        int evt = (status >> 16) & 0xff;
        if (systemTime >= 0) t.SystemTimeMicroseconds = systemTime;
        if (t.Detaching)
        {
            bool realSignal = evt == 0 && stopSig != (SIGTRAP | 0x80) && t.TryGetSignalInfo(out _);
            Detach(t, realSignal ? stopSig : 0);
            return;
        }
        int inject = 0;
        if (stopSig == (SIGTRAP | 0x80))
        {
            SyscallStop(t);
            // A signal the handler asked for (strace's inject signal=); sent by the kernel at a
            // syscall stop's resume, unlike at a PTRACE_EVENT stop, so it is given at syscall-exit.
            inject = t.SignalOnResume;
            t.SignalOnResume = 0;
        }
        else if (evt != 0)
        {
            switch (evt)
            {
                case LibC.PTRACE_EVENT_FORK:
                case LibC.PTRACE_EVENT_VFORK:
                case LibC.PTRACE_EVENT_CLONE:
                    NewChild(t, evt);
                    break;
                case LibC.PTRACE_EVENT_EXEC:
                    t = Exec(t);
                    if (t.Gone) return; // detached (-b execve)
                    break;
                case LibC.PTRACE_EVENT_SECCOMP:
                    SyscallStop(t);
                    break;
                case LibC.PTRACE_EVENT_STOP:
                    if (t.ExpectInitialStop) { t.ExpectInitialStop = false; break; }
                    if (stopSig is SIGSTOP or SIGTSTP or SIGTTIN or SIGTTOU)
                    {
                        // A group-stop of a seized thread: stay stopped until SIGCONT (PTRACE_LISTEN).
                        _handler.OnGroupStop(t, stopSig);
                        LibC.ptrace_fast(LibC.PTRACE_LISTEN, t.Tid, 0, 0);
                        return;
                    }
                    break;
            }
        }
        else if (t.ExpectInitialStop && stopSig == SIGSTOP)
        {
            t.ExpectInitialStop = false;
        }
        else
        {
            // Before its first execve a thread is not shown (-D: the .NET runtime's own signals).
            if (t.TryGetSignalInfo(out var si)) inject = t.ExecPending ? si.si_signo : _handler.OnSignal(t, si);
            else if (!t.ExecPending) _handler.OnGroupStop(t, stopSig); // PTRACE_GETSIGINFO fails in a group-stop
        }
        Resume(t, inject);
    }

    private void SyscallStop(TraceeThread t)
    {
        fixed (PtraceSyscallInfo* info = &_info)
        {
            if (LibC.ptrace_fast(LibC.PTRACE_GET_SYSCALL_INFO, t.Tid, sizeof(PtraceSyscallInfo), (nint)info) <= 0) return;
            switch (info->op)
            {
                case PtraceSyscallInfo.OpEntry:
                case PtraceSyscallInfo.OpSeccomp:
                    t.InSyscall = true;
                    t.Abi = info->arch == SeccompProgram.AuditArchI386 ? SyscallAbi.I386 : SyscallAbi.X64;
                    t.SyscallNumber = (long)info->nr;
                    if (t.ExecPending && !IsExec(t)) { t.Hidden = true; return; }
                    t.Hidden = false;
                    _handler.OnSyscallEntry(t, in *info);
                    break;
                case PtraceSyscallInfo.OpExit:
                    if (!t.InSyscall) return;
                    t.InSyscall = false;
                    if (t.Hidden) { t.Hidden = false; return; }
                    _handler.OnSyscallExit(t, in *info);
                    break;
            }
        }
    }

    private static bool IsExec(TraceeThread t) =>
        t.Abi == SyscallAbi.X64 ? t.SyscallNumber is 59 or 322 : t.SyscallNumber is 11 or 358;

    private void NewChild(TraceeThread parent, int evt)
    {
        ulong msg;
        if (LibC.ptrace_fast(LibC.PTRACE_GETEVENTMSG, parent.Tid, 0, (nint)(&msg)) < 0) return;
        int tid = (int)msg;
        Unpin(tid);
        if (_threads.ContainsKey(tid)) return; // its first stop came first; already announced
        int tgid = evt == LibC.PTRACE_EVENT_CLONE ? ReadTgid(tid) : tid;
        var child = new TraceeThread(tid, tgid < 0 ? tid : tgid, parent.Attached) { ExpectInitialStop = true };
        _threads[tid] = child;
        _handler.OnNewTracee(child, parent);
    }

    private TraceeThread Exec(TraceeThread t)
    {
        ulong msg;
        int former = t.Tid;
        if (LibC.ptrace_fast(LibC.PTRACE_GETEVENTMSG, t.Tid, 0, (nint)(&msg)) >= 0) former = (int)msg;
        TraceeThread? replaced = null;
        if (former != t.Tid && _threads.TryGetValue(former, out var execer))
        {
            // A non-leader thread called execve: it now has the leader's id; the old leader is gone
            // without an exit report.
            replaced = t;
            _threads.Remove(former);
            replaced.Gone = true;
            execer.Tid = t.Tid;
            execer.Tgid = t.Tid;
            _threads[t.Tid] = execer;
            t = execer;
        }
        bool first = t.ExecPending;
        t.ExecPending = false;
        _handler.OnExec(t, former, replaced);
        if (_options.DetachOnExec && !first)
        {
            // Left running untraced: give it the CPUs the pinning took away.
            fixed (ulong* original = _originalMask)
                if (PinnedCpu >= 0) LibC.sched_setaffinity(t.Tid, 128, original);
            Detach(t, 0);
        }
        return t;
    }

    private void Resume(TraceeThread t, int signal)
    {
        int request = !_options.StopAtSyscalls ? LibC.PTRACE_CONT
            : _seccomp && !t.InSyscall && !t.Attached ? LibC.PTRACE_CONT
            : LibC.PTRACE_SYSCALL;
        LibC.ptrace_fast(request, t.Tid, 0, signal);
        // ESRCH: killed meanwhile (SIGKILL, or another thread's exit_group); its exit is reported next.
    }

    // ---------------------------------------------------------------- stopping

    private void BeginStop()
    {
        Volatile.Write(ref _stopHandled, true);
        foreach (var t in _threads.Values)
        {
            if (t.Attached)
            {
                t.Detaching = true;
                LibC.ptrace(LibC.PTRACE_INTERRUPT, t.Tid, 0, 0);
            }
            else
            {
                LibC.kill(t.Tgid, SIGKILL);
            }
        }
    }

    private void Detach(TraceeThread t, int signal)
    {
        LibC.ptrace(LibC.PTRACE_DETACH, t.Tid, 0, signal);
        _threads.Remove(t.Tid);
        t.Gone = true;
        _handler.OnDetached(t);
    }

    /// <summary>After a failure: detach what was attached, kill what was spawned, reap, without hooks.</summary>
    private void Shutdown()
    {
        if (_threads.Count == 0) return;
        foreach (var t in _threads.Values)
        {
            if (t.Attached) { t.Detaching = true; LibC.ptrace(LibC.PTRACE_INTERRUPT, t.Tid, 0, 0); }
            else LibC.kill(t.Tgid, SIGKILL);
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
            if (t.Detaching)
            {
                int evt = (status >> 16) & 0xff, sig = (status >> 8) & 0xff;
                bool real = evt == 0 && sig != (SIGTRAP | 0x80) && t.TryGetSignalInfo(out _);
                LibC.ptrace(LibC.PTRACE_DETACH, tid, 0, real ? sig : 0);
                _threads.Remove(tid);
            }
            else
            {
                LibC.ptrace(LibC.PTRACE_CONT, tid, 0, 0);
            }
        }
    }
}
