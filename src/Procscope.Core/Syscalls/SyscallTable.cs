namespace Procscope.Core.Syscalls;

/// <summary>The x86_64 and i386 system call tables (numbers from asm/unistd_64.h and
/// asm/unistd_32.h; argument counts and trace classes from tools/gen-syscalls/syscalls.txt).</summary>
public static partial class SyscallTable
{
    private static readonly Dictionary<string, SyscallInfo> X64ByName;
    private static readonly Dictionary<string, SyscallInfo> I386ByName;

    // Field initializers of all partial files run before this body, so the generated tables exist.
    static SyscallTable()
    {
        X64ByName = ByName(X64);
        I386ByName = ByName(I386);
    }

    /// <summary>The entry for <paramref name="nr"/>, or null for a number the table lacks.</summary>
    public static SyscallInfo? Lookup(SyscallAbi abi, long nr)
    {
        var t = abi == SyscallAbi.I386 ? I386 : X64;
        return (ulong)nr < (ulong)t.Length ? t[nr] : null;
    }

    /// <summary>Finds a call by its name (as strace spells it: "newfstatat", "_llseek").</summary>
    public static bool TryFind(SyscallAbi abi, string name, out SyscallInfo info)
    {
        var d = abi == SyscallAbi.I386 ? I386ByName : X64ByName;
        if (d.TryGetValue(name, out var found))
        {
            info = found;
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

    private static Dictionary<string, SyscallInfo> ByName(SyscallInfo?[] table)
    {
        var d = new Dictionary<string, SyscallInfo>(table.Length, StringComparer.Ordinal);
        foreach (var e in table)
            if (e is not null)
                d.TryAdd(e.Name, e);
        return d;
    }
}
