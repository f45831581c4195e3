using Procscope.Core.Elf;

namespace Procscope.Core.Unwind;

/// <summary>One ELF file as the unwinder needs it: its CFI and its function symbols.</summary>
public sealed class UnwindModule
{
    public ElfFile? Elf { get; private init; }
    public EhFrameTable? Cfi { get; private init; }
    public FunctionSymbols? Symbols { get; private init; }
    /// <summary>The file the names come from: the debug file when one was found, else the file.</summary>
    public ElfFile? SymbolSource { get; private init; }

    /// <summary>
    /// Parses a whole ELF file: CFI from it, function names from <paramref name="debugFile"/> when
    /// given and parseable (the file its .gnu_debuglink names, as libunwind follows it: that file's
    /// symbols replace the stripped file's), else from the file itself. A file that is not ELF (or is
    /// damaged) gives a module with neither CFI nor names.
    /// </summary>
    public static UnwindModule Load(byte[] file, byte[]? debugFile = null)
    {
        if (TryParse(file) is not { } elf) return new UnwindModule();
        var debug = debugFile is null ? null : TryParse(debugFile);
        var symbols = debug is not null
            ? FunctionSymbols.Create(debug, (ulong)debugFile!.Length)
            : FunctionSymbols.Create(elf, (ulong)file.Length);
        return new UnwindModule { Elf = elf, SymbolSource = debug ?? elf, Cfi = EhFrameTable.Create(file, elf), Symbols = symbols };
    }

    public static bool IsElf(byte[] file) => TryParse(file) is not null;

    private static ElfFile? TryParse(byte[] file)
    {
        // The parser bounds-checks, but the file is the traced program's: never let it stop the trace.
        try { return ElfFile.Parse(file); }
        catch (Exception e) when (e is ElfFormatException or ArgumentException or IndexOutOfRangeException or OverflowException or InvalidCastException) { return null; }
    }

    /// <summary>The file name in .gnu_debuglink (a NUL-terminated name, then a CRC), or null.</summary>
    public static string? DebugLinkOf(byte[] file)
    {
        if (TryParse(file) is not { } elf) return null;
        var sec = elf.Sections.FirstOrDefault(s => s.Name == ".gnu_debuglink" && s.Type != ElfSection.NoBits);
        if (sec.Name is null || sec.Offset >= (ulong)file.Length || sec.Size == 0 || sec.Size >= 4096 || sec.Offset + sec.Size > (ulong)file.Length) return null;
        var bytes = file.AsSpan((int)sec.Offset, (int)sec.Size);
        int nul = bytes.IndexOf((byte)0);
        if (nul <= 0 || bytes[..nul].IndexOf((byte)'/') >= 0) return null;
        return System.Text.Encoding.UTF8.GetString(bytes[..nul]);
    }

    /// <summary>
    /// The bias libunwind uses for names (its get_proc_name): mapped address minus p_vaddr of the
    /// PT_LOAD of the *symbol* file whose p_offset equals the mapping's offset exactly, else 0. A
    /// separate debug file of a PIE has other segment offsets than the binary (objcopy
    /// --only-keep-debug), so its names are not found there and frames print without names; we
    /// reproduce that rather than name them.
    /// </summary>
    public ulong SymbolBiasFor(ulong mapStart, ulong mapOffset)
    {
        if (SymbolSource is { } elf)
            foreach (var s in elf.Segments)
                if (s.Type == ElfSegment.Load && s.Offset == mapOffset)
                    return mapStart - s.VirtualAddress;
        return 0;
    }

    /// <summary>
    /// The load bias of a mapping of this file: mapped address minus link-time address, through the
    /// PT_LOAD segment whose file range holds the mapping's offset (as libunwind computes it).
    /// </summary>
    public ulong BiasFor(ulong mapStart, ulong mapOffset)
    {
        if (Elf is { } elf)
            foreach (var s in elf.Segments)
                if (s.Type == ElfSegment.Load && (s.Offset & ~0xfffUL) == mapOffset)
                    return mapStart - (s.VirtualAddress & ~0xfffUL);
        return mapStart - mapOffset;
    }
}

/// <summary>One mapping of the traced process (from /proc/PID/maps) with the module it maps, the
/// bias of its addresses for the CFI and (computed as libunwind does, see
/// <see cref="UnwindModule.SymbolBiasFor"/>) for the names.</summary>
public readonly record struct MappedRegion(ulong Start, ulong End, ulong Offset, bool Executable, byte[] PathBytes, UnwindModule? Module, ulong Bias, ulong SymbolBias);

/// <summary>The traced process's mappings, by address.</summary>
public interface IAddressSpace
{
    bool TryFind(ulong address, out MappedRegion region);
}

/// <summary>
/// One line of a stack trace as strace -k prints it: the module's path, the function and offset,
/// and the address as an offset into the mapped file; or an error in place of a frame.
/// </summary>
public readonly record struct StackFrame(ulong Address, byte[]? ModulePath, string? Symbol, ulong SymbolOffset, ulong FileOffset, string? Error)
{
    public const string UnexpectedError = "unexpected_backtracing_error", TooManyFrames = "too many stack frames";
}

/// <summary>
/// Walks an x86-64 stack from a register set, frame by frame, with .eh_frame CFI (the rules
/// libunwind follows on this machine, which strace -k uses): the first frame is the instruction
/// pointer itself; each further frame's return address is looked up one byte back (the call
/// instruction) except after a signal frame; with no CFI for an address, the frame pointer chain
/// (rbp) is followed, and rbp = 0 ends the walk. The walk stops at an undefined or zero return
/// address, an unreadable saved register, an address outside every executable mapping (printed as
/// unexpected_backtracing_error, as strace does), a canonical frame address that does not grow
/// (a loop), or after 256 frames.
/// </summary>
public sealed class X64Unwinder
{
    public const int MaxFrames = 256;
    private readonly CfiInterpreter _interp = new();
    private readonly CfiRow _row = new();
    private readonly ulong[] _regs = new ulong[CfiRow.RegisterCount];
    private readonly ulong[] _next = new ulong[CfiRow.RegisterCount];

    /// <summary>Appends the frames of the stack whose registers are <paramref name="registers"/>
    /// (DWARF order: rax rdx rcx rbx rsi rdi rbp rsp r8–r15 rip).</summary>
    public void Unwind(ReadOnlySpan<ulong> registers, IAddressSpace space, IUnwindMemory memory, List<StackFrame> frames)
    {
        registers[..CfiRow.RegisterCount].CopyTo(_regs);
        uint valid = (1u << CfiRow.RegisterCount) - 1;
        bool activation = true;
        for (int depth = 0; depth < MaxFrames; depth++)
        {
            ulong ip = _regs[CfiRow.ReturnAddress];
            if (!space.TryFind(ip, out var region) || !region.Executable)
            {
                if (ip != 0) frames.Add(new StackFrame(ip, null, null, 0, 0, StackFrame.UnexpectedError));
                return;
            }
            ulong lookup = activation ? ip : ip - 1;
            var symRegion = region;
            if (lookup < region.Start) space.TryFind(lookup, out symRegion);
            string? name = null;
            ulong symOff = 0;
            if (symRegion.Module?.Symbols is { } syms && syms.TryLookup(lookup - symRegion.SymbolBias, out var n, out var o))
            {
                name = n;
                symOff = activation ? o : o + 1;
            }
            frames.Add(new StackFrame(ip, region.PathBytes, name, symOff, ip - region.Start + region.Offset, null));
            if (!Step(space, memory, ref valid, ref activation)) return;
        }
        frames.Add(new StackFrame(0, null, null, 0, 0, StackFrame.TooManyFrames));
    }

    /// <summary>One step to the caller; false at the end of the stack or when the frame cannot be unwound.</summary>
    private bool Step(IAddressSpace space, IUnwindMemory memory, ref uint valid, ref bool activation)
    {
        ulong ip = _regs[CfiRow.ReturnAddress];
        ulong lookup = activation ? ip : ip - 1;
        ulong sp = _regs[CfiRow.Rsp];
        ulong cfa;
        uint nextValid;
        bool signal = false;
        if (space.TryFind(lookup, out var region) && region.Module is { Cfi: { } cfi } && cfi.TryFind(lookup - region.Bias, out var fde))
        {
            if (!_interp.TryComputeRow(cfi.Bytes, fde, lookup - region.Bias, _row)) return false;
            if (_row.CfaIsExpression)
            {
                if (!DwarfExpression.TryEvaluate(cfi.Bytes, _row.CfaExpressionStart, _row.CfaExpressionEnd, _regs, valid, memory, null, out cfa)) return false;
            }
            else
            {
                int reg = _row.CfaRegister;
                if (reg >= CfiRow.RegisterCount || (valid & (1u << reg)) == 0) return false;
                cfa = _regs[reg] + (ulong)_row.CfaOffset;
            }
            nextValid = 0;
            for (int r = 0; r < CfiRow.RegisterCount; r++)
            {
                var rule = _row.Rules[r];
                ulong v = 0;
                bool ok;
                switch (rule.Kind)
                {
                    case RegisterRuleKind.SameValue: v = _regs[r]; ok = (valid & (1u << r)) != 0; break;
                    case RegisterRuleKind.Undefined: ok = false; break;
                    case RegisterRuleKind.Offset: ok = memory.TryReadUInt64(cfa + (ulong)rule.Value, out v); break;
                    case RegisterRuleKind.ValueOffset: v = cfa + (ulong)rule.Value; ok = true; break;
                    case RegisterRuleKind.Register:
                        ok = rule.Value is >= 0 and < CfiRow.RegisterCount && (valid & (1u << (int)rule.Value)) != 0;
                        if (ok) v = _regs[rule.Value];
                        break;
                    case RegisterRuleKind.Expression:
                        ok = DwarfExpression.TryEvaluate(cfi.Bytes, rule.ExpressionStart, rule.ExpressionEnd, _regs, valid, memory, cfa, out ulong at)
                             && memory.TryReadUInt64(at, out v);
                        break;
                    default:
                        ok = DwarfExpression.TryEvaluate(cfi.Bytes, rule.ExpressionStart, rule.ExpressionEnd, _regs, valid, memory, cfa, out v);
                        break;
                }
                _next[r] = v;
                if (ok) nextValid |= 1u << r;
            }
            // The return address column (16 on x86-64) gives the caller's rip; the CFA is its rsp.
            int ra = fde.Cie.ReturnAddressRegister;
            if (ra >= CfiRow.RegisterCount || (nextValid & (1u << ra)) == 0) return false; // undefined: the outermost frame
            ulong rip = _next[ra];
            if (_row.Rules[CfiRow.Rsp].Kind == RegisterRuleKind.SameValue) { _next[CfiRow.Rsp] = cfa; nextValid |= 1u << CfiRow.Rsp; }
            _next[CfiRow.ReturnAddress] = rip;
            nextValid |= 1u << CfiRow.ReturnAddress;
            signal = fde.Cie.IsSignalFrame;
        }
        else
        {
            // No CFI: the frame pointer chain, as libunwind's x86-64 fallback; rbp = 0 is the end.
            ulong rbp = _regs[CfiRow.Rbp];
            if ((valid & (1u << CfiRow.Rbp)) == 0 || rbp == 0) return false;
            if (!memory.TryReadUInt64(rbp, out ulong savedRbp) || !memory.TryReadUInt64(rbp + 8, out ulong rip)) return false;
            _regs.CopyTo(_next, 0);
            nextValid = valid;
            _next[CfiRow.Rbp] = savedRbp;
            _next[CfiRow.Rsp] = rbp + 16;
            _next[CfiRow.ReturnAddress] = rip;
            cfa = rbp + 16;
        }
        // A frame whose CFA does not grow is a loop (or garbage), except across a signal frame
        // (the handler may run on an alternate stack).
        if (cfa <= sp && !signal) return false;
        if (_next[CfiRow.ReturnAddress] == 0) return false;
        _next.CopyTo(_regs, 0);
        valid = nextValid;
        activation = signal;
        return true;
    }
}
