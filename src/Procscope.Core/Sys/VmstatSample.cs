namespace Procscope.Core.Sys;

/// <summary>
/// The counters behind one vmstat(8) line, taken at one moment from /proc/stat, /proc/vmstat,
/// /proc/meminfo and /proc/uptime. Memory is in bytes as <see cref="MemInfo"/> gives it (the
/// kernel prints KiB, so every value is a multiple of 1024).
/// </summary>
public sealed record VmstatSample
{
    /// <summary>The aggregate "cpu" line of /proc/stat.</summary>
    public required CpuTimes Cpu { get; init; }
    /// <summary>procs_running (vmstat "r"; includes vmstat itself).</summary>
    public required ulong ProcsRunning { get; init; }
    /// <summary>procs_blocked (vmstat "b").</summary>
    public required ulong ProcsBlocked { get; init; }
    /// <summary>intr total (vmstat "in").</summary>
    public required ulong Interrupts { get; init; }
    /// <summary>ctxt (vmstat "cs").</summary>
    public required ulong ContextSwitches { get; init; }
    /// <summary>pgpgin, KiB (vmstat "bi").</summary>
    public required ulong PgpgInKb { get; init; }
    /// <summary>pgpgout, KiB (vmstat "bo").</summary>
    public required ulong PgpgOutKb { get; init; }
    /// <summary>pswpin, pages (vmstat "si").</summary>
    public required ulong PswpInPages { get; init; }
    /// <summary>pswpout, pages (vmstat "so").</summary>
    public required ulong PswpOutPages { get; init; }
    /// <summary>Swap used: SwapTotal - SwapFree, or 0 (vmstat "swpd").</summary>
    public required long SwapUsedBytes { get; init; }
    /// <summary>MemFree (vmstat "free").</summary>
    public required long FreeBytes { get; init; }
    /// <summary>Buffers (vmstat "buff").</summary>
    public required long BuffersBytes { get; init; }
    /// <summary>Cached + SReclaimable (vmstat "cache", as free(1) counts cache).</summary>
    public required long CacheBytes { get; init; }
    /// <summary>Active (vmstat -a "active").</summary>
    public required long ActiveBytes { get; init; }
    /// <summary>Inactive (vmstat -a "inact").</summary>
    public required long InactiveBytes { get; init; }
    /// <summary>Seconds since boot (/proc/uptime), for since-boot rates.</summary>
    public required double UptimeSeconds { get; init; }
    /// <summary>When the sample was taken, in seconds of any monotonic clock the caller chooses; only differences are used.</summary>
    public required double TakenAtSeconds { get; init; }

    /// <summary>
    /// Assembles a sample. Counters a kernel does not have count as zero, as procps zeroes them
    /// (pgpgin and friends vanish without CONFIG_VM_EVENT_COUNTERS).
    /// </summary>
    public static VmstatSample From(KernelStat stat, VmStat vm, MemInfo mem, double uptimeSeconds, double takenAtSeconds)
    {
        var usage = MemoryUsage.From(mem);
        return new VmstatSample
        {
            Cpu = stat.Total,
            ProcsRunning = stat.ProcsRunning ?? 0,
            ProcsBlocked = stat.ProcsBlocked ?? 0,
            Interrupts = stat.IntrTotal,
            ContextSwitches = stat.Ctxt,
            PgpgInKb = vm.PgpgInKb ?? 0,
            PgpgOutKb = vm.PgpgOutKb ?? 0,
            PswpInPages = vm.PswpInPages ?? 0,
            PswpOutPages = vm.PswpOutPages ?? 0,
            SwapUsedBytes = usage.SwapUsedBytes,
            FreeBytes = usage.FreeBytes,
            BuffersBytes = usage.BuffersBytes,
            CacheBytes = usage.CacheBytes,
            ActiveBytes = mem.ActiveBytes ?? 0,
            InactiveBytes = mem.InactiveBytes ?? 0,
            UptimeSeconds = uptimeSeconds,
            TakenAtSeconds = takenAtSeconds,
        };
    }
}

/// <summary>
/// One line of vmstat(8) in the integers procps-ng 4.0.2 prints. Memory columns are in the
/// display unit (-S); si/so are in that unit per second; bi/bo are KiB per second (the kernel's
/// pgpgin unit, never scaled); cpu columns are percent.
/// </summary>
public sealed record VmstatLine(
    ulong Running, ulong Blocked,
    ulong Swpd, ulong Free, ulong BuffOrInactive, ulong CacheOrActive,
    uint SwapIn, uint SwapOut, uint BlocksIn, uint BlocksOut,
    uint Interrupts, uint ContextSwitches,
    uint User, uint System, uint Idle, uint IoWait, uint Steal, uint Guest);

/// <summary>
/// vmstat(8)'s arithmetic, integer for integer as procps-ng 4.0.2 src/vmstat.c (new_format) does it,
/// so the digits agree; pure functions of one or two samples.
/// <para>
/// The first line ("since boot") divides every counter by the CPU ticks since boot summed over
/// all CPUs and multiplies by ticks per second: <c>(count × hz + Div/2) / Div</c>. On a machine
/// with n CPUs that is the per-second rate divided by n; procps 4.0.3 changed it to count /
/// uptime. This keeps 4.0.2's numbers (the JSON output has true rates, see <see cref="VmstatRates"/>).
/// </para>
/// <para>
/// Later lines divide the counter deltas by the nominal delay (not the measured interval), rounding
/// half up: <c>(delta + delay/2) / delay</c>. Counter deltas are clamped at zero (procps's
/// unsigned subtraction would print a wrapped number after a counter reset). Differences from
/// procps, on purpose: none in the digits; procps's "idle debt" carry-over never triggers because
/// its library already clamps tick deltas at zero, so it is not modelled.
/// </para>
/// </summary>
public static class VmstatMath
{
    /// <summary>
    /// procps's unitConvert(): KiB → display unit through single-precision float, so values above
    /// 2^24 KiB (16 GiB) round the way procps 4.0.2 rounds them: <c>(unsigned long)((float)kib /
    /// unit × 1024)</c>. <paramref name="unitBytes"/> is 1, 1000, 1024, 1000000 or 1048576 (-S b k K m M).
    /// </summary>
    public static ulong UnitConvert(ulong kib, ulong unitBytes)
    {
        float cv = (float)kib / (float)unitBytes;
        cv = (float)(cv * 1024f);
        return cv <= 0 ? 0 : cv >= 18446744073709551615f ? ulong.MaxValue : (ulong)cv;
    }

    /// <summary>The first line: averages since boot, as procps 4.0.2 computes them.</summary>
    public static VmstatLine SinceBoot(VmstatSample s, long ticksPerSecond, long pageSizeBytes, ulong unitBytes, bool activeInactive)
    {
        var c = s.Cpu;
        long use = (long)(c.UserTicks + c.NiceTicks);
        long sys = (long)(c.SystemTicks + (c.IrqTicks ?? 0) + (c.SoftirqTicks ?? 0));
        long idl = (long)c.IdleTicks;
        long iow = (long)(c.IowaitTicks ?? 0);
        long sto = (long)(c.StealTicks ?? 0);
        long gue = (long)((c.GuestTicks ?? 0) + (c.GuestNiceTicks ?? 0));
        long div = use + sys + idl + iow + sto;
        if (div == 0)
        {
            div = 1;
            idl = 1;
        }
        long divo2 = div / 2;
        use = use >= gue ? use - gue : 0;

        ulong hz = (ulong)ticksPerSecond, kbPerPage = (ulong)pageSizeBytes / 1024, d = (ulong)div, h = (ulong)divo2;
        uint Avg(ulong count) => unchecked((uint)((count * hz + h) / d));
        return new VmstatLine(
            s.ProcsRunning, s.ProcsBlocked,
            Unit(s.SwapUsedBytes, unitBytes), Unit(s.FreeBytes, unitBytes),
            Unit(activeInactive ? s.InactiveBytes : s.BuffersBytes, unitBytes),
            Unit(activeInactive ? s.ActiveBytes : s.CacheBytes, unitBytes),
            Avg(UnitConvert(s.PswpInPages * kbPerPage, unitBytes)),
            Avg(UnitConvert(s.PswpOutPages * kbPerPage, unitBytes)),
            Avg(s.PgpgInKb), Avg(s.PgpgOutKb),
            Avg(s.Interrupts), Avg(s.ContextSwitches),
            Pct(use, div), Pct(sys, div), Pct(idl, div), Pct(iow, div), Pct(sto, div), Pct(gue, div));
    }

    /// <summary>A later line: deltas from <paramref name="previous"/> to <paramref name="current"/> over a nominal <paramref name="delaySeconds"/>.</summary>
    public static VmstatLine Between(VmstatSample previous, VmstatSample current, uint delaySeconds, long pageSizeBytes, ulong unitBytes, bool activeInactive)
    {
        if (delaySeconds == 0) throw new ArgumentOutOfRangeException(nameof(delaySeconds), "the delay must be at least one second");
        var t = CpuTimesDelta.Between(previous.Cpu, current.Cpu);
        long use = (long)(t.UserTicks + t.NiceTicks);
        long sys = (long)(t.SystemTicks + t.IrqTicks + t.SoftirqTicks);
        long idl = (long)t.IdleTicks;
        long iow = (long)t.IowaitTicks;
        long sto = (long)t.StealTicks;
        long gue = (long)(t.GuestTicks + t.GuestNiceTicks);
        long div = use + sys + idl + iow + sto;
        if (div == 0)
        {
            div = 1;
            idl = 1;
        }
        use = use >= gue ? use - gue : 0;

        ulong kbPerPage = (ulong)pageSizeBytes / 1024;
        uint half = delaySeconds / 2;
        // si/so/bi/bo: unsigned long arithmetic, then truncated to unsigned int.
        uint PerSecond(ulong delta) => unchecked((uint)((delta + half) / delaySeconds));
        // in/cs: procps takes the delta as an int and adds the unsigned half: 32-bit arithmetic.
        uint PerSecond32(ulong delta) => unchecked(((uint)delta + half) / delaySeconds);
        return new VmstatLine(
            current.ProcsRunning, current.ProcsBlocked,
            Unit(current.SwapUsedBytes, unitBytes), Unit(current.FreeBytes, unitBytes),
            Unit(activeInactive ? current.InactiveBytes : current.BuffersBytes, unitBytes),
            Unit(activeInactive ? current.ActiveBytes : current.CacheBytes, unitBytes),
            PerSecond(UnitConvert(Delta(previous.PswpInPages, current.PswpInPages) * kbPerPage, unitBytes)),
            PerSecond(UnitConvert(Delta(previous.PswpOutPages, current.PswpOutPages) * kbPerPage, unitBytes)),
            PerSecond(Delta(previous.PgpgInKb, current.PgpgInKb)),
            PerSecond(Delta(previous.PgpgOutKb, current.PgpgOutKb)),
            PerSecond32(Delta(previous.Interrupts, current.Interrupts)),
            PerSecond32(Delta(previous.ContextSwitches, current.ContextSwitches)),
            Pct(use, div), Pct(sys, div), Pct(idl, div), Pct(iow, div), Pct(sto, div), Pct(gue, div));
    }

    /// <summary>A counter difference, zero when the counter went backwards (reset, hotplug).</summary>
    public static ulong Delta(ulong previous, ulong current) => current >= previous ? current - previous : 0;

    private static ulong Unit(long bytes, ulong unitBytes) => UnitConvert((ulong)Math.Max(0, bytes) / 1024, unitBytes);

    private static uint Pct(long part, long div) => unchecked((uint)((100 * part + div / 2) / div));
}

/// <summary>
/// True rates for machine-readable output (vmstat --json): since boot, counters divided by the
/// uptime; between two samples, counter deltas (clamped at zero) divided by the measured interval.
/// CPU percentages follow vmstat's columns (<see cref="CpuTimesDelta.ToVmstatPercent"/>).
/// </summary>
public sealed record VmstatRates(
    bool SinceBoot,
    double IntervalSeconds,
    double SwapInBytesPerSecond,
    double SwapOutBytesPerSecond,
    double BlockInBytesPerSecond,
    double BlockOutBytesPerSecond,
    double InterruptsPerSecond,
    double ContextSwitchesPerSecond,
    VmstatCpuPercent Cpu)
{
    /// <summary>Averages since boot. With an uptime of zero every rate is zero.</summary>
    public static VmstatRates Since(VmstatSample s, long pageSizeBytes)
    {
        double t = s.UptimeSeconds;
        double Rate(double count) => t > 0 ? count / t : 0;
        return new VmstatRates(true, t,
            Rate((double)s.PswpInPages * pageSizeBytes), Rate((double)s.PswpOutPages * pageSizeBytes),
            Rate(s.PgpgInKb * 1024.0), Rate(s.PgpgOutKb * 1024.0),
            Rate(s.Interrupts), Rate(s.ContextSwitches),
            CpuTimesDelta.SinceBoot(s.Cpu).ToVmstatPercent());
    }

    /// <summary>Rates over the interval between two samples (<see cref="VmstatSample.TakenAtSeconds"/>). A non-positive interval gives zero rates.</summary>
    public static VmstatRates Between(VmstatSample previous, VmstatSample current, long pageSizeBytes)
    {
        double t = current.TakenAtSeconds - previous.TakenAtSeconds;
        double Rate(ulong prev, ulong cur, double scale) => t > 0 ? VmstatMath.Delta(prev, cur) * scale / t : 0;
        return new VmstatRates(false, Math.Max(0, t),
            Rate(previous.PswpInPages, current.PswpInPages, pageSizeBytes),
            Rate(previous.PswpOutPages, current.PswpOutPages, pageSizeBytes),
            Rate(previous.PgpgInKb, current.PgpgInKb, 1024),
            Rate(previous.PgpgOutKb, current.PgpgOutKb, 1024),
            Rate(previous.Interrupts, current.Interrupts, 1),
            Rate(previous.ContextSwitches, current.ContextSwitches, 1),
            CpuTimesDelta.Between(previous.Cpu, current.Cpu).ToVmstatPercent());
    }
}
