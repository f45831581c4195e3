namespace Procscope.Linux.Interop;

/// <summary>The errno values this library distinguishes (asm-generic/errno-base.h).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
}

/// <summary>What a read of one kernel file about one process gave.</summary>
public enum ReadStatus
{
    /// <summary>Read whole.</summary>
    Ok,
    /// <summary>The process (or thread) no longer exists.</summary>
    Gone,
    /// <summary>Permission denied (EACCES/EPERM), e.g. another user's io or fd.</summary>
    Denied,
    /// <summary>The file does not exist although the process does: not supported by this kernel.</summary>
    Missing,
}

internal static class ErrnoMap
{
    /// <summary>The one place errno becomes a <see cref="ReadStatus"/>.</summary>
    public static ReadStatus ToStatus(int errno) => errno switch
    {
        Errno.EACCES or Errno.EPERM => ReadStatus.Denied,
        // ESRCH: the task exited between open and read; ENOENT/ENOTDIR: the directory is gone
        // (callers re-check the directory before concluding "Missing").
        Errno.ESRCH or Errno.ENOENT or Errno.ENOTDIR => ReadStatus.Gone,
        _ => ReadStatus.Denied,
    };
}
