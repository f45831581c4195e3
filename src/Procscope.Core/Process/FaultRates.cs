namespace Procscope.Core.Process;

/// <summary>
/// Page-fault rates of one process between two samples of /proc/[pid]/stat (as pidstat -r):
/// a pure function of the two samples and the seconds between them. Counter deltas are clamped at
/// zero; samples of different processes (pid reuse: another start time) give null.
/// </summary>
public readonly record struct FaultRates(double MinorPerSecond, double MajorPerSecond)
{
    public static FaultRates? Between(ProcessStat earlier, ProcessStat later, double seconds)
    {
        if (earlier.Pid != later.Pid || earlier.StartTimeTicks != later.StartTimeTicks || !(seconds > 0)) return null;
        return new FaultRates(ProcessRates.Delta(earlier.MinFlt, later.MinFlt) / seconds, ProcessRates.Delta(earlier.MajFlt, later.MajFlt) / seconds);
    }

    /// <summary>Rates since the process started (pidstat without an interval): the counters over its lifetime.</summary>
    public static FaultRates SinceStart(ProcessStat stat, double processAgeSeconds) =>
        processAgeSeconds > 0 ? new FaultRates(stat.MinFlt / processAgeSeconds, stat.MajFlt / processAgeSeconds) : new FaultRates(0, 0);
}
