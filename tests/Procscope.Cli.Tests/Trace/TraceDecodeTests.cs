using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// procscope trace against strace 6.1 on tests/tracees/trace-ipc.c, one mode per group of calls
/// (SysV IPC; mmsghdr vectors, capabilities, sched_attr, perf_event_attr; message queues, AIO,
/// keys, futex_waitv, the new mount API, landlock, NUMA policy, kexec, modules), 64-bit and -m32 (where
/// glibc reaches SysV IPC through the i386 ipc() multiplexer). Lines are compared from the marker
/// close(-42) on, normalised for addresses, pids, times and the kernel's IPC ids.
/// </summary>
public sealed partial class TraceDecodeTests
{
    [GeneratedRegex(@"0x[0-9a-f]{5,}")]
    private static partial Regex Address();

    [GeneratedRegex(@"\b\d{3,}\b")]
    private static partial Regex LongNumber();

    /// <summary>The id an IPC call returns or takes first, which the kernel picks.</summary>
    [GeneratedRegex(@"^((?:sem|msg|shm)\w*\()\d+,|^((?:semget|msgget|shmget)\(.*\)) += \d+$")]
    private static partial Regex IpcId();

    /// <summary>recvmmsg's time left depends on how fast the call ran.</summary>
    [GeneratedRegex(@"\(left \{tv_sec=\d+, tv_nsec=\d+\}\)")]
    private static partial Regex TimeLeft();

    [GeneratedRegex(@" {2,}= ")]
    private static partial Regex Padding();

    private static string[] Normalised(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.FindIndex(lines, l => l.StartsWith("close(-42)", StringComparison.Ordinal));
        Assert.True(at >= 0, "no marker call in:\n" + output);
        return lines[at..].Select(l =>
        {
            l = TimeLeft().Replace(Padding().Replace(l, " = "), "(left {...})");
            l = IpcId().Replace(l, m => m.Groups[1].Success ? m.Groups[1].Value + "ID," : m.Groups[2].Value + " = ID");
            return LongNumber().Replace(Address().Replace(l, "0xADDR"), "N");
        }).ToArray();
    }

    private static string Build(string mode, bool m32)
    {
        if (!m32)
            return CTracees.Build("trace-ipc");
        var cc = new[] { "/usr/bin/gcc", "/usr/bin/cc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var exe = Path.Combine(Path.GetTempPath(), $"procscope-trace-ipc32-{Environment.ProcessId}-{mode}");
        var build = Run.Program(cc, ["-m32", "-O1", "-o", exe, Path.Combine(Run.RepoRoot, "tests", "tracees", "trace-ipc.c")]);
        if (build.ExitCode != 0) Assert.Skip("gcc -m32 cannot build here (gcc-multilib missing): " + build.Stderr.Split('\n')[0]);
        return exe;
    }

    [Theory]
    [InlineData("sysv", false)]
    [InlineData("sysv", true)]
    [InlineData("vectors", false)]
    [InlineData("vectors", true)]
    [InlineData("rare", false)]
    [InlineData("rare", true)]
    public void SameAsStrace(string mode, bool m32)
    {
        if (!Run.CommandExists("strace")) Assert.Skip("strace is not installed");
        var exe = Build(mode, m32);
        try
        {
            var ours = Run.Procscope("trace", exe, mode);
            var theirs = Run.Program("strace", [exe, mode]);
            Assert.Equal(0, theirs.ExitCode);
            Assert.Equal(theirs.ExitCode, ours.ExitCode);
            var expected = Normalised(theirs.Stderr);
            Assert.True(expected.Length > 10, theirs.Stderr);
            Assert.Equal(expected, Normalised(ours.Stderr));
        }
        finally
        {
            if (m32)
                File.Delete(exe);
        }
    }

    [Fact]
    public void SysV_ExactLines()
    {
        var r = Run.Procscope("trace", "-e", "trace=msgget,msgsnd,shmget,semop,semtimedop", CTracees.Build("trace-ipc"), "sysv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Padding().Replace(l, " = ")).ToArray();
        Assert.Matches(@"^shmget\(IPC_PRIVATE, 4096, IPC_CREAT\|IPC_EXCL\|0600\) = \d+$", lines[0]);
        Assert.Equal("shmget(0x1234abcd, 4096, 000) = -1 ENOENT (No such file or directory)", lines[1]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^semtimedop\(\d+, \[\{sem_num=0, sem_op=1, sem_flg=0\}, \{sem_num=1, sem_op=1, sem_flg=SEM_UNDO\|IPC_NOWAIT\}\], 2, NULL\) = 0$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^msgsnd\(\d+, \{mtype=7, mtext=""hello\\0""\}, 6, IPC_NOWAIT\) = 0$"));
        Assert.Contains("msgget(0x42, 000) = -1 ENOENT (No such file or directory)", lines);
    }
}
