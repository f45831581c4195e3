using System.Buffers.Binary;
using System.Text;

namespace Procscope.Core.Tests.Syscalls;

/// <summary>Builds little-endian structure images for the fake tracee memory.</summary>
internal sealed class Bytes
{
    private readonly List<byte> _b = new();

    public Bytes U16(ushort v) { Span<byte> s = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(s, v); _b.AddRange(s.ToArray()); return this; }
    public Bytes U32(uint v) { Span<byte> s = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(s, v); _b.AddRange(s.ToArray()); return this; }
    public Bytes I32(int v) => U32(unchecked((uint)v));
    public Bytes U64(ulong v) { Span<byte> s = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(s, v); _b.AddRange(s.ToArray()); return this; }
    public Bytes I64(long v) => U64(unchecked((ulong)v));
    public Bytes Raw(params byte[] v) { _b.AddRange(v); return this; }
    public Bytes Str(string s) { _b.AddRange(Encoding.UTF8.GetBytes(s)); return this; }
    public Bytes Zero(int n) { _b.AddRange(new byte[n]); return this; }
    public Bytes PadTo(int n) { while (_b.Count < n) _b.Add(0); return this; }
    public byte[] Build() => _b.ToArray();

    public static byte[] CStr(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
