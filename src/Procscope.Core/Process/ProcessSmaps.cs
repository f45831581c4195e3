using System.Buffers.Text;
using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>One mapping of /proc/[pid]/smaps: its maps line and its counters.</summary>
public sealed class SmapsMapping
{
    private readonly ProcessSmaps _owner;
    private readonly long[] _values;

    internal SmapsMapping(ProcessSmaps owner, MemoryMapping mapping, long[] values, string? vmFlags)
    {
        _owner = owner;
        Mapping = mapping;
        _values = values;
        VmFlags = vmFlags;
    }

    public MemoryMapping Mapping { get; }

    /// <summary>VmFlags: two-letter flags separated by spaces ("rd wr mr mw me ac"). Since Linux 3.8.</summary>
    public string? VmFlags { get; }

    /// <summary>The value of field <paramref name="index"/> of <see cref="ProcessSmaps.Fields"/>: bytes for kB fields, else as written (THPeligible, ProtectionKey); null when this mapping lacks it.</summary>
    public long? this[int index] => index < _values.Length && _values[index] != long.MinValue ? _values[index] : null;

    /// <summary>A field by name ("Rss", "Pss", "Swap" …), or null.</summary>
    public long? Get(string name) => _owner.IndexOf(name) is int i and >= 0 ? this[i] : null;

    public long SizeBytes => Get("Size") ?? (long)Mapping.SizeBytes;
    public long RssBytes => Get("Rss") ?? 0;
    public long PssBytes => Get("Pss") ?? 0;
    public long SharedCleanBytes => Get("Shared_Clean") ?? 0;
    public long SharedDirtyBytes => Get("Shared_Dirty") ?? 0;
    public long PrivateCleanBytes => Get("Private_Clean") ?? 0;
    public long PrivateDirtyBytes => Get("Private_Dirty") ?? 0;
    public long AnonymousBytes => Get("Anonymous") ?? 0;
    public long SwapBytes => Get("Swap") ?? 0;
    /// <summary>Unique set size: Private_Clean + Private_Dirty, what exiting would free.</summary>
    public long UssBytes => PrivateCleanBytes + PrivateDirtyBytes;
    /// <summary>Dirty pages, as procps pmap -x counts them: Shared_Dirty + Private_Dirty.</summary>
    public long DirtyBytes => SharedDirtyBytes + PrivateDirtyBytes;
}

/// <summary>
/// /proc/[pid]/smaps (proc_pid_smaps(5)): per mapping, its maps line followed by "Key: value kB"
/// lines and a final "VmFlags:" line. The set of keys varies by kernel and configuration, so it is
/// kept as found (<see cref="Fields"/>, in the kernel's order) with values indexed by position;
/// kB values are converted to bytes. Walking smaps costs a page-table walk per mapping.
/// </summary>
public sealed class ProcessSmaps : IProcFile<ProcessSmaps>
{
    private const string FileName = "/proc/[pid]/smaps";
    private readonly List<string> _fields = [];
    private readonly List<bool> _kib = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<SmapsMapping> _mappings = [];

    /// <summary>Field names in the order the kernel writes them (VmFlags excluded: see <see cref="SmapsMapping.VmFlags"/>).</summary>
    public IReadOnlyList<string> Fields => _fields;
    public IReadOnlyList<SmapsMapping> Mappings => _mappings;

    /// <summary>Whether field <paramref name="index"/> is a size (written in kB, held in bytes).</summary>
    public bool IsSize(int index) => _kib[index];

    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The sum of a field over all mappings (bytes for sizes).</summary>
    public long Total(string name)
    {
        int i = IndexOf(name);
        if (i < 0) return 0;
        long sum = 0;
        foreach (var m in _mappings) sum += m[i] ?? 0;
        return sum;
    }

    public static ProcessSmaps Parse(ReadOnlySpan<byte> content)
    {
        var result = new ProcessSmaps();
        MemoryMapping? current = null;
        var values = new List<long>();
        string? vmFlags = null;
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var line = content[pos..end];
            if (line.Length > 0)
            {
                int colon = line.IndexOf((byte)':');
                int space = line.IndexOf((byte)' ');
                // A key line has its colon before any blank ("Rss:"); a mapping line's first field is "start-end".
                bool isKey = colon > 0 && (space < 0 || colon < space) && line[..colon].IndexOf((byte)'-') < 0;
                if (!isKey)
                {
                    if (current is not null) result.Add(current, values, vmFlags);
                    current = MemoryMapping.Parse(content, pos, end, FileName);
                    values.Clear();
                    vmFlags = null;
                }
                else
                {
                    if (current is null) throw ProcFormatException.At(FileName, content, pos, "a key before the first mapping");
                    var key = line[..colon];
                    var rest = Bytes.Trim(line[(colon + 1)..]);
                    if (key.SequenceEqual("VmFlags"u8))
                    {
                        vmFlags = System.Text.Encoding.ASCII.GetString(rest);
                    }
                    else
                    {
                        bool kib = rest.EndsWith(" kB"u8);
                        var number = kib ? Bytes.Trim(rest[..^3]) : rest;
                        if (!Utf8Parser.TryParse(number, out long v, out int used) || used != number.Length)
                            throw ProcFormatException.At(FileName, content, pos, "expected a number");
                        int idx = result.FieldIndex(key, kib);
                        while (values.Count <= idx) values.Add(long.MinValue);
                        values[idx] = kib ? v * 1024 : v;
                    }
                }
            }
            pos = end + 1;
        }
        if (current is not null) result.Add(current, values, vmFlags);
        return result;
    }

    private int FieldIndex(ReadOnlySpan<byte> key, bool kib)
    {
        // Keys repeat for every mapping: look up without allocating.
        var lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[key.Length];
        for (int i = 0; i < key.Length; i++) chars[i] = (char)key[i];
        if (lookup.TryGetValue(chars, out int idx)) return idx;
        string name = new(chars);
        _fields.Add(name);
        _kib.Add(kib);
        _index[name] = _fields.Count - 1;
        return _fields.Count - 1;
    }

    private void Add(MemoryMapping mapping, List<long> values, string? vmFlags) =>
        _mappings.Add(new SmapsMapping(this, mapping, values.ToArray(), vmFlags));
}
