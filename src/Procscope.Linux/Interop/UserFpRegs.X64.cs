using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>struct user_fpregs_struct (sys/user.h, x86_64): what PTRACE_GETFPREGS transfers (the FXSAVE area).
/// Library tracing reads double arguments and return values from xmm0–7.</summary>
[StructLayout(LayoutKind.Explicit, Size = 512)]
internal unsafe struct UserFpRegs
{
    public const int PTRACE_GETFPREGS = 14;

    [FieldOffset(0)] public ushort cwd;
    [FieldOffset(2)] public ushort swd;
    [FieldOffset(24)] public uint mxcsr;
    /// <summary>8 x87 registers, 16 bytes each.</summary>
    [FieldOffset(32)] public fixed uint st_space[32];
    /// <summary>16 xmm registers, 16 bytes each.</summary>
    [FieldOffset(160)] public fixed uint xmm_space[64];
}
