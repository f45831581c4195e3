namespace Procscope.Core.Syscalls;

// The seam between the ptrace engine (Procscope.Linux/Tracing, Cli/Commands/Trace) and the
// system call decoders (this folder). The engine fills a SyscallCall from
// PTRACE_GET_SYSCALL_INFO and calls SyscallDecoder.OnEntry / OnExit; the decoder fills the
// decoded arguments and the return text; the engine prints them (text or JSON), handles
// `<unfinished ...>` / `<... resumed>`, prefixes, timing and summaries.

/// <summary>The system call ABI a stop was made under (from PTRACE_GET_SYSCALL_INFO's arch field).</summary>
public enum SyscallAbi : byte
{
    /// <summary>AUDIT_ARCH_X86_64, syscall instruction.</summary>
    X64 = 0,
    /// <summary>AUDIT_ARCH_I386: a 32-bit program, or int $0x80 from 64-bit code.</summary>
    I386 = 1,
}

/// <summary>Reads the tracee's memory (process_vm_readv, falling back to PTRACE_PEEKDATA).</summary>
public interface ITraceeMemory
{
    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="address"/>;
    /// returns how many bytes were read (0 when nothing is readable there).</summary>
    int Read(ulong address, Span<byte> destination);
}

/// <summary>Describes what an fd refers to, for -y/-yy. Supplied by the engine (reads /proc/PID/fd).</summary>
public interface IFdDescriber
{
    /// <summary>The path (or for -yy the socket endpoints, e.g. "TCP:[127.0.0.1:5000->127.0.0.1:40000]")
    /// of <paramref name="fd"/> in process <paramref name="pid"/>, or null.</summary>
    string? Describe(int pid, int fd, bool full);
}

/// <summary>How strings are shown (-x, -xx).</summary>
public enum HexStrings : byte { None = 0, NonAscii = 1, All = 2 }

/// <summary>strace's decoding options.</summary>
public sealed class DecodeOptions
{
    /// <summary>-s: the longest string printed before "...".</summary>
    public int StringLimit { get; init; } = 32;
    public HexStrings Hex { get; init; }
    /// <summary>-v: structures and arrays unabbreviated.</summary>
    public bool Verbose { get; init; }
    /// <summary>0 = off, 1 = -y (paths), 2 = -yy (also socket endpoints and device numbers).</summary>
    public int FdDecoration { get; init; }
    public IFdDescriber? FdDescriber { get; init; }
}

/// <summary>How a decoded argument is typed in --json.</summary>
public enum ArgKind : byte
{
    /// <summary>A signed number (<see cref="DecodedArgument.Number"/> holds it).</summary>
    Integer,
    /// <summary>An unsigned number or address (<see cref="DecodedArgument.Number"/> holds its bits).</summary>
    Unsigned,
    /// <summary>A pointer shown as hex or NULL.</summary>
    Pointer,
    /// <summary>A file descriptor (Number holds it; Text may carry the -y path).</summary>
    Fd,
    /// <summary>A string from tracee memory (<see cref="DecodedArgument.Bytes"/> holds the exact bytes read, Text the quoted form).</summary>
    String,
    /// <summary>A constant or an OR of flags (Text is symbolic, Number the raw value).</summary>
    Flags,
    /// <summary>A structure or array, Text in strace's form.</summary>
    Struct,
}

/// <summary>One decoded argument: its name from the prototype, strace's text, and typed values for JSON.</summary>
public sealed record DecodedArgument(string Name, ArgKind Kind, string Text, long? Number = null, byte[]? Bytes = null);

/// <summary>One in-flight system call of one thread. The engine keeps one per thread and reuses it.</summary>
public sealed class SyscallCall
{
    public int Pid;
    public SyscallAbi Abi;
    public long Number;
    public readonly ulong[] Args = new ulong[6];
    /// <summary>The stack pointer at entry (PTRACE_GET_SYSCALL_INFO's stack_pointer): rt_sigreturn's
    /// signal frame, whose saved mask strace prints, lies there.</summary>
    public ulong StackPointer;
    /// <summary>The raw return value (rax at syscall-exit: negative errno on error). Set by the engine before OnExit.</summary>
    public long ReturnValue;

    /// <summary>Set by OnEntry: the table entry, or null for an unknown number ("syscall_0x…").</summary>
    public SyscallInfo? Info;
    /// <summary>The system call's name as strace prints it.</summary>
    public string Name = "";
    /// <summary>Arguments in order. OnEntry adds those known at entry, OnExit the rest.</summary>
    public readonly List<DecodedArgument> Arguments = new();
    /// <summary>How many of <see cref="Arguments"/> were complete at entry (printed before "&lt;unfinished ...&gt;").</summary>
    public int EntryArgumentCount;
    /// <summary>Set by OnExit: the text after " = ", e.g. "3", "-1 ENOENT (No such file or directory)",
    /// "0x7f12a000", "? ERESTARTSYS (To be restarted if SA_RESTART is set)", "0 (Timeout)".</summary>
    public string ReturnText = "";
    /// <summary>Set by OnExit: the errno when the call failed, else 0.</summary>
    public int Errno;
    /// <summary>Set by the engine before OnEntry of restart_syscall: the name of the call the signal
    /// interrupted (strace's "restart_syscall(&lt;... resuming interrupted nanosleep ...&gt;)"), or null.</summary>
    public string? InterruptedName;
    /// <summary>Decoder-private state carried from entry to exit (e.g. a buffer address, a saved struct).</summary>
    public object? DecoderState;
    /// <summary>Decoder scratch carried from entry to exit without boxing (an in/out length, a saved value).</summary>
    internal ulong Saved0, Saved1;

    /// <summary>Clears everything for the next call of this thread.</summary>
    public void Reset()
    {
        Info = null;
        Name = "";
        Arguments.Clear();
        EntryArgumentCount = 0;
        ReturnText = "";
        Errno = 0;
        ReturnValue = 0;
        DecoderState = null;
        Saved0 = Saved1 = 0;
        StackPointer = 0;
        InterruptedName = null;
        Array.Clear(Args);
    }
}

/// <summary>strace's trace classes (-e trace=%file …). A call may belong to several.</summary>
[Flags]
public enum SyscallClass : ushort
{
    None = 0,
    File = 1 << 0,
    Process = 1 << 1,
    Network = 1 << 2,
    Signal = 1 << 3,
    Ipc = 1 << 4,
    Desc = 1 << 5,
    Memory = 1 << 6,
    Creds = 1 << 7,
    Clock = 1 << 8,
    Stat = 1 << 9,
    LStat = 1 << 10,
    FStat = 1 << 11,
    StatLike = 1 << 12,
    StatFs = 1 << 13,
    FStatFs = 1 << 14,
    StatFsLike = 1 << 15,
}

/// <summary>One system call table entry (generated from the system headers).</summary>
public sealed record SyscallInfo(SyscallAbi Abi, int Number, string Name, int ArgCount, SyscallClass Classes)
{
    /// <summary>The name as an id shared by both ABIs (the decoders switch on it).</summary>
    public SyscallId Id { get; init; }
}
