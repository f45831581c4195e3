using System.Diagnostics;
using Procscope.Linux.Processes;

namespace Procscope.Linux.Tests;

/// <summary>Live snapshot tests: races are tolerated (processes come and go), values are asserted.</summary>
public sealed class ProcessSnapshotTests
{
    private static readonly ProcFs Fs = ProcFs.Default;

    [Fact]
    public void Take_ContainsSelfWithMatchingStat()
    {
        var snap = ProcessSnapshot.Take(Fs, new SnapshotOptions { Fields = ProcessFields.Stat | ProcessFields.Status | ProcessFields.Cmdline });
        int self = Environment.ProcessId;
        var me = Assert.Single(snap.Samples, s => s.Pid == self && !s.IsThread);
        Assert.NotNull(me.Stat);
        Assert.Equal(self, me.Stat!.Pid);
        Assert.Equal(self, me.StatusFile!.Tgid);
        Assert.Equal((int)me.Stat.PPid, me.StatusFile.PPid);
        Assert.False(me.Cmdline!.IsEmpty);
    }

    [Fact]
    public void Take_PidSetMatchesDirectoryListing()
    {
        // A process born after the first listing and gone before the second (other test assemblies
        // run in parallel and start compilers) is rightly in the snapshot and in neither listing:
        // measure again, a few times, until no such churn falls between the listings.
        HashSet<int> before = [], after = [], stable = [], got = [];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            before = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!)).ToHashSet();
            var snap = ProcessSnapshot.Take(Fs, new SnapshotOptions { Fields = ProcessFields.Stat });
            after = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!)).ToHashSet();
            stable = before.Intersect(after).ToHashSet();
            got = snap.Samples.Select(s => s.Pid).ToHashSet();
            if (!stable.Except(got).Any() && !got.Except(before.Union(after)).Any()) break;
        }
        Assert.Empty(stable.Except(got));
        Assert.Empty(got.Except(before.Union(after)));
    }

    [Fact]
    public void Take_Threads_ListsEveryThreadOfSelf()
    {
        int self = Environment.ProcessId;
        var snap = ProcessSnapshot.Take(Fs, new SnapshotOptions { Fields = ProcessFields.Stat, Threads = true, Pids = [self] });
        var tids = Directory.GetDirectories($"/proc/{self}/task").Select(d => int.Parse(Path.GetFileName(d))).ToHashSet();
        var got = snap.Samples.Where(s => s.IsThread).Select(s => s.Tid).ToHashSet();
        // Threads may start or stop between the two listings; the runtime's long-lived ones are in both.
        Assert.Contains(self, got);
        Assert.True(got.Intersect(tids).Count() >= Math.Min(got.Count, tids.Count) - 2);
        Assert.All(snap.Samples, s => Assert.Equal(self, s.Pid));
    }

    [Fact]
    public void Take_UnknownPid_IsSkippedNotThrown()
    {
        var snap = ProcessSnapshot.Take(Fs, new SnapshotOptions { Fields = ProcessFields.Stat, Pids = [int.MaxValue - 1] });
        Assert.Empty(snap.Samples);
        Assert.Equal(1, snap.GoneCount);
    }

    [Fact]
    public void Take_ProcessesExitingDuringScan_NeverThrow()
    {
        // A fork storm: short-lived children exit while we scan.
        var children = new List<Process>();
        try
        {
            for (int i = 0; i < 40; i++)
                children.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.0$RANDOM"]) { UseShellExecute = false })!);
            for (int round = 0; round < 20; round++)
            {
                var snap = ProcessSnapshot.Take(Fs, new SnapshotOptions { Fields = ProcessFields.Stat | ProcessFields.Status | ProcessFields.Cmdline | ProcessFields.Io, Threads = true });
                Assert.All(snap.Samples, s => Assert.NotNull(s.Stat));
            }
        }
        finally
        {
            foreach (var c in children) { c.WaitForExit(); c.Dispose(); }
        }
    }

    [Fact]
    public void OpenProcess_Gone_ThrowsNotFound()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        p.WaitForExit();
        int pid = p.Id;
        Assert.Throws<ProcessNotFoundException>(() => Fs.OpenProcess(pid).Stat());
    }

    [Fact]
    public void OpenProcess_PinnedIdentity_FailsAfterExit()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sleep", ["30"]) { UseShellExecute = false })!;
        using var handle = Fs.OpenProcess(p.Id);
        Assert.Equal(p.Id, handle.Stat().Pid);
        p.Kill();
        p.WaitForExit();
        Assert.Throws<ProcessNotFoundException>(() => handle.Stat());
    }

    [Fact]
    public void Limits_MissingFileOnLiveProcess_IsNotSupportedNotGone()
    {
        using var self = Fs.OpenProcess(Environment.ProcessId);
        Assert.Throws<ProcessFileNotSupportedException>(() => self.Read<Procscope.Core.Process.ProcessComm>("no-such-file"));
    }

    [Fact]
    public void KernelThread_HasNoExeAndEmptyCmdline()
    {
        using var kthreadd = Fs.OpenProcess(2);
        Assert.True(kthreadd.Cmdline().IsEmpty);
        Assert.Null(kthreadd.Exe());
    }
}

/// <summary>Files that fail with ESRCH for live tasks (smaps_rollup of kernel threads) must not drop the task.</summary>
public sealed class KernelThreadSnapshotTests
{
    [Fact]
    public void Take_KernelThreadWithSmapsRollup_IsKeptAndMarkedMissing()
    {
        var snap = ProcessSnapshot.Take(ProcFs.Default, new SnapshotOptions { Fields = ProcessFields.Stat | ProcessFields.SmapsRollup, Pids = [2] });
        var k = Assert.Single(snap.Samples);
        Assert.Equal(2, k.Pid);
        Assert.Null(k.SmapsRollup);
        Assert.True(k.Missing.HasFlag(ProcessFields.SmapsRollup));
    }
}
