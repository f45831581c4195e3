using System.Globalization;

namespace Procscope.Core.Syscalls;

/// <summary>A reusable character buffer: the decoder builds every argument's text here and
/// allocates only the final string (no StringBuilder chunks, no interpolation boxing).</summary>
internal sealed class TextBuf
{
    private char[] _c = new char[512];
    private int _n;

    public int Length => _n;

    public void Clear() => _n = 0;

    public void Truncate(int length) => _n = length;

    public override string ToString() => new(_c, 0, _n);

    public string ToStringFrom(int start) => new(_c, start, _n - start);

    private void Grow(int extra)
    {
        var n = new char[Math.Max(_c.Length * 2, _n + extra)];
        _c.AsSpan(0, _n).CopyTo(n);
        _c = n;
    }

    public void Add(char ch)
    {
        if (_n == _c.Length)
            Grow(1);
        _c[_n++] = ch;
    }

    public void Add(string s) => Add(s.AsSpan());

    public void Add(ReadOnlySpan<char> s)
    {
        if (_n + s.Length > _c.Length)
            Grow(s.Length);
        s.CopyTo(_c.AsSpan(_n));
        _n += s.Length;
    }

    public void Dec(long v)
    {
        if (_n + 20 > _c.Length)
            Grow(20);
        v.TryFormat(_c.AsSpan(_n), out int w, default, CultureInfo.InvariantCulture);
        _n += w;
    }

    public void UDec(ulong v)
    {
        if (_n + 20 > _c.Length)
            Grow(20);
        v.TryFormat(_c.AsSpan(_n), out int w, default, CultureInfo.InvariantCulture);
        _n += w;
    }

    /// <summary>"0x" and lowercase hex digits (strace's %#lx); 0 prints as "0".</summary>
    public void Hex(ulong v)
    {
        if (v == 0)
        {
            Add('0');
            return;
        }
        Add("0x");
        HexDigits(v);
    }

    public void HexDigits(ulong v)
    {
        if (_n + 16 > _c.Length)
            Grow(16);
        v.TryFormat(_c.AsSpan(_n), out int w, "x", CultureInfo.InvariantCulture);
        _n += w;
    }

    /// <summary>strace's %#o: a leading 0 unless the value is 0 ("0", "0644").</summary>
    public void Octal(ulong v, int minDigits = 1)
    {
        Span<char> d = stackalloc char[23];
        int i = d.Length;
        do
        {
            d[--i] = (char)('0' + (int)(v & 7));
            v >>= 3;
        } while (v != 0);
        while (d.Length - i < minDigits)
            d[--i] = '0';
        if (d[i] != '0')
            d[--i] = '0';
        Add(d[i..]);
    }
}
