using System.Buffers.Binary;
using System.Text;

namespace Procscope.Core.Elf;

/// <summary>Thrown when the bytes are not a well-formed ELF file (elf(5)). Offsets are file offsets.</summary>
public sealed class ElfFormatException(string message) : Exception(message);

/// <summary>e_type (elf(5)).</summary>
public enum ElfType : ushort { None = 0, Relocatable = 1, Executable = 2, SharedObject = 3, Core = 4 }

/// <summary>One program header (Elf64_Phdr / Elf32_Phdr).</summary>
public readonly record struct ElfSegment(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize)
{
    public const uint Load = 1, Dynamic = 2, Interp = 3;
    public const uint FlagExecute = 1;
}

/// <summary>One section header (Elf64_Shdr / Elf32_Shdr), with its name from .shstrtab.</summary>
public readonly record struct ElfSection(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize)
{
    public const uint SymTab = 2, DynSym = 11, NoBits = 8;
}

/// <summary>STT_* values of st_info's low nibble.</summary>
public enum ElfSymbolType : byte { NoType = 0, Object = 1, Func = 2, Section = 3, File = 4, Tls = 6, GnuIfunc = 10 }

/// <summary>STB_* values of st_info's high nibble.</summary>
public enum ElfSymbolBinding : byte { Local = 0, Global = 1, Weak = 2, GnuUnique = 10 }

/// <summary>One symbol of .dynsym or .symtab.</summary>
public readonly record struct ElfSymbol(string Name, ulong Value, ulong Size, ElfSymbolType Type, ElfSymbolBinding Binding, ushort SectionIndex, bool HiddenVersion = false)
{
    /// <summary>Defined here (not SHN_UNDEF).</summary>
    public bool IsDefined => SectionIndex != 0;
    /// <summary>A function or an IFUNC (whose value is the resolver, not the implementation).</summary>
    public bool IsFunction => Type is ElfSymbolType.Func or ElfSymbolType.GnuIfunc;
}

/// <summary>What can be traced in a binary, for a clear message before tracing starts.</summary>
public enum ElfLinkage
{
    /// <summary>Has PT_INTERP: the dynamic loader maps shared libraries whose calls can be traced.</summary>
    Dynamic,
    /// <summary>No PT_INTERP and no PT_DYNAMIC: every function is inside the binary; no library calls exist.</summary>
    Static,
    /// <summary>static-pie: PT_DYNAMIC for self-relocation but no loader and no shared libraries.</summary>
    StaticPie,
}

/// <summary>
/// An ELF64 or ELF32 little-endian file parsed from bytes (elf(5)): header, program and section
/// headers, PT_DYNAMIC, .dynsym (from the section, or without section headers through DT_SYMTAB and
/// the symbol count from DT_GNU_HASH or DT_HASH) and .symtab. No IO: the caller reads the file.
/// </summary>
public sealed class ElfFile
{
    public bool Is64 { get; private init; }
    public ElfType Type { get; private init; }
    public ushort Machine { get; private init; }
    public ulong Entry { get; private init; }
    public IReadOnlyList<ElfSegment> Segments { get; private init; } = [];
    public IReadOnlyList<ElfSection> Sections { get; private init; } = [];
    /// <summary>DT_NEEDED names in order.</summary>
    public IReadOnlyList<string> Needed { get; private set; } = [];
    public string? SoName { get; private set; }
    /// <summary>DT_FLAGS_1 (DF_1_PIE = 0x08000000, DF_1_NOW = 1).</summary>
    public ulong Flags1 { get; private set; }
    /// <summary>DT_FLAGS (DF_BIND_NOW = 8).</summary>
    public ulong Flags { get; private set; }
    public bool HasBindNowTag { get; private set; }
    public IReadOnlyList<ElfSymbol> DynamicSymbols { get; private set; } = [];
    /// <summary>.symtab; empty when stripped.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; private set; } = [];
    /// <summary>Dynamic relocations that name symbols (JUMP_SLOT, GLOB_DAT …): (GOT/target address, symbol index, type).</summary>
    public IReadOnlyList<(ulong Offset, uint Symbol, uint Type, long Addend)> Relocations { get; private set; } = [];

    public const ushort MachineX86_64 = 62, MachineI386 = 3;

    public bool HasInterpreter => Segments.Any(s => s.Type == ElfSegment.Interp);
    public bool HasDynamic => Segments.Any(s => s.Type == ElfSegment.Dynamic);
    public ElfLinkage Linkage => HasInterpreter ? ElfLinkage.Dynamic : HasDynamic ? ElfLinkage.StaticPie : ElfLinkage.Static;
    /// <summary>Position independent: ET_DYN (PIE executables and libraries).</summary>
    public bool IsPositionIndependent => Type == ElfType.SharedObject;
    /// <summary>Binds every symbol at load (-z now): DF_BIND_NOW, DF_1_NOW or DT_BIND_NOW.</summary>
    public bool BindNow => HasBindNowTag || (Flags & 8) != 0 || (Flags1 & 1) != 0;
    /// <summary>No .symtab (strip --strip-all). A fully stripped binary has neither .symtab nor section headers.</summary>
    public bool IsStripped => !Sections.Any(s => s.Type == ElfSection.SymTab);

    /// <summary>The lowest p_vaddr of the PT_LOAD segments (the link-time base; 0 for PIE and libraries).</summary>
    public ulong LinkBase => Segments.Where(s => s.Type == ElfSegment.Load).Select(s => s.VirtualAddress & ~0xfffUL).DefaultIfEmpty(0UL).Min();

    /// <summary>Undefined function symbols the file imports (what a program calls in its libraries).</summary>
    public IEnumerable<ElfSymbol> ImportedFunctions =>
        DynamicSymbols.Where(s => !s.IsDefined && s.Name.Length > 0 && (s.Type == ElfSymbolType.Func || (s.Type == ElfSymbolType.NoType && s.Binding != ElfSymbolBinding.Local && IsCallRelocated(s.Name))));

    /// <summary>Defined functions the file exports.</summary>
    public IEnumerable<ElfSymbol> ExportedFunctions => DynamicSymbols.Where(s => s.IsDefined && s.IsFunction && s.Name.Length > 0);

    private HashSet<string>? _jumpSlotNames;

    private bool IsCallRelocated(string name)
    {
        // Untyped undefined symbols (old toolchains) count as functions when a JUMP_SLOT names them.
        _jumpSlotNames ??= Relocations.Where(r => r.Type == 7 && r.Symbol < DynamicSymbols.Count).Select(r => DynamicSymbols[(int)r.Symbol].Name).ToHashSet(StringComparer.Ordinal);
        return _jumpSlotNames.Contains(name);
    }

    /// <summary>Parses an ELF file. Reads only within <paramref name="data"/>; anything out of range is a format error.</summary>
    public static ElfFile Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 52 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new ElfFormatException("not an ELF file (bad magic)");
        bool is64 = data[4] switch { 1 => false, 2 => true, _ => throw new ElfFormatException($"bad ELF class {data[4]}") };
        if (data[5] != 1) throw new ElfFormatException("big-endian ELF is not supported");
        if (is64 && data.Length < 64) throw new ElfFormatException("truncated ELF64 header");
        var r = new Reader(data, is64);
        var type = (ElfType)r.U16(16);
        ushort machine = r.U16(18);
        ulong entry = r.Addr(24);
        ulong phoff = is64 ? r.U64(32) : r.U32(28);
        ulong shoff = is64 ? r.U64(40) : r.U32(32);
        int hdr = is64 ? 52 : 40;
        ushort phentsize = r.U16(hdr + 2), phnum = r.U16(hdr + 4), shentsize = r.U16(hdr + 6), shnum = r.U16(hdr + 8), shstrndx = r.U16(hdr + 10);

        var segs = new List<ElfSegment>(phnum);
        if (phoff != 0)
        {
            if (phentsize < (is64 ? 56 : 32)) throw new ElfFormatException($"bad e_phentsize {phentsize}");
            for (int i = 0; i < phnum; i++)
            {
                int o = r.Offset(phoff + (ulong)i * phentsize, phentsize);
                segs.Add(is64
                    ? new ElfSegment(r.U32(o), r.U32(o + 4), r.U64(o + 8), r.U64(o + 16), r.U64(o + 32), r.U64(o + 40))
                    : new ElfSegment(r.U32(o), r.U32(o + 24), r.U32(o + 4), r.U32(o + 8), r.U32(o + 16), r.U32(o + 20)));
            }
        }

        var secs = new List<ElfSection>(shnum);
        if (shoff != 0 && shnum > 0)
        {
            if (shentsize < (is64 ? 64 : 40)) throw new ElfFormatException($"bad e_shentsize {shentsize}");
            var raw = new (uint Name, uint Type, ulong Addr, ulong Off, ulong Size, uint Link, ulong EntSize)[shnum];
            for (int i = 0; i < shnum; i++)
            {
                int o = r.Offset(shoff + (ulong)i * shentsize, shentsize);
                raw[i] = is64
                    ? (r.U32(o), r.U32(o + 4), r.U64(o + 16), r.U64(o + 24), r.U64(o + 32), r.U32(o + 40), r.U64(o + 56))
                    : (r.U32(o), r.U32(o + 4), r.U32(o + 12), r.U32(o + 16), r.U32(o + 20), r.U32(o + 24), r.U32(o + 36));
            }
            bool haveNames = shstrndx < shnum && raw[shstrndx].Type != ElfSection.NoBits;
            foreach (var s in raw)
            {
                string name = haveNames ? r.CString(raw[shstrndx].Off, raw[shstrndx].Size, s.Name) : "";
                secs.Add(new ElfSection(name, s.Type, s.Addr, s.Off, s.Size, s.Link, s.EntSize));
            }
        }

        var elf = new ElfFile { Is64 = is64, Type = type, Machine = machine, Entry = entry, Segments = segs, Sections = secs };
        elf.ReadDynamic(r);
        var symtab = secs.FirstOrDefault(s => s.Type == ElfSection.SymTab);
        if (symtab.Name is not null && symtab.Link < secs.Count)
            elf.Symbols = ReadSymbols(r, symtab.Offset, symtab.Size / (ulong)(is64 ? 24 : 16), secs[(int)symtab.Link].Offset, secs[(int)symtab.Link].Size);
        return elf;
    }

    /// <summary>The file offset of a virtual address, through the PT_LOAD segment holding it.</summary>
    public ulong? FileOffsetOf(ulong vaddr)
    {
        foreach (var s in Segments)
            if (s.Type == ElfSegment.Load && vaddr >= s.VirtualAddress && vaddr < s.VirtualAddress + s.FileSize)
                return vaddr - s.VirtualAddress + s.Offset;
        return null;
    }

    private void ReadDynamic(Reader r)
    {
        var dynSeg = Segments.FirstOrDefault(s => s.Type == ElfSegment.Dynamic);
        var tags = new List<(long Tag, ulong Value)>();
        if (dynSeg.Type == ElfSegment.Dynamic)
        {
            int esz = Is64 ? 16 : 8;
            ulong n = Math.Min(dynSeg.FileSize, (ulong)r.Length - Math.Min(dynSeg.Offset, (ulong)r.Length)) / (ulong)esz;
            for (ulong i = 0; i < n; i++)
            {
                int o = r.Offset(dynSeg.Offset + i * (ulong)esz, esz);
                long tag = Is64 ? (long)r.U64(o) : (int)r.U32(o);
                ulong val = Is64 ? r.U64(o + 8) : r.U32(o + 4);
                if (tag == 0) break;
                tags.Add((tag, val));
            }
        }
        ulong Tag(long t) => tags.FirstOrDefault(x => x.Tag == t).Value;
        bool Has(long t) => tags.Any(x => x.Tag == t);
        Flags = Tag(30);
        Flags1 = Tag(0x6ffffffb);
        HasBindNowTag = Has(24);

        // Symbols: prefer the section (exact size); without section headers use DT_SYMTAB + hash.
        ulong symOff, symCount, strOff, strSize;
        var dynsym = Sections.FirstOrDefault(s => s.Type == ElfSection.DynSym);
        if (dynsym.Name is not null && dynsym.Link < Sections.Count)
        {
            symOff = dynsym.Offset;
            symCount = dynsym.Size / (ulong)(Is64 ? 24 : 16);
            strOff = Sections[(int)dynsym.Link].Offset;
            strSize = Sections[(int)dynsym.Link].Size;
        }
        else if (Has(6) && Has(5))
        {
            symOff = FileOffsetOf(Tag(6)) ?? throw new ElfFormatException("DT_SYMTAB outside every PT_LOAD");
            strOff = FileOffsetOf(Tag(5)) ?? throw new ElfFormatException("DT_STRTAB outside every PT_LOAD");
            strSize = Tag(10);
            if (Has(0x6ffffef5)) symCount = GnuHashSymbolCount(r, FileOffsetOf(Tag(0x6ffffef5)) ?? throw new ElfFormatException("DT_GNU_HASH outside every PT_LOAD"));
            else if (Has(4)) symCount = r.U32(r.Offset((FileOffsetOf(Tag(4)) ?? throw new ElfFormatException("DT_HASH outside every PT_LOAD")) + 4, 4));
            else symCount = 0;
        }
        else
        {
            symOff = symCount = strOff = strSize = 0;
        }
        if (symCount > 0)
        {
            var syms = ReadSymbols(r, symOff, symCount, strOff, strSize);
            // DT_VERSYM: bit 15 marks a non-default version (memcpy@GLIBC_2.2.5 beside memcpy@@GLIBC_2.14);
            // the dynamic linker binds new references to the default one only.
            if (Has(0x6ffffff0) && FileOffsetOf(Tag(0x6ffffff0)) is { } vs && vs + symCount * 2 <= (ulong)r.Length)
                for (int i = 0; i < syms.Count; i++)
                    if ((r.U16(r.Offset(vs + (ulong)i * 2, 2)) & 0x8000) != 0) syms[i] = syms[i] with { HiddenVersion = true };
            DynamicSymbols = syms;
        }

        if (tags.Count > 0 && Has(5))
        {
            ulong dynStrOff = FileOffsetOf(Tag(5)) ?? 0, dynStrSize = Tag(10);
            var needed = new List<string>();
            foreach (var t in tags)
                if (t.Tag == 1) needed.Add(r.CString(dynStrOff, dynStrSize, (uint)t.Value));
            Needed = needed;
            if (Has(14)) SoName = r.CString(dynStrOff, dynStrSize, (uint)Tag(14));
        }

        // Relocations: DT_RELA/DT_RELASZ and DT_JMPREL/DT_PLTRELSZ (x86-64 uses RELA; i386 REL).
        var relocs = new List<(ulong, uint, uint, long)>();
        bool rela = Is64;
        void ReadRelocs(Reader r, ulong vaddr, ulong size, bool withAddend)
        {
            if (vaddr == 0 || size == 0 || FileOffsetOf(vaddr) is not { } off) return;
            int esz = Is64 ? (withAddend ? 24 : 16) : (withAddend ? 12 : 8);
            for (ulong i = 0; i < size / (ulong)esz; i++)
            {
                int o = r.Offset(off + i * (ulong)esz, esz);
                ulong offset = Is64 ? r.U64(o) : r.U32(o);
                ulong info = Is64 ? r.U64(o + 8) : r.U32(o + 4);
                long addend = withAddend ? (Is64 ? (long)r.U64(o + 16) : (int)r.U32(o + 8)) : 0;
                uint sym = Is64 ? (uint)(info >> 32) : (uint)(info >> 8);
                uint type = Is64 ? (uint)info : (uint)(info & 0xff);
                relocs.Add((offset, sym, type, addend));
            }
        }
        ReadRelocs(r, Tag(7), Tag(8), true);
        ReadRelocs(r, Tag(17), Tag(18), false);
        ReadRelocs(r, Tag(23), Tag(2), Has(20) ? Tag(20) == 7 : rela);
        Relocations = relocs;
    }

    /// <summary>
    /// The number of .dynsym entries from a GNU hash table: the highest symbol index in any bucket's
    /// chain, found by walking the chain until an entry with the low bit set (the chain end).
    /// </summary>
    private ulong GnuHashSymbolCount(Reader r, ulong off)
    {
        int h = r.Offset(off, 16);
        uint nbuckets = r.U32(h), symoffset = r.U32(h + 4), bloomSize = r.U32(h + 8);
        ulong buckets = off + 16 + bloomSize * (ulong)(Is64 ? 8 : 4);
        uint max = 0;
        for (uint b = 0; b < nbuckets; b++)
            max = Math.Max(max, r.U32(r.Offset(buckets + b * 4UL, 4)));
        if (max < symoffset) return symoffset;
        ulong chains = buckets + nbuckets * 4UL;
        while ((r.U32(r.Offset(chains + (max - symoffset) * 4UL, 4)) & 1) == 0) max++;
        return max + 1UL;
    }

    private static List<ElfSymbol> ReadSymbols(Reader r, ulong off, ulong count, ulong strOff, ulong strSize)
    {
        int esz = r.Is64 ? 24 : 16;
        if (count > (ulong)r.Length / (ulong)esz) throw new ElfFormatException($"symbol table of {count} entries does not fit the file");
        var list = new List<ElfSymbol>((int)count);
        for (ulong i = 0; i < count; i++)
        {
            int o = r.Offset(off + i * (ulong)esz, esz);
            uint name = r.U32(o);
            byte info;
            ushort shndx;
            ulong value, size;
            if (r.Is64) { info = r.U8(o + 4); shndx = r.U16(o + 6); value = r.U64(o + 8); size = r.U64(o + 16); }
            else { value = r.U32(o + 4); size = r.U32(o + 8); info = r.U8(o + 12); shndx = r.U16(o + 14); }
            list.Add(new ElfSymbol(r.CString(strOff, strSize, name), value, size, (ElfSymbolType)(info & 0xf), (ElfSymbolBinding)(info >> 4), shndx));
        }
        return list;
    }

    /// <summary>The GNU hash of a symbol name (dl_new_hash): h = h * 33 + c from 5381.</summary>
    public static uint GnuHash(ReadOnlySpan<byte> name)
    {
        uint h = 5381;
        foreach (byte c in name) h = h * 33 + c;
        return h;
    }

    private readonly ref struct Reader(ReadOnlySpan<byte> data, bool is64)
    {
        private readonly ReadOnlySpan<byte> _d = data;
        public readonly bool Is64 = is64;
        public int Length => _d.Length;

        public int Offset(ulong off, int len)
        {
            if (off > (ulong)_d.Length || (ulong)_d.Length - off < (ulong)len)
                throw new ElfFormatException($"offset 0x{off:x} (+{len}) beyond the end of the file (0x{_d.Length:x})");
            return (int)off;
        }

        public byte U8(int o) => _d[o];
        public ushort U16(int o) => BinaryPrimitives.ReadUInt16LittleEndian(_d.Slice(Offset((ulong)o, 2)));
        public uint U32(int o) => BinaryPrimitives.ReadUInt32LittleEndian(_d.Slice(Offset((ulong)o, 4)));
        public ulong U64(int o) => BinaryPrimitives.ReadUInt64LittleEndian(_d.Slice(Offset((ulong)o, 8)));
        public ulong Addr(int o) => Is64 ? U64(o) : U32(o);

        public string CString(ulong tableOff, ulong tableSize, uint index)
        {
            if (index >= tableSize || tableOff >= (ulong)_d.Length) return "";
            var span = _d.Slice((int)(tableOff + index), (int)Math.Min(tableSize - index, (ulong)_d.Length - tableOff - index));
            int end = span.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }
    }
}
