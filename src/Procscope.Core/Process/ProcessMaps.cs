using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>One line of /proc/[pid]/maps, also the header line of each mapping in /proc/[pid]/smaps (proc_pid_maps(5)).</summary>
public sealed record MemoryMapping
{
    public required ulong Start { get; init; }
    /// <summary>One past the last byte.</summary>
    public required ulong End { get; init; }
    /// <summary>"rwxp" / "r--s": read, write, execute, then p (private, copy-on-write) or s (shared).</summary>
    public required string Perms { get; init; }
    public required ulong Offset { get; init; }
    public required uint DevMajor { get; init; }
    public required uint DevMinor { get; init; }
    /// <summary>The device exactly as the kernel wrote it ("fe:00").</summary>
    public required string Device { get; init; }
    public required ulong Inode { get; init; }
    /// <summary>
    /// The path or pseudo-name ("[heap]", "[stack]", "[vdso]", "[anon:NAME]"), raw bytes (hostile),
    /// with the kernel's "\012" escape of a newline undone; empty for anonymous memory. A deleted
    /// file keeps the kernel's " (deleted)" suffix here, as procps shows it.
    /// </summary>
    public required byte[] PathBytes { get; init; }
    /// <summary>The file was unlinked (the kernel appended " (deleted)").</summary>
    public bool Deleted { get; init; }

    public ulong SizeBytes => End - Start;
    public bool Readable => Perms.Length > 0 && Perms[0] == 'r';
    public bool Writable => Perms.Length > 1 && Perms[1] == 'w';
    public bool Executable => Perms.Length > 2 && Perms[2] == 'x';
    public bool Shared => Perms.Length > 3 && Perms[3] == 's';

    private static readonly byte[] DeletedSuffix = " (deleted)"u8.ToArray();

    /// <summary>Parses "start-end perms offset major:minor inode   path" (one line, without its newline).</summary>
    public static MemoryMapping Parse(ReadOnlySpan<byte> file, int lineStart, int lineEnd, string fileName)
    {
        var r = new SpanReader(file[..lineEnd], fileName, lineStart);
        var range = r.NextField();
        int dash = range.IndexOf((byte)'-');
        if (dash < 0 || !Bytes.TryHexUInt64(range[..dash], out ulong start) || !Bytes.TryHexUInt64(range[(dash + 1)..], out ulong end))
            throw r.FailAt(lineStart, "expected start-end addresses");
        var perms = r.NextField();
        if (!Bytes.TryHexUInt64(r.NextField(), out ulong offset)) throw r.Fail("expected a hexadecimal offset");
        var dev = r.NextField();
        int colon = dev.IndexOf((byte)':');
        if (colon < 0 || !Bytes.TryHexUInt64(dev[..colon], out ulong major) || !Bytes.TryHexUInt64(dev[(colon + 1)..], out ulong minor))
            throw r.Fail("expected major:minor");
        ulong inode = r.NextUInt64();
        // The path starts after the padding blanks and runs to the end of the line: it may hold blanks itself.
        r.SkipBlanks();
        var path = r.Remaining;
        bool deleted = path.EndsWith(DeletedSuffix) && path.Length > DeletedSuffix.Length && path[0] == (byte)'/';
        return new MemoryMapping
        {
            Start = start,
            End = end,
            Perms = System.Text.Encoding.ASCII.GetString(perms),
            Offset = offset,
            DevMajor = (uint)major,
            DevMinor = (uint)minor,
            Device = System.Text.Encoding.ASCII.GetString(dev),
            Inode = inode,
            PathBytes = UnescapeNewlines(path),
            Deleted = deleted,
        };
    }

    /// <summary>
    /// The kernel escapes only '\n' in these paths (seq_file_path(m, file, "\n") → "\012"); a
    /// backslash is not escaped, so only "\012" is undone (a file really named "a\012" is ambiguous).
    /// </summary>
    private static byte[] UnescapeNewlines(ReadOnlySpan<byte> s)
    {
        if (s.IndexOf("\\012"u8) < 0) return s.ToArray();
        var result = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == (byte)'\\' && s[i..].StartsWith("\\012"u8))
            {
                result.Add((byte)'\n');
                i += 3;
            }
            else
            {
                result.Add(s[i]);
            }
        }
        return result.ToArray();
    }
}

/// <summary>/proc/[pid]/maps (proc_pid_maps(5)): the process's memory mappings, in address order.</summary>
public sealed record ProcessMaps(IReadOnlyList<MemoryMapping> Mappings) : IProcFile<ProcessMaps>
{
    public static ProcessMaps Parse(ReadOnlySpan<byte> content)
    {
        var list = new List<MemoryMapping>();
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            if (end > pos) list.Add(MemoryMapping.Parse(content, pos, end, "/proc/[pid]/maps"));
            pos = end + 1;
        }
        return new ProcessMaps(list);
    }
}
