using Procscope.Core.Parsing;
using Procscope.Core.Sys;
using Procscope.Linux.Interop;
using Procscope.Linux.Processes;

namespace Procscope.Linux;

/// <summary>
/// The one entry point to /proc. The root is configurable so that captured fixture trees load
/// exactly like the live file system. All kernel IO of the library goes through here.
/// </summary>
public sealed class ProcFs
{
    /// <summary>Most /proc files are a page or two; cmdline and environ can reach ARG_MAX and more.</summary>
    public const int DefaultMaxFileBytes = 64 * 1024 * 1024;

    [ThreadStatic] private static FileReader? t_reader;

    public ProcFs(string root = "/proc")
    {
        Root = root.Length > 1 ? root.TrimEnd('/') : root;
    }

    /// <summary>The live /proc.</summary>
    public static ProcFs Default { get; } = new();

    public string Root { get; }

    /// <summary>True when this is the live /proc of the running kernel (sysconf values apply).</summary>
    public bool IsLive => Root == "/proc";

    internal static FileReader Reader => t_reader ??= new FileReader();

    /// <summary>Path of a system-wide file under the root, e.g. Path("meminfo").</summary>
    public string PathOf(string relative) => Root + "/" + relative;

    /// <summary>Reads and parses a system-wide file (e.g. "meminfo"). Throws <see cref="IOException"/> with the path on failure.</summary>
    public T Read<T>(string relative) where T : IProcFile<T>
    {
        var path = PathOf(relative);
        int err = Reader.Read(-1, path, DefaultMaxFileBytes, out var content, out _);
        if (err != 0) throw new IOException($"{path}: {new System.ComponentModel.Win32Exception(err).Message}", err);
        return T.Parse(content);
    }

    /// <summary>Like <see cref="Read{T}"/> but returns null when the file does not exist (feature absent, e.g. /proc/pressure).</summary>
    public T? TryRead<T>(string relative) where T : class, IProcFile<T>
    {
        var path = PathOf(relative);
        int err = Reader.Read(-1, path, DefaultMaxFileBytes, out var content, out _);
        if (err == Errno.ENOENT || err == Errno.ENOTDIR || err == Errno.EACCES || err == Errno.EPERM || err == Errno.EINVAL) return null;
        if (err != 0) throw new IOException($"{path}: {new System.ComponentModel.Win32Exception(err).Message}", err);
        return T.Parse(content);
    }

    /// <summary>Reads raw bytes of a system-wide file into a new array; null when it does not exist.</summary>
    public byte[]? TryReadBytes(string relative)
    {
        int err = Reader.Read(-1, PathOf(relative), DefaultMaxFileBytes, out var content, out _);
        return err == 0 ? content.ToArray() : null;
    }

    /// <summary>All process ids currently in /proc (a process may be gone by the time it is read).</summary>
    public int[] ListPids()
    {
        var list = new List<int>(1024);
        int err = DirectoryScanner.ListNumeric(Root, list);
        if (err != 0 && list.Count == 0) throw new IOException($"{Root}: {new System.ComponentModel.Win32Exception(err).Message}", err);
        list.Sort();
        return list.ToArray();
    }

    /// <summary>
    /// Thread ids of a process in the order the kernel lists /proc/[pid]/task: thread-group
    /// (creation) order, which ps shows and which differs from numeric order once ids wrap
    /// around pid_max. Empty when the process is gone.
    /// </summary>
    public int[] ListTids(int pid)
    {
        var list = new List<int>(8);
        DirectoryScanner.ListNumeric($"{Root}/{pid}/task", list);
        return list.ToArray();
    }

    /// <summary>Opens one process for precise reads; identity is pinned by a directory fd (see <see cref="LinuxProcess"/>).</summary>
    /// <exception cref="ProcessNotFoundException">No such process.</exception>
    public LinuxProcess OpenProcess(int pid) => LinuxProcess.Open(this, pid, null);

    /// <summary>Opens one thread of a process (/proc/[pid]/task/[tid]).</summary>
    public LinuxProcess OpenThread(int pid, int tid) => LinuxProcess.Open(this, pid, tid);

    /// <summary>
    /// Page size, clock ticks, boot time and CPU count. For the live /proc these come from
    /// sysconf and /proc/stat; for a fixture tree, from its "procscope-sysinfo" file if present
    /// (written by the capture tool), else from this machine's sysconf.
    /// </summary>
    public SystemInfo GetSystemInfo()
    {
        long page = LibC.sysconf(LibC._SC_PAGESIZE);
        long hz = LibC.sysconf(LibC._SC_CLK_TCK);
        int cpus = (int)LibC.sysconf(LibC._SC_NPROCESSORS_ONLN);
        if (!IsLive && TryReadBytes("procscope-sysinfo") is { } info)
        {
            var r = new SpanReader(info, "procscope-sysinfo");
            while (!r.AtEnd)
            {
                var key = r.NextField();
                if (key.IsEmpty) { r.SkipLine(); continue; }
                long v = r.NextInt64();
                if (key.SequenceEqual("page_size"u8)) page = v;
                else if (key.SequenceEqual("clock_ticks"u8)) hz = v;
                else if (key.SequenceEqual("cpus"u8)) cpus = (int)v;
                r.SkipLine();
            }
        }
        var stat = Read<KernelStat>("stat");
        return new SystemInfo(page, hz, (long)stat.BootTimeUnixSeconds, cpus);
    }
}
