using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/stat and /proc/[pid]/task/[tid]/stat, see proc_pid_stat(5). Field names follow the
/// man page; raw units are in the names (ticks, pages). Fields added by later kernels are nullable.
/// </summary>
public sealed record ProcessStat : IProcFile<ProcessStat>
{
    public required int Pid { get; init; }
    /// <summary>(2) comm: raw bytes between the first '(' and the LAST ')', up to 15 bytes (64 for kernel threads), hostile.</summary>
    public required byte[] CommBytes { get; init; }
    /// <summary>(3) state: R S D Z T t W X x K P I.</summary>
    public required char State { get; init; }
    public required int PPid { get; init; }
    public required int PGrp { get; init; }
    public required int Session { get; init; }
    /// <summary>(7) controlling terminal: minor in bits 31..20 and 7..0, major in 15..8.</summary>
    public required int TtyNr { get; init; }
    public required int TPGid { get; init; }
    /// <summary>(9) kernel PF_* flags.</summary>
    public required uint Flags { get; init; }
    public required ulong MinFlt { get; init; }
    public required ulong CMinFlt { get; init; }
    public required ulong MajFlt { get; init; }
    public required ulong CMajFlt { get; init; }
    public required ulong UTimeTicks { get; init; }
    public required ulong STimeTicks { get; init; }
    public required long CUTimeTicks { get; init; }
    public required long CSTimeTicks { get; init; }
    /// <summary>(18) priority as the kernel reports it (-2..-100 realtime, 0..39 for nice -20..19 plus 20).</summary>
    public required long Priority { get; init; }
    public required long Nice { get; init; }
    public required long NumThreads { get; init; }
    public required long ItRealValue { get; init; }
    /// <summary>(22) start time in clock ticks after boot.</summary>
    public required ulong StartTimeTicks { get; init; }
    /// <summary>(23) virtual memory size in bytes.</summary>
    public required ulong VSize { get; init; }
    /// <summary>(24) resident set size in pages.</summary>
    public required long RssPages { get; init; }
    public required ulong RssLim { get; init; }
    public required ulong StartCode { get; init; }
    public required ulong EndCode { get; init; }
    public required ulong StartStack { get; init; }
    public required ulong KStkEsp { get; init; }
    public required ulong KStkEip { get; init; }
    public required ulong Signal { get; init; }
    public required ulong Blocked { get; init; }
    public required ulong SigIgnore { get; init; }
    public required ulong SigCatch { get; init; }
    /// <summary>(35) wchan: 0 or 1 since Linux 4.4 (the name is in /proc/[pid]/wchan).</summary>
    public required ulong WChan { get; init; }
    public required ulong NSwap { get; init; }
    public required ulong CNSwap { get; init; }
    /// <summary>(38) Since Linux 2.1.22.</summary>
    public int? ExitSignal { get; init; }
    /// <summary>(39) CPU last executed on. Since Linux 2.2.8.</summary>
    public int? Processor { get; init; }
    /// <summary>(40) Since Linux 2.5.19.</summary>
    public uint? RtPriority { get; init; }
    /// <summary>(41) scheduling policy (SCHED_*). Since Linux 2.5.19.</summary>
    public uint? Policy { get; init; }
    /// <summary>(42) Since Linux 2.6.18.</summary>
    public ulong? DelayAcctBlkioTicks { get; init; }
    /// <summary>(43) Since Linux 2.6.24.</summary>
    public ulong? GuestTimeTicks { get; init; }
    /// <summary>(44) Since Linux 2.6.24.</summary>
    public long? CGuestTimeTicks { get; init; }
    /// <summary>(45) Since Linux 3.3.</summary>
    public ulong? StartData { get; init; }
    public ulong? EndData { get; init; }
    public ulong? StartBrk { get; init; }
    /// <summary>(48) Since Linux 3.5.</summary>
    public ulong? ArgStart { get; init; }
    public ulong? ArgEnd { get; init; }
    public ulong? EnvStart { get; init; }
    public ulong? EnvEnd { get; init; }
    /// <summary>(52) waitpid-style exit status. Since Linux 3.5.</summary>
    public int? ExitCode { get; init; }

    private const string FileName = "/proc/[pid]/stat";

    /// <summary>The controlling terminal's major number.</summary>
    public int TtyMajor => (TtyNr >> 8) & 0xff;
    /// <summary>The controlling terminal's minor number.</summary>
    public int TtyMinor => (TtyNr & 0xff) | ((TtyNr >> 12) & 0xfff00);

    /// <summary>
    /// The fields a refresh loop (top) needs from stat, parsed in place without allocating: comm is
    /// returned as its range in <paramref name="content"/> (<see cref="ProcessStatSample.CommStart"/>,
    /// <see cref="ProcessStatSample.CommLength"/>), the other fields are skipped. Same rules and errors
    /// as <see cref="Parse"/> up to rss (comm runs to the LAST ')'; a malformed field throws
    /// ProcFormatException); processor and policy are read when the kernel has them.
    /// </summary>
    public static ProcessStatSample ParseSample(ReadOnlySpan<byte> content)
    {
        int open = content.IndexOf((byte)'(');
        int close = content.LastIndexOf((byte)')');
        if (open < 0 || close < open) throw ProcFormatException.At(FileName, content, 0, "no (comm)");
        if (!Bytes.TryInt32(Bytes.Trim(content[..open]), out int pid)) throw ProcFormatException.At(FileName, content, 0, "bad pid");
        var r = new SpanReader(content, FileName, close + 1);
        var stateField = r.NextField();
        if (stateField.Length != 1) throw r.Fail("bad state");
        var s = new ProcessStatSample { Pid = pid, CommStart = open + 1, CommLength = close - open - 1, State = (char)stateField[0], Processor = -1 };
        s.PPid = r.NextInt32();
        r.NextField(); // (5) pgrp
        r.NextField(); // (6) session
        s.TtyNr = r.NextInt32();
        r.NextField(); // (8) tpgid
        r.NextField(); // (9) flags
        s.MinFlt = r.NextUInt64();
        r.NextField(); // (11) cminflt
        s.MajFlt = r.NextUInt64();
        r.NextField(); // (13) cmajflt
        s.UTimeTicks = r.NextUInt64();
        s.STimeTicks = r.NextUInt64();
        r.NextField(); // (16) cutime
        r.NextField(); // (17) cstime
        s.Priority = r.NextInt64();
        s.Nice = r.NextInt64();
        s.NumThreads = r.NextInt64();
        r.NextField(); // (21) itrealvalue
        s.StartTimeTicks = r.NextUInt64();
        s.VSize = r.NextUInt64();
        s.RssPages = r.NextInt64();
        // (25)–(38): rsslim startcode endcode startstack kstkesp kstkeip signal blocked sigignore
        // sigcatch wchan nswap cnswap exit_signal, then (39) processor and (41) policy when present.
        for (int i = 25; i <= 38; i++)
            if (!r.TryNextField(out _)) return s;
        if (r.HasField()) s.Processor = (int)r.NextInt64();
        if (r.TryNextField(out _) && r.HasField()) s.Policy = (uint)r.NextUInt64(); // (40) rt_priority, (41) policy
        return s;
    }

    public static ProcessStat Parse(ReadOnlySpan<byte> content)
    {
        // comm may contain anything, including ')' and spaces: it runs from the first '(' to the
        // LAST ')' (proc_pid_stat(5); procps and the kernel's own tools do the same).
        int open = content.IndexOf((byte)'(');
        int close = content.LastIndexOf((byte)')');
        if (open < 0 || close < open) throw ProcFormatException.At(FileName, content, 0, "no (comm)");
        if (!Bytes.TryInt32(Bytes.Trim(content[..open]), out int pid)) throw ProcFormatException.At(FileName, content, 0, "bad pid");
        var comm = content[(open + 1)..close].ToArray();
        // Read the fields in place rather than from a slice, so errors carry offsets into the file.
        var r = new SpanReader(content, FileName, close + 1);
        var stateField = r.NextField();
        if (stateField.Length != 1) throw r.Fail("bad state");
        return new ProcessStat
        {
            Pid = pid,
            CommBytes = comm,
            State = (char)stateField[0],
            PPid = r.NextInt32(),
            PGrp = r.NextInt32(),
            Session = r.NextInt32(),
            TtyNr = r.NextInt32(),
            TPGid = r.NextInt32(),
            Flags = (uint)r.NextUInt64(),
            MinFlt = r.NextUInt64(),
            CMinFlt = r.NextUInt64(),
            MajFlt = r.NextUInt64(),
            CMajFlt = r.NextUInt64(),
            UTimeTicks = r.NextUInt64(),
            STimeTicks = r.NextUInt64(),
            CUTimeTicks = r.NextInt64(),
            CSTimeTicks = r.NextInt64(),
            Priority = r.NextInt64(),
            Nice = r.NextInt64(),
            NumThreads = r.NextInt64(),
            ItRealValue = r.NextInt64(),
            StartTimeTicks = r.NextUInt64(),
            VSize = r.NextUInt64(),
            RssPages = r.NextInt64(),
            RssLim = r.NextUInt64(),
            StartCode = r.NextUInt64(),
            EndCode = r.NextUInt64(),
            StartStack = r.NextUInt64(),
            KStkEsp = r.NextUInt64(),
            KStkEip = r.NextUInt64(),
            Signal = r.NextUInt64(),
            Blocked = r.NextUInt64(),
            SigIgnore = r.NextUInt64(),
            SigCatch = r.NextUInt64(),
            WChan = r.NextUInt64(),
            NSwap = r.NextUInt64(),
            CNSwap = r.NextUInt64(),
            ExitSignal = (int?)r.NextInt64OrNull(),
            Processor = (int?)r.NextInt64OrNull(),
            RtPriority = (uint?)r.NextUInt64OrNull(),
            Policy = (uint?)r.NextUInt64OrNull(),
            DelayAcctBlkioTicks = r.NextUInt64OrNull(),
            GuestTimeTicks = r.NextUInt64OrNull(),
            CGuestTimeTicks = r.NextInt64OrNull(),
            StartData = r.NextUInt64OrNull(),
            EndData = r.NextUInt64OrNull(),
            StartBrk = r.NextUInt64OrNull(),
            ArgStart = r.NextUInt64OrNull(),
            ArgEnd = r.NextUInt64OrNull(),
            EnvStart = r.NextUInt64OrNull(),
            EnvEnd = r.NextUInt64OrNull(),
            ExitCode = (int?)r.NextInt64OrNull(),
        };
    }
}

/// <summary>
/// What <see cref="ProcessStat.ParseSample"/> reads from /proc/[pid]/stat: the fields that change
/// between refreshes of a process table, with comm as a range of the parsed bytes.
/// </summary>
public struct ProcessStatSample
{
    public int Pid;
    /// <summary>Offset and length of comm (between the first '(' and the LAST ')') in the parsed bytes.</summary>
    public int CommStart;
    public int CommLength;
    public char State;
    public int PPid;
    public int TtyNr;
    public ulong MinFlt;
    public ulong MajFlt;
    public ulong UTimeTicks;
    public ulong STimeTicks;
    public long Priority;
    public long Nice;
    public long NumThreads;
    public ulong StartTimeTicks;
    public ulong VSize;
    public long RssPages;
    /// <summary>(39) CPU last executed on, -1 when the kernel does not report it.</summary>
    public int Processor;
    /// <summary>(41) scheduling policy, null when the kernel does not report it.</summary>
    public uint? Policy;
}
