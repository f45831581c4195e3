using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/slabinfo, see slabinfo(5): a "slabinfo - version: 2.x" line, a "#" column comment, then
/// one line per cache: <c>name active_objs num_objs objsize objperslab pagesperslab : tunables
/// limit batchcount sharedfactor : slabdata active_slabs num_slabs sharedavail</c>, optionally
/// followed by statistics sections (SLAB allocator with statistics), which are ignored. Readable
/// by root only (mode 0400). Only major version 2 is accepted, as procps does.
/// </summary>
public sealed record SlabInfo(int MajorVersion, int MinorVersion, IReadOnlyList<SlabCache> Caches) : IProcFile<SlabInfo>
{
    private const string FileName = "/proc/slabinfo";

    public static SlabInfo Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, FileName);
        var first = r.NextLine();
        const string prefix = "slabinfo - version: ";
        if (!first.StartsWith("slabinfo - version: "u8)) throw ProcFormatException.At(FileName, content, 0, "expected 'slabinfo - version: 2.x'");
        // "2.1", or "2.1 (statistics)" from SLAB with CONFIG_DEBUG_SLAB.
        var version = first[prefix.Length..];
        int dot = version.IndexOf((byte)'.');
        var minorText = dot < 0 ? default : version[(dot + 1)..];
        int digits = 0;
        while (digits < minorText.Length && char.IsAsciiDigit((char)minorText[digits])) digits++;
        if (dot < 0 || !Bytes.TryInt32(version[..dot], out int major) || !Bytes.TryInt32(minorText[..digits], out int minor))
            throw ProcFormatException.At(FileName, content, prefix.Length, "bad version");
        if (major != 2) throw ProcFormatException.At(FileName, content, prefix.Length, $"unsupported slabinfo version {major}.{minor}");

        var caches = new List<SlabCache>(256);
        while (!r.AtEnd)
        {
            if (!r.HasField() || r.Remaining[0] == (byte)'#')
            {
                r.SkipLine();
                continue;
            }
            var name = TextSanitizer.Lossy(r.NextField());
            uint active = U32(ref r), num = U32(ref r), size = U32(ref r), perSlab = U32(ref r), pages = U32(ref r);
            Expect(ref r, ":"u8);
            Expect(ref r, "tunables"u8);
            uint limit = U32(ref r), batch = U32(ref r), shared = U32(ref r);
            Expect(ref r, ":"u8);
            Expect(ref r, "slabdata"u8);
            uint activeSlabs = U32(ref r), numSlabs = U32(ref r), sharedAvail = U32(ref r);
            r.SkipLine();
            caches.Add(new SlabCache(name, active, num, size, perSlab, pages, limit, batch, shared, activeSlabs, numSlabs, sharedAvail));
        }
        return new SlabInfo(major, minor, caches);
    }

    private static uint U32(ref SpanReader r)
    {
        int at = r.Position;
        ulong v = r.NextUInt64();
        if (v > uint.MaxValue) throw r.FailAt(at, "value too large");
        return (uint)v;
    }

    private static void Expect(ref SpanReader r, ReadOnlySpan<byte> word)
    {
        int at = r.Position;
        if (!r.NextField().SequenceEqual(word)) throw r.FailAt(at, $"expected '{System.Text.Encoding.ASCII.GetString(word)}'");
    }
}

/// <summary>One cache line of /proc/slabinfo (slabinfo(5) names the columns).</summary>
public sealed record SlabCache(
    string Name,
    uint ActiveObjs,
    uint NumObjs,
    uint ObjSizeBytes,
    uint ObjPerSlab,
    uint PagesPerSlab,
    uint Limit,
    uint BatchCount,
    uint SharedFactor,
    uint ActiveSlabs,
    uint NumSlabs,
    uint SharedAvail);
