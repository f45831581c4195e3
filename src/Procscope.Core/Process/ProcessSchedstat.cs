using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/schedstat and /proc/[pid]/task/[tid]/schedstat (CONFIG_SCHED_INFO), described in
/// the kernel's Documentation/scheduler/sched-stats.rst; proc(5) has no entry for it. World-readable,
/// unlike delay accounting, so run-queue wait is available for every process. Reads "0 0 0" when the
/// kernel keeps no sched_info at run time.
/// </summary>
/// <param name="RunTimeNs">Time spent on the CPU, in nanoseconds.</param>
/// <param name="RunQueueWaitNs">Time spent waiting on a run queue, in nanoseconds.</param>
/// <param name="Timeslices">Number of timeslices run on a CPU.</param>
public sealed record ProcessSchedstat(ulong RunTimeNs, ulong RunQueueWaitNs, ulong Timeslices) : IProcFile<ProcessSchedstat>
{
    public static ProcessSchedstat Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, "/proc/[pid]/schedstat");
        return new ProcessSchedstat(r.NextUInt64(), r.NextUInt64(), r.NextUInt64());
    }
}
