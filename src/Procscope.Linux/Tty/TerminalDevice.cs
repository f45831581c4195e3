using System.Runtime.InteropServices;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tty;

/// <summary>
/// The controlling terminal of a full-screen view: raw mode through termios(3)
/// (tcgetattr/tcsetattr), the window size (TIOCGWINSZ), and input with a timeout (poll(2)).
/// <see cref="Restore"/> is idempotent and safe to call from a signal handler thread, so the
/// terminal is put back on every exit path.
/// </summary>
public sealed unsafe class TerminalDevice
{
    private readonly int _inFd;
    private readonly int _outFd;
    private Termios _saved;
    private int _raw; // 1 while raw mode is on

    public TerminalDevice(int inFd = 0, int outFd = 1)
    {
        _inFd = inFd;
        _outFd = outFd;
    }

    public static bool IsTerminal(int fd) => LibC.isatty(fd) == 1;

    /// <summary>
    /// Non-canonical input without echo; ISIG stays on so Ctrl-C still raises SIGINT (handled by the
    /// caller to restore the terminal). Returns errno (0 on success).
    /// </summary>
    public int EnterRawMode()
    {
        Termios t;
        if (LibC.tcgetattr(_inFd, &t) != 0) return Marshal.GetLastSystemError();
        _saved = t;
        t.c_lflag &= ~(LibC.ICANON | LibC.ECHO | LibC.IEXTEN);
        t.c_iflag &= ~(LibC.IXON | LibC.ICRNL);
        t.c_cc[LibC.VMIN] = 1;
        t.c_cc[LibC.VTIME] = 0;
        if (LibC.tcsetattr(_inFd, LibC.TCSANOW, &t) != 0) return Marshal.GetLastSystemError();
        Volatile.Write(ref _raw, 1);
        return 0;
    }

    /// <summary>Puts back the settings saved by <see cref="EnterRawMode"/>; does nothing the second time.</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref _raw, 0) != 1) return;
        var saved = _saved;
        LibC.tcsetattr(_inFd, LibC.TCSANOW, &saved);
    }

    /// <summary>Rows and columns of the output terminal; null when it is not a terminal.</summary>
    public (int Rows, int Columns)? GetSize()
    {
        if (!Terminal.TryGetWinsize(_outFd, out var ws) || ws.ws_col == 0 || ws.ws_row == 0) return null;
        return (ws.ws_row, ws.ws_col);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for input. True when input is ready (or the terminal hung up).</summary>
    public bool WaitForInput(int timeoutMs)
    {
        PollFd p = new() { fd = _inFd, events = LibC.POLLIN };
        int n = LibC.poll(&p, 1, timeoutMs);
        return n > 0;
    }

    /// <summary>Reads available input bytes; 0 at end of input, −errno on error.</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            nint n = LibC.read(_inFd, b, buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastSystemError();
        }
    }

    /// <summary>Writes all bytes straight to the output descriptor (used for the final restore sequence from a signal handler).</summary>
    public void WriteRaw(ReadOnlySpan<byte> data)
    {
        fixed (byte* b = data)
        {
            int off = 0;
            while (off < data.Length)
            {
                nint n = LibC.write(_outFd, b + off, data.Length - off);
                if (n <= 0)
                {
                    if (n < 0 && Marshal.GetLastSystemError() == Errno.EINTR) continue;
                    return;
                }
                off += (int)n;
            }
        }
    }
}

/// <summary>Sending signals and changing priorities of other processes (top's k and r). errno as a value.</summary>
public static class ProcessControl
{
    /// <summary>kill(2). Returns 0 or errno.</summary>
    public static int Signal(int pid, int signal) => LibC.kill(pid, signal) == 0 ? 0 : Marshal.GetLastSystemError();

    /// <summary>setpriority(2) with PRIO_PROCESS. Returns 0 or errno.</summary>
    public static int SetNice(int pid, int nice) => LibC.setpriority(LibC.PRIO_PROCESS, (uint)pid, nice) == 0 ? 0 : Marshal.GetLastSystemError();

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
    ];

    /// <summary>Signal number from a name ("TERM", "SIGKILL", case-insensitive) or a number (x86_64 numbering, signal(7)).</summary>
    public static bool TryParseSignal(string text, out int signal)
    {
        text = text.Trim();
        if (int.TryParse(text, out signal)) return signal is >= 0 and <= 64;
        if (text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) text = text[3..];
        if (text.Equals("IO", StringComparison.OrdinalIgnoreCase)) { signal = 29; return true; }
        for (int i = 1; i < Names.Length; i++)
            if (Names[i].Equals(text, StringComparison.OrdinalIgnoreCase)) { signal = i; return true; }
        signal = 0;
        return false;
    }

    /// <summary>Human text for an errno value.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
