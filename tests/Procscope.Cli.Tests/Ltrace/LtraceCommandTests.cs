using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ltrace;

/// <summary>
/// procscope ltrace on tracees built five ways, a C++ tracee, a four-thread tracee, -p attach and
/// detach, against ltrace 0.7.3 where ltrace works (it prints nothing for -fno-plt and IBT builds).
/// </summary>
public sealed partial class LtraceCommandTests
{
    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex Address();

    /// <summary>The trace lines (stderr), each "call = result" with ltrace's padding collapsed, addresses as 0xADDR.</summary>
    private static List<string> Calls(string trace) =>
        trace.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Regex.Replace(l, @"\s+= ", " = "))
            .Select(l => Address().Replace(l, "0xADDR"))
            .ToList();

    /// <summary>What ltrace-calls.c must produce, in order: every call with its exact arguments and result.</summary>
    private static readonly string[] Expected =
    [
        "malloc(16) = 0xADDR",
        "strlen(\"hello\") = 5",
        "free(0xADDR) = <void>",
        "malloc(16) = 0xADDR",
        "strlen(\"hello\") = 5",
        "free(0xADDR) = <void>",
        "printf(\"%s=%d %c\\n\", \"answer\", 42, 'x') = 12",
        "snprintf(\"ff--7\", 32, \"%x-%ld\", 0xADDR, -7) = 5",
        "getenv(\"PROCSCOPE_LTRACE_UNSET\") = nil",
        "open(\"/nonexistent/procscope\", 0, 00) = -1 ENOENT (No such file or directory)",
        "__errno_location() = 0xADDR",
        "puts(\"ff--7\") = 6",
        "+++ exited (status 0) +++",
    ];

    [Theory]
    [InlineData("pie")]
    [InlineData("nopie")]
    [InlineData("now")]
    [InlineData("noplt")]
    [InlineData("ibt")]
    public void Calls_EveryBuildVariant_ExactCallsArgumentsAndResults(string variant)
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", variant);
        var r = Run.Procscope("ltrace", exe);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("answer=42 x\nff--7\n", r.Stdout);
        Assert.Equal(Expected, Calls(r.Stderr));
    }

    [Theory]
    [InlineData("pie")]
    [InlineData("nopie")]
    [InlineData("now")]
    public void Calls_WhereLtraceWorks_SameCallsAsLtrace(string variant)
    {
        if (!Run.CommandExists("ltrace")) Assert.Skip("ltrace is not installed (apt-get install ltrace)");
        var exe = LtraceTracees.Build("ltrace-calls.c", variant);
        var ours = Calls(Run.Procscope("ltrace", exe).Stderr);
        var theirs = Calls(Run.Program("ltrace", [exe]).Stderr);
        // Ours appends errno's name to a failed call's -1 (ltrace prints the bare value).
        ours = ours.Select(l => l.Replace(" = -1 ENOENT (No such file or directory)", " = -1", StringComparison.Ordinal)).ToList();
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Json_OneObjectPerCall_WithTypedFields()
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "noplt");
        var r = Run.Procscope("ltrace", "--json", exe);
        var objects = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var calls = objects.Where(o => o.GetProperty("type").GetString() == "call").ToList();
        Assert.Equal(12, calls.Count);
        var open = calls.Single(c => c.GetProperty("function").GetString() == "open");
        Assert.Equal("libc.so.6", open.GetProperty("library").GetString());
        Assert.Equal(["\"/nonexistent/procscope\"", "0", "00"], open.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(2, open.GetProperty("errno").GetInt32());
        Assert.Equal("ENOENT", open.GetProperty("errno_name").GetString());
        Assert.Equal(unchecked((ulong)uint.MaxValue), open.GetProperty("return_value").GetUInt64());
        var strlen = calls.First(c => c.GetProperty("function").GetString() == "strlen");
        Assert.Equal("5", strlen.GetProperty("return").GetString());
        Assert.True(strlen.GetProperty("returned").GetBoolean());
        var exit = objects.Last();
        Assert.Equal("exit", exit.GetProperty("type").GetString());
        Assert.Equal(0, exit.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("malloc+free", new[] { "malloc", "free", "malloc", "free" })]
    [InlineData("!strlen", new[] { "malloc", "free", "malloc", "free", "printf", "snprintf", "getenv", "open", "__errno_location", "puts" })]
    [InlineData("*@libc.so*-*alloc-free-strlen", new[] { "printf", "snprintf", "getenv", "open", "__errno_location", "puts" })]
    [InlineData("put*", new[] { "puts" })]
    public void Filter_Expressions(string expr, string[] names)
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "ibt");
        var r = Run.Procscope("ltrace", "-e", expr, exe);
        var seen = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("+++", StringComparison.Ordinal)).Select(l => l[..l.IndexOf('(')]);
        Assert.Equal(names, seen);
    }

    [Fact]
    public void SystemCalls_InterleavedWithLibraryCalls()
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "noplt");
        var lines = Calls(Run.Procscope("ltrace", "-S", "-e", "open", exe).Stderr);
        int open = lines.IndexOf("open(\"/nonexistent/procscope\", 0, 00 <unfinished ...>");
        Assert.True(open >= 0, string.Join('\n', lines));
        Assert.Equal("SYS_openat(AT_FDCWD, \"/nonexistent/procscope\", O_RDONLY) = -1 ENOENT (No such file or directory)", lines[open + 1]);
        Assert.Equal("<... open resumed> ) = -1 ENOENT (No such file or directory)", lines[open + 2]);
        Assert.Equal("SYS_exit_group(0 <no return ...>", lines[^2]);
        Assert.Equal("+++ exited (status 0) +++", lines[^1]);
    }

    [Fact]
    public void Summary_CountsCallsPerFunction()
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "pie");
        var r = Run.Procscope("ltrace", "-c", exe, "5");
        var rows = r.Stderr.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*\d+\.\d\d\s")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        // glibc's atoi is an inline call of strtol.
        Assert.Equal(["free", "malloc", "strlen", "strtol", "total"], rows.Select(r2 => r2[^1]).Order(StringComparer.Ordinal));
        Assert.All(rows.Where(r2 => r2[^1] is "free" or "malloc" or "strlen"), r2 => Assert.Equal("5", r2[^2]));
        Assert.Equal("1", rows.Single(r2 => r2[^1] == "strtol")[^2]);
        Assert.Equal("16", rows.Single(r2 => r2[^1] == "total")[^2]);
        Assert.StartsWith("% time     seconds  usecs/call     calls      function", r.Stderr.Split('\n').First(l => l.StartsWith('%')));
    }

    [Fact]
    public void Options_TimestampsInstructionPointerAndDuration()
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "nopie");
        var r = Run.Procscope("ltrace", "-ttt", "-i", "-T", "-e", "getenv", exe);
        var line = r.Stderr.Split('\n')[0];
        // 1795650781.576565 [0x401183] getenv("PROCSCOPE_LTRACE_UNSET") = nil <0.000123>
        Assert.Matches(@"^\d{10}\.\d{6} \[0x4[0-9a-f]{5}\] getenv\(""PROCSCOPE_LTRACE_UNSET""\)\s+= nil <\d+\.\d{6}>$", line);
        var s = Run.Procscope("ltrace", "-s", "3", "-e", "puts", exe);
        Assert.StartsWith("puts(\"ff-\"...)", s.Stderr);
    }

    [Fact]
    public void Cxx_DemangledWithC_MangledWithout()
    {
        var exe = LtraceTracees.Build("ltrace-cxx.cc", "pie");
        var plain = Run.Procscope("ltrace", exe);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("_ZNSolsEi(", plain.Stderr);
        var d = Calls(Run.Procscope("ltrace", "-C", exe).Stderr);
        Assert.Contains(d, l => l.StartsWith("std::basic_ostream<char, std::char_traits<char> >::operator<<(int)(0xADDR, 42, ", StringComparison.Ordinal));
        Assert.Contains(d, l => l.StartsWith("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long&, unsigned long)(", StringComparison.Ordinal));
        Assert.Contains("strlen(\"a string longer than fifteen cha\"...) = 34", d);
    }

    [Fact]
    public void Threads_FourThreadsOnOneBreakpoint_EveryCallSeenOnce()
    {
        var exe = LtraceTracees.Build("ltrace-threads.c", "pie");
        var r = Run.Procscope("ltrace", "--json", "-e", "strlen", exe, "50");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("total 500\n", r.Stdout);
        var calls = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(o => o.GetProperty("type").GetString() == "call").ToList();
        Assert.Equal(200, calls.Count);
        var byThread = calls.GroupBy(c => c.GetProperty("tid").GetInt32()).ToList();
        Assert.Equal(4, byThread.Count);
        var perString = byThread.Select(g => g.Select(c => (c.GetProperty("args")[0].GetString(), c.GetProperty("return").GetString())).Distinct().Single()).OrderBy(x => x.Item2).ToList();
        Assert.Equal([("\"a\"", "1"), ("\"bb\"", "2"), ("\"ccc\"", "3"), ("\"dddd\"", "4")], perString);
        Assert.All(byThread, g => Assert.Equal(50, g.Count()));
    }

    [Fact]
    public void Threads_TextOutput_UnfinishedAndResumedPair()
    {
        var exe = LtraceTracees.Build("ltrace-threads.c", "noplt");
        var r = Run.Procscope("ltrace", "-e", "strlen", exe, "50");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int complete = lines.Count(l => Regex.IsMatch(l, @"^\[pid \d+\] strlen\(""[a-d]+""\)\s+= [1-4]$"));
        int unfinished = lines.Count(l => Regex.IsMatch(l, @"^\[pid \d+\] strlen\(""[a-d]+"" <unfinished \.\.\.>$"));
        int resumed = lines.Count(l => Regex.IsMatch(l, @"^\[pid \d+\] <\.\.\. strlen resumed> \)\s+= [1-4]$"));
        Assert.Equal(200, complete + unfinished);
        Assert.Equal(unfinished, resumed);
    }

    [Fact]
    public void Static_ClearMessage_ProgramStillRuns()
    {
        var exe = LtraceTracees.Build("ltrace-calls.c", "pie", "-static");
        var r = Run.Procscope("ltrace", exe);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("answer=42 x\nff--7\n", r.Stdout);
        Assert.Contains($"procscope ltrace: {exe} is statically linked: it calls no shared library, so there are no library calls to trace", r.Stderr);
    }

    [Fact]
    public void Usage_Errors_OneLine()
    {
        var r = Run.Procscope("ltrace");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope ltrace: too few arguments", r.Stderr);
        var missing = Run.Procscope("ltrace", "/nonexistent/prog");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("procscope ltrace: Can't execute `/nonexistent/prog': No such file or directory\n", missing.Stderr);
        var bad = Run.Procscope("ltrace", "-p", "x1");
        Assert.Equal("procscope ltrace: invalid pid 'x1'\n", bad.Stderr);
    }

    [Fact]
    public void Unprivileged_AttachToRootProcess_ExplainsAndFails()
    {
        if (!Run.IsRoot || !File.Exists("/usr/bin/setpriv")) Assert.Skip("needs root and setpriv to run as nobody");
        var r = Run.Program("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "ltrace", "-p", "1"]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("procscope ltrace: cannot attach to 1: Operation not permitted", r.Stderr);
        // Its own child it may trace.
        var exe = LtraceTracees.Build("ltrace-calls.c", "pie");
        var own = Run.Program("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "ltrace", "-e", "puts", exe]);
        Assert.Equal("puts(\"ff--7\") = 6", Calls(own.Stderr)[0]);
    }

    /// <summary>-p, then SIGTERM to the tracer: breakpoints removed, the process detached and still calling the traced functions.</summary>
    [Fact]
    public void Attach_ThenTerminateTracer_ProcessKeepsRunning()
    {
        var exe = LtraceTracees.Build("ltrace-loop.c", "pie");
        using var tracee = Process.Start(new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            Assert.Equal("# ready", tracee.StandardOutput.ReadLine());
            // Its "alive N" lines, read as soon as they are written.
            var lines = new System.Collections.Concurrent.BlockingCollection<string>();
            var reader = new Thread(() => { string? l; while ((l = tracee.StandardOutput.ReadLine()) is not null) lines.Add(l); lines.CompleteAdding(); }) { IsBackground = true };
            reader.Start();
            int anonExecBefore = AnonymousExecutableMappings(tracee.Id);
            var output = Path.Combine(Path.GetTempPath(), $"procscope-ltrace-{Environment.ProcessId}-{tracee.Id}.out");
            using var tracer = Process.Start(new ProcessStartInfo(Run.BinaryPath) { UseShellExecute = false, ArgumentList = { "ltrace", "-p", tracee.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", output } })!;
            // Wait (bounded) until calls are being traced, with breakpoints in and calls in flight.
            for (int i = 0; i < 600 && (!File.Exists(output) || File.ReadAllText(output).Split("getpid()").Length < 4); i++) Thread.Sleep(50);
            Assert.True(File.ReadAllText(output).Split("getpid()").Length >= 4, "no getpid calls traced");
            Assert.Equal(0, Kill(tracer.Id, 15));
            Assert.True(tracer.WaitForExit(30_000), "the tracer did not stop on SIGTERM");
            // Two more "alive" lines (50 iterations each) after the detach: a leftover int3 would have
            // killed it with SIGTRAP at its next call, a corrupted register failed its strlen check.
            int seen = lines.Count;
            for (int i = 0; i < seen + 2; i++)
                Assert.True(lines.TryTake(out var line, 60_000, TestContext.Current.CancellationToken) && line.StartsWith("alive ", StringComparison.Ordinal), "the tracee stopped printing");
            Assert.False(tracee.HasExited);
            var status = File.ReadAllLines($"/proc/{tracee.Id}/status");
            Assert.Contains("TracerPid:\t0", status);
            Assert.DoesNotContain(status, l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("t (tracing stop)", StringComparison.Ordinal));
            Assert.Matches(@"getpid\(\)\s+= " + tracee.Id, File.ReadAllText(output));
            // The scratch pages made for out-of-line execution were unmapped before the detach.
            Assert.Equal(anonExecBefore, AnonymousExecutableMappings(tracee.Id));
            File.Delete(output);
        }
        finally
        {
            if (!tracee.HasExited) tracee.Kill();
            tracee.WaitForExit();
        }
    }

    /// <summary>Anonymous executable mappings ("r-xp 00000000 00:00 0"), as the scratch pages are.</summary>
    private static int AnonymousExecutableMappings(int pid) =>
        File.ReadAllLines($"/proc/{pid}/maps").Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 } f && f[1] == "r-xp" && f[4] == "0");

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int sig);
}
