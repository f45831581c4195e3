namespace Procscope.Core.Parsing;

/// <summary>
/// The content of a kernel file did not have the shape its man page describes. This is a bug in
/// our parser (or a kernel we do not know yet), never an expected condition: it carries the file,
/// the byte offset and the offending line so a report can be acted upon.
/// </summary>
public sealed class ProcFormatException : Exception
{
    public ProcFormatException(string file, int offset, string message, string? line = null)
        : base(FormatMessage(file, offset, message, line))
    {
        File = file;
        Offset = offset;
        Line = line;
    }

    /// <summary>The kernel file, e.g. "/proc/[pid]/stat".</summary>
    public string File { get; }
    /// <summary>Byte offset of the problem inside the file.</summary>
    public int Offset { get; }
    /// <summary>The offending line, sanitized, if known.</summary>
    public string? Line { get; }

    /// <summary>Builds an exception quoting the line around <paramref name="offset"/>.</summary>
    public static ProcFormatException At(string file, ReadOnlySpan<byte> content, int offset, string message)
    {
        if (offset < 0) offset = 0;
        if (offset > content.Length) offset = content.Length;
        int start = content[..offset].LastIndexOf((byte)'\n') + 1;
        int end = content[offset..].IndexOf((byte)'\n');
        end = end < 0 ? content.Length : offset + end;
        var line = TextSanitizer.ForTerminal(content[start..Math.Min(end, start + 200)]);
        return new ProcFormatException(file, offset, message, line);
    }

    private static string FormatMessage(string file, int offset, string message, string? line) =>
        line is null ? $"{file}: {message} at byte {offset}" : $"{file}: {message} at byte {offset} in line \"{line}\"";
}
