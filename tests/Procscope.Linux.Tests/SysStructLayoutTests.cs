using System.Diagnostics;
using Procscope.Core.Sys;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>
/// The x86_64 layouts in SysStructs.X64.cs (struct tm, struct winsize, struct pollfd) and the
/// utmp record offsets Core's <see cref="Utmp"/> parser uses, against offsetof() from the system
/// headers. Skips without a C compiler.
/// </summary>
public sealed class SysStructLayoutTests
{
    private const string Program = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <time.h>
        #include <poll.h>
        #include <utmp.h>
        #include <sys/ioctl.h>
        int main(void) {
            printf("tm %zu %zu %zu %zu %zu %zu\n", sizeof(struct tm), offsetof(struct tm, tm_sec), offsetof(struct tm, tm_hour),
                   offsetof(struct tm, tm_isdst), offsetof(struct tm, tm_gmtoff), offsetof(struct tm, tm_zone));
            printf("winsize %zu %zu %zu\n", sizeof(struct winsize), offsetof(struct winsize, ws_row), offsetof(struct winsize, ws_col));
            printf("pollfd %zu %zu %zu %zu\n", sizeof(struct pollfd), offsetof(struct pollfd, fd), offsetof(struct pollfd, events), offsetof(struct pollfd, revents));
            printf("utmp %zu %zu %zu %zu %zu %zu\n", sizeof(struct utmp), offsetof(struct utmp, ut_pid), offsetof(struct utmp, ut_line),
                   offsetof(struct utmp, ut_user), offsetof(struct utmp, ut_host), offsetof(struct utmp, ut_tv.tv_sec));
            printf("consts %d %d %d\n", (int)TIOCGWINSZ, (int)POLLERR, (int)USER_PROCESS);
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layouts_MatchSystemHeaders()
    {
        var lines = CLayout.Measure(Program);

        Tm t = default;
        Assert.Equal(lines["tm"], new[]
        {
            sizeof(Tm), (int)((byte*)&t.tm_sec - (byte*)&t), (int)((byte*)&t.tm_hour - (byte*)&t),
            (int)((byte*)&t.tm_isdst - (byte*)&t), (int)((byte*)&t.tm_gmtoff - (byte*)&t), (int)((byte*)&t.tm_zone - (byte*)&t),
        });
        Winsize w = default;
        Assert.Equal(lines["winsize"], new[] { sizeof(Winsize), (int)((byte*)&w.ws_row - (byte*)&w), (int)((byte*)&w.ws_col - (byte*)&w) });
        PollFd p = default;
        Assert.Equal(lines["pollfd"], new[] { sizeof(PollFd), (int)((byte*)&p.fd - (byte*)&p), (int)((byte*)&p.events - (byte*)&p), (int)((byte*)&p.revents - (byte*)&p) });
        Assert.Equal(lines["utmp"], new[] { Utmp.RecordSize, Utmp.PidOffset, Utmp.LineOffset, Utmp.UserOffset, Utmp.HostOffset, Utmp.TimeOffset });
        Assert.Equal(lines["consts"], new[] { (int)LibC.TIOCGWINSZ, (int)LibC.POLLERR, (int)Utmp.UserProcess });
    }

    [Fact]
    public void LocalClock_MatchesDotnetUtcOffsetForUtc()
    {
        // 2026-01-01T00:00:00Z under TZ=UTC is impossible to force in-process; check the fields agree with .NET's local time.
        long t = 1767225600;
        var local = LocalClock.ToLocal(t);
        var expected = DateTimeOffset.FromUnixTimeSeconds(t).ToOffset(TimeSpan.FromSeconds(local.UtcOffsetSeconds));
        Assert.Equal((expected.Year, expected.Month, expected.Day, expected.Hour, expected.Minute, expected.Second),
            (local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second));
        Assert.Equal(expected.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), LocalClock.Format(t, "%Y-%m-%d %H:%M:%S"));
    }

    [Fact]
    public void Terminal_RowsOfAPipe_IsNull()
    {
        using var p = new TestPipe();
        Assert.Null(Terminal.Rows(p.WriteFd));
    }

    [Fact]
    public void DescriptorStream_PipeWithoutReader_IsBroken()
    {
        using var p = new TestPipe();
        var stream = new DescriptorStream(p.WriteFd);
        stream.Write("x"u8);
        p.CloseReader();
        var e = Assert.Throws<DescriptorWriteException>(() => stream.Write("y"u8));
        Assert.True(e.IsBrokenPipe);
    }

    /// <summary>A pipe whose raw write descriptor the tests can hand to the poll/ioctl wrappers.</summary>
    private sealed class TestPipe : IDisposable
    {
        private readonly System.IO.Pipes.AnonymousPipeServerStream _server = new(System.IO.Pipes.PipeDirection.Out);
        private System.IO.Pipes.AnonymousPipeClientStream? _client;

        public TestPipe() => _client = new(System.IO.Pipes.PipeDirection.In, _server.ClientSafePipeHandle);

        public int WriteFd => (int)_server.SafePipeHandle.DangerousGetHandle();

        public void CloseReader()
        {
            _client?.Dispose();
            _client = null;
            _server.DisposeLocalCopyOfClientHandle();
        }

        public void Dispose()
        {
            _client?.Dispose();
            _server.Dispose();
        }
    }
}
