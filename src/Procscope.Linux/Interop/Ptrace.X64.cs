using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>struct iovec (sys/uio.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoVec
{
    public nint iov_base;
    public nuint iov_len;
}

/// <summary>glibc's struct sigaction on x86_64 (bits/sigaction.h): handler, 128-byte mask, flags, restorer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SigAction
{
    public nint sa_handler;
    public fixed ulong sa_mask[16];
    public int sa_flags;
    public nint sa_restorer;
}

/// <summary>struct sock_filter (linux/filter.h): one classic BPF instruction.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockFilter
{
    public ushort code;
    public byte jt;
    public byte jf;
    public uint k;
}

/// <summary>struct sock_fprog (linux/filter.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFprog
{
    public ushort len;
    public SockFilter* filter;
}

/// <summary>struct user_regs_struct (sys/user.h, x86_64): what PTRACE_GETREGS/SETREGS transfer.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct UserRegs
{
    public ulong r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    public ulong rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
    public ulong fs_base, gs_base, ds, es, fs, gs;
}

/// <summary>struct ptrace_syscall_info (linux/ptrace.h, Linux 5.3): PTRACE_GET_SYSCALL_INFO's answer.
/// The union starts at offset 24: entry/seccomp {nr, args[6] (, ret_data)}, exit {rval, is_error}.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public unsafe struct PtraceSyscallInfo
{
    public const byte OpNone = 0, OpEntry = 1, OpExit = 2, OpSeccomp = 3;

    [FieldOffset(0)] public byte op;
    [FieldOffset(4)] public uint arch;
    [FieldOffset(8)] public ulong instruction_pointer;
    [FieldOffset(16)] public ulong stack_pointer;
    [FieldOffset(24)] public ulong nr;
    [FieldOffset(32)] public fixed ulong args[6];
    [FieldOffset(80)] public uint ret_data;
    [FieldOffset(24)] public long rval;
    [FieldOffset(32)] public byte is_error;
}

/// <summary>siginfo_t (asm-generic/siginfo.h, x86_64): 128 bytes; the union starts at offset 16.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public unsafe struct SigInfo
{
    [FieldOffset(0)] public int si_signo;
    [FieldOffset(4)] public int si_errno;
    [FieldOffset(8)] public int si_code;
    /// <summary>kill, rt, SIGCHLD: sender / child pid.</summary>
    [FieldOffset(16)] public int si_pid;
    [FieldOffset(20)] public uint si_uid;
    /// <summary>SIGCHLD: exit code or signal.</summary>
    [FieldOffset(24)] public int si_status;
    /// <summary>SIGCHLD: user and system time in clock ticks.</summary>
    [FieldOffset(32)] public long si_utime;
    [FieldOffset(40)] public long si_stime;
    /// <summary>SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: the faulting address.</summary>
    [FieldOffset(16)] public ulong si_addr;
    /// <summary>POSIX timers: timer id and overrun.</summary>
    [FieldOffset(16)] public int si_timerid;
    [FieldOffset(20)] public int si_overrun;
    /// <summary>rt signals and timers: sigval (int or pointer).</summary>
    [FieldOffset(24)] public ulong si_value;
    /// <summary>SIGPOLL: band and fd.</summary>
    [FieldOffset(16)] public long si_band;
    [FieldOffset(24)] public int si_fd;
    /// <summary>SIGSYS: the call's address, number and AUDIT_ARCH.</summary>
    [FieldOffset(16)] public ulong si_call_addr;
    [FieldOffset(24)] public int si_syscall;
    [FieldOffset(28)] public uint si_arch;
}
