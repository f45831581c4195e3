using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>
/// struct taskstats of linux/taskstats.h, TASKSTATS_VERSION 13 (Linux 6.0; 416 bytes on x86_64).
/// The structure only grows: a newer kernel sends a longer one (its version field says which) and
/// the fields below keep their offsets; an older kernel sends a shorter one and the fields it lacks
/// stay zero (see <see cref="Taskstats.TaskstatsClient"/>, which copies min(received, sizeof)). Offsets are
/// those gcc computes (aligned(8) members), checked by TaskstatsLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 416)]
internal unsafe struct TaskstatsV13
{
    [FieldOffset(0)] public ushort version;
    [FieldOffset(4)] public uint ac_exitcode;
    [FieldOffset(8)] public byte ac_flag;
    [FieldOffset(9)] public byte ac_nice;
    [FieldOffset(16)] public ulong cpu_count;
    [FieldOffset(24)] public ulong cpu_delay_total;
    [FieldOffset(32)] public ulong blkio_count;
    [FieldOffset(40)] public ulong blkio_delay_total;
    [FieldOffset(48)] public ulong swapin_count;
    [FieldOffset(56)] public ulong swapin_delay_total;
    [FieldOffset(64)] public ulong cpu_run_real_total;
    [FieldOffset(72)] public ulong cpu_run_virtual_total;
    [FieldOffset(80)] public fixed byte ac_comm[32];
    [FieldOffset(112)] public byte ac_sched;
    [FieldOffset(120)] public uint ac_uid;
    [FieldOffset(124)] public uint ac_gid;
    [FieldOffset(128)] public uint ac_pid;
    [FieldOffset(132)] public uint ac_ppid;
    [FieldOffset(136)] public uint ac_btime;
    [FieldOffset(144)] public ulong ac_etime;
    [FieldOffset(152)] public ulong ac_utime;
    [FieldOffset(160)] public ulong ac_stime;
    [FieldOffset(168)] public ulong ac_minflt;
    [FieldOffset(176)] public ulong ac_majflt;
    [FieldOffset(216)] public ulong read_char;
    [FieldOffset(224)] public ulong write_char;
    [FieldOffset(232)] public ulong read_syscalls;
    [FieldOffset(240)] public ulong write_syscalls;
    [FieldOffset(248)] public ulong read_bytes;
    [FieldOffset(256)] public ulong write_bytes;
    [FieldOffset(264)] public ulong cancelled_write_bytes;
    [FieldOffset(272)] public ulong nvcsw;
    [FieldOffset(280)] public ulong nivcsw;
    [FieldOffset(312)] public ulong freepages_count;
    [FieldOffset(320)] public ulong freepages_delay_total;
    [FieldOffset(328)] public ulong thrashing_count;
    [FieldOffset(336)] public ulong thrashing_delay_total;
    [FieldOffset(352)] public ulong compact_count;
    [FieldOffset(360)] public ulong compact_delay_total;
    [FieldOffset(368)] public uint ac_tgid;
    [FieldOffset(400)] public ulong wpcopy_count;
    [FieldOffset(408)] public ulong wpcopy_delay_total;
}
