using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/smaps_rollup, see proc_pid_smaps(5) and the kernel's
/// Documentation/ABI/testing/procfs-smaps_rollup: the fields of /proc/[pid]/smaps summed over all
/// mappings, after a header line naming the whole address range and "[rollup]". Since Linux 4.14, with CONFIG_PROC_PAGE_MONITOR. Sizes are converted from kB to
/// bytes. Accurate, unlike /proc/[pid]/status and statm, but it walks every page table: read it
/// for the rows you show, not for every process on every tick.
/// </summary>
/// <remarks>
/// Reading it for a task without an mm (a kernel thread, a zombie) fails with ESRCH although the
/// task exists: callers must not take that ESRCH as "process gone".
/// </remarks>
public sealed record ProcessSmapsRollup : IProcFile<ProcessSmapsRollup>
{
    private const string FileName = "/proc/[pid]/smaps_rollup";

    /// <summary>Rss: resident memory.</summary>
    public required long RssBytes { get; init; }
    /// <summary>Pss: proportional set size, each shared page divided by the number of processes mapping it.</summary>
    public required long PssBytes { get; init; }
    /// <summary>Pss_Dirty: the dirty part of Pss. Since Linux 6.0.</summary>
    public long? PssDirtyBytes { get; init; }
    /// <summary>Pss_Anon: the anonymous part of Pss. Since Linux 5.3.</summary>
    public long? PssAnonBytes { get; init; }
    /// <summary>Pss_File: the file-backed part of Pss. Since Linux 5.3.</summary>
    public long? PssFileBytes { get; init; }
    /// <summary>Pss_Shmem: the shmem part of Pss. Since Linux 5.3.</summary>
    public long? PssShmemBytes { get; init; }
    /// <summary>Shared_Clean: clean pages also mapped by other processes.</summary>
    public required long SharedCleanBytes { get; init; }
    /// <summary>Shared_Dirty: dirty pages also mapped by other processes.</summary>
    public required long SharedDirtyBytes { get; init; }
    /// <summary>Private_Clean: clean pages mapped only by this process.</summary>
    public required long PrivateCleanBytes { get; init; }
    /// <summary>Private_Dirty: dirty pages mapped only by this process.</summary>
    public required long PrivateDirtyBytes { get; init; }
    /// <summary>Referenced: memory currently marked referenced or accessed.</summary>
    public required long ReferencedBytes { get; init; }
    /// <summary>Anonymous: memory not belonging to any file.</summary>
    public required long AnonymousBytes { get; init; }
    /// <summary>LazyFree: memory released with MADV_FREE but not yet reclaimed. Since Linux 4.12.</summary>
    public long? LazyFreeBytes { get; init; }
    /// <summary>AnonHugePages: anonymous memory backed by transparent huge pages. Since Linux 2.6.38.</summary>
    public long? AnonHugePagesBytes { get; init; }
    /// <summary>ShmemPmdMapped: shmem mapped with huge pages. Since Linux 4.8.</summary>
    public long? ShmemPmdMappedBytes { get; init; }
    /// <summary>FilePmdMapped: file pages mapped with huge pages. Since Linux 5.4.</summary>
    public long? FilePmdMappedBytes { get; init; }
    /// <summary>Shared_Hugetlb: hugetlbfs memory shared with other processes (not counted in Rss/Pss). Since Linux 4.4.</summary>
    public long? SharedHugetlbBytes { get; init; }
    /// <summary>Private_Hugetlb: hugetlbfs memory private to this process (not counted in Rss/Pss). Since Linux 4.4.</summary>
    public long? PrivateHugetlbBytes { get; init; }
    /// <summary>Swap: would-be-anonymous memory that is swapped out.</summary>
    public required long SwapBytes { get; init; }
    /// <summary>SwapPss: proportional share of Swap. Since Linux 4.3.</summary>
    public long? SwapPssBytes { get; init; }
    /// <summary>Locked: memory locked in RAM (counted proportionally, like Pss).</summary>
    public required long LockedBytes { get; init; }

    /// <summary>Unique set size: memory freed if this process exited, Private_Clean + Private_Dirty.</summary>
    public long UssBytes => PrivateCleanBytes + PrivateDirtyBytes;

    public static ProcessSmapsRollup Parse(ReadOnlySpan<byte> content)
    {
        // Header: "<start>-<end> ---p 00000000 00:00 0    [rollup]". Its colons ("00:00") would
        // look like a key to the key/value reader, so it is checked and skipped here.
        int nl = content.IndexOf((byte)'\n');
        if (nl < 0 || content[..nl].IndexOf("[rollup]"u8) < 0)
            throw ProcFormatException.At(FileName, content, 0, "expected the \"[rollup]\" header line");

        var r = new KeyValueReader(content, FileName, nl + 1);
        long? rss = null, pss = null, pssDirty = null, pssAnon = null, pssFile = null, pssShmem = null,
            sharedClean = null, sharedDirty = null, privateClean = null, privateDirty = null, referenced = null,
            anonymous = null, lazyFree = null, anonHuge = null, shmemPmd = null, filePmd = null,
            sharedHugetlb = null, privateHugetlb = null, swap = null, swapPss = null, locked = null;
        while (r.MoveNext())
        {
            var k = r.Key;
            if (k.SequenceEqual("Rss"u8)) rss = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Pss"u8)) pss = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Pss_Dirty"u8)) pssDirty = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Pss_Anon"u8)) pssAnon = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Pss_File"u8)) pssFile = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Pss_Shmem"u8)) pssShmem = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Shared_Clean"u8)) sharedClean = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Shared_Dirty"u8)) sharedDirty = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Private_Clean"u8)) privateClean = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Private_Dirty"u8)) privateDirty = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Referenced"u8)) referenced = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Anonymous"u8)) anonymous = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("LazyFree"u8)) lazyFree = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("AnonHugePages"u8)) anonHuge = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("ShmemPmdMapped"u8)) shmemPmd = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("FilePmdMapped"u8)) filePmd = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Shared_Hugetlb"u8)) sharedHugetlb = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Private_Hugetlb"u8)) privateHugetlb = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Swap"u8)) swap = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("SwapPss"u8)) swapPss = r.ParseKiBAsBytes();
            else if (k.SequenceEqual("Locked"u8)) locked = r.ParseKiBAsBytes();
        }
        return new ProcessSmapsRollup
        {
            RssBytes = rss ?? throw Missing(content, "Rss"),
            PssBytes = pss ?? throw Missing(content, "Pss"),
            PssDirtyBytes = pssDirty,
            PssAnonBytes = pssAnon,
            PssFileBytes = pssFile,
            PssShmemBytes = pssShmem,
            SharedCleanBytes = sharedClean ?? throw Missing(content, "Shared_Clean"),
            SharedDirtyBytes = sharedDirty ?? throw Missing(content, "Shared_Dirty"),
            PrivateCleanBytes = privateClean ?? throw Missing(content, "Private_Clean"),
            PrivateDirtyBytes = privateDirty ?? throw Missing(content, "Private_Dirty"),
            ReferencedBytes = referenced ?? throw Missing(content, "Referenced"),
            AnonymousBytes = anonymous ?? throw Missing(content, "Anonymous"),
            LazyFreeBytes = lazyFree,
            AnonHugePagesBytes = anonHuge,
            ShmemPmdMappedBytes = shmemPmd,
            FilePmdMappedBytes = filePmd,
            SharedHugetlbBytes = sharedHugetlb,
            PrivateHugetlbBytes = privateHugetlb,
            SwapBytes = swap ?? throw Missing(content, "Swap"),
            SwapPssBytes = swapPss,
            LockedBytes = locked ?? throw Missing(content, "Locked"),
        };
    }

    private static ProcFormatException Missing(ReadOnlySpan<byte> content, string key) =>
        ProcFormatException.At(FileName, content, content.Length, $"no {key} line");
}
