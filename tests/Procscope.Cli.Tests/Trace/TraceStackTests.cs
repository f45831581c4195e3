using System.Text.Json;
using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// trace -k on tests/tracees/trace-stack.c (built with -fomit-frame-pointer at -O1 and -O2, so
/// only CFI unwinds it): the frames of each call, line by line against strace -k on the same
/// binary, and exact frames that hold without strace; 32-bit tracees print no stacks, as strace.
/// </summary>
public sealed partial class TraceStackTests
{
    private const string Calls = "trace=write,getppid,rt_sigreturn,exit_group";

    private static string Build(string opt, bool m32 = false)
    {
        var cc = new[] { "/usr/bin/gcc", "/usr/bin/cc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        // Letters only: the comparison masks long numbers, which must not hit the program's path.
        var unique = new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());
        var exe = Path.Combine(Path.GetTempPath(), $"procscope-trace-stack-{unique}{opt}{(m32 ? "-m" : "")}");
        string[] flags = m32 ? ["-m32", opt, "-fomit-frame-pointer"] : [opt, "-fomit-frame-pointer"];
        var build = Run.Program(cc, [.. flags, "-Wall", "-Werror", "-o", exe, Path.Combine(Run.RepoRoot, "tests", "tracees", "trace-stack.c")]);
        if (build.ExitCode != 0)
        {
            if (m32) Assert.Skip("gcc -m32 cannot build here (gcc-multilib missing): " + build.Stderr.Split('\n')[0]);
            Assert.Fail(build.Stderr);
        }
        return exe;
    }

    [GeneratedRegex(@"\b\d{3,}\b|0x[0-9a-f]{9,}")]
    private static partial Regex Varying();

    private static string[] Normalise(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Varying().Replace(l, "N")).ToArray();

    private static string[] Ours(params string[] args)
    {
        var outFile = Path.GetTempFileName();
        try
        {
            var r = Run.Procscope(["trace", "-k", "-o", outFile, .. args]);
            Assert.Equal(0, r.ExitCode);
            return Normalise(File.ReadAllText(outFile));
        }
        finally { File.Delete(outFile); }
    }

    private static string[]? Strace(params string[] args)
    {
        if (!File.Exists("/usr/bin/strace")) return null;
        var outFile = Path.GetTempFileName();
        try
        {
            var r = Run.Program("/usr/bin/strace", ["-k", "-o", outFile, .. args]);
            // strace built without an unwinder rejects -k.
            if (r.ExitCode != 0 && r.Stderr.Contains("-k", StringComparison.Ordinal)) return null;
            Assert.Equal(0, r.ExitCode);
            return Normalise(File.ReadAllText(outFile));
        }
        finally { File.Delete(outFile); }
    }

    [Theory]
    [InlineData("-O1")]
    [InlineData("-O2")]
    public void Stacks_SameAsStraceLineByLine(string opt)
    {
        var exe = Build(opt);
        try
        {
            var expected = Strace("-e", Calls, exe);
            if (expected is null) Assert.Skip("strace without -k here");
            var actual = Ours("-e", Calls, exe);
            Assert.Equal(string.Join('\n', expected), string.Join('\n', actual));
            Assert.Contains(actual, l => l.StartsWith(" > ", StringComparison.Ordinal));
        }
        finally { File.Delete(exe); }
    }

    [Theory]
    [InlineData("-O1")]
    [InlineData("-O2")]
    public void NestedStaticFunctions_UnwoundThroughCfi(string opt)
    {
        var exe = Build(opt);
        try
        {
            var lines = Ours("-e", "trace=write", exe);
            int at = Array.FindIndex(lines, l => l.StartsWith("write(1, \"stack\\n\", 6)", StringComparison.Ordinal));
            Assert.True(at >= 0, string.Join('\n', lines));
            // The first frame is libc's write (the rip at the stop), then the tracee's own functions.
            Assert.Matches(@"^ > /.*libc\.so\.6\((__)?write\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$", lines[at + 1]);
            Assert.StartsWith($" > {exe}(leaf_write+0x", lines[at + 2]);
            Assert.StartsWith($" > {exe}(middle+0x", lines[at + 3]);
            Assert.StartsWith($" > {exe}(outer+0x", lines[at + 4]);
            Assert.StartsWith($" > {exe}(main+0x", lines[at + 5]);
            // The walk ends at _start, whose CFI marks the return address undefined.
            int end = Array.FindIndex(lines, at + 1, l => !l.StartsWith(" > ", StringComparison.Ordinal));
            Assert.StartsWith($" > {exe}(_start+0x", lines[end - 1]);
            // The bracket is the address in the file: leaf_write's frame is inside leaf_write's bytes.
            var nm = Run.Program("/usr/bin/nm", [exe]);
            if (nm.ExitCode == 0)
            {
                var sym = nm.Stdout.Split('\n').First(l => l.EndsWith(" leaf_write", StringComparison.Ordinal));
                ulong start = Convert.ToUInt64(sym[..16], 16);
                var m = Regex.Match(lines[at + 2], @"\+0x([0-9a-f]+)\) \[0x([0-9a-f]+)\]$");
                Assert.Equal(start + Convert.ToUInt64(m.Groups[1].Value, 16), Convert.ToUInt64(m.Groups[2].Value, 16));
            }
        }
        finally { File.Delete(exe); }
    }

    [Fact]
    public void ExitGroup_StackTakenAtEntry_PrintedAfterExitLine()
    {
        var exe = Build("-O1");
        try
        {
            var lines = Ours("-e", "trace=exit_group", exe);
            int at = Array.IndexOf(lines, "+++ exited with 0 +++");
            Assert.True(at > 0, string.Join('\n', lines));
            Assert.StartsWith("exit_group(0)", lines[at - 1]);
            Assert.True(lines.Length > at + 2, string.Join('\n', lines));
            Assert.All(lines[(at + 1)..], l => Assert.StartsWith(" > ", l));
            Assert.StartsWith($" > {exe}(_start+0x", lines[^1]);
        }
        finally { File.Delete(exe); }
    }

    [Fact]
    public void SignalHandler_UnwoundThroughTheSignalFrame()
    {
        var exe = Build("-O1");
        try
        {
            var lines = Ours("-e", "trace=getppid", exe);
            // The third getppid runs in the handler: its stack goes through the kernel's signal
            // frame back to raise() and main.
            var starts = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("getppid()", StringComparison.Ordinal)).Select(x => x.i).ToArray();
            Assert.Equal(3, starts.Length);
            var stack = lines.Skip(starts[2] + 1).TakeWhile(l => l.StartsWith(" > ", StringComparison.Ordinal)).ToArray();
            Assert.Contains(stack, l => l.StartsWith($" > {exe}(handler+0x", StringComparison.Ordinal));
            Assert.Contains(stack, l => l.StartsWith($" > {exe}(main+0x", StringComparison.Ordinal));
            Assert.StartsWith($" > {exe}(_start+0x", stack[^1]);
        }
        finally { File.Delete(exe); }
    }

    [Fact]
    public void ThirtyTwoBit_NoStacks_AsStrace()
    {
        var exe = Build("-O1", m32: true);
        try
        {
            var actual = Ours("-e", Calls, exe);
            Assert.Contains(actual, l => l.StartsWith("write(1, \"stack\\n\", 6)", StringComparison.Ordinal));
            Assert.DoesNotContain(actual, l => l.StartsWith(" > ", StringComparison.Ordinal));
            // strace writes its "[ Process PID=N runs in 32 bit mode. ]" to stderr even with -o.
            if (Strace("-e", Calls, exe) is { } expected)
                Assert.Equal(string.Join('\n', expected), string.Join('\n', actual.Where(l => !l.StartsWith("[ Process", StringComparison.Ordinal))));
        }
        finally { File.Delete(exe); }
    }

    [Fact]
    public void Json_StackArrayPerCall()
    {
        var exe = Build("-O1");
        try
        {
            var r = Run.Procscope("trace", "--stack-trace", "--json", "-e", "trace=write", exe);
            Assert.Equal(0, r.ExitCode);
            var line = r.Stderr.Split('\n').First(l => l.Contains("\"name\":\"write\"", StringComparison.Ordinal));
            using var doc = JsonDocument.Parse(line);
            var stack = doc.RootElement.GetProperty("stack").EnumerateArray().ToArray();
            Assert.Contains("libc.so.6", stack[0].GetProperty("module").GetString());
            Assert.Equal(exe, stack[1].GetProperty("module").GetString());
            Assert.Equal("leaf_write", stack[1].GetProperty("symbol").GetString());
            Assert.True(stack[1].GetProperty("offset").GetUInt64() > 0);
            Assert.True(stack[1].GetProperty("address").GetUInt64() > stack[1].GetProperty("file_offset").GetUInt64());
            Assert.Equal("main", stack[4].GetProperty("symbol").GetString());
        }
        finally { File.Delete(exe); }
    }

    [Fact]
    public void ExecveFromAShell_StackOfTheCallerTakenAtEntry_AsStrace()
    {
        var exe = Build("-O1");
        try
        {
            // The shell's exec: that execve is not the spawned command's first,
            // so strace takes its stack at entry (the shell calling libc's execve).
            string[] args = ["-e", "trace=execve,write", "/bin/sh", "-c", "exec " + exe];
            var actual = Ours(args);
            int second = Array.FindLastIndex(actual, l => l.StartsWith("execve(", StringComparison.Ordinal));
            Assert.True(second > 0, string.Join('\n', actual));
            Assert.Matches(@"^ > /.*libc\.so\.6\(execve\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$", actual[second + 1]);
            if (Strace(args) is { } expected) Assert.Equal(string.Join('\n', expected), string.Join('\n', actual));
        }
        finally { File.Delete(exe); }
    }

    [Theory]
    [InlineData("-no-pie")]
    [InlineData("-pie")]
    public void StrippedWithDebugLink_NamesAsStrace(string pie)
    {
        // libunwind follows .gnu_debuglink to FILE.debug beside the binary; its names are used with
        // a bias from the debug file's segments, which matches a non-PIE binary but not a PIE one
        // (objcopy --only-keep-debug rewrites the segment offsets), where strace shows no names.
        var cc = new[] { "/usr/bin/gcc", "/usr/bin/cc" }.FirstOrDefault(File.Exists);
        if (cc is null || !File.Exists("/usr/bin/objcopy")) Assert.Skip("no gcc or objcopy");
        var exe = Build("-O1") + pie;
        var dbg = exe + ".debug";
        try
        {
            Assert.Equal(0, Run.Program(cc, ["-O1", "-fomit-frame-pointer", pie, "-o", exe, Path.Combine(Run.RepoRoot, "tests", "tracees", "trace-stack.c")]).ExitCode);
            Assert.Equal(0, Run.Program("/usr/bin/objcopy", ["--only-keep-debug", exe, dbg]).ExitCode);
            Assert.Equal(0, Run.Program("/usr/bin/objcopy", ["--strip-all", "--add-gnu-debuglink=" + dbg, exe]).ExitCode);
            var lines = Ours("-e", "trace=write", exe);
            if (pie == "-no-pie") Assert.Contains(lines, l => l.StartsWith($" > {exe}(leaf_write+0x", StringComparison.Ordinal));
            else Assert.Contains(lines, l => l.StartsWith($" > {exe}() [0x", StringComparison.Ordinal));
            if (Strace("-e", "trace=write", exe) is { } expected) Assert.Equal(string.Join('\n', expected), string.Join('\n', lines));
            // Without the debug file only .dynsym is left: the program's own frames have no names.
            File.Delete(dbg);
            lines = Ours("-e", "trace=write", exe);
            Assert.Contains(lines, l => l.StartsWith($" > {exe}() [0x", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("(leaf_write+", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(exe);
            File.Delete(dbg);
            File.Delete(exe[..^pie.Length]);
        }
    }

    [Fact]
    public void WithSummaryOnly_WarnsAndCountsAsStrace()
    {
        var exe = Build("-O1");
        try
        {
            var r = Run.Procscope("trace", "-c", "-k", "-e", "trace=getppid", exe);
            Assert.Equal(0, r.ExitCode);
            var lines = r.Stderr.Split('\n');
            Assert.Equal("procscope trace: -k/--stack-trace has no effect with -c/--summary-only", lines[0]);
            Assert.DoesNotContain(lines, l => l.StartsWith(" > ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.EndsWith(" getppid", StringComparison.Ordinal) && l.Contains(" 3 ", StringComparison.Ordinal));
        }
        finally { File.Delete(exe); }
    }
}
