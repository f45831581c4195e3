namespace Procscope.Core.Parsing;

/// <summary>
/// Undoes the kernel's <c>mangle_path()</c> escaping (fs/seq_file.c), used for paths in
/// /proc/swaps, /proc/[pid]/mountinfo, /proc/mounts: each escaped byte is written as a backslash
/// and exactly three octal digits (<c>\040</c> for a space, <c>\011</c> tab, <c>\012</c> newline,
/// <c>\134</c> backslash).
/// </summary>
public static class OctalEscape
{
    /// <summary>
    /// Returns the raw bytes. A backslash not followed by three octal digits that fit a byte is
    /// kept as is: the kernel never writes one, so keeping it loses nothing and never throws on
    /// hostile input.
    /// </summary>
    public static byte[] Unescape(ReadOnlySpan<byte> escaped)
    {
        int first = escaped.IndexOf((byte)'\\');
        if (first < 0) return escaped.ToArray();
        var result = new byte[escaped.Length];
        escaped[..first].CopyTo(result);
        int n = first;
        for (int i = first; i < escaped.Length; i++)
        {
            byte b = escaped[i];
            if (b == (byte)'\\' && TryOctal(escaped.Slice(i + 1), out byte decoded))
            {
                result[n++] = decoded;
                i += 3;
            }
            else
            {
                result[n++] = b;
            }
        }
        return result.AsSpan(0, n).ToArray();
    }

    private static bool TryOctal(ReadOnlySpan<byte> s, out byte value)
    {
        value = 0;
        if (s.Length < 3) return false;
        int v = 0;
        for (int k = 0; k < 3; k++)
        {
            int d = s[k] - '0';
            if ((uint)d > 7) return false;
            v = v * 8 + d;
        }
        if (v > 0xff) return false;
        value = (byte)v;
        return true;
    }
}
