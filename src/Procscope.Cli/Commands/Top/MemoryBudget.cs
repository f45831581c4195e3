namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Keeps top's resident memory flat and small. The binary caps the GC's gen0 budget at 4 MiB
/// (GCGen0MaxBudget, see Procscope.Cli.csproj); a refresh of top leaves almost nothing alive and
/// allocates a few hundred KiB, so top collects gen0 itself after each refresh that allocated
/// <see cref="Bytes"/> or more: resident memory is then live data plus at most 1 MiB of garbage
/// rather than 4. With the table's long-lived objects in older generations such a collection
/// costs well under a millisecond.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Allocation between collections (1 MiB).</summary>
    public const long Bytes = 1L << 20;

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

    public static void AfterRefresh()
    {
        long now = GC.GetTotalAllocatedBytes(precise: false);
        if (now - s_lastAllocated < Bytes) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        s_lastAllocated = GC.GetTotalAllocatedBytes(precise: false);
    }
}
