using System.Buffers.Binary;

namespace Procscope.Core.LibraryCalls;

/// <summary>General-purpose registers in the x86 encoding order (ModRM reg/rm with REX extension).</summary>
public enum Gpr : byte { Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15 }

/// <summary>The registers an emulated entry instruction may read or write.</summary>
public struct X64State
{
    /// <summary>Indexed by <see cref="Gpr"/>.</summary>
    public ulong[] Regs;
    public ulong Rip;
    public ulong Eflags;

    public X64State() => Regs = new ulong[16];

    public ulong this[Gpr r]
    {
        readonly get => Regs[(int)r];
        set => Regs[(int)r] = value;
    }
}

/// <summary>What a decoded entry instruction is, for emulation or out-of-line execution.</summary>
public enum EntryKind : byte
{
    /// <summary>Not understood: neither emulated nor displaced.</summary>
    Unsupported,
    /// <summary>endbr64, nop, nopl: nothing but the instruction pointer changes.</summary>
    Skip,
    Push,
    MovRegReg,
    MovImm32,
    AluImm,
    TestRegReg,
    XorRegReg,
    LoadRipRelative,
    LeaRipRelative,
    /// <summary>jmp rel8/rel32.</summary>
    Jump,
    /// <summary>jcc rel8/rel32 (the condition code in <see cref="EntryInstruction.Immediate"/>'s companion <see cref="EntryInstruction.Src"/>).</summary>
    JumpIf,
    /// <summary>call rel32.</summary>
    Call,
    /// <summary>Not emulated but safe to execute at another address (no branch; a RIP-relative
    /// displacement, if any, is at <see cref="EntryInstruction.RipDisplacementOffset"/> and must be rebased).</summary>
    Displaceable,
}

/// <summary>
/// The first instruction of a traced function, decoded so a breakpoint there costs one stop: the
/// tracer emulates it (common prologues: endbr64, push %rbp, sub $N,%rsp, mov %rdi,%rbx, test
/// %rdi,%rdi, xor %eax,%eax, mov 0x…(%rip),%rax …) or executes a copy elsewhere followed by a jump
/// back, instead of restoring the original byte and single-stepping (two more stops, and a window
/// where another thread runs past the breakpoint).
/// </summary>
public readonly record struct EntryInstruction(EntryKind Kind, int Length, Gpr Dst = Gpr.Rax, Gpr Src = Gpr.Rax, bool Wide = true,
    long Immediate = 0, AluOp Op = AluOp.Add, int RipDisplacementOffset = -1)
{
    /// <summary>Decodes the instruction at the start of <paramref name="code"/> (up to 15 bytes).</summary>
    public static EntryInstruction Decode(ReadOnlySpan<byte> code)
    {
        if (code.Length >= 4 && code[0] == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && code[3] == 0xfa) return new(EntryKind.Skip, 4);
        if (code.Length >= 1 && code[0] == 0x90) return new(EntryKind.Skip, 1);
        int i = 0;
        byte rex = 0;
        if (code.Length > 1 && code[0] is >= 0x40 and <= 0x4f) rex = code[i++];
        bool w = (rex & 8) != 0, rexR = (rex & 4) != 0, rexB = (rex & 1) != 0;
        if (i < code.Length)
        {
            byte op = code[i];
            if (op is >= 0x50 and <= 0x57 && !w) return new(EntryKind.Push, i + 1, Src: (Gpr)((op & 7) | (rexB ? 8 : 0)));
            if (op is >= 0xb8 and <= 0xbf && !w && code.Length >= i + 5)
                return new(EntryKind.MovImm32, i + 5, Dst: (Gpr)((op & 7) | (rexB ? 8 : 0)), Wide: false, Immediate: BinaryPrimitives.ReadUInt32LittleEndian(code[(i + 1)..]));
            if (i + 1 < code.Length)
            {
                byte modrm = code[i + 1];
                int mod = modrm >> 6;
                var reg = (Gpr)(((modrm >> 3) & 7) | (rexR ? 8 : 0));
                var rm = (Gpr)((modrm & 7) | (rexB ? 8 : 0));
                if (mod == 3)
                {
                    switch (op)
                    {
                        case 0x89: return new(EntryKind.MovRegReg, i + 2, Dst: rm, Src: reg, Wide: w);
                        case 0x8b: return new(EntryKind.MovRegReg, i + 2, Dst: reg, Src: rm, Wide: w);
                        case 0x85: return new(EntryKind.TestRegReg, i + 2, Dst: rm, Src: reg, Wide: w);
                        case 0x31: return new(EntryKind.XorRegReg, i + 2, Dst: rm, Src: reg, Wide: w);
                        case 0x33: return new(EntryKind.XorRegReg, i + 2, Dst: reg, Src: rm, Wide: w);
                        case 0x83 when code.Length >= i + 3 && AluOf(modrm) is { } a8:
                            return new(EntryKind.AluImm, i + 3, Dst: rm, Wide: w, Immediate: (sbyte)code[i + 2], Op: a8);
                        case 0x81 when code.Length >= i + 6 && AluOf(modrm) is { } a32:
                            return new(EntryKind.AluImm, i + 6, Dst: rm, Wide: w, Immediate: BinaryPrimitives.ReadInt32LittleEndian(code[(i + 2)..]), Op: a32);
                    }
                }
                else if (mod == 0 && (modrm & 7) == 5 && code.Length >= i + 6)
                {
                    long disp = BinaryPrimitives.ReadInt32LittleEndian(code[(i + 2)..]);
                    if (op == 0x8b) return new(EntryKind.LoadRipRelative, i + 6, Dst: reg, Wide: w, Immediate: disp);
                    if (op == 0x8d && w) return new(EntryKind.LeaRipRelative, i + 6, Dst: reg, Immediate: disp);
                }
            }
        }
        // Relative branches (common right after a call: the instruction a return breakpoint sits on).
        if (code.Length >= 2 && code[0] == 0xeb) return new(EntryKind.Jump, 2, Immediate: (sbyte)code[1]);
        if (code.Length >= 5 && code[0] == 0xe9) return new(EntryKind.Jump, 5, Immediate: BinaryPrimitives.ReadInt32LittleEndian(code[1..]));
        if (code.Length >= 5 && code[0] == 0xe8) return new(EntryKind.Call, 5, Immediate: BinaryPrimitives.ReadInt32LittleEndian(code[1..]));
        if (code.Length >= 2 && code[0] is >= 0x70 and <= 0x7f) return new(EntryKind.JumpIf, 2, Src: (Gpr)(code[0] & 0xf), Immediate: (sbyte)code[1]);
        if (code.Length >= 6 && code[0] == 0x0f && code[1] is >= 0x80 and <= 0x8f)
            return new(EntryKind.JumpIf, 6, Src: (Gpr)(code[1] & 0xf), Immediate: BinaryPrimitives.ReadInt32LittleEndian(code[2..]));
        var len = X64Length.Decode(code);
        if (len.Length == 0 || len.IsBranch) return new(EntryKind.Unsupported, len.Length);
        if (len.Length >= 4 && code[0] == 0x0f && code[1] == 0x1f) return new(EntryKind.Skip, len.Length);
        return new(EntryKind.Displaceable, len.Length, RipDisplacementOffset: len.RipDisplacementOffset);
    }

    private static AluOp? AluOf(byte modrm) => ((modrm >> 3) & 7) switch
    {
        0 => AluOp.Add,
        1 => AluOp.Or,
        4 => AluOp.And,
        5 => AluOp.Sub,
        6 => AluOp.Xor,
        7 => AluOp.Cmp,
        _ => null,
    };

    /// <summary>Whether <see cref="Emulate"/> handles this instruction.</summary>
    public bool IsEmulated => Kind is not (EntryKind.Unsupported or EntryKind.Displaceable);

    /// <summary>
    /// Applies the instruction to <paramref name="s"/>, whose Rip is the instruction's address.
    /// <paramref name="write"/> stores 8 bytes (push); <paramref name="read"/> loads 8 bytes (RIP-relative
    /// loads) and returns false when the address is unreadable (the caller then falls back).
    /// </summary>
    public bool Emulate(ref X64State s, Func<ulong, ulong, bool> write, ReadDelegate read)
    {
        ulong next = s.Rip + (ulong)Length;
        switch (Kind)
        {
            case EntryKind.Skip:
                break;
            case EntryKind.Push:
                {
                    ulong sp = s[Gpr.Rsp] - 8;
                    if (!write(sp, s[Src])) return false;
                    s[Gpr.Rsp] = sp;
                    break;
                }
            case EntryKind.MovRegReg:
                s[Dst] = Wide ? s[Src] : (uint)s[Src];
                break;
            case EntryKind.MovImm32:
                s[Dst] = (uint)Immediate;
                break;
            case EntryKind.LoadRipRelative:
                {
                    if (!read(next + (ulong)Immediate, out ulong v)) return false;
                    s[Dst] = Wide ? v : (uint)v;
                    break;
                }
            case EntryKind.LeaRipRelative:
                s[Dst] = next + (ulong)Immediate;
                break;
            case EntryKind.TestRegReg:
                s.Eflags = Flags.Logic(s.Eflags, s[Dst] & s[Src], Wide);
                break;
            case EntryKind.XorRegReg:
                {
                    ulong r = s[Dst] ^ s[Src];
                    if (!Wide) r = (uint)r;
                    s[Dst] = r;
                    s.Eflags = Flags.Logic(s.Eflags, r, Wide);
                    break;
                }
            case EntryKind.AluImm:
                {
                    ulong a = s[Dst], b = (ulong)Immediate;
                    if (!Wide) { a = (uint)a; b = (uint)b; }
                    ulong r;
                    switch (Op)
                    {
                        case AluOp.Add: r = a + b; s.Eflags = Flags.Add(s.Eflags, a, b, r, Wide); break;
                        case AluOp.Sub or AluOp.Cmp: r = a - b; s.Eflags = Flags.Sub(s.Eflags, a, b, r, Wide); break;
                        case AluOp.And: r = a & b; s.Eflags = Flags.Logic(s.Eflags, r, Wide); break;
                        case AluOp.Or: r = a | b; s.Eflags = Flags.Logic(s.Eflags, r, Wide); break;
                        default: r = a ^ b; s.Eflags = Flags.Logic(s.Eflags, r, Wide); break;
                    }
                    if (!Wide) r = (uint)r;
                    if (Op != AluOp.Cmp) s[Dst] = r;
                    break;
                }
            case EntryKind.Jump:
                s.Rip = next + (ulong)Immediate;
                return true;
            case EntryKind.JumpIf:
                s.Rip = Flags.Condition(s.Eflags, (int)Src) ? next + (ulong)Immediate : next;
                return true;
            case EntryKind.Call:
                {
                    ulong sp = s[Gpr.Rsp] - 8;
                    if (!write(sp, next)) return false;
                    s[Gpr.Rsp] = sp;
                    s.Rip = next + (ulong)Immediate;
                    return true;
                }
            default:
                return false;
        }
        s.Rip = next;
        return true;
    }

    public delegate bool ReadDelegate(ulong address, out ulong value);
}

public enum AluOp : byte { Add, Or, And, Sub, Xor, Cmp }

/// <summary>EFLAGS as the ALU sets them (Intel SDM vol. 1 §3.4.3): CF, PF, AF, ZF, SF, OF.</summary>
public static class Flags
{
    public const ulong CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;
    private const ulong Arith = CF | PF | AF | ZF | SF | OF;

    private static ulong Common(ulong r, bool wide)
    {
        ulong f = 0;
        if ((wide ? r : (uint)r) == 0) f |= ZF;
        if (((r >> (wide ? 63 : 31)) & 1) != 0) f |= SF;
        if ((System.Numerics.BitOperations.PopCount(r & 0xff) & 1) == 0) f |= PF;
        return f;
    }

    /// <summary>The x86 condition codes 0–15 (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g).</summary>
    public static bool Condition(ulong f, int cc)
    {
        bool cf = (f & CF) != 0, zf = (f & ZF) != 0, sf = (f & SF) != 0, of = (f & OF) != 0, pf = (f & PF) != 0;
        bool r = (cc >> 1) switch
        {
            0 => of,
            1 => cf,
            2 => zf,
            3 => cf || zf,
            4 => sf,
            5 => pf,
            6 => sf != of,
            _ => zf || sf != of,
        };
        return (cc & 1) == 0 ? r : !r;
    }

    /// <summary>and/or/xor/test: CF = OF = 0; AF undefined (left clear, as hardware does).</summary>
    public static ulong Logic(ulong eflags, ulong r, bool wide) => (eflags & ~Arith) | Common(r, wide);

    public static ulong Sub(ulong eflags, ulong a, ulong b, ulong r, bool wide)
    {
        int top = wide ? 63 : 31;
        ulong f = Common(r, wide);
        if (wide ? a < b : (uint)a < (uint)b) f |= CF;
        if ((((a ^ b) & (a ^ r)) >> top & 1) != 0) f |= OF;
        if (((a ^ b ^ r) & 0x10) != 0) f |= AF;
        return (eflags & ~Arith) | f;
    }

    public static ulong Add(ulong eflags, ulong a, ulong b, ulong r, bool wide)
    {
        int top = wide ? 63 : 31;
        ulong f = Common(r, wide);
        if (wide ? r < a : (uint)r < (uint)a) f |= CF;
        if (((~(a ^ b) & (a ^ r)) >> top & 1) != 0) f |= OF;
        if (((a ^ b ^ r) & 0x10) != 0) f |= AF;
        return (eflags & ~Arith) | f;
    }
}

/// <summary>
/// x86-64 instruction length decoding (legacy, 0F, 0F38, 0F3A, VEX and EVEX maps), enough to copy
/// a function's first instruction elsewhere: its length, whether it branches, and where a
/// RIP-relative displacement sits.
/// </summary>
public static class X64Length
{
    public readonly record struct Result(int Length, bool IsBranch, int RipDisplacementOffset);

    public static Result Decode(ReadOnlySpan<byte> c)
    {
        int i = 0;
        bool opsize = false;
        while (i < c.Length && c[i] is 0x66 or 0x67 or 0xf2 or 0xf3 or 0xf0 or 0x2e or 0x36 or 0x3e or 0x26 or 0x64 or 0x65)
        {
            if (c[i] == 0x66) opsize = true;
            i++;
        }
        bool w = false;
        if (i < c.Length && c[i] is >= 0x40 and <= 0x4f) { w = (c[i] & 8) != 0; i++; }
        if (i >= c.Length) return default;
        byte op = c[i++];
        int imm = 0;
        bool modrm, branch = false;
        if (op is 0xc4 or 0xc5 or 0x62)
        {
            int map;
            if (op == 0xc5) { map = 1; i += 1; }
            else if (op == 0xc4) { if (i >= c.Length) return default; map = c[i] & 0x1f; i += 2; }
            else { if (i >= c.Length) return default; map = c[i] & 7; i += 3; }
            if (i >= c.Length) return default;
            byte vop = c[i++];
            modrm = true;
            if (map == 3) imm = 1;
            else if (map == 1 && vop is >= 0x70 and <= 0x73 or 0xc2 or 0xc4 or 0xc5 or 0xc6) imm = 1;
            else if (map is not (1 or 2)) return default;
        }
        else if (op == 0x0f)
        {
            if (i >= c.Length) return default;
            byte op2 = c[i++];
            if (op2 == 0x38) { i++; modrm = true; }
            else if (op2 == 0x3a) { i++; modrm = true; imm = 1; }
            else if (op2 is >= 0x80 and <= 0x8f) { imm = 4; modrm = false; branch = true; }
            else if (op2 is 0x05 or 0x07 or 0x0b or 0x31 or 0xa2 or 0x77 or 0x34 or 0x35 or 0xa0 or 0xa1 or 0xa8 or 0xa9 || op2 is >= 0xc8 and <= 0xcf) modrm = false;
            else
            {
                modrm = true;
                if (op2 is >= 0x70 and <= 0x73 or 0xa4 or 0xac or 0xba or 0xc2 or 0xc4 or 0xc5 or 0xc6) imm = 1;
            }
            if (op2 is 0x05 or 0x34) branch = true; // syscall, sysenter
        }
        else
        {
            int z = opsize ? 2 : 4;
            modrm = op switch
            {
                < 0x40 => (op & 7) < 4,
                0x63 or 0x69 or 0x6b or (>= 0x80 and <= 0x8f) or 0xc0 or 0xc1 or 0xc6 or 0xc7 or (>= 0xd0 and <= 0xd3) or (>= 0xd8 and <= 0xdf) or 0xf6 or 0xf7 or 0xfe or 0xff => true,
                _ => false,
            };
            if (op < 0x40 && (op & 7) == 4) imm = 1;
            else if (op < 0x40 && (op & 7) == 5) imm = z;
            else imm = op switch
            {
                0x68 or 0x69 or 0x81 or 0xa9 or 0xc7 => z,
                0x6a or 0x6b or 0x80 or 0x83 or 0xa8 or 0xc0 or 0xc1 or 0xc6 or (>= 0xb0 and <= 0xb7) or 0xcd => 1,
                >= 0xb8 and <= 0xbf => w ? 8 : z,
                0xc2 => 2,
                0xc8 => 3,
                _ => 0,
            };
            if (op is >= 0x70 and <= 0x7f or 0xeb or (>= 0xe0 and <= 0xe3)) { imm = 1; branch = true; }
            if (op is 0xe8 or 0xe9) { imm = 4; branch = true; }
            if (op is 0xc2 or 0xc3 or 0xca or 0xcb or 0xcc or 0xcd or 0xcf or 0xf4) branch = true;
            if (op is 0x06 or 0x07 or 0x0e or 0x16 or 0x17 or 0x1e or 0x1f or 0x27 or 0x2f or 0x37 or 0x3f or 0x60 or 0x61 or 0x9a or 0xea or 0xd4 or 0xd5 or 0xd6) return default; // invalid in 64-bit mode
            if ((op is 0xf6 or 0xf7) && i < c.Length && ((c[i] >> 3) & 7) is 0 or 1) imm = op == 0xf6 ? 1 : z;
            if (op == 0xff && i < c.Length && ((c[i] >> 3) & 7) is >= 2 and <= 5) branch = true;
        }
        int ripOffset = -1;
        if (modrm)
        {
            if (i >= c.Length) return default;
            byte m = c[i++];
            int mod = m >> 6, rm = m & 7;
            if (mod != 3 && rm == 4)
            {
                if (i >= c.Length) return default;
                byte sib = c[i++];
                if (mod == 0 && (sib & 7) == 5) i += 4;
            }
            if (mod == 0 && rm == 5) { ripOffset = i; i += 4; }
            else if (mod == 1) i += 1;
            else if (mod == 2) i += 4;
        }
        i += imm;
        if (i > c.Length || i > 15) return default;
        return new Result(i, branch, ripOffset);
    }
}
