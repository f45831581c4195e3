using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>Terminal geometry of a file descriptor, as procps asks for it (ioctl TIOCGWINSZ).</summary>
public static unsafe class Terminal
{
    /// <summary>isatty(3) without touching System.Console (whose initialisation writes keypad escape sequences to a terminal).</summary>
    public static bool IsTerminal(int fd) => LibC.isatty(fd) == 1;

    /// <summary>Columns of the terminal on <paramref name="fd"/>; null when it is not a terminal or reports 0 columns.</summary>
    public static int? Columns(int fd = 1)
    {
        Winsize ws;
        if (LibC.ioctl(fd, LibC.TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0) return null;
        return ws.ws_col;
    }

    /// <summary>
    /// Rows of the terminal on <paramref name="fd"/> (1 = standard output); null when it is not a
    /// terminal or reports 0 rows. vmstat(8) asks standard output only, so a pipe gives null.
    /// </summary>
    public static int? Rows(int fd = 1)
    {
        Winsize ws;
        if (LibC.ioctl(fd, LibC.TIOCGWINSZ, &ws) == -1 || ws.ws_row == 0) return null;
        return ws.ws_row;
    }
}

/// <summary>The state of an output descriptor.</summary>
public static unsafe class OutputState
{
    /// <summary>
    /// True when <paramref name="fd"/> is a pipe or socket whose reading end is gone (poll(2)
    /// reports POLLERR), as after <c>procscope vmstat 1 | head</c>. A sampling loop checks this
    /// because .NET's console stream drops EPIPE silently, so writing alone never fails.
    /// </summary>
    public static bool IsBroken(int fd = 1)
    {
        var p = new PollFd { fd = fd, events = 0 };
        return LibC.poll(&p, 1, 0) == 1 && (p.revents & LibC.POLLERR) != 0;
    }
}
