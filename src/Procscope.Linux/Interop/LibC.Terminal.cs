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
    public static partial int stat(byte* path, StatX64* buf);
}

/// <summary>
/// struct stat of x86_64 glibc (sys/stat.h, asm/stat.h): 144 bytes. Only the fields read are named;
/// the offsets are checked by the pts test (a pty's st_rdev must decode to major 136).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct StatX64
{
    [FieldOffset(0)] public ulong st_dev;
    [FieldOffset(8)] public ulong st_ino;
    [FieldOffset(16)] public ulong st_nlink;
    [FieldOffset(24)] public uint st_mode;
    [FieldOffset(28)] public uint st_uid;
    [FieldOffset(32)] public uint st_gid;
    [FieldOffset(40)] public ulong st_rdev;
    [FieldOffset(48)] public long st_size;
}

internal static unsafe partial class LibC
{
    [LibraryImport(Lib)]
    public static partial int isatty(int fd);
}
