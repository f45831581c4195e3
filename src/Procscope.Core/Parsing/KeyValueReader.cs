namespace Procscope.Core.Parsing;

/// <summary>
/// Walks the "Key:&lt;blanks&gt;value" lines that many kernel files use (proc_pid_status(5),
/// proc_pid_io(5), smaps_rollup, meminfo). Keys are matched by the caller, so keys that come and go
/// between kernels are simply skipped. Values are parsed in place; every failure names the file and
/// the byte offset of the value inside the whole file.
/// </summary>
public ref struct KeyValueReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private int _pos;

    /// <param name="data">The whole file.</param>
    /// <param name="file">The file name used in errors, e.g. "/proc/[pid]/status".</param>
    /// <param name="start">Where the key/value lines begin (after a header line, for example).</param>
    public KeyValueReader(ReadOnlySpan<byte> data, string file, int start = 0)
    {
        _data = data;
        _file = file;
        _pos = start;
        Key = default;
        Value = default;
        ValueOffset = 0;
    }

    /// <summary>The key of the current line (the bytes before the first ':').</summary>
    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The raw bytes after the first ':' up to the end of the line, untrimmed.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Offset of <see cref="Value"/> inside the whole file.</summary>
    public int ValueOffset { get; private set; }

    /// <summary>Moves to the next non-empty line. Throws if a line has no ':'.</summary>
    public bool MoveNext()
    {
        while (_pos < _data.Length)
        {
            int start = _pos;
            int nl = _data[start..].IndexOf((byte)'\n');
            int end = nl < 0 ? _data.Length : start + nl;
            _pos = nl < 0 ? _data.Length : end + 1;
            var line = _data[start..end];
            if (line.IsEmpty) continue;
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) throw ProcFormatException.At(_file, _data, start, "expected \"key: value\"");
            Key = line[..colon];
            Value = line[(colon + 1)..];
            ValueOffset = start + colon + 1;
            return true;
        }
        return false;
    }

    private readonly ReadOnlySpan<byte> Trimmed(out int offset)
    {
        int a = 0, b = Value.Length;
        while (a < b && IsBlank(Value[a])) a++;
        while (b > a && IsBlank(Value[b - 1])) b--;
        offset = ValueOffset + a;
        return Value[a..b];
    }

    private static bool IsBlank(byte b) => b == (byte)' ' || b == (byte)'\t';

    /// <summary>The value without surrounding blanks.</summary>
    public readonly ReadOnlySpan<byte> TrimmedValue => Trimmed(out _);

    public readonly ulong ParseUInt64()
    {
        var v = Trimmed(out int at);
        if (!Bytes.TryUInt64(v, out ulong r)) throw FailAt(at, "expected an unsigned integer");
        return r;
    }

    public readonly long ParseInt64()
    {
        var v = Trimmed(out int at);
        if (!Bytes.TryInt64(v, out long r)) throw FailAt(at, "expected an integer");
        return r;
    }

    public readonly int ParseInt32()
    {
        var v = Trimmed(out int at);
        if (!Bytes.TryInt32(v, out int r)) throw FailAt(at, "expected an integer");
        return r;
    }

    /// <summary>Hexadecimal without prefix, as in the signal and capability masks.</summary>
    public readonly ulong ParseHex()
    {
        var v = Trimmed(out int at);
        if (!Bytes.TryHexUInt64(v, out ulong r)) throw FailAt(at, "expected a hexadecimal number");
        return r;
    }

    /// <summary>Octal (Umask is printed as "%#04o", e.g. "0022").</summary>
    public readonly uint ParseOctal()
    {
        var v = Trimmed(out int at);
        if (v.IsEmpty || v.Length > 11) throw FailAt(at, "expected an octal number");
        ulong r = 0;
        foreach (byte c in v)
        {
            if (c < (byte)'0' || c > (byte)'7') throw FailAt(at, "expected an octal number");
            r = (r << 3) | (uint)(c - '0');
        }
        if (r > uint.MaxValue) throw FailAt(at, "octal number too large");
        return (uint)r;
    }

    /// <summary>A "0" or "1" flag.</summary>
    public readonly bool ParseFlag()
    {
        var v = Trimmed(out int at);
        if (v.Length != 1 || (v[0] != (byte)'0' && v[0] != (byte)'1')) throw FailAt(at, "expected 0 or 1");
        return v[0] == (byte)'1';
    }

    /// <summary>A "&lt;n&gt; kB" value converted to bytes (the kernel's kB is 1024 bytes).</summary>
    public readonly long ParseKiBAsBytes()
    {
        var v = Trimmed(out int at);
        int sp = v.IndexOfAny((byte)' ', (byte)'\t');
        if (sp < 0) throw FailAt(at, "expected \"<n> kB\"");
        var unit = v[sp..].TrimStart((byte)' ').TrimStart((byte)'\t');
        if (!unit.SequenceEqual("kB"u8)) throw FailAt(at + sp, "expected unit kB");
        if (!Bytes.TryInt64(v[..sp], out long kib) || kib < 0) throw FailAt(at, "expected a size in kB");
        if (kib > long.MaxValue / 1024) throw FailAt(at, "size too large");
        return kib * 1024;
    }

    /// <summary>Blank-separated unsigned 32-bit values (e.g. Uid, Groups); empty gives an empty array.</summary>
    public readonly uint[] ParseUInt32List()
    {
        var v = Value;
        int n = CountFields(v);
        if (n == 0) return [];
        var result = new uint[n];
        int i = 0, k = 0;
        while (NextField(v, ref i, out int fs, out int fe))
        {
            if (!TryUInt32(v[fs..fe], out uint x)) throw FailAt(ValueOffset + fs, "expected an unsigned integer");
            result[k++] = x;
        }
        return result;
    }

    /// <summary>Blank-separated signed 32-bit values (e.g. NSpid); empty gives an empty array.</summary>
    public readonly int[] ParseInt32List()
    {
        var v = Value;
        int n = CountFields(v);
        if (n == 0) return [];
        var result = new int[n];
        int i = 0, k = 0;
        while (NextField(v, ref i, out int fs, out int fe))
        {
            if (!Bytes.TryInt32(v[fs..fe], out int x)) throw FailAt(ValueOffset + fs, "expected an integer");
            result[k++] = x;
        }
        return result;
    }

    private static bool TryUInt32(ReadOnlySpan<byte> s, out uint v)
    {
        if (Bytes.TryUInt64(s, out ulong u) && u <= uint.MaxValue)
        {
            v = (uint)u;
            return true;
        }
        v = 0;
        return false;
    }

    private static int CountFields(ReadOnlySpan<byte> v)
    {
        int i = 0, n = 0;
        while (NextField(v, ref i, out _, out _)) n++;
        return n;
    }

    private static bool NextField(ReadOnlySpan<byte> v, ref int i, out int start, out int end)
    {
        while (i < v.Length && IsBlank(v[i])) i++;
        start = i;
        while (i < v.Length && !IsBlank(v[i])) i++;
        end = i;
        return end > start;
    }

    /// <summary>An error at the start of the current value.</summary>
    public readonly ProcFormatException Fail(string message) => FailAt(ValueOffset, message);

    private readonly ProcFormatException FailAt(int offset, string message) => ProcFormatException.At(_file, _data, offset, message);
}
