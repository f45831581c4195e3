using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

// x86_64 glibc layouts; checked against offsetof() by tests/Procscope.Linux.Tests/TermiosLayoutTests.
// struct winsize, struct pollfd, ioctl, poll, isatty, write and kill are declared once elsewhere in LibC.

/// <summary>struct termios (bits/termios-struct.h): 60 bytes; c_cc[32] at 17, c_ispeed at 52.</summary>
[StructLayout(LayoutKind.Explicit, Size = 60)]
internal unsafe struct Termios
{
    [FieldOffset(0)] public uint c_iflag;
    [FieldOffset(4)] public uint c_oflag;
    [FieldOffset(8)] public uint c_cflag;
    [FieldOffset(12)] public uint c_lflag;
    [FieldOffset(16)] public byte c_line;
    [FieldOffset(17)] public fixed byte c_cc[32];
    [FieldOffset(52)] public uint c_ispeed;
    [FieldOffset(56)] public uint c_ospeed;
}

internal static unsafe partial class LibC
{
    // asm-generic/termbits.h (x86_64)
    public const uint ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, IEXTEN = 0x8000;
    public const uint ICRNL = 0x100, IXON = 0x400;
    public const int VTIME = 5, VMIN = 6;
    public const int TCSANOW = 0;
    public const short POLLIN = 1;
    public const int PRIO_PROCESS = 0;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetattr(int fd, Termios* t);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcsetattr(int fd, int actions, Termios* t);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setpriority(int which, uint who, int prio);
}
