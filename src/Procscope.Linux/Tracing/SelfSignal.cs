using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// strace ends "killed by SIG" the way its tracee did, so a parent shell sees the same status:
/// the disposition is reset to the default and the signal sent to ourselves.
/// </summary>
public static unsafe class SelfSignal
{
    /// <summary>Dies of <paramref name="signal"/> (SIG_DFL, unblocked, then kill); returns only if that did not end us.</summary>
    public static void Raise(int signal)
    {
        SigAction act = default;
        LibC.sigaction(signal, &act, null);
        LibC.kill(LibC.getpid(), signal);
        Thread.Sleep(100);
    }
}
