using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>struct stat (x86_64 glibc, sys/stat.h): 144 bytes; checked by tests/Procscope.Linux.Tests/LsofStructLayoutTests.
/// Used by stat(2) (terminal names for ps) and fstatat(2) (lsof).</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct Stat
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
