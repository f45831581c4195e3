namespace Procscope.Core.Syscalls;

/// <summary>How a call's successful return value prints.</summary>
internal enum RetKind : byte
{
    Dec,
    /// <summary>An address: mmap, brk, shmat, mremap.</summary>
    Hex,
    /// <summary>umask's previous mask.</summary>
    Octal,
    /// <summary>A new file descriptor (decorated with -y).</summary>
    Fd,
    /// <summary>An unsigned value.</summary>
    UDec,
}

public sealed partial class SyscallDecoder
{
    private string FormatReturn(SyscallInfo? info, long rv)
    {
        int errno = _c.Errno;
        if (errno != 0)
            return ErrnoText(errno);
        var id = EffectiveId(info);
        if (info is null)
            return (ulong)rv < SmallCount ? Small(rv) : rv.ToString(System.Globalization.CultureInfo.InvariantCulture); // strace's default: decimal
        var kind = RetKindOf(id);
        if ((ulong)rv < SmallCount && (kind == RetKind.Dec || kind == RetKind.UDec || (kind == RetKind.Fd && _o.FdDecoration == 0))
            && !HasSpecialReturn(id))
            return Small(rv);
        if (id == SyscallId.SetThreadArea && _c.Saved1 == 1 && ReadU32(Word(0), out uint entry) && entry != (uint)_c.Saved0)
        {
            // strace: "= 0 (entry_number=12)" when the kernel chose the GDT slot.
            _t.Dec(rv);
            _t.Add(" (entry_number=");
            _t.Dec((int)entry);
            _t.Add(')');
            var r = _t.ToString();
            _t.Clear();
            return r;
        }
        switch (kind)
        {
            case RetKind.Hex:
                return HexText(I386 ? (uint)rv : (ulong)rv);
            case RetKind.Octal:
                _t.Octal((ulong)rv, 3);
                break;
            case RetKind.Fd:
                Fd((int)rv);
                break;
            case RetKind.UDec:
                _t.UDec(I386 ? (uint)rv : (ulong)rv);
                break;
            default:
                if (!SpecialReturn(id, rv))
                    _t.Dec(rv);
                break;
        }
        var s = _t.ToString();
        _t.Clear();
        return s;
    }

    private string HexText(ulong v)
    {
        _t.Hex(v);
        var s = _t.ToString();
        _t.Clear();
        return s;
    }

    /// <summary>"-1 ENOENT (No such file or directory)", or "? ERESTARTSYS (To be restarted if
    /// SA_RESTART is set)" for the kernel-internal restart codes a tracer sees when a signal
    /// interrupts a call.</summary>
    public static string ErrnoText(int errno)
    {
        if ((uint)errno < (uint)ErrnoTexts.Length)
            return ErrnoTexts[errno] ??= BuildErrnoText(errno);
        return BuildErrnoText(errno);
    }

    // One string per errno, built on first use: a failing call allocates no return text.
    private static readonly string?[] ErrnoTexts = new string?[600];

    private static string BuildErrnoText(int errno)
    {
        var name = Xlat.Errnos.Name(errno);
        var msg = Xlat.Errnos.Message(errno);
        bool restart = errno is >= 512 and <= 516 && errno != 515;
        string prefix = restart ? "? " : "-1 ";
        if (name is null)
            return prefix + "ERRNO_" + errno.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (Unknown error " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
        return string.Concat(prefix, name, " (", msg, ")");
    }

    private static bool HasSpecialReturn(SyscallId id) => id is SyscallId.Poll or SyscallId.Ppoll or SyscallId.PpollTime64
        or SyscallId.Select or SyscallId.Newselect or SyscallId.Pselect6 or SyscallId.Pselect6Time64 or SyscallId.Fcntl
        or SyscallId.Fcntl64 or SyscallId.SchedGetscheduler or SyscallId.SetThreadArea;

    private static RetKind RetKindOf(SyscallId id) => id switch
    {
        SyscallId.Mmap or SyscallId.Mmap2 or SyscallId.Brk or SyscallId.Mremap or SyscallId.Shmat => RetKind.Hex,
        SyscallId.Umask => RetKind.Octal,
        SyscallId.Open or SyscallId.Openat or SyscallId.Openat2 or SyscallId.Creat or SyscallId.Dup or SyscallId.Dup2
            or SyscallId.Dup3 or SyscallId.Socket or SyscallId.Accept or SyscallId.Accept4 or SyscallId.EpollCreate
            or SyscallId.EpollCreate1 or SyscallId.Eventfd or SyscallId.Eventfd2 or SyscallId.Signalfd or SyscallId.Signalfd4
            or SyscallId.TimerfdCreate or SyscallId.InotifyInit or SyscallId.InotifyInit1 or SyscallId.MemfdCreate
            or SyscallId.FanotifyInit or SyscallId.PerfEventOpen or SyscallId.PidfdOpen or SyscallId.PidfdGetfd
            or SyscallId.OpenByHandleAt or SyscallId.Userfaultfd or SyscallId.IoUringSetup or SyscallId.Fsopen
            or SyscallId.Fsmount or SyscallId.Fspick or SyscallId.OpenTree or SyscallId.MqOpen or SyscallId.MemfdSecret
            or SyscallId.LandlockCreateRuleset => RetKind.Fd,
        SyscallId.Getuid or SyscallId.Geteuid or SyscallId.Getgid or SyscallId.Getegid or SyscallId.Getuid32
            or SyscallId.Geteuid32 or SyscallId.Getgid32 or SyscallId.Getegid32 => RetKind.UDec,
        _ => RetKind.Dec,
    };
}
