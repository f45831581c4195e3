using System.Text;
using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>One row of /proc/[pid]/limits.</summary>
/// <param name="Name">The kernel's label, e.g. "Max open files" (see the constants on <see cref="ProcessLimits"/>).</param>
/// <param name="Soft">The soft limit; null means unlimited (RLIM_INFINITY).</param>
/// <param name="Hard">The hard limit; null means unlimited.</param>
/// <param name="Units">"seconds", "bytes", "processes", "files", "locks", "signals", "us", or null when the kernel prints none (nice and realtime priority).</param>
public sealed record ProcessLimit(string Name, ulong? Soft, ulong? Hard, string? Units);

/// <summary>
/// /proc/[pid]/limits, see proc_pid_limits(5) and getrlimit(2). Since Linux 2.6.24.
/// </summary>
/// <remarks>
/// The kernel prints a fixed-width table ("%-25s %-20s %-20s %-10s", fs/proc/base.c), but the
/// widths are not relied upon: labels contain spaces and values do not, so a row is the label up to
/// the first numeric or "unlimited" field, then soft, hard and an optional unit.
/// </remarks>
public sealed record ProcessLimits(IReadOnlyList<ProcessLimit> Limits) : IProcFile<ProcessLimits>
{
    private const string FileName = "/proc/[pid]/limits";

    public const string MaxCpuTime = "Max cpu time";
    public const string MaxFileSize = "Max file size";
    public const string MaxDataSize = "Max data size";
    public const string MaxStackSize = "Max stack size";
    public const string MaxCoreFileSize = "Max core file size";
    public const string MaxResidentSet = "Max resident set";
    public const string MaxProcesses = "Max processes";
    public const string MaxOpenFiles = "Max open files";
    public const string MaxLockedMemory = "Max locked memory";
    public const string MaxAddressSpace = "Max address space";
    public const string MaxFileLocks = "Max file locks";
    public const string MaxPendingSignals = "Max pending signals";
    public const string MaxMsgqueueSize = "Max msgqueue size";
    public const string MaxNicePriority = "Max nice priority";
    public const string MaxRealtimePriority = "Max realtime priority";
    public const string MaxRealtimeTimeout = "Max realtime timeout";

    // Known labels and units are returned as these instances instead of fresh strings.
    private static readonly string[] KnownNames =
    [
        MaxCpuTime, MaxFileSize, MaxDataSize, MaxStackSize, MaxCoreFileSize, MaxResidentSet, MaxProcesses,
        MaxOpenFiles, MaxLockedMemory, MaxAddressSpace, MaxFileLocks, MaxPendingSignals, MaxMsgqueueSize,
        MaxNicePriority, MaxRealtimePriority, MaxRealtimeTimeout,
    ];
    private static readonly string[] KnownUnits = ["seconds", "bytes", "processes", "files", "locks", "signals", "us"];

    /// <summary>The row with this label (ordinal comparison), or null if this kernel has none.</summary>
    public ProcessLimit? Find(string name)
    {
        foreach (var l in Limits)
            if (string.Equals(l.Name, name, StringComparison.Ordinal)) return l;
        return null;
    }

    public static ProcessLimits Parse(ReadOnlySpan<byte> content)
    {
        int pos = content.IndexOf((byte)'\n');
        pos = pos < 0 ? content.Length : pos + 1;
        var header = Bytes.Trim(content[..pos]);
        if (!header.StartsWith("Limit"u8) || (header.Length > 5 && header[5] != (byte)' '))
            throw ProcFormatException.At(FileName, content, 0, "expected the \"Limit\" header");
        var limits = new List<ProcessLimit>(KnownNames.Length);
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            if (end > pos) limits.Add(ParseRow(content, pos, end));
            pos = end + 1;
        }
        return new ProcessLimits(limits);
    }

    private static ProcessLimit ParseRow(ReadOnlySpan<byte> content, int start, int end)
    {
        var line = content[start..end];
        int i = 0;
        int nameEnd = 0;
        ulong? soft = null, hard = null;
        bool haveSoft = false, haveHard = false;
        string? units = null;
        while (NextField(line, ref i, out int fs, out int fe))
        {
            var f = line[fs..fe];
            if (!haveSoft)
            {
                if (TryLimit(f, out soft)) haveSoft = true;
                else nameEnd = fe;
            }
            else if (!haveHard)
            {
                if (!TryLimit(f, out hard)) throw ProcFormatException.At(FileName, content, start + fs, "expected a hard limit");
                haveHard = true;
            }
            else if (units is null)
            {
                units = Intern(f, KnownUnits);
            }
            else throw ProcFormatException.At(FileName, content, start + fs, "unexpected field after units");
        }
        if (nameEnd == 0 || !haveHard) throw ProcFormatException.At(FileName, content, start, "expected \"<name> <soft> <hard> [units]\"");
        return new ProcessLimit(Intern(line[..nameEnd], KnownNames), soft, hard, units);
    }

    private static bool TryLimit(ReadOnlySpan<byte> f, out ulong? value)
    {
        if (f.SequenceEqual("unlimited"u8))
        {
            value = null;
            return true;
        }
        if (Bytes.TryUInt64(f, out ulong v))
        {
            value = v;
            return true;
        }
        value = null;
        return false;
    }

    private static bool NextField(ReadOnlySpan<byte> v, ref int i, out int start, out int end)
    {
        while (i < v.Length && (v[i] == (byte)' ' || v[i] == (byte)'\t')) i++;
        start = i;
        while (i < v.Length && v[i] != (byte)' ' && v[i] != (byte)'\t') i++;
        end = i;
        return end > start;
    }

    private static string Intern(ReadOnlySpan<byte> s, string[] known)
    {
        foreach (var k in known)
            if (Ascii.Equals(s, k)) return k;
        return Encoding.UTF8.GetString(s);
    }
}
