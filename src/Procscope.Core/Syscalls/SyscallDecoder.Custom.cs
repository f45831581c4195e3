namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>Calls whose arguments depend on one another (a command selects the next argument's type).</summary>
    private bool CustomEntry(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.Open:
                AddCString("pathname", Word(0), path: true);
                OpenFlagsAndMode(1);
                return true;
            case SyscallId.Openat:
                AddDirFd("dirfd", Int(0));
                AddCString("pathname", Word(1), path: true);
                OpenFlagsAndMode(2);
                return true;
            case SyscallId.Openat2:
                AddDirFd("dirfd", Int(0));
                AddCString("pathname", Word(1), path: true);
                OpenHow(Word(2), Word(3));
                AddUInt("size", Word(3));
                return true;
            case SyscallId.RtSigreturn:
                SignalFrameMask(rt: true);
                return true;
            case SyscallId.Sigreturn:
                SignalFrameMask(rt: false);
                return true;
            case SyscallId.Execve:
                AddCString("pathname", Word(0), path: true);
                Argv("argv", Word(1));
                Envp("envp", Word(2));
                return true;
            case SyscallId.Execveat:
                AddDirFd("dirfd", Int(0));
                AddCString("pathname", Word(1), path: true);
                Argv("argv", Word(2));
                Envp("envp", Word(3));
                AddFlags("flags", (uint)Word(4), Xlat.AtFlags);
                return true;
            case SyscallId.Mmap when !I386:
                Mmap(Word(0), Word(1), Word(2), Word(3), Int(4), Word(5));
                return true;
            case SyscallId.Mmap2:
                Mmap(Word(0), Word(1), Word(2), Word(3), Int(4), Word(5) * 4096);
                return true;
            case SyscallId.Mmap: // i386 old_mmap: one pointer to six words
            {
                Span<byte> b = stackalloc byte[24];
                if (!Read(Word(0), b))
                {
                    AddPtr("args", Word(0));
                    return true;
                }
                Mmap(U32(b, 0), U32(b, 4), U32(b, 8), U32(b, 12), S32(b, 16), U32(b, 20));
                return true;
            }
            case SyscallId.Mremap:
                AddPtr("old_address", Word(0));
                AddUInt("old_size", Word(1));
                AddUInt("new_size", Word(2));
                AddFlags("flags", (uint)Word(3), Xlat.MremapFlags);
                if ((Word(3) & 2) != 0) // MREMAP_FIXED
                    AddPtr("new_address", Word(4));
                return true;
            case SyscallId.Clone:
                Clone();
                return true;
            case SyscallId.Clone3:
                Clone3(entry: true);
                return true;
            case SyscallId.Ioctl:
                Ioctl(entry: true);
                return true;
            case SyscallId.Fcntl or SyscallId.Fcntl64:
                Fcntl(entry: true);
                return true;
            case SyscallId.Prctl:
                Prctl(entry: true);
                return true;
            case SyscallId.ArchPrctl:
                AddValue("code", (uint)Word(0), Xlat.ArchPrctlCodes, hexUnknown: true);
                AddPtr("addr", Word(1));
                return true;
            case SyscallId.Futex or SyscallId.FutexTime64:
                Futex();
                return true;
            case SyscallId.Poll:
                PollEntry(Word(0), Word(1));
                AddInt("timeout", Int(2));
                return true;
            case SyscallId.Ppoll or SyscallId.PpollTime64:
                PollEntry(Word(0), Word(1));
                TimeArg("tmo_p", Word(2));
                SigsetArg("sigmask", Word(3), Word(4));
                AddUInt("sigsetsize", Word(4));
                return true;
            case SyscallId.Select or SyscallId.Newselect or SyscallId.Pselect6 or SyscallId.Pselect6Time64:
                if (id == SyscallId.Select && I386)
                    return false; // old_select: one pointer, printed raw
                SelectEntry(id);
                return true;
            case SyscallId.Waitid:
                AddValue("idtype", (uint)Word(0), Xlat.IdTypes);
                AddInt("id", Int(1));
                return true;
            case SyscallId.Llseek:
                AddFd("fd", Int(0));
                AddInt("offset", (long)(((ulong)(uint)Word(1) << 32) | (uint)Word(2)));
                return true;
            case SyscallId.Pread64 or SyscallId.Pwrite64 when I386:
                AddFd("fd", Int(0));
                if (id == SyscallId.Pwrite64)
                {
                    AddBuffer("buf", Word(1), (long)Word(2));
                    AddUInt("count", Word(2));
                    AddInt("offset", Off64(3));
                }
                return true;
            case SyscallId.SetThreadArea:
                if (ReadU32(Word(0), out uint entry))
                {
                    _c.Saved0 = entry;
                    _c.Saved1 = 1;
                }
                UserDesc();
                return true;
            case SyscallId.GetThreadArea:
                return true;
            case SyscallId.RestartSyscall:
                AddText("resuming", ArgKind.Struct, _c.InterruptedName is { } n ? "<... resuming interrupted " + n + " ...>" : "<... resuming ...>");
                return true;
            case SyscallId.Socketcall:
                // Reached only when the call number or its argument block was unreadable.
                AddInt("call", Int(0));
                AddPtr("args", Word(1));
                return true;
            default:
                return false;
        }
    }

    private void CustomExit(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.Clone3:
                Clone3(entry: false);
                break;
            case SyscallId.Ioctl:
                Ioctl(entry: false);
                break;
            case SyscallId.Fcntl or SyscallId.Fcntl64:
                Fcntl(entry: false);
                break;
            case SyscallId.Prctl:
                Prctl(entry: false);
                break;
            case SyscallId.Waitid:
                if (Failed || !SiginfoAt(Word(2)))
                {
                    _t.Clear();
                    Ptr(Word(2));
                }
                Add("infop", ArgKind.Struct, (long)Word(2));
                AddFlags("options", (uint)Word(3), Xlat.WaitOptions);
                AddPtr("rusage", Word(4));
                break;
            case SyscallId.Llseek:
                if (Failed || !ReadU64(Word(3), out ulong pos))
                    AddPtr("result", Word(3));
                else
                {
                    _t.Add('[');
                    _t.Dec((long)pos);
                    _t.Add(']');
                    Add("result", ArgKind.Struct, (long)pos);
                }
                AddValue("whence", (uint)Word(4), Xlat.SeekWhence);
                break;
            case SyscallId.Pread64 when I386:
                if (Failed)
                    AddPtr("buf", Word(1));
                else
                    AddBuffer("buf", Word(1), Ret);
                AddUInt("count", Word(2));
                AddInt("offset", Off64(3));
                break;
            case SyscallId.GetThreadArea:
                UserDesc();
                break;
        }
    }

    /// <summary>A 64-bit value passed in two i386 registers (low word first).</summary>
    private long Off64(int lo) => (long)(((ulong)(uint)Word(lo + 1) << 32) | (uint)Word(lo));

    private void OpenFlagsAndMode(int i)
    {
        uint flags = (uint)Word(i);
        OpenFlags(flags);
        Add("flags", ArgKind.Flags, flags);
        // The mode is printed only when the call can create a file.
        if ((flags & 0x40) != 0 || (flags & 0x410000) == 0x410000)
            AddOctal("mode", (uint)Word(i + 1));
    }

    private void OpenFlags(ulong flags)
    {
        Value(flags & 3, Xlat.OpenAccess);
        if ((flags & ~3UL) != 0)
        {
            _t.Add('|');
            Flags(flags & ~3UL, Xlat.OpenFlags);
        }
    }

    private void OpenHow(ulong p, ulong size)
    {
        Span<byte> b = stackalloc byte[24];
        if (size < 24 || !Read(p, b))
        {
            AddPtr("how", p);
            return;
        }
        _t.Add("{flags=");
        OpenFlags(U64(b, 0));
        _t.Add(", mode=");
        _t.Octal(U64(b, 8), 3);
        _t.Add(", resolve=");
        Flags(U64(b, 16), Xlat.ResolveFlags);
        _t.Add('}');
        Add("how", ArgKind.Struct, (long)p);
    }

    /// <summary>execve's argv: every string (each cut at -s), "..." after -s elements unless -v.</summary>
    private void Argv(string name, ulong p)
    {
        if (p == 0)
        {
            AddPtr(name, 0);
            return;
        }
        int max = _o.Verbose ? 4096 : _o.StringLimit;
        _t.Add('[');
        int start = _t.Length;
        for (int k = 0; ; k++)
        {
            if (!ReadWord(p + (ulong)(k * PtrSize), out ulong s))
            {
                if (k == 0)
                {
                    _t.Clear();
                    AddPtr(name, p);
                    return;
                }
                break;
            }
            if (s == 0)
                break;
            if (k == max)
            {
                _t.Add(", ...");
                break;
            }
            if (_t.Length > start)
                _t.Add(", ");
            CString(s, _o.StringLimit);
        }
        _t.Add(']');
        Add(name, ArgKind.Struct, (long)p);
    }

    /// <summary>execve's envp: "0x7ffd… /* 20 vars */" (the strings with -v).</summary>
    private void Envp(string name, ulong p)
    {
        if (_o.Verbose || p == 0)
        {
            Argv(name, p);
            return;
        }
        int n = 0;
        while (n < 1 << 16 && ReadWord(p + (ulong)(n * PtrSize), out ulong s) && s != 0)
            n++;
        _t.Hex(p);
        _t.Add(" /* ");
        _t.Dec(n);
        _t.Add(n == 1 ? " var */" : " vars */");
        Add(name, ArgKind.Pointer, (long)p);
    }

    private void Mmap(ulong addr, ulong len, ulong prot, ulong flags, int fd, ulong off)
    {
        AddPtr("addr", addr);
        AddUInt("length", len);
        AddFlags("prot", prot, Xlat.ProtFlags, "PROT_NONE");
        Value(flags & 0xf, Xlat.MapType, hexUnknown: true);
        if ((flags & ~0xfUL) != 0)
        {
            _t.Add('|');
            Flags(flags & ~0xfUL, Xlat.MapFlags);
        }
        Add("flags", ArgKind.Flags, (long)flags);
        AddFd("fd", fd);
        AddHex("offset", off);
    }

    private void Clone()
    {
        ulong flags = Word(0);
        ulong stack = Word(1);
        ulong parentTid = Word(2);
        // x86_64 passes child_tid then tls; i386 (CLONE_BACKWARDS) tls then child_tid.
        ulong childTid = I386 ? Word(4) : Word(3);
        ulong tls = I386 ? Word(3) : Word(4);
        _t.Add("child_stack=");
        Ptr(stack);
        Add("child_stack", ArgKind.Pointer, (long)stack);
        _t.Add("flags=");
        CloneFlags(flags);
        Add("flags", ArgKind.Flags, (long)flags);
        if ((flags & (0x00100000 | 0x1000)) != 0) // CLONE_PARENT_SETTID | CLONE_PIDFD
        {
            _t.Add("parent_tid=");
            Ptr(parentTid);
            Add("parent_tid", ArgKind.Pointer, (long)parentTid);
        }
        if ((flags & 0x00080000) != 0) // CLONE_SETTLS
        {
            _t.Add("tls=");
            Tls(tls);
            Add("tls", ArgKind.Pointer, (long)tls);
        }
        if ((flags & (0x01000000 | 0x00200000)) != 0) // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
        {
            _t.Add("child_tidptr=");
            Ptr(childTid);
            Add("child_tidptr", ArgKind.Pointer, (long)childTid);
        }
    }

    /// <summary>clone's flags with the exit signal in the low byte: "CLONE_VM|…|SIGCHLD".</summary>
    private void CloneFlags(ulong flags)
    {
        ulong sig = flags & 0xff;
        ulong rest = flags & ~0xffUL;
        if (rest != 0)
            Flags(rest, Xlat.CloneFlags);
        if (sig != 0)
        {
            if (rest != 0)
                _t.Add('|');
            Signal((int)sig);
        }
        else if (rest == 0)
            _t.Add('0');
    }

    private void Clone3(bool entry)
    {
        ulong p = Word(0);
        ulong size = Word(1);
        Span<byte> b = stackalloc byte[88];
        int n = (int)Math.Min(size, 88UL);
        bool ok = size >= 64 && Read(p, b[..n]);
        if (entry)
        {
            if (!ok)
                AddPtr("cl_args", p);
            else
            {
                Clone3Struct(b[..n]);
                Add("cl_args", ArgKind.Struct, (long)p);
            }
            AddUInt("size", size);
            return;
        }
        // At exit strace appends " => {parent_tid=[N]}" when the kernel stored the child's tid.
        if (ok && !Failed && (U64(b, 0) & 0x00100000) != 0 && ReadU32(U64(b, 24), out uint tid))
        {
            Clone3Struct(b[..n]);
            _t.Add(" => {parent_tid=[");
            _t.UDec(tid);
            _t.Add("]}");
            _c.Arguments[0] = new DecodedArgument("cl_args", ArgKind.Struct, _t.ToString(), (long)p);
            _t.Clear();
        }
    }

    private void Clone3Struct(ReadOnlySpan<byte> b)
    {
        ulong flags = U64(b, 0);
        _t.Add("{flags=");
        Flags(flags, Xlat.CloneFlags);
        if ((flags & 0x1000) != 0)
        {
            _t.Add(", pidfd=");
            Ptr(U64(b, 8));
        }
        if ((flags & (0x01000000 | 0x00200000)) != 0)
        {
            _t.Add(", child_tid=");
            Ptr(U64(b, 16));
        }
        if ((flags & 0x00100000) != 0)
        {
            _t.Add(", parent_tid=");
            Ptr(U64(b, 24));
        }
        _t.Add(", exit_signal=");
        ulong sig = U64(b, 32);
        if (sig == 0 || SignalFormatter.Name((int)sig) is null)
            _t.UDec(sig);
        else
            Signal((int)sig);
        _t.Add(", stack=");
        Ptr(U64(b, 40));
        _t.Add(", stack_size=");
        _t.Hex(U64(b, 48));
        if ((flags & 0x00080000) != 0)
        {
            _t.Add(", tls=");
            Tls(U64(b, 56));
        }
        if (b.Length >= 88 && (flags & 0x200000000UL) != 0)
        {
            _t.Add(", cgroup=");
            _t.UDec(U64(b, 80));
        }
        _t.Add('}');
    }

    private void UserDesc()
    {
        ulong p = Word(0);
        if (Failed || !UserDescAt(p))
        {
            _t.Clear();
            AddPtr("u_info", p);
            return;
        }
        Add("u_info", ArgKind.Struct, (long)p);
    }

    /// <summary>struct user_desc (i386 TLS descriptors: set_thread_area, and clone's tls on i386).</summary>
    private bool UserDescAt(ulong p)
    {
        Span<byte> b = stackalloc byte[16];
        if (!Read(p, b))
            return false;
        uint flags = U32(b, 12);
        _t.Add("{entry_number=");
        _t.Dec((int)U32(b, 0));
        _t.Add(", base_addr=");
        _t.Hex(U32(b, 4));
        _t.Add(", limit=");
        Span<char> h = stackalloc char[8];
        U32(b, 8).TryFormat(h, out int hn, "x6", System.Globalization.CultureInfo.InvariantCulture);
        _t.Add("0x");
        _t.Add(h[..hn]);
        _t.Add(", seg_32bit=");
        _t.UDec(flags & 1);
        _t.Add(", contents=");
        _t.UDec((flags >> 1) & 3);
        _t.Add(", read_exec_only=");
        _t.UDec((flags >> 3) & 1);
        _t.Add(", limit_in_pages=");
        _t.UDec((flags >> 4) & 1);
        _t.Add(", seg_not_present=");
        _t.UDec((flags >> 5) & 1);
        _t.Add(", useable=");
        _t.UDec((flags >> 6) & 1);
        _t.Add('}');
        return true;
    }

    /// <summary>clone's tls: an address on x86_64, a user_desc on i386.</summary>
    private void Tls(ulong p)
    {
        if (!I386 || p == 0)
        {
            Ptr(p);
            return;
        }
        int mark = _t.Length;
        if (!UserDescAt(p))
        {
            _t.Truncate(mark);
            _t.Hex(p);
        }
    }

    private void TimeArg(string name, ulong p)
    {
        if (p == 0 || !TimespecAt(p))
        {
            _t.Clear();
            AddPtr(name, p);
            return;
        }
        Add(name, ArgKind.Struct, (long)p);
    }

    private void SigsetArg(string name, ulong p, ulong size)
    {
        if (p == 0 || !SigsetAt(p, (int)Math.Min(size, 128UL)))
        {
            _t.Clear();
            AddPtr(name, p);
            return;
        }
        Add(name, ArgKind.Struct, (long)p);
    }
}
