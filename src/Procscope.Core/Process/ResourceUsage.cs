namespace Procscope.Core.Process;

/// <summary>
/// struct rusage as wait4(2) returns it for a reaped child (getrusage(2)): the child's own usage
/// plus that of every descendant it waited for. Field names follow the man page.
/// </summary>
/// <remarks>
/// Linux leaves <see cref="IxRss"/>, <see cref="IdRss"/>, <see cref="IsRss"/>, <see cref="NSwap"/>,
/// <see cref="MsgSnd"/>, <see cref="MsgRcv"/> and <see cref="NSignals"/> at zero (getrusage(2),
/// "unused" / "unmaintained on Linux"): they are kept so GNU time's formats can print them, and
/// reports of our own leave them out. <see cref="InBlock"/> and <see cref="OuBlock"/> count 512-byte
/// units of storage IO (task io accounting: read_bytes / 512, write_bytes / 512).
/// </remarks>
public sealed record ResourceUsage(
    long UTimeMicroseconds,
    long STimeMicroseconds,
    long MaxRssKiB,
    long IxRss,
    long IdRss,
    long IsRss,
    long MinFlt,
    long MajFlt,
    long NSwap,
    long InBlock,
    long OuBlock,
    long MsgSnd,
    long MsgRcv,
    long NSignals,
    long NvCsw,
    long NivCsw)
{
    /// <summary>All zero: the usage reported for a command that could not be started.</summary>
    public static ResourceUsage Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public long MaxRssBytes => MaxRssKiB * 1024;
    /// <summary>Bytes the tree caused to be read from storage (ru_inblock × 512).</summary>
    public long ReadBytes => InBlock * 512;
    /// <summary>Bytes the tree caused to be written to storage (ru_oublock × 512).</summary>
    public long WrittenBytes => OuBlock * 512;
}

/// <summary>A wait(2) status word, decoded as the W* macros of sys/wait.h do.</summary>
public readonly record struct WaitStatus(int Raw)
{
    public bool Exited => (Raw & 0x7f) == 0;
    /// <summary>WEXITSTATUS: meaningful when <see cref="Exited"/>; 0 otherwise (as GNU time's %x prints).</summary>
    public int ExitCode => (Raw >> 8) & 0xff;
    public bool Signaled => ((sbyte)((Raw & 0x7f) + 1) >> 1) > 0;
    public int TermSignal => Raw & 0x7f;
    public bool CoreDumped => Signaled && (Raw & 0x80) != 0;
    public bool Stopped => (Raw & 0xff) == 0x7f;
    public int StopSignal => (Raw >> 8) & 0xff;

    /// <summary>The exit code a shell reports: the code, or 128 + the signal.</summary>
    public int ShellExitCode => Signaled ? 128 + TermSignal : Stopped ? 128 + StopSignal : ExitCode;
}
