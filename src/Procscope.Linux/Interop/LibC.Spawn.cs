using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>
/// Imports for starting and reaping a child (posix_spawn(3), wait4(2)) and for signals.
/// posix_spawnattr_t and sigset_t are opaque to us: they live in native memory sized generously
/// and are only touched through their libc functions.
/// </summary>
internal static unsafe partial class LibC
{
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    /// <summary>sizeof(posix_spawnattr_t) is 336 on x86_64 glibc; rounded up.</summary>
    public const int SpawnAttrBytes = 512;
    /// <summary>sizeof(sigset_t) is 128 on glibc.</summary>
    public const int SigSetBytes = 128;

    [LibraryImport(Lib)]
    public static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigmask);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigdefault);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* set);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int wait4(int pid, int* status, int options, Rusage* rusage);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib)]
    public static partial int getpgrp();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetpgrp(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int rmdir(byte* path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkdir(byte* path, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int clock_gettime(int clock, Timespec* ts);

    public const int O_WRONLY = 1;
    public const int CLOCK_MONOTONIC = 1;
}
