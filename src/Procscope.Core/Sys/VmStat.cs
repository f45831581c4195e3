using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/vmstat (mm/vmstat.c; Documentation/admin-guide/mm/ has no table of it, the names are
/// <c>vmstat_text[]</c>): one "name value" line per counter, about 200 on Linux 6.x, varying with
/// version and configuration. Every line is kept: <see cref="TryGet(string, out ulong)"/> looks one
/// up and <see cref="All"/> lists them in file order. The counters vmstat(8) shows are also typed;
/// they are null when absent (event counters such as pgpgin and pgfault disappear when the kernel
/// is built without CONFIG_VM_EVENT_COUNTERS).
/// </summary>
public sealed record VmStat : IProcFile<VmStat>
{
    private const string FileName = "/proc/vmstat";

    // The file's bytes and one entry per line. Names become strings only if All is asked for: a
    // vmstat loop reads the typed counters and never pays for ~200 strings per sample.
    private readonly byte[] _text;
    private readonly Entry[] _entries;

    private readonly record struct Entry(int NameStart, int NameLength, ulong Value);

    private VmStat(byte[] text, Entry[] entries)
    {
        _text = text;
        _entries = entries;
    }

    /// <summary>pgpgin: KiB read from block devices (the kernel halves its 512-byte sector count, mm/vmstat.c). vmstat "bi".</summary>
    public ulong? PgpgInKb { get; private init; }
    /// <summary>pgpgout: KiB written to block devices. vmstat "bo".</summary>
    public ulong? PgpgOutKb { get; private init; }
    /// <summary>pswpin: pages swapped in. vmstat "si" (after conversion to KiB).</summary>
    public ulong? PswpInPages { get; private init; }
    /// <summary>pswpout: pages swapped out. vmstat "so".</summary>
    public ulong? PswpOutPages { get; private init; }
    /// <summary>pgfault: page faults, minor and major.</summary>
    public ulong? PgFault { get; private init; }
    /// <summary>pgmajfault: major page faults (needed I/O).</summary>
    public ulong? PgMajFault { get; private init; }
    /// <summary>pgfree: pages freed.</summary>
    public ulong? PgFree { get; private init; }

    /// <summary>Number of counters in the file.</summary>
    public int Count => _entries.Length;

    /// <summary>Every counter in file order. Built on first access.</summary>
    public IReadOnlyList<(string Name, ulong Value)> All => field ??= BuildAll();

    private (string Name, ulong Value)[] BuildAll()
    {
        var all = new (string Name, ulong Value)[_entries.Length];
        for (int i = 0; i < _entries.Length; i++)
        {
            var e = _entries[i];
            all[i] = (TextSanitizer.Lossy(_text.AsSpan(e.NameStart, e.NameLength)), e.Value);
        }
        return all;
    }

    /// <summary>Looks a counter up by its exact name (e.g. "nr_dirty"). Allocation-free.</summary>
    public bool TryGet(string name, out ulong value)
    {
        foreach (var e in _entries)
        {
            if (e.NameLength == name.Length && AsciiEquals(_text.AsSpan(e.NameStart, e.NameLength), name))
            {
                value = e.Value;
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>Looks a counter up by its exact name in bytes (e.g. <c>"nr_dirty"u8</c>).</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out ulong value)
    {
        foreach (var e in _entries)
        {
            if (_text.AsSpan(e.NameStart, e.NameLength).SequenceEqual(name))
            {
                value = e.Value;
                return true;
            }
        }
        value = 0;
        return false;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string s)
    {
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] != s[i]) return false;
        return true;
    }

    public static VmStat Parse(ReadOnlySpan<byte> content)
    {
        var text = content.ToArray();
        var entries = new List<Entry>(256);
        var r = new SpanReader(content, FileName);
        ulong? pgpgin = null, pgpgout = null, pswpin = null, pswpout = null, pgfault = null, pgmajfault = null, pgfree = null;
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            int nameStart = r.Position;
            var name = r.NextField();
            ulong value = r.NextUInt64();
            if (r.HasField()) throw r.Fail("unexpected field");
            r.SkipLine();
            entries.Add(new Entry(nameStart, name.Length, value));

            if (name.SequenceEqual("pgpgin"u8)) pgpgin = value;
            else if (name.SequenceEqual("pgpgout"u8)) pgpgout = value;
            else if (name.SequenceEqual("pswpin"u8)) pswpin = value;
            else if (name.SequenceEqual("pswpout"u8)) pswpout = value;
            else if (name.SequenceEqual("pgfault"u8)) pgfault = value;
            else if (name.SequenceEqual("pgmajfault"u8)) pgmajfault = value;
            else if (name.SequenceEqual("pgfree"u8)) pgfree = value;
        }
        return new VmStat(text, entries.ToArray())
        {
            PgpgInKb = pgpgin,
            PgpgOutKb = pgpgout,
            PswpInPages = pswpin,
            PswpOutPages = pswpout,
            PgFault = pgfault,
            PgMajFault = pgmajfault,
            PgFree = pgfree,
        };
    }
}
