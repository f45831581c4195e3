using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/swaps, see proc_swaps(5): a header line, then one line per active swap area,
/// <c>/dev/zram0   partition	4194300	0	100</c>. Sizes are printed in KiB.
/// </summary>
public sealed record Swaps(IReadOnlyList<SwapArea> Areas) : IProcFile<Swaps>
{
    private const string FileName = "/proc/swaps";

    public static Swaps Parse(ReadOnlySpan<byte> content)
    {
        var areas = new List<SwapArea>();
        var r = new SpanReader(content, FileName);
        // The kernel always prints the header; skip it only if it is there.
        if (r.Remaining.StartsWith("Filename"u8)) r.SkipLine();
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            // The path is escaped by the kernel (space, tab, newline and backslash as \ooo,
            // mangle_path() in fs/seq_file.c), so it is always one blank-free field.
            var filename = OctalEscape.Unescape(r.NextField());
            var type = TextSanitizer.Lossy(r.NextField());
            long size = NextKb(ref r), used = NextKb(ref r);
            int priority = r.NextInt32();
            r.SkipLine();
            areas.Add(new SwapArea(filename, type, size, used, priority));
        }
        return new Swaps(areas);
    }

    private static long NextKb(ref SpanReader r)
    {
        int at = r.Position;
        ulong kb = r.NextUInt64();
        if (kb > long.MaxValue / 1024) throw r.FailAt(at, "value too large");
        return (long)kb * 1024;
    }
}

/// <summary>One active swap area.</summary>
/// <param name="FilenameBytes">Path of the partition or file, unescaped raw bytes (a path is
/// hostile: it may hold any byte but NUL; a deleted swap file ends in " (deleted)").</param>
/// <param name="Type">"partition" or "file".</param>
/// <param name="SizeBytes">Size of the area.</param>
/// <param name="UsedBytes">Space in use.</param>
/// <param name="Priority">Swap priority; the kernel assigns negative ones (-2, -3, ...) when none was given.</param>
public sealed record SwapArea(byte[] FilenameBytes, string Type, long SizeBytes, long UsedBytes, int Priority);
