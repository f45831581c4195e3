using System.Buffers.Text;
using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/meminfo, see proc_meminfo(5) and Documentation/filesystems/proc.rst. Read by key: keys
/// come and go with kernel versions and configuration, so every typed property is null when its
/// key is absent. Values printed in kB (KiB) are converted to bytes; the HugePages_* counts are
/// counts of huge pages. <see cref="All"/> keeps every line in file order, unknown keys included.
/// </summary>
public sealed record MemInfo : IProcFile<MemInfo>
{
    private const string FileName = "/proc/meminfo";

    private readonly long?[] _values;

    private enum Key
    {
        MemTotal,
        MemFree,
        MemAvailable,
        Buffers,
        Cached,
        SwapCached,
        Active,
        Inactive,
        ActiveAnon,
        InactiveAnon,
        ActiveFile,
        InactiveFile,
        Unevictable,
        Mlocked,
        HighTotal,
        HighFree,
        LowTotal,
        LowFree,
        MmapCopy,
        SwapTotal,
        SwapFree,
        Zswap,
        Zswapped,
        Dirty,
        Writeback,
        AnonPages,
        Mapped,
        Shmem,
        KReclaimable,
        Slab,
        SReclaimable,
        SUnreclaim,
        KernelStack,
        ShadowCallStack,
        PageTables,
        SecPageTables,
        NfsUnstable,
        Bounce,
        WritebackTmp,
        CommitLimit,
        CommittedAs,
        VmallocTotal,
        VmallocUsed,
        VmallocChunk,
        Percpu,
        HardwareCorrupted,
        AnonHugePages,
        ShmemHugePages,
        ShmemPmdMapped,
        FileHugePages,
        FilePmdMapped,
        CmaTotal,
        CmaFree,
        Unaccepted,
        Balloon,
        HugePagesTotal,
        HugePagesFree,
        HugePagesRsvd,
        HugePagesSurp,
        Hugepagesize,
        Hugetlb,
        DirectMap4k,
        DirectMap4M,
        DirectMap2M,
        DirectMap1G,
        Count,
    }

    private static readonly string[] KeyNames =
    [
        "MemTotal",
        "MemFree",
        "MemAvailable",
        "Buffers",
        "Cached",
        "SwapCached",
        "Active",
        "Inactive",
        "Active(anon)",
        "Inactive(anon)",
        "Active(file)",
        "Inactive(file)",
        "Unevictable",
        "Mlocked",
        "HighTotal",
        "HighFree",
        "LowTotal",
        "LowFree",
        "MmapCopy",
        "SwapTotal",
        "SwapFree",
        "Zswap",
        "Zswapped",
        "Dirty",
        "Writeback",
        "AnonPages",
        "Mapped",
        "Shmem",
        "KReclaimable",
        "Slab",
        "SReclaimable",
        "SUnreclaim",
        "KernelStack",
        "ShadowCallStack",
        "PageTables",
        "SecPageTables",
        "NFS_Unstable",
        "Bounce",
        "WritebackTmp",
        "CommitLimit",
        "Committed_AS",
        "VmallocTotal",
        "VmallocUsed",
        "VmallocChunk",
        "Percpu",
        "HardwareCorrupted",
        "AnonHugePages",
        "ShmemHugePages",
        "ShmemPmdMapped",
        "FileHugePages",
        "FilePmdMapped",
        "CmaTotal",
        "CmaFree",
        "Unaccepted",
        "Balloon",
        "HugePages_Total",
        "HugePages_Free",
        "HugePages_Rsvd",
        "HugePages_Surp",
        "Hugepagesize",
        "Hugetlb",
        "DirectMap4k",
        "DirectMap4M",
        "DirectMap2M",
        "DirectMap1G",
    ];

    private MemInfo(long?[] values, IReadOnlyList<(string Key, long Value, bool IsKb)> all)
    {
        _values = values;
        All = all;
    }

    /// <summary>
    /// Every line in file order: the key as printed (without the colon), the number as printed
    /// (in KiB when <c>IsKb</c>, otherwise a plain count), and whether the line had the "kB" unit.
    /// </summary>
    public IReadOnlyList<(string Key, long Value, bool IsKb)> All { get; }

    /// <summary>MemTotal: Total usable RAM (physical RAM minus reserved bits and the kernel binary).</summary>
    public long? MemTotalBytes => _values[(int)Key.MemTotal];

    /// <summary>MemFree: Unused RAM (LowFree + HighFree).</summary>
    public long? MemFreeBytes => _values[(int)Key.MemFree];

    /// <summary>MemAvailable: The kernel's estimate of memory available for new applications without swapping. Since Linux 3.14.</summary>
    public long? MemAvailableBytes => _values[(int)Key.MemAvailable];

    /// <summary>Buffers: Temporary storage for raw disk blocks.</summary>
    public long? BuffersBytes => _values[(int)Key.Buffers];

    /// <summary>Cached: Page cache, excluding SwapCached.</summary>
    public long? CachedBytes => _values[(int)Key.Cached];

    /// <summary>SwapCached: Memory swapped out and back in that is still in the swap file.</summary>
    public long? SwapCachedBytes => _values[(int)Key.SwapCached];

    /// <summary>Active: Memory used recently, usually not reclaimed.</summary>
    public long? ActiveBytes => _values[(int)Key.Active];

    /// <summary>Inactive: Memory used less recently, more eligible for reclaim.</summary>
    public long? InactiveBytes => _values[(int)Key.Inactive];

    /// <summary>Active(anon): Active anonymous memory. Since Linux 2.6.28.</summary>
    public long? ActiveAnonBytes => _values[(int)Key.ActiveAnon];

    /// <summary>Inactive(anon): Inactive anonymous memory. Since Linux 2.6.28.</summary>
    public long? InactiveAnonBytes => _values[(int)Key.InactiveAnon];

    /// <summary>Active(file): Active file-backed memory. Since Linux 2.6.28.</summary>
    public long? ActiveFileBytes => _values[(int)Key.ActiveFile];

    /// <summary>Inactive(file): Inactive file-backed memory. Since Linux 2.6.28.</summary>
    public long? InactiveFileBytes => _values[(int)Key.InactiveFile];

    /// <summary>Unevictable: Memory that cannot be reclaimed (mlocked, ramfs, ...). Since Linux 2.6.28.</summary>
    public long? UnevictableBytes => _values[(int)Key.Unevictable];

    /// <summary>Mlocked: Memory locked with mlock(2). Since Linux 2.6.28.</summary>
    public long? MlockedBytes => _values[(int)Key.Mlocked];

    /// <summary>HighTotal: Total highmem. Only with CONFIG_HIGHMEM (32-bit).</summary>
    public long? HighTotalBytes => _values[(int)Key.HighTotal];

    /// <summary>HighFree: Free highmem. Only with CONFIG_HIGHMEM (32-bit).</summary>
    public long? HighFreeBytes => _values[(int)Key.HighFree];

    /// <summary>LowTotal: Total lowmem. Only with CONFIG_HIGHMEM (32-bit).</summary>
    public long? LowTotalBytes => _values[(int)Key.LowTotal];

    /// <summary>LowFree: Free lowmem. Only with CONFIG_HIGHMEM (32-bit).</summary>
    public long? LowFreeBytes => _values[(int)Key.LowFree];

    /// <summary>MmapCopy: Memory copied for private mappings. Only on kernels without an MMU (CONFIG_MMU=n). Since Linux 2.6.29.</summary>
    public long? MmapCopyBytes => _values[(int)Key.MmapCopy];

    /// <summary>SwapTotal: Total swap space.</summary>
    public long? SwapTotalBytes => _values[(int)Key.SwapTotal];

    /// <summary>SwapFree: Unused swap space.</summary>
    public long? SwapFreeBytes => _values[(int)Key.SwapFree];

    /// <summary>Zswap: Memory consumed by the zswap backend (compressed size). Only with CONFIG_ZSWAP. Since Linux 5.19.</summary>
    public long? ZswapBytes => _values[(int)Key.Zswap];

    /// <summary>Zswapped: Anonymous memory stored in zswap (uncompressed size). Only with CONFIG_ZSWAP. Since Linux 5.19.</summary>
    public long? ZswappedBytes => _values[(int)Key.Zswapped];

    /// <summary>Dirty: Memory waiting to be written back to disk.</summary>
    public long? DirtyBytes => _values[(int)Key.Dirty];

    /// <summary>Writeback: Memory being written back to disk.</summary>
    public long? WritebackBytes => _values[(int)Key.Writeback];

    /// <summary>AnonPages: Non-file-backed pages mapped into user-space page tables. Since Linux 2.6.18.</summary>
    public long? AnonPagesBytes => _values[(int)Key.AnonPages];

    /// <summary>Mapped: Files mapped into memory with mmap(2), such as libraries.</summary>
    public long? MappedBytes => _values[(int)Key.Mapped];

    /// <summary>Shmem: Shared memory and tmpfs(5). Since Linux 2.6.32.</summary>
    public long? ShmemBytes => _values[(int)Key.Shmem];

    /// <summary>KReclaimable: Kernel allocations reclaimable under pressure (includes SReclaimable). Since Linux 4.20.</summary>
    public long? KReclaimableBytes => _values[(int)Key.KReclaimable];

    /// <summary>Slab: In-kernel data structure caches.</summary>
    public long? SlabBytes => _values[(int)Key.Slab];

    /// <summary>SReclaimable: Reclaimable part of Slab. Since Linux 2.6.19.</summary>
    public long? SReclaimableBytes => _values[(int)Key.SReclaimable];

    /// <summary>SUnreclaim: Unreclaimable part of Slab. Since Linux 2.6.19.</summary>
    public long? SUnreclaimBytes => _values[(int)Key.SUnreclaim];

    /// <summary>KernelStack: Kernel stacks. Since Linux 2.6.32.</summary>
    public long? KernelStackBytes => _values[(int)Key.KernelStack];

    /// <summary>ShadowCallStack: Shadow call stacks. Only with CONFIG_SHADOW_CALL_STACK (arm64). Since Linux 5.8.</summary>
    public long? ShadowCallStackBytes => _values[(int)Key.ShadowCallStack];

    /// <summary>PageTables: Lowest level of page tables. Since Linux 2.6.18.</summary>
    public long? PageTablesBytes => _values[(int)Key.PageTables];

    /// <summary>SecPageTables: Secondary page tables (KVM, IOMMU). Since Linux 6.1.</summary>
    public long? SecPageTablesBytes => _values[(int)Key.SecPageTables];

    /// <summary>NFS_Unstable: NFS pages sent to the server but not yet committed (always 0 since Linux 5.8). Since Linux 2.6.18.</summary>
    public long? NfsUnstableBytes => _values[(int)Key.NfsUnstable];

    /// <summary>Bounce: Block device bounce buffers. Since Linux 2.6.18.</summary>
    public long? BounceBytes => _values[(int)Key.Bounce];

    /// <summary>WritebackTmp: FUSE temporary writeback buffers. Since Linux 2.6.26.</summary>
    public long? WritebackTmpBytes => _values[(int)Key.WritebackTmp];

    /// <summary>CommitLimit: Allocation limit under strict overcommit (vm.overcommit_memory = 2). Since Linux 2.6.10.</summary>
    public long? CommitLimitBytes => _values[(int)Key.CommitLimit];

    /// <summary>Committed_AS: Memory currently committed (allocated, touched or not).</summary>
    public long? CommittedAsBytes => _values[(int)Key.CommittedAs];

    /// <summary>VmallocTotal: Size of the vmalloc address space.</summary>
    public long? VmallocTotalBytes => _values[(int)Key.VmallocTotal];

    /// <summary>VmallocUsed: Used vmalloc area (hard-coded 0 from Linux 4.4 to 5.2).</summary>
    public long? VmallocUsedBytes => _values[(int)Key.VmallocUsed];

    /// <summary>VmallocChunk: Largest free vmalloc block (hard-coded 0 since Linux 4.4).</summary>
    public long? VmallocChunkBytes => _values[(int)Key.VmallocChunk];

    /// <summary>Percpu: Memory backing per-CPU allocations. Since Linux 4.20.</summary>
    public long? PercpuBytes => _values[(int)Key.Percpu];

    /// <summary>HardwareCorrupted: Memory poisoned by hardware errors. Only with CONFIG_MEMORY_FAILURE. Since Linux 2.6.32.</summary>
    public long? HardwareCorruptedBytes => _values[(int)Key.HardwareCorrupted];

    /// <summary>AnonHugePages: Anonymous transparent huge pages. Only with CONFIG_TRANSPARENT_HUGEPAGE. Since Linux 2.6.38.</summary>
    public long? AnonHugePagesBytes => _values[(int)Key.AnonHugePages];

    /// <summary>ShmemHugePages: Shmem/tmpfs allocated with huge pages. Only with CONFIG_TRANSPARENT_HUGEPAGE. Since Linux 4.8.</summary>
    public long? ShmemHugePagesBytes => _values[(int)Key.ShmemHugePages];

    /// <summary>ShmemPmdMapped: Shmem mapped into user space with huge pages. Only with CONFIG_TRANSPARENT_HUGEPAGE. Since Linux 4.8.</summary>
    public long? ShmemPmdMappedBytes => _values[(int)Key.ShmemPmdMapped];

    /// <summary>FileHugePages: Page cache allocated with huge pages. Only with CONFIG_TRANSPARENT_HUGEPAGE. Since Linux 5.4.</summary>
    public long? FileHugePagesBytes => _values[(int)Key.FileHugePages];

    /// <summary>FilePmdMapped: Page cache mapped into user space with huge pages. Only with CONFIG_TRANSPARENT_HUGEPAGE. Since Linux 5.4.</summary>
    public long? FilePmdMappedBytes => _values[(int)Key.FilePmdMapped];

    /// <summary>CmaTotal: Memory reserved for the contiguous memory allocator. Only with CONFIG_CMA. Since Linux 3.1.</summary>
    public long? CmaTotalBytes => _values[(int)Key.CmaTotal];

    /// <summary>CmaFree: Free CMA memory. Only with CONFIG_CMA. Since Linux 3.1.</summary>
    public long? CmaFreeBytes => _values[(int)Key.CmaFree];

    /// <summary>Unaccepted: Memory not yet accepted by the guest (confidential VMs). Only with CONFIG_UNACCEPTED_MEMORY. Since Linux 6.5.</summary>
    public long? UnacceptedBytes => _values[(int)Key.Unaccepted];

    /// <summary>Balloon: Memory taken by balloon drivers. Since Linux 6.15.</summary>
    public long? BalloonBytes => _values[(int)Key.Balloon];

    /// <summary>HugePages_Total: Size of the hugetlb pool, in huge pages (a count, not bytes). Only with CONFIG_HUGETLB_PAGE.</summary>
    public long? HugePagesTotal => _values[(int)Key.HugePagesTotal];

    /// <summary>HugePages_Free: Huge pages in the pool not yet allocated (count). Only with CONFIG_HUGETLB_PAGE.</summary>
    public long? HugePagesFree => _values[(int)Key.HugePagesFree];

    /// <summary>HugePages_Rsvd: Huge pages committed but not yet allocated (count). Only with CONFIG_HUGETLB_PAGE. Since Linux 2.6.17.</summary>
    public long? HugePagesRsvd => _values[(int)Key.HugePagesRsvd];

    /// <summary>HugePages_Surp: Surplus huge pages above vm.nr_hugepages (count). Only with CONFIG_HUGETLB_PAGE. Since Linux 2.6.24.</summary>
    public long? HugePagesSurp => _values[(int)Key.HugePagesSurp];

    /// <summary>Hugepagesize: Default huge page size. Only with CONFIG_HUGETLB_PAGE.</summary>
    public long? HugepagesizeBytes => _values[(int)Key.Hugepagesize];

    /// <summary>Hugetlb: Memory used by huge pages of all sizes. Only with CONFIG_HUGETLB_PAGE. Since Linux 4.16.</summary>
    public long? HugetlbBytes => _values[(int)Key.Hugetlb];

    /// <summary>DirectMap4k: RAM linearly mapped by the kernel in 4 kB pages (x86). Since Linux 2.6.27.</summary>
    public long? DirectMap4kBytes => _values[(int)Key.DirectMap4k];

    /// <summary>DirectMap4M: RAM linearly mapped in 4 MB pages (32-bit x86 without PAE). Since Linux 2.6.27.</summary>
    public long? DirectMap4MBytes => _values[(int)Key.DirectMap4M];

    /// <summary>DirectMap2M: RAM linearly mapped in 2 MB pages (x86-64 or PAE). Since Linux 2.6.27.</summary>
    public long? DirectMap2MBytes => _values[(int)Key.DirectMap2M];

    /// <summary>DirectMap1G: RAM linearly mapped in 1 GB pages (x86-64 with GB pages). Since Linux 2.6.27.</summary>
    public long? DirectMap1GBytes => _values[(int)Key.DirectMap1G];

    public static MemInfo Parse(ReadOnlySpan<byte> content)
    {
        var values = new long?[(int)Key.Count];
        var all = new List<(string Key, long Value, bool IsKb)>(64);
        var r = new SpanReader(content, FileName);
        Span<char> chars = stackalloc char[MaxKnownKeyLength];
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            int at = r.Position;
            var field = r.NextField();
            if (field.Length < 2 || field[^1] != (byte)':') throw r.FailAt(at, "expected 'Key:'");
            var keyBytes = field[..^1];

            int valueAt = r.Position;
            var number = r.NextField();
            if (!Utf8Parser.TryParse(number, out long value, out int consumed) || consumed != number.Length)
                throw r.FailAt(valueAt, "expected an integer");
            bool isKb = false;
            if (r.TryNextField(out var unit))
            {
                if (!unit.SequenceEqual("kB"u8)) throw r.Fail("expected 'kB' or end of line");
                isKb = true;
            }
            if (r.HasField()) throw r.Fail("unexpected field");
            r.SkipLine();

            string key;
            if (TryLookup(keyBytes, chars, out string? known, out Key k))
            {
                key = known;
                if (isKb && (value > long.MaxValue / 1024 || value < long.MinValue / 1024))
                    throw r.FailAt(valueAt, "value too large");
                values[(int)k] = isKb ? value * 1024 : value;
            }
            else
            {
                key = TextSanitizer.Lossy(keyBytes);
            }
            all.Add((key, value, isKb));
        }
        return new MemInfo(values, all);
    }

    // The known keys are interned: a parse allocates a string only for a key this code has never
    // heard of. The lookup takes chars, so the (ASCII) key bytes are widened into a stack buffer.
    private const int MaxKnownKeyLength = 32;
    private static readonly Dictionary<string, Key> KeyIndex = BuildIndex();
    private static readonly Dictionary<string, Key>.AlternateLookup<ReadOnlySpan<char>> KeyLookup =
        KeyIndex.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, Key> BuildIndex()
    {
        var d = new Dictionary<string, Key>(KeyNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < KeyNames.Length; i++) d.Add(KeyNames[i], (Key)i);
        return d;
    }

    private static bool TryLookup(ReadOnlySpan<byte> keyBytes, Span<char> buffer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? key, out Key k)
    {
        key = null;
        k = default;
        if (keyBytes.Length > buffer.Length) return false;
        var chars = buffer[..keyBytes.Length];
        for (int i = 0; i < keyBytes.Length; i++)
        {
            byte b = keyBytes[i];
            if (b >= 0x80) return false;
            chars[i] = (char)b;
        }
        return KeyLookup.TryGetValue(chars, out key, out k);
    }
}
