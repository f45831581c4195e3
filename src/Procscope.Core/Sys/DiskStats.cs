using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/diskstats, see Documentation/admin-guide/iostats.rst and proc_diskstats(5): one line per
/// block device and partition. Lines are read by field count: 14 fields (major, minor, name and 11
/// counters), 18 (discards, since Linux 4.18) or 20 (flushes, since Linux 5.5). Longer lines
/// (counters added by a later kernel) are accepted and the extra fields ignored; any other count
/// is a format error.
/// </summary>
public sealed record DiskStats(IReadOnlyList<DiskStat> Disks) : IProcFile<DiskStats>
{
    private const string FileName = "/proc/diskstats";

    public static DiskStats Parse(ReadOnlySpan<byte> content)
    {
        var disks = new List<DiskStat>();
        var r = new SpanReader(content, FileName);
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            int lineStart = r.Position;
            int fields = CountFields(r.Remaining);
            if (fields < 14 || fields is 15 or 16 or 17 or 19)
                throw r.FailAt(lineStart, $"expected 14, 18 or 20 fields, found {fields}");
            bool discards = fields >= 18, flushes = fields >= 20;
            disks.Add(new DiskStat
            {
                Major = NextUInt32(ref r),
                Minor = NextUInt32(ref r),
                Name = TextSanitizer.Lossy(r.NextField()),
                ReadsCompleted = r.NextUInt64(),
                ReadsMerged = r.NextUInt64(),
                SectorsRead = r.NextUInt64(),
                TimeReadingMs = r.NextUInt64(),
                WritesCompleted = r.NextUInt64(),
                WritesMerged = r.NextUInt64(),
                SectorsWritten = r.NextUInt64(),
                TimeWritingMs = r.NextUInt64(),
                IosInProgress = r.NextUInt64(),
                TimeIoMs = r.NextUInt64(),
                WeightedTimeIoMs = r.NextUInt64(),
                DiscardsCompleted = discards ? r.NextUInt64() : null,
                DiscardsMerged = discards ? r.NextUInt64() : null,
                SectorsDiscarded = discards ? r.NextUInt64() : null,
                TimeDiscardingMs = discards ? r.NextUInt64() : null,
                FlushesCompleted = flushes ? r.NextUInt64() : null,
                TimeFlushingMs = flushes ? r.NextUInt64() : null,
            });
            r.SkipLine();
        }
        return new DiskStats(disks);
    }

    private static int CountFields(ReadOnlySpan<byte> rest)
    {
        int nl = rest.IndexOf((byte)'\n');
        if (nl >= 0) rest = rest[..nl];
        int count = 0;
        bool inField = false;
        foreach (byte b in rest)
        {
            bool blank = b == (byte)' ' || b == (byte)'\t';
            if (!blank && !inField) count++;
            inField = !blank;
        }
        return count;
    }

    private static uint NextUInt32(ref SpanReader r)
    {
        int at = r.Position;
        ulong v = r.NextUInt64();
        if (v > uint.MaxValue) throw r.FailAt(at, "value too large");
        return (uint)v;
    }
}

/// <summary>
/// One line of /proc/diskstats (Documentation/admin-guide/iostats.rst). Sectors are always 512
/// bytes whatever the device's sector size. The millisecond counters are printed as 32-bit
/// unsigned values by the kernel and wrap; take deltas, not absolute values.
/// </summary>
public sealed record DiskStat
{
    public required uint Major { get; init; }
    public required uint Minor { get; init; }
    /// <summary>Device name as the kernel prints it ("sda", "nvme0n1p1", "dm-0").</summary>
    public required string Name { get; init; }
    /// <summary>(1) reads completed successfully.</summary>
    public required ulong ReadsCompleted { get; init; }
    /// <summary>(2) adjacent reads merged into one.</summary>
    public required ulong ReadsMerged { get; init; }
    /// <summary>(3) 512-byte sectors read.</summary>
    public required ulong SectorsRead { get; init; }
    /// <summary>(4) milliseconds spent by all reads.</summary>
    public required ulong TimeReadingMs { get; init; }
    /// <summary>(5) writes completed.</summary>
    public required ulong WritesCompleted { get; init; }
    /// <summary>(6) adjacent writes merged.</summary>
    public required ulong WritesMerged { get; init; }
    /// <summary>(7) 512-byte sectors written.</summary>
    public required ulong SectorsWritten { get; init; }
    /// <summary>(8) milliseconds spent by all writes.</summary>
    public required ulong TimeWritingMs { get; init; }
    /// <summary>(9) I/Os currently in flight (the only field that is not a counter).</summary>
    public required ulong IosInProgress { get; init; }
    /// <summary>(10) milliseconds the device had I/O in flight (utilisation).</summary>
    public required ulong TimeIoMs { get; init; }
    /// <summary>(11) weighted milliseconds doing I/O (queue length × time; average queue size).</summary>
    public required ulong WeightedTimeIoMs { get; init; }
    /// <summary>(12) discards completed. Since Linux 4.18.</summary>
    public ulong? DiscardsCompleted { get; init; }
    /// <summary>(13) discards merged. Since Linux 4.18.</summary>
    public ulong? DiscardsMerged { get; init; }
    /// <summary>(14) 512-byte sectors discarded. Since Linux 4.18.</summary>
    public ulong? SectorsDiscarded { get; init; }
    /// <summary>(15) milliseconds spent by all discards. Since Linux 4.18.</summary>
    public ulong? TimeDiscardingMs { get; init; }
    /// <summary>(16) flush requests completed. Since Linux 5.5.</summary>
    public ulong? FlushesCompleted { get; init; }
    /// <summary>(17) milliseconds spent by all flushes. Since Linux 5.5.</summary>
    public ulong? TimeFlushingMs { get; init; }
}
