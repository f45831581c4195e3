using System.Buffers.Binary;

namespace Procscope.Core.Unwind;

/// <summary>
/// A bounded little-endian cursor over CFI bytes (.eh_frame, .eh_frame_hdr, DWARF expressions).
/// Every read checks the bounds and reports failure instead of throwing: the bytes come from files
/// the traced program maps, which may be truncated or hostile.
/// </summary>
internal ref struct CfiReader
{
    private readonly ReadOnlySpan<byte> _data;
    public int Position;
    public readonly int End;
    public bool Failed;

    public CfiReader(ReadOnlySpan<byte> data, int start, int end)
    {
        _data = data;
        Position = start;
        End = Math.Min(end, data.Length);
        Failed = start < 0 || start > End;
    }

    public readonly bool AtEnd => Position >= End || Failed;

    private bool Need(int n)
    {
        if (Failed || n < 0 || End - Position < n) { Failed = true; return false; }
        return true;
    }

    public byte U8() { if (!Need(1)) return 0; return _data[Position++]; }
    public ushort U16() { if (!Need(2)) return 0; var v = BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(Position)); Position += 2; return v; }
    public uint U32() { if (!Need(4)) return 0; var v = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(Position)); Position += 4; return v; }
    public ulong U64() { if (!Need(8)) return 0; var v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(Position)); Position += 8; return v; }

    public ulong Uleb()
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (!Need(1)) return 0;
            byte b = _data[Position++];
            if (shift < 64) result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
            if (shift > 630) { Failed = true; return 0; } // absurdly long encoding
        }
    }

    public long Sleb()
    {
        long result = 0;
        int shift = 0;
        byte b;
        do
        {
            if (!Need(1)) return 0;
            b = _data[Position++];
            if (shift < 64) result |= (long)(b & 0x7f) << shift;
            shift += 7;
            if (shift > 637) { Failed = true; return 0; }
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
        return result;
    }

    public void Skip(ulong n)
    {
        if (n > (ulong)(End - Position) || Failed) { Failed = true; return; }
        Position += (int)n;
    }

    /// <summary>The bytes of a NUL-terminated string (without the NUL).</summary>
    public ReadOnlySpan<byte> CString()
    {
        if (Failed) return default;
        int n = _data[Position..End].IndexOf((byte)0);
        if (n < 0) { Failed = true; return default; }
        var s = _data.Slice(Position, n);
        Position += n + 1;
        return s;
    }

    /// <summary>
    /// A DW_EH_PE_* encoded pointer (LSB Core, "DWARF Extensions": .eh_frame pointer encodings).
    /// <paramref name="fieldVaddr"/> is the link-time address of the field (for pcrel);
    /// <paramref name="dataBase"/> the base for datarel (.eh_frame_hdr's own address). Indirect
    /// pointers are not followed: the value read is returned with <paramref name="indirect"/> set.
    /// </summary>
    public bool Encoded(byte encoding, ulong fieldVaddr, ulong dataBase, out ulong value, out bool indirect)
    {
        value = 0;
        indirect = false;
        if (encoding == 0xff) return false; // DW_EH_PE_omit
        ulong raw = (encoding & 0x0f) switch
        {
            0x00 => U64(),
            0x01 => Uleb(),
            0x02 => U16(),
            0x03 => U32(),
            0x04 => U64(),
            0x09 => (ulong)Sleb(),
            0x0a => (ulong)(long)(short)U16(),
            0x0b => (ulong)(long)(int)U32(),
            0x0c => U64(),
            _ => Fail(),
        };
        if (Failed) return false;
        switch (encoding & 0x70)
        {
            case 0x00: break;
            case 0x10: raw += fieldVaddr; break;
            case 0x30: raw += dataBase; break;
            default: Failed = true; return false; // textrel, funcrel, aligned: not used on x86-64 Linux
        }
        indirect = (encoding & 0x80) != 0;
        value = raw;
        return true;
    }

    private ulong Fail() { Failed = true; return 0; }
}
