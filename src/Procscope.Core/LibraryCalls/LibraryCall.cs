namespace Procscope.Core.LibraryCalls;

/// <summary>One traced library call, filled at its entry and completed at its return.</summary>
public sealed class LibraryCall
{
    public required int Pid { get; init; }
    public required int Tid { get; init; }
    /// <summary>The symbol name as the library exports it (mangled for C++).</summary>
    public required string Name { get; init; }
    /// <summary>The file name of the library that defines it (libc.so.6).</summary>
    public required string Library { get; init; }
    /// <summary>The return address: the instruction after the call in the caller.</summary>
    public required ulong ReturnAddress { get; init; }
    public required FormattedCall Arguments { get; init; }
    /// <summary>Stopwatch ticks at entry and at return.</summary>
    public required long EntryTimestamp { get; init; }
    public long ReturnTimestamp { get; set; }
    /// <summary>Wall-clock time of the entry (for -t, -tt, -ttt).</summary>
    public required DateTimeOffset EntryWallClock { get; init; }
    /// <summary>Calls of the same thread still in progress around this one (for -n).</summary>
    public required int Depth { get; init; }
    /// <summary>The text after " = ", set when the call returned.</summary>
    public string? ReturnText { get; set; }
    /// <summary>The raw return value (rax).</summary>
    public ulong ReturnValue { get; set; }
    /// <summary>errno read after a failed call, if the prototype has an errno convention.</summary>
    public int? Errno { get; set; }
    public bool Returned => ReturnText is not null;
}
