using System.Runtime.InteropServices;
using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>Limits of the calling process (getrlimit(2), setrlimit(2)).</summary>
public static unsafe class ResourceLimits
{
    /// <summary>The soft RLIMIT_NOFILE (open file descriptors) of this process; null if unknown.</summary>
    public static ulong? OpenFilesSoftLimit
    {
        get
        {
            RLimit l;
            return LibC.getrlimit(LibC.RLIMIT_NOFILE, &l) == 0 ? l.rlim_cur : null;
        }
    }

    /// <summary>
    /// Raises the soft RLIMIT_NOFILE to the hard limit (always allowed without privileges), so that
    /// a <see cref="Processes.ProcessTable"/> can keep a descriptor open per process. The limit is
    /// not restored: it is this process's own, and dies with it. Returns the new soft limit, or
    /// null when the limits could not be read.
    /// </summary>
    public static ulong? RaiseOpenFilesLimit()
    {
        RLimit l;
        if (LibC.getrlimit(LibC.RLIMIT_NOFILE, &l) != 0) return null;
        if (l.rlim_cur < l.rlim_max)
        {
            var raised = new RLimit { rlim_cur = l.rlim_max, rlim_max = l.rlim_max };
            if (LibC.setrlimit(LibC.RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
            _ = Marshal.GetLastSystemError();
        }
        return l.rlim_cur;
    }
}
