using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class SwapsTests
{
    // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs, after
    // `swapon "/var/tmp/procscope-core-sys swap/sw<TAB>ap\x"` (a space, a tab and a backslash in the path).
    internal static ReadOnlySpan<byte> Captured =>
        "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/var/tmp/procscope-core-sys\\040swap/sw\\011ap\\134x file\t\t16380\t\t0\t\t-2\n"u8;

    [Fact]
    public void Parse_CapturedSwapsWithEscapedFilename_UnescapesIt()
    {
        var s = Swaps.Parse(Captured);

        var a = Assert.Single(s.Areas);
        Assert.Equal("/var/tmp/procscope-core-sys swap/sw\tap\\x"u8.ToArray(), a.FilenameBytes);
        Assert.Equal("file", a.Type);
        Assert.Equal(16380L * 1024, a.SizeBytes);
        Assert.Equal(0L, a.UsedBytes);
        Assert.Equal(-2, a.Priority);
    }

    [Fact]
    public void Parse_SeveralAreas_ReadsEach()
    {
        var s = Swaps.Parse("""
            Filename				Type		Size		Used		Priority
            /dev/zram0                              partition	4194300		1024		100
            /swapfile\040(deleted)                  file		2097148		0		-2

            """u8);

        Assert.Equal(2, s.Areas.Count);
        Assert.Equal("/dev/zram0"u8.ToArray(), s.Areas[0].FilenameBytes);
        Assert.Equal("partition", s.Areas[0].Type);
        Assert.Equal(4194300L * 1024, s.Areas[0].SizeBytes);
        Assert.Equal(1024L * 1024, s.Areas[0].UsedBytes);
        Assert.Equal(100, s.Areas[0].Priority);
        Assert.Equal("/swapfile (deleted)"u8.ToArray(), s.Areas[1].FilenameBytes);
    }

    [Fact]
    public void Parse_HeaderOnly_ReturnsNoAreas()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (no swap)
        Assert.Empty(Swaps.Parse("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"u8).Areas);
        Assert.Empty(Swaps.Parse(""u8).Areas);
    }

    [Fact]
    public void Parse_FilenameWithNonUtf8Byte_KeepsRawBytes()
    {
        byte[] line = [.. "/tmp/"u8, 0xff, .. "\\012x file 8 4 -3\n"u8];
        var s = Swaps.Parse(line);

        Assert.Equal(new byte[] { (byte)'/', (byte)'t', (byte)'m', (byte)'p', (byte)'/', 0xff, (byte)'\n', (byte)'x' }, s.Areas[0].FilenameBytes);
        Assert.Equal(-3, s.Areas[0].Priority);
    }

    [Theory]
    [InlineData("/swapfile file 100 0\n")]
    [InlineData("/swapfile file 100\n")]
    [InlineData("/swapfile file x 0 -2\n")]
    [InlineData("/swapfile file 100 0 low\n")]
    [InlineData("/swapfile file 18014398509481984 0 -2\n")]
    public void Parse_MalformedSwaps_Throws(string line)
    {
        var e = Assert.Throws<ProcFormatException>(() => Swaps.Parse(System.Text.Encoding.ASCII.GetBytes(line)));
        Assert.Equal("/proc/swaps", e.File);
    }
}
