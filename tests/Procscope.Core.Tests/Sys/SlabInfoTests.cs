using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class SlabInfoTests
{
    // Captured from Linux 6.18 (Debian 12 userland, x86_64), SLUB, trimmed.
    private static readonly byte[] Live = """
        slabinfo - version: 2.1
        # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
        btrfs_delayed_node      0      0    312   13    1 : tunables    0    0    0 : slabdata      0      0      0
        AF_VSOCK              24     24   1280   12    4 : tunables    0    0    0 : slabdata      2      2      0
        kmalloc-64          5120   5120     64   64    1 : tunables    0    0    0 : slabdata     80     80      0

        """u8.ToArray();

    [Fact]
    public void Parse_Live_EveryField()
    {
        var s = SlabInfo.Parse(Live);
        Assert.Equal((2, 1), (s.MajorVersion, s.MinorVersion));
        Assert.Equal(3, s.Caches.Count);
        Assert.Equal(new SlabCache("AF_VSOCK", 24, 24, 1280, 12, 4, 0, 0, 0, 2, 2, 0), s.Caches[1]);
    }

    [Fact]
    public void Parse_SlabStatistics_ExtraSectionsIgnored()
    {
        var s = SlabInfo.Parse("""
            slabinfo - version: 2.1 (statistics)
            # name <active_objs> ...
            dentry 45678 46000 192 21 1 : tunables 120 60 8 : slabdata 2190 2190 0 : globalstat 1 2 3 4 5 6 7 8 : cpustat 1 2 3 4

            """u8);
        Assert.Equal(new SlabCache("dentry", 45678, 46000, 192, 21, 1, 120, 60, 8, 2190, 2190, 0), Assert.Single(s.Caches));
    }

    [Fact]
    public void Parse_Version1_Refused() =>
        Assert.Throws<ProcFormatException>(() => SlabInfo.Parse("slabinfo - version: 1.1\nx 1 1 1 1 1\n"u8));

    [Fact]
    public void Parse_NotSlabinfo_Refused() => Assert.Throws<ProcFormatException>(() => SlabInfo.Parse("MemTotal: 1 kB\n"u8));

    [Fact]
    public void Parse_MissingTunables_Refused() =>
        Assert.Throws<ProcFormatException>(() => SlabInfo.Parse("slabinfo - version: 2.1\ndentry 1 2 3 4 5 : slabdata 1 1 0\n"u8));

    [Fact]
    public void Parse_HeaderOnly_NoCaches() => Assert.Empty(SlabInfo.Parse("slabinfo - version: 2.1\n# name\n"u8).Caches);
}
