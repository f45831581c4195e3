using Procscope.Cli.Infrastructure;
using Procscope.Linux;

namespace Procscope.Cli.Classic;

/// <summary>End-of-sample handling for the sampling loops (free -s, vmstat delay).</summary>
public static class SampleOutput
{
    private const int EPIPE = 32;

    /// <summary>
    /// Flushes the sample (procps line-buffers its output) and stops the loop with EPIPE when
    /// standard output is a pipe nobody reads any more: .NET's console stream swallows EPIPE, so
    /// without this <c>procscope vmstat 1 | head -3</c> would run forever. The host maps the
    /// EPIPE IOException to exit status 141, as a shell reports procps killed by SIGPIPE.
    /// </summary>
    public static void Flush(CommandContext ctx)
    {
        ctx.Out.Flush();
        if (ctx.Console is SystemConsole && OutputState.IsBroken(1))
            throw new DescriptorWriteException(1, EPIPE, "Broken pipe");
    }
}
