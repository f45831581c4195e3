using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>
/// Imports for trace's strace options: getgrouplist(3) for -u USERNAME (the supplementary groups
/// initgroups(3) would set, computed in the parent because the forked child may not use NSS), dup(2)
/// for -D's handshake descriptor.
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>x86_64 system call numbers the forked child makes through syscall(2) for -u.</summary>
    public const long SYS_setreuid = 113, SYS_setregid = 114, SYS_setgroups = 116;
    /// <summary>x86_64 numbers for -DD / -DDD in the forked tracer (raw, as above).</summary>
    public const long SYS_setpgid = 109, SYS_setsid = 112;

    /// <summary>PTRACE_POKEUSER: one word of the tracee's struct user (its registers for -e inject).</summary>
    public const int PTRACE_POKEUSER = 6;
    /// <summary>offsetof(struct user, regs.rax) and offsetof(struct user, regs.orig_rax) on x86_64
    /// (struct user_regs_struct comes first; rax is its 11th word, orig_rax its 16th).</summary>
    public const int UserRaxOffset = 10 * 8, UserOrigRaxOffset = 15 * 8;

    /// <summary>dup(2): the copy has no FD_CLOEXEC, so it survives an execve.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Lib)]
    public static partial int getgrouplist(byte* user, uint group, uint* groups, int* ngroups);
}
