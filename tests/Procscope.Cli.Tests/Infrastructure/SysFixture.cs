namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>
/// A small fake /proc root for free, uptime and vmstat (written to a temp directory; pass it with
/// --procfs). The numbers are made up but shaped like a 2-CPU, 32 GiB machine; several are chosen
/// to hit edge cases: MemFree above 2^24 KiB and odd (vmstat's single-precision rounding),
/// Committed_AS above CommitLimit (free -v prints a negative "free"), partitions next to disks
/// (vmstat -d/-D), a slab name longer than 24 characters and names that sort differently by case.
/// The golden outputs in the command tests were produced by procps-ng 4.0.2 itself reading these
/// files (bind-mounted over /proc in a private mount namespace), see FixtureOracleTests.
/// </summary>
public sealed class SysFixture : IDisposable
{
    public const string MemInfo = """
        MemTotal:       32628673 kB
        MemFree:        19123457 kB
        MemAvailable:   24345679 kB
        Buffers:          234567 kB
        Cached:          2345678 kB
        SwapCached:          128 kB
        Active:          3456789 kB
        Inactive:        2109876 kB
        Active(anon):    1456789 kB
        Inactive(anon):   109876 kB
        Active(file):    2000000 kB
        Inactive(file):  2000000 kB
        Unevictable:           0 kB
        Mlocked:               0 kB
        SwapTotal:       2097148 kB
        SwapFree:        1997147 kB
        Dirty:               512 kB
        Writeback:             0 kB
        AnonPages:       1500000 kB
        Mapped:           400000 kB
        Shmem:            456789 kB
        KReclaimable:     198765 kB
        Slab:             300000 kB
        SReclaimable:     198765 kB
        SUnreclaim:       101235 kB
        KernelStack:       12000 kB
        PageTables:        20000 kB
        CommitLimit:    10254316 kB
        Committed_AS:   11287654 kB
        VmallocTotal:   34359738367 kB
        VmallocUsed:       50000 kB
        VmallocChunk:          0 kB
        HugePages_Total:       0
        HugePages_Free:        0
        Hugepagesize:       2048 kB
        DirectMap4k:      300000 kB
        DirectMap2M:    16000000 kB
        """;

    public const string Stat = """
        cpu  123456 789 45678 9876543 2345 0 1234 567 0 0
        cpu0 61728 400 22839 4938271 1172 0 617 283 0 0
        cpu1 61728 389 22839 4938272 1173 0 617 284 0 0
        intr 34567890 9 0 0 0 0 0 0 0 1 0 0 0 0 0
        ctxt 98765432
        btime 1764000000
        processes 123456
        procs_running 3
        procs_blocked 1
        softirq 2345678 0 1 2 3 4 5 6 7 8 9
        """;

    public const string VmStat = """
        nr_free_pages 2280864
        nr_zone_inactive_anon 27469
        pgpgin 3456789
        pgpgout 2345678
        pswpin 1234
        pswpout 5678
        pgalloc_dma 0
        pgfree 123456789
        pgfault 98765432
        pgmajfault 4321
        """;

    public const string Uptime = """
        93784.52 180000.00
        """;

    public const string LoadAvg = """
        0.00 0.01 0.05 1/123 4567
        """;

    public const string DiskStats = """
           7       0 loop0 52 0 2142 17 0 0 0 0 0 28 17 0 0 0 0 0 0
         259       0 nvme0n1 834567 12345 45678901 234567 456789 98765 34567890 345678 0 456789 678901 0 0 0 0 12345 6789
         259       1 nvme0n1p1 1234 0 56789 1234 12 0 100 34 0 1200 1268 0 0 0 0 0 0
         259       2 nvme0n1p2 833000 12345 45600000 233000 456777 98765 34567790 345644 0 455000 677000 0 0 0 0 0 0
           8       0 sda 5678 123 456789 12345 2345 678 987654 23456 2 34567 45678 0 0 0 0 0 0
           8       1 sda1 5600 123 456000 12300 2345 678 987654 23456 2 34500 45600 0 0 0 0 0 0
        """;

    public const string SlabInfo = """
        slabinfo - version: 2.1
        # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
        kmalloc-64          5120   5120     64   64    1 : tunables    0    0    0 : slabdata     80     80      0
        dentry             45678  46000    192   21    1 : tunables    0    0    0 : slabdata   2190   2190      0
        AF_VSOCK              24     24   1280   12    4 : tunables    0    0    0 : slabdata      2      2      0
        a_very_long_slab_cache_name_beyond_24      7      8    512    8    1 : tunables    0    0    0 : slabdata      1      1      0
        Acpi-State           102    102     80   51    1 : tunables    0    0    0 : slabdata      2      2      0
        """;

    public const string SysBlock = """
        loop0
        nvme0n1
        sda
        """;

    /// <summary>The files of the tree, by name under the root.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["meminfo"] = MemInfo,
        ["stat"] = Stat,
        ["vmstat"] = VmStat,
        ["uptime"] = Uptime,
        ["loadavg"] = LoadAvg,
        ["diskstats"] = DiskStats,
        ["slabinfo"] = SlabInfo,
        ["procscope-sysblock"] = SysBlock,
    };

    /// <summary>Whole disks, as /sys/block would list them.</summary>
    public static readonly string[] BlockDisks = ["loop0", "nvme0n1", "sda"];

    public SysFixture(IReadOnlyDictionary<string, string>? overrides = null)
    {
        Root = Directory.CreateTempSubdirectory("procscope-sysfix").FullName;
        foreach (var (name, text) in Files) File.WriteAllText(Path.Combine(Root, name), text + "\n");
        if (overrides is not null)
            foreach (var (name, text) in overrides) File.WriteAllText(Path.Combine(Root, name), text);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes a utmp file with the given (ut_type, ut_user) records as "procscope-utmp".</summary>
    public void WriteUtmp(params (short Type, string User)[] records) => File.WriteAllBytes(PathOf("procscope-utmp"), Utmp(records));

    /// <summary>x86_64 glibc struct utmp records: ut_type at 0, ut_pid at 4, ut_line at 8, ut_user at 44 (32 bytes), ut_tv at 340; 384 bytes each.</summary>
    public static byte[] Utmp(params (short Type, string User)[] records)
    {
        var bytes = new byte[384 * records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            var r = bytes.AsSpan(i * 384, 384);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(r, records[i].Type);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(r[4..], 1000 + i);
            System.Text.Encoding.ASCII.GetBytes("pts/" + i).CopyTo(r[8..]);
            var user = System.Text.Encoding.UTF8.GetBytes(records[i].User);
            user.AsSpan(0, Math.Min(32, user.Length)).CopyTo(r[44..]);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(r[340..], 1764000000);
        }
        return bytes;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
        }
    }
}
