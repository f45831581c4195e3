using System.Buffers.Binary;

namespace Procscope.Core.Syscalls;

public static partial class SignalFormatter
{
    private static readonly string[] ChldCodes = ["CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"];
    private static readonly string[] SegvCodes = ["SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR", "SEGV_CPERR"];
    private static readonly string[] BusCodes = ["BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"];
    private static readonly string[] IllCodes = ["ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"];
    private static readonly string[] FpeCodes = ["FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", "FPE_DECOVF", "FPE_DECDIV", "FPE_DECERR", "FPE_INVASC", "FPE_INVDEC", "FPE_FLTUNK", "FPE_CONDTRAP"];
    private static readonly string[] TrapCodes = ["TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF"];
    private static readonly string[] PollCodes = ["POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP"];

    /// <summary>The si_code name: the generic SI_* codes (≤ 0 and SI_KERNEL) first, then the signal's own.</summary>
    public static string? CodeName(int signo, int code)
    {
        switch (code)
        {
            case 0: return "SI_USER";
            case 0x80: return "SI_KERNEL";
            case -1: return "SI_QUEUE";
            case -2: return "SI_TIMER";
            case -3: return "SI_MESGQ";
            case -4: return "SI_ASYNCIO";
            case -5: return "SI_SIGIO";
            case -6: return "SI_TKILL";
            case -7: return "SI_DETHREAD";
            case -60: return "SI_ASYNCNL";
        }
        if (code <= 0)
            return null;
        string[]? t = signo switch
        {
            17 => ChldCodes,
            11 => SegvCodes,
            7 => BusCodes,
            4 => IllCodes,
            8 => FpeCodes,
            5 => TrapCodes,
            29 => PollCodes,
            31 => code == 1 ? ["SYS_SECCOMP"] : null,
            _ => null,
        };
        return t is not null && code <= t.Length ? t[code - 1] : null;
    }

    /// <summary>Formats a raw siginfo (128 bytes from PTRACE_GETSIGINFO; the 64-bit layout unless
    /// <paramref name="i386"/>) as strace's braces: "{si_signo=SIGCHLD, si_code=CLD_EXITED, …}".</summary>
    public static string FormatSiginfo(ReadOnlySpan<byte> siginfo, bool i386 = false)
    {
        var t = new TextBuf();
        AppendSiginfo(t, siginfo, i386);
        return t.ToString();
    }

    /// <summary>The whole "--- SIGCHLD {…} ---" line (without a newline or pid prefix).</summary>
    public static string FormatSignalLine(ReadOnlySpan<byte> siginfo, bool i386 = false)
    {
        var t = new TextBuf();
        t.Add("--- ");
        int signo = siginfo.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(siginfo) : 0;
        AddSignal(t, signo);
        t.Add(' ');
        AppendSiginfo(t, siginfo, i386);
        t.Add(" ---");
        return t.ToString();
    }

    private static void AddSignal(TextBuf t, int sig)
    {
        var n = Name(sig);
        if (n is null)
            t.Dec(sig);
        else
            t.Add(n);
    }

    internal static void AppendSiginfo(TextBuf t, ReadOnlySpan<byte> span, bool i386)
    {
        if (span.Length < 128)
        {
            t.Add("{}");
            return;
        }
        // Signals are rare next to system calls: one small copy lets the helpers below read it.
        byte[] b = span[..128].ToArray();
        int signo = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan());
        int errno = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(4));
        int code = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(8));
        int u = i386 ? 12 : 16; // the union follows three ints (x86_64 pads to 8)
        int w = i386 ? 4 : 8;
        ulong Word(int off) => i386 ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(off)) : BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(off));
        long SWord(int off) => i386 ? BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(off)) : BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(off));
        int I32(int off) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(off));
        uint U32(int off) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(off));

        t.Add("{si_signo=");
        AddSignal(t, signo);
        t.Add(", si_code=");
        var cn = CodeName(signo, code);
        if (cn is null)
            t.Dec(code);
        else
            t.Add(cn);
        if (errno != 0)
        {
            t.Add(", si_errno=");
            t.Add(Xlat.Errnos.Name(errno) ?? errno.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        void Ptr(ulong v)
        {
            if (v == 0)
                t.Add("NULL");
            else
                t.Hex(v);
        }
        void PidUid()
        {
            t.Add(", si_pid=");
            t.Dec(I32(u));
            t.Add(", si_uid=");
            t.UDec(U32(u + 4));
        }
        void Value(int off)
        {
            t.Add(", si_int=");
            t.Dec(I32(off));
            t.Add(", si_ptr=");
            Ptr(Word(off));
        }

        if (code <= 0 && code != -60 || code == 0x80 && signo is not (11 or 7 or 4 or 8 or 5 or 17 or 29 or 31))
        {
            // Sent by a process (kill, tkill, sigqueue, timers, mqueues) or by the kernel without details.
            switch (code)
            {
                case 0 or -6: // SI_USER, SI_TKILL
                    PidUid();
                    break;
                case -1 or -3: // SI_QUEUE, SI_MESGQ
                    PidUid();
                    Value(u + 8);
                    break;
                case -2: // SI_TIMER
                    t.Add(", si_timerid=");
                    t.Hex(U32(u));
                    t.Add(", si_overrun=");
                    t.Dec(I32(u + 4));
                    Value(u + 8);
                    break;
                case 0x80:
                    break;
                default:
                    PidUid();
                    break;
            }
            t.Add('}');
            return;
        }
        switch (signo)
        {
            case 17: // SIGCHLD
                PidUid();
                t.Add(", si_status=");
                int status = I32(u + 8);
                if (code is 1)
                    t.Dec(status);
                else
                    AddSignal(t, status);
                int clk = i386 ? u + 12 : u + 16;
                t.Add(", si_utime=");
                t.Dec(SWord(clk));
                t.Add(", si_stime=");
                t.Dec(SWord(clk + w));
                break;
            case 11 or 7 or 4 or 8 or 5: // SIGSEGV SIGBUS SIGILL SIGFPE SIGTRAP
                t.Add(", si_addr=");
                Ptr(Word(u));
                break;
            case 29: // SIGIO
                t.Add(", si_band=");
                t.Dec(SWord(u));
                t.Add(", si_fd=");
                t.Dec(I32(u + w));
                break;
            case 31: // SIGSYS
                t.Add(", si_call_addr=");
                Ptr(Word(u));
                t.Add(", si_syscall=");
                int nr = I32(u + w);
                uint arch = U32(u + w + 4);
                var abi = arch == 0x40000003 ? SyscallAbi.I386 : SyscallAbi.X64;
                var info = SyscallTable.Lookup(abi, nr);
                if (info is null)
                    t.Dec(nr);
                else
                {
                    t.Add("__NR_");
                    t.Add(info.Name);
                }
                t.Add(", si_arch=");
                if (arch == 0xc000003e)
                    t.Add("AUDIT_ARCH_X86_64");
                else if (arch == 0x40000003)
                    t.Add("AUDIT_ARCH_I386");
                else
                    t.Hex(arch);
                break;
            default:
                PidUid();
                break;
        }
        t.Add('}');
    }
}
