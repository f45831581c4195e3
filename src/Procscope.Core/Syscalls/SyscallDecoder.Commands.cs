namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    // ---- ioctl -----------------------------------------------------------------------------

    private enum IoArg : byte { Ptr, None, IntIn, IntOut, IntVal, WinIn, WinOut, TermiosIn, TermiosOut }

    private static IoArg IoctlArg(uint req) => req switch
    {
        0x5451 or 0x5450 or 0x5422 or 0x540c or 0x540d or 0x5427 or 0x5428 => IoArg.None, // FIOCLEX FIONCLEX TIOCNOTTY TIOCEXCL TIOCNXCL TIOCSBRK TIOCCBRK
        0x5401 => IoArg.TermiosOut, // TCGETS
        0x5402 or 0x5403 or 0x5404 => IoArg.TermiosIn, // TCSETS TCSETSW TCSETSF
        0x5413 => IoArg.WinOut, // TIOCGWINSZ
        0x5414 => IoArg.WinIn, // TIOCSWINSZ
        0x541b or 0x5411 or 0x540f or 0x5429 or 0x80045430 or 0x5424 or 0x80045438 => IoArg.IntOut, // FIONREAD TIOCOUTQ TIOCGPGRP TIOCGSID TIOCGPTN TIOCGETD TIOCGPTPEER? 
        0x5410 or 0x5421 or 0x5452 or 0x40045431 or 0x5423 => IoArg.IntIn, // TIOCSPGRP FIONBIO FIOASYNC TIOCSPTLCK TIOCSETD
        0x540e or 0x540b or 0x540a or 0x5409 => IoArg.IntVal, // TIOCSCTTY TCFLSH TCXONC TCSBRK
        _ => IoArg.Ptr,
    };

    private void Ioctl(bool entry)
    {
        uint req = (uint)Word(1);
        var kind = IoctlArg(req);
        ulong p = Word(2);
        if (entry)
        {
            AddFd("fd", Int(0));
            var name = Xlat.Ioctls.Name(req);
            if (name is not null)
                _t.Add(name);
            else
                IocText(req);
            Add("request", ArgKind.Flags, req);
            switch (kind)
            {
                case IoArg.IntIn:
                    if (!IntAt(p))
                        Ptr(p);
                    Add("argp", ArgKind.Struct, (long)p);
                    break;
                case IoArg.IntVal:
                    AddInt("arg", (int)p);
                    break;
                case IoArg.WinIn:
                    if (!WinsizeAt(p))
                        Ptr(p);
                    Add("argp", ArgKind.Struct, (long)p);
                    break;
                case IoArg.TermiosIn:
                    if (!TermiosAt(p))
                        Ptr(p);
                    Add("argp", ArgKind.Struct, (long)p);
                    break;
                case IoArg.Ptr:
                    AddPtr("argp", p);
                    break;
            }
            return;
        }
        if (kind is IoArg.IntOut or IoArg.WinOut or IoArg.TermiosOut)
        {
            bool ok = !Failed && kind switch
            {
                IoArg.IntOut => IntAt(p),
                IoArg.WinOut => WinsizeAt(p),
                _ => TermiosAt(p),
            };
            if (!ok)
            {
                _t.Clear();
                Ptr(p);
            }
            Add("argp", ok ? ArgKind.Struct : ArgKind.Pointer, (long)p);
        }
    }

    /// <summary>strace's form of an ioctl number it has no name for: _IOC(dir, type, nr, size).</summary>
    private void IocText(uint req)
    {
        uint dir = req >> 30;
        _t.Add("_IOC(");
        _t.Add(dir switch { 0 => "_IOC_NONE", 1 => "_IOC_WRITE", 2 => "_IOC_READ", _ => "_IOC_READ|_IOC_WRITE" });
        _t.Add(", ");
        _t.Hex((req >> 8) & 0xff);
        _t.Add(", ");
        _t.Hex(req & 0xff);
        _t.Add(", ");
        _t.Hex((req >> 16) & 0x3fff);
        _t.Add(')');
    }

    private bool WinsizeAt(ulong p)
    {
        Span<byte> b = stackalloc byte[8];
        if (!Read(p, b))
            return false;
        _t.Add("{ws_row=");
        _t.UDec(U16(b, 0));
        _t.Add(", ws_col=");
        _t.UDec(U16(b, 2));
        _t.Add(", ws_xpixel=");
        _t.UDec(U16(b, 4));
        _t.Add(", ws_ypixel=");
        _t.UDec(U16(b, 6));
        _t.Add('}');
        return true;
    }

    private static readonly string[] Bauds =
        ["B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200", "B1800", "B2400", "B4800", "B9600", "B19200", "B38400"];

    private static readonly string[] HighBauds =
        ["BOTHER", "B57600", "B115200", "B230400", "B460800", "B500000", "B576000", "B921600", "B1000000", "B1152000",
         "B1500000", "B2000000", "B2500000", "B3000000", "B3500000", "B4000000"];

    /// <summary>struct termios, as strace abbreviates it: "{B38400 opost isig icanon echo ...}".</summary>
    private bool TermiosAt(ulong p)
    {
        Span<byte> b = stackalloc byte[36];
        if (!Read(p, b))
            return false;
        uint oflag = U32(b, 4), cflag = U32(b, 8), lflag = U32(b, 12);
        uint baud = cflag & 0x100f; // CBAUD
        _t.Add('{');
        _t.Add((baud & 0x1000) != 0 ? HighBauds[baud & 0xf] : Bauds[baud]);
        _t.Add((oflag & 1) != 0 ? " opost" : " -opost");
        _t.Add((lflag & 1) != 0 ? " isig" : " -isig");
        _t.Add((lflag & 2) != 0 ? " icanon" : " -icanon");
        _t.Add((lflag & 8) != 0 ? " echo" : " -echo");
        _t.Add(" ...}");
        return true;
    }

    // ---- fcntl -----------------------------------------------------------------------------

    private void Fcntl(bool entry)
    {
        int cmd = Int(1);
        ulong arg = Word(2);
        if (entry)
        {
            AddFd("fd", Int(0));
            AddValue("cmd", (uint)cmd, Xlat.FcntlCommands);
            switch (cmd)
            {
                case 1 or 3 or 9 or 11 or 1025 or 1032 or 1034 or 16: // F_GETFD F_GETFL F_GETOWN F_GETSIG F_GETLEASE F_GETPIPE_SZ F_GET_SEALS F_GETOWN_EX(ptr, below)
                    if (cmd == 16)
                        _c.Saved1 = 2;
                    break;
                case 2: // F_SETFD
                    AddFlags("arg", (uint)arg, Xlat.FdFlags);
                    break;
                case 4: // F_SETFL
                    OpenFlags((uint)arg);
                    Add("arg", ArgKind.Flags, (uint)arg);
                    break;
                case 0 or 1030 or 8 or 1031: // F_DUPFD F_DUPFD_CLOEXEC F_SETOWN F_SETPIPE_SZ
                    AddInt("arg", (int)arg);
                    break;
                case 10: // F_SETSIG
                    AddSignal("arg", (uint)arg);
                    break;
                case 1024: // F_SETLEASE
                    AddValue("arg", (uint)arg, Xlat.LockTypes);
                    break;
                case 1026: // F_NOTIFY
                    AddFlags("arg", (uint)arg, Xlat.NotifyFlags);
                    break;
                case 1033: // F_ADD_SEALS
                    AddFlags("arg", (uint)arg, Xlat.SealFlags);
                    break;
                case 6 or 7 or 37 or 38 or 13 or 14: // F_SETLK F_SETLKW F_OFD_SETLK F_OFD_SETLKW F_SETLK64 F_SETLKW64 (i386)
                    FlockArg(arg);
                    break;
                case 5 or 36 or 12: // F_GETLK F_OFD_GETLK F_GETLK64: printed at exit
                    break;
                default:
                    AddHex("arg", arg);
                    break;
            }
            return;
        }
        if (cmd is 5 or 36 or 12)
        {
            if (Failed)
                AddPtr("arg", arg);
            else
                FlockArg(arg);
        }
    }

    private void FlockArg(ulong p)
    {
        // struct flock: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid (x86_64: 32 bytes).
        Span<byte> b = stackalloc byte[32];
        int cmd = Int(1);
        bool wide = !I386 || cmd is 12 or 13 or 14 || _c.Info?.Id == SyscallId.Fcntl64 && cmd is 36 or 37 or 38;
        int size = wide ? (I386 ? 24 : 32) : 16;
        if (!Read(p, b[..size]))
        {
            AddPtr("arg", p);
            return;
        }
        _t.Add("{l_type=");
        Value(U16(b, 0), Xlat.LockTypes);
        _t.Add(", l_whence=");
        Value(U16(b, 2), Xlat.SeekWhence);
        _t.Add(", l_start=");
        int o = wide && !I386 ? 8 : 4;
        _t.Dec(wide ? S64(b, o) : S32(b, o));
        _t.Add(", l_len=");
        _t.Dec(wide ? S64(b, o + 8) : S32(b, o + 4));
        if (cmd is 5 or 36 or 12)
        {
            _t.Add(", l_pid=");
            _t.Dec(S32(b, wide ? o + 16 : o + 8));
        }
        _t.Add('}');
        Add("arg", ArgKind.Struct, (long)p);
    }

    // ---- prctl -----------------------------------------------------------------------------

    private void Prctl(bool entry)
    {
        int option = Int(0);
        if (!entry)
        {
            switch (option)
            {
                case 16: // PR_GET_NAME
                    if (Failed)
                        AddPtr("name", Word(1));
                    else
                        AddCString("name", Word(1), path: false);
                    break;
                case 2: // PR_GET_PDEATHSIG
                    if (Failed || !IntSignalAt(Word(1)))
                    {
                        _t.Clear();
                        Ptr(Word(1));
                    }
                    Add("sig", ArgKind.Struct, (long)Word(1));
                    break;
            }
            return;
        }
        AddValue("option", (uint)option, Xlat.PrctlOptions);
        switch (option)
        {
            case 15: // PR_SET_NAME
                AddCString("name", Word(1), path: false);
                break;
            case 16 or 2: // PR_GET_NAME, PR_GET_PDEATHSIG: at exit
                break;
            case 1: // PR_SET_PDEATHSIG
                AddSignal("sig", Word(1));
                break;
            case 3 or 21 or 39 or 37 or 42 or 19 or 9 or 36: // PR_GET_DUMPABLE PR_GET_SECUREBITS PR_GET_NO_NEW_PRIVS PR_GET_CHILD_SUBREAPER PR_GET_THP_DISABLE PR_GET_ENDIAN? (no args printed)
                break;
            case 4 or 38 or 36 or 41: // PR_SET_DUMPABLE PR_SET_NO_NEW_PRIVS PR_SET_CHILD_SUBREAPER PR_SET_THP_DISABLE
                AddUInt("arg2", Word(1));
                if (option is 38 or 41)
                {
                    AddUInt("arg3", Word(2));
                    AddUInt("arg4", Word(3));
                    AddUInt("arg5", Word(4));
                }
                break;
            case 23 or 24: // PR_CAPBSET_READ, PR_CAPBSET_DROP
                AddUInt("cap", Word(1));
                break;
            case 0x59616d61: // PR_SET_PTRACER
                AddInt("pid", Int(1));
                break;
            default:
                AddHex("arg2", Word(1));
                AddHex("arg3", Word(2));
                AddHex("arg4", Word(3));
                AddHex("arg5", Word(4));
                break;
        }
    }

    private bool IntSignalAt(ulong p)
    {
        if (!ReadU32(p, out uint v))
            return false;
        _t.Add('[');
        if (v == 0)
            _t.Add('0');
        else
            Signal((int)v);
        _t.Add(']');
        return true;
    }

    // ---- futex -----------------------------------------------------------------------------

    private static readonly string[] FutexOpNames = ["FUTEX_OP_SET", "FUTEX_OP_ADD", "FUTEX_OP_OR", "FUTEX_OP_ANDN", "FUTEX_OP_XOR"];
    private static readonly string[] FutexCmpNames = ["FUTEX_OP_CMP_EQ", "FUTEX_OP_CMP_NE", "FUTEX_OP_CMP_LT", "FUTEX_OP_CMP_LE", "FUTEX_OP_CMP_GT", "FUTEX_OP_CMP_GE"];

    private void Futex()
    {
        ulong uaddr = Word(0);
        uint op = (uint)Word(1);
        uint cmd = op & 0x7f;
        AddPtr("uaddr", uaddr);
        var name = Xlat.FutexOps.Name(cmd);
        if (name is null)
            _t.Hex(cmd);
        else
            _t.Add(name);
        if ((op & 128) != 0)
            _t.Add("_PRIVATE");
        if ((op & 256) != 0)
            _t.Add("|FUTEX_CLOCK_REALTIME");
        if ((op & ~0x1ffu) != 0)
        {
            _t.Add('|');
            _t.Hex(op & ~0x1ffu);
        }
        Add("futex_op", ArgKind.Flags, op);
        uint val = (uint)Word(2);
        switch (cmd)
        {
            case 0: // FUTEX_WAIT
                AddUInt("val", val);
                TimeArg("timeout", Word(3));
                break;
            case 1 or 2: // FUTEX_WAKE, FUTEX_FD
                AddUInt("val", val);
                break;
            case 3: // FUTEX_REQUEUE
                AddUInt("val", val);
                AddUInt("val2", (uint)Word(3));
                AddPtr("uaddr2", Word(4));
                break;
            case 4 or 12: // FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE_PI
                AddUInt("val", val);
                AddUInt("val2", (uint)Word(3));
                AddPtr("uaddr2", Word(4));
                AddUInt("val3", (uint)Word(5));
                break;
            case 5: // FUTEX_WAKE_OP
            {
                AddUInt("val", val);
                AddUInt("val2", (uint)Word(3));
                AddPtr("uaddr2", Word(4));
                uint v3 = (uint)Word(5);
                uint o = (v3 >> 28) & 7;
                if ((v3 >> 28 & 8) != 0)
                    _t.Add("FUTEX_OP_OPARG_SHIFT<<28|");
                if (o < FutexOpNames.Length)
                    _t.Add(FutexOpNames[o]);
                else
                    _t.UDec(o);
                _t.Add("<<28|");
                _t.Hex((v3 >> 12) & 0xfff);
                _t.Add("<<12|");
                uint cmp = (v3 >> 24) & 0xf;
                if (cmp < FutexCmpNames.Length)
                    _t.Add(FutexCmpNames[cmp]);
                else
                    _t.UDec(cmp);
                _t.Add("<<24|");
                _t.Hex(v3 & 0xfff);
                Add("val3", ArgKind.Flags, v3);
                break;
            }
            case 6 or 13: // FUTEX_LOCK_PI, FUTEX_LOCK_PI2
                TimeArg("timeout", Word(3));
                break;
            case 7 or 8: // FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI
                break;
            case 9: // FUTEX_WAIT_BITSET
                AddUInt("val", val);
                TimeArg("timeout", Word(3));
                Bitset((uint)Word(5));
                break;
            case 10: // FUTEX_WAKE_BITSET
                AddUInt("val", val);
                Bitset((uint)Word(5));
                break;
            case 11: // FUTEX_WAIT_REQUEUE_PI
                AddUInt("val", val);
                TimeArg("timeout", Word(3));
                AddPtr("uaddr2", Word(4));
                break;
            default:
                AddHex("val", val);
                AddHex("timeout", Word(3));
                AddHex("uaddr2", Word(4));
                AddHex("val3", Word(5));
                break;
        }
    }

    private void Bitset(uint v)
    {
        if (v == uint.MaxValue)
            _t.Add("FUTEX_BITSET_MATCH_ANY");
        else
            _t.Hex(v);
        Add("val3", ArgKind.Flags, v);
    }

    // ---- poll and select -------------------------------------------------------------------

    private void PollEntry(ulong p, ulong nfds)
    {
        if (!PollFds(p, (int)Math.Min(nfds, (ulong)MaxArray), revents: false, out _))
        {
            _t.Clear();
            AddPtr("fds", p);
        }
        else
            Add("fds", ArgKind.Struct, (long)p);
        AddUInt("nfds", (uint)nfds);
    }

    /// <summary>Appends the pollfd array (events at entry; at exit only the entries with revents).</summary>
    private bool PollFds(ulong p, int n, bool revents, out int printed)
    {
        printed = 0;
        int shown = Math.Min(n, _o.Verbose ? MaxArray : _o.StringLimit);
        _t.Add('[');
        Span<byte> e = stackalloc byte[8];
        for (int k = 0; k < n; k++)
        {
            if (!revents && k == shown)
            {
                _t.Add(", ...");
                break;
            }
            if (!Read(p + (ulong)(8 * k), e))
                return false;
            short ev = (short)(revents ? U16(e, 6) : U16(e, 4));
            if (revents && ev == 0)
                continue;
            if (revents && printed == Ret)
                break; // the kernel counted this many; the rest is noise from a racing tracee
            if (printed++ > 0)
                _t.Add(", ");
            _t.Add("{fd=");
            Fd(S32(e, 0));
            _t.Add(revents ? ", revents=" : ", events=");
            Flags((ushort)ev, Xlat.PollEvents);
            _t.Add('}');
        }
        _t.Add(']');
        return true;
    }

    private void SelectEntry(SyscallId id)
    {
        int nfds = Int(0);
        AddInt("nfds", nfds);
        string[] names = ["readfds", "writefds", "exceptfds"];
        for (int k = 0; k < 3; k++)
        {
            ulong p = Word(1 + k);
            if (p == 0 || !FdSetAt(p, nfds))
            {
                _t.Clear();
                AddPtr(names[k], p);
            }
            else
                Add(names[k], ArgKind.Struct, (long)p);
        }
        ulong tp = Word(4);
        bool ts = id is SyscallId.Pselect6 or SyscallId.Pselect6Time64;
        if (tp == 0 || !(ts ? TimespecAt(tp) : TimevalAt(tp)))
        {
            _t.Clear();
            AddPtr("timeout", tp);
        }
        else
            Add("timeout", ArgKind.Struct, (long)tp);
        if (ts)
        {
            // pselect6's sixth argument points at { const sigset_t *ss; size_t ss_len; }.
            ulong sp = Word(5);
            Span<byte> b = stackalloc byte[16];
            int w = PtrSize;
            if (sp != 0 && Read(sp, b[..(2 * w)]))
            {
                ulong ss = UL(b, 0);
                ulong len = UL(b, w);
                _t.Add('{');
                if (ss == 0 || !SigsetAt(ss, (int)Math.Min(len, 128UL)))
                    Ptr(ss);
                _t.Add(", ");
                _t.UDec(len);
                _t.Add('}');
                Add("sigmask", ArgKind.Struct, (long)sp);
            }
            else
                AddPtr("sigmask", sp);
        }
    }

    private bool FdSetAt(ulong p, int nfds)
    {
        if (nfds < 0 || nfds > 1 << 16)
            return false;
        int bytes = ((nfds + 63) / 64) * 8;
        var b = Scratch(Math.Max(bytes, 8));
        if (!Read(p, b[..bytes]))
            return false;
        _t.Add('[');
        bool first = true;
        for (int fd = 0; fd < nfds; fd++)
        {
            if ((b[fd >> 3] & (1 << (fd & 7))) == 0)
                continue;
            if (!first)
                _t.Add(' ');
            first = false;
            Fd(fd);
        }
        _t.Add(']');
        return true;
    }

    // ---- return values that carry more than a number ----------------------------------------

    private bool SpecialReturn(SyscallId id, long rv)
    {
        switch (id)
        {
            case SyscallId.Recvmmsg or SyscallId.RecvmmsgTime64:
                return RecvmmsgReturn(rv);
            case SyscallId.Poll or SyscallId.Ppoll or SyscallId.PpollTime64:
                _t.Dec(rv);
                if (rv == 0)
                {
                    _t.Add(" (Timeout)");
                    return true;
                }
                int mark = _t.Length;
                _t.Add(" (");
                if (!PollFds(Word(0), (int)Math.Min(Word(1), (ulong)MaxArray), revents: true, out _))
                {
                    _t.Truncate(mark);
                    return true;
                }
                if (id != SyscallId.Poll && Word(2) != 0)
                {
                    _t.Add(", left ");
                    if (!TimespecAt(Word(2)))
                        _t.Hex(Word(2));
                }
                _t.Add(')');
                return true;
            case SyscallId.Select or SyscallId.Newselect or SyscallId.Pselect6 or SyscallId.Pselect6Time64:
            {
                if (id == SyscallId.Select && I386)
                    return false;
                _t.Dec(rv);
                if (rv == 0)
                {
                    _t.Add(" (Timeout)");
                    return true;
                }
                int nfds = Int(0);
                _t.Add(" (");
                int start = _t.Length;
                string[] labels = ["in ", "out ", "except "];
                for (int k = 0; k < 3; k++)
                {
                    ulong p = Word(1 + k);
                    if (p == 0)
                        continue;
                    int before = _t.Length;
                    if (_t.Length > start)
                        _t.Add(", ");
                    _t.Add(labels[k]);
                    int setStart = _t.Length;
                    if (!FdSetAt(p, nfds) || _t.Length == setStart + 2)
                        _t.Truncate(before);
                }
                ulong tp = Word(4);
                if (tp != 0)
                {
                    int before = _t.Length;
                    if (_t.Length > start)
                        _t.Add(", ");
                    _t.Add("left ");
                    bool ts = id is SyscallId.Pselect6 or SyscallId.Pselect6Time64;
                    if (!(ts ? TimespecAt(tp) : TimevalAt(tp)))
                        _t.Truncate(before);
                }
                _t.Add(')');
                return true;
            }
            case SyscallId.Fcntl or SyscallId.Fcntl64:
            {
                int cmd = Int(1);
                if (cmd == 1 && rv != 0) // F_GETFD
                {
                    _t.Hex((ulong)rv);
                    _t.Add(" (flags ");
                    Flags((ulong)rv, Xlat.FdFlags);
                    _t.Add(')');
                    return true;
                }
                if (cmd == 3) // F_GETFL
                {
                    _t.Hex((ulong)rv);
                    _t.Add(" (flags ");
                    OpenFlags((ulong)rv);
                    _t.Add(')');
                    return true;
                }
                if (cmd == 1034 && rv != 0) // F_GET_SEALS
                {
                    _t.Hex((ulong)rv);
                    _t.Add(" (seals ");
                    Flags((ulong)rv, Xlat.SealFlags);
                    _t.Add(')');
                    return true;
                }
                if (cmd == 1025) // F_GETLEASE
                {
                    Value((ulong)rv, Xlat.LockTypes);
                    return true;
                }
                if (cmd == 11 && rv != 0) // F_GETSIG
                {
                    Signal((int)rv);
                    return true;
                }
                if (cmd is 0 or 1030) // F_DUPFD, F_DUPFD_CLOEXEC
                {
                    Fd((int)rv);
                    return true;
                }
                return false;
            }
            case SyscallId.SchedGetscheduler:
                _t.Dec(rv);
                _t.Add(" (");
                Value((ulong)rv & ~0x40000000UL, Xlat.SchedPolicies);
                if ((rv & 0x40000000) != 0)
                    _t.Add("|SCHED_RESET_ON_FORK");
                _t.Add(')');
                return true;
            case SyscallId.Lseek or SyscallId.Llseek:
                return false;
            default:
                return false;
        }
    }
}
