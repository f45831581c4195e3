namespace Procscope.Linux;

/// <summary>
/// What /sys/block says about the devices of /proc/diskstats, for iostat: which names are whole
/// disks, which partitions belong to a disk (the subdirectories of /sys/block/DISK named in
/// diskstats), and device-mapper names (/sys/block/dm-N/dm/name, what iostat -N shows). For a
/// fixture tree (<see cref="ProcFs.IsLive"/> false) disks come from "procscope-sysblock" (see
/// <see cref="SystemFiles"/>), a partition is a non-disk whose name starts with its disk's, and
/// there are no mapper names.
/// </summary>
public sealed class BlockDevices
{
    private readonly ProcFs _procFs;
    private readonly IReadOnlySet<string>? _disks;
    private readonly Dictionary<string, string?> _mapperNames = new(StringComparer.Ordinal);

    private BlockDevices(ProcFs procFs, IReadOnlySet<string>? disks)
    {
        _procFs = procFs;
        _disks = disks;
    }

    /// <summary>Lists /sys/block once; call again to see devices added since.</summary>
    public static BlockDevices Read(ProcFs procFs) => new(procFs, SystemFiles.TryListBlockDisks(procFs));

    /// <summary>True for a whole disk; when /sys/block is unreadable every device counts as one.</summary>
    public bool IsDisk(string name) => _disks is null || _disks.Contains(name);

    /// <summary>True when <paramref name="name"/> is a partition of <paramref name="disk"/>.</summary>
    public bool IsPartitionOf(string name, string disk)
    {
        if (IsDisk(name) || !name.StartsWith(disk, StringComparison.Ordinal) || name.Length == disk.Length) return false;
        if (!_procFs.IsLive || name.Contains('/') || disk.Contains('/')) return !_procFs.IsLive;
        return Directory.Exists($"/sys/block/{disk}/{name}");
    }

    /// <summary>The device-mapper name of dm-N ("vg0-root"), or null for other devices.</summary>
    public string? MapperName(string name)
    {
        if (!_procFs.IsLive || !name.StartsWith("dm-", StringComparison.Ordinal) || name.Contains('/')) return null;
        if (_mapperNames.TryGetValue(name, out var cached)) return cached;
        string? mapped = null;
        try
        {
            mapped = File.ReadAllText($"/sys/block/{name}/dm/name").Trim();
            if (mapped.Length == 0) mapped = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a mapper device any more, or sysfs hidden: keep the kernel name.
        }
        _mapperNames[name] = mapped;
        return mapped;
    }
}
