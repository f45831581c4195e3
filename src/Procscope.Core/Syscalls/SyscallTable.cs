namespace Procscope.Core.Syscalls;

/// <summary>The x86_64 and i386 system call tables (numbers from asm/unistd_64.h and
/// asm/unistd_32.h; argument counts and trace classes from tools/gen-syscalls/syscalls.txt).</summary>
public static partial class SyscallTable
{
    /// <summary>The entry for <paramref name="nr"/>, or null for a number the table lacks.</summary>
    public static SyscallInfo? Lookup(SyscallAbi abi, long nr)
    {
        var t = abi == SyscallAbi.I386 ? I386 : X64;
        return (ulong)nr < (ulong)t.Length ? t[nr] : null;
    }

    /// <summary>Finds a call by its name (as strace spells it: "newfstatat", "_llseek").</summary>
    public static bool TryFind(SyscallAbi abi, string name, out SyscallInfo info)
    {
        // A scan, not an index: a filter names a few calls, and building a dictionary of every
        // name cost more start-up time than the scans it saves.
        foreach (var e in abi == SyscallAbi.I386 ? I386 : X64)
            if (e is not null && e.Name.Length == name.Length && string.Equals(e.Name, name, StringComparison.Ordinal))
            {
                info = e;
                return true;
            }
        info = null!;
        return false;
    }

    /// <summary>Every entry of the ABI's table, by number.</summary>
    public static IEnumerable<SyscallInfo> All(SyscallAbi abi)
    {
        foreach (var e in abi == SyscallAbi.I386 ? I386 : X64)
            if (e is not null)
                yield return e;
    }

    /// <summary>The largest number of the ABI's table.</summary>
    public static int MaxNumber(SyscallAbi abi) => (abi == SyscallAbi.I386 ? I386 : X64).Length - 1;

    /// <summary>strace's name for a number the table lacks: "syscall_0x1c3".</summary>
    public static string UnknownName(long nr) => "syscall_0x" + ((ulong)nr).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
