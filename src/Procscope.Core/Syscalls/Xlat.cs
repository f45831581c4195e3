namespace Procscope.Core.Syscalls;

/// <summary>One named constant of a header.</summary>
public readonly record struct XlatEntry(ulong Value, string Name);

/// <summary>A table of constant names (generated into Xlat.g.cs). A flags table decomposes an OR
/// in the order listed (strace's order); a value table maps one value to its first name.</summary>
public sealed class XlatTable
{
    private readonly XlatEntry[] _entries;
    private XlatEntry[]? _sorted;

    // The constructor only stores its arguments, so the compiler can build every generated table
    // at build time (NativeAOT preinitialization); the sorted copy is made on the first lookup.
    public XlatTable(bool flags, XlatEntry[] entries)
    {
        IsFlags = flags;
        _entries = entries;
    }

    public bool IsFlags { get; }

    public ReadOnlySpan<XlatEntry> Entries => _entries;

    /// <summary>The name of exactly <paramref name="value"/>, or null.</summary>
    public string? Name(ulong value)
    {
        var sorted = _sorted ??= Sorted(_entries);
        int lo = 0, hi = sorted.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            ulong v = sorted[mid].Value;
            if (v == value)
                return sorted[mid].Name;
            if (v < value)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return null;
    }

    // First name of a value wins (aliases come later in the source); sorted for binary search.
    // Two threads may both build it; either copy is the same.
    private static XlatEntry[] Sorted(XlatEntry[] entries)
    {
        var seen = new HashSet<ulong>();
        var list = new List<XlatEntry>(entries.Length);
        foreach (var e in entries)
            if (seen.Add(e.Value))
                list.Add(e);
        list.Sort(static (a, b) => a.Value.CompareTo(b.Value));
        return list.ToArray();
    }

    /// <summary>The value of <paramref name="name"/>, for filters (-e signal=SIGCHLD).</summary>
    public bool TryValue(string name, out ulong value)
    {
        foreach (var e in _entries)
            if (e.Name == name)
            {
                value = e.Value;
                return true;
            }
        value = 0;
        return false;
    }
}

/// <summary>One errno: its name and strerror(3) message (as this machine's glibc words it).</summary>
public readonly record struct ErrnoEntry(int Value, string Name, string Message);

/// <summary>errno names and messages, including the kernel-internal restart codes strace shows.</summary>
public sealed class ErrnoTable
{
    private readonly ErrnoEntry[] _entries;
    private ErrnoEntry?[]? _byValue;

    // Stores only, for build-time preinitialization; the by-value index is made on first use.
    public ErrnoTable(ErrnoEntry[] entries) => _entries = entries;

    private ErrnoEntry?[] ByValue => _byValue ??= Index(_entries);

    private static ErrnoEntry?[] Index(ErrnoEntry[] entries)
    {
        int max = 0;
        foreach (var e in entries)
            max = Math.Max(max, e.Value);
        var byValue = new ErrnoEntry?[max + 1];
        foreach (var e in entries)
            byValue[e.Value] ??= e;
        return byValue;
    }

    public string? Name(int errno) => ByValue is var b && (uint)errno < (uint)b.Length ? b[errno]?.Name : null;

    public string? Message(int errno) => ByValue is var b && (uint)errno < (uint)b.Length ? b[errno]?.Message : null;

    public bool TryValue(string name, out int value)
    {
        foreach (var e in ByValue)
            if (e is { } x && x.Name == name)
            {
                value = x.Value;
                return true;
            }
        value = 0;
        return false;
    }
}
