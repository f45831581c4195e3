using FsCheck;
using FsCheck.Fluent;
using Procscope.Core.Elf;
using Procscope.Core.Tests.Elf;
using Procscope.Core.Unwind;

namespace Procscope.Core.Tests.Unwind;

public sealed class UnwindTests
{
    // libtiny.so of ElfFileTests (gcc 12.2, Debian 12): .eh_frame_hdr at 0x2fc, .eh_frame at 0x328
    // with one CIE ("zR", pcrel|sdata4, CFA rsp+8, rip at CFA-8), FDEs for answer (0x2e0..0x2e6),
    // helper (0x2e6..0x2ea), hello (0x2ea..0x2f6) and the PLT (0x2c0..0x2e0): def_cfa_offset 16,
    // at +6 def_cfa_offset 24, at +0x10 the PLT's def_cfa_expression.
    private static byte[] Tiny => ElfFileTests.s_tiny;

    private sealed class Memory(Dictionary<ulong, ulong> words) : IUnwindMemory
    {
        public bool TryReadUInt64(ulong address, out ulong value) => words.TryGetValue(address, out value);
    }

    private sealed class Space(params MappedRegion[] regions) : IAddressSpace
    {
        public bool TryFind(ulong address, out MappedRegion region)
        {
            foreach (var r in regions)
                if (address >= r.Start && address < r.End) { region = r; return true; }
            region = default;
            return false;
        }
    }

    private static CfiRow Row(byte[] file, ulong pc)
    {
        var table = EhFrameTable.Create(file, ElfFile.Parse(file))!;
        Assert.True(table.TryFind(pc, out var fde));
        var row = new CfiRow();
        Assert.True(new CfiInterpreter().TryComputeRow(file, fde, pc, row));
        return row;
    }

    [Fact]
    public void EhFrameHdr_FindsTheFdeOfEachFunction()
    {
        var table = EhFrameTable.Create(Tiny, ElfFile.Parse(Tiny))!;
        Assert.Equal(4, table.Count);
        Assert.True(table.TryFind(0x2e5, out var answer));
        Assert.Equal((0x2e0UL, 6UL), (answer.PcBegin, answer.PcRange));
        Assert.Equal(16, answer.Cie.ReturnAddressRegister);
        Assert.Equal(-8, answer.Cie.DataAlignment);
        Assert.Equal(0x1b, answer.Cie.FdeEncoding);
        Assert.True(table.TryFind(0x2c0, out var plt));
        Assert.Equal((0x2c0UL, 0x20UL), (plt.PcBegin, plt.PcRange));
        Assert.False(table.TryFind(0x2bf, out _)); // before every FDE
        Assert.False(table.TryFind(0x2f6, out _)); // past hello's range
    }

    [Fact]
    public void EhFrameWithoutHeader_IndexedByWalkingTheSection()
    {
        // The same file with PT_GNU_EH_FRAME turned into PT_NULL: the table comes from .eh_frame.
        var file = (byte[])Tiny.Clone();
        var elf = ElfFile.Parse(file);
        int phoff = 64, i = elf.Segments.ToList().FindIndex(s => s.Type == EhFrameTable.PtGnuEhFrame);
        Array.Clear(file, phoff + i * 56, 4);
        var table = EhFrameTable.Create(file, ElfFile.Parse(file))!;
        Assert.Equal(4, table.Count);
        Assert.True(table.TryFind(0x2ec, out var hello));
        Assert.Equal((0x2eaUL, 12UL), (hello.PcBegin, hello.PcRange));
    }

    [Fact]
    public void PltRows_OffsetThenExpression()
    {
        var at0 = Row(Tiny, 0x2c0);
        Assert.Equal((7, 16L, false), (at0.CfaRegister, at0.CfaOffset, at0.CfaIsExpression));
        Assert.Equal(RegisterRuleKind.Offset, at0.Rules[16].Kind);
        Assert.Equal(-8, at0.Rules[16].Value);
        var at6 = Row(Tiny, 0x2c6);
        Assert.Equal((7, 24L), (at6.CfaRegister, at6.CfaOffset));
        Assert.True(Row(Tiny, 0x2d0).CfaIsExpression);
    }

    [Theory]
    [InlineData(0x2d0UL, 8UL)]   // pushq of the entry (offset 0 of 16): nothing pushed yet beyond the call
    [InlineData(0x2d6UL, 8UL)]
    [InlineData(0x2dbUL, 16UL)]  // after the entry's push (offset ≥ 11): one more word
    [InlineData(0x2dfUL, 16UL)]
    public void PltExpression_CfaDependsOnTheOffsetInTheEntry(ulong rip, ulong added)
    {
        var row = Row(Tiny, rip);
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.Rsp] = 0x7ffc0000;
        regs[CfiRow.ReturnAddress] = rip;
        Assert.True(DwarfExpression.TryEvaluate(Tiny, row.CfaExpressionStart, row.CfaExpressionEnd, regs, (1u << 17) - 1, new Memory([]), null, out ulong cfa));
        Assert.Equal(0x7ffc0000 + added, cfa);
    }

    // A hand-written CIE + FDE at file offset 0 (no ELF: offsets are addresses):
    //   CIE: version 1, "zR", caf 1, daf -8, ra 16, fde enc 0x03 (udata4); def_cfa rsp+8, rip at cfa-8
    //   FDE 0x1000..0x1040: push rbp; mov rbp,rsp; ... leave with remember/restore_state.
    private static readonly byte[] s_program =
    [
        // CIE (length 0x14)
        0x14, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'z', (byte)'R', 0, 1, 0x78, 16, 1, 0x03,
        0x0c, 7, 8, 0x90, 1, 0, 0,
        // FDE (length 0x24) at 0x18, CIE pointer 0x1c
        0x24, 0, 0, 0, 0x1c, 0, 0, 0,
        0x00, 0x10, 0, 0, 0x40, 0, 0, 0, // pc begin 0x1000, range 0x40 (udata4)
        0, // augmentation data length
        0x41,             // advance_loc 1           → 0x1001
        0x0e, 16,         // def_cfa_offset 16
        0x86, 2,          // offset rbp at cfa-16
        0x43,             // advance_loc 3           → 0x1004
        0x0d, 6,          // def_cfa_register rbp
        0x4c,             // advance_loc 12          → 0x1010
        0x0a,             // remember_state
        0x0c, 7, 8,       // def_cfa rsp+8 (an early return)
        0xc6,             // restore rbp
        0x41,             // advance_loc 1           → 0x1011
        0x0b,             // restore_state
        0x10, 3, 2, 0x77, 0x10, // expression rbx: breg7 +16 (at rsp+16)
        0x2e, 8,          // GNU_args_size 8
        0, 0, 0,
    ];

    [Theory]
    [InlineData(0x1000UL, 7, 8L, RegisterRuleKind.SameValue, 0L)]
    [InlineData(0x1001UL, 7, 16L, RegisterRuleKind.Offset, -16L)]
    [InlineData(0x1003UL, 7, 16L, RegisterRuleKind.Offset, -16L)]
    [InlineData(0x1004UL, 6, 16L, RegisterRuleKind.Offset, -16L)]
    [InlineData(0x1010UL, 7, 8L, RegisterRuleKind.SameValue, 0L)]
    [InlineData(0x1011UL, 6, 16L, RegisterRuleKind.Offset, -16L)]
    [InlineData(0x103fUL, 6, 16L, RegisterRuleKind.Offset, -16L)]
    public void CfaProgram_RowAtEachAddress(ulong pc, int cfaReg, long cfaOffset, RegisterRuleKind rbpRule, long rbpOffset)
    {
        Assert.True(EhFrameTable.TryParseFde(s_program, null, 0x18, out var fde));
        Assert.Equal((0x1000UL, 0x40UL), (fde.PcBegin, fde.PcRange));
        var row = new CfiRow();
        Assert.True(new CfiInterpreter().TryComputeRow(s_program, fde, pc, row));
        Assert.Equal((cfaReg, cfaOffset), (row.CfaRegister, row.CfaOffset));
        Assert.Equal(rbpRule, row.Rules[CfiRow.Rbp].Kind);
        Assert.Equal(rbpOffset, row.Rules[CfiRow.Rbp].Value);
        Assert.Equal(RegisterRuleKind.Offset, row.Rules[CfiRow.ReturnAddress].Kind);
        Assert.Equal(pc >= 0x1011 ? RegisterRuleKind.Expression : RegisterRuleKind.SameValue, row.Rules[3].Kind);
    }

    [Fact]
    public void CfaProgram_RestoreStateWithoutRemember_IsMalformed()
    {
        var bytes = (byte[])s_program.Clone();
        bytes[0x18 + 8 + 8 + 1 + 9] = 0x00; // the remember_state becomes a nop
        Assert.True(EhFrameTable.TryParseFde(bytes, null, 0x18, out var fde));
        Assert.False(new CfiInterpreter().TryComputeRow(bytes, fde, 0x1020, new CfiRow()));
    }

    [Fact]
    public void Symbols_NearestPrecedingFunction_WhateverItsSize()
    {
        var syms = FunctionSymbols.Create(ElfFile.Parse(Tiny), (ulong)Tiny.Length);
        Assert.Equal(3, syms.Count); // answer, helper, hello (puts is undefined)
        Assert.True(syms.TryLookup(0x2e0, out var n, out var off));
        Assert.Equal(("answer", 0UL), (n, off));
        Assert.True(syms.TryLookup(0x2e9, out n, out off));
        Assert.Equal(("helper", 3UL), (n, off));
        // Past hello's 12 bytes: still hello, as libunwind names it.
        Assert.True(syms.TryLookup(0x400, out n, out off));
        Assert.Equal(("hello", 0x116UL), (n, off));
        Assert.False(syms.TryLookup(0x2df, out _, out _)); // before every function
        Assert.False(syms.TryLookup(0x2ea + (ulong)Tiny.Length, out _, out _)); // as far as the file is long
    }

    [Fact]
    public void Unwind_ThroughCfiAndPlt_NamesFramesAndStopsAtZero()
    {
        const ulong Base = 0x7f0000000000, Sp = 0x7ffd0000;
        var module = UnwindModule.Load(Tiny);
        var path = "/lib/libtiny.so.1"u8.ToArray();
        ulong bias = module.BiasFor(Base, 0);
        Assert.Equal(Base, bias);
        var space = new Space(new MappedRegion(Base, Base + 0x1000, 0, true, path, module, bias, module.SymbolBiasFor(Base, 0)));
        var memory = new Memory(new()
        {
            [Sp] = Base + 0x2f0,       // answer returns into hello (+6)
            [Sp + 8 + 16] = 0,         // PLT frame (CFA rsp+24 at 0x2c7): its return address is 0
            [Sp + 8] = Base + 0x2c8,   // hello "returns" into the PLT at +8
        });
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.Rsp] = Sp;
        regs[CfiRow.ReturnAddress] = Base + 0x2e5;
        var frames = new List<StackFrame>();
        new X64Unwinder().Unwind(regs, space, memory, frames);
        Assert.Equal(3, frames.Count);
        Assert.Equal(("answer", 5UL, 0x2e5UL), (frames[0].Symbol, frames[0].SymbolOffset, frames[0].FileOffset));
        Assert.Equal(("hello", 6UL, 0x2f0UL), (frames[1].Symbol, frames[1].SymbolOffset, frames[1].FileOffset));
        Assert.Null(frames[2].Symbol);
        Assert.Equal(0x2c8UL, frames[2].FileOffset);
        Assert.Equal(path, frames[2].ModulePath);
    }

    [Fact]
    public void Unwind_AddressOutsideEveryMapping_IsAnError()
    {
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.ReturnAddress] = 0xdead0000;
        var frames = new List<StackFrame>();
        new X64Unwinder().Unwind(regs, new Space(), new Memory([]), frames);
        var f = Assert.Single(frames);
        Assert.Equal((StackFrame.UnexpectedError, 0xdead0000UL), (f.Error, f.Address));
    }

    [Fact]
    public void Unwind_NoCfi_FollowsTheFramePointerChain()
    {
        const ulong Base = 0x400000, Fp = 0x7ffd1000;
        var space = new Space(new MappedRegion(Base, Base + 0x1000, 0, true, "/x"u8.ToArray(), null, Base, Base));
        var memory = new Memory(new() { [Fp] = Fp + 0x40, [Fp + 8] = Base + 0x20, [Fp + 0x40] = 0, [Fp + 0x48] = Base + 0x30 });
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.Rsp] = Fp - 0x10;
        regs[CfiRow.Rbp] = Fp;
        regs[CfiRow.ReturnAddress] = Base + 0x10;
        var frames = new List<StackFrame>();
        new X64Unwinder().Unwind(regs, space, memory, frames);
        Assert.Equal([0x10UL, 0x20UL, 0x30UL], frames.Select(f => f.FileOffset));
    }

    [Fact]
    public void Unwind_SelfReferencingFrame_StopsInsteadOfLooping()
    {
        const ulong Base = 0x400000, Fp = 0x7ffd1000;
        var space = new Space(new MappedRegion(Base, Base + 0x1000, 0, true, "/x"u8.ToArray(), null, Base, Base));
        // rbp points at itself: the CFA would not grow.
        var memory = new Memory(new() { [Fp] = Fp, [Fp + 8] = Base + 0x20 });
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.Rsp] = Fp + 0x100;
        regs[CfiRow.Rbp] = Fp;
        regs[CfiRow.ReturnAddress] = Base + 0x10;
        var frames = new List<StackFrame>();
        new X64Unwinder().Unwind(regs, space, memory, frames);
        Assert.Single(frames);
    }

    // ---- hostile bytes: never an exception, never a hang ----

    private static void UnwindAnything(byte[] file, ulong pc)
    {
        var module = UnwindModule.Load(file);
        if (module.Cfi is { } cfi && cfi.TryFind(pc, out var fde)) new CfiInterpreter().TryComputeRow(cfi.Bytes, fde, pc, new CfiRow());
        var space = new Space(new MappedRegion(0x10000, 0x20000, 0, true, "/f"u8.ToArray(), module, 0x10000, 0x10000));
        var words = new Dictionary<ulong, ulong>();
        for (ulong a = 0; a < 64; a++) words[0x7ff00000 + a * 8] = 0x10000 + (pc * 7 + a * 13) % 0x800;
        var regs = new ulong[CfiRow.RegisterCount];
        regs[CfiRow.Rsp] = 0x7ff00000;
        regs[CfiRow.Rbp] = 0x7ff00040;
        regs[CfiRow.ReturnAddress] = 0x10000 + pc % 0x800;
        var frames = new List<StackFrame>();
        new X64Unwinder().Unwind(regs, space, new Memory(words), frames);
        Assert.True(frames.Count <= X64Unwinder.MaxFrames + 1);
    }

    [Fact]
    public void Fuzz_CorruptedEhFrameBytes_NeverThrow()
    {
        // Overwrite bytes anywhere in .eh_frame_hdr/.eh_frame (0x2fc..0x3a4) of a real library.
        Prop.ForAll<(byte, byte)[], ushort>((edits, pc) =>
        {
            var file = (byte[])Tiny.Clone();
            foreach (var (at, value) in edits ?? []) file[0x2fc + at % 0xa8] = value;
            UnwindAnything(file, 0x2c0 + (ulong)pc % 0x40);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fuzz_TruncatedFiles_NeverThrow()
    {
        Prop.ForAll<ushort, ushort>((cut, pc) =>
        {
            UnwindAnything(Tiny[..(cut % Tiny.Length)], 0x2c0 + (ulong)pc % 0x40);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fuzz_RandomCfaPrograms_NeverThrowOrLoop()
    {
        // The hand-written CIE with a random FDE program and random expressions behind it.
        Prop.ForAll<byte[], ushort>((program, pc) =>
        {
            program ??= [];
            var bytes = new byte[0x18 + 8 + 8 + 1 + program.Length];
            s_program.AsSpan(0, 0x18 + 8 + 8 + 1).CopyTo(bytes);
            program.CopyTo(bytes, 0x18 + 8 + 8 + 1);
            BitConverter.TryWriteBytes(bytes.AsSpan(0x18), 4 + 8 + 1 + program.Length);
            if (EhFrameTable.TryParseFde(bytes, null, 0x18, out var fde))
            {
                var row = new CfiRow();
                if (new CfiInterpreter().TryComputeRow(bytes, fde, 0x1000 + (ulong)pc % 0x40, row) && row.CfaIsExpression)
                    DwarfExpression.TryEvaluate(bytes, row.CfaExpressionStart, row.CfaExpressionEnd, new ulong[17], (1u << 17) - 1, new Memory([]), null, out _);
            }
            DwarfExpression.TryEvaluate(program, 0, program.Length, new ulong[17], (1u << 17) - 1, new Memory([]), 5, out _);
            return true;
        }).QuickCheckThrowOnFailure();
    }
}
