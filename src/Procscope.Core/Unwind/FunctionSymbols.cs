using Procscope.Core.Elf;

namespace Procscope.Core.Unwind;

/// <summary>
/// Names code addresses the way strace -k names them on this machine (strace built with
/// libunwind: unw_get_proc_name): the nearest preceding STT_FUNC symbol of .symtab and .dynsym,
/// whatever its size (libc's local functions show as the exported function before them), ties going
/// to the symbol met first in section order; nothing when the distance reaches the file's size.
/// </summary>
public sealed class FunctionSymbols
{
    private readonly ulong[] _values;
    private readonly string[] _names;
    private readonly ulong _fileSize;

    private FunctionSymbols(ulong[] values, string[] names, ulong fileSize)
    {
        _values = values;
        _names = names;
        _fileSize = fileSize;
    }

    public int Count => _values.Length;

    public static FunctionSymbols Create(ElfFile elf, ulong fileSize)
    {
        var all = new List<(ulong Value, int Order, string Name)>();
        int order = 0;
        // Section order decides ties, as a walk over the section headers meets the tables.
        foreach (var sec in elf.Sections)
        {
            IReadOnlyList<ElfSymbol>? table = sec.Type switch
            {
                ElfSection.SymTab => elf.Symbols,
                ElfSection.DynSym => elf.DynamicSymbols,
                _ => null,
            };
            if (table is null) continue;
            foreach (var s in table)
            {
                order++;
                // SHN_ABS (0xfff1) values are not relocated; such functions do not occur in shared code.
                if (s.Type != ElfSymbolType.Func || !s.IsDefined || s.SectionIndex == 0xfff1) continue;
                all.Add((s.Value, order, s.Name));
            }
        }
        // By value; among equal values the first met sorts last, where the search lands.
        all.Sort((a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : b.Order.CompareTo(a.Order));
        return new FunctionSymbols(all.Select(x => x.Value).ToArray(), all.Select(x => x.Name).ToArray(), fileSize);
    }

    /// <summary>The function holding link-time address <paramref name="address"/> and the distance to its start.</summary>
    public bool TryLookup(ulong address, out string name, out ulong offset)
    {
        name = "";
        offset = 0;
        int lo = 0, hi = _values.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_values[mid] <= address) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (found < 0) return false;
        offset = address - _values[found];
        if (offset >= _fileSize) return false;
        name = _names[found];
        return true;
    }
}
