namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Keeps top's resident memory flat and small. The binary caps the GC's gen0 budget at 4 MiB
/// (GCGen0MaxBudget, see Procscope.Cli.csproj); a refresh of top leaves almost nothing alive and
/// allocates about 200 KiB (interactive, 10,000 processes), so top collects gen0 itself after
/// the refreshes that allocated <see cref="Bytes"/> or more: resident memory is then live data
/// plus about 256 KiB of garbage rather than 4 MiB. Measured at 10,000 processes: 1 MiB → 256 KiB
/// took batch mode from 16.6 to 16.0 MiB with the same CPU per refresh. With the table's long-lived objects in older generations such a collection
/// costs well under a millisecond.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Allocation between collections (256 KiB).</summary>
    public const long Bytes = 1L << 18;

    private static long s_lastAllocated;

    /// <summary>
    /// Once, after the first refresh (which reads every task's identity files and builds the
    /// table): a full compacting collection that also returns the free regions to the system
    /// (GCCollectionMode.Aggressive), so the start-up garbage does not stay resident for the
    /// whole run. About 10 ms with 10,000 processes.
    /// </summary>
    public static void AfterFirstRefresh()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        s_lastAllocated = GC.GetTotalAllocatedBytes(precise: false);
    }

    private static int s_peakTasks;

    /// <summary>
    /// After each refresh: a gen0 collection when the refreshes since the last one allocated
    /// <see cref="Bytes"/>; a full compacting one when the table shrank by a quarter (at least
    /// 1,000 tasks) since its peak. Tasks that left are long-lived objects, garbage that only a
    /// full collection frees: measured, top stayed at 31 MiB after a machine went from 20,000
    /// back to 10,000 processes, where it had been at 17 MiB before.
    /// </summary>
    public static void AfterRefresh(int tasks)
    {
        if (tasks > s_peakTasks) s_peakTasks = tasks;
        else if (s_peakTasks - tasks >= 1000 && tasks < s_peakTasks / 4 * 3)
        {
            AfterFirstRefresh();
            s_peakTasks = tasks;
            return;
        }
        long now = GC.GetTotalAllocatedBytes(precise: false);
        if (now - s_lastAllocated < Bytes) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        s_lastAllocated = GC.GetTotalAllocatedBytes(precise: false);
    }
}
