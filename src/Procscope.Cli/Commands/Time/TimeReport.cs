using Procscope.Core.Process;
using Procscope.Linux.Spawning;

namespace Procscope.Cli.Commands.Time;

/// <summary>Everything measured for one run of a command.</summary>
public sealed record TimeReport
{
    public required IReadOnlyList<string> Command { get; init; }
    public required WaitStatus Status { get; init; }
    public required ResourceUsage Usage { get; init; }
    public required long ElapsedMicroseconds { get; init; }
    public required long PageSizeBytes { get; init; }
    /// <summary>Set when the command could not be started (the report then shows what GNU time shows for its failed child: nothing used).</summary>
    public string? SpawnError { get; init; }

    // Beyond GNU time (only measured for -v, --json and --tree).
    public long? TreePeakBytes { get; init; }
    /// <summary>"cgroup" or "sampled".</summary>
    public string? TreePeakSource { get; init; }
    /// <summary>The counter read when the source is a cgroup, e.g. "memory.peak" or "memory.max_usage_in_bytes".</summary>
    public string? TreePeakCounter { get; init; }
    public long? SampledTreePeakBytes { get; init; }
    public ulong? CpuWaitNs { get; init; }
    public int Samples { get; init; }
    public double SampleIntervalSeconds { get; init; }
    public string? CgroupUnavailableReason { get; init; }
    public IReadOnlyList<SampledProcess>? Processes { get; init; }
    /// <summary>"sampled" or "events+sampled" (netlink process events as root).</summary>
    public string ProcessesSource { get; init; } = "sampled";
    public string? EventsUnavailableReason { get; init; }
    public int RootPid { get; init; }
    public long TicksPerSecond { get; init; } = 100;

    public bool Extended => TreePeakSource is not null;
}
