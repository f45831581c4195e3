using System.Text.Json;
using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// strace's less common options on tests/tracees/trace-calls.c: -A, -a, -n, -i, -u, -E, -b execve,
/// -e read=/write= dumps, -e quiet=/-qq, -e decode-fds=, -e inject=/fault=. Each is compared with
/// strace 6.1 on the same tracee (addresses, pids and instruction pointers normalised), and the
/// lines that matter are also asserted literally so a test still means something without strace.
/// </summary>
public sealed partial class TraceOptionsTests
{
    private static string Tracee => CTracees.Build("trace-calls");

    private static string L(string call, string result) => call.PadRight(39) + " = " + result;

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] FromMarker(string output)
    {
        var lines = Lines(output);
        int at = Array.FindIndex(lines, l => l.Contains("close(-42)"));
        Assert.True(at >= 0, "no marker call in:\n" + output);
        return lines[at..];
    }

    [GeneratedRegex(@"\[[0-9a-f]{8,16}\]")]
    private static partial Regex InstructionPointer();

    [GeneratedRegex(@"0x[0-9a-f]+")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\b\d{3,}\b")]
    private static partial Regex LongNumber();

    [GeneratedRegex(@" <\d+\.\d{6}>")]
    private static partial Regex Duration();

    /// <summary>Addresses, pids, instruction pointers, durations; strace's message prefix as ours.</summary>
    private static string Normalise(string line) =>
        LongNumber().Replace(Hex().Replace(Duration().Replace(InstructionPointer().Replace(line, "[IP]"), " <T>"), "0xADDR"), "N")
            .Replace("strace: ", "procscope trace: ");

    /// <summary>Runs procscope trace and strace with the same arguments; both outputs normalised.</summary>
    private static (string[] Ours, string[] Theirs, RunResult OurRun, RunResult TheirRun) Both(params string[] args)
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var ours = Run.Procscope(["trace", .. args]);
        var theirs = Run.Program("strace", args);
        return (Lines(ours.Stderr).Select(Normalise).ToArray(), Lines(theirs.Stderr).Select(Normalise).ToArray(), ours, theirs);
    }

    // ------------------------------------------------------------------ -e read= / -e write=

    [Fact]
    public void Dumps_HostileBytesAsDots_ExactLines()
    {
        var r = Run.Procscope("trace", "-e", "trace=write,writev,read,readv,sendmsg,recvmsg", "-e", "write=4,5", "-e", "read=3,6", Tracee, "io");
        Assert.Equal(0, r.ExitCode);
        var lines = Lines(r.Stderr);
        int w = Array.FindIndex(lines, l => l.StartsWith("write(4, \"hi\\n\\t\\33[31m\\377\\0zz"));
        Assert.True(w > 0, r.Stderr);
        Assert.Equal(
        [
            " | 00000  68 69 0a 09 1b 5b 33 31  6d ff 00 7a 7a 30 31 32  hi...[31m..zz012 |",
            " | 00010  33 34 35 36 37 38 39 61  62 63 64 65 66 67 68 69  3456789abcdefghi |",
            " | 00020  6a                                                j                |",
            "writev(4, [{iov_base=\"ab\\r\\n\", iov_len=4}, {iov_base=\"\\177\\200~ \", iov_len=4}], 2) = 8",
            " * 4 bytes in buffer 0",
            " | 00000  61 62 0d 0a                                       ab..             |",
            " * 4 bytes in buffer 1",
            " | 00000  7f 80 7e 20                                       ..~              |",
        ], lines[(w + 1)..(w + 9)]);
        // readv: the 8 bytes read are split over the buffers as the kernel filled them.
        int rv = Array.FindIndex(lines, l => l.StartsWith("readv(3, "));
        Assert.Equal(
        [
            " * 5 bytes in buffer 0",
            " | 00000  61 62 0d 0a 7f                                    ab...            |",
            " * 3 bytes in buffer 1",
            " | 00000  80 7e 20                                          .~               |",
        ], lines[(rv + 1)..(rv + 5)]);
        int big = Array.FindIndex(lines, l => l.StartsWith("write(4, \"pw~"));
        Assert.Equal(" | 00020  50 57 5e 65 6c 73 7a 81                           PW^elsz.         |", lines[big + 3]);
        // A failed write to a negative descriptor is not dumped; nothing on fds outside the sets.
        Assert.Equal(L("write(-1, \"hi\\n\\t\", 4)", "-1 EBADF (Bad file descriptor)"), lines[^2]);
        Assert.Equal("+++ exited with 0 +++", lines[^1]);
        Assert.All(lines, l => Assert.DoesNotContain('\x1b', l));
    }

    [Fact]
    public void Dumps_SameAsStrace()
    {
        var (ours, theirs, o, t) = Both("-e", "trace=write,writev,read,readv,sendmsg,recvmsg", "-e", "write=4,5", "-e", "read=all", Tracee, "io");
        Assert.Equal(t.ExitCode, o.ExitCode);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Dumps_InvalidDescriptor_OneLine()
    {
        var r = Run.Procscope("trace", "-e", "read=x", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope trace: invalid descriptor 'x'\n", r.Stderr);
    }

    // ------------------------------------------------------------------ -n, -i, -a

    [Fact]
    public void SyscallNumberAndInstructionPointer_SameAsStrace()
    {
        var (ours, theirs, o, t) = Both("-n", "-i", Tracee, "calls");
        Assert.Equal(t.ExitCode, o.ExitCode);
        Assert.Equal(theirs, ours);
        Assert.Equal("[   3] [IP] close(-42)    = -1 EBADF (Bad file descriptor)", ours.First(l => l.Contains("close(-42)")));
        // The exit line keeps the last call's number; the process is gone, so no instruction pointer.
        Assert.Equal("[ N] [????????????????] +++ exited with 7 +++", ours[^1]);
    }

    [Fact]
    public void InstructionPointer_I386Calls_SameAsStrace()
    {
        // An i386 call prints its address with %08lx (int $0x80 from 64-bit code: all its digits);
        // the ABI change shows at the untraced exit_group too, so no seccomp filter here.
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var ours = Run.Procscope("trace", "--no-seccomp-bpf", "-i", "-n", "-e", "trace=close", Tracee, "int80");
        var theirs = Run.Program("strace", ["-i", "-n", "-e", "trace=close", Tracee, "int80"]);
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(Lines(theirs.Stderr).Select(Normalise), Lines(ours.Stderr).Select(Normalise));
        var lines = Lines(ours.Stderr);
        Assert.Matches(@"^\[   6\] \[[0-9a-f]{8,}\] close\(-80\) += -1 EBADF", lines[^3]);
        Assert.Matches(@"^\[   6\] \[[0-9a-f]{16}\] \[ Process PID=\d+ runs in 64 bit mode. \]$", lines[^2]);
        Assert.Equal("[ 231] [????????????????] +++ exited with 0 +++", lines[^1]);
    }

    [Theory]
    [InlineData("0", "close(-77) = -1 EBADF (Bad file descriptor)")]
    [InlineData("20", "close(-77)          = -1 EBADF (Bad file descriptor)")]
    [InlineData("11", "close(-77) = -1 EBADF (Bad file descriptor)")]
    [InlineData("12", "close(-77)  = -1 EBADF (Bad file descriptor)")]
    public void Columns_AlignTheResult(string column, string expected)
    {
        var r = Run.Procscope("trace", "-a", column, "-e", "trace=close", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        Assert.Contains(expected, Lines(r.Stderr));
        if (Run.CommandExists("strace"))
            Assert.Contains(expected, Lines(Run.Program("strace", ["-a", column, "-e", "trace=close", Tracee, "calls"]).Stderr));
    }

    [Fact]
    public void Columns_Invalid_OneLine()
    {
        var r = Run.Procscope("trace", "-a", "x", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope trace: invalid -a argument: 'x'\n", r.Stderr);
    }

    // ------------------------------------------------------------------ -A, quiet

    [Fact]
    public void Append_SecondRunFollowsTheFirst()
    {
        var file = Path.Combine(Path.GetTempPath(), $"procscope-trace-append-{Environment.ProcessId}");
        File.WriteAllText(file, "kept\n");
        try
        {
            Assert.Equal(7, Run.Procscope("trace", "-A", "-o", file, "-e", "trace=close", Tracee, "calls").ExitCode);
            Assert.Equal(7, Run.Procscope("trace", "--output-append-mode", "-o", file, "-e", "trace=lseek", Tracee, "calls").ExitCode);
            var lines = Lines(File.ReadAllText(file));
            Assert.Equal("kept", lines[0]);
            Assert.Equal(
            [
                L("close(-77)", "-1 EBADF (Bad file descriptor)"),
                "+++ exited with 7 +++",
                L("lseek(-5, 123456, SEEK_END)", "-1 EBADF (Bad file descriptor)"),
                "+++ exited with 7 +++",
            ], lines[^4..]);
            // Without -A the file is truncated.
            Run.Procscope("trace", "-o", file, "-e", "trace=lseek", Tracee, "calls");
            Assert.Equal([L("lseek(-5, 123456, SEEK_END)", "-1 EBADF (Bad file descriptor)"), "+++ exited with 7 +++"], Lines(File.ReadAllText(file)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void QuietTwice_NoExitLines()
    {
        var r = Run.Procscope("trace", "-qq", "-e", "trace=close", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        Assert.Equal(L("close(-77)", "-1 EBADF (Bad file descriptor)"), Lines(r.Stderr)[^1]);
    }

    [Fact]
    public void QuietSet_SameAsStrace()
    {
        // Personality messages and exits quiet; attach messages kept (a single-threaded child).
        var (ours, theirs, _, _) = Both("-e", "quiet=personality,exit", "-e", "trace=close", Tracee, "int80");
        Assert.Equal(theirs, ours);
        Assert.DoesNotContain(ours, l => l.StartsWith("[ Process") || l.StartsWith("+++"));
        var r = Run.Procscope("trace", "-e", "quiet=nonsense", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope trace: invalid quiet 'nonsense'\n", r.Stderr);
        var both = Run.Procscope("trace", "-q", "-e", "quiet=exit", "true");
        Assert.Equal(1, both.ExitCode);
        Assert.StartsWith("procscope trace: -q and -e quiet/--quiet cannot be provided simultaneously\n", both.Stderr);
    }

    [Fact]
    public void OutputFileWithCommand_ImpliesQuiet_AsStrace()
    {
        var file = Path.Combine(Path.GetTempPath(), $"procscope-trace-quiet-{Environment.ProcessId}");
        try
        {
            var r = Run.Procscope("trace", "-f", "-o", file, "-e", "trace=close", Tracee, "fork");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.Stderr);
            Assert.Matches(@"\d+ close\(-78\) += -1 EBADF", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DecodeFdsPath_IsMinusY()
    {
        var a = Run.Procscope("trace", "-e", "decode-fds=path", "-e", "trace=openat", "cat", "/dev/null");
        var b = Run.Procscope("trace", "--decode-fds", "-e", "trace=openat", "cat", "/dev/null");
        Assert.Equal(0, a.ExitCode);
        Assert.Contains("openat(AT_FDCWD<" + Directory.GetCurrentDirectory() + ">, \"/dev/null\", O_RDONLY) = 3</dev/null>\n", a.Stderr);
        Assert.Equal(a.Stderr, b.Stderr);
    }

    // ------------------------------------------------------------------ -u, -E, -b

    [Fact]
    public void User_RunsWithItsIdsAndGroups_SameAsStrace()
    {
        if (!Run.IsRoot) Assert.Skip("-u needs root");
        foreach (var user in new[] { "nobody", "root" })
        {
            var ours = Run.Procscope("trace", "-u", user, "-e", "trace=none", "id");
            Assert.Equal(0, ours.ExitCode);
            var expected = Run.Program("id", [user]).Stdout;
            Assert.Equal(expected, ours.Stdout);
            if (Run.CommandExists("strace"))
                Assert.Equal(Run.Program("strace", ["-u", user, "-e", "trace=none", "id"]).Stdout, ours.Stdout);
        }
    }

    [Fact]
    public void User_UnknownOrUnprivileged_OneLineExit1()
    {
        var r = Run.Procscope("trace", "-u", "procscope-no-such-user", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope trace: Cannot find user 'procscope-no-such-user'\n", r.Stderr);
        if (!Run.IsRoot || !Run.CommandExists("setpriv")) return;
        var p = Run.Program("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "trace", "-u", "nobody", "true"]);
        Assert.Equal(1, p.ExitCode);
        Assert.Equal("procscope trace: You must be root to use the -u/--username option\n", p.Stderr);
    }

    [Fact]
    public void Env_SetsReplacesAndRemoves_SameAsStrace()
    {
        var env = new Dictionary<string, string?> { ["PROCSCOPE_T1"] = "old", ["PROCSCOPE_T2"] = "gone" };
        string[] args = ["trace", "-E", "PROCSCOPE_T1=new", "-E", "PROCSCOPE_T2", "-E", "PROCSCOPE_T3=a=b", "-e", "trace=none",
            "sh", "-c", "echo \"$PROCSCOPE_T1|${PROCSCOPE_T2-unset}|$PROCSCOPE_T3\""];
        var ours = Run.ProcscopeEnv(env, args);
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal("new|unset|a=b\n", ours.Stdout);
        if (Run.CommandExists("strace"))
            Assert.Equal(Run.Program("strace", args[1..], env).Stdout, ours.Stdout);
    }

    [Fact]
    public void DetachOnExecve_SameAsStrace()
    {
        var (ours, theirs, o, t) = Both("-b", "execve", "-e", "trace=execve", "sh", "-c", "exec " + Tracee + " calls");
        // Detached at the second execve: the command runs on untraced and its status is not ours.
        Assert.Equal(0, t.ExitCode);
        Assert.Equal(0, o.ExitCode);
        Assert.Equal(theirs, ours);
        Assert.Matches(@"^execve\(""[^""]*trace-calls"", \[.*""calls""\], 0xADDR /\* \d+ vars \*/procscope trace: Process N detached$", ours[1]);
        Assert.Equal(" <detached ...>", ours[2]);
        Assert.DoesNotContain(ours, l => l.Contains("close(-42)"));
    }

    [Fact]
    public void DetachOnExecve_FollowedChildIsDetached_ParentStaysTraced()
    {
        var r = Run.Procscope("trace", "-f", "-q", "-b", "execve", "-e", "trace=execve,exit_group", Tracee, "vfork");
        Assert.Equal(0, r.ExitCode);
        var lines = Lines(r.Stderr);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\[pid \d+\] execve\(""/bin/true"", \[""/bin/true""\], 0x[0-9a-f]+ /\* 0 vars \*/ <detached \.\.\.>$"));
        Assert.Equal(L("exit_group(0)", "?"), lines[^2]);
        Assert.Equal("+++ exited with 0 +++", lines[^1]);
    }

    [Fact]
    public void DetachOn_OtherCall_OneLine()
    {
        var r = Run.Procscope("trace", "-b", "fork", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope trace: Syscall 'fork' for -b isn't supported\n", r.Stderr);
    }

    [Fact]
    public void Daemonize_TracerIsADetachedGrandchild_SameLinesAsStrace()
    {
        // The output is complete when the tracer exits: it holds our stderr pipe until then.
        var (ours, theirs, o, t) = Both("-D", "-e", "trace=close,execve", Tracee, "calls");
        Assert.Equal(7, t.ExitCode);
        Assert.Equal(7, o.ExitCode);
        Assert.Equal(theirs, ours);
        Assert.Matches(@"^procscope trace: Process N attached$", ours[0]);
        Assert.StartsWith("execve(", ours[1]);
        Assert.Equal("+++ exited with 7 +++", ours[^1]);
    }

    [Fact]
    public void Daemonize_CommandIsTheCallersChild()
    {
        // With -D the command replaces procscope: its parent is whoever started procscope (us).
        var r = Run.Procscope("trace", "-D", "-e", "trace=none", "sh", "-c", "echo $PPID");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Environment.ProcessId.ToString() + "\n", r.Stdout);
        Assert.EndsWith("+++ exited with 0 +++\n", r.Stderr);
        var none = Run.Procscope("trace", "-D", "-p", "1");
        Assert.Equal(1, none.ExitCode);
        Assert.StartsWith("procscope trace: PROG [ARGS] must be specified with -D/--daemonize\n", none.Stderr);
    }

    [Theory]
    [InlineData("3", "TERM")]
    [InlineData("never", "INT")]
    [InlineData("4", "TSTP")]
    public void Interruptible_Never_SignalsToTheTracerAreIgnored(string level, string signal)
    {
        // The command's parent is procscope: it signals it, then finishes; tracing goes on to the end.
        var r = Run.Procscope("trace", "-I", level, "-e", "trace=kill", "sh", "-c", $"kill -{signal} $PPID; echo done");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("done\n", r.Stdout);
        Assert.Matches($@"^kill\(\d+, SIG{signal}\) += 0\n", r.Stderr);
        Assert.EndsWith("+++ exited with 0 +++\n", r.Stderr);
    }

    [Fact]
    public void Interruptible_Invalid_OneLine()
    {
        var r = Run.Procscope("trace", "-I", "5", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope trace: invalid -I argument: '5'\n", r.Stderr);
    }

    // ------------------------------------------------------------------ -e inject= / -e fault=

    [Theory]
    [InlineData("-e", "trace=close,lseek", "-e", "inject=close:error=EPERM:when=3..4", "-e", "fault=lseek")]
    [InlineData("-e", "inject=close:retval=5:when=1+2", "-e", "fault=write:error=ENOSPC")]
    [InlineData("-e", "trace=close", "-e", "fault=close:when=3..4")]
    [InlineData("-T", "-e", "trace=close", "-e", "inject=close:error=22:when=3+")]
    [InlineData("--no-seccomp-bpf", "-e", "trace=close,lseek", "-e", "inject=close:error=EPERM:when=3", "-e", "fault=lseek")]
    [InlineData("-e", "trace=close", "-e", "inject=close:signal=SIGUSR1:error=ENOENT:when=3")]
    [InlineData("-e", "trace=kill", "-e", "inject=kill:signal=SIGCHLD")]
    public void Inject_SameAsStrace(params string[] options)
    {
        // strace has no --no-seccomp-bpf (it is its default): drop it from its command line.
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        string mode = options.Contains("trace=kill") ? "signal" : "calls";
        var ours = Run.Procscope(["trace", .. options, Tracee, mode]);
        var theirs = Run.Program("strace", [.. options.Where(o => o != "--no-seccomp-bpf"), Tracee, mode]);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        Assert.Equal(Lines(theirs.Stderr).Select(Normalise).ToArray(), Lines(ours.Stderr).Select(Normalise).ToArray());
        Assert.Contains(options.Any(o => o.Contains("error=") || o.StartsWith("fault")) ? " (INJECTED)" : "si_code=SI_KERNEL", ours.Stderr);
    }

    [Theory]
    [InlineData("--seccomp-bpf")]
    [InlineData("--no-seccomp-bpf")]
    public void Inject_TheTraceeSeesTheResult(string path)
    {
        // The forked child exits 3 only when its close(-78) fails with EBADF, the parent 0 only then;
        // retval=0 on every close leaves ld.so's close(3) harmless but makes the child exit 4.
        var r = Run.Procscope("trace", path, "-f", "-q", "-e", "trace=close", "-e", "inject=close:retval=0", Tracee, "fork");
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"\[pid \d+\] close\(-78\) += 0 \(INJECTED\)\n", r.Stderr);
        Assert.Matches(@"\[pid \d+\] \+\+\+ exited with 4 \+\+\+\n", r.Stderr);
        // when=9: no thread makes nine close calls, so nothing is tampered with.
        var none = Run.Procscope("trace", path, "-f", "-q", "-e", "trace=close", "-e", "inject=close:retval=0:when=9", Tracee, "fork");
        Assert.Equal(0, none.ExitCode);
        Assert.DoesNotContain("INJECTED", none.Stderr);
        // A failed kill(2) sends no signal: no delivery line follows.
        var kill = Run.Procscope("trace", path, "-e", "trace=kill", "-e", "inject=kill:error=EPERM", Tracee, "signal");
        Assert.Equal(0, kill.ExitCode);
        Assert.Matches(@"^kill\(\d+, SIGUSR1\) += -1 EPERM \(Operation not permitted\) \(INJECTED\)\n\+\+\+ exited with 0 \+\+\+\n$", kill.Stderr);
    }

    [Fact]
    public void Inject_OnlyTracedCallsAreTampered()
    {
        var r = Run.Procscope("trace", "-e", "trace=lseek", "-e", "inject=close:error=EPERM", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        Assert.DoesNotContain("INJECTED", r.Stderr);
    }

    [Fact]
    public void Inject_Json_MarksTheCall()
    {
        var r = Run.Procscope("trace", "--json", "-e", "trace=close", "-e", "inject=close:error=ENOENT:when=3", Tracee, "calls");
        var calls = Lines(r.Stderr).Select(l => JsonDocument.Parse(l).RootElement).Where(o => o.GetProperty("type").GetString() == "syscall").ToList();
        var injected = calls.Single(o => o.TryGetProperty("injected", out _));
        Assert.Equal("ENOENT", injected.GetProperty("errno").GetString());
        Assert.Equal("-42", injected.GetProperty("args")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("inject=close")]
    [InlineData("inject=close:error=NOPE")]
    [InlineData("inject=close:when=0:error=EPERM")]
    [InlineData("inject=close:when=3..2:error=EPERM")]
    [InlineData("inject=close:error=EPERM:retval=1")]
    [InlineData("fault=close:retval=1")]
    public void Inject_InvalidSpec_SameMessageAsStrace(string expr)
    {
        var r = Run.Procscope("trace", "-e", expr, "true");
        Assert.Equal(1, r.ExitCode);
        string kind = expr.StartsWith("fault") ? "fault" : "inject";
        string expected = $"invalid {kind} argument '{expr[(expr.IndexOf('=') + 1)..]}'";
        Assert.StartsWith("procscope trace: " + expected + "\n", r.Stderr);
        if (Run.CommandExists("strace"))
            Assert.StartsWith("strace: " + expected + "\n", Run.Program("strace", ["-e", expr, "true"]).Stderr);
    }
}
