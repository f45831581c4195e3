namespace Procscope.Core.Unwind;

/// <summary>How a register of the caller is recovered (DWARF 5, 6.4.1 "Structure of Call Frame Information").</summary>
public enum RegisterRuleKind : byte
{
    /// <summary>Not mentioned: the register keeps its value (callee-saved registers the function does not touch).</summary>
    SameValue,
    Undefined,
    /// <summary>Saved at CFA + N.</summary>
    Offset,
    /// <summary>The value is CFA + N.</summary>
    ValueOffset,
    /// <summary>Held in another register.</summary>
    Register,
    /// <summary>Saved at the address a DWARF expression computes (with the CFA pushed first).</summary>
    Expression,
    /// <summary>The value is what a DWARF expression computes.</summary>
    ValueExpression,
}

/// <summary>One register rule; expressions are file offsets of the expression bytes.</summary>
public readonly record struct RegisterRule(RegisterRuleKind Kind, long Value = 0, int ExpressionStart = 0, int ExpressionEnd = 0);

/// <summary>
/// One row of the CFI table: how to find the canonical frame address and the caller's registers
/// at one instruction. x86-64 DWARF numbering: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp,
/// 7 rsp, 8–15 r8–r15, 16 the return address (rip).
/// </summary>
public sealed class CfiRow
{
    public const int RegisterCount = 17;
    public const int Rbp = 6, Rsp = 7, ReturnAddress = 16;

    /// <summary>CFA = register + offset, unless <see cref="CfaIsExpression"/>.</summary>
    public int CfaRegister;
    public long CfaOffset;
    public bool CfaIsExpression;
    public int CfaExpressionStart, CfaExpressionEnd;
    public readonly RegisterRule[] Rules = new RegisterRule[RegisterCount];

    public void CopyFrom(CfiRow other)
    {
        CfaRegister = other.CfaRegister;
        CfaOffset = other.CfaOffset;
        CfaIsExpression = other.CfaIsExpression;
        CfaExpressionStart = other.CfaExpressionStart;
        CfaExpressionEnd = other.CfaExpressionEnd;
        other.Rules.CopyTo(Rules, 0);
    }

    public void Clear()
    {
        CfaRegister = 0;
        CfaOffset = 0;
        CfaIsExpression = false;
        CfaExpressionStart = CfaExpressionEnd = 0;
        Array.Clear(Rules);
    }
}

/// <summary>
/// Runs CFA programs (DW_CFA_* instructions of a CIE and an FDE) up to an address and yields the
/// row in force there. Handles every instruction gcc, clang and glibc's hand-written assembly emit:
/// advance_loc*, def_cfa*, offset*, restore*, undefined, same_value, register, remember/restore_state,
/// expression, val_offset, val_expression, def_cfa_expression (the PLT's), GNU_args_size and
/// GNU_negative_offset_extended. Bounded: a program never runs longer than its bytes, and
/// remember_state nests at most 64 deep.
/// </summary>
public sealed class CfiInterpreter
{
    private const int MaxStateDepth = 64;
    private readonly CfiRow _initial = new();
    private readonly CfiRow[] _stack = new CfiRow[MaxStateDepth];
    private int _depth;

    /// <summary>Computes into <paramref name="row"/> the rule set in force at link-time address
    /// <paramref name="pc"/> inside <paramref name="fde"/>. False when the program is malformed.</summary>
    public bool TryComputeRow(ReadOnlySpan<byte> file, in FdeInfo fde, ulong pc, CfiRow row)
    {
        row.Clear();
        _depth = 0;
        ulong loc = fde.PcBegin;
        if (!Run(file, fde.Cie, fde.Cie.InstructionsStart, fde.Cie.InstructionsEnd, ref loc, ulong.MaxValue, row, null)) return false;
        _initial.CopyFrom(row);
        loc = fde.PcBegin;
        return Run(file, fde.Cie, fde.InstructionsStart, fde.InstructionsEnd, ref loc, pc, row, _initial);
    }

    private bool Run(ReadOnlySpan<byte> file, in CieInfo cie, int start, int end, ref ulong loc, ulong pc, CfiRow row, CfiRow? initial)
    {
        var r = new CfiReader(file, start, end);
        while (!r.AtEnd)
        {
            byte op = r.U8();
            byte low = (byte)(op & 0x3f);
            switch (op >> 6)
            {
                case 1: // DW_CFA_advance_loc
                    if (!Advance(ref loc, low * cie.CodeAlignment, pc)) return true;
                    continue;
                case 2: // DW_CFA_offset
                    SetRule(row, low, new RegisterRule(RegisterRuleKind.Offset, (long)r.Uleb() * cie.DataAlignment));
                    continue;
                case 3: // DW_CFA_restore
                    if (initial is null) return false;
                    if (low < CfiRow.RegisterCount) row.Rules[low] = initial.Rules[low];
                    continue;
            }
            switch (op)
            {
                case 0x00: break; // nop
                case 0x01: // set_loc
                {
                    if (!r.Encoded(cie.FdeEncoding, 0, 0, out ulong to, out _)) return false;
                    if (to > pc) return true;
                    loc = to;
                    break;
                }
                case 0x02: if (!Advance(ref loc, r.U8() * cie.CodeAlignment, pc)) return !r.Failed; break;
                case 0x03: if (!Advance(ref loc, r.U16() * cie.CodeAlignment, pc)) return !r.Failed; break;
                case 0x04: if (!Advance(ref loc, r.U32() * cie.CodeAlignment, pc)) return !r.Failed; break;
                case 0x05: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.Offset, (long)r.Uleb() * cie.DataAlignment)); break; }
                case 0x06: { ulong reg = r.Uleb(); if (initial is null) return false; if (reg < CfiRow.RegisterCount) row.Rules[reg] = initial.Rules[reg]; break; }
                case 0x07: SetRule(row, r.Uleb(), new RegisterRule(RegisterRuleKind.Undefined)); break;
                case 0x08: SetRule(row, r.Uleb(), new RegisterRule(RegisterRuleKind.SameValue)); break;
                case 0x09: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.Register, (long)r.Uleb())); break; }
                case 0x0a: // remember_state
                    if (_depth >= MaxStateDepth) return false;
                    (_stack[_depth] ??= new CfiRow()).CopyFrom(row);
                    _depth++;
                    break;
                case 0x0b: // restore_state: the whole row (CFA rule included) except the location
                    if (_depth == 0) return false;
                    row.CopyFrom(_stack[--_depth]);
                    break;
                case 0x0c: row.CfaRegister = (int)Math.Min(r.Uleb(), 1024); row.CfaOffset = (long)r.Uleb(); row.CfaIsExpression = false; break;
                case 0x0d: row.CfaRegister = (int)Math.Min(r.Uleb(), 1024); row.CfaIsExpression = false; break;
                case 0x0e: row.CfaOffset = (long)r.Uleb(); break;
                case 0x0f: // def_cfa_expression
                {
                    ulong len = r.Uleb();
                    int s = r.Position;
                    r.Skip(len);
                    if (r.Failed) return false;
                    row.CfaIsExpression = true;
                    row.CfaExpressionStart = s;
                    row.CfaExpressionEnd = r.Position;
                    break;
                }
                case 0x10: case 0x16: // expression, val_expression
                {
                    ulong reg = r.Uleb();
                    ulong len = r.Uleb();
                    int s = r.Position;
                    r.Skip(len);
                    if (r.Failed) return false;
                    SetRule(row, reg, new RegisterRule(op == 0x10 ? RegisterRuleKind.Expression : RegisterRuleKind.ValueExpression, 0, s, r.Position));
                    break;
                }
                case 0x11: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.Offset, r.Sleb() * cie.DataAlignment)); break; }
                case 0x12: row.CfaRegister = (int)Math.Min(r.Uleb(), 1024); row.CfaOffset = r.Sleb() * cie.DataAlignment; row.CfaIsExpression = false; break;
                case 0x13: row.CfaOffset = r.Sleb() * cie.DataAlignment; break;
                case 0x14: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.ValueOffset, (long)r.Uleb() * cie.DataAlignment)); break; }
                case 0x15: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.ValueOffset, r.Sleb() * cie.DataAlignment)); break; }
                case 0x2e: r.Uleb(); break; // GNU_args_size
                case 0x2f: { ulong reg = r.Uleb(); SetRule(row, reg, new RegisterRule(RegisterRuleKind.Offset, -(long)r.Uleb() * cie.DataAlignment)); break; }
                default: return false; // unknown opcode: its operands' length is unknown
            }
            if (r.Failed) return false;
        }
        return !r.Failed;
    }

    /// <summary>Moves the location; false when the new row starts past <paramref name="pc"/> (stop: the current row applies).</summary>
    private static bool Advance(ref ulong loc, ulong delta, ulong pc)
    {
        ulong next = loc + delta;
        if (next < loc || next > pc) return false;
        loc = next;
        return true;
    }

    private static void SetRule(CfiRow row, ulong reg, RegisterRule rule)
    {
        if (reg < CfiRow.RegisterCount) row.Rules[reg] = rule; // vector registers: not needed to unwind
    }
}
