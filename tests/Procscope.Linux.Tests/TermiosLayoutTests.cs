using System.Diagnostics;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>The x86_64 termios, winsize and pollfd layouts in Termios.X64.cs, struct rlimit in RLimit.X64.cs, against the system headers, and the constants used.</summary>
public sealed class TermiosLayoutTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stddef.h>
        #include <termios.h>
        #include <sys/ioctl.h>
        #include <poll.h>
        #include <sys/resource.h>
        int main(void) {
            printf("termios %zu %zu %zu %zu %zu %zu %zu %zu %zu\n", sizeof(struct termios), offsetof(struct termios, c_iflag),
                   offsetof(struct termios, c_oflag), offsetof(struct termios, c_cflag), offsetof(struct termios, c_lflag),
                   offsetof(struct termios, c_line), offsetof(struct termios, c_cc), offsetof(struct termios, c_ispeed),
                   offsetof(struct termios, c_ospeed));
            printf("winsize %zu %zu %zu\n", sizeof(struct winsize), offsetof(struct winsize, ws_row), offsetof(struct winsize, ws_col));
            printf("pollfd %zu %zu %zu\n", sizeof(struct pollfd), offsetof(struct pollfd, events), offsetof(struct pollfd, revents));
            printf("consts %d %d %d %d %d %d %d %d %lu %d\n", ISIG, ICANON, ECHO, IEXTEN, ICRNL, IXON, VTIME, VMIN, (unsigned long)TIOCGWINSZ, POLLIN);
            printf("rlimit %zu %zu %zu %d\n", sizeof(struct rlimit), offsetof(struct rlimit, rlim_cur), offsetof(struct rlimit, rlim_max), (int)RLIMIT_NOFILE);
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layouts_MatchSystemHeaders()
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var dir = Directory.CreateTempSubdirectory("procscope-termios");
        try
        {
            var src = Path.Combine(dir.FullName, "t.c");
            var exe = Path.Combine(dir.FullName, "t");
            File.WriteAllText(src, Program);
            Run(cc, src, "-o", exe);
            var lines = Run(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(l => l.Split(' ')[0], l => l.Split(' ').Skip(1).Select(long.Parse).ToArray());
            Termios t = default;
            byte* b = (byte*)&t;
            Assert.Equal(lines["termios"], new long[]
            {
                sizeof(Termios), (byte*)&t.c_iflag - b, (byte*)&t.c_oflag - b, (byte*)&t.c_cflag - b, (byte*)&t.c_lflag - b,
                &t.c_line - b, t.c_cc - b, (byte*)&t.c_ispeed - b, (byte*)&t.c_ospeed - b,
            });
            Winsize w = default;
            Assert.Equal(lines["winsize"], new long[] { sizeof(Winsize), (byte*)&w.ws_row - (byte*)&w, (byte*)&w.ws_col - (byte*)&w });
            PollFd p = default;
            Assert.Equal(lines["pollfd"], new long[] { sizeof(PollFd), (byte*)&p.events - (byte*)&p, (byte*)&p.revents - (byte*)&p });
            RLimit r = default;
            Assert.Equal(lines["rlimit"], new long[] { sizeof(RLimit), (byte*)&r.rlim_cur - (byte*)&r, (byte*)&r.rlim_max - (byte*)&r, LibC.RLIMIT_NOFILE });
            Assert.Equal(lines["consts"], new long[] { LibC.ISIG, LibC.ICANON, LibC.ECHO, LibC.IEXTEN, LibC.ICRNL, LibC.IXON, LibC.VTIME, LibC.VMIN, (long)LibC.TIOCGWINSZ, LibC.POLLIN });
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file}: {e}");
        return o;
    }
}
