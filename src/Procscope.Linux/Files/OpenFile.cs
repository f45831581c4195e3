using Procscope.Core.Files;

namespace Procscope.Linux.Files;

/// <summary>What an open-file row describes: lsof's FD column kinds.</summary>
public enum OpenFileKind
{
    /// <summary>cwd: the working directory.</summary>
    Cwd,
    /// <summary>rtd: the root directory.</summary>
    Root,
    /// <summary>txt: the executable.</summary>
    Text,
    /// <summary>mem: a file mapped into memory.</summary>
    Memory,
    /// <summary>DEL: a mapped file that has been deleted.</summary>
    DeletedMemory,
    /// <summary>A numbered file descriptor.</summary>
    Descriptor,
}

/// <summary>The stat(2) facts of an open file.</summary>
public readonly record struct FileStat(ulong Dev, ulong Ino, uint Mode, ulong Nlink, ulong Rdev, long Size)
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;
    public uint Format => Mode & S_IFMT;
    public static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));
    public static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
    public static ulong MakeDev(uint major, uint minor) =>
        (minor & 0xffUL) | ((major & 0xfffUL) << 8) | (((ulong)minor & ~0xffUL) << 12) | (((ulong)major & ~0xfffUL) << 32);
}

/// <summary>One row of lsof: an open descriptor, a directory, the executable or a mapping of one process.</summary>
public sealed class OpenFile
{
    public required OpenFileKind Kind { get; init; }
    /// <summary>The descriptor number; -1 for cwd, rtd, txt and mappings.</summary>
    public int Fd { get; init; } = -1;
    /// <summary>
    /// The exact name: the link text of /proc/[pid]/fd/N (which may end in " (deleted)" whether or not
    /// the file is deleted: see <see cref="Deleted"/>), or the unescaped path of a mapping.
    /// </summary>
    public byte[] Name { get; init; } = [];
    /// <summary>Why the file could not be described, e.g. "readlink: Permission denied".</summary>
    public string? Error { get; init; }
    /// <summary>The errno behind <see cref="Error"/> (ENOENT: a kernel thread's missing exe).</summary>
    public int ErrorNumber { get; init; }
    /// <summary>fdinfo of a numbered descriptor (offset, flags, mount, locks).</summary>
    public FdInfo? Info { get; init; }
    /// <summary>stat of the open file; null when denied, gone, or skipped (network/FUSE file system).</summary>
    public FileStat? Stat { get; init; }
    /// <summary>The file lives on a network or FUSE file system and was not stat()ed (lsof#181).</summary>
    public bool StatSkipped { get; init; }
    /// <summary>Device and inode from the memory map or fdinfo when there is no stat.</summary>
    public ulong? Dev { get; init; }
    public ulong? Ino { get; init; }
    /// <summary>The socket's inode from "socket:[N]".</summary>
    public ulong? SocketInode { get; init; }

    /// <summary>Deleted: decided by the link count (0), never by the " (deleted)" suffix, which a live file may carry in its name.</summary>
    public bool Deleted => Kind == OpenFileKind.DeletedMemory || Stat is { Nlink: 0 } st && st.Format != FileStat.S_IFSOCK && st.Format != FileStat.S_IFIFO && !IsAnonInode;

    public bool IsAnonInode => Name.AsSpan().StartsWith("anon_inode:"u8);

    public ulong? Device => Stat?.Dev ?? Dev;
    public ulong? Inode => Stat?.Ino ?? Ino ?? SocketInode;
}

/// <summary>The open files of one process (or thread), in lsof's order: cwd, rtd, txt, mappings, descriptors.</summary>
public sealed class ProcessOpenFiles
{
    public required int Pid { get; init; }
    /// <summary>Set on thread rows (lsof's TID column).</summary>
    public int? Tid { get; init; }
    public required int PPid { get; init; }
    public required int PGid { get; init; }
    public required uint Uid { get; init; }
    public required byte[] Command { get; init; }
    /// <summary>The thread's own name (TASKCMD).</summary>
    public byte[]? TaskCommand { get; init; }
    public required IReadOnlyList<OpenFile> Files { get; init; }
    /// <summary>The descriptor table was refused (another user's process, not root).</summary>
    public bool Denied { get; init; }
    /// <summary>Reading took longer than the per-process bound; the files may be incomplete.</summary>
    public bool TimedOut { get; init; }
}
