using System.Text;
using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// One line of /proc/[pid]/cgroup: "hierarchy-ID:controller-list:cgroup-path", see cgroups(7).
/// </summary>
/// <param name="HierarchyId">The v1 hierarchy ID (matches /proc/cgroups), or 0 for the unified (v2) hierarchy.</param>
/// <param name="Controllers">
/// The controllers bound to a v1 hierarchy, e.g. ["cpu", "cpuacct"] or ["name=systemd"] for a named
/// hierarchy; empty for v2.
/// </param>
/// <param name="Path">
/// The cgroup path relative to the hierarchy root (as seen from the reader's cgroup namespace).
/// Raw bytes: it may contain spaces, ':' and any byte but a newline; a removed v2 cgroup is shown
/// with " (deleted)" appended by the kernel.
/// </param>
public sealed record ProcessCgroupEntry(int HierarchyId, string[] Controllers, byte[] Path);

/// <summary>/proc/[pid]/cgroup, see cgroups(7). Since Linux 2.6.24.</summary>
public sealed record ProcessCgroup(IReadOnlyList<ProcessCgroupEntry> Entries) : IProcFile<ProcessCgroup>
{
    private const string FileName = "/proc/[pid]/cgroup";

    /// <summary>The path of the "0::" entry (cgroup v2, unified hierarchy), or null on a pure v1 system.</summary>
    public byte[]? UnifiedPath
    {
        get
        {
            foreach (var e in Entries)
                if (e.HierarchyId == 0 && e.Controllers.Length == 0) return e.Path;
            return null;
        }
    }

    public static ProcessCgroup Parse(ReadOnlySpan<byte> content)
    {
        var entries = new List<ProcessCgroupEntry>(content.Count((byte)'\n') + 1);
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var line = content[pos..end];
            if (!line.IsEmpty)
            {
                // Split on the first two colons only: the path may contain more.
                int c1 = line.IndexOf((byte)':');
                int c2 = c1 < 0 ? -1 : line[(c1 + 1)..].IndexOf((byte)':');
                if (c2 < 0) throw ProcFormatException.At(FileName, content, pos, "expected \"id:controllers:path\"");
                c2 += c1 + 1;
                if (!Bytes.TryInt32(line[..c1], out int id) || id < 0)
                    throw ProcFormatException.At(FileName, content, pos, "bad hierarchy ID");
                entries.Add(new ProcessCgroupEntry(id, SplitControllers(line[(c1 + 1)..c2]), line[(c2 + 1)..].ToArray()));
            }
            pos = end + 1;
        }
        return new ProcessCgroup(entries);
    }

    private static string[] SplitControllers(ReadOnlySpan<byte> list)
    {
        if (list.IsEmpty) return [];
        var result = new string[list.Count((byte)',') + 1];
        for (int i = 0; i < result.Length; i++)
        {
            int comma = list.IndexOf((byte)',');
            var name = comma < 0 ? list : list[..comma];
            // Controller names are kernel-defined; "name=" hierarchies are chosen by whoever mounted
            // them, so decode leniently rather than trusting them to be ASCII.
            result[i] = Encoding.UTF8.GetString(name);
            list = comma < 0 ? default : list[(comma + 1)..];
        }
        return result;
    }
}
