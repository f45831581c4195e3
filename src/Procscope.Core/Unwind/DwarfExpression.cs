namespace Procscope.Core.Unwind;

/// <summary>Reads 8-byte words of the traced program's memory (its stack, its signal frames).</summary>
public interface IUnwindMemory
{
    bool TryReadUInt64(ulong address, out ulong value);
}

/// <summary>
/// Evaluates the DWARF expressions CFI uses (DWARF 5, 2.5): on x86-64 Linux these are the PLT's
/// CFA rule (rsp + 8 + ((rip &amp; 15) &gt;= 11 ? 8 : 0)) and glibc's signal trampoline rules
/// (rsp + offset into the ucontext, dereferenced). Stack-based, 64 entries, bounded by the
/// expression's length (no branches backwards are taken more than a fixed number of times).
/// </summary>
public static class DwarfExpression
{
    private const int MaxStack = 64, MaxSteps = 1000;

    public static bool TryEvaluate(ReadOnlySpan<byte> file, int start, int end, ReadOnlySpan<ulong> regs, uint valid,
        IUnwindMemory memory, ulong? initial, out ulong result)
    {
        result = 0;
        Span<ulong> st = stackalloc ulong[MaxStack];
        int sp = 0;
        if (initial is ulong init) st[sp++] = init;
        var r = new CfiReader(file, start, end);
        for (int steps = 0; !r.AtEnd; steps++)
        {
            if (steps > MaxSteps) return false;
            byte op = r.U8();
            if (op >= 0x30 && op <= 0x4f) { if (!Push(st, ref sp, (ulong)(op - 0x30))) return false; continue; } // lit0..31
            if (op >= 0x70 && op <= 0x8f) // breg0..31
            {
                int reg = op - 0x70;
                long off = r.Sleb();
                if (reg >= CfiRow.RegisterCount || (valid & (1u << reg)) == 0) return false;
                if (!Push(st, ref sp, regs[reg] + (ulong)off)) return false;
                continue;
            }
            if (op >= 0x50 && op <= 0x6f) // reg0..31
            {
                int reg = op - 0x50;
                if (reg >= CfiRow.RegisterCount || (valid & (1u << reg)) == 0) return false;
                if (!Push(st, ref sp, regs[reg])) return false;
                continue;
            }
            ulong a, b;
            switch (op)
            {
                case 0x03: if (!Push(st, ref sp, r.U64())) return false; break; // addr
                case 0x06: if (sp < 1 || !memory.TryReadUInt64(st[sp - 1], out st[sp - 1])) return false; break; // deref
                case 0x08: if (!Push(st, ref sp, r.U8())) return false; break;
                case 0x09: if (!Push(st, ref sp, (ulong)(long)(sbyte)r.U8())) return false; break;
                case 0x0a: if (!Push(st, ref sp, r.U16())) return false; break;
                case 0x0b: if (!Push(st, ref sp, (ulong)(long)(short)r.U16())) return false; break;
                case 0x0c: if (!Push(st, ref sp, r.U32())) return false; break;
                case 0x0d: if (!Push(st, ref sp, (ulong)(long)(int)r.U32())) return false; break;
                case 0x0e: case 0x0f: if (!Push(st, ref sp, r.U64())) return false; break;
                case 0x10: if (!Push(st, ref sp, r.Uleb())) return false; break;
                case 0x11: if (!Push(st, ref sp, (ulong)r.Sleb())) return false; break;
                case 0x12: if (sp < 1 || !Push(st, ref sp, st[sp - 1])) return false; break; // dup
                case 0x13: if (sp < 1) return false; sp--; break; // drop
                case 0x14: if (sp < 2 || !Push(st, ref sp, st[sp - 2])) return false; break; // over
                case 0x15: { byte i = r.U8(); if (i >= sp || !Push(st, ref sp, st[sp - 1 - i])) return false; break; } // pick
                case 0x16: if (sp < 2) return false; (st[sp - 1], st[sp - 2]) = (st[sp - 2], st[sp - 1]); break; // swap
                case 0x17: if (sp < 3) return false; (st[sp - 1], st[sp - 2], st[sp - 3]) = (st[sp - 2], st[sp - 3], st[sp - 1]); break; // rot
                case 0x19: if (sp < 1) return false; st[sp - 1] = (ulong)Math.Abs((long)st[sp - 1]); break;
                case 0x1f: if (sp < 1) return false; st[sp - 1] = (ulong)(-(long)st[sp - 1]); break; // neg
                case 0x20: if (sp < 1) return false; st[sp - 1] = ~st[sp - 1]; break; // not
                case 0x23: if (sp < 1) return false; st[sp - 1] += r.Uleb(); break; // plus_uconst
                case 0x2f: // skip
                {
                    short d = (short)r.U16();
                    int to = r.Position + d;
                    if (to < start || to > end) return false;
                    r.Position = to;
                    break;
                }
                case 0x28: // bra
                {
                    short d = (short)r.U16();
                    if (sp < 1) return false;
                    if (st[--sp] != 0)
                    {
                        int to = r.Position + d;
                        if (to < start || to > end) return false;
                        r.Position = to;
                    }
                    break;
                }
                case 0x96: break; // nop
                default:
                    if (op is (>= 0x1a and <= 0x1e) or 0x21 or 0x22 or (>= 0x24 and <= 0x27) or (>= 0x29 and <= 0x2e))
                    {
                        if (sp < 2) return false;
                        b = st[--sp];
                        a = st[sp - 1];
                        ulong v;
                        switch (op)
                        {
                            case 0x1a: v = a & b; break;
                            case 0x1b: if (b == 0) return false; v = (ulong)((long)a / (long)b); break;
                            case 0x1c: v = a - b; break;
                            case 0x1d: if (b == 0) return false; v = a % b; break;
                            case 0x1e: v = a * b; break;
                            case 0x21: v = a | b; break;
                            case 0x22: v = a + b; break;
                            case 0x24: v = b >= 64 ? 0 : a << (int)b; break;
                            case 0x25: v = b >= 64 ? 0 : a >> (int)b; break;
                            case 0x26: v = b >= 64 ? ((long)a < 0 ? ulong.MaxValue : 0) : (ulong)((long)a >> (int)b); break;
                            case 0x27: v = a ^ b; break;
                            case 0x29: v = a == b ? 1UL : 0; break;
                            case 0x2a: v = (long)a >= (long)b ? 1UL : 0; break;
                            case 0x2b: v = (long)a > (long)b ? 1UL : 0; break;
                            case 0x2c: v = (long)a <= (long)b ? 1UL : 0; break;
                            case 0x2d: v = (long)a < (long)b ? 1UL : 0; break;
                            default: v = a != b ? 1UL : 0; break;
                        }
                        st[sp - 1] = v;
                        break;
                    }
                    return false;
            }
            if (r.Failed) return false;
        }
        if (r.Failed || sp < 1) return false;
        result = st[sp - 1];
        return true;
    }

    private static bool Push(Span<ulong> st, ref int sp, ulong v)
    {
        if (sp >= st.Length) return false;
        st[sp++] = v;
        return true;
    }
}
