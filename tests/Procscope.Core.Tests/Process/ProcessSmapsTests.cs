using System.Text;
using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

/// <summary>/proc/[pid]/smaps and maps. Samples captured on Linux 6.18 x86_64 (Debian 12), trimmed and edited where noted.</summary>
public sealed class ProcessSmapsTests
{
    private const string Sample =
        "5632d2d29000-5632d2d2b000 r--p 00000000 fe:00 248174                     /usr/bin/sleep\n" +
        "Size:                  8 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\nRss:                   8 kB\nPss:                   2 kB\n" +
        "Pss_Dirty:             0 kB\nShared_Clean:          8 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:         0 kB\n" +
        "Referenced:            8 kB\nAnonymous:             0 kB\nKSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\n" +
        "ShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:                  0 kB\n" +
        "SwapPss:               0 kB\nLocked:                0 kB\nTHPeligible:           0\nVmFlags: rd mr mw me \n" +
        "7f5a9bc9b000-7f5a9bc9e000 rw-p 00000000 00:00 0 \n" +
        "Size:                 12 kB\nRss:                   8 kB\nPss:                   8 kB\nShared_Clean:          0 kB\nShared_Dirty:          0 kB\n" +
        "Private_Clean:         4 kB\nPrivate_Dirty:         4 kB\nAnonymous:             8 kB\nSwap:                  4 kB\nTHPeligible:           1\nVmFlags: rd wr mr mw me ac \n";

    [Fact]
    public void Parse_TwoMappings_FieldsInKernelOrderAndBytes()
    {
        var s = ProcessSmaps.Parse(Encoding.ASCII.GetBytes(Sample));
        Assert.Equal(2, s.Mappings.Count);
        Assert.Equal("Size", s.Fields[0]);
        Assert.Equal("THPeligible", s.Fields[^1]);
        var file = s.Mappings[0];
        Assert.Equal(0x5632d2d29000UL, file.Mapping.Start);
        Assert.Equal(0x5632d2d2b000UL, file.Mapping.End);
        Assert.Equal("r--p", file.Mapping.Perms);
        Assert.Equal("fe:00", file.Mapping.Device);
        Assert.Equal(0xfeu, file.Mapping.DevMajor);
        Assert.Equal(248174UL, file.Mapping.Inode);
        Assert.Equal("/usr/bin/sleep", Encoding.UTF8.GetString(file.Mapping.PathBytes));
        Assert.Equal(8192, file.RssBytes);
        Assert.Equal(2048, file.PssBytes);
        Assert.Equal("rd mr mw me", file.VmFlags);
        var anon = s.Mappings[1];
        Assert.Empty(anon.Mapping.PathBytes);
        Assert.Equal(8192, anon.UssBytes);
        Assert.Equal(4096, anon.DirtyBytes);
        Assert.Equal(4096, anon.SwapBytes);
        Assert.Equal(1, anon.Get("THPeligible"));
        Assert.False(s.IsSize(s.IndexOf("THPeligible")));
        Assert.Null(anon.Get("KernelPageSize")); // edited: this mapping lacks the line
        Assert.Equal(16384, s.Total("Rss"));
    }

    [Fact]
    public void Parse_PathWithNewlineEscapeAndDeletedSuffix_Unescaped()
    {
        // Edited from a capture: a file named "a\nb c" that was unlinked while mapped.
        var line = "7f0000000000-7f0000001000 r--s 00000000 fe:00 12 /tmp/a\\012b c (deleted)\n";
        var m = ProcessMaps.Parse(Encoding.ASCII.GetBytes(line)).Mappings.Single();
        Assert.Equal("/tmp/a\nb c (deleted)", Encoding.UTF8.GetString(m.PathBytes));
        Assert.True(m.Deleted);
        Assert.True(m.Shared);
        Assert.Equal(4096UL, m.SizeBytes);
    }

    [Fact]
    public void Parse_PseudoNamesAndBackslashes_KeptAsIs()
    {
        var text = "7ffddb476000-7ffddb497000 rw-p 00000000 00:00 0                          [stack]\n" +
                   "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 [anon:my name]\n" +
                   "7f0000001000-7f0000002000 r--p 00000000 fe:00 7 /x/back\\slash\n";
        var maps = ProcessMaps.Parse(Encoding.ASCII.GetBytes(text)).Mappings;
        Assert.Equal("[stack]", Encoding.UTF8.GetString(maps[0].PathBytes));
        Assert.Equal("[anon:my name]", Encoding.UTF8.GetString(maps[1].PathBytes));
        Assert.Equal("/x/back\\slash", Encoding.UTF8.GetString(maps[2].PathBytes));
        Assert.False(maps[0].Deleted);
    }

    [Fact]
    public void Parse_GarbageHeader_ThrowsFormatError()
    {
        Assert.Throws<ProcFormatException>(() => ProcessMaps.Parse("zzzz r--p 0 00:00 0\n"u8));
        Assert.Throws<ProcFormatException>(() => ProcessSmaps.Parse("Rss: 4 kB\n"u8));
        Assert.Throws<ProcFormatException>(() => ProcessSmaps.Parse("1000-2000 r--p 00000000 00:00 0\nRss: x kB\n"u8));
    }

    [Fact]
    public void Parse_Empty_NoMappings()
    {
        Assert.Empty(ProcessSmaps.Parse(""u8).Mappings);
        Assert.Empty(ProcessMaps.Parse(""u8).Mappings);
    }
}
