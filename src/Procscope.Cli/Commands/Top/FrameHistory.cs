using System.Runtime.InteropServices;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Past frames for pause and rewind, stored compactly and bounded by time span (default 10
/// minutes) and by an estimate of the bytes the past frames hold (<see cref="ByteBudget"/>), so
/// memory stays flat and small however many processes there are.
/// <para>
/// Only the newest frame's rows are held in full, as one packed value per pid (identity strings
/// shared through the row's <see cref="TaskIdentity"/>, the collector's object for the task, that all frames reference; a few numeric columns;
/// details, present only for the rows that were on screen, in a shared immutable object). Each
/// older frame keeps its summary and an undo list: for every pid whose row differed from the
/// next frame, the row it had (or that it was absent). On an idle machine few rows change
/// between refreshes, so a frame costs a few KiB even with 10,000 processes. A past frame is
/// rebuilt on demand (<see cref="At"/>) by taking, for each pid, the first undo entry after it,
/// else the newest row.
/// </para>
/// </summary>
public sealed class FrameHistory(double spanSeconds, long byteBudget = FrameHistory.DefaultByteBudget)
{
    /// <summary>Default budget for the past frames: 1 MiB (the newest rows, about 170 bytes per task, come on top).</summary>
    public const long DefaultByteBudget = 1L << 20;

    // Estimates used for the budget (object headers included).
    private const int StateEntryBytes = 80;   // dictionary entry (key, hash, next, PackedRow); the identity is the collector's
    private const int UndoBytes = 72;         // Undo in an array
    private const int DetailsBytes = 200;     // RowDetails (a record of nullable columns)
    private const int IdentityBytes = 96;     // a TaskIdentity, which past frames keep after the task left or changed it
    private const int FrameBytes = 600;       // a TopFrame's summary: frame, load, memory, pressures, per-CPU list

    /// <summary>The columns rarely set (those read only for rows on screen, and non-zero fault rates).</summary>
    private sealed record RowDetails(
        long? ShrKiB, double? MinFltPerSecond, double? MajFltPerSecond, double? MemPercent,
        long? SwapKiB, long? UssKiB, long? PssKiB,
        double? ReadBytesPerSecond, double? WriteBytesPerSecond, double? ReadOpsPerSecond, double? WriteOpsPerSecond,
        double? VoluntaryCtxtPerSecond, double? InvoluntaryCtxtPerSecond, double? RunQueueWaitPercent,
        string? Cgroup, int? OomScore);

    private const byte MinFltNull = 1, MajFltNull = 2, ProcessorNull = 4;
    /// <summary>Flag bit: the parity of the frame that last set the row (every row in the state was set by the newest frame or the one before).</summary>
    private const byte OddFrame = 0x80;

    /// <summary>One row packed (64 bytes); MemPercent is derived from RES and the frame's total memory unless kept in details.</summary>
    private struct PackedRow
    {
        public TaskIdentity? Id; // null in an undo entry: the pid was absent
        public long VirtKiB, ResKiB;
        public ulong TimeTicks;
        public double CpuPercent;
        public RowDetails? Details;
        public int PPid, Threads;
        public short Priority, Processor; // CPU numbers stay below 8,192 (NR_CPUS)
        public char State;
        public sbyte Nice;
        public byte Flags;

        public readonly bool SameValues(in PackedRow o) =>
            ReferenceEquals(Id, o.Id) && VirtKiB == o.VirtKiB && ResKiB == o.ResKiB && TimeTicks == o.TimeTicks &&
            CpuPercent.Equals(o.CpuPercent) && PPid == o.PPid && Threads == o.Threads && Processor == o.Processor &&
            Priority == o.Priority && State == o.State && Nice == o.Nice && ((Flags ^ o.Flags) & ~OddFrame) == 0 &&
            (ReferenceEquals(Details, o.Details) || (Details is not null && Details.Equals(o.Details)));
    }

    private readonly record struct Undo(int Pid, PackedRow Old);

    private sealed class Past(TopFrame summary, long memTotalKiB)
    {
        public readonly TopFrame Summary = summary;
        public readonly long MemTotalKiB = memTotalKiB;
        /// <summary>Rows of this frame that differ in the next one (null for the newest).</summary>
        public Undo[]? Undos;
        public long Bytes = FrameBytes;
    }

    private readonly LinkedList<Past> _frames = new();
    private readonly Dictionary<int, PackedRow> _state = new();
    private readonly List<Undo> _undo = new();
    private int _generation;
    private int _peakRows;
    private long _frameBytes;

    public double SpanSeconds { get; set; } = spanSeconds;
    public long ByteBudget { get; } = byteBudget;
    public int Count => _frames.Count;

    /// <summary>Estimated bytes held by the past frames: their summaries, undo lists and the details and identities only they reference.</summary>
    public long Bytes => _frameBytes;

    /// <summary>Estimated bytes held by the newest frame's packed rows (proportional to the tasks shown).</summary>
    public long NewestBytes => (long)_state.Count * StateEntryBytes;

    /// <summary>Seconds between the oldest and the newest frame kept.</summary>
    public double KeptSeconds => _frames.Count > 1 ? (_frames.Last!.Value.Summary.Time - _frames.First!.Value.Summary.Time).TotalSeconds : 0;

    public DateTime? OldestTime => _frames.First?.Value.Summary.Time;
    public DateTime? NewestTime => _frames.Last?.Value.Summary.Time;

    /// <summary>Index of the frame taken at <paramref name="time"/>, or −1 when it is no longer kept.</summary>
    public int IndexOf(DateTime time)
    {
        int i = 0;
        foreach (var f in _frames)
        {
            if (f.Summary.Time == time) return i;
            i++;
        }
        return -1;
    }

    private static long MemTotalKiB(TopFrame f) => Math.Max(1, f.Memory.TotalBytes / 1024);

    public void Add(TopFrame f)
    {
        long memTotal = MemTotalKiB(f);
        byte parity = (++_generation & 1) != 0 ? OddFrame : (byte)0;
        long added = 0;
        _undo.Clear();
        // The first frame has no older frame to undo into: every row would be an entry of 80 bytes
        // (0.8 MB at 10,000 processes), and the list would keep that capacity for the whole run.
        bool record = _frames.Last is not null;
        int set = 0;
        foreach (var r in f.Rows)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_state, r.Pid, out bool exists);
            // The identity is the collector's object for the task, shared by every frame. It is
            // counted once, when the history first sees it (a new pid, an exec): once the task is
            // gone, only past frames hold it. (Counting it when a row leaves instead would count
            // every row a new filter hides: 10,000 × (72 + 96) bytes, the whole budget.)
            var id = r.Identity;
            if (!exists) added += IdentityBytes;
            else if (!ReferenceEquals(slot.Id, id))
            {
                if (slot.Id!.SameAs(id)) id = slot.Id;
                else added += IdentityBytes;
            }
            var p = Pack(r, id, memTotal, exists ? slot.Details : null, ref added);
            p.Flags |= parity;
            if (!exists) { if (record) _undo.Add(new Undo(r.Pid, default)); }
            else if ((slot.Flags & OddFrame) == parity) continue; // duplicate pid in one frame: keep the first
            else if (record && !slot.SameValues(p)) _undo.Add(new Undo(r.Pid, slot));
            slot = p;
            set++;
        }
        // Rows this frame did not set leave the state now (so every row left was set by this frame).
        if (_state.Count > set)
            foreach (var (pid, old) in _state)
                if ((old.Flags & OddFrame) != parity)
                {
                    if (record) _undo.Add(new Undo(pid, old));
                    _state.Remove(pid);
                }
        if (_frames.Last is { } prev)
        {
            prev.Value.Undos = _undo.ToArray();
            prev.Value.Bytes += (long)_undo.Count * UndoBytes + added;
            _frameBytes += (long)_undo.Count * UndoBytes + added;
        }
        _undo.Clear();
        // A refresh where most rows changed (H, a burst of new processes) grows the list to the
        // table's size: give that back rather than keep it for the whole run.
        if (_undo.Capacity > 4096) _undo.Capacity = 256;
        var summary = new TopFrame
        {
            Time = f.Time, UptimeSeconds = f.UptimeSeconds, Users = f.Users, Load = f.Load, Threads = f.Threads,
            Tasks = f.Tasks, Cpu = f.Cpu, PerCpu = f.PerCpu, Memory = f.Memory, CpuPressure = f.CpuPressure,
            IoPressure = f.IoPressure, MemoryPressure = f.MemoryPressure, Rows = [], CpuCount = f.CpuCount,
        };
        _frames.AddLast(new Past(summary, memTotal));
        _frameBytes += FrameBytes;
        while (_frames.Count > 1 && (Bytes > ByteBudget || (f.Time - _frames.First!.Value.Summary.Time).TotalSeconds > SpanSeconds))
        {
            _frameBytes -= _frames.First!.Value.Bytes;
            _frames.RemoveFirst();
        }
        // The machine went back from many processes to fewer: give the dictionary's arrays back.
        if (_state.Count > _peakRows) _peakRows = _state.Count;
        else if (_state.Count < _peakRows / 2)
        {
            _state.TrimExcess();
            _peakRows = _state.Count;
        }
    }

    private static PackedRow Pack(TopRow r, TaskIdentity id, long memTotalKiB, RowDetails? previous, ref long added)
    {
        var p = new PackedRow
        {
            Id = id, VirtKiB = r.VirtKiB, ResKiB = r.ResKiB, TimeTicks = r.TimeTicks, CpuPercent = r.CpuPercent,
            PPid = r.PPid, Threads = (int)Math.Clamp(r.Threads, int.MinValue, int.MaxValue), State = r.State,
        };
        // The kernel's ranges: priority -100..39, nice -20..19 (clamped, never wrapped).
        p.Priority = (short)Math.Clamp(r.Priority, short.MinValue, short.MaxValue);
        p.Nice = (sbyte)Math.Clamp(r.Nice, sbyte.MinValue, sbyte.MaxValue);
        p.Processor = (short)Math.Clamp(r.Processor ?? 0, short.MinValue, short.MaxValue);
        if (r.Processor is null) p.Flags |= ProcessorNull;
        if (r.MinFltPerSecond is null) p.Flags |= MinFltNull;
        if (r.MajFltPerSecond is null) p.Flags |= MajFltNull;
        bool memExact = r.MemPercent.Equals(r.ResKiB * 100.0 / memTotalKiB);
        if (r.ShrKiB is null && (r.MinFltPerSecond ?? 0) == 0 && (r.MajFltPerSecond ?? 0) == 0 && memExact &&
            r.SwapKiB is null && r.UssKiB is null && r.PssKiB is null && r.ReadBytesPerSecond is null && r.WriteBytesPerSecond is null &&
            r.ReadOpsPerSecond is null && r.WriteOpsPerSecond is null && r.VoluntaryCtxtPerSecond is null &&
            r.InvoluntaryCtxtPerSecond is null && r.RunQueueWaitPercent is null && r.Cgroup is null && r.OomScore is null)
            return p;
        var d = new RowDetails(r.ShrKiB, r.MinFltPerSecond, r.MajFltPerSecond, memExact ? null : r.MemPercent,
            r.SwapKiB, r.UssKiB, r.PssKiB, r.ReadBytesPerSecond, r.WriteBytesPerSecond, r.ReadOpsPerSecond, r.WriteOpsPerSecond,
            r.VoluntaryCtxtPerSecond, r.InvoluntaryCtxtPerSecond, r.RunQueueWaitPercent, r.Cgroup, r.OomScore);
        if (previous is not null && previous.Equals(d)) d = previous; // shared with the previous frame
        else added += DetailsBytes;
        p.Details = d;
        return p;
    }

    private static TopRow Unpack(int pid, in PackedRow p, long memTotalKiB)
    {
        var id = p.Id!;
        var d = p.Details;
        var r = new TopRow
        {
            Pid = pid, Identity = id, PPid = p.PPid, Priority = p.Priority, Nice = p.Nice,
            VirtKiB = p.VirtKiB, ResKiB = p.ResKiB, State = p.State, CpuPercent = p.CpuPercent,
            MemPercent = d?.MemPercent ?? p.ResKiB * 100.0 / memTotalKiB, TimeTicks = p.TimeTicks,
            Threads = p.Threads, Processor = (p.Flags & ProcessorNull) != 0 ? null : p.Processor,
            MinFltPerSecond = d is not null ? d.MinFltPerSecond : (p.Flags & MinFltNull) != 0 ? null : 0.0,
            MajFltPerSecond = d is not null ? d.MajFltPerSecond : (p.Flags & MajFltNull) != 0 ? null : 0.0,
        };
        if (d is not null)
        {
            r.ShrKiB = d.ShrKiB;
            r.SwapKiB = d.SwapKiB; r.UssKiB = d.UssKiB; r.PssKiB = d.PssKiB;
            r.ReadBytesPerSecond = d.ReadBytesPerSecond; r.WriteBytesPerSecond = d.WriteBytesPerSecond;
            r.ReadOpsPerSecond = d.ReadOpsPerSecond; r.WriteOpsPerSecond = d.WriteOpsPerSecond;
            r.VoluntaryCtxtPerSecond = d.VoluntaryCtxtPerSecond; r.InvoluntaryCtxtPerSecond = d.InvoluntaryCtxtPerSecond;
            r.RunQueueWaitPercent = d.RunQueueWaitPercent; r.Cgroup = d.Cgroup; r.OomScore = d.OomScore;
        }
        return r;
    }

    /// <summary>
    /// Frame at <paramref name="index"/> from the oldest (0) to the newest (Count − 1), rebuilt:
    /// its summary and all its rows, ordered by pid (the view sorts them with its settings).
    /// </summary>
    public TopFrame At(int index)
    {
        if (index < 0 || index >= _frames.Count) throw new ArgumentOutOfRangeException(nameof(index));
        var node = _frames.First!;
        for (int i = 0; i < index; i++) node = node.Next!;
        var target = node.Value;
        // For each pid changed after the target frame, its row at the target is the old value of the first change.
        var overrides = new Dictionary<int, PackedRow>();
        for (var n = node; n is not null && n.Value.Undos is { } undos; n = n.Next)
            foreach (var u in undos) overrides.TryAdd(u.Pid, u.Old);
        var rows = new List<TopRow>(_state.Count + overrides.Count);
        foreach (var (pid, p) in _state)
        {
            if (overrides.TryGetValue(pid, out var old))
            {
                if (old.Id is not null) rows.Add(Unpack(pid, old, target.MemTotalKiB));
                overrides.Remove(pid);
            }
            else rows.Add(Unpack(pid, p, target.MemTotalKiB));
        }
        foreach (var (pid, old) in overrides)
            if (old.Id is not null) rows.Add(Unpack(pid, old, target.MemTotalKiB));
        rows.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        var s = target.Summary;
        return new TopFrame
        {
            Time = s.Time, UptimeSeconds = s.UptimeSeconds, Users = s.Users, Load = s.Load, Threads = s.Threads,
            Tasks = s.Tasks, Cpu = s.Cpu, PerCpu = s.PerCpu, Memory = s.Memory, CpuPressure = s.CpuPressure,
            IoPressure = s.IoPressure, MemoryPressure = s.MemoryPressure, Rows = rows.ToArray(), CpuCount = s.CpuCount,
        };
    }
}
