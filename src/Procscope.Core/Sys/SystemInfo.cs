namespace Procscope.Core.Sys;

/// <summary>
/// The constants needed to turn raw kernel units into seconds and bytes. Passed explicitly (never
/// read from a global) so that a capture from another machine converts with that machine's values.
/// </summary>
/// <param name="PageSizeBytes">sysconf(_SC_PAGESIZE).</param>
/// <param name="TicksPerSecond">sysconf(_SC_CLK_TCK) (USER_HZ), never CONFIG_HZ.</param>
/// <param name="BootTimeUnixSeconds">btime from /proc/stat.</param>
/// <param name="CpuCount">Number of online CPUs.</param>
public sealed record SystemInfo(long PageSizeBytes, long TicksPerSecond, long BootTimeUnixSeconds, int CpuCount)
{
    public double TicksToSeconds(ulong ticks) => (double)ticks / TicksPerSecond;
    public long PagesToBytes(ulong pages) => (long)pages * PageSizeBytes;
}
