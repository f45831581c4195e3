using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Processes;

/// <summary>
/// One process (or thread) opened for precise reads. Its identity is pinned by a file
/// descriptor on its /proc directory: if the pid is reused after the process exits, reads fail
/// with <see cref="ProcessNotFoundException"/> instead of returning the new process's data.
/// </summary>
public sealed class LinuxProcess : IDisposable
{
    private readonly SafeFd? _dir;
    private readonly string _prefix;
    private string? _lastName;

    private LinuxProcess(ProcFs fs, int pid, int? tid, SafeFd? dir)
    {
        FileSystem = fs;
        Pid = pid;
        Tid = tid;
        _dir = dir;
        _prefix = tid is null ? $"{fs.Root}/{pid}/" : $"{fs.Root}/{pid}/task/{tid}/";
    }

    /// <summary>
    /// A task read by path, without a pinning descriptor: two system calls fewer per task, for
    /// enumerations that read each task once and tolerate a pid reused mid-scan (a snapshot).
    /// </summary>
    internal static LinuxProcess OpenUnpinned(ProcFs fs, int pid, int? tid) => new(fs, pid, tid, null);

    public ProcFs FileSystem { get; }
    public int Pid { get; }
    /// <summary>Set when this is a thread (/proc/[pid]/task/[tid]).</summary>
    public int? Tid { get; }

    internal static LinuxProcess Open(ProcFs fs, int pid, int? tid)
    {
        var path = tid is null ? $"{fs.Root}/{pid}" : $"{fs.Root}/{pid}/task/{tid}";
        int err = SafeFd.OpenDirectory(path, out var fd);
        if (err != 0 || fd is null)
        {
            if (ErrnoMap.ToStatus(err) == ReadStatus.Denied) throw new ProcessAccessDeniedException(pid, path);
            throw new ProcessNotFoundException(pid);
        }
        return new LinuxProcess(fs, pid, tid, fd);
    }

    /// <summary>Reads and parses one file of this process, e.g. Read&lt;ProcessStat&gt;("stat").</summary>
    public T Read<T>(string file) where T : IProcFile<T>
    {
        var status = TryReadRaw(file, out var content);
        if (status != ReadStatus.Ok) throw ToException(status, file);
        var value = T.Parse(content);
        if (value is ProcessStat st) _lastName = TextSanitizer.ForTerminal(st.CommBytes);
        return value;
    }

    /// <summary>Reads one file; returns its status instead of throwing. The value is null unless Ok.</summary>
    public ReadStatus TryRead<T>(string file, out T? value) where T : class, IProcFile<T>
    {
        value = null;
        var status = TryReadRaw(file, out var content);
        if (status == ReadStatus.Ok) value = T.Parse(content);
        return status;
    }

    /// <summary>Raw bytes of a file of this process (valid until the next read on this thread).</summary>
    public ReadStatus TryReadRaw(string file, out ReadOnlySpan<byte> content, int maxBytes = ProcFs.DefaultMaxFileBytes)
    {
        bool onePiece = OnePieceFiles.Contains(file);
        if (_dir is null)
        {
            int e = ProcFs.Reader.Read(_prefix, file, maxBytes, out content, out _, onePiece);
            return e == 0 ? ReadStatus.Ok : Classify(e);
        }
        bool added = false;
        _dir.DangerousAddRef(ref added);
        try
        {
            int err = ProcFs.Reader.Read(_dir.Fd, file, maxBytes, out content, out _, onePiece);
            if (err == 0) return ReadStatus.Ok;
            return Classify(err);
        }
        finally
        {
            if (added) _dir.DangerousRelease();
        }
    }

    /// <summary>readlink of exe, cwd, root or fd/N; null target when the link is empty (kernel threads).</summary>
    public ReadStatus TryReadLink(string link, out byte[]? target)
    {
        target = null;
        if (_dir is null)
        {
            int e = ProcFs.Reader.ReadLink(-1, _prefix + link, out var lt);
            if (e != 0) return Classify(e);
            target = lt;
            return ReadStatus.Ok;
        }
        bool added = false;
        _dir.DangerousAddRef(ref added);
        try
        {
            int err = ProcFs.Reader.ReadLink(_dir.Fd, link, out var t);
            if (err == 0)
            {
                target = t;
                return ReadStatus.Ok;
            }
            // Kernel threads have no exe/cwd: readlink gives ENOENT while the process lives.
            return Classify(err);
        }
        finally
        {
            if (added) _dir.DangerousRelease();
        }
    }

    /// <summary>Number of open file descriptors (entries of fd/); Denied for other users' processes unless root.</summary>
    public ReadStatus TryCountFds(out int count)
    {
        int err = DirectoryScanner.Count(_prefix + "fd", out count);
        return err == 0 ? ReadStatus.Ok : Classify(err);
    }

    private ReadStatus Classify(int err)
    {
        var status = ErrnoMap.ToStatus(err);
        // ENOENT on one file of a live process means "not supported here"; ESRCH is also what
        // smaps_rollup of a kernel thread or zombie gives. Only a failed re-check means "gone".
        if (status == ReadStatus.Gone && (err == Errno.ENOENT || err == Errno.ESRCH) && IsAlive()) return ReadStatus.Missing;
        return status;
    }

    /// <summary>ENOENT on one file inside a live /proc/[pid] means "not supported": re-check the directory (CONVENTIONS §4).</summary>
    private bool IsAlive()
    {
        int err = _dir is null
            ? ProcFs.Reader.Read(_prefix, "stat", 4096, out _, out _, true)
            : ProcFs.Reader.Read(_dir.Fd, "stat", 4096, out _, out _, true);
        return err == 0;
    }

    private Exception ToException(ReadStatus status, string file) => status switch
    {
        ReadStatus.Denied => new ProcessAccessDeniedException(Pid, file, _lastName),
        ReadStatus.Missing => new ProcessFileNotSupportedException(Pid, file, _lastName),
        _ => new ProcessNotFoundException(Pid, _lastName),
    };

    /// <summary>
    /// Per-task files the kernel generates in one piece (single_open seq_files, or the cmdline and
    /// environ readers): a short read is their end. maps, smaps, mountinfo and the like are
    /// multi-record and are read until read(2) returns 0.
    /// </summary>
    private static readonly HashSet<string> OnePieceFiles =
    [
        "stat", "status", "statm", "cmdline", "comm", "io", "schedstat", "cgroup", "limits", "smaps_rollup",
        "wchan", "oom_score", "oom_score_adj", "attr/current", "environ", "loginuid", "personality",
    ];

    // Typed conveniences for the files every caller needs.
    public ProcessStat Stat() => Read<ProcessStat>("stat");
    public ProcessStatus Status() => Read<ProcessStatus>("status");
    public ProcessStatm Statm() => Read<ProcessStatm>("statm");
    public ProcessCmdline Cmdline() => Read<ProcessCmdline>("cmdline");
    public ProcessComm Comm() => Read<ProcessComm>("comm");
    public ProcessIo Io() => Read<ProcessIo>("io");
    public ProcessSchedstat Schedstat() => Read<ProcessSchedstat>("schedstat");
    public ProcessCgroup Cgroup() => Read<ProcessCgroup>("cgroup");
    public ProcessLimits Limits() => Read<ProcessLimits>("limits");
    public ProcessSmapsRollup SmapsRollup() => Read<ProcessSmapsRollup>("smaps_rollup");

    /// <summary>The executable path (raw bytes; may end in " (deleted)"); null for kernel threads.</summary>
    public byte[]? Exe() => Link("exe");
    /// <summary>The working directory (raw bytes); null for kernel threads.</summary>
    public byte[]? Cwd() => Link("cwd");

    private byte[]? Link(string name)
    {
        var s = TryReadLink(name, out var t);
        return s switch
        {
            ReadStatus.Ok => t,
            ReadStatus.Missing => null,
            _ => throw ToException(s, name),
        };
    }

    public int FdCount()
    {
        var s = TryCountFds(out int n);
        if (s != ReadStatus.Ok) throw ToException(s, "fd");
        return n;
    }

    public void Dispose() => _dir?.Dispose();
}
