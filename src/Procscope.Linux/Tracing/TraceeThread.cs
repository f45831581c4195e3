using System.Runtime.InteropServices;
using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// One traced thread (a "tracee" in ptrace(2)'s words). Every method must be called on the tracer
/// thread, and only while this thread is in a ptrace-stop (inside a <see cref="TraceHandler"/> hook).
/// </summary>
public sealed unsafe class TraceeThread : ITraceeMemory
{
    internal TraceeThread(int tid, int tgid, bool attached)
    {
        Tid = tid;
        Tgid = tgid;
        Attached = attached;
    }

    /// <summary>The thread id (what strace prints in "[pid N]").</summary>
    public int Tid { get; internal set; }
    /// <summary>The process id (thread group id) the thread belongs to.</summary>
    public int Tgid { get; internal set; }
    /// <summary>True when attached with -p (detached, never killed, when tracing stops).</summary>
    public bool Attached { get; }
    /// <summary>Between a syscall-entry (or seccomp) stop and its syscall-exit stop.</summary>
    public bool InSyscall { get; internal set; }
    /// <summary>The ABI of the call in flight (from PTRACE_GET_SYSCALL_INFO at entry).</summary>
    public SyscallAbi Abi { get; internal set; }
    /// <summary>The number of the call in flight.</summary>
    public long SyscallNumber { get; internal set; }
    /// <summary>Free for the handler: per-thread state (e.g. its SyscallCall).</summary>
    public object? Tag { get; set; }

    /// <summary>With <see cref="TracerOptions.CollectSystemTime"/>: the system CPU time, in µs, of this
    /// thread's process (its threads and reaped children: wait4's RUSAGE_BOTH for a stopped child)
    /// when it last stopped; -1 when not collected.</summary>
    public long SystemTimeMicroseconds { get; internal set; } = -1;

    private const int EFAULT = 14, ENOSYS = 38;

    /// <summary>A signal to send when the thread is resumed from its current system call stop
    /// (strace -e inject=…:signal=SIG); the kernel delivers it as from SI_KERNEL. Consumed by the resume.</summary>
    public int SignalOnResume { get; set; }

    internal bool ExpectInitialStop;
    internal bool ExecPending;
    internal bool Hidden;
    internal bool Detaching;
    internal bool Gone;
    internal bool ProcessVmUnavailable;

    /// <summary>PTRACE_GETREGS.</summary>
    public bool TryGetRegisters(out UserRegs regs)
    {
        fixed (UserRegs* p = &regs)
            return LibC.ptrace_fast(LibC.PTRACE_GETREGS, Tid, 0, (nint)p) >= 0;
    }

    /// <summary>PTRACE_SETREGS.</summary>
    public bool TrySetRegisters(in UserRegs regs)
    {
        fixed (UserRegs* p = &regs)
            return LibC.ptrace_fast(LibC.PTRACE_SETREGS, Tid, 0, (nint)p) >= 0;
    }

    /// <summary>The instruction pointer at the current stop (PTRACE_GET_SYSCALL_INFO, which answers
    /// at every kind of stop), for strace -i.</summary>
    public bool TryGetInstructionPointer(out ulong ip)
    {
        PtraceSyscallInfo info;
        ip = 0;
        if (LibC.ptrace_fast(LibC.PTRACE_GET_SYSCALL_INFO, Tid, sizeof(PtraceSyscallInfo), (nint)(&info)) <= 0) return false;
        ip = info.instruction_pointer;
        return true;
    }

    /// <summary>
    /// At a syscall-entry (or seccomp) stop: replaces the call's number (orig_rax), one
    /// PTRACE_POKEUSER. −1 makes the kernel skip the call and return −ENOSYS (strace's tampering).
    /// </summary>
    public bool TrySetSyscallNumber(long number) =>
        LibC.ptrace_fast(LibC.PTRACE_POKEUSER, Tid, LibC.UserOrigRaxOffset, (nint)number) >= 0;

    /// <summary>At a syscall-exit stop: replaces the call's return value (rax), one PTRACE_POKEUSER.</summary>
    public bool TrySetReturnValue(long value) =>
        LibC.ptrace_fast(LibC.PTRACE_POKEUSER, Tid, LibC.UserRaxOffset, (nint)value) >= 0;

    /// <summary>PTRACE_GETSIGINFO (fails with EINVAL in a group-stop).</summary>
    public bool TryGetSignalInfo(out SigInfo info)
    {
        fixed (SigInfo* p = &info)
            return LibC.ptrace_fast(LibC.PTRACE_GETSIGINFO, Tid, 0, (nint)p) >= 0;
    }

    /// <summary>Reads tracee memory with process_vm_readv(2) (page by page when a range runs into an
    /// unmapped page), falling back to PTRACE_PEEKDATA where process_vm_readv is not allowed.</summary>
    public int Read(ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        if (!ProcessVmUnavailable)
        {
            int n = VmRead(address, destination);
            if (n > 0) return n;
            int errno = Marshal.GetLastSystemError();
            if (n == 0) return 0;
            if (errno == EFAULT || errno == Errno.ESRCH) return 0;
            if (errno != ENOSYS && errno != Errno.EPERM) return 0;
            ProcessVmUnavailable = true;
        }
        return PeekRead(address, destination);
    }

    private int VmRead(ulong address, Span<byte> destination)
    {
        fixed (byte* d = destination)
        {
            IoVec local = new() { iov_base = (nint)d, iov_len = (nuint)destination.Length };
            IoVec remote = new() { iov_base = (nint)address, iov_len = (nuint)destination.Length };
            nint n = LibC.process_vm_readv(Tid, &local, 1, &remote, 1, 0);
            if (n >= 0) return (int)n;
            if (Marshal.GetLastSystemError() != EFAULT) return -1;
            // The range crosses into an unmapped page: read what is readable, a page at a time.
            int total = 0;
            while (total < destination.Length)
            {
                ulong at = address + (ulong)total;
                int chunk = (int)Math.Min((ulong)(destination.Length - total), 4096 - (at & 4095));
                local = new() { iov_base = (nint)(d + total), iov_len = (nuint)chunk };
                remote = new() { iov_base = (nint)at, iov_len = (nuint)chunk };
                n = LibC.process_vm_readv(Tid, &local, 1, &remote, 1, 0);
                if (n <= 0) break;
                total += (int)n;
                if (n < chunk) break;
            }
            if (total == 0) Marshal.SetLastSystemError(EFAULT);
            return total == 0 ? -1 : total;
        }
    }

    private int PeekRead(ulong address, Span<byte> destination)
    {
        int total = 0;
        ulong aligned = address & ~7UL;
        int skip = (int)(address - aligned);
        while (total < destination.Length)
        {
            if (!TryPeek(aligned, out ulong word)) break;
            var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in word))[skip..];
            int take = Math.Min(bytes.Length, destination.Length - total);
            bytes[..take].CopyTo(destination[total..]);
            total += take;
            aligned += 8;
            skip = 0;
        }
        return total;
    }

    /// <summary>PTRACE_PEEKDATA: one word of tracee memory (text included).</summary>
    public bool TryPeek(ulong address, out ulong word)
    {
        Marshal.SetLastSystemError(0);
        long v = LibC.ptrace(LibC.PTRACE_PEEKDATA, Tid, (nint)address, 0);
        word = (ulong)v;
        return v != -1 || Marshal.GetLastSystemError() == 0;
    }

    /// <summary>PTRACE_POKEDATA: writes one word, also into read-only text (for breakpoints).</summary>
    public bool TryPoke(ulong address, ulong word) =>
        LibC.ptrace(LibC.PTRACE_POKEDATA, Tid, (nint)address, (nint)word) >= 0;

    /// <summary>Writes tracee memory with process_vm_writev(2) (writable mappings only; use
    /// <see cref="TryPoke"/> for text). Returns the bytes written.</summary>
    public int Write(ulong address, ReadOnlySpan<byte> source)
    {
        fixed (byte* s = source)
        {
            IoVec local = new() { iov_base = (nint)s, iov_len = (nuint)source.Length };
            IoVec remote = new() { iov_base = (nint)address, iov_len = (nuint)source.Length };
            nint n = LibC.process_vm_writev(Tid, &local, 1, &remote, 1, 0);
            return n < 0 ? 0 : (int)n;
        }
    }

    /// <summary>
    /// PTRACE_SINGLESTEP, then waits for this thread's next stop. Returns the raw wait status
    /// (WIFSTOPPED with SIGTRAP after a completed step), or -1 when the thread is gone. Other
    /// threads' events stay queued for the main loop.
    /// </summary>
    public int SingleStep()
    {
        if (LibC.ptrace(LibC.PTRACE_SINGLESTEP, Tid, 0, 0) < 0) return -1;
        int status;
        while (true)
        {
            int r = LibC.waitpid(Tid, &status, LibC.__WALL);
            if (r == Tid) return status;
            if (r < 0 && Marshal.GetLastSystemError() == Errno.EINTR) continue;
            return -1;
        }
    }

    public override string ToString() => $"tid {Tid} (pid {Tgid})";
}
