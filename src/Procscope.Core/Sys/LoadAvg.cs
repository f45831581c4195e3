using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// /proc/loadavg, see proc_loadavg(5): <c>0.25 0.27 0.11 1/82 3140</c>.
/// </summary>
/// <param name="Load1">Load average over 1 minute (runnable plus uninterruptible tasks).</param>
/// <param name="Load5">Load average over 5 minutes.</param>
/// <param name="Load15">Load average over 15 minutes.</param>
/// <param name="RunnableEntities">Currently runnable kernel scheduling entities (threads), before the slash.</param>
/// <param name="TotalEntities">Kernel scheduling entities that currently exist, after the slash.</param>
/// <param name="LastPid">PID of the most recently created process (or thread) on the system.</param>
public sealed record LoadAvg(double Load1, double Load5, double Load15, int RunnableEntities, int TotalEntities, int LastPid)
    : IProcFile<LoadAvg>
{
    private const string FileName = "/proc/loadavg";

    public static LoadAvg Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, FileName);
        double l1 = r.NextDouble(), l5 = r.NextDouble(), l15 = r.NextDouble();
        r.SkipBlanks();
        int at = r.Position;
        var entities = r.NextField();
        int slash = entities.IndexOf((byte)'/');
        if (slash < 0
            || !Bytes.TryInt32(entities[..slash], out int runnable)
            || !Bytes.TryInt32(entities[(slash + 1)..], out int total))
            throw r.FailAt(at, "expected runnable/total");
        return new LoadAvg(l1, l5, l15, runnable, total, r.NextInt32());
    }
}
