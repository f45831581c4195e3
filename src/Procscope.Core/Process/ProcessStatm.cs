using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>/proc/[pid]/statm, see proc_pid_statm(5). All values are in pages.</summary>
public sealed record ProcessStatm(ulong SizePages, ulong ResidentPages, ulong SharedPages, ulong TextPages, ulong LibPages, ulong DataPages, ulong DtPages)
    : IProcFile<ProcessStatm>
{
    public static ProcessStatm Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, "/proc/[pid]/statm");
        return new ProcessStatm(r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64());
    }

    /// <summary>
    /// Resident and shared pages (top's RES and SHR) without allocating, for refresh loops; the
    /// whole line is still checked as <see cref="Parse"/> checks it.
    /// </summary>
    public static (ulong ResidentPages, ulong SharedPages) ParseResidentShared(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, "/proc/[pid]/statm");
        r.NextUInt64();
        ulong resident = r.NextUInt64(), shared = r.NextUInt64();
        r.NextUInt64();
        r.NextUInt64();
        r.NextUInt64();
        r.NextUInt64();
        return (resident, shared);
    }
}
