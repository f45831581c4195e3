using System.Diagnostics;
using System.Runtime.InteropServices;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Linux.Interop;
using Procscope.Linux.Processes;

namespace Procscope.Linux.Tests;

/// <summary>
/// The Denied path (CONVENTIONS §4: denied fields render as "-" and never hide the process). The
/// tests run as root, so one thread at a time gives up root; the CLI-level check (ps as nobody)
/// belongs with the ps command.
/// </summary>
public sealed partial class UnprivilegedTests
{
    private const int Nobody = 65534;

    [Fact]
    public void Setpriv_Nobody_IsDeniedIoOfARootProcessButReadsItsStat()
    {
        if (Self.EffectiveUid != 0) Assert.Skip("needs root (setpriv changes uid)");
        var target = $"/proc/{Environment.ProcessId}";
        string[] asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "cat"];
        var io = Cmd.Run("setpriv", [.. asNobody, $"{target}/io"]);
        if (io is null) Assert.Skip("no setpriv (util-linux)");
        Assert.NotEqual(0, io.ExitCode);
        Assert.Contains("Permission denied", io.Stderr);
        var stat = Cmd.Run("setpriv", [.. asNobody, $"{target}/stat"])!;
        Assert.Equal(0, stat.ExitCode);
        Assert.StartsWith($"{Environment.ProcessId} (", System.Text.Encoding.ASCII.GetString(stat.Stdout));
        // As root the same file reads.
        Assert.NotEmpty(File.ReadAllBytes($"{target}/io"));
    }

    [Fact]
    public void TryRead_AsNobodyThread_OtherUsersIoIsDenied_SnapshotKeepsTheRow()
    {
        if (Self.EffectiveUid != 0) Assert.Skip("needs root to switch one thread to uid 65534 and back");
        long setresuid = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 117,
            Architecture.Arm64 => 147,
            _ => -1,
        };
        if (setresuid < 0) Assert.Skip($"setresuid syscall number unknown on {RuntimeInformation.ProcessArchitecture}");

        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        try
        {
            ReadStatus ioStatus = default;
            ProcessIo? io = null;
            Exception? thrown = null, failure = null;
            ProcessSample? sample = null;
            // Credentials are per thread in the kernel; the raw syscall (unlike glibc's setresuid)
            // changes only this one. Saved uid stays 0, so the thread can take root back; it ends anyway.
            var thread = new Thread(() =>
            {
                if (syscall(setresuid, -1, Nobody, -1) != 0)
                {
                    failure = new InvalidOperationException($"setresuid: errno {Marshal.GetLastSystemError()}");
                    return;
                }
                try
                {
                    using var p = ProcFs.Default.OpenProcess(sleeper.Id);
                    ioStatus = p.TryRead("io", out io);
                    thrown = Record.Exception(() => p.Io());
                    sample = ProcessSnapshot.Take(ProcFs.Default, new SnapshotOptions
                    {
                        Fields = ProcessFields.Stat | ProcessFields.Status | ProcessFields.Io,
                        Pids = [sleeper.Id],
                        Parallelism = 1,
                    }).Samples.Single();
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    syscall(setresuid, -1, 0, -1);
                }
            });
            thread.Start();
            thread.Join();
            if (failure is not null) throw failure;

            Assert.Equal(ReadStatus.Denied, ioStatus);
            Assert.Null(io);
            var denied = Assert.IsType<ProcessAccessDeniedException>(thrown);
            Assert.Equal(sleeper.Id, denied.Pid);
            Assert.Equal("io", denied.File);
            Assert.NotNull(sample);
            Assert.Equal(SampleStatus.Denied, sample.Status);
            Assert.Equal(ProcessFields.Io, sample.Denied);
            Assert.Null(sample.Io);
            Assert.Equal("sleep"u8.ToArray(), sample.Stat!.CommBytes);
            Assert.Equal(0u, sample.StatusFile!.EffectiveUid);
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    /// <summary>
    /// Some kernels refuse files even to root: on this VM pid 1 (the sandbox's init) gives EACCES
    /// for io, smaps_rollup and the exe/cwd links. Skips where root can read them.
    /// </summary>
    [Fact]
    public void TryRead_FileRefusedEvenToRoot_IsDenied()
    {
        try
        {
            File.ReadAllBytes("/proc/1/io");
            Assert.Skip("/proc/1/io is readable here");
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (FileNotFoundException)
        {
            Assert.Skip("no /proc/1/io");
        }
        using var init = ProcFs.Default.OpenProcess(1);
        var comm = init.Stat().CommBytes; // the exceptions carry the last name read
        Assert.Equal(ReadStatus.Denied, init.TryRead<ProcessIo>("io", out var io));
        Assert.Null(io);
        var e = Assert.Throws<ProcessAccessDeniedException>(() => init.Io());
        Assert.Equal(1, e.Pid);
        Assert.Equal(TextSanitizer.ForTerminal(comm), e.Name);
        var s = ProcessSnapshot.Take(ProcFs.Default, new SnapshotOptions { Fields = ProcessFields.Stat | ProcessFields.Io, Pids = [1] }).Samples.Single();
        Assert.True(s.Denied.HasFlag(ProcessFields.Io));
        Assert.NotNull(s.Stat);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3);
}
