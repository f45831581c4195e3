namespace Procscope.Cli.Commands.Ps;

/// <summary>
/// Chooses and orders the lines to print the way procps' display.c does: plain listing, threads
/// after their process (m), threads as processes (H, -L, -T), sorted, or as a forest; and prints
/// the header at the right moments.
/// </summary>
internal sealed class PsOutput
{
    private readonly PsContext _c;
    private readonly IPsSink _sink;
    private readonly Column[] _format;
    private readonly Column[] _procFormat;
    private readonly Column[] _taskFormat;
    private int _linesToNextHeader = 1;
    private readonly int _headerGap = -1;

    public PsOutput(PsContext context, IPsSink sink)
    {
        _c = context;
        _sink = sink;
        var o = context.Options;
        _format = [.. o.Columns];
        if ((o.Threads & ThreadFlags.ShowBoth) != 0)
        {
            // m/-m: process lines leave thread-only columns blank ("-") and thread lines the reverse.
            _procFormat = new Column[_format.Length];
            _taskFormat = new Column[_format.Length];
            for (int i = 0; i < _format.Length; i++)
            {
                var f = _format[i];
                _procFormat[i] = f;
                _taskFormat[i] = f.Clone();
                if (f.Print == P.Thread) _procFormat[i] = WithNop(f);
                else if (f.Print == P.Process) _taskFormat[i].Render = R.Nop;
            }
        }
        else
        {
            _procFormat = _format;
            _taskFormat = _format;
        }
        // procps check_headers(): no header when every column name is empty.
        if (o.Header == HeaderType.Multi) _headerGap = o.ScreenRows - 1;
        else if (o.Header == HeaderType.None || !_format.Any(f => f.Name.Length > 0 && f.HasPrinter)) _linesToNextHeader = -1;
    }

    private static Column WithNop(Column f)
    {
        var c = f.Clone();
        c.Render = R.Nop;
        return c;
    }

    /// <summary>Rows printed so far.</summary>
    public int Shown { get; private set; }

    private void Show(PsTask task, Column[] fmt)
    {
        if (--_linesToNextHeader == 0)
        {
            _linesToNextHeader = _headerGap;
            _sink.Write(null, fmt);
        }
        Shown++;
        _sink.Write(task, fmt);
    }

    /// <summary>procps want_this_proc(): the selection options applied to one line.</summary>
    public static bool Wanted(PsTask t, PsContext c)
    {
        var o = c.Options;
        bool accepted = true;
        if (!o.AllProcesses)
        {
            if ((o.SimpleSelect != SimpleSelect.None || o.Selections.Count == 0) && TableAccept(t, c)) { }
            else if (Listed(t, c)) { }
            else accepted = false;
        }
        if (o.RunningOnly && t.Stat.State is not ('R' or 'D')) accepted = false;
        return o.Negate ? !accepted : accepted;
    }

    private static bool TableAccept(PsTask t, PsContext c)
    {
        int index = (t.Euid == c.OwnEuid ? 1 : 0)
                    | (t.Stat.Session == t.Tgid ? 2 : 0)
                    | (t.Stat.TtyNr == 0 ? 4 : 0)
                    | (t.Stat.TtyNr == c.OwnTty ? 8 : 0);
        return (c.Options.SelectBits & (1 << index)) != 0;
    }

    private static bool Listed(PsTask t, PsContext c)
    {
        foreach (var sel in c.Options.Selections)
        {
            uint v;
            switch (sel.Type)
            {
                case SelectionType.Command:
                    if (CommandMatches(t.Cmd(c), sel.Names!)) return true;
                    continue;
                case SelectionType.Ruid: v = t.Ruid; break;
                case SelectionType.Euid: v = t.Euid; break;
                case SelectionType.Rgid: v = t.Rgid; break;
                case SelectionType.Egid: v = t.Egid; break;
                case SelectionType.Pgrp: v = (uint)t.Stat.PGrp; break;
                case SelectionType.Pid:
                case SelectionType.PidQuick: v = (uint)t.Tgid; break;
                case SelectionType.Ppid: v = (uint)t.Stat.PPid; break;
                case SelectionType.Tty: v = (uint)t.Stat.TtyNr; break;
                case SelectionType.Session: v = (uint)t.Stat.Session; break;
                default: continue;
            }
            if (Array.IndexOf(sel.Values, v) >= 0) return true;
        }
        return false;
    }

    /// <summary>-C: the name as escaped compared on 63 bytes; a 15-byte (truncated) name also matches a longer argument starting with it.</summary>
    private static bool CommandMatches(byte[] cmd, string[] names)
    {
        foreach (var n in names)
        {
            var want = System.Text.Encoding.UTF8.GetBytes(n);
            if (cmd.Length == 15 && want.Length >= 15 && cmd.AsSpan().SequenceEqual(want.AsSpan(0, 15))) return true;
            var a = cmd.AsSpan(0, Math.Min(cmd.Length, 63));
            var b = want.AsSpan(0, Math.Min(want.Length, 63));
            if (a.SequenceEqual(b)) return true;
        }
        return false;
    }

    /// <param name="processes">One line per process, in /proc order.</param>
    /// <param name="tasks">Every thread (the leader read from the process directory), grouped by process in /proc order; null when threads were not read.</param>
    public void Run(List<PsTask> processes, List<PsTask>? tasks)
    {
        var o = _c.Options;
        if (o.ForestType != '\0' || o.Sort.Count > 0) Fancy(processes, tasks);
        else Simple(processes, tasks);
        if (Shown == 0 && --_linesToNextHeader == 0) _sink.Write(null, _format);
        _sink.Finish();
    }

    private void Simple(List<PsTask> processes, List<PsTask>? tasks)
    {
        var t = _c.Options.Threads & (ThreadFlags.ShowProc | ThreadFlags.LooseTasks | ThreadFlags.ShowTask);
        switch (t)
        {
            case ThreadFlags.ShowProc:
                foreach (var p in processes)
                    if (Wanted(p, _c)) Show(p, _procFormat);
                break;
            case ThreadFlags.ShowTask:
            case ThreadFlags.ShowProc | ThreadFlags.LooseTasks:
                foreach (var p in tasks!)
                    if (Wanted(p, _c)) Show(p, _taskFormat);
                break;
            case ThreadFlags.ShowProc | ThreadFlags.ShowTask:
            {
                // Stable sorts by start time, then by process: threads follow their process in start order.
                var all = tasks!;
                var order = new int[all.Count];
                for (int i = 0; i < order.Length; i++) order[i] = i;
                Array.Sort(order, (a, b) =>
                {
                    int r = all[a].Tgid.CompareTo(all[b].Tgid);
                    if (r != 0) return r;
                    r = all[a].Stat.StartTimeTicks.CompareTo(all[b].Stat.StartTimeTicks);
                    return r != 0 ? r : a.CompareTo(b);
                });
                int n = order.Length;
                int i2 = 0;
                while (i2 < n)
                {
                    var buf = all[order[i2]];
                    if (!Wanted(buf, _c))
                    {
                        i2++;
                        continue;
                    }
                    int self = buf.Tid;
                    Show(buf, _procFormat);
                    int j = i2;
                    while (j < n && all[order[j]].Tgid == self)
                    {
                        Show(all[order[j]], _taskFormat);
                        j++;
                    }
                    // procps re-examines the line that ended the group (it would loop forever on a
                    // non-leader thread whose group id differs from its own id; we move on instead).
                    i2 = j == i2 ? i2 + 1 : j;
                }
                break;
            }
        }
    }

    private void Fancy(List<PsTask> processes, List<PsTask>? tasks)
    {
        var o = _c.Options;
        var source = (o.Threads & ThreadFlags.LooseTasks) != 0 ? tasks! : processes;
        var wanted = new List<PsTask>(source.Count);
        foreach (var p in source)
            if (Wanted(p, _c)) wanted.Add(p);
        if (wanted.Count == 0) return;
        var sorts = new List<SortNode>();
        if (o.ForestType != '\0')
        {
            // prep_forest_sort(): start time first, then the user's keys or the parent pid.
            sorts.Add(new SortNode(PsFields.Find("start_time")!, false));
            if (o.Sort.Count == 0) sorts.Add(new SortNode(PsFields.Find("ppid")!, false));
        }
        sorts.AddRange(o.Sort);
        var list = PsSort.Apply(wanted, sorts, _c);
        if (o.ForestType != '\0') Forest(list);
        else
            foreach (var p in list) Show(p, _procFormat);
    }

    private List<PsTask> _list = null!;
    private Dictionary<int, int> _firstChild = null!;

    /// <summary>procps show_forest(): every line whose parent is not listed starts a tree, last one first.</summary>
    private void Forest(List<PsTask> list)
    {
        _list = list;
        var pids = new HashSet<int>();
        _firstChild = new Dictionary<int, int>();
        for (int i = 0; i < list.Count; i++)
        {
            pids.Add(list[i].Tgid);
            _firstChild.TryAdd(list[i].Stat.PPid, i);
        }
        for (int i = list.Count - 1; i >= 0; i--)
            if (!pids.Contains(list[i].Stat.PPid)) ShowTree(i, 0, false);
        _c.ForestLevel = 0;
    }

    /// <summary>
    /// procps show_tree(): a line, then the run of lines right after the first one whose parent it
    /// is (with a custom sort, children that are not adjacent are not shown, as in procps 4.0.2).
    /// Children of pid 1 stay at its level except with -H.
    /// </summary>
    private void ShowTree(int self, int level, bool haveSibling)
    {
        var prefix = _c.ForestPrefix;
        if (level > 0) prefix[level - 1] = haveSibling ? '+' : 'L';
        _c.ForestLevel = level;
        Show(_list[self], _format);
        int selfPid = _list[self].Tgid;
        if (!_firstChild.TryGetValue(selfPid, out int i)) return;
        if (level > 0) prefix[level - 1] = haveSibling ? '|' : ' ';
        int n = _list.Count;
        while (i < n)
        {
            bool more = i + 1 < n && _list[i + 1].Stat.PPid == selfPid;
            int next = selfPid == 1 && _c.Options.ForestType != 'u' ? level : Math.Min(level + 1, prefix.Length - 1);
            ShowTree(i++, next, more);
            if (!more) break;
        }
    }
}
