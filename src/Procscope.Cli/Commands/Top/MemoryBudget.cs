namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Keeps top's resident memory flat. The GC sizes its gen0 budget from the L3 cache (32 MiB on the
/// development VM) and grows it while objects survive; in the NativeAOT binary neither the
/// System.GC.Gen0Size runtime option nor DOTNET_GCgen0size / DOTNET_GCgen0MaxBudget changed that
/// (measured: 40–55 MiB of gen0 between collections with 10,000 processes). A refresh leaves
/// almost nothing alive, so after each refresh that allocated more than <see cref="Bytes"/> we
/// collect gen0 ourselves: with the table's long-lived objects in older generations this costs
/// well under a millisecond and bounds the heap to live data plus one refresh's garbage.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Allocation between collections (4 MiB, the gen0 budget the runtime options were meant to set).</summary>
    public const long Bytes = 4L << 20;

    private static long s_lastAllocated;

    public static void AfterRefresh()
    {
        long now = GC.GetTotalAllocatedBytes(precise: false);
        if (now - s_lastAllocated < Bytes) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        s_lastAllocated = GC.GetTotalAllocatedBytes(precise: false);
    }
}
