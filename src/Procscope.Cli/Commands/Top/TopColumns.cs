using System.Globalization;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Top;

/// <summary>The columns of the process table. The first twelve are top's defaults, in top's order.</summary>
public enum TopField
{
    Pid, User, Pr, Ni, Virt, Res, Shr, S, Cpu, Mem, Time, Command,
    PPid, Threads, Processor, MinFlt, MajFlt, Swap, Uss, Pss, ReadBps, WriteBps, ReadOps, WriteOps, VolCtx, InvCtx, RunWait, Cgroup, Oom,
}

/// <summary>A column: header, width, alignment, what it needs read, how it sorts and formats.</summary>
public sealed record TopColumn(TopField Field, string Header, int Width, bool Right, ProcessFields Needs, string JsonKey)
{
    public static readonly TopColumn[] All =
    [
        new(TopField.Pid, "PID", 5, true, ProcessFields.None, "pid"),
        new(TopField.User, "USER", 8, false, ProcessFields.None, "user"),
        new(TopField.Pr, "PR", 3, true, ProcessFields.None, "priority"),
        new(TopField.Ni, "NI", 3, true, ProcessFields.None, "nice"),
        new(TopField.Virt, "VIRT", 7, true, ProcessFields.None, "virt_bytes"),
        new(TopField.Res, "RES", 6, true, ProcessFields.Statm, "res_bytes"),
        new(TopField.Shr, "SHR", 6, true, ProcessFields.Statm, "shr_bytes"),
        new(TopField.S, "S", 1, false, ProcessFields.None, "state"),
        new(TopField.Cpu, "%CPU", 5, true, ProcessFields.None, "cpu_percent"),
        new(TopField.Mem, "%MEM", 5, true, ProcessFields.Statm, "mem_percent"),
        new(TopField.Time, "TIME+", 9, true, ProcessFields.None, "time_seconds"),
        new(TopField.Command, "COMMAND", 0, false, ProcessFields.None, "command"),
        new(TopField.PPid, "PPID", 5, true, ProcessFields.None, "ppid"),
        new(TopField.Threads, "nTH", 4, true, ProcessFields.None, "threads"),
        new(TopField.Processor, "P", 2, true, ProcessFields.None, "processor"),
        new(TopField.MinFlt, "nMin/s", 7, true, ProcessFields.None, "minor_faults_per_second"),
        new(TopField.MajFlt, "nMaj/s", 7, true, ProcessFields.None, "major_faults_per_second"),
        new(TopField.Swap, "SWAP", 6, true, ProcessFields.Status, "swap_bytes"),
        new(TopField.Uss, "USS", 6, true, ProcessFields.SmapsRollup, "uss_bytes"),
        new(TopField.Pss, "PSS", 6, true, ProcessFields.SmapsRollup, "pss_bytes"),
        new(TopField.ReadBps, "RD/s", 6, true, ProcessFields.Io, "read_bytes_per_second"),
        new(TopField.WriteBps, "WR/s", 6, true, ProcessFields.Io, "write_bytes_per_second"),
        new(TopField.ReadOps, "RDOP/s", 6, true, ProcessFields.Io, "read_ops_per_second"),
        new(TopField.WriteOps, "WROP/s", 6, true, ProcessFields.Io, "write_ops_per_second"),
        new(TopField.VolCtx, "vCSW/s", 7, true, ProcessFields.Status, "voluntary_switches_per_second"),
        new(TopField.InvCtx, "nCSW/s", 7, true, ProcessFields.Status, "involuntary_switches_per_second"),
        new(TopField.RunWait, "%WAIT", 5, true, ProcessFields.Schedstat, "run_queue_wait_percent"),
        new(TopField.Cgroup, "CGROUP", 24, false, ProcessFields.Cgroup, "cgroup"),
        new(TopField.Oom, "OOMs", 4, true, ProcessFields.OomScore, "oom_score"),
    ];

    public static readonly TopField[] Defaults =
        [TopField.Pid, TopField.User, TopField.Pr, TopField.Ni, TopField.Virt, TopField.Res, TopField.Shr, TopField.S, TopField.Cpu, TopField.Mem, TopField.Time, TopField.Command];

    public static TopColumn Of(TopField f) => All[(int)f];

    /// <summary>Finds a column by header or JSON key, as top -o and the filter accept ("%CPU", "RES", "COMMAND", "cpu_percent").</summary>
    public static bool TryFind(string name, out TopField field)
    {
        foreach (var c in All)
            if (c.Header.Equals(name, StringComparison.OrdinalIgnoreCase) || c.JsonKey.Equals(name, StringComparison.OrdinalIgnoreCase)
                || c.Field.ToString().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                field = c.Field;
                return true;
            }
        // top's -o also accepts these spellings
        switch (name.ToUpperInvariant())
        {
            case "CPU": field = TopField.Cpu; return true;
            case "MEM": field = TopField.Mem; return true;
            case "TIME": field = TopField.Time; return true;
            case "NTH": field = TopField.Threads; return true;
        }
        field = default;
        return false;
    }

    /// <summary>Numeric sort/filter value; null when the row has no value (sorts last).</summary>
    public static double? Number(TopRow r, TopField f) => f switch
    {
        TopField.Pid => r.Pid,
        TopField.Pr => r.Priority,
        TopField.Ni => r.Nice,
        TopField.Virt => r.VirtKiB,
        TopField.Res => r.ResKiB,
        TopField.Shr => r.ShrKiB,
        TopField.Cpu => r.CpuPercent,
        TopField.Mem => r.MemPercent,
        TopField.Time => r.TimeTicks,
        TopField.PPid => r.PPid,
        TopField.Threads => r.Threads,
        TopField.Processor => r.Processor,
        TopField.MinFlt => r.MinFltPerSecond,
        TopField.MajFlt => r.MajFltPerSecond,
        TopField.Swap => r.SwapKiB,
        TopField.Uss => r.UssKiB,
        TopField.Pss => r.PssKiB,
        TopField.ReadBps => r.ReadBytesPerSecond,
        TopField.WriteBps => r.WriteBytesPerSecond,
        TopField.ReadOps => r.ReadOpsPerSecond,
        TopField.WriteOps => r.WriteOpsPerSecond,
        TopField.VolCtx => r.VoluntaryCtxtPerSecond,
        TopField.InvCtx => r.InvoluntaryCtxtPerSecond,
        TopField.RunWait => r.RunQueueWaitPercent,
        TopField.Oom => r.OomScore,
        _ => null,
    };

    /// <summary>Text value for string columns and substring filters.</summary>
    public static string Text(TopRow r, TopField f, bool fullCommand) => f switch
    {
        TopField.User => r.User,
        TopField.S => r.State.ToString(),
        TopField.Command => fullCommand ? r.CommandLine : r.Name,
        TopField.Cgroup => r.Cgroup ?? "",
        _ => Number(r, f) is { } d ? d.ToString(CultureInfo.InvariantCulture) : "",
    };

    public static bool IsText(TopField f) => f is TopField.User or TopField.S or TopField.Command or TopField.Cgroup;
}
