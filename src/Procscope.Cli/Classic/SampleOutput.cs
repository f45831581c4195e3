using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Classic;

/// <summary>End-of-sample handling for the sampling loops (free -s, vmstat delay).</summary>
public static class SampleOutput
{
    /// <summary>
    /// Flushes the sample, as procps line-buffers its output. When the reader of a pipe has gone
    /// (<c>procscope vmstat 1 | head -3</c>) the write fails with EPIPE, which the host turns into
    /// exit status 141, as a shell reports procps killed by SIGPIPE.
    /// </summary>
    public static void Flush(CommandContext ctx) => ctx.Out.Flush();
}
