using System.Globalization;
using System.Text;

namespace Procscope.Core.LibraryCalls;

/// <summary>
/// A stopped call's arguments as the System V x86-64 ABI places them: integers in rdi, rsi, rdx,
/// rcx, r8, r9, then on the stack above the return address; doubles in xmm0–7. Supplied by the
/// tracer at a function's entry.
/// </summary>
public interface ICallFrame
{
    /// <summary>The nth integer-class argument (0-based).</summary>
    ulong Integer(int index);

    /// <summary>The nth floating-point argument (0-based), or null when the registers are not available.</summary>
    double? Double(int index);

    /// <summary>Reads tracee memory; returns how many bytes were readable.</summary>
    int Read(ulong address, Span<byte> destination);
}

/// <summary>How values are shown: -s and ltrace's fixed choices.</summary>
public sealed record FormatOptions(int StringLimit = 32);

/// <summary>The arguments of one call as formatted at its entry; out-strings are completed at return.</summary>
public sealed class FormattedCall
{
    internal readonly List<string> Parts = [];
    internal readonly List<(int Part, ulong Address)> Deferred = [];

    /// <summary>The argument texts, out-strings shown as their address until <see cref="Complete"/>.</summary>
    public IReadOnlyList<string> Arguments => Parts;

    /// <summary>"a, b, c".</summary>
    public string Joined => string.Join(", ", Parts);

    /// <summary>Reads the out-strings (buffers the callee filled) now that it returned.</summary>
    public void Complete(ICallFrame memory, FormatOptions options)
    {
        foreach (var (part, addr) in Deferred) Parts[part] = CallFormatter.ReadString(memory, addr, options.StringLimit);
        Deferred.Clear();
    }
}

/// <summary>
/// Formats arguments and return values as ltrace prints them: <c>malloc(16) = 0x55d0c2a4f2a0</c>,
/// <c>strlen("hello") = 5</c>, <c>printf("%d\n", 5) = 2</c>, <c>getenv("X") = nil</c>,
/// <c>free(0x55d0c2a4f2a0) = &lt;void&gt;</c>; printf-family variadic arguments decoded from the
/// format string; errno appended to a failed call's return value.
/// </summary>
public static class CallFormatter
{
    /// <summary>More conversions than this in one format are shown as "...".</summary>
    public const int MaxVariadic = 32;

    public static FormattedCall FormatEntry(CallPrototype proto, ICallFrame frame, FormatOptions options)
    {
        var call = new FormattedCall();
        int ints = 0, doubles = 0;
        foreach (var t in proto.Arguments)
        {
            if (t == CallValueType.Double)
            {
                call.Parts.Add(FormatDouble(frame.Double(doubles++)));
                continue;
            }
            ulong v = frame.Integer(ints++);
            if (t == CallValueType.OutString && v != 0)
            {
                call.Deferred.Add((call.Parts.Count, v));
                call.Parts.Add(Hex(v));
                continue;
            }
            call.Parts.Add(FormatValue(t, v, frame, options));
            if (t == CallValueType.Format && v != 0)
                AppendVariadic(call.Parts, ReadCString(frame, v, 4096), frame, ref ints, ref doubles, options);
        }
        return call;
    }

    /// <summary>The text after " = ": the value, and for a failed call with an errno convention, its name.</summary>
    public static string FormatReturn(CallPrototype proto, ulong rax, double? xmm0, ICallFrame memory, FormatOptions options, int? errno)
    {
        if (proto.Return == CallValueType.Double) return FormatDouble(xmm0);
        string text = FormatValue(proto.Return, rax, memory, options);
        bool failed = proto.Failure switch
        {
            FailureMode.MinusOne => proto.Return is CallValueType.Int ? (int)rax < 0 : (long)rax < 0,
            FailureMode.Null => rax == 0,
            _ => false,
        };
        if (failed && errno is > 0) text += " " + ErrnoText(errno.Value);
        return text;
    }

    /// <summary>"ENOENT (No such file or directory)", from the generated errno table.</summary>
    public static string ErrnoText(int errno) =>
        Syscalls.Xlat.Errnos.Name(errno) is { } name ? $"{name} ({Syscalls.Xlat.Errnos.Message(errno)})" : $"E{errno}";

    /// <summary>Whether the return value means failure (so the tracer reads errno).</summary>
    public static bool IsFailure(CallPrototype proto, ulong rax) => proto.Failure switch
    {
        FailureMode.MinusOne => proto.Return is CallValueType.Int ? (int)rax < 0 : (long)rax < 0,
        FailureMode.Null => rax == 0,
        _ => false,
    };

    public static string FormatValue(CallValueType t, ulong v, ICallFrame memory, FormatOptions options) => t switch
    {
        CallValueType.Void => "<void>",
        CallValueType.Int => ((int)v).ToString(CultureInfo.InvariantCulture),
        CallValueType.UInt => ((uint)v).ToString(CultureInfo.InvariantCulture),
        CallValueType.Long => ((long)v).ToString(CultureInfo.InvariantCulture),
        CallValueType.ULong => v.ToString(CultureInfo.InvariantCulture),
        CallValueType.Char => Char((byte)v),
        CallValueType.Hex => "0x" + v.ToString("x", CultureInfo.InvariantCulture),
        CallValueType.Octal => "0" + Convert.ToString((long)v, 8), // ltrace: 0644, and 00 for zero
        CallValueType.Pointer or CallValueType.File or CallValueType.OutString => v == 0 ? "nil" : Hex(v),
        CallValueType.String or CallValueType.Format => v == 0 ? "nil" : ReadString(memory, v, options.StringLimit),
        CallValueType.Unknown => (long)v is > -65536 and < 65536 ? ((long)v).ToString(CultureInfo.InvariantCulture) : Hex(v),
        _ => Hex(v),
    };

    public static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private static string FormatDouble(double? d) =>
        d is { } x ? x.ToString("F6", CultureInfo.InvariantCulture) : "?";

    /// <summary>A quoted, escaped string of at most <paramref name="limit"/> bytes, then "..." if longer.</summary>
    public static string ReadString(ICallFrame memory, ulong address, int limit)
    {
        if (address == 0) return "nil";
        var bytes = ReadCString(memory, address, limit + 1, out bool readable);
        if (!readable) return Hex(address);
        bool cut = bytes.Length > limit;
        var sb = new StringBuilder(bytes.Length + 8).Append('"');
        foreach (byte b in cut ? bytes.AsSpan(0, limit) : bytes) AppendEscaped(sb, b, '"');
        sb.Append('"');
        if (cut) sb.Append("...");
        return sb.ToString();
    }

    private static byte[] ReadCString(ICallFrame memory, ulong address, int max) => ReadCString(memory, address, max, out _);

    /// <summary>Reads up to <paramref name="max"/> bytes before a NUL, page by page (a string may end just before an unmapped page).</summary>
    private static byte[] ReadCString(ICallFrame memory, ulong address, int max, out bool readable)
    {
        var result = new List<byte>(Math.Min(max, 256));
        Span<byte> buf = stackalloc byte[256];
        readable = false;
        ulong a = address;
        while (result.Count < max)
        {
            int want = (int)Math.Min((ulong)Math.Min(buf.Length, max - result.Count), 4096 - (a & 4095));
            int n = memory.Read(a, buf[..want]);
            if (n <= 0) break;
            readable = true;
            int nul = buf[..n].IndexOf((byte)0);
            if (nul >= 0)
            {
                foreach (byte b in buf[..nul]) result.Add(b);
                return [.. result];
            }
            foreach (byte b in buf[..n]) result.Add(b);
            a += (ulong)n;
        }
        return [.. result];
    }

    private static string Char(byte b)
    {
        var sb = new StringBuilder(6).Append('\'');
        AppendEscaped(sb, b, '\'');
        return sb.Append('\'').ToString();
    }

    /// <summary>C escapes as ltrace prints them; other control and non-ASCII bytes in octal (hostile bytes never reach the terminal raw).</summary>
    private static void AppendEscaped(StringBuilder sb, byte b, char quote)
    {
        switch (b)
        {
            case (byte)'\n': sb.Append("\\n"); return;
            case (byte)'\t': sb.Append("\\t"); return;
            case (byte)'\r': sb.Append("\\r"); return;
            case (byte)'\\': sb.Append("\\\\"); return;
            case 0x1b: sb.Append("\\033"); return;
            case 0: sb.Append("\\0"); return;
        }
        if (b == quote) { sb.Append('\\').Append(quote); return; }
        if (b < 0x20 || b >= 0x7f) { sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0')); return; }
        sb.Append((char)b);
    }

    /// <summary>Appends one text per conversion of a printf format, reading the next integer or xmm argument.</summary>
    private static void AppendVariadic(List<string> parts, byte[] format, ICallFrame frame, ref int ints, ref int doubles, FormatOptions options)
    {
        int count = 0;
        foreach (var conv in PrintfFormat.Conversions(format))
        {
            if (count++ == MaxVariadic) { parts.Add("..."); return; }
            switch (conv)
            {
                case PrintfArg.Star: parts.Add(((int)frame.Integer(ints++)).ToString(CultureInfo.InvariantCulture)); break;
                case PrintfArg.Int: parts.Add(((int)frame.Integer(ints++)).ToString(CultureInfo.InvariantCulture)); break;
                case PrintfArg.Long: parts.Add(((long)frame.Integer(ints++)).ToString(CultureInfo.InvariantCulture)); break;
                case PrintfArg.UInt: parts.Add(((uint)frame.Integer(ints++)).ToString(CultureInfo.InvariantCulture)); break;
                case PrintfArg.ULong: parts.Add(frame.Integer(ints++).ToString(CultureInfo.InvariantCulture)); break;
                case PrintfArg.HexInt: parts.Add(Hex((uint)frame.Integer(ints++))); break;
                case PrintfArg.HexLong: parts.Add(Hex(frame.Integer(ints++))); break;
                case PrintfArg.OctalInt: parts.Add(FormatValue(CallValueType.Octal, (uint)frame.Integer(ints++), frame, options)); break;
                case PrintfArg.OctalLong: parts.Add(FormatValue(CallValueType.Octal, frame.Integer(ints++), frame, options)); break;
                case PrintfArg.Char: parts.Add(Char((byte)frame.Integer(ints++))); break;
                case PrintfArg.String: parts.Add(FormatValue(CallValueType.String, frame.Integer(ints++), frame, options)); break;
                case PrintfArg.Pointer: parts.Add(FormatValue(CallValueType.Pointer, frame.Integer(ints++), frame, options)); break;
                case PrintfArg.Double: parts.Add(FormatDouble(frame.Double(doubles++))); break;
                case PrintfArg.LongDouble: parts.Add("?"); break;
            }
        }
    }
}

/// <summary>What one printf conversion consumes.</summary>
public enum PrintfArg : byte { Int, Long, UInt, ULong, HexInt, HexLong, OctalInt, OctalLong, Char, String, Pointer, Double, LongDouble, Star }

/// <summary>printf(3) format strings: the argument each conversion consumes, in order.</summary>
public static class PrintfFormat
{
    public static IEnumerable<PrintfArg> Conversions(byte[] format)
    {
        int i = 0;
        while (i < format.Length)
        {
            if (format[i++] != '%') continue;
            if (i < format.Length && format[i] == '%') { i++; continue; }
            // %n$ positional forms are rare in calls worth tracing; handled as the plain order.
            while (i < format.Length && "-+ #0'I".IndexOf((char)format[i]) >= 0) i++;
            if (i < format.Length && format[i] == '*') { i++; yield return PrintfArg.Star; }
            while (i < format.Length && format[i] is >= (byte)'0' and <= (byte)'9' or (byte)'$') i++;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (i < format.Length && format[i] == '*') { i++; yield return PrintfArg.Star; }
                while (i < format.Length && format[i] is >= (byte)'0' and <= (byte)'9') i++;
            }
            int longs = 0;
            bool longDouble = false;
            while (i < format.Length && "hlLqjztZ".IndexOf((char)format[i]) >= 0)
            {
                char m = (char)format[i++];
                if (m is 'l' or 'q' or 'j' or 'z' or 't' or 'Z') longs++;
                if (m is 'L') longDouble = true;
            }
            if (i >= format.Length) yield break;
            char c = (char)format[i++];
            bool wide = longs > 0;
            switch (c)
            {
                case 'd' or 'i': yield return wide ? PrintfArg.Long : PrintfArg.Int; break;
                case 'u': yield return wide ? PrintfArg.ULong : PrintfArg.UInt; break;
                case 'x' or 'X': yield return wide ? PrintfArg.HexLong : PrintfArg.HexInt; break;
                case 'o': yield return wide ? PrintfArg.OctalLong : PrintfArg.OctalInt; break;
                case 'c': yield return PrintfArg.Char; break;
                case 's': yield return PrintfArg.String; break;
                case 'p' or 'n': yield return PrintfArg.Pointer; break;
                case 'f' or 'F' or 'e' or 'E' or 'g' or 'G' or 'a' or 'A': yield return longDouble ? PrintfArg.LongDouble : PrintfArg.Double; break;
                case 'm': break;
                default: yield break; // an invalid conversion: stop, as printf's behaviour is undefined past it
            }
        }
    }
}
