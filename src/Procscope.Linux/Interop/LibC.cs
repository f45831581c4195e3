using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>
/// Raw libc imports. Blittable signatures only (runtime marshalling is disabled for the
/// assembly); callers go through the safe wrappers (FileReader, DirectoryScanner, UserDatabase), which return errno as a value.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000;   // 0200000
    public const int O_NOFOLLOW = 0x20000;    // 0400000
    public const int O_CLOEXEC = 0x80000;     // 02000000

    public const int _SC_CLK_TCK = 2;
    public const int _SC_PAGESIZE = 30;
    public const int _SC_GETPW_R_SIZE_MAX = 70;
    public const int _SC_GETGR_R_SIZE_MAX = 69;
    public const int _SC_NPROCESSORS_ONLN = 84;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int open(byte* path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int openat(int dirfd, byte* path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint readlink(byte* path, byte* buf, nint size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint readlinkat(int dirfd, byte* path, byte* buf, nint size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint opendir(byte* path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint fdopendir(int fd);

    /// <summary>On x86_64 glibc, readdir returns struct dirent64 (see Dirent64).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial Dirent64* readdir64(nint dir);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int closedir(nint dir);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long sysconf(int name);

    [LibraryImport(Lib)]
    public static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buf, nint buflen, Passwd** result);

    [LibraryImport(Lib)]
    public static partial int getpwnam_r(byte* name, Passwd* pwd, byte* buf, nint buflen, Passwd** result);

    [LibraryImport(Lib)]
    public static partial int getgrgid_r(uint gid, Group* grp, byte* buf, nint buflen, Group** result);

    [LibraryImport(Lib)]
    public static partial int getgrnam_r(byte* name, Group* grp, byte* buf, nint buflen, Group** result);

    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib)]
    public static partial int getpid();
}
