using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// The classic-BPF program a spawned tracee installs before execve when a filter selects some calls:
/// selected calls return SECCOMP_RET_TRACE (a PTRACE_EVENT_SECCOMP stop), every other call
/// SECCOMP_RET_ALLOW and never stops (seccomp(2), "SECCOMP_RET_TRACE"). The architecture is checked
/// first: the same x86_64 process may make i386 calls with int $0x80, whose numbers differ.
/// x32 calls (bit 30) and unknown architectures are always traced.
/// </summary>
internal static class SeccompProgram
{
    private const ushort LdAbsW = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private const ushort JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JgeK = 0x35;     // BPF_JMP | BPF_JGE | BPF_K
    private const ushort Ja = 0x05;       // BPF_JMP | BPF_JA
    private const ushort RetK = 0x06;     // BPF_RET | BPF_K
    public const uint RetAllow = 0x7fff0000;
    public const uint RetTrace = 0x7ff00000;
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint AuditArchI386 = 0x40000003;
    private const uint X32Bit = 0x40000000;

    public static SockFilter[] Build(SyscallSelection selection)
    {
        var prog = new List<SockFilter>
        {
            new() { code = LdAbsW, k = 4 }, // seccomp_data.arch
        };
        AddArch(prog, AuditArchX86_64, Block(selection, SyscallAbi.X64, x64: true));
        AddArch(prog, AuditArchI386, Block(selection, SyscallAbi.I386, x64: false));
        prog.Add(new() { code = RetK, k = RetTrace });
        if (prog.Count > 4096) throw new InvalidOperationException("seccomp program longer than BPF_MAXINSNS");
        return prog.ToArray();
    }

    private static void AddArch(List<SockFilter> prog, uint arch, List<SockFilter> block)
    {
        prog.Add(new() { code = JeqK, jt = 1, jf = 0, k = arch });
        prog.Add(new() { code = Ja, k = (uint)block.Count });
        prog.AddRange(block);
        // The block ends in a return, so falling out of it is impossible; the accumulator still holds
        // the arch for the next comparison only if the block did not run, which is the case here.
    }

    private static List<SockFilter> Block(SyscallSelection selection, SyscallAbi abi, bool x64)
    {
        var b = new List<SockFilter> { new() { code = LdAbsW, k = 0 } }; // seccomp_data.nr
        if (x64)
        {
            b.Add(new() { code = JgeK, jt = 0, jf = 1, k = X32Bit });
            b.Add(new() { code = RetK, k = RetTrace });
        }
        foreach (int n in selection.Numbers(abi))
        {
            b.Add(new() { code = JeqK, jt = 0, jf = 1, k = (uint)n });
            b.Add(new() { code = RetK, k = RetTrace });
        }
        b.Add(new() { code = RetK, k = RetAllow });
        return b;
    }
}
