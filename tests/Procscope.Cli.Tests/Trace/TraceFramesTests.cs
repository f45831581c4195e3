using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// procscope trace on tests/tracees/trace-frames.c: the mask rt_sigreturn and i386 sigreturn
/// restore (read from the signal frame at the stack pointer), and -yy socket endpoints in
/// strace's forms (protocol name from the kernel, UNIX peers and quoted paths, netlink port ids),
/// exact and against strace on the same tracee.
/// </summary>
public sealed partial class TraceFramesTests
{
    private static string Tracee => CTracees.Build("trace-frames");

    private static string L(string call, string result) => call.PadRight(39) + " = " + result;

    private static string[] FromMarker(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.FindIndex(lines, l => l.Contains("close(-42)"));
        Assert.True(at >= 0, "no marker call in:\n" + output);
        return lines[at..];
    }

    [GeneratedRegex(@"\b\d{3,}\b")]
    private static partial Regex LongNumber();

    [GeneratedRegex(@"\) +=(?= )")]
    private static partial Regex Padding();

    private static readonly string[] Masks =
    [
        "{mask=[HUP RT_4]}",
        "{mask=~[KILL USR1 TERM STOP RTMIN RT_1]}",
    ];

    [Theory]
    [InlineData("sigreturn")]
    [InlineData("siginfo")]
    public void RtSigreturn_ShowsTheMaskSavedInTheFrame(string mode)
    {
        var r = Run.Procscope("trace", "-e", "trace=rt_sigreturn", Tracee, mode);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stderr.Split('\n').Where(l => l.StartsWith("rt_sigreturn(", StringComparison.Ordinal)).ToArray();
        Assert.Equal([L($"rt_sigreturn({Masks[0]})", "0"), L($"rt_sigreturn({Masks[1]})", "0")], lines);
    }

    [Theory]
    [InlineData("sigreturn", "sigreturn")]
    [InlineData("siginfo", "rt_sigreturn")]
    public void ThirtyTwoBit_SigreturnAndRtSigreturn_ShowTheMask(string mode, string call)
    {
        var cc = new[] { "/usr/bin/gcc", "/usr/bin/cc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var exe = Path.Combine(Path.GetTempPath(), $"procscope-trace-frames32-{Environment.ProcessId}-{mode}");
        var build = Run.Program(cc, ["-m32", "-O1", "-o", exe, Path.Combine(Run.RepoRoot, "tests", "tracees", "trace-frames.c")]);
        if (build.ExitCode != 0) Assert.Skip("gcc -m32 cannot build here (gcc-multilib missing): " + build.Stderr.Split('\n')[0]);
        try
        {
            var r = Run.Procscope("trace", "-e", "trace=sigreturn,rt_sigreturn", exe, mode);
            Assert.Equal(0, r.ExitCode);
            var lines = r.Stderr.Split('\n').Where(l => l.Contains("sigreturn(", StringComparison.Ordinal)).ToArray();
            Assert.Equal([L($"{call}({Masks[0]})", "0"), L($"{call}({Masks[1]})", "0")], lines);
        }
        finally
        {
            File.Delete(exe);
        }
    }

    [Fact]
    public void SocketEndpoints_ExactForms()
    {
        var path = Path.Combine(Path.GetTempPath(), $"procscope-{Environment.ProcessId}-a>b\"c.sock");
        var r = Run.Procscope("trace", "-yy", Tracee, "sockets", path);
        Assert.Equal(0, r.ExitCode);
        var lines = FromMarker(r.Stderr);
        string quoted = path.Replace("\"", "\\\"");
        // socketpair: both ends show their peer.
        Assert.Matches(@"^socketpair\(AF_UNIX, SOCK_DGRAM, 0, \[3<UNIX:\[(\d+)->(\d+)\]>, 4<UNIX:\[\2->\1\]>\]\) += 0$", lines[1]);
        Assert.Matches(@"^socketpair\(AF_UNIX, SOCK_SEQPACKET, 0, \[3<UNIX:\[(\d+)->(\d+)\]>, 4<UNIX:\[\2->\1\]>\]\) += 0$", lines[5]);
        // TCP: bound listener, then both ends of the connection.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^listen\(3<TCP:\[127\.0\.0\.1:\d+\]>, 1\) += 0$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^accept\(3<TCP:\[127\.0\.0\.1:(\d+)\]>, NULL, NULL\) += 5<TCP:\[127\.0\.0\.1:\1->127\.0\.0\.1:\d+\]>$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^write\(4<TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:\d+\]>, ""y"", 1\) += 1$"));
        // UNIX stream: the kernel's protocol name; the bound path quoted as strace quotes it, '>' kept.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^socket\(AF_UNIX, SOCK_STREAM, 0\) += 3<UNIX-STREAM:\[\d+\]>$"));
        Assert.Contains(lines, l => l.StartsWith("listen(3<UNIX-STREAM:[", StringComparison.Ordinal) && l.Contains($",\"{quoted}\"]>, 1)", StringComparison.Ordinal));
        // netlink: protocol and port id once bound.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^write\(3<NETLINK:\[ROUTE:\d+\]>, """", 0\) += -1 ENODATA"));
    }

    [Fact]
    public void SocketEndpoints_SameAsStrace()
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var path = Path.Combine(Path.GetTempPath(), $"procscope-{Environment.ProcessId}-same.sock");
        var ours = Run.Procscope("trace", "-yy", Tracee, "sockets", path);
        var theirs = Run.Program("strace", ["-yy", Tracee, "sockets", path]);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        // The netlink port ids are the tracees' pids, whose widths may differ between the two runs,
        // and with them the padding before " = ".
        Assert.Equal(FromMarker(theirs.Stderr).Select(Normalise), FromMarker(ours.Stderr).Select(Normalise));
        static string Normalise(string l) => Padding().Replace(LongNumber().Replace(l, "N"), ") =");
    }

    [Fact]
    public void Sigreturn_SameAsStrace()
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var ours = Run.Procscope("trace", "-e", "trace=rt_sigreturn,rt_sigprocmask", Tracee, "siginfo");
        var theirs = Run.Program("strace", ["-e", "trace=rt_sigreturn,rt_sigprocmask", Tracee, "siginfo"]);
        Assert.Equal(FromLast(theirs.Stderr), FromLast(ours.Stderr));

        // From the tracee's own first rt_sigprocmask (libc's start-up makes none here).
        static string[] FromLast(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("---", StringComparison.Ordinal)).ToArray();
    }
}
