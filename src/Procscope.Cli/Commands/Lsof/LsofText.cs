using System.Text;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>
/// lsof's safe display of names (its safestrprt): control characters as C escapes (\n, \t, \r,
/// \b, \f) or ^X, DEL as ^?, bytes that are not printable UTF-8 as \xNN, and in command names a
/// space as \x20. The raw bytes still reach -F and --json exactly.
/// </summary>
public static class LsofText
{
    public static string Escape(ReadOnlySpan<byte> raw, bool escapeSpace = false, bool utf8 = true)
    {
        var sb = new StringBuilder(raw.Length + 8);
        int i = 0;
        while (i < raw.Length)
        {
            byte b = raw[i];
            if (b < 0x80)
            {
                switch (b)
                {
                    case (byte)'\n': sb.Append("\\n"); break;
                    case (byte)'\r': sb.Append("\\r"); break;
                    case (byte)'\t': sb.Append("\\t"); break;
                    case (byte)'\b': sb.Append("\\b"); break;
                    case (byte)'\f': sb.Append("\\f"); break;
                    case 0x7f: sb.Append("^?"); break;
                    case (byte)' ' when escapeSpace: sb.Append("\\x20"); break;
                    default:
                        if (b < 0x20) sb.Append('^').Append((char)(b + 0x40));
                        else sb.Append((char)b);
                        break;
                }
                i++;
                continue;
            }
            if (utf8 && Rune.DecodeFromUtf8(raw[i..], out var rune, out int used) == System.Buffers.OperationStatus.Done
                && rune.Value >= 0xA0 && Rune.GetUnicodeCategory(rune) is not (System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                    or System.Globalization.UnicodeCategory.Control))
            {
                sb.Append(rune.ToString());
                i += used;
                continue;
            }
            sb.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            i++;
        }
        return sb.ToString();
    }

    /// <summary>A command name for the COMMAND/TASKCMD columns: escaped, then cut to <paramref name="width"/> characters.</summary>
    public static string Command(ReadOnlySpan<byte> raw, int width, bool utf8)
    {
        var s = Escape(raw, escapeSpace: true, utf8);
        return s.Length > width ? s[..width] : s;
    }
}
