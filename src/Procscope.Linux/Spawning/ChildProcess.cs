using System.Runtime.InteropServices;
using System.Text;
using Procscope.Core.Process;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Spawning;

/// <summary>
/// A child started with posix_spawnp(3) and reaped with wait4(2), so its struct rusage is ours.
/// Never System.Diagnostics.Process: the runtime reaps the children it starts itself, and the
/// rusage is lost. glibc's posix_spawn uses clone(CLONE_VM|CLONE_VFORK): no managed code runs in
/// the child between fork and exec.
/// </summary>
/// <remarks>
/// The .NET runtime ignores SIGPIPE and may block signals on the calling thread; an ignored
/// disposition survives exec, so every signal is reset to its default and the mask is emptied in
/// the child (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), as a shell would start it.
/// </remarks>
public sealed class ChildProcess
{
    private readonly Lock _lock = new();
    private bool _reaped;

    private ChildProcess(int pid) => Pid = pid;

    public int Pid { get; }

    private static readonly Lazy<nint> s_environ = new(() =>
    {
        nint lib = NativeLibrary.Load("libc.so.6");
        return NativeLibrary.GetExport(lib, "environ");
    });

    /// <summary>
    /// Starts <paramref name="argv"/>[0], searched on PATH like execvp(3), with this process's
    /// environment. Returns 0 and the child, or the errno of the failure (ENOENT: not found,
    /// EACCES/ENOEXEC: not executable).
    /// </summary>
    public static unsafe int TrySpawn(IReadOnlyList<string> argv, out ChildProcess? child)
    {
        child = null;
        if (argv.Count == 0) throw new ArgumentException("empty command", nameof(argv));
        // One native block: the strings, then the argv pointer array.
        var encoded = new byte[argv.Count][];
        int total = 0;
        for (int i = 0; i < argv.Count; i++)
        {
            encoded[i] = Encoding.UTF8.GetBytes(argv[i] + "\0");
            total += encoded[i].Length;
        }
        byte* block = (byte*)NativeMemory.Alloc((nuint)(total + (argv.Count + 1) * sizeof(nint) + LibC.SpawnAttrBytes + 2 * LibC.SigSetBytes + 64));
        try
        {
            byte** ptrs = (byte**)(((nint)block + total + 7) & ~7);
            byte* attr = (byte*)(ptrs + argv.Count + 1);
            attr = (byte*)(((nint)attr + 15) & ~15);
            byte* defaults = attr + LibC.SpawnAttrBytes;
            byte* mask = defaults + LibC.SigSetBytes;
            byte* p = block;
            for (int i = 0; i < argv.Count; i++)
            {
                encoded[i].CopyTo(new Span<byte>(p, encoded[i].Length));
                ptrs[i] = p;
                p += encoded[i].Length;
            }
            ptrs[argv.Count] = null;

            LibC.posix_spawnattr_init(attr);
            LibC.sigfillset(defaults);
            LibC.sigemptyset(mask);
            LibC.posix_spawnattr_setsigdefault(attr, defaults);
            LibC.posix_spawnattr_setsigmask(attr, mask);
            LibC.posix_spawnattr_setflags(attr, LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK);
            int pid;
            byte** envp = *(byte***)s_environ.Value;
            int rc = LibC.posix_spawnp(&pid, ptrs[0], null, attr, ptrs, envp);
            LibC.posix_spawnattr_destroy(attr);
            if (rc != 0) return rc;
            child = new ChildProcess(pid);
            return 0;
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    /// <summary>Blocks until the child exits (or is killed) and reaps it: its status and resource usage.</summary>
    public unsafe (WaitStatus Status, ResourceUsage Usage) Wait()
    {
        int status;
        Rusage ru;
        while (true)
        {
            int r = LibC.wait4(Pid, &status, 0, &ru);
            if (r == Pid) break;
            int errno = Marshal.GetLastSystemError();
            if (r < 0 && errno == Errno.EINTR) continue;
            throw new InvalidOperationException($"wait4({Pid}) failed: errno {errno}");
        }
        lock (_lock) _reaped = true;
        var usage = new ResourceUsage(
            ru.ru_utime.tv_sec * 1_000_000 + ru.ru_utime.tv_usec,
            ru.ru_stime.tv_sec * 1_000_000 + ru.ru_stime.tv_usec,
            ru.ru_maxrss, ru.ru_ixrss, ru.ru_idrss, ru.ru_isrss, ru.ru_minflt, ru.ru_majflt, ru.ru_nswap,
            ru.ru_inblock, ru.ru_oublock, ru.ru_msgsnd, ru.ru_msgrcv, ru.ru_nsignals, ru.ru_nvcsw, ru.ru_nivcsw);
        return (new WaitStatus(status), usage);
    }

    /// <summary>
    /// Sends a signal unless the child was already reaped (its pid may then belong to another
    /// process). Until wait4 returns, the pid is ours: a dead child stays a zombie.
    /// </summary>
    public bool Signal(int signal)
    {
        lock (_lock)
        {
            if (_reaped) return false;
            return LibC.kill(Pid, signal) == 0;
        }
    }

    /// <summary>
    /// True when this process is in the foreground process group of the terminal on stdin: then
    /// a Ctrl-C from that terminal reached the whole group, the child included, and forwarding
    /// SIGINT would deliver it twice.
    /// </summary>
    public static bool InForegroundOfTerminal()
    {
        int fg = LibC.tcgetpgrp(0);
        return fg > 0 && fg == LibC.getpgrp();
    }

    /// <summary>
    /// Resets this process's peak RSS (VmHWM) to its current RSS (/proc/self/clear_refs "5", Linux 4.0+).
    /// Why: a child started through vfork (posix_spawn) records the mm it execs away from, which is
    /// ours, into its own maximum RSS (fs/exec.c exec_mmap → setmax_mm_hiwater_rss), so its
    /// ru_maxrss is never below our high-water mark. GNU time's fork has the same floor at its own
    /// (smaller) size. Returns false where the file cannot be written.
    /// </summary>
    public static unsafe bool ResetOwnPeakRss()
    {
        int fd;
        fixed (byte* p = "/proc/self/clear_refs\0"u8) fd = LibC.open(p, LibC.O_WRONLY | LibC.O_CLOEXEC);
        if (fd < 0) return false;
        bool ok;
        fixed (byte* b = "5"u8) ok = LibC.write(fd, b, 1) == 1;
        LibC.close(fd);
        return ok;
    }

    /// <summary>CLOCK_MONOTONIC in nanoseconds.</summary>
    public static unsafe long MonotonicNanoseconds()
    {
        Timespec ts;
        LibC.clock_gettime(LibC.CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec;
    }
}
