using System.Diagnostics;
using Procscope.Core.Process;
using Procscope.Core.Sys;
using Procscope.Linux.Processes;

namespace Procscope.Linux.Tests;

/// <summary>
/// ProcessTable's file cache (kept stat/statm descriptors re-read with pread), identity by
/// (pid, start time), the process/thread toggle and format-error accounting. Synthetic trees are
/// written under a temporary directory and loaded through ProcFs(root), as fixtures are.
/// </summary>
public sealed class ProcessTableTests : IDisposable
{
    private static readonly SystemInfo System = new(4096, 100, 0, 2);
    private readonly string _root = Directory.CreateTempSubdirectory("procscope-table-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // proc_pid_stat(5) fields after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt
    // cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
    private static string Stat(int pid, string comm, ulong utime, ulong starttime, int threads = 1) =>
        $"{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 10 0 0 0 {utime} 0 0 0 20 0 {threads} 0 {starttime} 1000000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Rewrite in place (same inode) so that a kept descriptor sees the new content, as a /proc file would.
        using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        fs.SetLength(0);
        var bytes = global::System.Text.Encoding.UTF8.GetBytes(content);
        fs.Write(bytes);
    }

    [Fact]
    public void Refresh_KeepsStatOpen_AndRereadsIt()
    {
        Write("100/stat", Stat(100, "a", 5, 1000));
        Write("100/statm", "10 5 2 1 0 3 0\n");
        using var table = new ProcessTable(new ProcFs(_root), System);
        var t1 = Assert.Single(table.Refresh());
        table.ReadDetails(table.Tasks, ProcessFields.Statm);
        Assert.Equal(2, table.OpenFileCount);
        Write("100/stat", Stat(100, "a", 50, 1000));
        Write("100/statm", "10 7 2 1 0 3 0\n");
        var t2 = Assert.Single(table.Refresh());
        table.ReadDetails(table.Tasks, ProcessFields.Statm);
        Assert.Same(t1, t2);
        Assert.Equal(50UL, t2.CpuTicks);
        Assert.Equal(7UL, t2.ResidentPages);
        Assert.Equal(2UL, t2.SharedPages);
        Assert.Equal(2, table.OpenFileCount);
    }

    [Fact]
    public void Refresh_ProcessLeavesListing_DropsEntryAndClosesFiles()
    {
        Write("100/stat", Stat(100, "a", 5, 1000));
        Write("200/stat", Stat(200, "b", 5, 2000));
        using var table = new ProcessTable(new ProcFs(_root), System);
        Assert.Equal(2, table.Refresh().Count);
        Assert.Equal(2, table.OpenFileCount);
        Directory.Delete(Path.Combine(_root, "200"), recursive: true);
        var tasks = table.Refresh();
        Assert.Equal(100, Assert.Single(tasks).Pid);
        Assert.Equal(1, table.OpenFileCount);
    }

    [Fact]
    public void Refresh_PidReusedWithNewStartTime_IsANewTaskWithoutOldRates()
    {
        Write("100/stat", Stat(100, "a", 500, 1000));
        using var table = new ProcessTable(new ProcFs(_root), System);
        var old = Assert.Single(table.Refresh());
        Write("100/stat", Stat(100, "b", 3, 9000));
        var reused = Assert.Single(table.Refresh());
        Assert.NotSame(old, reused);
        Assert.Equal(new ProcessKey(100, 9000), reused.Key);
        Assert.Equal(0, reused.Rates.CpuPercent); // first sight: no rate from the old process's counters
    }

    [Fact]
    public void Refresh_LiveProcessExits_DroppedWithoutException()
    {
        if (!File.Exists("/bin/sleep")) Assert.Skip("no /bin/sleep");
        using var child = Process.Start("/bin/sleep", "30");
        using var table = new ProcessTable(ProcFs.Default, ProcFs.Default.GetSystemInfo(), new ProcessTableOptions { Pids = [child.Id] });
        Assert.Equal(child.Id, Assert.Single(table.Refresh()).Pid);
        table.ReadDetails(table.Tasks, ProcessFields.Statm);
        Assert.Equal(2, table.OpenFileCount);
        child.Kill();
        child.WaitForExit(); // reaped: reads through the kept descriptors now fail with ESRCH
        Assert.Empty(table.Refresh());
        Assert.Equal(0, table.OpenFileCount);
        Assert.Equal(0, table.FormatErrors);
    }

    [Fact]
    public void Refresh_ThreadToggle_DoesNotComputeRatesAcrossModes()
    {
        // The process has used 1000 ticks; its main thread (tid 100) only 10.
        Write("100/stat", Stat(100, "a", 1000, 1000, threads: 2));
        Write("100/task/100/stat", Stat(100, "a", 10, 1000));
        Write("100/task/101/stat", Stat(101, "a", 990, 1000));
        using var table = new ProcessTable(new ProcFs(_root), System);
        table.Refresh();
        table.Refresh();
        table.Options = table.Options with { Threads = true };
        var threads = table.Refresh();
        Assert.Equal([100, 101], threads.Select(t => t.Tid));
        Assert.All(threads, t => Assert.Equal(0, t.Rates.CpuPercent));
        Assert.Equal(10UL, threads[0].CpuTicks);
        table.Options = table.Options with { Threads = false };
        var process = Assert.Single(table.Refresh());
        Assert.Equal(1000UL, process.CpuTicks);
        Assert.Equal(0, process.Rates.CpuPercent);
    }

    [Fact]
    public void Refresh_UnparsableStat_CountedAsFormatError()
    {
        Write("100/stat", Stat(100, "a", 5, 1000));
        Write("200/stat", "garbage without a comm\n");
        using var table = new ProcessTable(new ProcFs(_root), System);
        Assert.Equal(100, Assert.Single(table.Refresh()).Pid);
        Assert.Equal(1, table.FormatErrors);
        Assert.Contains("stat", table.FirstFormatError!.Message);
        Assert.Equal(1, table.OpenFileCount);
    }

    [Fact]
    public void TasksOfOneName_ShareOneCommArray_AndAnExecGetsItsOwn()
    {
        Write("100/stat", Stat(100, "worker", 5, 1000));
        Write("200/stat", Stat(200, "worker", 5, 2000));
        Write("300/stat", Stat(300, "other", 5, 3000));
        using var table = new ProcessTable(new ProcFs(_root), System);
        var tasks = table.Refresh();
        Assert.Equal(3, tasks.Count);
        Assert.Equal("worker"u8.ToArray(), tasks[0].CommBytes);
        Assert.Same(tasks[0].CommBytes, tasks[1].CommBytes);
        Assert.Equal("other"u8.ToArray(), tasks[2].CommBytes);
        // 200 execs "other": it now shares that array, and 100 keeps "worker" unchanged.
        Write("200/stat", Stat(200, "other", 6, 2000));
        tasks = table.Refresh();
        Assert.Same(tasks[2].CommBytes, tasks[1].CommBytes);
        Assert.Equal("worker"u8.ToArray(), tasks[0].CommBytes);
    }

    [Fact]
    public void OptionalValues_AreNullUntilKnown_ThenTheirValue()
    {
        Write("100/stat", Stat(100, "a", 5, 1000));
        Write("100/statm", "10 7 2 1 0 3 0\n");
        using var table = new ProcessTable(new ProcFs(_root), System);
        var t = Assert.Single(table.Refresh());
        // First sight: no fault rates; statm not read; no status file, so no uid.
        Assert.Null(t.MinFltPerSecond);
        Assert.Null(t.MajFltPerSecond);
        Assert.Null(t.ResidentPages);
        Assert.Null(t.SharedPages);
        Assert.Null(t.Uid);
        Assert.Equal(0, t.Processor); // field 39 of the stat line above
        Assert.Equal(0U, t.Policy);
        Assert.Equal(20, t.Priority);
        Assert.Equal(0, t.Nice);
        Assert.Equal(1, t.NumThreads);
        t = Assert.Single(table.Refresh());
        table.ReadDetails(table.Tasks, ProcessFields.Statm);
        Assert.True(table.ElapsedSeconds > 0, $"elapsed {table.ElapsedSeconds}");
        Assert.NotNull(t.MinFltPerSecond);
        Assert.Equal(0.0, t.MajFltPerSecond);
        Assert.Equal(7UL, t.ResidentPages);
        Assert.Equal(2UL, t.SharedPages);
    }
}
