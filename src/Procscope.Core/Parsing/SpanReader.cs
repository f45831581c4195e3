using System.Buffers.Text;

namespace Procscope.Core.Parsing;

/// <summary>
/// A forward-only tokenizer over the bytes of a kernel file: space/tab separated fields, lines,
/// and integers parsed with <see cref="Utf8Parser"/>. Every failure names the file and offset.
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private int _pos;

    /// <param name="data">The whole file, so that errors report offsets and lines of the file itself.</param>
    /// <param name="file">The file name used in errors.</param>
    /// <param name="start">Where to start reading.</param>
    public SpanReader(ReadOnlySpan<byte> data, string file, int start = 0)
    {
        _data = data;
        _file = file;
        _pos = start;
    }

    public readonly int Position => _pos;
    public readonly bool AtEnd => _pos >= _data.Length;
    public readonly ReadOnlySpan<byte> Remaining => _data[_pos..];

    private static bool IsBlank(byte b) => b == (byte)' ' || b == (byte)'\t';

    /// <summary>Skips spaces and tabs (not newlines).</summary>
    public void SkipBlanks()
    {
        while (_pos < _data.Length && IsBlank(_data[_pos])) _pos++;
    }

    /// <summary>True if another field exists on the current line.</summary>
    public bool HasField()
    {
        SkipBlanks();
        return _pos < _data.Length && _data[_pos] != (byte)'\n';
    }

    /// <summary>The next blank-separated field on the current line; throws if none.</summary>
    public ReadOnlySpan<byte> NextField()
    {
        if (!TryNextField(out var f)) throw Fail("missing field");
        return f;
    }

    public bool TryNextField(out ReadOnlySpan<byte> field)
    {
        SkipBlanks();
        int start = _pos;
        while (_pos < _data.Length && !IsBlank(_data[_pos]) && _data[_pos] != (byte)'\n') _pos++;
        field = _data[start.._pos];
        return field.Length > 0;
    }

    /// <summary>Returns the rest of the current line (without '\n') and moves past it.</summary>
    public ReadOnlySpan<byte> NextLine()
    {
        int start = _pos;
        int nl = _data[_pos..].IndexOf((byte)'\n');
        if (nl < 0)
        {
            _pos = _data.Length;
            return _data[start..];
        }
        _pos += nl + 1;
        return _data[start..(start + nl)];
    }

    /// <summary>Moves to the start of the next line.</summary>
    public void SkipLine() => NextLine();

    public ulong NextUInt64()
    {
        SkipBlanks();
        int at = _pos; // the field itself, not the blanks before it
        var f = NextField();
        if (!Utf8Parser.TryParse(f, out ulong v, out int n) || n != f.Length) throw FailAt(at, "expected an unsigned integer");
        return v;
    }

    public long NextInt64()
    {
        SkipBlanks();
        int at = _pos; // the field itself, not the blanks before it
        var f = NextField();
        if (!Utf8Parser.TryParse(f, out long v, out int n) || n != f.Length) throw FailAt(at, "expected an integer");
        return v;
    }

    public int NextInt32()
    {
        SkipBlanks();
        int at = _pos; // the field itself, not the blanks before it
        var f = NextField();
        if (!Utf8Parser.TryParse(f, out int v, out int n) || n != f.Length) throw FailAt(at, "expected an integer");
        return v;
    }

    public double NextDouble()
    {
        SkipBlanks();
        int at = _pos; // the field itself, not the blanks before it
        var f = NextField();
        if (!Utf8Parser.TryParse(f, out double v, out int n) || n != f.Length) throw FailAt(at, "expected a decimal number");
        return v;
    }

    /// <summary>Like <see cref="NextUInt64"/> but returns null when the line has no more fields (fields added by newer kernels).</summary>
    public ulong? NextUInt64OrNull() => HasField() ? NextUInt64() : null;
    public long? NextInt64OrNull() => HasField() ? NextInt64() : null;

    public readonly ProcFormatException Fail(string message) => ProcFormatException.At(_file, _data, _pos, message);
    public readonly ProcFormatException FailAt(int offset, string message) => ProcFormatException.At(_file, _data, offset, message);
}

/// <summary>Small stateless helpers for parsing numbers out of byte spans.</summary>
public static class Bytes
{
    public static bool TryUInt64(ReadOnlySpan<byte> s, out ulong v) => Utf8Parser.TryParse(s, out v, out int n) && n == s.Length;
    public static bool TryInt64(ReadOnlySpan<byte> s, out long v) => Utf8Parser.TryParse(s, out v, out int n) && n == s.Length;
    public static bool TryInt32(ReadOnlySpan<byte> s, out int v) => Utf8Parser.TryParse(s, out v, out int n) && n == s.Length;

    /// <summary>Parses lowercase or uppercase hexadecimal without prefix.</summary>
    public static bool TryHexUInt64(ReadOnlySpan<byte> s, out ulong v) => Utf8Parser.TryParse(s, out v, out int n, 'x') && n == s.Length;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n')) a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n')) b--;
        return s[a..b];
    }
}
