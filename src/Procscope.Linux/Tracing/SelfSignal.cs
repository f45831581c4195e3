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

    /// <summary>
    /// Sets <paramref name="signal"/> to SIG_IGN (strace -I 3 / -I 4): the kernel discards it. A
    /// PosixSignalRegistration that cancels is not the same: the runtime hands the signal to a
    /// handler thread later, and one arriving as we finish finds the registration gone and kills
    /// us. A spawned command does not inherit it (the child resets signals 1–31 to SIG_DFL).
    /// </summary>
    public static void Ignore(int signal)
    {
        SigAction act = default;
        act.sa_handler = 1; // SIG_IGN
        LibC.sigaction(signal, &act, null);
    }
}
