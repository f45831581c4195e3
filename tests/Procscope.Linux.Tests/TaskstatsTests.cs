using System.Diagnostics;
using Procscope.Core.Process;
using Procscope.Linux.Interop;
using Procscope.Linux.Taskstats;

namespace Procscope.Linux.Tests;

/// <summary>
/// struct taskstats (Taskstats.X64.cs) against offsetof() from linux/taskstats.h, and the
/// generic netlink client against /proc/self/io read at the same moment.
/// </summary>
public sealed class TaskstatsTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stddef.h>
        #include <linux/taskstats.h>
        #include <linux/genetlink.h>
        #define O(f) printf("%s %zu\n", #f, offsetof(struct taskstats, f));
        int main(void) {
            printf("size %zu\n", sizeof(struct taskstats));
            O(version) O(ac_exitcode) O(ac_flag) O(ac_nice) O(cpu_count) O(cpu_delay_total) O(blkio_count) O(blkio_delay_total)
            O(swapin_count) O(swapin_delay_total) O(cpu_run_real_total) O(cpu_run_virtual_total) O(ac_comm) O(ac_sched) O(ac_uid)
            O(ac_gid) O(ac_pid) O(ac_ppid) O(ac_btime) O(ac_etime) O(ac_utime) O(ac_stime) O(ac_minflt) O(ac_majflt)
            O(nvcsw) O(nivcsw) O(read_char) O(write_char) O(read_syscalls) O(write_syscalls) O(read_bytes) O(write_bytes) O(cancelled_write_bytes)
            O(freepages_count) O(freepages_delay_total) O(thrashing_count) O(thrashing_delay_total) O(compact_count)
            O(compact_delay_total) O(ac_tgid) O(wpcopy_count) O(wpcopy_delay_total)
            printf("TASKSTATS_CMD_GET %d\nTASKSTATS_CMD_ATTR_PID %d\nTASKSTATS_CMD_ATTR_TGID %d\nTASKSTATS_TYPE_STATS %d\n",
                TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_PID, TASKSTATS_CMD_ATTR_TGID, TASKSTATS_TYPE_STATS);
            printf("TASKSTATS_TYPE_AGGR_PID %d\nTASKSTATS_TYPE_AGGR_TGID %d\nGENL_ID_CTRL %d\nCTRL_CMD_GETFAMILY %d\n",
                TASKSTATS_TYPE_AGGR_PID, TASKSTATS_TYPE_AGGR_TGID, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
            printf("CTRL_ATTR_FAMILY_ID %d\nCTRL_ATTR_FAMILY_NAME %d\n", CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME);
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layout_MatchesLinuxTaskstatsHeader()
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        if (!File.Exists("/usr/include/linux/taskstats.h")) Assert.Skip("no kernel headers (linux-libc-dev)");
        var dir = Directory.CreateTempSubdirectory("procscope-taskstats");
        try
        {
            var src = Path.Combine(dir.FullName, "t.c");
            var exe = Path.Combine(dir.FullName, "t");
            File.WriteAllText(src, Program);
            Assert.Equal(0, Run(cc, src, "-o", exe).Code);
            var c = Run(exe).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(l => l.Split(' ')[0], l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            var t = new TaskstatsV13[1];
            fixed (TaskstatsV13* tp = t) Check(c, tp);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static unsafe void Check(Dictionary<string, int> c, TaskstatsV13* tp)
    {
        {
            int Off(void* f) => (int)((byte*)f - (byte*)tp);
            Assert.True(c["size"] >= sizeof(TaskstatsV13), $"headers' struct taskstats ({c["size"]}) is older than version 13");
            Assert.Equal(c["version"], Off(&tp->version));
            Assert.Equal(c["ac_exitcode"], Off(&tp->ac_exitcode));
            Assert.Equal(c["ac_flag"], Off(&tp->ac_flag));
            Assert.Equal(c["ac_nice"], Off(&tp->ac_nice));
            Assert.Equal(c["cpu_count"], Off(&tp->cpu_count));
            Assert.Equal(c["cpu_delay_total"], Off(&tp->cpu_delay_total));
            Assert.Equal(c["blkio_count"], Off(&tp->blkio_count));
            Assert.Equal(c["blkio_delay_total"], Off(&tp->blkio_delay_total));
            Assert.Equal(c["swapin_count"], Off(&tp->swapin_count));
            Assert.Equal(c["swapin_delay_total"], Off(&tp->swapin_delay_total));
            Assert.Equal(c["cpu_run_real_total"], Off(&tp->cpu_run_real_total));
            Assert.Equal(c["cpu_run_virtual_total"], Off(&tp->cpu_run_virtual_total));
            Assert.Equal(c["ac_comm"], Off(tp->ac_comm));
            Assert.Equal(c["ac_sched"], Off(&tp->ac_sched));
            Assert.Equal(c["ac_uid"], Off(&tp->ac_uid));
            Assert.Equal(c["ac_gid"], Off(&tp->ac_gid));
            Assert.Equal(c["ac_pid"], Off(&tp->ac_pid));
            Assert.Equal(c["ac_ppid"], Off(&tp->ac_ppid));
            Assert.Equal(c["ac_btime"], Off(&tp->ac_btime));
            Assert.Equal(c["ac_etime"], Off(&tp->ac_etime));
            Assert.Equal(c["ac_utime"], Off(&tp->ac_utime));
            Assert.Equal(c["ac_stime"], Off(&tp->ac_stime));
            Assert.Equal(c["ac_minflt"], Off(&tp->ac_minflt));
            Assert.Equal(c["ac_majflt"], Off(&tp->ac_majflt));
            Assert.Equal(c["read_char"], Off(&tp->read_char));
            Assert.Equal(c["write_char"], Off(&tp->write_char));
            Assert.Equal(c["read_syscalls"], Off(&tp->read_syscalls));
            Assert.Equal(c["write_syscalls"], Off(&tp->write_syscalls));
            Assert.Equal(c["read_bytes"], Off(&tp->read_bytes));
            Assert.Equal(c["write_bytes"], Off(&tp->write_bytes));
            Assert.Equal(c["cancelled_write_bytes"], Off(&tp->cancelled_write_bytes));
            Assert.Equal(c["nvcsw"], Off(&tp->nvcsw));
            Assert.Equal(c["nivcsw"], Off(&tp->nivcsw));
            Assert.Equal(c["freepages_count"], Off(&tp->freepages_count));
            Assert.Equal(c["freepages_delay_total"], Off(&tp->freepages_delay_total));
            Assert.Equal(c["thrashing_count"], Off(&tp->thrashing_count));
            Assert.Equal(c["thrashing_delay_total"], Off(&tp->thrashing_delay_total));
            Assert.Equal(c["compact_count"], Off(&tp->compact_count));
            Assert.Equal(c["compact_delay_total"], Off(&tp->compact_delay_total));
            Assert.Equal(c["ac_tgid"], Off(&tp->ac_tgid));
            Assert.Equal(c["wpcopy_count"], Off(&tp->wpcopy_count));
            Assert.Equal(c["wpcopy_delay_total"], Off(&tp->wpcopy_delay_total));
            Assert.Equal((int)LibC.TASKSTATS_CMD_GET, c["TASKSTATS_CMD_GET"]);
            Assert.Equal((int)LibC.TASKSTATS_CMD_ATTR_PID, c["TASKSTATS_CMD_ATTR_PID"]);
            Assert.Equal((int)LibC.TASKSTATS_CMD_ATTR_TGID, c["TASKSTATS_CMD_ATTR_TGID"]);
            Assert.Equal((int)LibC.TASKSTATS_TYPE_STATS, c["TASKSTATS_TYPE_STATS"]);
            Assert.Equal((int)LibC.TASKSTATS_TYPE_AGGR_PID, c["TASKSTATS_TYPE_AGGR_PID"]);
            Assert.Equal((int)LibC.TASKSTATS_TYPE_AGGR_TGID, c["TASKSTATS_TYPE_AGGR_TGID"]);
            Assert.Equal((int)LibC.GENL_ID_CTRL, c["GENL_ID_CTRL"]);
            Assert.Equal((int)LibC.CTRL_CMD_GETFAMILY, c["CTRL_CMD_GETFAMILY"]);
            Assert.Equal((int)LibC.CTRL_ATTR_FAMILY_ID, c["CTRL_ATTR_FAMILY_ID"]);
            Assert.Equal((int)LibC.CTRL_ATTR_FAMILY_NAME, c["CTRL_ATTR_FAMILY_NAME"]);
        }
    }

    [Fact]
    public void Query_OwnThread_AgreesWithProcSelfTaskIo()
    {
        if (Self.EffectiveUid != 0) Assert.Skip("taskstats needs CAP_NET_ADMIN (root)");
        using var client = TaskstatsClient.TryOpen(out string reason, out _);
        if (client is null) Assert.Skip("taskstats unavailable: " + reason);
        int tid = Environment.CurrentManagedThreadId > 0 ? Gettid() : 0;
        var before = ProcessIo.Parse(File.ReadAllBytes($"/proc/self/task/{tid}/io"));
        Assert.Equal(0, client.Query(tid, threadGroup: false, out var io, out var id));
        var after = ProcessIo.Parse(File.ReadAllBytes($"/proc/self/task/{tid}/io"));
        Assert.Equal(tid, id.Pid);
        Assert.Equal(Environment.ProcessId, id.Tgid);
        Assert.Equal(0u, id.Uid);
        // taskstats rounds these down to multiples of 1024 (tsacct.c KB_MASK).
        Assert.InRange(io.ReadSyscalls, before.SyscR & ~1023UL, after.SyscR & ~1023UL);
        Assert.InRange(io.WriteSyscalls, before.SyscW & ~1023UL, after.SyscW & ~1023UL);
        Assert.InRange(io.ReadBytes, before.ReadBytes & ~1023UL, after.ReadBytes & ~1023UL);
        Assert.True(io.RunNs > 0);
        Assert.True(io.ContextSwitches > 0);
        Assert.NotNull(io.BlkioDelayNs);
        Assert.True(client.KernelVersion >= 13, $"struct taskstats version {client.KernelVersion}");
        Assert.Equal(Errno.ESRCH, client.Query(int.MaxValue - 1, threadGroup: false, out _));
    }

    private static int Gettid() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static (int Code, string Out) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o.Result + e);
    }
}
