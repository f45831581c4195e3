namespace Procscope.Core.Syscalls;

/// <summary>Signal names as strace prints them, and siginfo (from PTRACE_GETSIGINFO) as the
/// "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---" line's braces.</summary>
public static partial class SignalFormatter
{
    private static readonly string[] RtNames = BuildRt();

    private static string[] BuildRt()
    {
        var a = new string[33];
        a[0] = "SIGRTMIN";
        for (int i = 1; i <= 32; i++)
            a[i] = "SIGRT_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return a;
    }

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
