namespace Procscope.Linux.Taskstats;

/// <summary>
/// kernel.task_delayacct (Documentation/accounting/delay-accounting.rst). Off by default since
/// Linux 5.14 (commit e4042ad49235, "delayacct: Default disable delayacct"); the boot parameter
/// "delayacct" or the sysctl turns it on. A task forked while it is off gets no delay record
/// (delayacct_tsk_init), so its block-I/O and swap-in waits are never counted, even after the
/// sysctl is set: such a task is "not tracked", not idle.
/// </summary>
public static class DelayAccounting
{
    public const string SysctlPath = "/proc/sys/kernel/task_delayacct";

    /// <summary>The sysctl's value: true/false, or null when the file is absent (before Linux 5.14 accounting was always on, or no CONFIG_TASK_DELAY_ACCT).</summary>
    public static bool? ReadSysctl(ProcFs procFs)
    {
        var bytes = procFs.TryReadBytes("sys/kernel/task_delayacct");
        if (bytes is null) return null;
        return bytes.Length > 0 && bytes[0] != (byte)'0';
    }

    /// <summary>True when the kernel was booted with "delayacct": every task has been tracked since boot.</summary>
    public static bool OnSinceBoot(ProcFs procFs)
    {
        var cmdline = procFs.TryReadBytes("cmdline");
        if (cmdline is null) return false;
        foreach (var word in System.Text.Encoding.ASCII.GetString(cmdline).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            if (word == "delayacct") return true;
        return false;
    }

    /// <summary>Writes the sysctl; 0 or an errno (EACCES/EPERM when not root, EROFS in a container with a read-only /proc/sys).</summary>
    public static int Write(ProcFs procFs, bool on)
    {
        if (!procFs.IsLive) return Interop.Errno.EPERM;
        try
        {
            File.WriteAllText(SysctlPath, on ? "1\n" : "0\n");
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return Interop.Errno.EACCES;
        }
        catch (IOException e)
        {
            return e.HResult > 0 ? e.HResult : Interop.Errno.EPERM;
        }
    }
}
