using Procscope.Cli.Commands.Free;
using Procscope.Core.Sys;

namespace Procscope.Cli.Tests.Free;

/// <summary>
/// free's number formatting (procps-ng 4.0.2 src/free.c scale_size). Expected strings follow
/// procps's rules: bytes = KiB × 1024; -h keeps the first of "%lld B", "%.1f" of a float, "%ld"
/// that fits 4 columns (5 for binary units with their "i"); "%.1f" rounds the exact binary value
/// half to even, as glibc does. Each was also confirmed against procps free on a bind-mounted
/// meminfo holding the value.
/// </summary>
public sealed class FreeFormatterTests
{
    private static readonly FreeScale Human = new(Human: true);
    private static readonly FreeScale HumanSi = new(Si: true, Human: true);

    [Fact]
    public void ScaleSize_Default_IsKibibytes() => Assert.Equal("24684096", FreeFormatter.ScaleSize(24684096, new FreeScale()));

    [Fact]
    public void ScaleSize_DefaultWithSi_IsKilobytes() => Assert.Equal("1024", FreeFormatter.ScaleSize(1000, new FreeScale(Si: true)));

    [Fact]
    public void ScaleSize_Bytes_MultipliesBy1024() => Assert.Equal("25276514304", FreeFormatter.ScaleSize(24684096, new FreeScale(Exponent: 1)));

    [Fact]
    public void ScaleSize_Mebi_Truncates() => Assert.Equal("9", FreeFormatter.ScaleSize(10239, new FreeScale(Exponent: 3)));

    [Fact]
    public void ScaleSize_Mega_UsesPowersOf1000() => Assert.Equal("10", FreeFormatter.ScaleSize(10239, new FreeScale(Exponent: 3, Si: true)));

    [Fact]
    public void ScaleSize_Pebi_OfSmallValue_IsZero() => Assert.Equal("0", FreeFormatter.ScaleSize(24684096, new FreeScale(Exponent: 6)));

    [Fact]
    public void ScaleSize_HumanZero_IsZeroBytes() => Assert.Equal("0B", FreeFormatter.ScaleSize(0, Human));

    [Fact]
    public void ScaleSize_HumanOneKib_IsOnePointZeroKi() => Assert.Equal("1.0Ki", FreeFormatter.ScaleSize(1, Human));

    [Fact]
    public void ScaleSize_Human1023Kib_FallsThroughToMebibytes() => Assert.Equal("1.0Mi", FreeFormatter.ScaleSize(1023, Human));

    [Fact]
    public void ScaleSize_Human977Kib_IsWholeKibibytes() => Assert.Equal("977Ki", FreeFormatter.ScaleSize(977, Human));

    [Fact]
    public void ScaleSize_Human10239Kib_TruncatesToNineMebibytes() => Assert.Equal("9Mi", FreeFormatter.ScaleSize(10239, Human));

    [Fact]
    public void ScaleSize_HumanExactTie_RoundsHalfToEven() => Assert.Equal("1.2Mi", FreeFormatter.ScaleSize(1280, Human));

    [Fact]
    public void ScaleSize_HumanExactTieOtherWay_RoundsHalfToEven() => Assert.Equal("1.8Mi", FreeFormatter.ScaleSize(1792, Human));

    [Fact]
    public void ScaleSize_HumanGibibytes_DropsDecimalWhenTooWide() => Assert.Equal("23Gi", FreeFormatter.ScaleSize(24684096, Human));

    [Fact]
    public void ScaleSize_HumanGibibytes_KeepsDecimalWhenItFits() => Assert.Equal("7.9Gi", FreeFormatter.ScaleSize(8282994, Human));

    [Fact]
    public void ScaleSize_HumanSi_FourColumns() => Assert.Equal("999K", FreeFormatter.ScaleSize(976, HumanSi));

    [Fact]
    public void ScaleSize_HumanSi_CarriesToNextUnit() => Assert.Equal("1.0M", FreeFormatter.ScaleSize(977, HumanSi));

    [Fact]
    public void ScaleSize_HumanSi_Gigabytes() => Assert.Equal("8.5G", FreeFormatter.ScaleSize(8282994, HumanSi));

    [Fact]
    public void ScaleSize_NegativeDefault_PrintsNegative() => Assert.Equal("-1032986", FreeFormatter.ScaleSize(-1032986, new FreeScale()));

    [Fact]
    public void ScaleSize_NegativeHuman_TruncatesTowardZero() => Assert.Equal("0Gi", FreeFormatter.ScaleSize(-1032986, Human));

    [Fact]
    public void ScaleSize_HumanPebibytes_LastUnit() => Assert.Equal("1.0Pi", FreeFormatter.ScaleSize(1L << 40, Human));

    [Fact]
    public void HeadCol_PadsLabelToNineColumns() => Assert.Equal("Swap:    ", FreeFormatter.HeadCol("Swap:"));

    private static MemoryUsage Usage() => MemoryUsage.From(MemInfo.Parse("""
        MemTotal:           1280 kB
        MemFree:            1023 kB
        MemAvailable:       1024 kB
        Buffers:           10239 kB
        Cached:             1792 kB
        Shmem:               977 kB
        SReclaimable:          0 kB
        SwapTotal:           976 kB
        SwapFree:              1 kB
        CommitLimit:          10 kB
        Committed_AS:    1032996 kB

        """u8));

    [Fact]
    public void Render_HumanWideCommitted_MatchesProcps() => Assert.Equal(
        "               total        used        free      shared     buffers       cache   available\n" +
        "Mem:           1.2Mi       256Ki       1.0Mi       977Ki         9Mi       1.8Mi       1.0Mi\n" +
        "Swap:          976Ki       975Ki       1.0Ki\n" +
        "Comm:           10Ki       1.0Gi         0Gi\n",
        FreeFormatter.Render(Usage(), new FreeLayout(Human, Wide: true, Committed: true)));

    [Fact]
    public void Render_HumanSi_MatchesProcps() => Assert.Equal(
        "               total        used        free      shared  buff/cache   available\n" +
        "Mem:            1.3M        262K        1.0M        1.0M         12M        1.0M\n" +
        "Swap:           999K        998K        1.0K\n",
        FreeFormatter.Render(Usage(), new FreeLayout(HumanSi)));

    [Fact]
    public void Render_MegaCommitted_NegativeFree() => Assert.Equal(
        "               total        used        free      shared  buff/cache   available\n" +
        "Mem:               1           0           1           1          12           1\n" +
        "Swap:              0           0           0\n" +
        "Comm:              0        1057       -1057\n",
        FreeFormatter.Render(Usage(), new FreeLayout(new FreeScale(Exponent: 3, Si: true), Committed: true)));

    [Fact]
    public void Render_Total_SumsMemAndSwap() => Assert.Equal(
        "               total        used        free      shared  buff/cache   available\n" +
        "Mem:            1280         256        1023         977       12031        1024\n" +
        "Swap:            976         975           1\n" +
        "Total:          2256        1231        1024\n",
        FreeFormatter.Render(Usage(), new FreeLayout(new FreeScale(), Total: true)));

    [Fact]
    public void Render_LowHigh_WithoutHighmem_LowIsAllMemory() => Assert.Equal(
        "               total        used        free      shared  buff/cache   available\n" +
        "Mem:            1280         256        1023         977       12031        1024\n" +
        "Low:            1280         257        1023\n" +
        "High:              0           0           0\n" +
        "Swap:            976         975           1\n",
        FreeFormatter.Render(Usage(), new FreeLayout(new FreeScale(), LowHigh: true)));

    [Fact]
    public void Render_Line_IsProcps403SingleLineWithTrailingSpace() => Assert.Equal(
        "SwapUse         975 CachUse       12031  MemUse         256 MemFree        1023 \n",
        FreeFormatter.Render(Usage(), new FreeLayout(new FreeScale(), Line: true)));
}
