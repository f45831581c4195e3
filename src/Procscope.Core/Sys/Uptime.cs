using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>/proc/uptime, see proc_uptime(5): <c>517.88 960.31</c>.</summary>
/// <param name="UptimeSeconds">Seconds since boot, including time spent in suspend (CLOCK_BOOTTIME).</param>
/// <param name="IdleSeconds">Seconds all CPUs have spent idle, summed over CPUs (so it can exceed <paramref name="UptimeSeconds"/>).</param>
public sealed record Uptime(double UptimeSeconds, double IdleSeconds) : IProcFile<Uptime>
{
    public static Uptime Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, "/proc/uptime");
        return new Uptime(r.NextDouble(), r.NextDouble());
    }
}
