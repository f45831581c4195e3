using Procscope.Core.Parsing;

namespace Procscope.Core.Tests.Parsing;

public sealed class TextSanitizerTests
{
    [Fact]
    public void ForTerminal_PlainAscii_IsUnchanged()
    {
        Assert.Equal("bash -c 'echo hi'", TextSanitizer.ForTerminal("bash -c 'echo hi'"u8));
    }

    [Fact]
    public void ForTerminal_Empty_IsEmpty()
    {
        Assert.Equal("", TextSanitizer.ForTerminal(""u8));
    }

    [Fact]
    public void ForTerminal_ControlBytes_BecomeQuestionMarks()
    {
        byte[] raw = [(byte)'a', 0x00, (byte)'\t', (byte)'\n', (byte)'\r', 0x07, 0x08, 0x1F, 0x7F, (byte)'b'];

        Assert.Equal("a????????b", TextSanitizer.ForTerminal(raw));
    }

    [Fact]
    public void ForTerminal_EscapeSequences_AreDefused()
    {
        // A comm or argv trying to recolour the terminal, clear it and set the window title.
        var raw = "\u001b[31mred\u001b[0m\u001b[2J\u001b]0;pwned\u0007"u8;

        Assert.Equal("?[31mred?[0m?[2J?]0;pwned?", TextSanitizer.ForTerminal(raw));
    }

    [Fact]
    public void ForTerminal_ValidUtf8InUtf8Mode_IsKept()
    {
        Assert.Equal("héllo 日本 😀 a\u00A0b", TextSanitizer.ForTerminal("héllo 日本 😀 a\u00A0b"u8));
    }

    [Fact]
    public void ForTerminal_LoneInvalidByte_BecomesQuestionMark()
    {
        byte[] raw = [(byte)'a', 0xFF, (byte)'b', 0xFE];

        Assert.Equal("a?b?", TextSanitizer.ForTerminal(raw));
    }

    [Fact]
    public void ForTerminal_TruncatedSequence_BecomesOneQuestionMarkPerByte()
    {
        // The first two bytes of "€" (E2 82 AC), at the end and in the middle.
        byte[] atEnd = [(byte)'x', 0xE2, 0x82];
        byte[] inMiddle = [0xE2, 0x82, (byte)'y'];

        Assert.Equal("x??", TextSanitizer.ForTerminal(atEnd));
        Assert.Equal("??y", TextSanitizer.ForTerminal(inMiddle));
    }

    [Fact]
    public void ForTerminal_InvalidLeadFollowedByValidSequence_KeepsTheValidOne()
    {
        byte[] raw = [0xE2, .. "€"u8];

        Assert.Equal("?€", TextSanitizer.ForTerminal(raw));
    }

    [Fact]
    public void ForTerminal_OverlongAndSurrogateEncodings_AreRejected()
    {
        byte[] overlongSlash = [0xC0, 0xAF];
        byte[] surrogate = [0xED, 0xA0, 0x80];

        Assert.Equal("??", TextSanitizer.ForTerminal(overlongSlash));
        Assert.Equal("???", TextSanitizer.ForTerminal(surrogate));
    }

    [Fact]
    public void ForTerminal_C1ControlsInUtf8Mode_BecomeQuestionMarks()
    {
        // U+009B is CSI, U+0085 NEL, U+0090 DCS: escape introducers on 8-bit terminals.
        Assert.Equal("a?b?c?d", TextSanitizer.ForTerminal("a\u009Bb\u0085c\u0090d"u8));
    }

    [Fact]
    public void ForTerminal_RawC1Byte_BecomesQuestionMark()
    {
        byte[] raw = [(byte)'a', 0x9B, (byte)'3', (byte)'1', (byte)'m'];

        Assert.Equal("a?31m", TextSanitizer.ForTerminal(raw));
        Assert.Equal("a?31m", TextSanitizer.ForTerminal(raw, utf8: false));
    }

    [Fact]
    public void ForTerminal_InvisibleFormatAndSeparatorCharacters_BecomeQuestionMarks()
    {
        // Right-to-left override (Trojan Source), zero-width space, soft hyphen, line and paragraph separators.
        Assert.Equal("a?b?c?d?e?f", TextSanitizer.ForTerminal("a\u202Eb\u200Bc\u00ADd\u2028e\u2029f"u8));
    }

    [Fact]
    public void ForTerminal_NonAsciiInNonUtf8Mode_BecomesOneQuestionMarkPerByte()
    {
        Assert.Equal("h??llo", TextSanitizer.ForTerminal("héllo"u8, utf8: false));
        Assert.Equal("????", TextSanitizer.ForTerminal("😀"u8, utf8: false));
        Assert.Equal("??", TextSanitizer.ForTerminal("\u009B"u8, utf8: false));
    }

    [Fact]
    public void ForTerminal_ControlBytesInNonUtf8Mode_BecomeQuestionMarks()
    {
        Assert.Equal("?[1m?", TextSanitizer.ForTerminal("\u001b[1m\n"u8, utf8: false));
    }

    [Fact]
    public void Lossy_InvalidUtf8_BecomesReplacementCharacterAndControlsAreKept()
    {
        byte[] raw = [(byte)'a', 0xFF, (byte)'\n', 0x1B, .. "é"u8];

        Assert.Equal("a\uFFFD\n\u001bé", TextSanitizer.Lossy(raw));
    }
}
