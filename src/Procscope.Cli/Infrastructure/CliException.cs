namespace Procscope.Cli.Infrastructure;

/// <summary>
/// An expected user error: printed as one line "procscope: …" with <see cref="ExitCode"/>, never a stack trace.
/// </summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Exit codes. Classic commands follow the classic tool's (procps: 1 for bad usage and for "nothing matched").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad option or value (procps uses 1 for these).</summary>
    public const int Usage = 1;
    /// <summary>Selection matched nothing (ps -p with an unknown pid).</summary>
    public const int NothingMatched = 1;
    /// <summary>Output could not be written (full disk, closed descriptor).</summary>
    public const int WriteError = 1;
    /// <summary>stdout closed by the reader (ps | head): 128 + SIGPIPE, as the shell reports for procps.</summary>
    public const int BrokenPipe = 141;
    /// <summary>A bug in procscope (EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
