using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>Terminal geometry of a file descriptor, as procps asks for it (ioctl TIOCGWINSZ).</summary>
public static unsafe class Terminal
{
    /// <summary>isatty(3) without touching System.Console (whose initialisation writes keypad escape sequences to a terminal).</summary>
    public static bool IsTerminal(int fd) => LibC.isatty(fd) == 1;

    /// <summary>ioctl TIOCGWINSZ on <paramref name="fd"/>: the one place the window size is asked for.</summary>
    internal static bool TryGetWinsize(int fd, out Winsize ws)
    {
        Winsize w;
        bool ok = LibC.ioctl(fd, LibC.TIOCGWINSZ, &w) == 0;
        ws = w;
        return ok;
    }

    /// <summary>Columns of the terminal on <paramref name="fd"/>; null when it is not a terminal or reports 0 columns.</summary>
    public static int? Columns(int fd = 1) => TryGetWinsize(fd, out var ws) && ws.ws_col != 0 ? ws.ws_col : null;

    /// <summary>
    /// Rows of the terminal on <paramref name="fd"/> (1 = standard output); null when it is not a
    /// terminal or reports 0 rows. vmstat(8) asks standard output only, so a pipe gives null.
    /// </summary>
    public static int? Rows(int fd = 1) => TryGetWinsize(fd, out var ws) && ws.ws_row != 0 ? ws.ws_row : null;
}
