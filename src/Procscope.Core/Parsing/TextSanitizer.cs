using System.Text;

namespace Procscope.Core.Parsing;

/// <summary>
/// Bytes read about another process are hostile (control bytes, escape sequences, invalid
/// UTF-8). They are kept raw inside the library and made safe exactly once, at the terminal.
/// </summary>
public static class TextSanitizer
{
    /// <summary>
    /// Decodes for display: control bytes (C0, DEL, and C1 code points) become '?'. With
    /// <paramref name="utf8"/> valid multi-byte sequences are kept and each byte of an invalid
    /// sequence becomes '?'; without it (C/POSIX locale) every non-ASCII byte becomes '?',
    /// as procps does in that locale.
    /// </summary>
    public static string ForTerminal(ReadOnlySpan<byte> raw, bool utf8 = true)
    {
        if (raw.IsEmpty) return string.Empty;
        var sb = new StringBuilder(raw.Length);
        int i = 0;
        while (i < raw.Length)
        {
            byte b = raw[i];
            if (b < 0x80)
            {
                sb.Append(b < 0x20 || b == 0x7f ? '?' : (char)b);
                i++;
                continue;
            }
            if (!utf8)
            {
                sb.Append('?');
                i++;
                continue;
            }
            var status = System.Text.Rune.DecodeFromUtf8(raw[i..], out var rune, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                // One '?' per byte, as documented and as procps does in a UTF-8 locale: a truncated
                // sequence "\xE2\x82" is two bytes of garbage, and column widths stay predictable.
                // Only the first byte is consumed so a valid sequence right after it is kept.
                sb.Append('?');
                i++;
                continue;
            }
            // C1 controls (U+0080..U+009F) act as escape introducers on some terminals.
            if (rune.Value < 0xA0 || System.Text.Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
                sb.Append('?');
            else
                sb.Append(rune.ToString());
            i += consumed;
        }
        return sb.ToString();
    }

    /// <summary>Decodes for data (JSON, APIs): invalid UTF-8 becomes U+FFFD; control characters are kept (JSON escapes them).</summary>
    public static string Lossy(ReadOnlySpan<byte> raw) => Encoding.UTF8.GetString(raw);
}
