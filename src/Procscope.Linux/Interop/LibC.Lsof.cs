using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>Imports for lsof: stat of /proc/[pid]/fd entries, host and service names, kcmp.</summary>
internal static unsafe partial class LibC
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int NETLINK_SOCK_DIAG = 4;
    public const int NI_NUMERICHOST = 1;
    public const int NI_NUMERICSERV = 2;
    public const int NI_DGRAM = 16;
    public const long SYS_kcmp = 312;
    public const int KCMP_FILES = 2;
    public const int KCMP_FS = 3;

    /// <summary>fstatat(2); with flags 0 a /proc/[pid]/fd/N magic link is followed to the open file.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstatat(int dirfd, byte* path, Stat* buf, int flags);

    [LibraryImport(Lib)]
    public static partial int getnameinfo(byte* addr, uint addrlen, byte* host, uint hostlen, byte* serv, uint servlen, int flags);

    /// <summary>
    /// syscall(2) for kcmp, which glibc does not wrap. syscall is variadic; on x86_64 integer
    /// arguments of a variadic call travel in the same registers as this fixed prototype.
    /// </summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);
}

internal static unsafe partial class LibC
{
    /// <summary>getservbyname(3); not thread-safe (a static result): called once per -i port name on the main thread.</summary>
    [LibraryImport(Lib)]
    public static partial nint getservbyname(byte* name, byte* proto);
}

internal static unsafe partial class LibC
{
    /// <summary>getdents64(2) (glibc ≥ 2.30): struct linux_dirent64 records, d_reclen at 16, d_name at 19.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint getdents64(int fd, byte* buf, nint count);
}
