namespace Procscope.Core.Syscalls;

/// <summary>Quotes bytes from tracee memory exactly as strace does (print_quoted_string):
/// printable ASCII as is, \" \\ \t \n \v \f \r, everything else octal (three digits only when an
/// octal digit follows); -x hex-quotes the whole string when any byte is neither printable nor
/// one of \t\n\v\f\r; -xx hex-quotes every string. Invalid UTF-8 is just bytes here, so it is
/// escaped byte by byte, and no control byte ever reaches the terminal.</summary>
public static class StraceQuote
{
    /// <summary>Appends the quoted form of <paramref name="s"/> (with the surrounding quotes).</summary>
    internal static void Append(TextBuf t, ReadOnlySpan<byte> s, HexStrings hex, bool quotes = true, bool escapeAngles = false)
    {
        bool useHex = hex == HexStrings.All;
        if (hex == HexStrings.NonAscii)
        {
            foreach (byte b in s)
                if (b > 0x7e || (b < 0x20 && (uint)(b - 9) >= 5))
                {
                    useHex = true;
                    break;
                }
        }
        if (quotes)
            t.Add('"');
        for (int i = 0; i < s.Length; i++)
        {
            byte b = s[i];
            if (useHex)
            {
                t.Add('\\');
                t.Add('x');
                t.Add(HexDigit(b >> 4));
                t.Add(HexDigit(b & 15));
                continue;
            }
            switch (b)
            {
                case (byte)'"': t.Add("\\\""); break;
                case (byte)'\\': t.Add("\\\\"); break;
                case (byte)'\f': t.Add("\\f"); break;
                case (byte)'\n': t.Add("\\n"); break;
                case (byte)'\r': t.Add("\\r"); break;
                case (byte)'\t': t.Add("\\t"); break;
                case (byte)'\v': t.Add("\\v"); break;
                default:
                    if (b >= 0x20 && b < 0x7f && (!escapeAngles || (b != '<' && b != '>')))
                        t.Add((char)b);
                    else
                        Octal(t, b, i + 1 < s.Length && s[i + 1] >= '0' && s[i + 1] <= '7');
                    break;
            }
        }
        if (quotes)
            t.Add('"');
    }

    /// <summary>The text of a path for -y decorations (`3&lt;/etc/passwd&gt;`): strace's escaping without quotes,
    /// with '&lt;' and '&gt;' in paths escaped too so a file name cannot close the decoration early (socket
    /// endpoints such as "TCP:[1.2.3.4:5-&gt;6.7.8.9:10]" keep their arrow, as strace prints them).</summary>
    internal static void AppendDecoration(TextBuf t, string path, HexStrings hex)
    {
        Span<byte> small = stackalloc byte[256];
        int n = System.Text.Encoding.UTF8.GetByteCount(path);
        Span<byte> b = n <= small.Length ? small[..n] : new byte[n];
        System.Text.Encoding.UTF8.GetBytes(path, b);
        if (path.Length == 0 || path[0] != '/')
        {
            // Not a path: a kernel name ("pipe:[12]", "anon_inode:[eventfd]") or a -yy socket
            // description whose parts the describer already quoted ("UNIX-STREAM:[5,\"/run/x\"]").
            // Printed as is, as strace does; anything that is not printable ASCII still escaped.
            foreach (byte c in b)
            {
                if (c >= 0x20 && c < 0x7f)
                    t.Add((char)c);
                else
                    Octal(t, c, true);
            }
            return;
        }
        Append(t, b, hex, quotes: false, escapeAngles: true);
    }

    /// <summary>The quoted form as a string (for tests and callers outside the decoder).</summary>
    public static string Quote(ReadOnlySpan<byte> s, HexStrings hex = HexStrings.None)
    {
        var t = new TextBuf();
        Append(t, s, hex);
        return t.ToString();
    }

    private static void Octal(TextBuf t, byte b, bool full)
    {
        t.Add('\\');
        if (full || b >= 64)
            t.Add((char)('0' + (b >> 6)));
        if (full || b >= 8)
            t.Add((char)('0' + ((b >> 3) & 7)));
        t.Add((char)('0' + (b & 7)));
    }

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);
}
