using System.Text.RegularExpressions;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Syscalls;
using Procscope.Linux.Tracing;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// strace's -e trace=SET: names, %classes (and the old class names without %), /regex, ?name
/// (no error when unknown), !negation, "all" and "none". Resolved for both ABIs, so
/// "-e trace=open" also selects i386's open (a different number).
/// </summary>
public sealed class SyscallFilter
{
    private readonly bool[] _x64;
    private readonly bool[] _i386;

    private SyscallFilter(bool[] x64, bool[] i386, bool all)
    {
        _x64 = x64;
        _i386 = i386;
        All = all;
    }

    /// <summary>Every call is selected (no -e trace, or trace=all).</summary>
    public bool All { get; }

    public static SyscallFilter Everything()
    {
        var f = new SyscallFilter(new bool[SyscallSelection.MaxNumber], new bool[SyscallSelection.MaxNumber], true);
        Array.Fill(f._x64, true);
        Array.Fill(f._i386, true);
        return f;
    }

    public bool Contains(SyscallAbi abi, long nr)
    {
        var set = abi == SyscallAbi.I386 ? _i386 : _x64;
        return (ulong)nr < (ulong)set.Length ? set[nr] : All;
    }

    public SyscallSelection ToSelection()
    {
        var s = new SyscallSelection();
        for (int i = 0; i < _x64.Length; i++)
        {
            if (_x64[i]) s.Add(SyscallAbi.X64, i);
            if (_i386[i]) s.Add(SyscallAbi.I386, i);
        }
        return s;
    }

    private static readonly (string Name, SyscallClass Class)[] Classes =
    [
        ("file", SyscallClass.File), ("process", SyscallClass.Process), ("network", SyscallClass.Network),
        ("net", SyscallClass.Network), ("signal", SyscallClass.Signal), ("ipc", SyscallClass.Ipc),
        ("desc", SyscallClass.Desc), ("memory", SyscallClass.Memory), ("creds", SyscallClass.Creds),
        ("clock", SyscallClass.Clock), ("stat", SyscallClass.Stat), ("lstat", SyscallClass.LStat),
        ("fstat", SyscallClass.FStat), ("%stat", SyscallClass.StatLike), ("statfs", SyscallClass.StatFs),
        ("fstatfs", SyscallClass.FStatFs), ("%statfs", SyscallClass.StatFsLike),
    ];

    /// <summary>Parses a comma list; several -e trace= options add up (strace: the last one wins for
    /// qualifiers, but names accumulate within one).</summary>
    public static SyscallFilter Parse(string spec)
    {
        bool negate = false;
        if (spec.StartsWith('!'))
        {
            negate = true;
            spec = spec[1..];
        }
        var x64 = new bool[SyscallSelection.MaxNumber];
        var i386 = new bool[SyscallSelection.MaxNumber];
        bool all = false;
        foreach (var raw in spec.Split(','))
        {
            string item = raw.Trim();
            if (item.Length == 0) throw new CliException($"invalid system call '{raw}'");
            bool optional = item.StartsWith('?');
            if (optional) item = item[1..];
            int matched = 0;
            if (item is "all")
            {
                Array.Fill(x64, true);
                Array.Fill(i386, true);
                all = true;
                continue;
            }
            if (item is "none") continue;
            if (item.StartsWith('/'))
            {
                Regex re;
                try
                {
                    re = new Regex(item[1..], RegexOptions.CultureInvariant);
                }
                catch (ArgumentException e)
                {
                    throw new CliException($"invalid system call '{item}': {e.Message}");
                }
                matched += Mark(x64, SyscallAbi.X64, i => re.IsMatch(i.Name));
                matched += Mark(i386, SyscallAbi.I386, i => re.IsMatch(i.Name));
            }
            else if (ClassOf(item) is { } cls)
            {
                matched += Mark(x64, SyscallAbi.X64, i => (i.Classes & cls) != 0);
                matched += Mark(i386, SyscallAbi.I386, i => (i.Classes & cls) != 0);
            }
            else
            {
                if (SyscallTable.TryFind(SyscallAbi.X64, item, out var a)) { x64[a.Number] = true; matched++; }
                if (SyscallTable.TryFind(SyscallAbi.I386, item, out var b)) { i386[b.Number] = true; matched++; }
            }
            if (matched == 0 && !optional) throw new CliException($"invalid system call '{item}'");
        }
        if (negate)
        {
            for (int i = 0; i < x64.Length; i++)
            {
                x64[i] = !x64[i];
                i386[i] = !i386[i];
            }
        }
        return new SyscallFilter(x64, i386, all && !negate);
    }

    private static SyscallClass? ClassOf(string item)
    {
        // "%stat" and "%statfs" are classes of their own; "%file" and "file" are the same class.
        foreach (var (name, cls) in Classes)
            if (name.StartsWith('%') ? item == name : item == "%" + name || (item == name && !name.Contains("stat")))
                return cls;
        return null;
    }

    private static int Mark(bool[] set, SyscallAbi abi, Func<SyscallInfo, bool> pick)
    {
        int n = 0;
        foreach (var info in SyscallTable.All(abi))
            if (info.Number < set.Length && pick(info))
            {
                set[info.Number] = true;
                n++;
            }
        return n;
    }
}
