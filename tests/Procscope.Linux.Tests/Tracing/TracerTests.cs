using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;
using Procscope.Linux.Tracing;

namespace Procscope.Linux.Tests.Tracing;

/// <summary>waitpid(-1) reaps any child of the test host: tracer tests run alone.</summary>
[CollectionDefinition("ptrace", DisableParallelization = true)]
public sealed class PtraceCollection;

/// <summary>The ptrace engine itself, on real children (no decoding).</summary>
[Collection("ptrace")]
public sealed class TracerTests
{
    private sealed class Recorder : TraceHandler
    {
        public readonly List<(int Tid, string What, long Nr)> Events = [];
        public readonly HashSet<int> Tids = [];
        public override void OnNewTracee(TraceeThread tracee, TraceeThread? parent) => Tids.Add(tracee.Tid);
        public override void OnSyscallEntry(TraceeThread tracee, in PtraceSyscallInfo info) => Events.Add((tracee.Tid, "entry", (long)info.nr));
        public override void OnSyscallExit(TraceeThread tracee, in PtraceSyscallInfo info) => Events.Add((tracee.Tid, "exit", info.rval));
        public override void OnExec(TraceeThread tracee, int formerTid, TraceeThread? replacedLeader) => Events.Add((tracee.Tid, "exec", formerTid));
        public override void OnExited(TraceeThread tracee, int code) => Events.Add((tracee.Tid, "exited", code));
        public override void OnKilled(TraceeThread tracee, int signal, bool coreDumped) => Events.Add((tracee.Tid, "killed", signal));
    }

    [Fact]
    public void Spawn_True_FirstCallIsExecveLastIsExitGroup()
    {
        var rec = new Recorder();
        var tracer = new Tracer(new TracerOptions(), rec);
        var outcome = tracer.Run(new TraceStart { Path = "/bin/true", Arguments = ["true"] });
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(("entry", 59L), (rec.Events[0].What, rec.Events[0].Nr));
        Assert.Equal("exec", rec.Events[1].What);
        Assert.Equal(("exit", 0L), (rec.Events[2].What, rec.Events[2].Nr));
        Assert.Equal(("entry", 231L), (rec.Events[^2].What, rec.Events[^2].Nr)); // exit_group, which never returns
        Assert.Equal(("exited", 0L), (rec.Events[^1].What, rec.Events[^1].Nr));
    }

    [Fact]
    public void Spawn_ShellExitCodeAndFollowedChild()
    {
        var rec = new Recorder();
        var tracer = new Tracer(new TracerOptions { FollowForks = true }, rec);
        var outcome = tracer.Run(new TraceStart { Path = "/bin/sh", Arguments = ["sh", "-c", "/bin/true; exit 3"] });
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal(2, rec.Tids.Count);
        Assert.Equal(2, rec.Events.Count(e => e.What == "exited"));
    }

    [Fact]
    public void Spawn_SeccompSelection_StopsOnlyAtSelectedCalls()
    {
        var rec = new Recorder();
        var sel = new SyscallSelection();
        sel.Add(SyscallAbi.X64, 231); // exit_group
        var tracer = new Tracer(new TracerOptions { SeccompSelection = sel }, rec);
        var outcome = tracer.Run(new TraceStart { Path = "/bin/true", Arguments = ["true"] });
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(new[] { "exec", "entry", "exited" }, rec.Events.Select(e => e.What));
        Assert.Equal(231L, rec.Events[1].Nr);
    }

    [Fact]
    public void Spawn_MissingProgram_ReportsExecErrno()
    {
        var rec = new Recorder();
        var tracer = new Tracer(new TracerOptions(), rec);
        var outcome = tracer.Run(new TraceStart { Path = "/nonexistent/x", Arguments = ["x"] });
        Assert.Equal(127, outcome.ExitCode);
        Assert.Equal(2, outcome.ExecErrno);
        Assert.Equal(("entry", 59L), (rec.Events[0].What, rec.Events[0].Nr));
        Assert.Equal(("exit", -2L), (rec.Events[1].What, rec.Events[1].Nr));
    }

    [Fact]
    public void Attach_MissingPid_ThrowsWithEsrch()
    {
        var tracer = new Tracer(new TracerOptions(), new Recorder());
        var e = Assert.Throws<TraceStartException>(() => tracer.Run(new TraceStart { AttachPids = [int.MaxValue - 1] }));
        Assert.Equal(3, e.Errno);
        Assert.Contains("No such process", e.Message);
    }

    [Fact]
    public void Attach_ThenStop_LeavesProcessRunning()
    {
        // Not a child of the test host: the runtime reaps the children Process starts with waitpid
        // from another thread, which would consume this tracee's ptrace stops (do_wait looks at
        // every thread's tracees). sh starts sleep in the background and exits; init adopts it.
        var start = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "sleep 30 >/dev/null 2>&1 & echo $!"]) { RedirectStandardOutput = true })!;
        int pid = int.Parse(start.StandardOutput.ReadLine()!);
        start.WaitForExit();
        try
        {
            var rec = new Recorder();
            var tracer = new Tracer(new TracerOptions(), rec);
            var t = new Thread(() => { Thread.Sleep(300); tracer.RequestStop(); });
            t.Start();
            var outcome = tracer.Run(new TraceStart { AttachPids = [pid] });
            t.Join();
            Assert.Null(outcome.ExitCode);
            // Just after the detach, sleep restarts its interrupted nanosleep and may show R for a
            // moment: wait (bounded) for it to sleep again. A stop left behind would stay t/T.
            var status = File.ReadAllLines($"/proc/{pid}/status");
            for (int i = 0; i < 100 && status.First(l => l.StartsWith("State:")).Contains("R (running)"); i++)
            {
                Thread.Sleep(20);
                status = File.ReadAllLines($"/proc/{pid}/status");
            }
            Assert.Contains("S (sleeping)", status.First(l => l.StartsWith("State:")));
            Assert.Equal("TracerPid:\t0", status.First(l => l.StartsWith("TracerPid:")));
        }
        finally
        {
            Tracees.kill(pid, Tracees.SIGKILL);
        }
    }
}
