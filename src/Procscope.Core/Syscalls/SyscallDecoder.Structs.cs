using System.Buffers.Binary;

namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    private static ulong U64(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadUInt64LittleEndian(b[off..]);
    private static long S64(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadInt64LittleEndian(b[off..]);
    private static uint U32(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadUInt32LittleEndian(b[off..]);
    private static int S32(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadInt32LittleEndian(b[off..]);
    private static ushort U16(ReadOnlySpan<byte> b, int off) => BinaryPrimitives.ReadUInt16LittleEndian(b[off..]);

    /// <summary>A native long of the ABI at <paramref name="off"/>.</summary>
    private long SL(ReadOnlySpan<byte> b, int off) => I386 ? S32(b, off) : S64(b, off);
    private ulong UL(ReadOnlySpan<byte> b, int off) => I386 ? U32(b, off) : U64(b, off);

    /// <summary>Structures and arrays. At exit a failed call shows the address (the kernel wrote nothing).</summary>
    private void StructArg(in ArgSpec s, int i, ulong p)
    {
        if (s.AtExit && Failed && s.Type is not (A.TsRem or A.LenInOut or A.SaOut))
        {
            AddPtr(s.Name, p);
            return;
        }
        if (p == 0)
        {
            AddPtr(s.Name, 0);
            return;
        }
        bool ok = s.Type switch
        {
            A.StatOut => I386 ? Stat64At(p) : StatAt(p),
            A.Stat64Out => Stat64At(p),
            A.StatxOut => StatxAt(p),
            A.StatfsOut => StatfsAt(p, false),
            A.Statfs64Out => StatfsAt(p, true),
            A.TsIn or A.TsOut => TimespecAt(p),
            A.TsRem => TsRemAt(p),
            A.TvIn or A.TvOut => TimevalAt(p),
            A.TzOut => TimezoneAt(p),
            A.ItsIn or A.ItsOut => ItimerspecAt(p),
            A.ItvIn or A.ItvOut => ItimervalAt(p),
            A.RlimIn or A.RlimOut => RlimitAt(p, false),
            A.Rlim64In or A.Rlim64Out => RlimitAt(p, true),
            A.UtsOut => UtsnameAt(p),
            A.SysinfoOut => SysinfoAt(p),
            A.TmsOut => TmsAt(p),
            A.RusageOut => RusageAt(p),
            A.SigsetIn or A.SigsetOut => SigsetAt(p, (int)Math.Min(Word(s.Aux), 128)),
            A.SigactIn or A.SigactOut => SigactionAt(p),
            A.FdPairOut => FdPairAt(p),
            A.IntOut or A.IntIn => IntAt(p),
            A.IdOut => IdAt(p),
            A.LenInOut => LenInOut(p, i),
            A.IovIn => IovecAt(p, Int(s.Aux), long.MaxValue),
            A.IovOut => IovecAt(p, Int(s.Aux), Ret),
            A.SaIn => SockaddrAt(p, (int)Word(s.Aux)),
            A.SaOut => SaOut(p, Word(s.Aux)),
            A.MsgIn => MsghdrAt(p, long.MaxValue),
            A.MsgOut => MsghdrAt(p, Ret),
            A.EpollEvIn => EpollEventsAt(p, 1, false),
            A.EpollEvsOut => EpollEventsAt(p, (int)Ret, true),
            A.Dents64Out => DirentsAt(p, Ret, true),
            A.DentsOut => DirentsAt(p, Ret, false),
            A.WaitStatusOut => WaitStatusAt(p),
            A.SchedParamIn or A.SchedParamOut => IntAt(p, "sched_priority="),
            A.CpuSetIn => CpuSetAt(p, (int)Math.Min(Word(s.Aux), 1024)),
            A.CpuSetOut => CpuSetAt(p, (int)Math.Min(Ret, 1024)),
            A.GroupsIn => GroupsAt(p, Int(s.Aux)),
            A.GroupsOut => GroupsAt(p, Int(s.Aux) == 0 ? 0 : (int)Ret),
            A.SiginfoOut or A.SigInfoIn => SiginfoAt(p),
            A.SockoptOut => SockoptValueAt(p, i),
            A.Sockopt => SockoptName(i),
            A.TimeOut => TimeAt(p),
            _ => false,
        };
        if (!ok)
        {
            _t.Clear();
            Ptr(p);
            Add(s.Name, ArgKind.Pointer, (long)p);
            return;
        }
        Add(s.Name, s.Type is A.Sockopt ? ArgKind.Flags : ArgKind.Struct, (long)p);
    }

    // ---- time ------------------------------------------------------------------------------

    /// <summary>struct timespec's size: 64-bit fields on x86_64 and in the i386 *_time64 calls.</summary>
    private int TimespecSize => _ts64 ? 16 : 8;

    private int TimevalSize => I386 ? 8 : 16;

    private bool TimespecAt(ulong p)
    {
        Span<byte> b = stackalloc byte[16];
        if (!Read(p, b[..TimespecSize]))
            return false;
        Timespec(b);
        return true;
    }

    private void Timespec(ReadOnlySpan<byte> b) => TimePair(b, ", tv_nsec=", _ts64);

    private void Timeval(ReadOnlySpan<byte> b) => TimePair(b, ", tv_usec=", !I386);

    private void TimePair(ReadOnlySpan<byte> b, string second, bool wide)
    {
        _t.Add("{tv_sec=");
        _t.Dec(wide ? S64(b, 0) : S32(b, 0));
        _t.Add(second);
        _t.Dec(wide ? S64(b, 8) : S32(b, 4));
        _t.Add('}');
    }

    /// <summary>nanosleep's remaining time: printed only when the sleep was interrupted.</summary>
    private bool TsRemAt(ulong p)
    {
        if (_c.Errno is not (4 or 514 or 516 or 512 or 513))
        {
            Ptr(p);
            return true;
        }
        return TimespecAt(p);
    }

    private bool TimevalAt(ulong p)
    {
        Span<byte> b = stackalloc byte[16];
        if (!Read(p, b[..TimevalSize]))
            return false;
        Timeval(b);
        return true;
    }

    private bool TimezoneAt(ulong p)
    {
        Span<byte> b = stackalloc byte[8];
        if (!Read(p, b))
            return false;
        _t.Add("{tz_minuteswest=");
        _t.Dec(S32(b, 0));
        _t.Add(", tz_dsttime=");
        _t.Dec(S32(b, 4));
        _t.Add('}');
        return true;
    }

    private bool ItimerspecAt(ulong p)
    {
        Span<byte> b = stackalloc byte[32];
        int n = TimespecSize;
        if (!Read(p, b[..(2 * n)]))
            return false;
        _t.Add("{it_interval=");
        Timespec(b);
        _t.Add(", it_value=");
        Timespec(b[n..]);
        _t.Add('}');
        return true;
    }

    private bool ItimervalAt(ulong p)
    {
        Span<byte> b = stackalloc byte[32];
        int n = TimevalSize;
        if (!Read(p, b[..(2 * n)]))
            return false;
        _t.Add("{it_interval=");
        Timeval(b);
        _t.Add(", it_value=");
        Timeval(b[n..]);
        _t.Add('}');
        return true;
    }

    private bool TimeAt(ulong p)
    {
        if (!ReadWord(p, out ulong v))
            return false;
        _t.Add('[');
        _t.Dec(I386 ? (int)v : (long)v);
        _t.Add(']');
        return true;
    }

    // ---- resources -------------------------------------------------------------------------

    private bool RlimitAt(ulong p, bool is64)
    {
        Span<byte> b = stackalloc byte[16];
        bool wide = is64 || !I386;
        if (!Read(p, b[..(wide ? 16 : 8)]))
            return false;
        _t.Add("{rlim_cur=");
        Rlim(wide ? U64(b, 0) : U32(b, 0), is64, wide);
        _t.Add(", rlim_max=");
        Rlim(wide ? U64(b, 8) : U32(b, 4), is64, wide);
        _t.Add('}');
        return true;
    }

    /// <summary>strace's rlimit value: RLIM[64]_INFINITY, "N*1024" for multiples of 1024, else N.</summary>
    private void Rlim(ulong v, bool is64, bool wide)
    {
        if (v == (wide ? ulong.MaxValue : uint.MaxValue))
        {
            _t.Add(is64 ? "RLIM64_INFINITY" : "RLIM_INFINITY");
            return;
        }
        if (v > 1024 && v % 1024 == 0)
        {
            _t.UDec(v / 1024);
            _t.Add("*1024");
            return;
        }
        _t.UDec(v);
    }

    private bool UtsnameAt(ulong p)
    {
        var b = Scratch(390);
        if (!Read(p, b))
            return false;
        string[] names = ["sysname", "nodename", "release", "version", "machine", "domainname"];
        _t.Add('{');
        for (int f = 0; f < 6; f++)
        {
            if (f == 2 && !_o.Verbose)
            {
                _t.Add(", ...");
                break;
            }
            if (f > 0)
                _t.Add(", ");
            _t.Add(names[f]);
            _t.Add('=');
            var field = b.Slice(f * 65, 65);
            int nul = field.IndexOf((byte)0);
            StraceQuote.Append(_t, nul < 0 ? field : field[..nul], _o.Hex);
        }
        _t.Add('}');
        return true;
    }

    private bool SysinfoAt(ulong p)
    {
        int w = PtrSize;
        int size = I386 ? 64 : 112;
        var b = Scratch(size);
        if (!Read(p, b))
            return false;
        _t.Add("{uptime=");
        _t.Dec(SL(b, 0));
        _t.Add(", loads=[");
        for (int k = 0; k < 3; k++)
        {
            if (k > 0)
                _t.Add(", ");
            _t.UDec(UL(b, w * (1 + k)));
        }
        _t.Add("], totalram=");
        _t.UDec(UL(b, w * 4));
        _t.Add(", freeram=");
        _t.UDec(UL(b, w * 5));
        _t.Add(", sharedram=");
        _t.UDec(UL(b, w * 6));
        _t.Add(", bufferram=");
        _t.UDec(UL(b, w * 7));
        _t.Add(", totalswap=");
        _t.UDec(UL(b, w * 8));
        _t.Add(", freeswap=");
        _t.UDec(UL(b, w * 9));
        _t.Add(", procs=");
        _t.UDec(U16(b, w * 10));
        int hi = I386 ? 44 : 88; // after the u16 procs and its padding
        _t.Add(", totalhigh=");
        _t.UDec(UL(b, hi));
        _t.Add(", freehigh=");
        _t.UDec(UL(b, hi + w));
        _t.Add(", mem_unit=");
        _t.UDec(U32(b, hi + 2 * w));
        _t.Add('}');
        return true;
    }

    private bool TmsAt(ulong p)
    {
        Span<byte> b = stackalloc byte[32];
        int w = PtrSize;
        if (!Read(p, b[..(4 * w)]))
            return false;
        _t.Add("{tms_utime=");
        _t.Dec(SL(b, 0));
        _t.Add(", tms_stime=");
        _t.Dec(SL(b, w));
        _t.Add(", tms_cutime=");
        _t.Dec(SL(b, 2 * w));
        _t.Add(", tms_cstime=");
        _t.Dec(SL(b, 3 * w));
        _t.Add('}');
        return true;
    }

    private static readonly string[] RusageFields =
        ["ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap", "ru_inblock",
         "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw"];

    private bool RusageAt(ulong p)
    {
        int w = PtrSize;
        var b = Scratch(18 * w);
        if (!Read(p, b))
            return false;
        _t.Add("{ru_utime=");
        Timeval(b);
        _t.Add(", ru_stime=");
        Timeval(b[(2 * w)..]);
        if (!_o.Verbose)
        {
            _t.Add(", ...}");
            return true;
        }
        for (int k = 0; k < RusageFields.Length; k++)
        {
            _t.Add(", ");
            _t.Add(RusageFields[k]);
            _t.Add('=');
            _t.Dec(SL(b, (4 + k) * w));
        }
        _t.Add('}');
        return true;
    }

    // ---- small arrays ----------------------------------------------------------------------

    private bool FdPairAt(ulong p)
    {
        Span<byte> b = stackalloc byte[8];
        if (!Read(p, b))
            return false;
        _t.Add('[');
        Fd(S32(b, 0));
        _t.Add(", ");
        Fd(S32(b, 4));
        _t.Add(']');
        return true;
    }

    private bool IntAt(ulong p, string? field = null)
    {
        if (!ReadU32(p, out uint v))
            return false;
        if (field is null)
        {
            _t.Add('[');
            _t.Dec((int)v);
            _t.Add(']');
        }
        else
        {
            _t.Add('[');
            _t.Dec((int)v);
            _t.Add(']');
        }
        return true;
    }

    private bool IdAt(ulong p)
    {
        if (!ReadU32(p, out uint v))
            return false;
        _t.Add('[');
        if (v == uint.MaxValue)
            _t.Add("-1");
        else
            _t.UDec(v);
        _t.Add(']');
        return true;
    }

    private bool GroupsAt(ulong p, int n)
    {
        if (n < 0)
            return false;
        _t.Add('[');
        int shown = Math.Min(n, _o.Verbose ? MaxArray : _o.StringLimit);
        for (int k = 0; k < shown; k++)
        {
            if (!ReadU32(p + (ulong)(4 * k), out uint g))
                return false;
            if (k > 0)
                _t.Add(", ");
            _t.UDec(g);
        }
        if (shown < n)
            _t.Add(", ...");
        _t.Add(']');
        return true;
    }

    /// <summary>An in/out socklen_t: "[16]" at entry; at exit "[128 => 16]" when the kernel changed it.</summary>
    private bool LenInOut(ulong p, int i)
    {
        if (!ReadU32(p, out uint now))
            return false;
        // The entry value was saved by the call's entry (see SaveLen).
        uint before = (uint)_c.Saved0;
        _t.Add('[');
        if (_c.Saved1 == 1 && before != now && !Failed)
        {
            _t.UDec(before);
            _t.Add(" => ");
        }
        _t.UDec(Failed && _c.Saved1 == 1 ? before : now);
        _t.Add(']');
        _ = i;
        return true;
    }

    private bool CpuSetAt(ulong p, int bytes)
    {
        if (bytes <= 0)
            return false;
        var b = Scratch(bytes);
        if (!Read(p, b))
            return false;
        _t.Add('[');
        bool first = true;
        for (int k = 0; k < bytes * 8; k++)
        {
            if ((b[k >> 3] & (1 << (k & 7))) == 0)
                continue;
            if (!first)
                _t.Add(' ');
            _t.Dec(k);
            first = false;
        }
        _t.Add(']');
        return true;
    }

    private bool WaitStatusAt(ulong p)
    {
        if (!ReadU32(p, out uint st))
            return false;
        _t.Add("[{");
        int lo = (int)(st & 0x7f);
        if (lo == 0)
        {
            _t.Add("WIFEXITED(s) && WEXITSTATUS(s) == ");
            _t.Dec((st >> 8) & 0xff);
        }
        else if (lo == 0x7f)
        {
            _t.Add("WIFSTOPPED(s) && WSTOPSIG(s) == ");
            Signal((int)((st >> 8) & 0xff));
            if ((st >> 16) != 0)
            {
                _t.Add(" && WEVENT(s) == ");
                _t.UDec(st >> 16);
            }
        }
        else if (st == 0xffff)
            _t.Add("WIFCONTINUED(s)");
        else
        {
            _t.Add("WIFSIGNALED(s) && WTERMSIG(s) == ");
            Signal(lo);
            if ((st & 0x80) != 0)
                _t.Add(" && WCOREDUMP(s)");
        }
        _t.Add("}]");
        return true;
    }
}
