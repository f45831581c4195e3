namespace Procscope.Core.Syscalls;

/// <summary>Signal names as strace prints them, and siginfo (from PTRACE_GETSIGINFO) as the
/// "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---" line's braces.</summary>
public static partial class SignalFormatter
{
    // Written out rather than built, so the compiler can lay it down at build time.
    private static readonly string[] RtNames =
    [
        "SIGRTMIN", "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5", "SIGRT_6", "SIGRT_7", "SIGRT_8", "SIGRT_9", "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13", "SIGRT_14", "SIGRT_15", "SIGRT_16", "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20", "SIGRT_21", "SIGRT_22", "SIGRT_23", "SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27", "SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31", "SIGRT_32"
    ];

    /// <summary>"SIGCHLD", "SIGRTMIN" (32), "SIGRT_2" (34), or null for a number no signal has.</summary>
    public static string? Name(int sig)
    {
        if (sig is >= 1 and < 32)
            return Xlat.Signals.Name((ulong)sig);
        if (sig is >= 32 and <= 64)
            return RtNames[sig - 32];
        return null;
    }

    /// <summary>The signal's number for a name with or without "SIG" ("CHLD", "SIGRT_2", "9").</summary>
    public static bool TryParse(string name, out int sig)
    {
        if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sig))
            return sig is > 0 and <= 64;
        string full = name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? name.ToUpperInvariant() : "SIG" + name.ToUpperInvariant();
        for (int i = 1; i <= 64; i++)
            if (Name(i) == full)
            {
                sig = i;
                return true;
            }
        sig = 0;
        return false;
    }
}
