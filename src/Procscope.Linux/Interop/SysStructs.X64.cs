using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

// x86_64 glibc layouts; checked against offsetof() by tests/Procscope.Linux.Tests/SysStructLayoutTests.

/// <summary>struct tm (time.h): 56 bytes, tm_gmtoff at 40, tm_zone at 48.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
internal unsafe struct Tm
{
    [FieldOffset(0)] public int tm_sec;
    [FieldOffset(4)] public int tm_min;
    [FieldOffset(8)] public int tm_hour;
    [FieldOffset(12)] public int tm_mday;
    [FieldOffset(16)] public int tm_mon;
    [FieldOffset(20)] public int tm_year;
    [FieldOffset(24)] public int tm_wday;
    [FieldOffset(28)] public int tm_yday;
    [FieldOffset(32)] public int tm_isdst;
    [FieldOffset(40)] public long tm_gmtoff;
    [FieldOffset(48)] public byte* tm_zone;
}

/// <summary>struct winsize (asm-generic/termios.h): 8 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct Winsize
{
    [FieldOffset(0)] public ushort ws_row;
    [FieldOffset(2)] public ushort ws_col;
    [FieldOffset(4)] public ushort ws_xpixel;
    [FieldOffset(6)] public ushort ws_ypixel;
}

/// <summary>struct pollfd (poll.h): 8 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct PollFd
{
    [FieldOffset(0)] public int fd;
    [FieldOffset(4)] public short events;
    [FieldOffset(6)] public short revents;
}

internal static class SysStructInfo
{
    public static unsafe int SizeOfPollFd => sizeof(PollFd);
    public static unsafe int SizeOfTm => sizeof(Tm);
    public static unsafe int SizeOfWinsize => sizeof(Winsize);
}
