using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

// Clock, local time and terminal imports for the classic system commands (uptime, vmstat -t,
// vmstat's header repetition, noticing a closed output pipe). A separate part of LibC so the original file stays untouched.
internal static unsafe partial class LibC
{
    /// <summary>TIOCGWINSZ from asm-generic/ioctls.h (x86_64).</summary>
    public const nuint TIOCGWINSZ = 0x5413;

    [LibraryImport(Lib)]
    public static partial long time(long* tloc);

    [LibraryImport(Lib)]
    public static partial void tzset();

    [LibraryImport(Lib)]
    public static partial Tm* localtime_r(long* timep, Tm* result);

    [LibraryImport(Lib)]
    public static partial nuint strftime(byte* s, nuint max, byte* format, Tm* tm);

    /// <summary>
    /// ioctl(2) is variadic in C; on x86_64 a variadic call with one pointer argument passes it in the
    /// same register as this fixed prototype, so the import is safe for TIOCGWINSZ.
    /// </summary>
    public const short POLLERR = 0x008;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, Winsize* argp);
}
