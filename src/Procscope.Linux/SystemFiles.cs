namespace Procscope.Linux;

/// <summary>
/// System files outside /proc that the classic commands read: the utmp login records (uptime's
/// user count) and /sys/block (vmstat -d tells disks from partitions by it). For a fixture tree
/// (a <see cref="ProcFs"/> whose root is not /proc) each comes from a file in the tree's root
/// instead, so captured machines replay whole: "procscope-utmp" (a copy of the utmp file) and
/// "procscope-sysblock" (the names in /sys/block, one a line).
/// </summary>
public static class SystemFiles
{
    /// <summary>_PATH_UTMP of glibc, where login(1), sshd and systemd-logind's utmp support write.</summary>
    public const string UtmpPath = "/var/run/utmp";

    /// <summary>The raw utmp records; null when the file does not exist (no login has been recorded).</summary>
    public static byte[]? TryReadUtmp(ProcFs procFs)
    {
        if (!procFs.IsLive) return procFs.TryReadBytes("procscope-utmp");
        int err = ProcFs.Reader.Read(-1, UtmpPath, 16 * 1024 * 1024, out var content, out _);
        return err == 0 ? content.ToArray() : null;
    }

    /// <summary>
    /// Names of whole disks: the entries of /sys/block. Null when /sys/block cannot be read, in
    /// which case procps (library/diskstats.c, node_classify) counts every device as a disk.
    /// </summary>
    public static IReadOnlySet<string>? TryListBlockDisks(ProcFs procFs)
    {
        if (!procFs.IsLive)
        {
            var bytes = procFs.TryReadBytes("procscope-sysblock");
            if (bytes is null) return null;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in System.Text.Encoding.UTF8.GetString(bytes).Split('\n'))
                if (line.Trim() is { Length: > 0 } name) names.Add(name);
            return names;
        }
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in Directory.EnumerateFileSystemEntries("/sys/block"))
                names.Add(Path.GetFileName(entry));
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
