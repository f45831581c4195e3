using System.Runtime.InteropServices;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Spawning;

/// <summary>
/// A cgroup created for one command run and removed afterwards, so the kernel's own peak counter
/// measures the memory of the whole process tree: cgroup v2 <c>memory.peak</c> (since Linux 5.19)
/// or, on a v1 memory hierarchy, <c>memory.max_usage_in_bytes</c>. It is created below the cgroup
/// this process is in (so limits set above still apply) and is named procscope-time-PID.
/// </summary>
/// <remarks>
/// <para>Getting the child in before it runs a single instruction of the command: with v1 (and
/// v2 without clone3's CLONE_INTO_CGROUP) we move ourselves into the new cgroup, spawn the child
/// (it inherits the cgroup at fork), and move back. Re-executing a helper that joins the cgroup
/// and then execs the command would be simpler but wrong: ru_maxrss and the fault counts survive
/// exec, so the helper's own start-up would be billed to the command.</para>
/// <para>The peak counts what the memory controller charges: anonymous memory, page cache and
/// kernel memory of the tree. It is not a sum of RSS: a tree that reads a big file has a high peak
/// from its page cache.</para>
/// </remarks>
public sealed class TransientCgroup : IDisposable
{
    private readonly string _parent;
    private bool _removed;

    private TransientCgroup(string parent, string path, int version)
    {
        _parent = parent;
        Path = path;
        Version = version;
    }

    /// <summary>The directory of the cgroup.</summary>
    public string Path { get; }

    /// <summary>1 or 2.</summary>
    public int Version { get; }

    /// <summary>The name of the peak counter file this cgroup uses.</summary>
    public string PeakFile => Version == 2 ? "memory.peak" : "memory.max_usage_in_bytes";

    /// <summary>
    /// Creates a transient cgroup with a memory peak counter below this process's own cgroup.
    /// Returns null with a reason (no write access, no memory controller, a kernel before 5.19 on v2).
    /// </summary>
    public static TransientCgroup? TryCreate(out string reason)
    {
        reason = "no cgroup memory controller found";
        var self = ReadText("/proc/self/cgroup");
        var mounts = ReadText("/proc/self/mountinfo");
        if (self is null || mounts is null) return null;
        string name = $"procscope-time-{Environment.ProcessId}";
        string? v2Path = null, v1Path = null;
        foreach (var line in self.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-ID:controller-list:cgroup-path (cgroups(7))
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            if (parts[0] == "0" && parts[1].Length == 0) v2Path = parts[2];
            else if (parts[1].Split(',').Contains("memory")) v1Path = parts[2];
        }
        var candidates = new List<(string dir, int version)>();
        if (v2Path is not null && FindMount(mounts, "cgroup2", null, v2Path) is { } v2) candidates.Add((v2, 2));
        if (v1Path is not null && FindMount(mounts, "cgroup", "memory", v1Path) is { } v1) candidates.Add((v1, 1));
        foreach (var (dir, version) in candidates)
        {
            // v2: a child has memory.peak only when the parent delegates the memory controller.
            if (version == 2 && !(ReadText(dir + "/cgroup.subtree_control") ?? "").Split(' ', '\n').Contains("memory"))
            {
                reason = $"the memory controller is not enabled in {dir}/cgroup.subtree_control";
                continue;
            }
            string path = dir + "/" + name;
            int err = MakeDirectory(path);
            if (err == 17) { RemoveDirectory(path); err = MakeDirectory(path); } // EEXIST: left over from a crashed run with our pid
            if (err != 0)
            {
                reason = $"cannot create a cgroup in {dir}: {Marshal.GetPInvokeErrorMessage(err)}";
                continue;
            }
            var cg = new TransientCgroup(dir, path, version);
            if (File.Exists(path + "/" + cg.PeakFile)) return cg;
            reason = version == 2 ? $"the memory controller is not enabled for {dir} (or the kernel predates memory.peak, Linux 5.19)" : "no memory.max_usage_in_bytes";
            cg.Dispose();
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="spawn"/> with this process temporarily inside the cgroup, so the child
    /// it starts is born there. Returns what spawn returned.
    /// </summary>
    public T SpawnInside<T>(Func<T> spawn)
    {
        int err = WritePid(Path + "/cgroup.procs", Environment.ProcessId);
        if (err != 0) throw new IOException($"cannot join {Path}: {Marshal.GetPInvokeErrorMessage(err)}", err);
        try
        {
            return spawn();
        }
        finally
        {
            WritePid(_parent + "/cgroup.procs", Environment.ProcessId);
        }
    }

    /// <summary>The peak memory charged to the cgroup since it was created, in bytes.</summary>
    public long? ReadPeakBytes()
    {
        var text = ReadText(Path + "/" + PeakFile);
        return text is not null && long.TryParse(text.Trim(), out long v) ? v : null;
    }

    /// <summary>A flat key/value file of the cgroup (v2 cpu.stat, memory.stat), or null.</summary>
    public Dictionary<string, long>? ReadKeyValues(string file)
    {
        var text = ReadText(Path + "/" + file);
        if (text is null) return null;
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int sp = line.IndexOf(' ');
            if (sp > 0 && long.TryParse(line.AsSpan(sp + 1), out long v)) d[line[..sp]] = v;
        }
        return d;
    }

    /// <summary>
    /// Removes the cgroup. Processes still in it (daemons the command left behind) are moved to
    /// the parent first, since a cgroup with members cannot be removed.
    /// </summary>
    public void Dispose()
    {
        if (_removed) return;
        _removed = true;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            if (RemoveDirectory(Path) is 0 or 2) return;
            var procs = ReadText(Path + "/cgroup.procs");
            if (procs is not null)
                foreach (var p in procs.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(p, out int pid)) WritePid(_parent + "/cgroup.procs", pid);
            Thread.Sleep(2);
        }
    }

    /// <summary>The directory of <paramref name="cgroupPath"/> in a mounted hierarchy (mountinfo: proc(5)).</summary>
    private static string? FindMount(string mountinfo, string fsType, string? controller, string cgroupPath)
    {
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var left = line[..dash].Split(' ');
            var right = line[(dash + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3 || right[0] != fsType) continue;
            if (controller is not null && !right[2].Split(',').Contains(controller)) continue;
            string root = Unescape(left[3]), mountPoint = Unescape(left[4]);
            string rel;
            if (root == "/") rel = cgroupPath;
            else if (cgroupPath == root || cgroupPath.StartsWith(root + "/", StringComparison.Ordinal)) rel = cgroupPath[root.Length..];
            else continue;
            return (mountPoint.TrimEnd('/') + rel).TrimEnd('/');
        }
        return null;
    }

    private static string Unescape(string s) => Encoding.UTF8.GetString(Core.Parsing.OctalEscape.Unescape(Encoding.UTF8.GetBytes(s)));

    private static string? ReadText(string path)
    {
        var r = ProcFs.Reader;
        return r.Read(-1, path, 1 << 20, out var content, out _) == 0 ? Encoding.UTF8.GetString(content) : null;
    }

    private static unsafe int MakeDirectory(string path)
    {
        var b = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = b) return LibC.mkdir(p, 0x1ed /* 0755 */) == 0 ? 0 : Marshal.GetLastSystemError();
    }

    private static unsafe int RemoveDirectory(string path)
    {
        var b = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = b) return LibC.rmdir(p) == 0 ? 0 : Marshal.GetLastSystemError();
    }

    private static unsafe int WritePid(string file, int pid)
    {
        var b = Encoding.UTF8.GetBytes(file + "\0");
        var text = Encoding.ASCII.GetBytes(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int fd;
        fixed (byte* p = b) fd = LibC.open(p, LibC.O_WRONLY | LibC.O_CLOEXEC);
        if (fd < 0) return Marshal.GetLastSystemError();
        int err = 0;
        fixed (byte* t = text)
            if (LibC.write(fd, t, text.Length) < 0) err = Marshal.GetLastSystemError();
        LibC.close(fd);
        return err;
    }
}
