using System.Globalization;
using System.Text;
using Procscope.Core.Sys;

namespace Procscope.Cli.Commands.Vmstat;

/// <summary>
/// vmstat(8)'s text, byte for byte as procps-ng 4.0.2 src/vmstat.c prints it. Every printf
/// conversion there is a right-aligned "%Nlu"/"%Ns" (left-aligned "%-Ns" for names) separated by
/// one space; a value wider than its column pushes the rest of the line right, as in procps
/// (the 4.0.5 re-alignment is not done). Pure: values and times come in as arguments.
/// </summary>
public static class VmstatFormatter
{
    public const string Header = "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----";
    public const string WideHeader = "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------";
    public const string TimestampHeader = " -----timestamp-----";

    // 4.0.2's narrow format has 17 conversions for 18 arguments: "gu" is only shown with -w.
    private static readonly int[] Widths = [2, 2, 6, 6, 6, 6, 4, 4, 5, 5, 4, 4, 2, 2, 2, 2, 2];
    private static readonly int[] WideWidths = [4, 4, 12, 12, 12, 12, 4, 4, 5, 5, 4, 4, 3, 3, 3, 3, 3, 3];

    /// <summary>new_header(): two lines. <paramref name="timeZone"/> is strftime("%Z") when -t is given, else null.</summary>
    public static string VmHeader(bool wide, bool activeInactive, string? timeZone)
    {
        var sb = new StringBuilder(256);
        sb.Append(wide ? WideHeader : Header);
        if (timeZone is not null) sb.Append(TimestampHeader);
        sb.Append('\n');
        string[] names = ["r", "b", "swpd", "free", activeInactive ? "inact" : "buff", activeInactive ? "active" : "cache",
            "si", "so", "bi", "bo", "in", "cs", "us", "sy", "id", "wa", "st", "gu"];
        Columns(sb, wide ? WideWidths : Widths, names);
        AppendZone(sb, timeZone);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>One data line; <paramref name="timestamp"/> is strftime("%Y-%m-%d %H:%M:%S") when -t is given.</summary>
    public static string VmLine(VmstatLine l, bool wide, string? timestamp)
    {
        var sb = new StringBuilder(160);
        string[] values =
        [
            U(l.Running), U(l.Blocked), U(l.Swpd), U(l.Free), U(l.BuffOrInactive), U(l.CacheOrActive),
            U(l.SwapIn), U(l.SwapOut), U(l.BlocksIn), U(l.BlocksOut), U(l.Interrupts), U(l.ContextSwitches),
            U(l.User), U(l.System), U(l.Idle), U(l.IoWait), U(l.Steal), U(l.Guest),
        ];
        Columns(sb, wide ? WideWidths : Widths, values);
        if (timestamp is not null) sb.Append(' ').Append(timestamp);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>The 4.0.2 header repetition: a new header before loop line <paramref name="i"/> (1-based, the since-boot line is 0) when i % height == 0.</summary>
    public static bool HeaderBefore(ulong i, uint height) => height > 0 && i % height == 0;

    /// <summary>procps main(): rows of the terminal on stdout minus 3, or 22 when that is not positive; a pipe counts as 24 rows.</summary>
    public static uint HeaderHeight(int? terminalRows)
    {
        int wheight = (terminalRows ?? 24) - 3;
        return (uint)(wheight > 0 ? wheight : 22);
    }

    /// <summary>sum_format() (-s). <paramref name="unitChar"/> is the -S letter ("K" by default).</summary>
    public static string Stats(MemInfo meminfo, KernelStat stat, VmStat vm, ulong unitBytes, string unitChar)
    {
        var mem = MemoryUsage.From(meminfo);
        var sb = new StringBuilder(1600);
        void Mem(long bytes, string what) =>
            sb.Append(U(VmstatMath.UnitConvert((ulong)Math.Max(0, bytes) / 1024, unitBytes)).PadLeft(13)).Append(' ').Append(unitChar).Append(' ').Append(what).Append('\n');
        void N(ulong v, string what) => sb.Append(U(v).PadLeft(13)).Append(' ').Append(what).Append('\n');
        Mem(mem.TotalBytes, "total memory");
        Mem(mem.UsedBytes, "used memory");
        Mem(meminfo.ActiveBytes ?? 0, "active memory");
        Mem(meminfo.InactiveBytes ?? 0, "inactive memory");
        Mem(mem.FreeBytes, "free memory");
        Mem(mem.BuffersBytes, "buffer memory");
        // procps labels Cached + SReclaimable "swap cache".
        Mem(mem.CacheBytes, "swap cache");
        Mem(mem.SwapTotalBytes, "total swap");
        Mem(mem.SwapUsedBytes, "used swap");
        Mem(mem.SwapFreeBytes, "free swap");
        var c = stat.Total;
        N(c.UserTicks, "non-nice user cpu ticks");
        N(c.NiceTicks, "nice user cpu ticks");
        N(c.SystemTicks, "system cpu ticks");
        N(c.IdleTicks, "idle cpu ticks");
        N(c.IowaitTicks ?? 0, "IO-wait cpu ticks");
        N(c.IrqTicks ?? 0, "IRQ cpu ticks");
        N(c.SoftirqTicks ?? 0, "softirq cpu ticks");
        N(c.StealTicks ?? 0, "stolen cpu ticks");
        N(c.GuestTicks ?? 0, "non-nice guest cpu ticks");
        N(c.GuestNiceTicks ?? 0, "nice guest cpu ticks");
        N(vm.PgpgInKb ?? 0, "K paged in");
        N(vm.PgpgOutKb ?? 0, "K paged out");
        N(vm.PswpInPages ?? 0, "pages swapped in");
        N(vm.PswpOutPages ?? 0, "pages swapped out");
        N(stat.IntrTotal, "interrupts");
        N(stat.Ctxt, "CPU context switches");
        N((ulong)stat.BootTimeUnixSeconds, "boot time");
        N(stat.Processes, "forks");
        return sb.ToString();
    }

    /// <summary>fork_format() (-f).</summary>
    public static string Forks(ulong processes) => U(processes).PadLeft(13) + " forks\n";

    // ---- -d, -D, -p ----

    public const string DiskHeaderText = "disk- ------------reads------------ ------------writes----------- -----IO------";
    public const string WideDiskHeaderText = "disk- -------------------reads------------------- -------------------writes------------------ ------IO-------";
    private static readonly int[] DiskWidths = [5, 6, 6, 7, 7, 6, 6, 7, 7, 6, 6];
    private static readonly int[] WideDiskWidths = [5, 9, 9, 11, 11, 9, 9, 11, 11, 7, 7];

    /// <summary>diskheader(): two lines.</summary>
    public static string DiskHeader(bool wide, string? timeZone)
    {
        var sb = new StringBuilder(256);
        sb.Append(wide ? WideDiskHeaderText : DiskHeaderText);
        if (timeZone is not null) sb.Append(TimestampHeader);
        sb.Append('\n');
        Columns(sb, wide ? WideDiskWidths : DiskWidths, [" ", "total", "merged", "sectors", "ms", "total", "merged", "sectors", "ms", "cur", "sec"]);
        AppendZone(sb, timeZone);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>One diskformat() line: counters since boot; "cur" is in-flight I/Os / 1000 and "sec" the I/O milliseconds / 1000, as procps prints them.</summary>
    public static string DiskLine(DiskStat d, bool wide, string? timestamp)
    {
        var w = wide ? WideDiskWidths : DiskWidths;
        var sb = new StringBuilder(128);
        sb.Append(d.Name.PadRight(w[0]));
        ulong[] v = [d.ReadsCompleted, d.ReadsMerged, d.SectorsRead, d.TimeReadingMs, d.WritesCompleted, d.WritesMerged, d.SectorsWritten, d.TimeWritingMs];
        for (int i = 0; i < v.Length; i++) sb.Append(' ').Append(U(v[i]).PadLeft(w[i + 1]));
        sb.Append(' ').Append(InProgress(d).ToString(CultureInfo.InvariantCulture).PadLeft(w[9]));
        sb.Append(' ').Append(U(d.TimeIoMs / 1000).PadLeft(w[10]));
        if (timestamp is not null) sb.Append(' ').Append(timestamp);
        sb.Append('\n');
        return sb.ToString();
    }

    // procps reads the in-flight count as an int and divides it by 1000 (a leftover of a units mix-up; it is nearly always 0).
    private static int InProgress(DiskStat d) => unchecked((int)d.IosInProgress) / 1000;

    /// <summary>disksum_format() (-D): sums over whole disks; partitions are only counted.</summary>
    public static string DiskSum(IReadOnlyList<DiskStat> devices, Func<string, bool> isDisk)
    {
        int disks = 0, parts = 0;
        ulong reads = 0, mreads = 0, rsect = 0, rms = 0, writes = 0, mwrites = 0, wsect = 0, wms = 0, inprog = 0, io = 0, wio = 0;
        foreach (var d in devices)
        {
            if (!isDisk(d.Name))
            {
                parts++;
                continue;
            }
            disks++;
            unchecked
            {
                reads += d.ReadsCompleted;
                mreads += d.ReadsMerged;
                rsect += d.SectorsRead;
                rms += d.TimeReadingMs;
                writes += d.WritesCompleted;
                mwrites += d.WritesMerged;
                wsect += d.SectorsWritten;
                wms += d.TimeWritingMs;
                inprog += (ulong)InProgress(d);
                io += d.TimeIoMs / 1000;
                wio += d.WeightedTimeIoMs / 1000;
            }
        }
        var sb = new StringBuilder(600);
        void N(string v, string what) => sb.Append(v.PadLeft(13)).Append(' ').Append(what).Append('\n');
        N(disks.ToString(CultureInfo.InvariantCulture), "disks");
        N(parts.ToString(CultureInfo.InvariantCulture), "partitions");
        N(U(reads), "total reads");
        N(U(mreads), "merged reads");
        N(U(rsect), "read sectors");
        N(U(rms), "milli reading");
        N(U(writes), "writes");
        N(U(mwrites), "merged writes");
        N(U(wsect), "written sectors");
        N(U(wms), "milli writing");
        N(U(inprog), "inprogress IO");
        N(U(io), "milli spent IO");
        N(U(wio), "milli weighted IO");
        return sb.ToString();
    }

    /// <summary>diskpartition_header() (-p).</summary>
    public static string PartitionHeader(string name) =>
        name.PadRight(10) + " " + "reads".PadLeft(10) + "  " + "read sectors".PadLeft(16) + "  " + "writes".PadLeft(10) + "  " + "requested writes".PadLeft(16) + "\n";

    /// <summary>One diskpartition_format() line: reads, read sectors, writes, written sectors since boot.</summary>
    public static string PartitionLine(DiskStat d) =>
        U(d.ReadsCompleted).PadLeft(21) + "  " + U(d.SectorsRead).PadLeft(16) + "  " + U(d.WritesCompleted).PadLeft(10) + "  " + U(d.SectorsWritten).PadLeft(16) + "\n";

    // ---- -m ----

    /// <summary>slabheader().</summary>
    public const string SlabHeader = "Cache                       Num  Total   Size  Pages\n";

    /// <summary>One slabformat() line: the name cut to 24 characters, active objects, objects, object size, objects per slab (under "Pages", as procps prints it).</summary>
    public static string SlabLine(SlabCache c)
    {
        string name = c.Name.Length > 24 ? c.Name[..24] : c.Name;
        return name.PadRight(24) + " " + U(c.ActiveObjs).PadLeft(6) + " " + U(c.NumObjs).PadLeft(6) + " " + U(c.ObjSizeBytes).PadLeft(6) + " " + U(c.ObjPerSlab).PadLeft(6) + "\n";
    }

    /// <summary>Caches in procps's order: by name, strcoll(3) in the C/C.UTF-8 locale (byte order).</summary>
    public static IReadOnlyList<SlabCache> SortSlabs(IEnumerable<SlabCache> caches) =>
        caches.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    private static void Columns(StringBuilder sb, int[] widths, string[] values)
    {
        for (int i = 0; i < widths.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(values[i].PadLeft(widths[i]));
        }
    }

    // " %*s" with the width of the timestamp header minus one; strftime's %Z cut to that width.
    private static void AppendZone(StringBuilder sb, string? timeZone)
    {
        if (timeZone is null) return;
        int width = TimestampHeader.Length - 1;
        sb.Append(' ').Append((timeZone.Length > width ? timeZone[..width] : timeZone).PadLeft(width));
    }

    private static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);
    private static string U(uint v) => v.ToString(CultureInfo.InvariantCulture);
}
