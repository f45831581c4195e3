using System.Diagnostics;
using System.Globalization;
using Procscope.Core.Syscalls;

namespace Procscope.Cli.Commands.Trace;

/// <summary>-c / -C: calls, errors and time per system call, per ABI; strace -c's table.</summary>
public sealed class SyscallStats(bool wallClock)
{
    private const int Max = 1024;

    private sealed class Row
    {
        public long Calls, Errors, Ticks, MinTicks = long.MaxValue, MaxTicks;
    }

    private readonly Row?[] _x64 = new Row?[Max];
    private readonly Row?[] _i386 = new Row?[Max];

    public bool WallClock { get; } = wallClock;

    public void Add(SyscallAbi abi, long nr, long ticks, bool failed)
    {
        if ((ulong)nr >= Max) return;
        var rows = abi == SyscallAbi.I386 ? _i386 : _x64;
        var r = rows[nr] ??= new Row();
        r.Calls++;
        if (failed) r.Errors++;
        r.Ticks += ticks;
        if (ticks < r.MinTicks) r.MinTicks = ticks;
        if (ticks > r.MaxTicks) r.MaxTicks = ticks;
    }

    public static readonly string[] SortKeys = ["time", "min-time", "max-time", "avg-time", "calls", "errors", "name", "nothing"];

    /// <summary>The table(s), as strace prints them: x86_64 first; i386 calls in a second table.</summary>
    public void Write(TextWriter w, string sortBy)
    {
        bool any32 = _i386.Any(r => r is not null);
        bool any64 = _x64.Any(r => r is not null);
        if (any64 || !any32) Table(w, SyscallAbi.X64, _x64, sortBy);
        if (any32)
        {
            if (any64) w.WriteLine("System call usage summary for 32 bit mode:");
            Table(w, SyscallAbi.I386, _i386, sortBy);
        }
    }

    private static void Table(TextWriter w, SyscallAbi abi, Row?[] rows, string sortBy)
    {
        var list = new List<(string Name, Row Row)>();
        for (int i = 0; i < rows.Length; i++)
            if (rows[i] is { } r)
                list.Add((SyscallTable.Lookup(abi, i)?.Name ?? SyscallTable.UnknownName(i), r));
        Comparison<(string Name, Row Row)> cmp = sortBy switch
        {
            "calls" => (a, b) => b.Row.Calls.CompareTo(a.Row.Calls),
            "errors" => (a, b) => b.Row.Errors.CompareTo(a.Row.Errors),
            "name" => (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "min-time" => (a, b) => b.Row.MinTicks.CompareTo(a.Row.MinTicks),
            "max-time" => (a, b) => b.Row.MaxTicks.CompareTo(a.Row.MaxTicks),
            "avg-time" => (a, b) => (b.Row.Ticks / b.Row.Calls).CompareTo(a.Row.Ticks / a.Row.Calls),
            "nothing" => (a, b) => 0,
            _ => (a, b) => b.Row.Ticks.CompareTo(a.Row.Ticks),
        };
        // Ties keep the table's (system call number) order, as strace's stable sort does.
        if (sortBy != "nothing")
        {
            var order = new Dictionary<string, int>(list.Count);
            for (int i = 0; i < list.Count; i++) order.TryAdd(list[i].Name, i);
            list.Sort((a, b) => { int c = cmp(a, b); return c != 0 ? c : order[a.Name].CompareTo(order[b.Name]); });
        }
        long totalTicks = list.Sum(e => e.Row.Ticks), totalCalls = list.Sum(e => e.Row.Calls), totalErrors = list.Sum(e => e.Row.Errors);
        w.WriteLine("% time     seconds  usecs/call     calls    errors syscall");
        w.WriteLine("------ ----------- ----------- --------- --------- ----------------");
        foreach (var (name, r) in list)
            Line(w, totalTicks == 0 ? 0 : 100.0 * r.Ticks / totalTicks, r.Ticks, r.Calls, r.Errors, name);
        w.WriteLine("------ ----------- ----------- --------- --------- ----------------");
        Line(w, 100.0, totalTicks, totalCalls, totalErrors, "total");
    }

    private static void Line(TextWriter w, double percent, long ticks, long calls, long errors, string name)
    {
        long us = ticks * 1_000_000 / Stopwatch.Frequency;
        long perCall = calls == 0 ? 0 : us / calls;
        var ci = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(ci, $"{percent,6:F2} {us / 1_000_000,4}.{us % 1_000_000:D6} {perCall,11} {calls,9} {(errors == 0 ? "" : errors.ToString(ci)),9} {name}"));
    }
}
