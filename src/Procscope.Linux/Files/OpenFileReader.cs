using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Core.Files;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Files;

/// <summary>What <see cref="OpenFileReader"/> reads.</summary>
public sealed record OpenFileOptions
{
    /// <summary>List mapped files (mem, DEL).</summary>
    public bool Maps { get; init; } = true;
    /// <summary>Also list every thread (lsof's TID rows).</summary>
    public bool Threads { get; init; } = true;
    /// <summary>stat() files on network and FUSE file systems too (can block for minutes on a dead server).</summary>
    public bool StatRemote { get; init; }
    /// <summary>
    /// The caller needs each descriptor's offset and open flags (lsof -o, -F G/o, JSON). Without it,
    /// fdinfo is read only where it decides what is shown: anonymous inodes (their names), character
    /// devices other than /dev/null (the offset column), files carrying a lock (/proc/locks), and
    /// files whose mount must be known; the r/w mode then comes from the link's own permission bits.
    /// </summary>
    public bool Offsets { get; init; } = true;
}

/// <summary>
/// Reads the open files of processes from /proc: the cwd/root/exe links, the memory map, and per
/// descriptor readlinkat(fd/N), fdinfo/N and — only for files not on a network or FUSE file
/// system — fstatat(fd/N). stat results are shared by (mount, inode) within one reader, so a file
/// held open by thousands of processes (libc, /dev/null) is stat()ed once. Thread-safe; every
/// per-process failure is a value (gone processes give null, denied tables set Denied).
/// </summary>
public sealed unsafe class OpenFileReader
{
    private readonly ProcFs _fs;
    private readonly OpenFileOptions _options;

    private readonly ConcurrentDictionary<(int Mnt, ulong Ino), FileStat> _fdStats = new();
    private readonly ConcurrentDictionary<(string Ns, string Path), FileStat?> _pathStats = new();
    private readonly ConcurrentDictionary<string, MountInfo?> _mounts = new();
    private readonly string _ownMountNs;
    private readonly HashSet<(uint, uint, ulong)>? _locked;

    public OpenFileReader(ProcFs fs, OpenFileOptions options)
    {
        _fs = fs;
        _options = options;
        _ownMountNs = ReadLinkString(-1, "/proc/self/ns/mnt") ?? "";
        if (!options.Offsets)
        {
            // Which files carry a lock: only their descriptors need fdinfo for lsof's lock character.
            if (ProcFs.Reader.Read(-1, fs.PathOf("locks"), ProcFs.DefaultMaxFileBytes, out var locks, out _) == 0)
            {
                try { _locked = ProcLocks.Parse(locks); }
                catch (ProcFormatException) { _locked = null; }
            }
            // Unreadable /proc/locks: read fdinfo everywhere rather than miss a lock.
            if (_locked is null) _options = options with { Offsets = true };
        }
    }

    /// <summary>The process and, with <see cref="OpenFileOptions.Threads"/>, each of its other threads; null when it is gone.</summary>
    public List<ProcessOpenFiles>? Read(int pid)
    {
        string basePath = $"{_fs.Root}/{pid}";
        int dir = OpenDir(-1, basePath);
        if (dir < 0) return null;
        try
        {
            var main = ReadTask(dir, pid, null, basePath, out long threads);
            if (main is null) return null;
            var list = new List<ProcessOpenFiles>(1) { main };
            // stat's num_threads spares listing task/ for the (usual) single-threaded process.
            if (_options.Threads && !main.Denied && threads > 1) AddThreads(dir, pid, main, list);
            return list;
        }
        finally
        {
            LibC.close(dir);
        }
    }

    private void AddThreads(int dir, int pid, ProcessOpenFiles main, List<ProcessOpenFiles> list)
    {
        var tids = new List<int>();
        DirectoryScanner.ListNumeric($"{_fs.Root}/{pid}/task", tids);
        if (tids.Count <= 1) return;
        foreach (int tid in tids)
        {
            if (tid == pid) continue;
            string taskPath = $"{_fs.Root}/{pid}/task/{tid}";
            // Threads share the descriptor table and cwd/root unless created without CLONE_FILES /
            // CLONE_FS (or after unshare): kcmp tells; a thread that differs is read on its own.
            bool sameFiles = _fs.IsLive && LibC.syscall(LibC.SYS_kcmp, pid, tid, LibC.KCMP_FILES, 0, 0) == 0
                && LibC.syscall(LibC.SYS_kcmp, pid, tid, LibC.KCMP_FS, 0, 0) == 0;
            if (sameFiles)
            {
                int err = ProcFs.Reader.Read(-1, taskPath + "/comm", 4096, out var comm, out _, true);
                if (err != 0) continue;
                list.Add(new ProcessOpenFiles
                {
                    Pid = pid, Tid = tid, PPid = main.PPid, PGid = main.PGid, Uid = main.Uid, Command = main.Command,
                    TaskCommand = Bytes.Trim(comm).ToArray(), Files = main.Files,
                });
                continue;
            }
            int tdir = OpenDir(-1, taskPath);
            if (tdir < 0) continue;
            try
            {
                var t = ReadTask(tdir, pid, tid, taskPath, out _);
                if (t is not null) list.Add(t);
            }
            finally
            {
                LibC.close(tdir);
            }
        }
    }

    private ProcessOpenFiles? ReadTask(int dir, int pid, int? tid, string basePath, out long threads)
    {
        threads = 0;
        Stat st;
        byte empty = 0;
        if (LibC.fstatat(dir, &empty, &st, 0x1000 /* AT_EMPTY_PATH */) != 0) return null;
        int err = ProcFs.Reader.Read(dir, "stat", 4096, out var statBytes, out _, true);
        if (err != 0) return null;
        ProcessStat stat;
        try { stat = ProcessStat.Parse(statBytes); }
        catch (ProcFormatException) { return null; }
        threads = stat.NumThreads;
        byte[] command = stat.CommBytes;
        byte[]? taskCommand = null;
        if (tid is not null)
        {
            taskCommand = command;
            if (ProcFs.Reader.Read(-1, $"{_fs.Root}/{pid}/comm", 4096, out var pc, out _, true) == 0) command = Bytes.Trim(pc).ToArray();
        }

        var files = new List<OpenFile>();
        string ns = ReadLinkString(dir, "ns/mnt") ?? $"pid:{pid}";
        // The descriptor table first: a refusal here means another user's process.
        int fdDir = OpenDir(dir, "fd");
        if (fdDir < 0)
        {
            int e = Marshal.GetLastSystemError();
            if (e == Errno.ENOENT || e == Errno.ESRCH) return null;
            return new ProcessOpenFiles
            {
                Pid = pid, Tid = tid, PPid = stat.PPid, PGid = stat.PGrp, Uid = st.st_uid, Command = command, TaskCommand = taskCommand,
                Files = [], Denied = true,
            };
        }
        ProcessMaps? maps = _options.Maps ? ReadMaps(dir) : null;
        files.Add(LinkRow(dir, pid, ns, "cwd", OpenFileKind.Cwd, null));
        files.Add(LinkRow(dir, pid, ns, "root", OpenFileKind.Root, null));
        // Kernel threads have no exe (ENOENT): the row says so, as lsof's does.
        var txt = LinkRow(dir, pid, ns, "exe", OpenFileKind.Text, maps);
        files.Add(txt);
        if (maps is not null) AddMaps(dir, pid, ns, txt, maps, files);
        AddDescriptors(dir, fdDir, ns, files);
        return new ProcessOpenFiles
        {
            Pid = pid, Tid = tid, PPid = stat.PPid, PGid = stat.PGrp, Uid = st.st_uid, Command = command, TaskCommand = taskCommand,
            Files = files,
        };
    }

    /// <summary>
    /// cwd, rtd or txt. The stat comes from the shared path cache (the same directories and
    /// executables recur across thousands of processes) when it can be trusted: for txt, when the
    /// path's inode is the one the process has mapped; for cwd and rtd, when the link is not marked
    /// deleted. Otherwise the magic link itself is stat()ed.
    /// </summary>
    private OpenFile LinkRow(int dir, int pid, string ns, string link, OpenFileKind kind, ProcessMaps? maps)
    {
        int err = ProcFs.Reader.ReadLink(dir, link, out var target);
        if (err != 0)
            return new OpenFile { Kind = kind, Error = $"readlink: {Marshal.GetPInvokeErrorMessage(err)}", ErrorNumber = err, Name = Encoding.UTF8.GetBytes(link) };
        var mount = MountOf(dir, ns, target);
        if (mount is { IsRemoteOrFuse: true } && !_options.StatRemote)
            return new OpenFile { Kind = kind, Name = target, StatSkipped = true, Dev = FileStat.MakeDev(mount.Major, mount.Minor) };
        FileStat? s = null;
        if (target.Length > 0 && target[0] == (byte)'/' && !target.AsSpan().EndsWith(" (deleted)"u8))
        {
            var cached = PathStat(ns, pid, target);
            if (kind != OpenFileKind.Text) s = cached;
            else if (cached is { } c && maps is not null)
                foreach (var m in maps.Mappings)
                    if (m.Inode == c.Ino && FileStat.MakeDev(m.DevMajor, m.DevMinor) == c.Dev && m.PathBytes.AsSpan().SequenceEqual(target))
                    {
                        s = c;
                        break;
                    }
        }
        s ??= StatAt(dir, link);
        return new OpenFile { Kind = kind, Name = target, Stat = s };
    }

    private static ProcessMaps? ReadMaps(int dir)
    {
        if (ProcFs.Reader.Read(dir, "maps", ProcFs.DefaultMaxFileBytes, out var content, out _) != 0) return null;
        try { return ProcessMaps.Parse(content); }
        catch (ProcFormatException) { return null; }
    }

    private void AddMaps(int dir, int pid, string ns, OpenFile txt, ProcessMaps maps, List<OpenFile> files)
    {
        var seen = new HashSet<(ulong, ulong)>();
        if (txt.Stat is { } ts) seen.Add((ts.Dev, ts.Ino));
        foreach (var m in maps.Mappings)
        {
            if (m.Inode == 0 || m.PathBytes.Length == 0 || m.PathBytes[0] != (byte)'/') continue;
            ulong dev = FileStat.MakeDev(m.DevMajor, m.DevMinor);
            if (!seen.Add((dev, m.Inode))) continue;
            var path = m.PathBytes;
            FileStat? s = null;
            var mount = MountOf(dir, ns, path);
            if (mount is not { IsRemoteOrFuse: true } || _options.StatRemote) s = PathStat(ns, pid, path);
            if (s is { } found && found.Ino == m.Inode)
            {
                files.Add(new OpenFile { Kind = OpenFileKind.Memory, Name = path, Stat = found });
                continue;
            }
            // The path no longer leads to the mapped inode. The kernel appended " (deleted)" if it
            // was unlinked; a live file whose real name ends so is matched above.
            bool deleted = m.Deleted;
            if (deleted) path = path[..^" (deleted)".Length];
            files.Add(new OpenFile { Kind = deleted ? OpenFileKind.DeletedMemory : OpenFileKind.Memory, Name = path, Dev = dev, Ino = m.Inode, StatSkipped = s is null && !deleted });
        }
    }

    private void AddDescriptors(int dir, int fdDir, string ns, List<OpenFile> files)
    {
        var fds = new List<int>();
        try
        {
            // getdents64 on the descriptor itself: fdopendir would add two fcntl calls and a
            // malloc per process.
            Span<byte> buf = stackalloc byte[16384];
            while (true)
            {
                nint n;
                fixed (byte* b = buf) n = LibC.getdents64(fdDir, b, buf.Length);
                if (n <= 0) break;
                int pos = 0;
                while (pos < n)
                {
                    var e = buf[pos..(int)n];
                    int reclen = e[16] | (e[17] << 8);
                    if (reclen == 0) break;
                    var name = e[19..reclen];
                    int len = name.IndexOf((byte)0);
                    if (len > 0 && Bytes.TryInt32(name[..len], out int fd)) fds.Add(fd);
                    pos += reclen;
                }
            }
            fds.Sort();
            Span<char> nameBuf = stackalloc char[32];
            foreach (int fd in fds)
            {
                fd.TryFormat(nameBuf, out int n);
                var fdName = nameBuf[..n];
                int err = ProcFs.Reader.ReadLink(fdDir, fdName, out var target);
                if (err == Errno.ENOENT) continue; // closed meanwhile
                if (err != 0)
                {
                    files.Add(new OpenFile { Kind = OpenFileKind.Descriptor, Fd = fd, Name = [], Error = $"readlink: {Marshal.GetPInvokeErrorMessage(err)}", ErrorNumber = err });
                    continue;
                }
                if (!_options.Offsets && ns == _ownMountNs && DescribeLight(dir, fdDir, ns, fd, fdName, target) is { } light)
                {
                    files.Add(light);
                    continue;
                }
                files.Add(Describe(dir, fdDir, ns, fd, fdName, target, ReadFdInfo(dir, fdName)));
            }
        }
        finally
        {
            LibC.close(fdDir);
        }
    }

    private static FdInfo? ReadFdInfo(int dir, ReadOnlySpan<char> fdName)
    {
        if (ProcFs.Reader.Read(dir, string.Concat("fdinfo/", fdName), 1 << 20, out var fi, out _, shortReadIsEof: true) != 0) return null;
        try { return FdInfo.Parse(fi); }
        catch (ProcFormatException) { return null; }
    }

    /// <summary>
    /// A descriptor described without fdinfo (see <see cref="OpenFileOptions.Offsets"/>): the mode from
    /// lstat of the fd link, the file's stat from the shared caches. Null when fdinfo is needed after all.
    /// </summary>
    private OpenFile? DescribeLight(int dir, int fdDir, string ns, int fd, ReadOnlySpan<char> fdName, byte[] target)
    {
        var t = target.AsSpan();
        if (t.StartsWith("anon_inode:"u8)) return null;
        // The link's permission bits are the open mode (fs/proc/fd.c: S_IRUSR for FMODE_READ, S_IWUSR for FMODE_WRITE).
        var link = LinkStat(fdDir, fdName);
        if (link is not { } l) return null;
        bool r = (l.Mode & 0x100) != 0, w = (l.Mode & 0x80) != 0;
        // Pipes and sockets never move their offset; it stays 0.
        var info = new FdInfo { Pos = 0, Flags = r && w ? 2u : w ? 1u : 0u };
        if (t.StartsWith("socket:["u8) && t.EndsWith("]"u8) && Bytes.TryUInt64(t[8..^1], out ulong sock))
            return new OpenFile { Kind = OpenFileKind.Descriptor, Fd = fd, Name = target, Info = info, SocketInode = sock };
        FileStat? s;
        if (t.Length > 0 && t[0] == (byte)'/')
        {
            // A path not marked deleted leads to the open file; remote files keep the fdinfo path.
            if (t.EndsWith(" (deleted)"u8) || MountOf(dir, ns, t) is not { IsRemoteOrFuse: false }) return null;
            s = PathStat(ns, 0, target);
            if (s is not { } found) return null;
            // Character devices show their offset; /dev/null's never moves.
            if (found.Format == FileStat.S_IFCHR && !t.SequenceEqual("/dev/null"u8)) return null;
        }
        else if (t.StartsWith("pipe:["u8) && t.EndsWith("]"u8) && Bytes.TryUInt64(t[6..^1], out ulong pipeIno))
        {
            var key = (-1, pipeIno);
            if (_fdStats.TryGetValue(key, out var cached)) s = cached;
            else if ((s = StatAt(fdDir, fdName)) is { } fresh) _fdStats.TryAdd(key, fresh);
        }
        else return null;
        if (s is not { } st) return null;
        if (_locked!.Contains((FileStat.Major(st.Dev), FileStat.Minor(st.Dev), st.Ino))) return null;
        return new OpenFile { Kind = OpenFileKind.Descriptor, Fd = fd, Name = target, Info = info, Stat = st };
    }

    private static FileStat? LinkStat(int dir, ReadOnlySpan<char> name)
    {
        Span<byte> path = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 1];
        int n = Encoding.UTF8.GetBytes(name, path);
        path[n] = 0;
        Stat st;
        int rc;
        fixed (byte* p = path) rc = LibC.fstatat(dir, p, &st, LibC.AT_SYMLINK_NOFOLLOW);
        if (rc != 0) return null;
        return new FileStat(st.st_dev, st.st_ino, st.st_mode, st.st_nlink, st.st_rdev, st.st_size);
    }

    private OpenFile Describe(int dir, int fdDir, string ns, int fd, ReadOnlySpan<char> fdName, byte[] target, FdInfo? info)
    {
        var t = target.AsSpan();
        if (t.StartsWith("socket:["u8) && t.EndsWith("]"u8) && Bytes.TryUInt64(t[8..^1], out ulong sock))
            return new OpenFile { Kind = OpenFileKind.Descriptor, Fd = fd, Name = target, Info = info, SocketInode = sock };
        bool pseudo = t.Length > 0 && t[0] != (byte)'/';
        if (!pseudo && !_options.StatRemote && info?.MntId is int mnt && MountById(dir, ns, mnt) is { IsRemoteOrFuse: true } remote)
            return new OpenFile
            {
                Kind = OpenFileKind.Descriptor, Fd = fd, Name = target, Info = info, StatSkipped = true,
                Dev = FileStat.MakeDev(remote.Major, remote.Minor), Ino = info.Ino,
            };
        FileStat? s = null;
        // A file held open many times (by many processes: /dev/null, a shared log, a pipe) is
        // stat()ed once per snapshot: one reader serves one snapshot, taken within moments, and
        // lsof's own view is no more simultaneous than that.
        if (info is { MntId: int m, Ino: ulong ino })
        {
            var key = (m, ino);
            if (_fdStats.TryGetValue(key, out var cached)) s = cached;
            else if ((s = StatAt(fdDir, fdName)) is { } fresh) _fdStats.TryAdd(key, fresh);
        }
        else s = StatAt(fdDir, fdName);
        return new OpenFile { Kind = OpenFileKind.Descriptor, Fd = fd, Name = target, Info = info, Stat = s, Ino = info?.Ino };
    }

    private static FileStat? StatAt(int dir, ReadOnlySpan<char> name)
    {
        Span<byte> path = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 1];
        int n = Encoding.UTF8.GetBytes(name, path);
        path[n] = 0;
        Stat st;
        int rc;
        fixed (byte* p = path) rc = LibC.fstatat(dir, p, &st, 0);
        if (rc != 0) return null;
        return new FileStat(st.st_dev, st.st_ino, st.st_mode, st.st_nlink, st.st_rdev, st.st_size);
    }

    /// <summary>stat of a mapped path in the process's mount namespace (through /proc/[pid]/root when it is not ours), cached.</summary>
    private FileStat? PathStat(string ns, int pid, byte[] path)
    {
        var key = (ns, Encoding.Latin1.GetString(path));
        if (_pathStats.TryGetValue(key, out var cached)) return cached;
        byte[] full = ns == _ownMountNs ? [.. path, 0] : [.. Encoding.UTF8.GetBytes($"{_fs.Root}/{pid}/root"), .. path, 0];
        Stat st;
        FileStat? result = null;
        fixed (byte* p = full)
            if (LibC.fstatat(LibC.AT_FDCWD, p, &st, 0) == 0) result = new FileStat(st.st_dev, st.st_ino, st.st_mode, st.st_nlink, st.st_rdev, st.st_size);
        if (!ns.StartsWith("pid:", StringComparison.Ordinal)) _pathStats.TryAdd(key, result);
        return result;
    }

    private MountInfo? Mounts(int dir, string ns)
    {
        if (_mounts.TryGetValue(ns, out var m)) return m;
        MountInfo? parsed = null;
        if (ProcFs.Reader.Read(dir, "mountinfo", ProcFs.DefaultMaxFileBytes, out var content, out _) == 0)
        {
            try { parsed = MountInfo.Parse(content); }
            catch (ProcFormatException) { parsed = null; }
        }
        if (!ns.StartsWith("pid:", StringComparison.Ordinal)) _mounts.TryAdd(ns, parsed);
        return parsed;
    }

    private MountEntry? MountById(int dir, string ns, int id)
    {
        var m = Mounts(dir, ns);
        if (m is null) return null;
        foreach (var e in m.Mounts) if (e.MountId == id) return e;
        return null;
    }

    private MountEntry? MountOf(int dir, string ns, ReadOnlySpan<byte> path) => path.Length > 0 && path[0] == (byte)'/' ? Mounts(dir, ns)?.Containing(path) : null;

    private static int OpenDir(int dirFd, string path)
    {
        Span<byte> p = stackalloc byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        int n = Encoding.UTF8.GetBytes(path, p);
        p[n] = 0;
        int fd;
        fixed (byte* b = p)
        {
            do fd = dirFd >= 0 ? LibC.openat(dirFd, b, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC) : LibC.open(b, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            while (fd < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
        }
        return fd;
    }

    private static string? ReadLinkString(int dir, string link) =>
        ProcFs.Reader.ReadLink(dir, link, out var t) == 0 ? Encoding.Latin1.GetString(t) : null;
}
