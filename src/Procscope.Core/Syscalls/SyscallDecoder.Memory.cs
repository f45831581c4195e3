using System.Buffers.Binary;

namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    private const int PathMax = 4096;

    /// <summary>The most elements any array prints with -v (NGROUPS_MAX; far above real nfds or iovcnt),
    /// so lying lengths in a hostile tracee cannot make the tracer loop for long.</summary>
    private const int MaxArray = 1 << 16;

    /// <summary>Reads exactly <paramref name="dst"/>.Length bytes, or returns false.</summary>
    private bool Read(ulong addr, Span<byte> dst)
    {
        if (addr == 0)
            return false;
        if (dst.IsEmpty)
            return true;
        return _mem.Read(addr, dst) == dst.Length;
    }

    private Span<byte> Scratch(int n)
    {
        if (_buf.Length < n)
            _buf = new byte[Math.Max(n, _buf.Length * 2)];
        return _buf.AsSpan(0, n);
    }

    private bool ReadU32(ulong addr, out uint v)
    {
        Span<byte> b = stackalloc byte[4];
        bool ok = Read(addr, b);
        v = ok ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return ok;
    }

    private bool ReadU64(ulong addr, out ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        bool ok = Read(addr, b);
        v = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return ok;
    }

    private bool ReadWord(ulong addr, out ulong v)
    {
        if (I386)
        {
            bool ok = ReadU32(addr, out uint u);
            v = u;
            return ok;
        }
        return ReadU64(addr, out v);
    }

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes (chunk by
    /// chunk, so a short string near the end of a mapping still reads). Returns the byte count,
    /// -1 when unreadable; <paramref name="truncated"/> when no NUL came within max.</summary>
    private int ReadCString(ulong addr, int max, out bool truncated)
    {
        truncated = false;
        if (addr == 0)
            return -1;
        var buf = Scratch(max + 1);
        int have = 0;
        int chunk = 256 - (int)(addr & 255);
        while (have < max + 1)
        {
            int want = Math.Min(chunk, max + 1 - have);
            int got = _mem.Read(addr + (ulong)have, buf.Slice(have, want));
            if (got <= 0)
                return have == 0 ? -1 : Fail(out truncated);
            int nul = buf.Slice(have, got).IndexOf((byte)0);
            if (nul >= 0)
                return have + nul;
            have += got;
            if (got < want)
                return Fail(out truncated);
            chunk = 4096;
        }
        truncated = true;
        return max;

        static int Fail(out bool t)
        {
            // Unreadable before a NUL: strace shows the address instead.
            t = false;
            return -1;
        }
    }

    /// <summary>A NUL-terminated string argument: quoted, cut at -s with "..." (or at PATH_MAX for
    /// paths, which strace never cuts at -s); the address when unreadable.</summary>
    private void AddCString(string name, ulong addr, bool path)
    {
        byte[]? bytes = CString(addr, path ? PathMax : _o.StringLimit);
        Add(name, bytes is null ? ArgKind.Pointer : ArgKind.String, (long)addr, bytes);
    }

    private byte[]? CString(ulong addr, int limit)
    {
        if (addr == 0)
        {
            _t.Add("NULL");
            return null;
        }
        int n = ReadCString(addr, limit, out bool truncated);
        if (n < 0)
        {
            _t.Hex(addr);
            return null;
        }
        var s = _buf.AsSpan(0, n);
        StraceQuote.Append(_t, s, _o.Hex);
        if (truncated)
            _t.Add("...");
        return s.ToArray();
    }

    /// <summary>A buffer of known length (write's data, read's data at exit): at most -s bytes
    /// quoted, "..." when longer; the address when unreadable.</summary>
    private void AddBuffer(string name, ulong addr, long len)
    {
        byte[]? bytes = Buffer(addr, len);
        Add(name, bytes is null ? ArgKind.Pointer : ArgKind.String, (long)addr, bytes);
    }

    private byte[]? Buffer(ulong addr, long len)
    {
        if (addr == 0)
        {
            _t.Add("NULL");
            return null;
        }
        if (len < 0)
            len = 0;
        int n = (int)Math.Min(len, _o.StringLimit);
        var s = Scratch(n);
        int got = n == 0 ? 0 : _mem.Read(addr, s);
        if (got < n)
        {
            _t.Hex(addr);
            return null;
        }
        StraceQuote.Append(_t, s, _o.Hex);
        if (len > n)
            _t.Add("...");
        return s.ToArray();
    }
}
