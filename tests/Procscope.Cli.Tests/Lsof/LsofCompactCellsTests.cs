using System.Globalization;
using System.Text;
using Procscope.Cli.Commands.Lsof;

namespace Procscope.Cli.Tests.Lsof;

/// <summary>The compact cell store behind lsof's table: exact round trips, widths in chars, padding, chunk boundaries.</summary>
public sealed class LsofCompactCellsTests
{
    [Fact]
    public void Cells_RoundTripExactly_AndWidthsCountChars()
    {
        var s = new CompactCells(3);
        Assert.Equal(0, s.Add(["bash", "12", "/usr/lib/libc.so.6"]));
        Assert.Equal(1, s.Add(["", "123456", "caf\u00e9 \u65e5\u672c"]));
        Assert.Equal(2, s.Add(["x", "", "\\n^["]));
        Assert.Equal(3, s.Count);
        Assert.Equal("bash", Encoding.UTF8.GetString(s.Cell(0, 0)));
        Assert.Equal("12", Encoding.UTF8.GetString(s.Cell(0, 1)));
        Assert.Equal("/usr/lib/libc.so.6", Encoding.UTF8.GetString(s.Cell(0, 2)));
        Assert.Equal(0, s.Cell(1, 0).Length);
        Assert.Equal("caf\u00e9 \u65e5\u672c", Encoding.UTF8.GetString(s.Cell(1, 2)));
        Assert.Equal("\\n^[", Encoding.UTF8.GetString(s.Cell(2, 2)));
        Assert.Equal(4, s.Width(0));
        Assert.Equal(6, s.Width(1));
        // 18 chars for the path; "café 日本" is 7 chars (11 bytes): widths are what PadLeft counts.
        Assert.Equal(18, s.Width(2));
        var t = new CompactCells(1);
        t.Add(["caf\u00e9 \u65e5\u672c"]);
        Assert.Equal(7, t.Width(0));
    }

    [Fact]
    public void AppendCell_PadsLikePadLeftAndPadRight()
    {
        var s = new CompactCells(2);
        s.Add(["\u00e9t\u00e9", "42"]);
        var sb = new StringBuilder();
        s.AppendCell(sb, 0, 0, 6);
        sb.Append('|');
        s.AppendCell(sb, 0, 1, 5, alignRight: true);
        sb.Append('|');
        s.AppendCell(sb, 0, 1, 1, alignRight: true);
        sb.Append('|');
        s.AppendCell(sb, 0, 0);
        Assert.Equal("\u00e9t\u00e9".PadRight(6) + "|" + "42".PadLeft(5) + "|42|\u00e9t\u00e9", sb.ToString());
    }

    [Fact]
    public void ManyRows_CrossChunks_AndAHugeRowGetsItsOwnChunk()
    {
        var s = new CompactCells(2);
        string Cell(int i) => i.ToString(CultureInfo.InvariantCulture) + new string((char)('a' + i % 26), 300 + i % 200);
        const int rows = 10_000; // about 4 MB of cells: several 1 MiB chunks
        for (int i = 0; i < rows; i++) s.Add([Cell(i), i.ToString(CultureInfo.InvariantCulture)], tag: 7 * i);
        string huge = new('h', 60_000);
        string[] big = [huge, huge + "!"];
        int bigRow = s.Add(big);
        s.Add(["after", "end"]);
        for (int i = 0; i < rows; i += 37)
        {
            Assert.Equal(Cell(i), Encoding.UTF8.GetString(s.Cell(i, 0)));
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(s.Cell(i, 1)));
            Assert.Equal(7 * i, s.Tag(i));
        }
        Assert.Equal(7 * (rows - 1), s.Tag(rows - 1));
        Assert.Equal(Cell(rows - 1), Encoding.UTF8.GetString(s.Cell(rows - 1, 0)));
        Assert.Equal(huge, Encoding.UTF8.GetString(s.Cell(bigRow, 0)));
        Assert.Equal(huge + "!", Encoding.UTF8.GetString(s.Cell(bigRow, 1)));
        Assert.Equal("end", Encoding.UTF8.GetString(s.Cell(bigRow + 1, 1)));
        Assert.Equal(60_001, s.Width(1));
        Assert.Equal(rows + 2, s.Count);
        Assert.Equal(rows + 2, s.DistinctCount);
        Assert.Equal(0, s.Tag(bigRow));
    }

    [Fact]
    public void RepeatedRows_AreStoredOnce_AndCellsSplitDifferentlyAreNotEqual()
    {
        var s = new CompactCells(3);
        for (int i = 0; i < 40_000; i++)
        {
            s.Add(["mem", "REG", "/usr/lib/x86_64-linux-gnu/libc.so.6"]);
            s.Add(["0", "CHR", "/dev/null"]);
            s.Add([(i % 3).ToString(CultureInfo.InvariantCulture), "", ""]);
        }
        // The same bytes split another way are another row.
        int ab = s.Add(["ab", "c", ""]);
        int a_bc = s.Add(["a", "bc", ""]);
        Assert.Equal(120_002, s.Count);
        Assert.Equal(2 + 3 + 2, s.DistinctCount);
        Assert.Equal("/dev/null", Encoding.UTF8.GetString(s.Cell(30_001, 2)));
        Assert.Equal("libc.so.6", Encoding.UTF8.GetString(s.Cell(119_997, 2))[^9..]);
        Assert.Equal("2", Encoding.UTF8.GetString(s.Cell(3 * 39_998 + 2, 0)));
        Assert.Equal("ab", Encoding.UTF8.GetString(s.Cell(ab, 0)));
        Assert.Equal("bc", Encoding.UTF8.GetString(s.Cell(a_bc, 1)));
        Assert.Equal(0, s.Cell(a_bc, 2).Length);
        Assert.Equal(35, s.Width(2));
    }

    [Fact]
    public void BadRows_AreRefused()
    {
        var s = new CompactCells(2);
        Assert.Throws<ArgumentException>(() => s.Add(["one"]));
        Assert.Throws<ArgumentException>(() => s.Add(["a", new string('x', 70_000)]));
        Assert.Equal(0, s.Count);
        s.Add(["a", "b"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Cell(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Cell(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Tag(1));
    }
}
