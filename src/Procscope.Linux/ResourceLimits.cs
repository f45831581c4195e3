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
    /// a <see cref="Processes.ProcessTable"/> can keep a descriptor open per process; with
    /// CAP_SYS_RESOURCE (root) both limits are raised to <paramref name="wanted"/> when the hard
    /// limit is lower (it is 20,000 on the development VM, less than two files for each of 15,000
    /// processes). The limit is not restored: it is this process's own, and dies with it. Returns
    /// the new soft limit, or null when the limits could not be read.
    /// </summary>
    public static ulong? RaiseOpenFilesLimit(ulong wanted = 0)
    {
        RLimit l;
        if (LibC.getrlimit(LibC.RLIMIT_NOFILE, &l) != 0) return null;
        if (wanted > l.rlim_max && l.rlim_max != ulong.MaxValue)
        {
            var both = new RLimit { rlim_cur = wanted, rlim_max = wanted };
            if (LibC.setrlimit(LibC.RLIMIT_NOFILE, &both) == 0) return wanted;
            _ = Marshal.GetLastSystemError(); // EPERM without CAP_SYS_RESOURCE, or above fs.nr_open
        }
        if (l.rlim_cur < l.rlim_max)
        {
            var raised = new RLimit { rlim_cur = l.rlim_max, rlim_max = l.rlim_max };
            if (LibC.setrlimit(LibC.RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
            _ = Marshal.GetLastSystemError();
        }
        return l.rlim_cur;
    }
}
