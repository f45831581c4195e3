using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>
/// Imports for the ptrace engine (Tracing/): ptrace(2), waitpid(2), process_vm_readv(2), CPU affinity,
/// and the raw calls a forked child makes before execve(2).
/// </summary>
internal static unsafe partial class LibC
{
    public const int PTRACE_TRACEME = 0;
    public const int PTRACE_PEEKDATA = 2;
    public const int PTRACE_PEEKUSER = 3;
    public const int PTRACE_POKEDATA = 5;
    public const int PTRACE_CONT = 7;
    public const int PTRACE_KILL = 8;
    public const int PTRACE_SINGLESTEP = 9;
    public const int PTRACE_GETREGS = 12;
    public const int PTRACE_SETREGS = 13;
    public const int PTRACE_ATTACH = 16;
    public const int PTRACE_DETACH = 17;
    public const int PTRACE_SYSCALL = 24;
    public const int PTRACE_SETOPTIONS = 0x4200;
    public const int PTRACE_GETEVENTMSG = 0x4201;
    public const int PTRACE_GETSIGINFO = 0x4202;
    public const int PTRACE_SETSIGINFO = 0x4203;
    public const int PTRACE_SEIZE = 0x4206;
    public const int PTRACE_INTERRUPT = 0x4207;
    public const int PTRACE_LISTEN = 0x4208;
    public const int PTRACE_GET_SYSCALL_INFO = 0x420e;

    public const int PTRACE_O_TRACESYSGOOD = 0x01;
    public const int PTRACE_O_TRACEFORK = 0x02;
    public const int PTRACE_O_TRACEVFORK = 0x04;
    public const int PTRACE_O_TRACECLONE = 0x08;
    public const int PTRACE_O_TRACEEXEC = 0x10;
    public const int PTRACE_O_TRACEVFORKDONE = 0x20;
    public const int PTRACE_O_TRACEEXIT = 0x40;
    public const int PTRACE_O_TRACESECCOMP = 0x80;
    public const int PTRACE_O_EXITKILL = 0x100000;

    public const int PTRACE_EVENT_FORK = 1;
    public const int PTRACE_EVENT_VFORK = 2;
    public const int PTRACE_EVENT_CLONE = 3;
    public const int PTRACE_EVENT_EXEC = 4;
    public const int PTRACE_EVENT_VFORK_DONE = 5;
    public const int PTRACE_EVENT_EXIT = 6;
    public const int PTRACE_EVENT_SECCOMP = 7;
    public const int PTRACE_EVENT_STOP = 0x80;

    public const int __WALL = 0x40000000;
    public const int WNOHANG = 1;

    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_SET_SECCOMP = 22;
    public const int SECCOMP_MODE_FILTER = 2;

    public const int SIG_BLOCK = 0;
    public const int SIG_SETMASK = 2;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long ptrace(long request, int pid, nint addr, nint data);

    /// <summary>ptrace for the short, never-blocking requests of the per-stop path (restart, syscall info, regs).</summary>
    [LibraryImport(Lib, EntryPoint = "ptrace", SetLastError = true)]
    [SuppressGCTransition]
    public static partial long ptrace_fast(long request, int pid, nint addr, nint data);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint process_vm_readv(int pid, IoVec* local, nuint liovcnt, IoVec* remote, nuint riovcnt, nuint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint process_vm_writev(int pid, IoVec* local, nuint liovcnt, IoVec* remote, nuint riovcnt, nuint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_setaffinity(int pid, nuint size, ulong* mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_getaffinity(int pid, nuint size, ulong* mask);

    [LibraryImport(Lib)]
    public static partial int sched_getcpu();

    [LibraryImport(Lib)]
    public static partial int gettid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tgkill(int tgid, int tid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    /// <summary>getxattr(2): "system.sockprotoname" of a /proc/PID/fd/N socket link names its protocol ("TCP").</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint getxattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sigaction(int sig, SigAction* act, SigAction* oldact);

    /// <summary>glibc's getpid, used as a do-nothing signal handler: installing it without SA_RESTART
    /// makes a blocking waitpid on the tracer thread return EINTR (see Tracer.Wake).</summary>
    public static nint NoOpHandler => s_noOp.Value;

    private static readonly Lazy<nint> s_noOp = new(() => NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid"));

}

/// <summary>
/// The libc functions a forked child calls before execve, as unmanaged function pointers resolved in
/// the parent. Why not [LibraryImport]: in the child only the forking thread exists, so nothing may
/// need the runtime there. A LibraryImport stub binds its symbol lazily on first call (and under a JIT
/// is itself compiled lazily), and a normal P/Invoke return polls for a GC suspension that no thread
/// would ever finish. A SuppressGCTransition call through a function pointer is a plain machine call
/// compiled into the calling method. glibc's ptrace and prctl are variadic; on x86_64 the variadic
/// convention for integer arguments is the fixed one.
/// </summary>
internal unsafe struct ChildCalls
{
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int> Fork;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<long, int, nint, nint, long> Ptrace;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, nuint, nuint, nuint, nuint, int> Prctl;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, int, int> Kill;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int> Getpid;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, byte*, byte*, int> Sigprocmask;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, SigAction*, SigAction*, int> Sigaction;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte**, byte**, int> Execve;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int*> ErrnoLocation;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, byte*, nint, nint> Write;
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<int, void> Exit;
    /// <summary>syscall(2): the raw setgroups/setregid/setreuid of -u (glibc's wrappers would
    /// signal every thread for a set*id change; the child has one thread, the kernel call is enough).</summary>
    public delegate* unmanaged[Cdecl, SuppressGCTransition]<long, nint, nint, nint, long> Syscall;

    public static ChildCalls Resolve()
    {
        nint lib = NativeLibrary.Load("libc.so.6");
        return new ChildCalls
        {
            Fork = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int>)NativeLibrary.GetExport(lib, "fork"),
            Ptrace = (delegate* unmanaged[Cdecl, SuppressGCTransition]<long, int, nint, nint, long>)NativeLibrary.GetExport(lib, "ptrace"),
            Prctl = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, nuint, nuint, nuint, nuint, int>)NativeLibrary.GetExport(lib, "prctl"),
            Kill = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, int, int>)NativeLibrary.GetExport(lib, "kill"),
            Getpid = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int>)NativeLibrary.GetExport(lib, "getpid"),
            Sigprocmask = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, byte*, byte*, int>)NativeLibrary.GetExport(lib, "sigprocmask"),
            Sigaction = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, SigAction*, SigAction*, int>)NativeLibrary.GetExport(lib, "sigaction"),
            Execve = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte**, byte**, int>)NativeLibrary.GetExport(lib, "execve"),
            ErrnoLocation = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int*>)NativeLibrary.GetExport(lib, "__errno_location"),
            Write = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, byte*, nint, nint>)NativeLibrary.GetExport(lib, "write"),
            Exit = (delegate* unmanaged[Cdecl, SuppressGCTransition]<int, void>)NativeLibrary.GetExport(lib, "_exit"),
            Syscall = (delegate* unmanaged[Cdecl, SuppressGCTransition]<long, nint, nint, nint, long>)NativeLibrary.GetExport(lib, "syscall"),
        };
    }
}
