using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>stat(2) for the device numbers of terminal nodes under /dev (ioctl and struct winsize are in LibC.Sys.cs).</summary>
internal static unsafe partial class LibC
{
    public const int O_NOCTTY = 0x100;      // 0400
    public const int O_NONBLOCK = 0x800;    // 04000

    public const uint S_IFMT = 0xF000;
    public const uint S_IFCHR = 0x2000;

    /// <summary>glibc exports stat itself since 2.33 (before that only __xstat); Debian 12 has 2.36.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int stat(byte* path, Stat* buf);
}

internal static unsafe partial class LibC
{
    [LibraryImport(Lib)]
    public static partial int isatty(int fd);
}
