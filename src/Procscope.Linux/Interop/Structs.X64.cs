using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

// x86_64 glibc layouts; checked against offsetof() by tests/Procscope.Linux.Tests/StructLayoutTests.

/// <summary>struct dirent64 (dirent.h): 280 bytes, d_name at 19.</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct Dirent64
{
    [FieldOffset(0)] public ulong d_ino;
    [FieldOffset(8)] public long d_off;
    [FieldOffset(16)] public ushort d_reclen;
    [FieldOffset(18)] public byte d_type;
    [FieldOffset(19)] public fixed byte d_name[256];
}

/// <summary>struct passwd (pwd.h): 48 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal unsafe struct Passwd
{
    [FieldOffset(0)] public byte* pw_name;
    [FieldOffset(8)] public byte* pw_passwd;
    [FieldOffset(16)] public uint pw_uid;
    [FieldOffset(20)] public uint pw_gid;
    [FieldOffset(24)] public byte* pw_gecos;
    [FieldOffset(32)] public byte* pw_dir;
    [FieldOffset(40)] public byte* pw_shell;
}

/// <summary>struct group (grp.h): 32 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal unsafe struct Group
{
    [FieldOffset(0)] public byte* gr_name;
    [FieldOffset(8)] public byte* gr_passwd;
    [FieldOffset(16)] public uint gr_gid;
    [FieldOffset(24)] public byte** gr_mem;
}

internal static class StructInfo
{
    public static unsafe int SizeOfDirent64 => sizeof(Dirent64);
    public static unsafe int SizeOfPasswd => sizeof(Passwd);
    public static unsafe int SizeOfGroup => sizeof(Group);
}
