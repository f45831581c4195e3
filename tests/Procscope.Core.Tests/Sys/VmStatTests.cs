using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class VmStatTests
{
    // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs
    internal static ReadOnlySpan<byte> Captured => """
        nr_free_pages 1062971
        nr_free_pages_blocks 977408
        nr_zone_inactive_anon 1076
        nr_zone_active_anon 380
        nr_zone_inactive_file 14961
        nr_zone_active_file 33502
        nr_zone_unevictable 3141
        nr_zone_write_pending 68
        nr_mlock 2901
        nr_zspages 0
        nr_free_cma 0
        numa_hit 1586568
        numa_miss 0
        numa_foreign 0
        numa_interleave 1119
        numa_local 1586568
        numa_other 0
        nr_inactive_anon 1062
        nr_active_anon 380
        nr_inactive_file 14940
        nr_active_file 33513
        nr_unevictable 3141
        nr_slab_reclaimable 5429
        nr_slab_unreclaimable 5349
        nr_isolated_anon 0
        nr_isolated_file 0
        workingset_nodes 7668
        workingset_refault_anon 0
        workingset_refault_file 88303
        workingset_activate_anon 0
        workingset_activate_file 33382
        workingset_restore_anon 0
        workingset_restore_file 0
        workingset_nodereclaim 0
        nr_anon_pages 2386
        nr_mapped 2657
        nr_file_pages 50669
        nr_dirty 68
        nr_writeback 0
        nr_shmem 2197
        nr_shmem_hugepages 0
        nr_shmem_pmdmapped 0
        nr_file_hugepages 0
        nr_file_pmdmapped 0
        nr_anon_transparent_hugepages 0
        nr_vmscan_write 0
        nr_vmscan_immediate_reclaim 287
        nr_dirtied 231837
        nr_written 197040
        nr_throttled_written 0
        nr_kernel_misc_reclaimable 0
        nr_foll_pin_acquired 0
        nr_foll_pin_released 0
        nr_kernel_stack 1332
        nr_page_table_pages 461
        nr_sec_page_table_pages 0
        nr_iommu_pages 0
        nr_swapcached 0
        pgpromote_success 0
        pgpromote_candidate 0
        pgpromote_candidate_nrl 0
        pgdemote_kswapd 0
        pgdemote_direct 0
        pgdemote_khugepaged 0
        pgdemote_proactive 0
        nr_hugetlb 0
        nr_balloon_pages 0
        nr_kernel_file_pages 0
        nr_dirty_threshold 1222647
        nr_dirty_background_threshold 610577
        nr_memmap_pages 0
        nr_memmap_boot_pages 98304
        pgpgin 803765
        pgpgout 784196
        pswpin 0
        pswpout 0
        pgalloc_dma 0
        pgalloc_dma32 0
        pgalloc_normal 1804356
        pgalloc_movable 0
        pgalloc_device 0
        allocstall_dma 0
        allocstall_dma32 0
        allocstall_normal 0
        allocstall_movable 0
        allocstall_device 0
        pgskip_dma 0
        pgskip_dma32 0
        pgskip_normal 0
        pgskip_movable 0
        pgskip_device 0
        pgfree 2869886
        pgactivate 154793
        pgdeactivate 0
        pglazyfree 0
        pgfault 1669613
        pgmajfault 1119
        pglazyfreed 0
        pgrefill 0
        pgreuse 110469
        pgsteal_kswapd 0
        pgsteal_direct 0
        pgsteal_khugepaged 0
        pgsteal_proactive 0
        pgscan_kswapd 0
        pgscan_direct 0
        pgscan_khugepaged 0
        pgscan_proactive 0
        pgscan_direct_throttle 0
        pgscan_anon 0
        pgscan_file 0
        pgsteal_anon 0
        pgsteal_file 0
        zone_reclaim_success 0
        zone_reclaim_failed 0
        pginodesteal 0
        slabs_scanned 287
        kswapd_inodesteal 0
        kswapd_low_wmark_hit_quickly 0
        kswapd_high_wmark_hit_quickly 0
        pageoutrun 0
        pgrotated 262
        drop_pagecache 1
        drop_slab 2
        oom_kill 0
        numa_pte_updates 0
        numa_huge_pte_updates 0
        numa_hint_faults 0
        numa_hint_faults_local 0
        numa_pages_migrated 0
        pgmigrate_success 0
        pgmigrate_fail 0
        thp_migration_success 0
        thp_migration_fail 0
        thp_migration_split 0
        compact_migrate_scanned 0
        compact_free_scanned 0
        compact_isolated 0
        compact_stall 0
        compact_fail 0
        compact_success 0
        compact_daemon_wake 0
        compact_daemon_migrate_scanned 0
        compact_daemon_free_scanned 0
        htlb_buddy_alloc_success 0
        htlb_buddy_alloc_fail 0
        unevictable_pgs_culled 21735
        unevictable_pgs_scanned 0
        unevictable_pgs_rescued 18594
        unevictable_pgs_mlocked 21675
        unevictable_pgs_munlocked 18775
        unevictable_pgs_cleared 0
        unevictable_pgs_stranded 0
        thp_fault_alloc 0
        thp_fault_fallback 0
        thp_fault_fallback_charge 0
        thp_collapse_alloc 0
        thp_collapse_alloc_failed 0
        thp_file_alloc 0
        thp_file_fallback 0
        thp_file_fallback_charge 0
        thp_file_mapped 0
        thp_split_page 0
        thp_split_page_failed 0
        thp_deferred_split_page 0
        thp_underused_split_page 0
        thp_split_pmd 0
        thp_scan_exceed_none_pte 0
        thp_scan_exceed_swap_pte 0
        thp_scan_exceed_share_pte 0
        thp_split_pud 0
        thp_zero_page_alloc 0
        thp_zero_page_alloc_failed 0
        thp_swpout 0
        thp_swpout_fallback 0
        balloon_inflate 0
        balloon_deflate 0
        balloon_migrate 0
        swap_ra 0
        swap_ra_hit 0
        swpin_zero 0
        swpout_zero 0
        ksm_swpin_copy 0
        cow_ksm 0
        zswpin 0
        zswpout 0
        zswpwb 0
        direct_map_level2_splits 5
        direct_map_level3_splits 0
        direct_map_level2_collapses 0
        direct_map_level3_collapses 0
        nr_unstable 0

        """u8;

    [Fact]
    public void Parse_CapturedVmstat_ReadsTypedCounters()
    {
        var v = VmStat.Parse(Captured);

        Assert.Equal(803765UL, v.PgpgInKb);
        Assert.Equal(784196UL, v.PgpgOutKb);
        Assert.Equal(0UL, v.PswpInPages);
        Assert.Equal(0UL, v.PswpOutPages);
        Assert.Equal(1669613UL, v.PgFault);
        Assert.Equal(1119UL, v.PgMajFault);
        Assert.Equal(2869886UL, v.PgFree);
    }

    [Fact]
    public void Parse_CapturedVmstat_KeepsEveryLineInOrder()
    {
        var v = VmStat.Parse(Captured);

        Assert.Equal(192, v.Count);
        Assert.Equal(192, v.All.Count);
        Assert.Equal(("nr_free_pages", 1062971UL), v.All[0]);
        Assert.Equal(("pgpgin", 803765UL), v.All[72]);
        Assert.Equal(("nr_unstable", 0UL), v.All[191]);
        Assert.Same(v.All, v.All);
    }

    [Fact]
    public void TryGet_NameInFile_ReturnsValue()
    {
        var v = VmStat.Parse(Captured);

        Assert.True(v.TryGet("nr_dirty", out ulong dirty));
        Assert.Equal(68UL, dirty);
        Assert.True(v.TryGet("nr_free_pages"u8, out ulong free));
        Assert.Equal(1062971UL, free);
    }

    [Fact]
    public void TryGet_NameNotInFileOrPrefix_ReturnsFalse()
    {
        var v = VmStat.Parse(Captured);

        Assert.False(v.TryGet("nr_dirt", out _));
        Assert.False(v.TryGet("nr_dirty_", out _));
        Assert.False(v.TryGet("no_such_counter"u8, out ulong value));
        Assert.Equal(0UL, value);
    }

    [Fact]
    public void Parse_VmstatWithoutEventCounters_LeavesTypedCountersNull()
    {
        // CONFIG_VM_EVENT_COUNTERS=n: only the nr_* state counters remain.
        var v = VmStat.Parse("""
            nr_free_pages 1062971
            nr_dirty 68

            """u8);

        Assert.Null(v.PgpgInKb);
        Assert.Null(v.PgpgOutKb);
        Assert.Null(v.PswpInPages);
        Assert.Null(v.PswpOutPages);
        Assert.Null(v.PgFault);
        Assert.Null(v.PgMajFault);
        Assert.Null(v.PgFree);
        Assert.Equal(2, v.Count);
    }

    [Fact]
    public void Parse_Empty_HasNoCounters()
    {
        var v = VmStat.Parse(""u8);

        Assert.Equal(0, v.Count);
        Assert.Empty(v.All);
    }

    [Theory]
    [InlineData("pgpgin\n")]
    [InlineData("pgpgin -1\n")]
    [InlineData("pgpgin 12 13\n")]
    [InlineData("pgpgin 1.5\n")]
    [InlineData("pgpgin 18446744073709551616\n")]
    public void Parse_MalformedVmstatLine_Throws(string line)
    {
        var e = Assert.Throws<ProcFormatException>(() => VmStat.Parse(System.Text.Encoding.ASCII.GetBytes(line)));
        Assert.Equal("/proc/vmstat", e.File);
    }
}
