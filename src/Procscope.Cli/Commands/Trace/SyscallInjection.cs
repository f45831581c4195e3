using System.Globalization;
using Procscope.Core.Syscalls;
using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// One -e inject=SET[:error=ERRNO|retval=N][:signal=SIG][:when=EXPR] or
/// -e fault=SET[:error=ERRNO][:when=EXPR] (strace's syscall tampering). With error= or retval= the
/// call is skipped (its number set to -1 at entry, so the kernel runs nothing) and its result
/// replaced at exit; signal= sends a signal as the call returns. As in strace, only traced calls
/// are tampered with, and every thread counts its calls (per system call) from the start.
/// </summary>
public sealed class SyscallInjection
{
    /// <summary>strace's INJECT_LAST_INF: no upper bound.</summary>
    public const int Unbounded = 0xffff;

    public required SyscallFilter Calls { get; init; }
    /// <summary>error=: the errno the call fails with (0: retval= instead).</summary>
    public int Error { get; init; }
    /// <summary>retval=: the value the call returns.</summary>
    public ulong Retval { get; init; }
    /// <summary>error= or retval= was given: the call is skipped and its result replaced.</summary>
    public bool ReplacesResult { get; init; }
    /// <summary>signal=: the signal sent as the call returns (0: none).</summary>
    public int Signal { get; init; }
    /// <summary>when=FIRST[..LAST][+[STEP]] (default 1+: every call).</summary>
    public int First { get; init; } = 1;
    public int Last { get; init; } = Unbounded;
    public int Step { get; init; } = 1;

    /// <summary>Parses the value of -e inject= (<paramref name="fault"/> false) or -e fault=.</summary>
    public static SyscallInjection Parse(string spec, bool fault)
    {
        string what = fault ? "fault argument" : "inject argument";
        CliException Invalid() => new($"invalid {what} '{spec}'");
        if (spec.Length == 0 || spec[0] == ':') throw Invalid();
        var tokens = spec.Split(':', StringSplitOptions.RemoveEmptyEntries);
        int error = 0;
        ulong? retval = null;
        int signal = 0;
        int first = 1, last = Unbounded, step = 1;
        foreach (var token in tokens.AsSpan(1))
        {
            if (token.StartsWith("when=", StringComparison.Ordinal))
            {
                if (!ParseWhen(token[5..], out first, out last, out step)) throw Invalid();
            }
            else if (token.StartsWith("error=", StringComparison.Ordinal))
            {
                if (error != 0 || retval is not null) throw Invalid();
                string v = token[6..];
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out error) && !Xlat.Errnos.TryValue(v, out error))
                    throw Invalid();
                if (error is < 1 or > 4095) throw Invalid();
            }
            else if (!fault && token.StartsWith("retval=", StringComparison.Ordinal))
            {
                if (error != 0 || retval is not null) throw Invalid();
                retval = ParseUnsigned(token[7..]) ?? throw Invalid();
            }
            else if (!fault && token.StartsWith("signal=", StringComparison.Ordinal))
            {
                if (signal != 0 || !SignalFormatter.TryParse(token[7..], out signal) || signal is < 1 or > 64) throw Invalid();
            }
            else if (!fault && (token.StartsWith("syscall=", StringComparison.Ordinal)
                || token.StartsWith("poke_enter=", StringComparison.Ordinal) || token.StartsWith("poke_exit=", StringComparison.Ordinal)
                || token.StartsWith("delay_enter=", StringComparison.Ordinal) || token.StartsWith("delay_exit=", StringComparison.Ordinal)))
            {
                throw new CliException($"{token[..token.IndexOf('=')]}= in -e inject is not supported by procscope trace (error=, retval=, signal= and when= are)");
            }
            else throw Invalid();
        }
        if (error == 0 && retval is null && signal == 0)
        {
            // fault= fails with ENOSYS unless told otherwise; inject= needs an action.
            if (!fault) throw Invalid();
            error = 38;
        }
        // An unknown name is reported as for -e trace ("invalid system call 'x'"), as strace does.
        var calls = SyscallFilter.Parse(tokens[0]);
        return new SyscallInjection
        {
            Calls = calls, Error = error, Retval = retval ?? 0, ReplacesResult = error != 0 || retval is not null, Signal = signal,
            First = first, Last = last, Step = step,
        };
    }

    /// <summary>
    /// strace's when= grammar: F (only the F-th call), F+ (F-th and every one after), F+S (every
    /// S-th from F), F..L (F-th to L-th), F..L+S; numbers 1..65535.
    /// </summary>
    private static bool ParseWhen(string v, out int first, out int last, out int step)
    {
        first = last = step = 0;
        int i = 0;
        if (!Number(v, ref i, out first) || first < 1) return false;
        if (i < v.Length && v[i] == '.')
        {
            if (i + 1 >= v.Length || v[i + 1] != '.') return false;
            i += 2;
            if (!Number(v, ref i, out last) || last < first || last == Unbounded) return false;
        }
        else last = Unbounded;
        if (i < v.Length)
        {
            if (v[i] != '+') return false;
            i++;
            if (i < v.Length)
            {
                if (!Number(v, ref i, out step) || step < 1 || i != v.Length) return false;
            }
            else step = 1;
        }
        else step = last == Unbounded ? 0 : 1;
        return true;
    }

    private static bool Number(string v, ref int i, out int value)
    {
        value = 0;
        int start = i;
        while (i < v.Length && v[i] is >= '0' and <= '9')
        {
            value = value * 10 + (v[i] - '0');
            if (value > Unbounded) return false;
            i++;
        }
        return i > start;
    }

    /// <summary>strtoull with base 0: decimal, 0x hexadecimal, 0 octal.</summary>
    private static ulong? ParseUnsigned(string v)
    {
        if (v.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h) && v.Length > 2 ? h : null;
        if (v.Length > 1 && v[0] == '0')
        {
            ulong o = 0;
            foreach (char ch in v.AsSpan(1))
            {
                if (ch is < '0' or > '7' || o > ulong.MaxValue / 8) return null;
                o = o * 8 + (ulong)(ch - '0');
            }
            return o;
        }
        return ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong d) ? d : null;
    }

    /// <summary>The value the tampered call returns, as the kernel would put it in rax.</summary>
    public long ReturnRegister => Error != 0 ? -Error : (long)Retval;
}

/// <summary>
/// One thread's countdown for one system call (strace's per-tcb copy of inject_opts): which of its
/// calls are tampered with.
/// </summary>
public sealed class InjectionCounter(SyscallInjection spec)
{
    private int _first = spec.First;
    private int _last = spec.Last;

    public SyscallInjection Spec { get; } = spec;

    /// <summary>Counts one call; true when this one is to be tampered with.</summary>
    public bool Next()
    {
        if (_first == 0 || _last == 0) return false;
        if (_last != SyscallInjection.Unbounded) _last--;
        if (--_first != 0) return false;
        _first = Spec.Step;
        return true;
    }
}
