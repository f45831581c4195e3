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
}
