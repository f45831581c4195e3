using System.Globalization;
using System.Text;

namespace Procscope.Cli.Commands.Time;

/// <summary>
/// GNU time 1.9's output formats and its %-specifiers (time.c, summarize()), byte for byte.
/// The average-size specifiers (%D %K %X %p %t), %W, %k, %r and %s print what Linux fills in
/// struct rusage: always 0 (getrusage(2)); docs/COMPATIBILITY-time.md lists them.
/// </summary>
public static class GnuTimeFormat
{
    public const string Default = "%Uuser %Ssystem %Eelapsed %PCPU (%Xavgtext+%Davgdata %Mmaxresident)k\n%Iinputs+%Ooutputs (%Fmajor+%Rminor)pagefaults %Wswaps";
    public const string Posix = "real %e\nuser %U\nsys %S";
    public const string Verbose =
        "\tCommand being timed: \"%C\"\n" +
        "\tUser time (seconds): %U\n" +
        "\tSystem time (seconds): %S\n" +
        "\tPercent of CPU this job got: %P\n" +
        "\tElapsed (wall clock) time (h:mm:ss or m:ss): %E\n" +
        "\tAverage shared text size (kbytes): %X\n" +
        "\tAverage unshared data size (kbytes): %D\n" +
        "\tAverage stack size (kbytes): %p\n" +
        "\tAverage total size (kbytes): %K\n" +
        "\tMaximum resident set size (kbytes): %M\n" +
        "\tAverage resident set size (kbytes): %t\n" +
        "\tMajor (requiring I/O) page faults: %F\n" +
        "\tMinor (reclaiming a frame) page faults: %R\n" +
        "\tVoluntary context switches: %w\n" +
        "\tInvoluntary context switches: %c\n" +
        "\tSwaps: %W\n" +
        "\tFile system inputs: %I\n" +
        "\tFile system outputs: %O\n" +
        "\tSocket messages sent: %s\n" +
        "\tSocket messages received: %r\n" +
        "\tSignals delivered: %k\n" +
        "\tPage size (bytes): %Z\n" +
        "\tExit status: %x";

    /// <summary>The status line GNU prints before the format unless -q ("Command exited with non-zero status 3"), or null.</summary>
    public static string? StatusLine(TimeReport r)
    {
        var s = r.Status;
        if (s.Stopped) return $"Command stopped by signal {s.StopSignal}";
        if (s.Signaled) return $"Command terminated by signal {s.TermSignal}";
        if (s.ExitCode != 0) return $"Command exited with non-zero status {s.ExitCode}";
        return null;
    }

    /// <summary>Expands a format (without the trailing newline GNU adds).</summary>
    public static string Render(string format, TimeReport r)
    {
        var u = r.Usage;
        var inv = CultureInfo.InvariantCulture;
        long elapsedSec = r.ElapsedMicroseconds / 1_000_000, elapsedUsec = r.ElapsedMicroseconds % 1_000_000;
        long elapsedMs = elapsedSec * 1000 + elapsedUsec / 1000;
        long cpuMs = u.UTimeMicroseconds / 1_000_000 * 1000 + u.UTimeMicroseconds % 1_000_000 / 1000
                   + u.STimeMicroseconds / 1_000_000 * 1000 + u.STimeMicroseconds % 1_000_000 / 1000;
        // MSEC_TO_TICKS: GNU divides the rusage "integral" sizes by CPU ticks; Linux leaves them 0.
        long ticks = cpuMs / 10;
        long Avg(long v) => ticks == 0 ? 0 : v / ticks;

        var sb = new StringBuilder(format.Length * 2);
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '%')
            {
                if (++i >= format.Length) { sb.Append('?'); break; }
                char f = format[i];
                switch (f)
                {
                    case '%': sb.Append('%'); break;
                    case 'C': sb.Append(string.Join(' ', r.Command)); break;
                    case 'D': sb.Append(Avg(u.IdRss) + Avg(u.IsRss)); break;
                    case 'E':
                        if (elapsedSec >= 3600)
                            sb.Append(inv, $"{elapsedSec / 3600}:{elapsedSec % 3600 / 60:D2}:{elapsedSec % 60:D2}");
                        else
                            sb.Append(inv, $"{elapsedSec / 60}:{elapsedSec % 60:D2}.{elapsedUsec / 10000:D2}");
                        break;
                    case 'F': sb.Append(u.MajFlt); break;
                    case 'I': sb.Append(u.InBlock); break;
                    case 'K': sb.Append(Avg(u.IdRss) + Avg(u.IsRss) + Avg(u.IxRss)); break;
                    case 'M': sb.Append(u.MaxRssKiB); break;
                    case 'O': sb.Append(u.OuBlock); break;
                    case 'P':
                        if (elapsedMs > 0) sb.Append(cpuMs * 100 / elapsedMs).Append('%');
                        else sb.Append("?%");
                        break;
                    case 'R': sb.Append(u.MinFlt); break;
                    case 'S': Seconds(sb, u.STimeMicroseconds); break;
                    case 'U': Seconds(sb, u.UTimeMicroseconds); break;
                    case 'W': sb.Append(u.NSwap); break;
                    case 'X': sb.Append(Avg(u.IxRss)); break;
                    case 'Z': sb.Append(r.PageSizeBytes); break;
                    case 'c': sb.Append(u.NivCsw); break;
                    case 'e': Seconds(sb, r.ElapsedMicroseconds); break;
                    case 'k': sb.Append(u.NSignals); break;
                    case 'p': sb.Append(Avg(u.IsRss)); break;
                    case 'r': sb.Append(u.MsgRcv); break;
                    case 's': sb.Append(u.MsgSnd); break;
                    case 't': sb.Append(Avg(u.IdRss)); break;
                    case 'w': sb.Append(u.NvCsw); break;
                    case 'x': sb.Append(r.Status.ExitCode); break;
                    default: sb.Append('?').Append(f); break;
                }
            }
            else if (c == '\\')
            {
                if (++i >= format.Length) { sb.Append("?\\"); break; }
                char f = format[i];
                switch (f)
                {
                    case 't': sb.Append('\t'); break;
                    case 'n': sb.Append('\n'); break;
                    case '\\': sb.Append('\\'); break;
                    default: sb.Append("?\\").Append(f); break;
                }
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static void Seconds(StringBuilder sb, long micros) =>
        sb.Append(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000 / 10000:D2}");
}
