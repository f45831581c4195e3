using System.Runtime.InteropServices;
using Procscope.Core.Syscalls;
using Procscope.Linux.Interop;

namespace Procscope.Cli.Commands.Trace;

/// <summary>The "--- SIGCHLD {si_signo=SIGCHLD, …} ---" line of a signal-delivery stop.</summary>
internal static class SignalText
{
    public static string Line(in SigInfo info)
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<SigInfo>(in info));
        return SignalFormatter.FormatSignalLine(bytes);
    }
}
