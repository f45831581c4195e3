using Procscope.Core.LibraryCalls;

namespace Procscope.Core.Tests.LibraryCalls;

public sealed class X64InstructionTests
{
    private static X64State State()
    {
        var s = new X64State { Rip = 0x1000, Eflags = 0x202 };
        for (int i = 0; i < 16; i++) s.Regs[i] = 0x100 + (ulong)i;
        s[Gpr.Rsp] = 0x7ffc0000;
        return s;
    }

    private static (bool Ok, X64State State, List<(ulong, ulong)> Writes) Run(byte[] code, X64State s, Dictionary<ulong, ulong>? memory = null)
    {
        var writes = new List<(ulong, ulong)>();
        var insn = EntryInstruction.Decode(code);
        bool ok = insn.Emulate(ref s, (a, v) => { writes.Add((a, v)); return true; },
            (ulong a, out ulong v) => memory is not null ? memory.TryGetValue(a, out v) : (v = 0) != 0);
        return (ok, s, writes);
    }

    [Fact]
    public void Endbr64_Skipped()
    {
        var (ok, s, _) = Run([0xf3, 0x0f, 0x1e, 0xfa, 0x55], State());
        Assert.True(ok);
        Assert.Equal(0x1004UL, s.Rip);
    }

    [Fact]
    public void PushR12_WritesBelowStack()
    {
        // glibc 2.36 malloc: 41 54  push %r12
        var (ok, s, writes) = Run([0x41, 0x54, 0x55], State());
        Assert.True(ok);
        Assert.Equal(0x1002UL, s.Rip);
        Assert.Equal(0x7ffc0000UL - 8, s[Gpr.Rsp]);
        Assert.Equal([(0x7ffc0000UL - 8, 0x10cUL)], writes);
    }

    [Fact]
    public void SubRsp_Imm32_SetsResultAndFlags()
    {
        // glibc 2.36 printf: 48 81 ec d8 00 00 00  sub $0xd8,%rsp
        var (ok, s, _) = Run([0x48, 0x81, 0xec, 0xd8, 0, 0, 0], State());
        Assert.True(ok);
        Assert.Equal(0x7ffc0000UL - 0xd8, s[Gpr.Rsp]);
        Assert.Equal(0x1007UL, s.Rip);
        Assert.Equal(0UL, s.Eflags & (Flags.CF | Flags.ZF | Flags.SF | Flags.OF));
    }

    [Fact]
    public void TestRdiRdi_ZeroSetsZf()
    {
        // glibc 2.36 free: 48 85 ff  test %rdi,%rdi
        var st = State();
        st[Gpr.Rdi] = 0;
        var (ok, s, _) = Run([0x48, 0x85, 0xff], st);
        Assert.True(ok);
        Assert.NotEqual(0UL, s.Eflags & Flags.ZF);
        Assert.NotEqual(0UL, s.Eflags & Flags.PF);
        Assert.Equal(0x200UL, s.Eflags & 0x200); // IF kept
    }

    [Fact]
    public void MovEdiEax_ZeroExtends()
    {
        var st = State();
        st[Gpr.Rdi] = 0xffffffff_12345678;
        var (ok, s, _) = Run([0x89, 0xf8], st);
        Assert.True(ok);
        Assert.Equal(0x12345678UL, s[Gpr.Rax]);
    }

    [Fact]
    public void RipRelativeLoad_ReadsMemory()
    {
        // glibc 2.36 strlen resolver: 48 8b 05 d1 3c 13 00  mov 0x133cd1(%rip),%rax
        var (ok, s, _) = Run([0x48, 0x8b, 0x05, 0xd1, 0x3c, 0x13, 0x00], State(), new() { [0x1007UL + 0x133cd1] = 0xabcdef });
        Assert.True(ok);
        Assert.Equal(0xabcdefUL, s[Gpr.Rax]);
        var (ok2, _, _) = Run([0x48, 0x8b, 0x05, 0xd1, 0x3c, 0x13, 0x00], State());
        Assert.False(ok2);
    }

    [Fact]
    public void CmpImm8_SetsCarryWithoutWriting()
    {
        var st = State();
        st[Gpr.Rdx] = 3;
        var (ok, s, _) = Run([0x48, 0x83, 0xfa, 0x05], st); // cmp $5,%rdx
        Assert.True(ok);
        Assert.Equal(3UL, s[Gpr.Rdx]);
        Assert.NotEqual(0UL, s.Eflags & Flags.CF);
        Assert.NotEqual(0UL, s.Eflags & Flags.SF);
    }

    [Theory]
    // vpbroadcastb %xmm0,%ymm0 (VEX 3-byte map 2)
    [InlineData(new byte[] { 0xc4, 0xe2, 0x7d, 0x78, 0xc0 }, 5, false, -1)]
    // vpxor %xmm0,%xmm0,%xmm0 (VEX 2-byte)
    [InlineData(new byte[] { 0xc5, 0xf9, 0xef, 0xc0 }, 4, false, -1)]
    // mov 0x10(%rsp,%rax,8),%rbx
    [InlineData(new byte[] { 0x48, 0x8b, 0x5c, 0xc4, 0x10 }, 5, false, -1)]
    // lea 0x0(%rip),%rdi   (REX.W 8d /r, disp32 at offset 3)
    [InlineData(new byte[] { 0x48, 0x8d, 0x3d, 0, 0, 0, 0 }, 7, false, 3)]
    // movabs $imm64,%rax
    [InlineData(new byte[] { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, false, -1)]
    // call rel32, jmp rel8, ret, jmp *%rax
    [InlineData(new byte[] { 0xe8, 0, 0, 0, 0 }, 5, true, -1)]
    [InlineData(new byte[] { 0xeb, 0x10 }, 2, true, -1)]
    [InlineData(new byte[] { 0xc3 }, 1, true, -1)]
    [InlineData(new byte[] { 0xff, 0xe0 }, 2, true, -1)]
    // test $0x1,%dil-like: f6 /0 ib ; movw $0x1,(%rax) with 66 prefix: 66 c7 00 01 00
    [InlineData(new byte[] { 0x40, 0xf6, 0xc7, 0x01 }, 4, false, -1)]
    [InlineData(new byte[] { 0x66, 0xc7, 0x00, 0x01, 0x00 }, 5, false, -1)]
    // vmovdqu64 (%rsi),%zmm16 (EVEX)
    [InlineData(new byte[] { 0x62, 0xe1, 0xfe, 0x48, 0x6f, 0x06 }, 6, false, -1)]
    public void Length_CommonForms(byte[] code, int length, bool branch, int ripOffset)
    {
        var r = X64Length.Decode(code);
        Assert.Equal(length, r.Length);
        Assert.Equal(branch, r.IsBranch);
        Assert.Equal(ripOffset, r.RipDisplacementOffset);
    }

    [Fact]
    public void Decode_BranchAtEntry_IsUnsupported()
    {
        // jmp *%rax and ret cannot be emulated nor copied; relative jumps are emulated.
        Assert.Equal(EntryKind.Unsupported, EntryInstruction.Decode([0xff, 0xe0]).Kind);
        Assert.Equal(EntryKind.Unsupported, EntryInstruction.Decode([0xc3]).Kind);
        Assert.Equal(EntryKind.Jump, EntryInstruction.Decode([0xe9, 0, 0, 0, 0]).Kind);
        Assert.Equal(EntryKind.Displaceable, EntryInstruction.Decode([0xc5, 0xf9, 0xef, 0xc0]).Kind);
    }
}

public sealed class X64BranchEmulationTests
{
    [Theory]
    // jne +0x10 with ZF clear: taken; with ZF set: falls through
    [InlineData(new byte[] { 0x75, 0x10 }, 0UL, 0x1012UL)]
    [InlineData(new byte[] { 0x75, 0x10 }, Flags.ZF, 0x1002UL)]
    // jle rel32 -0x20 (0f 8e) with SF != OF: taken
    [InlineData(new byte[] { 0x0f, 0x8e, 0xe0, 0xff, 0xff, 0xff }, Flags.SF, 0x1006UL - 0x20)]
    // jmp rel8 -2 (a tight loop)
    [InlineData(new byte[] { 0xeb, 0xfe }, 0UL, 0x1000UL)]
    public void Branches_FollowFlags(byte[] code, ulong eflags, ulong expectedRip)
    {
        var s = new X64State { Rip = 0x1000, Eflags = eflags };
        var insn = EntryInstruction.Decode(code);
        Assert.True(insn.Emulate(ref s, (_, _) => true, (ulong _, out ulong v) => (v = 0) != 0));
        Assert.Equal(expectedRip, s.Rip);
    }

    [Fact]
    public void CallRel32_PushesReturnAddress()
    {
        var s = new X64State { Rip = 0x1000 };
        s[Gpr.Rsp] = 0x8000;
        ulong pushed = 0;
        var insn = EntryInstruction.Decode([0xe8, 0x00, 0x01, 0x00, 0x00]);
        Assert.True(insn.Emulate(ref s, (a, v) => { pushed = v; return a == 0x7ff8; }, (ulong _, out ulong v) => (v = 0) != 0));
        Assert.Equal(0x1105UL, s.Rip);
        Assert.Equal(0x1005UL, pushed);
        Assert.Equal(0x7ff8UL, s[Gpr.Rsp]);
    }
}
