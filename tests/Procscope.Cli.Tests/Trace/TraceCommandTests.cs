using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// procscope trace on tests/tracees/trace-calls.c, whose modes make known calls with odd arguments
/// and start with the marker close(-42): exact lines, strace's output on the same tracee
/// (normalised for addresses and pids), -f on forks and threads, execve from a thread, 32-bit code,
/// attach/detach and a killed tracer.
/// </summary>
public sealed partial class TraceCommandTests
{
    private static string Tracee => CTracees.Build("trace-calls");

    /// <summary>The lines from the marker call on.</summary>
    private static string[] FromMarker(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.FindIndex(lines, l => l.Contains("close(-42)"));
        Assert.True(at >= 0, "no marker call in:\n" + output);
        return lines[at..];
    }

    [GeneratedRegex(@"0x[0-9a-f]+")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\b\d{3,}\b")]
    private static partial Regex LongNumber();

    /// <summary>strace's line: the call, padded so " = " starts at column 39, then the result.</summary>
    private static string L(string call, string result) => call.PadRight(39) + " = " + result;

    private static string Normalise(string line) => LongNumber().Replace(Hex().Replace(line, "0xADDR"), "N");

    [Fact]
    public void Calls_ExactLines()
    {
        var r = Run.Procscope("trace", "-s", "256", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        Assert.Equal(
        [
            L("close(-42)", "-1 EBADF (Bad file descriptor)"),
            L("openat(AT_FDCWD, \"/nonexistent/procscope\\n\\\"q\", O_RDONLY|O_CLOEXEC)", "-1 ENOENT (No such file or directory)"),
            L("close(-77)", "-1 EBADF (Bad file descriptor)"),
            L("write(-1, \"hi\\tthere\\0x\", 10)", "-1 EBADF (Bad file descriptor)"),
            L("lseek(-5, 123456, SEEK_END)", "-1 EBADF (Bad file descriptor)"),
            L("exit_group(7)", "?"),
            "+++ exited with 7 +++",
        ], FromMarker(r.Stderr));
        Assert.StartsWith($"execve(\"{Tracee}\", [\"{Tracee}\", \"calls\"], 0x", r.Stderr);
    }

    [Fact]
    public void Calls_SameAsStrace_NormalisedForAddressesAndPids()
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var ours = Run.Procscope("trace", Tracee, "calls");
        var theirs = Run.Program("strace", [Tracee, "calls"]);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        var a = theirs.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Normalise).ToArray();
        var b = ours.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Normalise).ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Filter_SeccompSelectsOnlyNamedCalls()
    {
        var r = Run.Procscope("trace", "-e", "trace=close,lseek", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        Assert.Equal(
        [
            L("close(-42)", "-1 EBADF (Bad file descriptor)"),
            L("close(-77)", "-1 EBADF (Bad file descriptor)"),
            L("lseek(-5, 123456, SEEK_END)", "-1 EBADF (Bad file descriptor)"),
            "+++ exited with 7 +++",
        ], FromMarker(r.Stderr));
    }

    [Fact]
    public void Filter_NegatedClass_DropsItsCalls()
    {
        var r = Run.Procscope("trace", "-e", "trace=!%desc,exit_group", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // close, write, lseek and openat are all in %desc; exit_group is excluded by name.
        Assert.DoesNotContain(lines, l => l.StartsWith("close(") || l.StartsWith("openat(") || l.StartsWith("write(") || l.StartsWith("lseek(") || l.StartsWith("exit_group("));
        Assert.StartsWith("execve(", lines[0]);
        Assert.Equal("+++ exited with 7 +++", lines[^1]);
    }

    [Fact]
    public void FailedOnly_ShowsOnlyErrors()
    {
        var r = Run.Procscope("trace", "-Z", Tracee, "calls");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("+++")).ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains(" = -1 E", l));
        Assert.Contains(lines, l => l.StartsWith("close(-77)"));
    }

    [Fact]
    public void Fork_ChildLinesCarryItsPid()
    {
        var r = Run.Procscope("trace", "-f", "-e", "trace=close,exit_group", "-q", Tracee, "fork");
        Assert.Equal(0, r.ExitCode);
        var child = Regex.Match(r.Stderr, @"\[pid (\d+)\] close\(-78\)\s+= -1 EBADF \(Bad file descriptor\)");
        Assert.True(child.Success, r.Stderr);
        string pid = child.Groups[1].Value;
        Assert.Contains($"[pid {pid}] +++ exited with 3 +++", r.Stderr);
        Assert.EndsWith("+++ exited with 0 +++\n", r.Stderr);
    }

    [Fact]
    public void Pinning_EndsAtTheFirstFork_ChildrenSeeEveryCpu()
    {
        // The single-task command runs on the tracer's CPU; its forked children must not inherit that.
        int cpus = int.Parse(Run.Program("nproc", []).Stdout.Trim());
        if (cpus < 2) Assert.Skip("one CPU: nothing to tell apart");
        var r = Run.Procscope("trace", "-f", "-o", "/dev/null", "sh", "-c", "nproc; nproc");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { cpus.ToString(), cpus.ToString() }, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("trace", "-e", "trace=none")]
    [InlineData("time", "-f", "")]
    [InlineData("ltrace", "-e", "none")]
    public void CommandArguments_ReachTheCommandUntouched(params string[] ours)
    {
        // Neither our hidden options nor System.CommandLine's @response files apply after the command name.
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "expanded\n");
        var r = Run.Procscope([.. ours, "echo", "--no-color", "--procfs", "x", "@" + file, "--help"]);
        File.Delete(file);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"--no-color --procfs x @{file} --help\n", r.Stdout);
    }

    [Fact]
    public void FdPaths_AtFdCwdCarriesTheWorkingDirectory()
    {
        var r = Run.Procscope("trace", "-y", "-e", "trace=openat", "cat", "/dev/null");
        Assert.Equal(0, r.ExitCode);
        string cwd = Directory.GetCurrentDirectory();
        Assert.Contains($"openat(AT_FDCWD<{cwd}>, \"/dev/null\", O_RDONLY) = 3</dev/null>\n", r.Stderr);
    }

    [Fact]
    public void SeccompFilterWithoutF_ChildIsNotBroken()
    {
        // The child inherits the seccomp filter; untraced, its close() would fail with ENOSYS.
        var r = Run.Procscope("trace", "-e", "trace=close", Tracee, "fork");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("close(-78)", r.Stderr);
        Assert.DoesNotContain("[pid", r.Stderr);
        Assert.Equal("+++ exited with 0 +++", r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public void Vfork_ChildExecsWithoutHanging()
    {
        var r = Run.Procscope("trace", "-f", "-q", "-e", "trace=vfork,execve,exit_group", Tracee, "vfork");
        Assert.Equal(0, r.ExitCode);
        var child = Regex.Match(r.Stderr, @"\[pid (\d+)\] execve\(""/bin/true"", \[""/bin/true""\], 0x[0-9a-f]+ /\* 0 vars \*/( <unfinished \.\.\.>|\) += 0)");
        Assert.True(child.Success, r.Stderr);
        Assert.Contains($"[pid {child.Groups[1].Value}] +++ exited with 0 +++", r.Stderr);
        Assert.Matches(@"vfork\(\)\s+= \d+|<\.\.\. vfork resumed>\)\s+= \d+", r.Stderr);
        Assert.Equal("+++ exited with 0 +++", r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public void Thread_LinesCarryTheThreadId()
    {
        var r = Run.Procscope("trace", "-f", "-e", "trace=close", "-q", Tracee, "thread");
        Assert.Equal(0, r.ExitCode);
        var m = Regex.Match(r.Stderr, @"\[pid (\d+)\] close\(-79\)\s+= -1 EBADF");
        Assert.True(m.Success, r.Stderr);
        var leader = Regex.Match(r.Stderr, @"^(\[pid (\d+)\] )?close\(-42\)", RegexOptions.Multiline);
        Assert.True(leader.Success);
        Assert.Contains("[pid " + m.Groups[1].Value + "] +++ exited with 0 +++", r.Stderr);
    }

    [Fact]
    public void ExecveFromThread_SupersedesLeaderWithoutHanging()
    {
        var r = Run.Procscope("trace", "-f", "-q", Tracee, "execthr");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\+\+\+ superseded by execve in pid \d+ \+\+\+$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^(\[pid \d+\] )?<\.\.\. execve resumed>\)\s+= 0$"));
        Assert.Equal("+++ exited with 0 +++", lines[^1]);
    }

    [Fact]
    public void Int80_FromSixtyFourBitCode_DecodedWithTheI386Table()
    {
        var r = Run.Procscope("trace", Tracee, "int80");
        Assert.Equal(0, r.ExitCode);
        var lines = FromMarker(r.Stderr);
        int at = Array.FindIndex(lines, l => l.StartsWith("[ Process PID=") && l.EndsWith(" runs in 32 bit mode. ]"));
        Assert.True(at > 0, r.Stderr);
        Assert.Equal(L("close(-80)", "-1 EBADF (Bad file descriptor)"), lines[at + 1]);
        Assert.EndsWith(" runs in 64 bit mode. ]", lines[at + 2]);
    }

    [Fact]
    public void ThirtyTwoBitTracee_UsesTheI386Table()
    {
        var cc = new[] { "/usr/bin/gcc", "/usr/bin/cc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var exe = Path.Combine(Path.GetTempPath(), $"procscope-trace-calls32-{Environment.ProcessId}");
        var build = Run.Program(cc, ["-m32", "-O1", "-pthread", "-o", exe, Path.Combine(Run.RepoRoot, "tests", "tracees", "trace-calls.c")]);
        if (build.ExitCode != 0) Assert.Skip("gcc -m32 cannot build here (gcc-multilib missing): " + build.Stderr.Split('\n')[0]);
        try
        {
            var r = Run.Procscope("trace", exe, "calls");
            Assert.Equal(7, r.ExitCode);
            Assert.Contains(r.Stderr.Split('\n'), l => Regex.IsMatch(l, @"^\[ Process PID=\d+ runs in 32 bit mode. \]$"));
            var lines = FromMarker(r.Stderr);
            Assert.Equal(L("close(-77)", "-1 EBADF (Bad file descriptor)"), lines[2]);
            Assert.Equal(L("lseek(-5, 123456, SEEK_END)", "-1 EBADF (Bad file descriptor)"), lines[4]);
            Assert.Equal("+++ exited with 7 +++", lines[^1]);
        }
        finally
        {
            File.Delete(exe);
        }
    }

    [Fact]
    public void Signal_DeliveryLine()
    {
        var r = Run.Procscope("trace", "-e", "trace=kill", Tracee, "signal");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, si_pid=\d+, si_uid=\d+\} ---", r.Stderr);
    }

    [Fact]
    public void SignalMidCall_RestartSyscallNamesTheInterruptedCall()
    {
        var r = Run.Procscope("trace", "-e", "trace=clock_nanosleep,restart_syscall", Tracee, "restart");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(L("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=300000000}, NULL)", "? ERESTART_RESTARTBLOCK (Interrupted by signal)"), lines[0]);
        Assert.Matches(@"\n--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=\d+, si_uid=\d+, si_status=0, si_utime=\d+, si_stime=\d+\} ---\n" +
            Regex.Escape(L("restart_syscall(<... resuming interrupted clock_nanosleep ...>)", "0")) + "\n", r.Stderr);
    }

    [Fact]
    public void Json_OneObjectPerCall_WithTypedArguments()
    {
        var r = Run.Procscope("trace", "--json", "-e", "trace=close,lseek", Tracee, "calls");
        Assert.Equal(7, r.ExitCode);
        var objects = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var close = objects.First(o => o.GetProperty("type").GetString() == "syscall" && o.GetProperty("args")[0].GetProperty("text").GetString() == "-77");
        Assert.Equal("close", close.GetProperty("name").GetString());
        Assert.Equal(-77, close.GetProperty("args")[0].GetProperty("value").GetInt64());
        Assert.Equal(-1, close.GetProperty("return").GetInt64());
        Assert.Equal("EBADF", close.GetProperty("errno").GetString());
        Assert.True(close.GetProperty("duration_us").GetInt64() >= 0);
        var lseek = objects.First(o => o.GetProperty("type").GetString() == "syscall" && o.GetProperty("name").GetString() == "lseek");
        Assert.Equal(123456, lseek.GetProperty("args")[1].GetProperty("value").GetInt64());
        Assert.Equal("SEEK_END", lseek.GetProperty("args")[2].GetProperty("text").GetString());
        var exit = objects[^1];
        Assert.Equal("exited", exit.GetProperty("type").GetString());
        Assert.Equal(7, exit.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void Count_TableHasExactCallsAndErrors()
    {
        var loop = CTracees.Build("getppid-loop");
        var r = Run.Procscope("trace", "-c", loop, "1000");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stderr.Split('\n');
        Assert.Equal("% time     seconds  usecs/call     calls    errors syscall", lines[0]);
        var row = lines.Single(l => l.EndsWith(" getppid"));
        var f = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1000", f[3]);
        var total = lines.Single(l => l.EndsWith(" total")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("100.00", total[0]);
        Assert.True(long.Parse(total[3]) > 1000);
    }

    [Fact]
    public void Count_MatchesStraceCallCounts()
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var ours = Run.Procscope("trace", "-c", "-S", "name", Tracee, "calls");
        var theirs = Run.Program("strace", ["-c", "-S", "name", Tracee, "calls"]);
        static string[] Counts(string s) => s.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*\d+\.\d\d ")).Select(l =>
        {
            var f = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return f.Length == 6 ? $"{f[5]} {f[3]} {f[4]}" : $"{f[4]} {f[3]} 0";
        }).ToArray();
        Assert.Equal(Counts(theirs.Stderr), Counts(ours.Stderr));
    }

    [Fact]
    public void OutputFilePerProcess_WithFf()
    {
        var dir = Directory.CreateTempSubdirectory("procscope-trace-ff");
        try
        {
            var prefix = Path.Combine(dir.FullName, "out");
            var r = Run.Procscope("trace", "-ff", "-o", prefix, "-e", "trace=close", "-q", Tracee, "fork");
            Assert.Equal(0, r.ExitCode);
            var files = Directory.GetFiles(dir.FullName).OrderBy(f => f).ToArray();
            Assert.Equal(2, files.Length);
            var texts = files.Select(File.ReadAllText).ToArray();
            Assert.Contains(texts, t => t.Contains(L("close(-78)", "-1 EBADF")) && t.EndsWith("+++ exited with 3 +++\n"));
            Assert.Contains(texts, t => t.Contains("close(-42)") && !t.Contains("close(-78)") && t.EndsWith("+++ exited with 0 +++\n"));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void MissingProgram_OneLineExit1()
    {
        var r = Run.Procscope("trace", "/nonexistent/prog");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope trace: Can't stat '/nonexistent/prog': No such file or directory\n", r.Stderr);
    }

    [Fact]
    public void AttachMissingPid_OneLineExit1()
    {
        var r = Run.Procscope("trace", "-p", "999999999");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope trace: attach: ptrace(PTRACE_SEIZE, 999999999): No such process\n", r.Stderr);
    }

    [Fact]
    public void Unprivileged_SpawnWorks_AttachToRootIsDenied()
    {
        if (!Run.IsRoot || !Run.CommandExists("setpriv")) Assert.Skip("needs root and setpriv to drop privileges");
        string[] drop = ["--reuid=65534", "--regid=65534", "--clear-groups"];
        var r = Run.Program("setpriv", [.. drop, Run.BinaryPath, "trace", "-e", "trace=close", Tracee, "calls"]);
        Assert.Equal(7, r.ExitCode);
        Assert.Contains(L("close(-77)", "-1 EBADF (Bad file descriptor)"), r.Stderr);
        var p = Run.Program("setpriv", [.. drop, Run.BinaryPath, "trace", "-p", "1"]);
        Assert.Equal(1, p.ExitCode);
        Assert.Equal("procscope trace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted\n", p.Stderr);
    }

    [Fact]
    public void ExecFailure_ReportedLikeStrace()
    {
        var file = Path.Combine(Path.GetTempPath(), $"procscope-noexec-{Environment.ProcessId}");
        File.WriteAllText(file, "not a program");
        try
        {
            var r = Run.Procscope("trace", file);
            Assert.Equal(1, r.ExitCode);
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^execve\("".*"", \["".*""\], 0x[0-9a-f]+ /\* \d+ vars \*/\) = -1 EACCES \(Permission denied\)$", lines[0]);
            Assert.Equal(["procscope trace: exec: Permission denied", "+++ exited with 1 +++"], lines[1..]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void KilledBySignal_ReportsItAndDiesTheSameWay()
    {
        var r = Run.Procscope("trace", "-e", "trace=none", "sh", "-c", "kill -TERM $$");
        Assert.Contains("+++ killed by SIGTERM +++", r.Stderr);
        // procscope dies of the same signal; .NET reports a child killed by signal N as 128+N.
        Assert.Equal(128 + 15, r.ExitCode);
    }
}
