using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/cmdline, see proc_pid_cmdline(5): the argument strings, each followed by a NUL.
/// Empty for kernel threads and zombies, which is a state and not an error.
/// </summary>
/// <remarks>
/// A process may rewrite its argv area (setproctitle(3), as sshd, nginx and postgres do). When the
/// last byte of that area is no longer NUL the kernel returns bytes up to the first NUL, which can
/// run on into the environment area (get_mm_proctitle() in fs/proc/base.c). Titles padded with
/// spaces therefore arrive as one argument containing spaces, and titles padded with NULs arrive
/// as one argument followed by empty ones. Both are kept as the
/// kernel gives them: splitting on spaces would invent arguments (a path may contain spaces).
/// </remarks>
public sealed record ProcessCmdline : IProcFile<ProcessCmdline>
{
    public ProcessCmdline(byte[][] args) => Args = args;

    /// <summary>The arguments, raw (hostile: any byte but NUL, including newlines and escapes).</summary>
    public byte[][] Args { get; }

    /// <summary>True for kernel threads and zombies (and a process that exec'd with an empty argv).</summary>
    public bool IsEmpty => Args.Length == 0;

    public static ProcessCmdline Parse(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty) return new ProcessCmdline([]);
        // The last argument's terminator is not a separator; without it (a rewritten argv) the
        // last argument simply runs to the end.
        if (content[^1] == 0) content = content[..^1];
        int n = content.Count((byte)0) + 1;
        var args = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            int nul = content.IndexOf((byte)0);
            if (nul < 0)
            {
                args[i] = content.ToArray();
                break;
            }
            // NUL padding of a rewritten argv yields many empty arguments: share one empty array.
            args[i] = nul == 0 ? [] : content[..nul].ToArray();
            content = content[(nul + 1)..];
        }
        return new ProcessCmdline(args);
    }

    /// <summary>
    /// The arguments joined with single spaces, the way ps(1) shows args. Trailing empty arguments
    /// (the NUL padding of a rewritten argv) are dropped, as procps does; empty arguments in the
    /// middle still produce their separating spaces. Not sanitized: pass the result through
    /// <see cref="TextSanitizer"/> before it reaches a terminal.
    /// </summary>
    public byte[] JoinedWithSpaces()
    {
        int last = Args.Length - 1;
        while (last >= 0 && Args[last].Length == 0) last--;
        if (last < 0) return [];
        int len = last;
        for (int i = 0; i <= last; i++) len += Args[i].Length;
        var result = new byte[len];
        int pos = 0;
        for (int i = 0; i <= last; i++)
        {
            if (i > 0) result[pos++] = (byte)' ';
            Args[i].CopyTo(result, pos);
            pos += Args[i].Length;
        }
        return result;
    }
}
