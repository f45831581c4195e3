namespace Procscope.Core.LibraryCalls;

/// <summary>How one argument or return value is read and shown (ltrace.conf(5)'s lenses, simplified).</summary>
public enum CallValueType : byte
{
    /// <summary>No value (a void return prints "&lt;void&gt;").</summary>
    Void,
    /// <summary>32-bit signed, decimal.</summary>
    Int,
    /// <summary>32-bit unsigned, decimal.</summary>
    UInt,
    /// <summary>64-bit signed, decimal (long, ssize_t, off_t, time_t).</summary>
    Long,
    /// <summary>64-bit unsigned, decimal (size_t, unsigned long).</summary>
    ULong,
    /// <summary>A character ('a', '\n').</summary>
    Char,
    /// <summary>Hexadecimal (flags, masks).</summary>
    Hex,
    /// <summary>Octal with a leading 0 (modes).</summary>
    Octal,
    /// <summary>An address: 0x… or nil.</summary>
    Pointer,
    /// <summary>A NUL-terminated string read at entry, quoted, cut at -s.</summary>
    String,
    /// <summary>A string the callee writes (sprintf's, fgets' buffer): read when the call returns.</summary>
    OutString,
    /// <summary>A FILE* (shown as its address).</summary>
    File,
    /// <summary>A printf format string; the variadic arguments after it are decoded from it.</summary>
    Format,
    /// <summary>A double in the next xmm register.</summary>
    Double,
    /// <summary>Unknown: small values in decimal, large ones in hex (ltrace's default for unprototyped calls).</summary>
    Unknown,
}

/// <summary>What a failed call returns, so errno is shown with the return value.</summary>
public enum FailureMode : byte
{
    /// <summary>No errno convention.</summary>
    None,
    /// <summary>-1 (or any negative value) means failure; errno says why (open, read, close).</summary>
    MinusOne,
    /// <summary>NULL means failure; errno says why (fopen, malloc, opendir).</summary>
    Null,
}

/// <summary>One library function's prototype.</summary>
public sealed record CallPrototype(string Name, CallValueType Return, IReadOnlyList<CallValueType> Arguments, FailureMode Failure)
{
    /// <summary>The prototype used for a function with none: four arguments of unknown type, ltrace's default.</summary>
    public static CallPrototype Unknown(string name) => new(name, CallValueType.Unknown, [CallValueType.Unknown, CallValueType.Unknown, CallValueType.Unknown, CallValueType.Unknown], FailureMode.None);

    /// <summary>The index of the format argument, or -1.</summary>
    public int FormatIndex
    {
        get
        {
            for (int i = 0; i < Arguments.Count; i++)
                if (Arguments[i] == CallValueType.Format) return i;
            return -1;
        }
    }
}

/// <summary>
/// A table of prototypes parsed from a small C-like text: one declaration a line,
/// <c>ret name(type, type, …);</c> with an optional trailing <c>!errno</c> (failure = -1) or
/// <c>!null</c> (failure = NULL). Types: void int uint long ulong size_t ssize_t char hex octal
/// ptr string out file format double. Lines starting with '#' are comments.
/// </summary>
public sealed class PrototypeTable
{
    private readonly Dictionary<string, CallPrototype> _byName;

    private PrototypeTable(Dictionary<string, CallPrototype> byName) => _byName = byName;

    public int Count => _byName.Count;

    public IEnumerable<CallPrototype> All => _byName.Values;

    public CallPrototype? Find(string name) => _byName.GetValueOrDefault(name);

    /// <exception cref="FormatException">With the line number of a malformed declaration.</exception>
    public static PrototypeTable Parse(string text)
    {
        var map = new Dictionary<string, CallPrototype>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var failure = FailureMode.None;
            int bang = line.IndexOf('!');
            if (bang >= 0)
            {
                failure = line[(bang + 1)..].Trim() switch
                {
                    "errno" => FailureMode.MinusOne,
                    "null" => FailureMode.Null,
                    var f => throw new FormatException($"line {lineNo}: unknown failure mode '{f}'"),
                };
                line = line[..bang].Trim();
            }
            int open = line.IndexOf('('), close = line.LastIndexOf(')');
            if (open < 0 || close < open || !line.EndsWith(';')) throw new FormatException($"line {lineNo}: expected 'ret name(args);'");
            var head = line[..open].Trim();
            int space = head.LastIndexOf(' ');
            if (space < 0) throw new FormatException($"line {lineNo}: missing return type");
            var ret = TypeOf(head[..space].Trim(), lineNo);
            var name = head[(space + 1)..];
            var argText = line[(open + 1)..close].Trim();
            var args = argText.Length == 0 || argText == "void"
                ? []
                : argText.Split(',').Select(a => TypeOf(a.Trim(), lineNo)).ToArray();
            if (!map.TryAdd(name, new CallPrototype(name, ret, args, failure)))
                throw new FormatException($"line {lineNo}: {name} declared twice");
        }
        return new PrototypeTable(map);
    }

    private static CallValueType TypeOf(string t, int lineNo) => t switch
    {
        "void" => CallValueType.Void,
        "int" => CallValueType.Int,
        "uint" => CallValueType.UInt,
        "long" or "ssize_t" => CallValueType.Long,
        "ulong" or "size_t" => CallValueType.ULong,
        "char" => CallValueType.Char,
        "hex" => CallValueType.Hex,
        "octal" => CallValueType.Octal,
        "ptr" => CallValueType.Pointer,
        "string" => CallValueType.String,
        "out" => CallValueType.OutString,
        "file" => CallValueType.File,
        "format" => CallValueType.Format,
        "double" => CallValueType.Double,
        _ => throw new FormatException($"line {lineNo}: unknown type '{t}'"),
    };
}
