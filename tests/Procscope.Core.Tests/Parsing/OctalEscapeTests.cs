using Procscope.Core.Parsing;

namespace Procscope.Core.Tests.Parsing;

public sealed class OctalEscapeTests
{
    [Fact]
    public void Unescape_NoBackslash_ReturnsCopy()
    {
        Assert.Equal("/dev/sda2"u8.ToArray(), OctalEscape.Unescape("/dev/sda2"u8));
    }

    [Fact]
    public void Unescape_KernelEscapes_DecodesEachByte()
    {
        Assert.Equal("a b\tc\nd\\e"u8.ToArray(), OctalEscape.Unescape(@"a\040b\011c\012d\134e"u8));
    }

    [Fact]
    public void Unescape_EscapeAtEnd_Decodes()
    {
        Assert.Equal("x "u8.ToArray(), OctalEscape.Unescape(@"x\040"u8));
    }

    [Fact]
    public void Unescape_HighByte_DecodesRawByte()
    {
        Assert.Equal(new byte[] { 0xff, 0x00 }, OctalEscape.Unescape(@"\377\000"u8));
    }

    [Theory]
    [InlineData(@"a\", @"a\")]
    [InlineData(@"a\04", @"a\04")]
    [InlineData(@"a\049", @"a\049")]
    [InlineData(@"a\400", @"a\400")]
    [InlineData(@"\\040", @"\ ")]
    [InlineData(@"\x41", @"\x41")]
    public void Unescape_NotAKernelEscape_KeepsBytes(string input, string expected)
    {
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(expected), OctalEscape.Unescape(System.Text.Encoding.ASCII.GetBytes(input)));
    }
}
