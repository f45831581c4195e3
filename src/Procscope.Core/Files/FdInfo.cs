using Procscope.Core.Parsing;

namespace Procscope.Core.Files;

/// <summary>
/// /proc/[pid]/fdinfo/[fd] (proc_pid_fdinfo(5)): the file position, the open flags, the mount
/// and inode of one open descriptor, the locks it holds ("lock:" lines, since Linux 4.x) and the
/// kind-specific lines of anonymous inodes (eventfd-id since 6.x, the target fds of an epoll).
/// </summary>
public sealed record FdInfo : IProcFile<FdInfo>
{
    /// <summary>"pos": the file offset.</summary>
    public required long Pos { get; init; }
    /// <summary>"flags": the open(2) flags (octal in the file): O_ACCMODE, O_APPEND, O_CLOEXEC …</summary>
    public required uint Flags { get; init; }
    /// <summary>"mnt_id": the mount the file lives on (matches mountinfo's first field). Since Linux 3.15.</summary>
    public int? MntId { get; init; }
    /// <summary>"ino": the inode number. Since Linux 5.10.</summary>
    public ulong? Ino { get; init; }
    /// <summary>The locks this descriptor holds, in file order.</summary>
    public IReadOnlyList<FileLock> Locks { get; init; } = [];
    /// <summary>"eventfd-id" of an eventfd (since Linux 6.0).</summary>
    public long? EventFdId { get; init; }
    /// <summary>"tfd" of each watched descriptor of an epoll instance.</summary>
    public IReadOnlyList<int> EpollTargets { get; init; } = [];

    /// <summary>O_ACCMODE: 0 read, 1 write, 2 read-write.</summary>
    public int AccessMode => (int)(Flags & 3);

    public static FdInfo Parse(ReadOnlySpan<byte> content)
    {
        var kv = new KeyValueReader(content, "/proc/[pid]/fdinfo/[fd]");
        long pos = 0;
        uint flags = 0;
        int? mnt = null;
        ulong? ino = null;
        long? eventId = null;
        List<FileLock>? locks = null;
        List<int>? targets = null;
        while (kv.MoveNext())
        {
            var k = kv.Key;
            if (k.SequenceEqual("pos"u8)) pos = kv.ParseInt64();
            else if (k.SequenceEqual("flags"u8)) flags = kv.ParseOctal();
            else if (k.SequenceEqual("mnt_id"u8)) mnt = kv.ParseInt32();
            else if (k.SequenceEqual("ino"u8)) ino = kv.ParseUInt64();
            else if (k.SequenceEqual("eventfd-id"u8)) eventId = kv.ParseInt64();
            else if (k.SequenceEqual("lock"u8)) (locks ??= []).Add(FileLock.Parse(kv.TrimmedValue));
            else if (k.SequenceEqual("tfd"u8))
            {
                // "tfd:       16 events:       19 data: ..." — the number right after the key.
                var v = kv.TrimmedValue;
                int sp = v.IndexOfAny((byte)' ', (byte)'\t');
                if (Bytes.TryInt32(sp < 0 ? v : v[..sp], out int t)) (targets ??= []).Add(t);
            }
        }
        return new FdInfo
        {
            Pos = pos, Flags = flags, MntId = mnt, Ino = ino, EventFdId = eventId,
            Locks = (IReadOnlyList<FileLock>?)locks ?? [], EpollTargets = (IReadOnlyList<int>?)targets ?? [],
        };
    }
}

/// <summary>
/// One "lock:" line of fdinfo, the format of /proc/locks (proc_locks(5)):
/// "1: POSIX  ADVISORY  WRITE 14209 fe:00:11658995 0 EOF".
/// </summary>
public sealed record FileLock(string Class, string Mode, string Access, long Start, long? End)
{
    /// <summary>Covers the whole file (start 0, end EOF).</summary>
    public bool WholeFile => Start == 0 && End is null;

    /// <summary>
    /// lsof's lock character: R/W for a read/write lock on the whole file, r/w for part of it,
    /// u for a read and write lock (several locks of both kinds); ' ' when unknown.
    /// </summary>
    public char LsofChar => Access switch
    {
        "READ" => WholeFile ? 'R' : 'r',
        "WRITE" => WholeFile ? 'W' : 'w',
        _ => ' ',
    };

    public static FileLock Parse(ReadOnlySpan<byte> line)
    {
        var r = new SpanReader(line, "/proc/[pid]/fdinfo/[fd] lock");
        r.NextField(); // "1:" ordinal
        var cls = r.NextField();
        if (r.Remaining.Length > 0 && Bytes.Trim(r.Remaining).StartsWith("->"u8)) r.NextField();
        var mode = r.NextField();
        var access = r.NextField();
        r.NextField(); // pid
        r.NextField(); // dev:ino
        long start = r.HasField() ? r.NextInt64() : 0;
        long? end = null;
        if (r.TryNextField(out var e) && !e.SequenceEqual("EOF"u8) && Bytes.TryInt64(e, out long ev)) end = ev;
        return new FileLock(System.Text.Encoding.ASCII.GetString(cls), System.Text.Encoding.ASCII.GetString(mode),
            System.Text.Encoding.ASCII.GetString(access), start, end);
    }

    /// <summary>The lock character of a descriptor holding <paramref name="locks"/> (lsof shows one).</summary>
    public static char LsofCharOf(IReadOnlyList<FileLock> locks)
    {
        if (locks.Count == 0) return ' ';
        bool read = false, write = false;
        foreach (var l in locks)
        {
            if (l.Access == "READ") read = true;
            else if (l.Access == "WRITE") write = true;
        }
        if (read && write) return 'u';
        return locks[0].LsofChar;
    }
}

/// <summary>
/// /proc/locks (proc_locks(5)): the files that carry a lock, as (major, minor, inode):
/// "1: POSIX  ADVISORY  WRITE 14209 fe:00:11658995 0 EOF". Lines of blocked waiters ("1: -> …") are skipped.
/// </summary>
public static class ProcLocks
{
    public static HashSet<(uint Major, uint Minor, ulong Ino)> Parse(ReadOnlySpan<byte> content)
    {
        var set = new HashSet<(uint, uint, ulong)>();
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var r = new SpanReader(content[..end], "/proc/locks", pos);
            if (r.HasField())
            {
                r.NextField(); // "1:"
                var cls = r.NextField();
                if (!cls.SequenceEqual("->"u8))
                {
                    r.NextField(); // mode
                    r.NextField(); // access
                    r.NextField(); // pid
                    var id = r.NextField();
                    int c1 = id.IndexOf((byte)':');
                    int c2 = c1 < 0 ? -1 : id[(c1 + 1)..].IndexOf((byte)':') + c1 + 1;
                    if (c1 < 0 || c2 <= c1 || !Bytes.TryHexUInt64(id[..c1], out ulong maj) || !Bytes.TryHexUInt64(id[(c1 + 1)..c2], out ulong min)
                        || !Bytes.TryUInt64(id[(c2 + 1)..], out ulong ino))
                        throw r.Fail("expected major:minor:inode");
                    set.Add(((uint)maj, (uint)min, ino));
                }
            }
            pos = end + 1;
        }
        return set;
    }
}
