using System.Runtime.InteropServices;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// strace -D: the tracer runs as a detached grandchild and the process the user started becomes
/// the command itself, so the command stays the caller's direct child (its parent's wait(2) and
/// job control see it) and the tracer is nobody's child of interest.
/// </summary>
/// <remarks>
/// strace forks, the parent becomes the tracee, and a grandchild attaches to it. A .NET process
/// cannot run managed code in a forked child, so here the grandchild is a new procscope process:
/// this process forks (raw calls only, as in <see cref="Tracer"/>'s spawn), the child forks again
/// and exits, the grandchild (now an orphan, adopted by init) execs procscope in its tracer role
/// with the pid to attach to and the write end of a pipe. Once it has attached (PTRACE_SEIZE, all
/// calls hidden until the execve) it writes one byte; this process, blocked reading the pipe, then
/// resets its signal state and execs the command from its main thread, so the execve is the first
/// line the tracer prints. EOF on the pipe means the tracer failed (it says why on stderr).
/// </remarks>
public static unsafe class DaemonizedStart
{
    private const int SIGKILL = 9, SIGSTOP = 19;

    /// <summary>
    /// Starts the tracer (<c>tracerArguments</c>: its argv after the binary, given the number of the
    /// descriptor to write the ready byte to), waits for it to attach, then execs the command
    /// (<c>path</c>, <c>argv</c>, <c>environment</c>, with <c>runAs</c>'s ids for -u). Returns only
    /// when that fails, with the reason ("" when the tracer failed and said why itself). <c>level</c>
    /// 1 is -D (a grandchild), 2 -DD (also its own process group), 3 -DDD (its own session).
    /// </summary>
    public static string ExecTraced(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, RunAsUser? runAs,
        Func<int, IReadOnlyList<string>> tracerArguments, int level)
    {
        if (LibC.gettid() != LibC.getpid()) return "-D needs the main thread (execve from another thread would replace the traced one)";
        string self = Environment.ProcessPath ?? "/proc/self/exe";
        int* pipe = stackalloc int[2];
        if (LibC.pipe2(pipe, LibC.O_CLOEXEC) < 0) return "pipe2: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError());
        int readyFd = LibC.dup(pipe[1]);
        LibC.close(pipe[1]);
        if (readyFd < 0)
        {
            LibC.close(pipe[0]);
            return "dup: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError());
        }
        var c = ChildCalls.Resolve();
        var tracerArgv = new List<string> { self };
        tracerArgv.AddRange(tracerArguments(readyFd));
        var tracerEnv = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) tracerEnv.Add($"{e.Key}={e.Value}");
        using (var tracer = new NativeStrings(self, tracerArgv, tracerEnv))
        using (var command = new NativeStrings(path, argv, environment))
        {
            SigAction* dfl = stackalloc SigAction[1];
            *dfl = default;
            byte* emptySet = stackalloc byte[128];
            new Span<byte>(emptySet, 128).Clear();
            byte* tracerPath = tracer.Path;
            byte** tracerArgvP = tracer.Argv, tracerEnvp = tracer.Envp;
            int pid = c.Fork();
            if (pid == 0)
            {
                // Raw calls only (see ChildCalls). The child forks the tracer and exits at once.
                int grandchild = c.Fork();
                if (grandchild == 0)
                {
                    if (level == 2) c.Syscall(LibC.SYS_setpgid, 0, 0, 0);
                    else if (level >= 3) c.Syscall(LibC.SYS_setsid, 0, 0, 0);
                    c.Sigprocmask(LibC.SIG_SETMASK, emptySet, null);
                    c.Execve(tracerPath, tracerArgvP, tracerEnvp);
                    c.Exit(127);
                }
                c.Exit(grandchild < 0 ? 1 : 0);
            }
            LibC.close(readyFd);
            if (pid < 0)
            {
                LibC.close(pipe[0]);
                return "fork: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError());
            }
            int status;
            while (LibC.waitpid(pid, &status, 0) < 0 && Marshal.GetLastSystemError() == Errno.EINTR) { }
            byte ready = 0;
            nint n;
            do n = LibC.read(pipe[0], &ready, 1); while (n < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
            LibC.close(pipe[0]);
            if (n != 1) return ""; // the tracer said why on stderr

            // Now traced (every call hidden until the execve): become the command, as the spawn child does.
            c.Sigprocmask(LibC.SIG_SETMASK, emptySet, null);
            for (int sig = 1; sig < 32; sig++)
                if (sig != SIGKILL && sig != SIGSTOP) c.Sigaction(sig, dfl, null);
            if (runAs is not null)
            {
                // Raw calls: they change this thread's ids only, and this thread is the one that execs.
                uint[] groups = [.. runAs.Groups];
                fixed (uint* g = groups)
                {
                    if (c.Syscall(LibC.SYS_setgroups, groups.Length, (nint)g, 0) < 0) return "setgroups: " + Marshal.GetPInvokeErrorMessage(*c.ErrnoLocation());
                }
                if (c.Syscall(LibC.SYS_setregid, (nint)runAs.Gid, (nint)runAs.EffectiveGid, 0) < 0) return "setregid: " + Marshal.GetPInvokeErrorMessage(*c.ErrnoLocation());
                if (c.Syscall(LibC.SYS_setreuid, (nint)runAs.Uid, (nint)runAs.EffectiveUid, 0) < 0) return "setreuid: " + Marshal.GetPInvokeErrorMessage(*c.ErrnoLocation());
            }
            c.Execve(command.Path, command.Argv, command.Envp);
            return "exec: " + Marshal.GetPInvokeErrorMessage(*c.ErrnoLocation());
        }
    }

    /// <summary>A path, argv and envp as NUL-terminated strings in one native block.</summary>
    private sealed class NativeStrings : IDisposable
    {
        private readonly byte* _block;

        public NativeStrings(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
        {
            var all = new List<byte[]> { Encoding.UTF8.GetBytes(path + "\0") };
            foreach (var s in argv) all.Add(Encoding.UTF8.GetBytes(s + "\0"));
            foreach (var s in envp) all.Add(Encoding.UTF8.GetBytes(s + "\0"));
            nint size = (argv.Count + envp.Count + 2) * sizeof(nint);
            foreach (var b in all) size += b.Length;
            _block = (byte*)NativeMemory.AllocZeroed((nuint)size);
            Argv = (byte**)_block;
            Envp = Argv + argv.Count + 1;
            byte* p = (byte*)(Envp + envp.Count + 1);
            for (int i = 0; i < all.Count; i++)
            {
                all[i].CopyTo(new Span<byte>(p, all[i].Length));
                if (i == 0) Path = p;
                else if (i <= argv.Count) Argv[i - 1] = p;
                else Envp[i - 1 - argv.Count] = p;
                p += all[i].Length;
            }
        }

        public byte* Path { get; }
        public byte** Argv { get; }
        public byte** Envp { get; }

        public void Dispose() => NativeMemory.Free(_block);
    }
}
