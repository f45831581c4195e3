namespace Procscope.Cli.Commands.Ps;

/// <summary>What a selection list matches against (procps SEL_*).</summary>
internal enum SelectionType
{
    Ruid,
    Euid,
    Rgid,
    Egid,
    Pgrp,
    Pid,
    PidQuick,
    Tty,
    Session,
    Command,
    Ppid,
}

/// <summary>One -p/-u/-t/… list. Numeric lists use <see cref="Values"/>, -C uses <see cref="Names"/>.</summary>
internal sealed record Selection(SelectionType Type, uint[] Values, string[]? Names = null);

/// <summary>What the invocation asks for besides a listing.</summary>
internal enum PsAction
{
    List,
    Help,
    Version,
    ListSpecifiers,
}

/// <summary>Threads shown how (procps TF_* flags).</summary>
[Flags]
internal enum ThreadFlags
{
    None = 0,
    BsdH = 0x0001,
    BsdM = 0x0002,
    UnixM = 0x0004,
    UnixT = 0x0008,
    UnixL = 0x0010,
    ShowProc = 0x0100,
    ShowTask = 0x0200,
    ShowBoth = 0x0400,
    LooseTasks = 0x0800,
    MustUse = 0x4000,
}

/// <summary>Predefined formats asked for (procps FF_*).</summary>
[Flags]
internal enum FormatFlags
{
    None = 0,
    UnixF = 0x0001,
    UnixJ = 0x0002,
    UnixL = 0x0004,
    BsdJ = 0x0008,
    BsdL = 0x0010,
    BsdS = 0x0020,
    BsdU = 0x0040,
    BsdV = 0x0080,
    LinuxX = 0x0100,
    LinuxM = 0x0200,
    Context = 0x0400,
}

/// <summary>Format modifiers (procps FM_*).</summary>
[Flags]
internal enum FormatModifiers
{
    None = 0,
    C = 0x0001,
    J = 0x0002,
    Y = 0x0004,
    P = 0x0010,
    M = 0x0020,
    F = 0x0080,
}

/// <summary>Simple selections (procps SS_*).</summary>
[Flags]
internal enum SimpleSelect
{
    None = 0,
    BsdX = 0x01,
    BsdG = 0x02,
    UnixD = 0x04,
    UnixA = 0x08,
    BsdA = 0x10,
}

internal enum HeaderType
{
    Single,
    None,
    Multi,
}

/// <summary>One output column (procps format_node): a specifier with its header and width, or AIX literal text.</summary>
internal sealed class Column
{
    public required string Name { get; init; }
    public required int Width { get; set; }
    /// <summary>Null for AIX literal text.</summary>
    public FieldDef? Field { get; init; }
    public J Just { get; init; }
    public P Print { get; init; }
    /// <summary>Printer; R.Nop prints "-" (also set for thread-only columns of m's process lines and vice versa).</summary>
    public R Render { get; set; }
    public bool HasPrinter => Field is not null;

    public Column Clone() => new() { Name = Name, Width = Width, Field = Field, Just = Just, Print = Print, Render = Render };
}

/// <summary>One sort key; <see cref="Descending"/> for a leading '-'.</summary>
internal sealed record SortNode(FieldDef Field, bool Descending);

/// <summary>The whole parsed invocation.</summary>
internal sealed class PsOptions
{
    public PsAction Action { get; set; }
    public string? HelpTopic { get; set; }

    public bool AllProcesses { get; set; }
    public SimpleSelect SimpleSelect { get; set; }
    /// <summary>Bit i set: accept a process whose (euid==ours)|(session leader)&lt;&lt;1|(no tty)&lt;&lt;2|(our tty)&lt;&lt;3 is i.</summary>
    public int SelectBits { get; set; }
    public List<Selection> Selections { get; } = [];
    public bool Negate { get; set; }
    public bool RunningOnly { get; set; }

    public ThreadFlags Threads { get; set; }
    /// <summary>'\0', 'b' (f), 'g' (--forest) or 'u' (-H).</summary>
    public char ForestType { get; set; }
    public HeaderType Header { get; set; }
    public bool IncludeDeadChildren { get; set; }
    public bool BsdC { get; set; }
    public bool BsdE { get; set; }
    public bool UnixF { get; set; }
    public bool UserIsNumber { get; set; }
    public bool WchanIsNumber { get; set; }

    public int ScreenCols { get; set; }
    public int ScreenRows { get; set; }

    public List<Column> Columns { get; set; } = [];
    /// <summary>Sorts in the order procps applies them (each stable): the last is the primary key.</summary>
    public List<SortNode> Sort { get; set; } = [];

    public bool Json { get; set; }
    public bool JsonLines { get; set; }
}
