namespace Procscope.Core.Sys;

/// <summary>
/// Clock ticks spent in each state between two /proc/stat samples of the same CPU (or of the
/// aggregate line). Every counter delta is clamped at zero: counters go backwards after CPU
/// hotplug, and iowait and idle can step back by a tick (proc_stat(5)). A state the kernel does
/// not report counts as zero.
/// </summary>
public sealed record CpuTimesDelta
{
    /// <summary>The CPU both samples describe; null for the aggregate line.</summary>
    public int? CpuId { get; init; }
    public ulong UserTicks { get; init; }
    public ulong NiceTicks { get; init; }
    public ulong SystemTicks { get; init; }
    public ulong IdleTicks { get; init; }
    public ulong IowaitTicks { get; init; }
    public ulong IrqTicks { get; init; }
    public ulong SoftirqTicks { get; init; }
    public ulong StealTicks { get; init; }
    /// <summary>Guest time, already included in <see cref="UserTicks"/>.</summary>
    public ulong GuestTicks { get; init; }
    /// <summary>Niced guest time, already included in <see cref="NiceTicks"/>.</summary>
    public ulong GuestNiceTicks { get; init; }

    /// <summary>All elapsed ticks: every state except guest and guest_nice, which user and nice already contain.</summary>
    public ulong TotalTicks => UserTicks + NiceTicks + SystemTicks + IdleTicks + IowaitTicks + IrqTicks + SoftirqTicks + StealTicks;

    /// <summary>Ticks from <paramref name="previous"/> to <paramref name="current"/>; both must describe the same CPU.</summary>
    public static CpuTimesDelta Between(CpuTimes previous, CpuTimes current)
    {
        if (previous.CpuId != current.CpuId)
            throw new ArgumentException($"CPU {Id(previous.CpuId)} and CPU {Id(current.CpuId)} are not the same line", nameof(current));
        return new CpuTimesDelta
        {
            CpuId = current.CpuId,
            UserTicks = Sub(current.UserTicks, previous.UserTicks),
            NiceTicks = Sub(current.NiceTicks, previous.NiceTicks),
            SystemTicks = Sub(current.SystemTicks, previous.SystemTicks),
            IdleTicks = Sub(current.IdleTicks, previous.IdleTicks),
            IowaitTicks = Sub(current.IowaitTicks, previous.IowaitTicks),
            IrqTicks = Sub(current.IrqTicks, previous.IrqTicks),
            SoftirqTicks = Sub(current.SoftirqTicks, previous.SoftirqTicks),
            StealTicks = Sub(current.StealTicks, previous.StealTicks),
            GuestTicks = Sub(current.GuestTicks, previous.GuestTicks),
            GuestNiceTicks = Sub(current.GuestNiceTicks, previous.GuestNiceTicks),
        };
    }

    /// <summary>Ticks since boot: what vmstat's first line reports.</summary>
    public static CpuTimesDelta SinceBoot(CpuTimes current) =>
        Between(new CpuTimes { CpuId = current.CpuId, UserTicks = 0, NiceTicks = 0, SystemTicks = 0, IdleTicks = 0 }, current);

    /// <summary>
    /// One delta per CPU present in both samples, in <paramref name="current"/>'s order, matched
    /// by CPU id. A CPU offline in either sample has no delta for that interval.
    /// </summary>
    public static IReadOnlyList<CpuTimesDelta> PerCpu(KernelStat previous, KernelStat current)
    {
        var result = new List<CpuTimesDelta>(current.Cpus.Count);
        foreach (var cpu in current.Cpus)
        {
            foreach (var old in previous.Cpus)
            {
                if (old.CpuId == cpu.CpuId)
                {
                    result.Add(Between(old, cpu));
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The cpu columns of vmstat(8), as procps-ng src/vmstat.c computes them:
    /// us = user + nice - (guest + guest_nice) (0 if negative); sy = system + irq + softirq;
    /// id = idle; wa = iowait; st = steal; gu = guest + guest_nice; each divided by
    /// user + nice + system + irq + softirq + idle + iowait + steal (guest not subtracted there), so
    /// us + sy + id + wa + st + gu is 100. With no elapsed ticks, id is 100. vmstat prints each as
    /// (100 × x + Div / 2) / Div in integers; <c>Math.Floor(p + 0.5)</c> of these values gives the same
    /// digits. Differences from procps: vmstat 4.0.0 to 4.0.4 (Debian 12 ships 4.0.2) subtracted
    /// the guest ticks since boot instead of the interval's (fixed in 4.0.5, procps commit
    /// 30cd16af; the two agree whenever no guest runs), and vmstat carries a negative
    /// idle delta over to the next interval where this clamps it at zero.
    /// </summary>
    public VmstatCpuPercent ToVmstatPercent()
    {
        double use = (double)UserTicks + NiceTicks;
        double sys = (double)SystemTicks + IrqTicks + SoftirqTicks;
        double idle = IdleTicks, wait = IowaitTicks, steal = StealTicks;
        double guest = (double)GuestTicks + GuestNiceTicks;
        double div = use + sys + idle + wait + steal;
        if (div == 0)
        {
            div = 1;
            idle = 1;
        }
        use = use >= guest ? use - guest : 0;
        return new VmstatCpuPercent(Pct(use, div), Pct(sys, div), Pct(idle, div), Pct(wait, div), Pct(steal, div), Pct(guest, div));
    }

    private static double Pct(double part, double div) => Math.Clamp(100.0 * part / div, 0, 100);

    private static ulong Sub(ulong current, ulong previous) => current >= previous ? current - previous : 0;

    private static ulong Sub(ulong? current, ulong? previous) => Sub(current ?? 0, previous ?? 0);

    private static string Id(int? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(all)";
}

/// <summary>vmstat(8)'s cpu columns in percent of elapsed ticks, each in [0, 100].</summary>
/// <param name="User">us: user + nice, without guest time.</param>
/// <param name="System">sy: system + irq + softirq.</param>
/// <param name="Idle">id: idle.</param>
/// <param name="IoWait">wa: iowait.</param>
/// <param name="Steal">st: stolen by the hypervisor.</param>
/// <param name="Guest">gu: running guests (guest + guest_nice).</param>
public sealed record VmstatCpuPercent(double User, double System, double Idle, double IoWait, double Steal, double Guest);
