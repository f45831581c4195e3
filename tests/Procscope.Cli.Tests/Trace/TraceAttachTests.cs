using System.Diagnostics;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Trace;

/// <summary>
/// -p attach and detach, and what a SIGKILLed tracer leaves: a spawned tracee dies with it
/// (PTRACE_O_EXITKILL), an attached one keeps running. Each test starts its own processes.
/// </summary>
public sealed partial class TraceAttachTests
{
    private static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Starts the sleeping tracee and waits for its "# ready".</summary>
    private static Process Sleeper()
    {
        var p = Start(CTracees.Build("trace-calls"), "sleep");
        Assert.Equal("# ready", p.StandardOutput.ReadLine());
        return p;
    }

    private static string Status(int pid, string key) =>
        File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith(key + ":")).Split('\t', 2)[1].Trim();

    /// <summary>Reads stderr lines until one matches (bounded by the tracee's own pace, not a timed assertion).</summary>
    private static void WaitForLine(StreamReader r, Func<string, bool> match, List<string> seen)
    {
        string? line;
        while ((line = r.ReadLine()) is not null)
        {
            seen.Add(line);
            if (match(line)) return;
        }
        Assert.Fail("stream ended before the expected line: " + string.Join('\n', seen));
    }

    [Fact]
    public void Attach_SigintDetaches_ProcessKeepsRunning()
    {
        // A background job of a non-interactive shell starts with SIGINT ignored and children
        // inherit SIG_IGN: the tracer would then rightly never see the signal.
        if (Run.SigintIgnored)
            Assert.Skip("SIGINT is ignored in the test process (started as a background job), so the tracer inherits SIG_IGN");
        using var tracee = Sleeper();
        try
        {
            using var tracer = Start(Run.BinaryPath, "trace", "-p", tracee.Id.ToString());
            var seen = new List<string>();
            WaitForLine(tracer.StandardError, l => l.StartsWith("close(-81)"), seen);
            Assert.Contains($"procscope trace: Process {tracee.Id} attached", seen);
            Kill(tracer.Id, 2);
            var rest = tracer.StandardError.ReadToEnd();
            tracer.WaitForExit();
            Assert.Contains($"procscope trace: Process {tracee.Id} detached", rest);
            Assert.Equal("0", Status(tracee.Id, "TracerPid"));
            Assert.DoesNotContain("T (", Status(tracee.Id, "State"));
            Assert.DoesNotContain("t (", Status(tracee.Id, "State"));
            Assert.False(tracee.HasExited);
        }
        finally
        {
            tracee.Kill();
            tracee.WaitForExit();
        }
    }

    [Fact]
    public void Attach_SigtermDetachesToo()
    {
        using var tracee = Sleeper();
        try
        {
            using var tracer = Start(Run.BinaryPath, "trace", "-e", "trace=close", "-p", tracee.Id.ToString());
            var seen = new List<string>();
            WaitForLine(tracer.StandardError, l => l.StartsWith("close(-81)"), seen);
            Kill(tracer.Id, 15);
            tracer.StandardError.ReadToEnd();
            tracer.WaitForExit();
            Assert.Equal("0", Status(tracee.Id, "TracerPid"));
            Assert.False(tracee.HasExited);
        }
        finally
        {
            tracee.Kill();
            tracee.WaitForExit();
        }
    }

    [Fact]
    public void Attach_AlreadyTraced_OneLineExit1()
    {
        using var tracee = Sleeper();
        try
        {
            using var first = Start(Run.BinaryPath, "trace", "-e", "trace=close", "-p", tracee.Id.ToString());
            var seen = new List<string>();
            WaitForLine(first.StandardError, l => l.StartsWith("close(-81)"), seen);
            var second = Run.Procscope("trace", "-p", tracee.Id.ToString());
            Assert.Equal(1, second.ExitCode);
            Assert.Matches($@"^procscope trace: attach: ptrace\(PTRACE_SEIZE, {tracee.Id}\): Operation not permitted \(already traced by process \d+\)\n$", second.Stderr);
            Kill(first.Id, 15);
            first.StandardError.ReadToEnd();
            first.WaitForExit();
            Assert.Equal("0", Status(tracee.Id, "TracerPid"));
        }
        finally
        {
            tracee.Kill();
            tracee.WaitForExit();
        }
    }

    [Fact]
    public void TracerKilled_AttachedProcessKeepsRunning()
    {
        using var tracee = Sleeper();
        try
        {
            using var tracer = Start(Run.BinaryPath, "trace", "-p", tracee.Id.ToString());
            var seen = new List<string>();
            WaitForLine(tracer.StandardError, l => l.StartsWith("close(-81)"), seen);
            tracer.Kill();
            tracer.WaitForExit();
            // The kernel detaches the tracees of a dead tracer; a stop in progress is resumed.
            Assert.Equal("0", Status(tracee.Id, "TracerPid"));
            Assert.False(tracee.HasExited);
        }
        finally
        {
            tracee.Kill();
            tracee.WaitForExit();
        }
    }

    [Fact]
    public void TracerKilled_SpawnedTraceeDies()
    {
        using var tracer = Start(Run.BinaryPath, "trace", "-e", "trace=close", CTracees.Build("trace-calls"), "sleep");
        Assert.Equal("# ready", tracer.StandardOutput.ReadLine());
        var seen = new List<string>();
        WaitForLine(tracer.StandardError, l => l.StartsWith("close(-81)"), seen);
        int pid = FindChild(tracer.Id);
        tracer.Kill();
        tracer.WaitForExit();
        // PTRACE_O_EXITKILL: SIGKILL with the tracer. The zombie is reparented and reaped by init;
        // wait (bounded) until /proc/PID is gone or a zombie.
        for (int i = 0; i < 500 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid); i++) Thread.Sleep(10);
        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"tracee {pid} still alive");
    }

    private static bool IsZombie(int pid)
    {
        try { return Status(pid, "State").StartsWith('Z'); }
        catch (IOException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    private static int FindChild(int parent)
    {
        foreach (var d in Directory.GetDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(d), out int pid))
            {
                try
                {
                    if (Status(pid, "PPid") == parent.ToString()) return pid;
                }
                catch (IOException) { }
                catch (InvalidOperationException) { }
            }
        throw new InvalidOperationException("no child of " + parent);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    private static void Kill(int pid, int sig) => kill(pid, sig);
}
