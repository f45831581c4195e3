namespace Procscope.Core.Syscalls;

/// <summary>Turns a system call's raw registers into strace's text (and typed values for JSON).
/// One instance per tracer thread: it reuses its buffers, so a call allocates only the strings
/// (and argument records) it returns. Input arguments are decoded at entry, output arguments
/// (buffers the kernel fills) at exit, as strace prints them around "&lt;unfinished ...&gt;".</summary>
public sealed partial class SyscallDecoder
{
    private readonly DecodeOptions _o;
    private readonly TextBuf _t = new();
    private byte[] _buf = new byte[4096];
    private ITraceeMemory _mem = null!;
    private SyscallCall _c = null!;

    public SyscallDecoder(DecodeOptions options) => _o = options;

    public DecodeOptions Options => _o;

    /// <summary>At syscall-entry: sets Name and Info and the arguments known before the call runs.</summary>
    public void OnEntry(SyscallCall call, ITraceeMemory memory)
    {
        _c = call;
        _mem = memory;
        var info = SyscallTable.Lookup(call.Abi, call.Number);
        call.Info = info;
        _ts64 = call.Abi == SyscallAbi.X64 || (info is not null && IsTime64(info.Id));
        call.Name = info?.Name ?? SyscallTable.UnknownName(call.Number);
        call.Arguments.Clear();
        if (info is null)
        {
            // strace prints all six registers of an unknown call.
            for (int i = 0; i < 6; i++)
                AddHex(GenericName(i), call.Args[i]);
            call.EntryArgumentCount = call.Arguments.Count;
            return;
        }
        if (!DecodeEntry(info))
        {
            for (int i = 0; i < info.ArgCount; i++)
                AddHex(GenericName(i), Word(i));
        }
        call.EntryArgumentCount = call.Arguments.Count;
        _mem = null!;
    }

    /// <summary>At syscall-exit (ReturnValue set): adds the output arguments, ReturnText and Errno.</summary>
    public void OnExit(SyscallCall call, ITraceeMemory memory)
    {
        _c = call;
        _mem = memory;
        var info = call.Info;
        _ts64 = call.Abi == SyscallAbi.X64 || (info is not null && IsTime64(info.Id));
        long rv = call.Abi == SyscallAbi.I386 ? (int)call.ReturnValue : call.ReturnValue;
        call.Errno = rv is < 0 and >= -4095 ? (int)-rv : 0;
        if (info is not null)
            DecodeExit(info);
        call.ReturnText = FormatReturn(info, rv);
        _mem = null!;
    }

    /// <summary>The i386 calls added for 64-bit time (Linux 5.1): their timespecs have 64-bit fields.</summary>
    private static bool IsTime64(SyscallId id) => id is SyscallId.ClockGettime64 or SyscallId.ClockSettime64
        or SyscallId.ClockAdjtime64 or SyscallId.ClockGetresTime64 or SyscallId.ClockNanosleepTime64 or SyscallId.TimerGettime64
        or SyscallId.TimerSettime64 or SyscallId.TimerfdGettime64 or SyscallId.TimerfdSettime64 or SyscallId.UtimensatTime64
        or SyscallId.Pselect6Time64 or SyscallId.PpollTime64 or SyscallId.IoPgeteventsTime64 or SyscallId.RecvmmsgTime64
        or SyscallId.MqTimedsendTime64 or SyscallId.MqTimedreceiveTime64 or SyscallId.SemtimedopTime64
        or SyscallId.RtSigtimedwaitTime64 or SyscallId.FutexTime64 or SyscallId.SchedRrGetIntervalTime64;

    private static string GenericName(int i) => i switch { 0 => "arg0", 1 => "arg1", 2 => "arg2", 3 => "arg3", 4 => "arg4", _ => "arg5" };

    // ---- register access with the ABI's widths ----------------------------------------------

    private bool I386 => _c.Abi == SyscallAbi.I386;

    /// <summary>A register as an unsigned native word (32 bits on i386).</summary>
    private ulong Word(int i) => I386 ? (uint)Regs[i] : Regs[i];

    /// <summary>The argument registers, or the arguments an i386 socketcall passed in memory.</summary>
    private ulong[] Regs => _c.DecoderState as ulong[] ?? _c.Args;

    private bool _ts64;

    /// <summary>A register as a signed native long.</summary>
    private long SWord(int i) => I386 ? (int)Regs[i] : (long)Regs[i];

    private int Int(int i) => (int)Regs[i];

    private bool Failed => _c.Errno != 0;

    private long Ret => I386 ? (int)_c.ReturnValue : _c.ReturnValue;

    private int PtrSize => I386 ? 4 : 8;

    // ---- argument builders -------------------------------------------------------------------

    private void Add(string name, ArgKind kind, long? number = null, byte[]? bytes = null)
    {
        _c.Arguments.Add(new DecodedArgument(name, kind, _t.ToString(), number, bytes));
        _t.Clear();
    }

    private void AddText(string name, ArgKind kind, string text, long? number = null)
        => _c.Arguments.Add(new DecodedArgument(name, kind, text, number));

    private void AddInt(string name, long v)
    {
        if ((ulong)v < SmallCount)
        {
            AddText(name, ArgKind.Integer, Small(v), v);
            return;
        }
        _t.Dec(v);
        Add(name, ArgKind.Integer, v);
    }

    private void AddUInt(string name, ulong v)
    {
        if (v < SmallCount)
        {
            AddText(name, ArgKind.Unsigned, Small((long)v), (long)v);
            return;
        }
        _t.UDec(v);
        Add(name, ArgKind.Unsigned, (long)v);
    }

    /// <summary>Decimal strings of the small numbers most arguments and return values are (fds,
    /// counts, 0), shared so the common case allocates no text.</summary>
    private const int SmallCount = 4096;

    private static readonly string?[] SmallTexts = new string?[SmallCount];

    /// <summary>The decimal text of <paramref name="v"/> (below <see cref="SmallCount"/>), made on
    /// first use: building all 4,096 up front cost start-up time on every run.</summary>
    private static string Small(long v)
        => SmallTexts[v] ??= v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void AddHex(string name, ulong v)
    {
        _t.Hex(v);
        Add(name, ArgKind.Unsigned, (long)v);
    }

    private void AddPtr(string name, ulong p)
    {
        Ptr(p);
        Add(name, ArgKind.Pointer, (long)p);
    }

    private void Ptr(ulong p)
    {
        if (p == 0)
            _t.Add("NULL");
        else
            _t.Hex(p);
    }

    private void AddOctal(string name, ulong v)
    {
        _t.Octal(v, 3);
        Add(name, ArgKind.Unsigned, (long)v);
    }

    /// <summary>strace's uid_t/gid_t: unsigned, but (uid_t)-1 prints as -1.</summary>
    private void AddId(string name, ulong v)
    {
        uint u = (uint)v;
        if (I386 && IsLegacy16BitId() && (ushort)u == 0xffff)
            u = uint.MaxValue;
        if (u == uint.MaxValue)
            _t.Add("-1");
        else
            _t.UDec(u);
        Add(name, ArgKind.Integer, u == uint.MaxValue ? -1 : u);
    }

    /// <summary>The original i386 uid/gid calls take 16-bit ids (the *32 variants replaced them):
    /// strace shows (uid16_t)-1 as -1 too.</summary>
    private bool IsLegacy16BitId() => _c.Info?.Id is SyscallId.Chown or SyscallId.Lchown or SyscallId.Fchown or SyscallId.Setuid
        or SyscallId.Setgid or SyscallId.Setreuid or SyscallId.Setregid or SyscallId.Setresuid or SyscallId.Setresgid
        or SyscallId.Setfsuid or SyscallId.Setfsgid;

    private void AddFd(string name, int fd)
    {
        if ((uint)fd < SmallCount && _o.FdDecoration == 0)
        {
            AddText(name, ArgKind.Fd, Small(fd), fd);
            return;
        }
        Fd(fd);
        Add(name, ArgKind.Fd, fd);
    }

    private void Fd(int fd)
    {
        _t.Dec(fd);
        Decorate(fd);
    }

    private void Decorate(int fd)
    {
        if (_o.FdDecoration == 0 || fd < 0 || _o.FdDescriber is null)
            return;
        var d = _o.FdDescriber.Describe(_c.Pid, fd, _o.FdDecoration > 1);
        if (d is null)
            return;
        _t.Add('<');
        StraceQuote.AppendDecoration(_t, d, _o.Hex);
        _t.Add('>');
    }

    private const int AtFdCwd = -100;

    private void AddDirFd(string name, int fd)
    {
        if (fd == AtFdCwd)
        {
            _t.Add("AT_FDCWD");
            // -y: the describer answers AT_FDCWD with the process's working directory.
            if (_o.FdDecoration != 0 && _o.FdDescriber?.Describe(_c.Pid, AtFdCwd, false) is { } cwd)
            {
                _t.Add('<');
                StraceQuote.AppendDecoration(_t, cwd, _o.Hex);
                _t.Add('>');
            }
        }
        else
            Fd(fd);
        Add(name, ArgKind.Fd, fd);
    }

    private void AddFlags(string name, ulong v, XlatTable table, string? zero = null)
    {
        Flags(v, table, zero);
        Add(name, ArgKind.Flags, (long)v);
    }

    /// <summary>strace's printflags: names in table order joined by '|', leftover bits in hex;
    /// 0 prints as the table's zero name, or <paramref name="zero"/>, or "0".</summary>
    private void Flags(ulong v, XlatTable table, string? zero = null)
    {
        if (v == 0)
        {
            _t.Add(zero ?? table.Name(0) ?? "0");
            return;
        }
        bool first = true;
        foreach (ref readonly var e in table.Entries)
        {
            if (e.Value != 0 && (v & e.Value) == e.Value)
            {
                if (!first)
                    _t.Add('|');
                _t.Add(e.Name);
                first = false;
                v &= ~e.Value;
                if (v == 0)
                    return;
            }
        }
        if (!first)
            _t.Add('|');
        _t.Hex(v);
    }

    private void AddValue(string name, ulong v, XlatTable table, bool hexUnknown = false)
    {
        Value(v, table, hexUnknown);
        Add(name, ArgKind.Flags, (long)v);
    }

    /// <summary>strace's printxval: the name, or the number with a "/* PREFIX_??? */" comment.</summary>
    private void Value(ulong v, XlatTable table, bool hexUnknown = false, bool signed = false)
    {
        var n = table.Name(v);
        if (n is not null)
        {
            _t.Add(n);
            return;
        }
        if (hexUnknown)
            _t.Hex(v);
        else if (signed)
            _t.Dec((int)v);
        else
            _t.UDec(v);
        _t.Add(" /* ");
        var first = table.Entries.Length > 0 ? table.Entries[0].Name : "?";
        int us = first.IndexOf('_', 1);
        _t.Add(us > 0 ? first.AsSpan(0, us + 1) : first.AsSpan());
        _t.Add("??? */");
    }

    private void AddSignal(string name, ulong v)
    {
        Signal((int)v);
        Add(name, ArgKind.Flags, (int)v);
    }

    private void Signal(int sig)
    {
        var n = SignalFormatter.Name(sig);
        if (n is not null)
            _t.Add(n);
        else
            _t.Dec(sig);
    }
}
