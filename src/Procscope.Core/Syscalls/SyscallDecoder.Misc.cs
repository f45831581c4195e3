namespace Procscope.Core.Syscalls;

/// <summary>The rarer calls strace 6.1 decodes: POSIX message queues, the new mount API, landlock,
/// NUMA memory policy, kexec, keys, futex_waitv and Linux AIO.</summary>
public sealed partial class SyscallDecoder
{
    private bool MiscEntry(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.MqOpen:
                AddCString("name", Word(0), path: false);
                OpenFlagsAndMode(1);
                if ((Word(1) & 0x40) != 0) // O_CREAT: the attributes follow the mode
                    AddStructOrPtr("attr", Word(3), Word(3) != 0 && MqAttrAt(Word(3)));
                return true;
            case SyscallId.MqTimedsend or SyscallId.MqTimedsendTime64:
                AddFd("mqdes", Int(0));
                AddBuffer("msg_ptr", Word(1), (long)Word(2));
                AddUInt("msg_len", Word(2));
                AddUInt("msg_prio", (uint)Word(3));
                TimeArg("abs_timeout", Word(4));
                return true;
            case SyscallId.MqTimedreceive or SyscallId.MqTimedreceiveTime64:
                AddFd("mqdes", Int(0));
                return true;
            case SyscallId.MqNotify:
                AddFd("mqdes", Int(0));
                AddStructOrPtr("sevp", Word(1), Word(1) != 0 && SigeventAt(Word(1)));
                return true;
            case SyscallId.MqGetsetattr:
                AddFd("mqdes", Int(0));
                AddStructOrPtr("newattr", Word(1), Word(1) != 0 && MqAttrAt(Word(1)));
                return true;
            case SyscallId.Fsconfig:
                Fsconfig();
                return true;
            case SyscallId.MountSetattr:
                AddDirFd("dirfd", Int(0));
                AddCString("pathname", Word(1), path: true);
                AddFlags("flags", (uint)Word(2), Xlat.AtFlags);
                AddStructOrPtr("attr", Word(3), Word(3) != 0 && MountAttrAt(Word(3), Word(4)));
                AddUInt("size", Word(4));
                return true;
            case SyscallId.LandlockCreateRuleset:
                AddStructOrPtr("attr", Word(0), Word(0) != 0 && Word(1) >= 8 && LandlockRulesetAt(Word(0)));
                AddUInt("size", Word(1));
                AddFlags("flags", (uint)Word(2), Xlat.LandlockCreateFlags, dflt: "LANDLOCK_CREATE_RULESET_???");
                return true;
            case SyscallId.LandlockAddRule:
                AddFd("ruleset_fd", Int(0));
                AddValue("rule_type", (uint)Word(1), Xlat.LandlockRuleTypes);
                AddStructOrPtr("rule_attr", Word(2), Word(1) == 1 && LandlockPathBeneathAt(Word(2)));
                AddUInt("flags", (uint)Word(3));
                return true;
            case SyscallId.SetMempolicy:
                MpolMode((uint)Word(0));
                Nodemask("nodemask", Word(1), Word(2));
                AddUInt("maxnode", Word(2));
                return true;
            case SyscallId.GetMempolicy:
                return true;
            case SyscallId.Mbind:
                AddPtr("addr", Word(0));
                AddUInt("len", Word(1));
                MpolMode((uint)Word(2));
                Nodemask("nodemask", Word(3), Word(4));
                AddUInt("maxnode", Word(4));
                AddFlags("flags", (uint)Word(5), Xlat.MbindFlags, dflt: "MPOL_MF_???");
                return true;
            case SyscallId.MigratePages:
                AddInt("pid", Int(0));
                AddUInt("maxnode", Word(1));
                Nodemask("old_nodes", Word(2), Word(1));
                Nodemask("new_nodes", Word(3), Word(1));
                return true;
            case SyscallId.MovePages:
                AddInt("pid", Int(0));
                AddUInt("count", Word(1));
                WordArray("pages", Word(2), Word(1), pointers: true);
                WordArray("nodes", Word(3), Word(1), pointers: false);
                return true;
            case SyscallId.KexecLoad:
                AddPtr("entry", Word(0));
                AddUInt("nr_segments", Word(1));
                AddPtr("segments", Word(2));
                KexecFlags(Word(3));
                return true;
            case SyscallId.IoUringSetup:
                AddUInt("entries", (uint)Word(0));
                if (!Read(Word(1), Scratch(120)))
                    AddPtr("p", Word(1));
                return true;
            case SyscallId.IoUringEnter:
                AddFd("fd", Int(0));
                AddUInt("to_submit", (uint)Word(1));
                AddUInt("min_complete", (uint)Word(2));
                AddFlags("flags", (uint)Word(3), Xlat.IoUringEnterFlags, dflt: "IORING_ENTER_???");
                SigsetArg("sig", Word(4), Word(5));
                AddUInt("sz", Word(5));
                return true;
            case SyscallId.IoUringRegister:
                IoUringRegister();
                return true;
            case SyscallId.KexecFileLoad:
                AddFd("kernel_fd", Int(0));
                AddFd("initrd_fd", Int(1));
                AddUInt("cmdline_len", Word(2));
                AddBuffer("cmdline", Word(3), (long)Math.Min(Word(2), (ulong)int.MaxValue));
                AddFlags("flags", Word(4), Xlat.KexecFileFlags, dflt: "KEXEC_FILE_???");
                return true;
            case SyscallId.Keyctl:
                Keyctl(entry: true);
                return true;
            case SyscallId.FutexWaitv:
                FutexWaiters(Word(0), (uint)Word(1));
                AddUInt("nr_futexes", (uint)Word(1));
                AddHex("flags", (uint)Word(2));
                TimeArg("timeout", Word(3));
                AddValue("clockid", (uint)Word(4), Xlat.Clocks);
                return true;
            case SyscallId.IoSetup:
                AddUInt("nr_events", (uint)Word(0));
                return true;
            case SyscallId.IoSubmit:
                AddHex("ctx_id", Word(0));
                AddInt("nr", SWord(1));
                Iocbs(Word(2), SWord(1));
                return true;
            case SyscallId.IoCancel:
                AddHex("ctx_id", Word(0));
                AddStructOrPtr("iocb", Word(1), IocbAt(Word(1), full: false));
                return true;
            case SyscallId.IoGetevents or SyscallId.IoPgetevents or SyscallId.IoPgeteventsTime64:
                AddHex("ctx_id", Word(0));
                AddInt("min_nr", SWord(1));
                AddInt("nr", SWord(2));
                return true;
            default:
                return false;
        }
    }

    private bool MiscExit(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.MqTimedreceive or SyscallId.MqTimedreceiveTime64:
                if (Failed)
                    AddPtr("msg_ptr", Word(1));
                else
                    AddBuffer("msg_ptr", Word(1), Ret);
                AddUInt("msg_len", Word(2));
                AddStructOrPtr("msg_prio", Word(3), !Failed && Word(3) != 0 && IntAt(Word(3)));
                TimeArg("abs_timeout", Word(4));
                return true;
            case SyscallId.MqGetsetattr:
                AddStructOrPtr("oldattr", Word(2), !Failed && Word(2) != 0 && MqAttrAt(Word(2)));
                return true;
            case SyscallId.GetMempolicy:
                if (!Failed && Word(0) != 0 && ReadU32(Word(0), out uint mode))
                {
                    _t.Add('[');
                    MpolModeText(mode);
                    _t.Add(']');
                    Add("mode", ArgKind.Struct, (long)Word(0));
                }
                else
                    AddPtr("mode", Word(0));
                if (Failed)
                    AddPtr("nodemask", Word(1));
                else
                    Nodemask("nodemask", Word(1), Word(2));
                AddUInt("maxnode", Word(2));
                AddPtr("addr", Word(3));
                AddFlags("flags", Word(4), Xlat.GetMempolicyFlags, dflt: "MPOL_F_???");
                return true;
            case SyscallId.MovePages:
                if (Failed)
                    AddPtr("status", Word(4));
                else
                    WordArray("status", Word(4), Word(1), pointers: false);
                AddFlags("flags", (uint)Word(5), Xlat.MovePagesFlags, dflt: "MPOL_MF_???");
                return true;
            case SyscallId.Keyctl:
                Keyctl(entry: false);
                return true;
            case SyscallId.IoUringSetup:
                if (_c.Arguments.Count == 1)
                    AddStructOrPtr("p", Word(1), IoUringParamsAt(Word(1)));
                return true;
            case SyscallId.IoSetup:
                if (!Failed && ReadWord(Word(1), out ulong ctx))
                {
                    _t.Add('[');
                    _t.Hex(ctx);
                    _t.Add(']');
                    Add("ctx_idp", ArgKind.Struct, (long)Word(1));
                }
                else
                    AddPtr("ctx_idp", Word(1));
                return true;
            case SyscallId.IoCancel:
                AddPtr("result", Word(2));
                return true;
            case SyscallId.IoGetevents or SyscallId.IoPgetevents or SyscallId.IoPgeteventsTime64:
                AddStructOrPtr("events", Word(3), !Failed && IoEventsAt(Word(3), Ret));
                TimeArg("timeout", Word(4));
                if (id != SyscallId.IoGetevents)
                    AddStructOrPtr("usig", Word(5), Word(5) != 0 && AioSigsetAt(Word(5)));
                return true;
            default:
                return false;
        }
    }

    // ---- message queues -----------------------------------------------------------------------

    /// <summary>struct mq_attr: four longs.</summary>
    private bool MqAttrAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[32];
        if (!Read(p, b[..(4 * w)]))
            return false;
        _t.Add("{mq_flags=");
        Flags(UL(b, 0), Xlat.OpenFlags);
        _t.Add(", mq_maxmsg=");
        _t.Dec(SL(b, w));
        _t.Add(", mq_msgsize=");
        _t.Dec(SL(b, 2 * w));
        _t.Add(", mq_curmsgs=");
        _t.Dec(SL(b, 3 * w));
        _t.Add('}');
        return true;
    }

    /// <summary>struct sigevent: value (when set), signal, notify kind and the kind's fields.</summary>
    private bool SigeventAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[32];
        if (!Read(p, b[..(w + 8 + 2 * w)]))
            return false;
        ulong value = UL(b, 0);
        int signo = S32(b, w);
        int notify = S32(b, w + 4);
        _t.Add('{');
        if (value != 0)
        {
            _t.Add("sigev_value={sival_int=");
            _t.Dec((int)value);
            _t.Add(", sival_ptr=");
            _t.Hex(value);
            _t.Add("}, ");
        }
        _t.Add("sigev_signo=");
        if (notify is 0 or 2 or 4) // SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID
            Signal(signo);
        else
            _t.UDec((uint)signo);
        _t.Add(", sigev_notify=");
        Value((uint)notify, Xlat.SigevNotify, hexUnknown: true, dflt: "SIGEV_???");
        if (notify == 4)
        {
            _t.Add(", sigev_notify_thread_id=");
            _t.Dec(S32(b, w + 8));
        }
        else if (notify == 2)
        {
            _t.Add(", sigev_notify_function=");
            Ptr(UL(b, w + 8));
            _t.Add(", sigev_notify_attributes=");
            Ptr(UL(b, 2 * w + 8));
        }
        _t.Add('}');
        return true;
    }

    // ---- new mount API ------------------------------------------------------------------------

    private void Fsconfig()
    {
        AddFd("fd", Int(0));
        uint cmd = (uint)Word(1);
        AddValue("cmd", cmd, Xlat.FsconfigCmds, hexUnknown: true);
        AddCString("key", Word(2), path: false);
        switch (cmd)
        {
            case 1: // FSCONFIG_SET_STRING
                AddCString("value", Word(3), path: false);
                AddInt("aux", Int(4));
                break;
            case 2: // FSCONFIG_SET_BINARY
                AddBuffer("value", Word(3), Int(4));
                AddInt("aux", Int(4));
                break;
            case 3 or 4: // FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY
                AddCString("value", Word(3), path: true);
                AddDirFd("aux", Int(4));
                break;
            case 5: // FSCONFIG_SET_FD
                AddPtr("value", Word(3));
                AddFd("aux", Int(4));
                break;
            default:
                AddPtr("value", Word(3));
                AddInt("aux", Int(4));
                break;
        }
    }

    /// <summary>struct mount_attr {attr_set, attr_clr, propagation, userns_fd}.</summary>
    private bool MountAttrAt(ulong p, ulong size)
    {
        if (size < 32)
            return false;
        Span<byte> b = stackalloc byte[32];
        if (!Read(p, b))
            return false;
        _t.Add("{attr_set=");
        Flags(U64(b, 0), Xlat.MountAttrs, dflt: "MOUNT_ATTR_???");
        _t.Add(", attr_clr=");
        Flags(U64(b, 8), Xlat.MountAttrs, dflt: "MOUNT_ATTR_???");
        _t.Add(", propagation=");
        Value(U64(b, 16), Xlat.MountPropagation, hexUnknown: false, dflt: "MS_???");
        _t.Add(", userns_fd=");
        _t.UDec(U64(b, 24));
        _t.Add('}');
        return true;
    }

    // ---- landlock ------------------------------------------------------------------------------

    private bool LandlockRulesetAt(ulong p)
    {
        if (!ReadU64(p, out ulong access))
            return false;
        _t.Add("{handled_access_fs=");
        Flags(access, Xlat.LandlockAccessFs, dflt: "LANDLOCK_ACCESS_FS_???");
        _t.Add('}');
        return true;
    }

    /// <summary>struct landlock_path_beneath_attr (packed: a u64 and an s32).</summary>
    private bool LandlockPathBeneathAt(ulong p)
    {
        Span<byte> b = stackalloc byte[12];
        if (!Read(p, b))
            return false;
        _t.Add("{allowed_access=");
        Flags(U64(b, 0), Xlat.LandlockAccessFs, dflt: "LANDLOCK_ACCESS_FS_???");
        _t.Add(", parent_fd=");
        Fd(S32(b, 8));
        _t.Add('}');
        return true;
    }

    // ---- NUMA ----------------------------------------------------------------------------------

    private void MpolMode(uint mode)
    {
        MpolModeText(mode);
        Add("mode", ArgKind.Flags, mode);
    }

    /// <summary>MPOL_BIND, with MPOL_F_* mode flags after a '|'.</summary>
    private void MpolModeText(uint mode)
    {
        uint flags = mode & 0xe000;
        Value(mode & ~0xe000u, Xlat.MpolModes, hexUnknown: true, dflt: "MPOL_???");
        if (flags != 0)
        {
            _t.Add('|');
            Flags(flags, Xlat.MpolModeFlags);
        }
    }

    /// <summary>A node bitmap: (maxnode - 1) bits in words, each as a zero-padded hex word.</summary>
    private void Nodemask(string name, ulong p, ulong maxnode)
    {
        int bits = 8 * PtrSize;
        ulong n = (maxnode + (ulong)bits - 2) / (ulong)bits;
        if (p == 0 || n < maxnode / (ulong)bits || (maxnode != 0 && n == 0))
        {
            AddPtr(name, p);
            return;
        }
        int shown = (int)Math.Min(n, (ulong)(_o.Verbose ? MaxArray : _o.StringLimit));
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            if (!ReadWord(p + (ulong)(k * PtrSize), out ulong v))
            {
                if (k == 0)
                {
                    _t.Clear();
                    AddPtr(name, p);
                    return;
                }
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            HexPadded(v, 2 * PtrSize);
        }
        if ((ulong)shown < n)
            _t.Add(", ...");
        _t.Add(']');
        Add(name, ArgKind.Struct, (long)p);
    }

    /// <summary>strace's %#0*lx: "0x" and digits, zero-padded to <paramref name="width"/> characters in all.</summary>
    private void HexPadded(ulong v, int width)
    {
        int digits = v == 0 ? 1 : (64 - System.Numerics.BitOperations.LeadingZeroCount(v) + 3) / 4;
        if (v == 0)
        {
            for (int k = 0; k < width; k++)
                _t.Add('0');
            return;
        }
        _t.Add("0x");
        for (int k = digits + 2; k < width; k++)
            _t.Add('0');
        _t.HexDigits(v);
    }

    /// <summary>move_pages' arrays: pointers ([0x7ffc…]) or ints ([0]).</summary>
    private void WordArray(string name, ulong p, ulong count, bool pointers)
    {
        if (p == 0)
        {
            AddPtr(name, p);
            return;
        }
        int size = pointers ? PtrSize : 4;
        int shown = (int)Math.Min(count, (ulong)(_o.Verbose ? MaxArray : _o.StringLimit));
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            ulong v = 0;
            bool ok;
            if (pointers)
                ok = ReadWord(p + (ulong)(k * size), out v);
            else
            {
                ok = ReadU32(p + (ulong)(k * size), out uint u);
                v = u;
            }
            if (!ok)
            {
                if (k == 0)
                {
                    _t.Clear();
                    AddPtr(name, p);
                    return;
                }
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            if (pointers)
                Ptr(v);
            else
                _t.Dec((int)v);
        }
        if ((ulong)shown < count)
            _t.Add(", ...");
        _t.Add(']');
        Add(name, ArgKind.Struct, (long)p);
    }

    private void KexecFlags(ulong v)
    {
        uint flags = (uint)v;
        Value(flags & 0xffff0000, Xlat.KexecArch, hexUnknown: true, dflt: "KEXEC_ARCH_???");
        if ((flags & 0xffff) != 0)
        {
            _t.Add('|');
            Flags(flags & 0xffff, Xlat.KexecFlags, dflt: "KEXEC_???");
        }
        Add("flags", ArgKind.Flags, flags);
    }

    // ---- keys ----------------------------------------------------------------------------------

    private void KeySerial(string name, int v)
    {
        if (Xlat.KeySpecs.Name((uint)v) is { } n)
            _t.Add(n);
        else
            _t.Dec(v);
        Add(name, ArgKind.Integer, v);
    }

    /// <summary>keyctl(cmd, …): the common commands decoded, the others with hex arguments.</summary>
    private void Keyctl(bool entry)
    {
        uint cmd = (uint)Word(0);
        if (entry)
        {
            AddValue("cmd", cmd, Xlat.KeyctlCmds, hexUnknown: true, dflt: "KEYCTL_???");
            switch (cmd)
            {
                case 0: // GET_KEYRING_ID
                    KeySerial("id", Int(1));
                    AddInt("create", Int(2));
                    break;
                case 1: // JOIN_SESSION_KEYRING
                    AddCString("name", Word(1), path: false);
                    break;
                case 2: // UPDATE
                    KeySerial("key", Int(1));
                    AddBuffer("payload", Word(2), (long)Word(3));
                    AddUInt("plen", Word(3));
                    break;
                case 3 or 7 or 21: // REVOKE, CLEAR, INVALIDATE
                    KeySerial("key", Int(1));
                    break;
                case 6 or 11 or 17: // DESCRIBE, READ, GET_SECURITY: the buffer at exit
                    KeySerial("key", Int(1));
                    break;
                case 8 or 9: // LINK, UNLINK
                    KeySerial("key", Int(1));
                    KeySerial("keyring", Int(2));
                    break;
                case 15: // SET_TIMEOUT
                    KeySerial("key", Int(1));
                    AddUInt("timeout", (uint)Word(2));
                    break;
                default:
                    for (int i = 1; i < 5; i++)
                        AddHex(GenericName(i), Word(i));
                    break;
            }
            return;
        }
        if (cmd is 6 or 11 or 17)
        {
            if (Failed || Word(2) == 0)
                AddPtr("buffer", Word(2));
            else if (cmd == 11) // READ: the payload's bytes
                AddBuffer("buffer", Word(2), Math.Min(Ret, (long)Word(3)));
            else // DESCRIBE, GET_SECURITY: a NUL-terminated string
                AddCString("buffer", Word(2), path: false);
            AddUInt("buflen", Word(3));
        }
    }

    // ---- futex_waitv ---------------------------------------------------------------------------

    /// <summary>struct futex_waitv[]: {val, uaddr, flags}, 24 bytes each.</summary>
    private void FutexWaiters(ulong p, uint n)
    {
        if (p == 0)
        {
            AddPtr("waiters", p);
            return;
        }
        int shown = (int)Math.Min(n, Math.Min(128u, (uint)(_o.Verbose ? MaxArray : _o.StringLimit)));
        Span<byte> b = stackalloc byte[24];
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            if (!Read(p + (ulong)(24 * k), b))
            {
                if (k == 0)
                {
                    _t.Clear();
                    AddPtr("waiters", p);
                    return;
                }
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            Field("{val=", U64(b, 0));
            _t.Add(", uaddr=");
            Ptr(U64(b, 8));
            _t.Add(", flags=");
            Flags(U32(b, 16), Xlat.FutexWaiterFlags, dflt: "FUTEX_???");
            if (U32(b, 20) != 0)
                Field(", __reserved=", U32(b, 20));
            _t.Add('}');
        }
        if ((uint)shown < n)
            _t.Add(", ...");
        _t.Add(']');
        Add("waiters", ArgKind.Struct, (long)p);
    }

    // ---- io_uring ----------------------------------------------------------------------------

    /// <summary>struct io_uring_params (120 bytes): what the caller set, then on success what the
    /// kernel filled in (ring sizes, features, ring offsets).</summary>
    private bool IoUringParamsAt(ulong p)
    {
        Span<byte> b = stackalloc byte[120];
        if (!Read(p, b))
            return false;
        uint flags = U32(b, 8);
        _t.Add("{flags=");
        Flags(flags, Xlat.IoUringSetupFlags, dflt: "IORING_SETUP_???");
        _t.Add(", sq_thread_cpu=");
        _t.Hex(U32(b, 12));
        Field(", sq_thread_idle=", U32(b, 16));
        if ((flags & 0x20) != 0) // IORING_SETUP_ATTACH_WQ
        {
            _t.Add(", wq_fd=");
            Fd(S32(b, 24));
        }
        if (U32(b, 28) != 0 || U32(b, 32) != 0 || U32(b, 36) != 0)
        {
            _t.Add(", resv=[");
            for (int k = 0; k < 3; k++)
            {
                if (k > 0)
                    _t.Add(", ");
                _t.Hex(U32(b, 28 + 4 * k));
            }
            _t.Add(']');
        }
        if (!Failed)
        {
            Field(", sq_entries=", U32(b, 0));
            Field(", cq_entries=", U32(b, 4));
            _t.Add(", features=");
            Flags(U32(b, 20), Xlat.IoUringFeatures, dflt: "IORING_FEAT_???");
            string[] sq = ["head=", "tail=", "ring_mask=", "ring_entries=", "flags=", "dropped=", "array="];
            string[] cq = ["head=", "tail=", "ring_mask=", "ring_entries=", "overflow=", "cqes=", "flags="];
            RingOffsets(", sq_off={", sq, b[40..]);
            RingOffsets(", cq_off={", cq, b[80..]);
        }
        _t.Add('}');
        return true;
    }

    private void RingOffsets(string label, string[] names, ReadOnlySpan<byte> b)
    {
        _t.Add(label);
        for (int k = 0; k < names.Length; k++)
        {
            if (k > 0)
                _t.Add(", ");
            _t.Add(names[k]);
            _t.UDec(U32(b, 4 * k));
        }
        // resv1 and resv2 are shown only when set.
        if (U32(b, 28) != 0)
            Field(", resv1=", U32(b, 28));
        if (U64(b, 32) != 0)
            Field(", resv2=", U64(b, 32));
        _t.Add('}');
    }

    /// <summary>io_uring_register(fd, opcode, arg, nr_args): fd arrays for the file and eventfd
    /// opcodes, the address otherwise.</summary>
    private void IoUringRegister()
    {
        AddFd("fd", Int(0));
        uint op = (uint)Word(1);
        AddValue("opcode", op, Xlat.IoUringRegisterOps, hexUnknown: true, dflt: "IORING_REGISTER_???");
        ulong arg = Word(2);
        uint n = (uint)Word(3);
        if (op is 2 or 4 or 7 && arg != 0) // FILES, EVENTFD, EVENTFD_ASYNC
        {
            int shown = (int)Math.Min(n, (uint)(_o.Verbose ? MaxArray : _o.StringLimit));
            _t.Add('[');
            bool ok = true;
            for (int k = 0; k < shown; k++)
            {
                if (!ReadU32(arg + (ulong)(4 * k), out uint fd))
                {
                    if (k == 0)
                        ok = false;
                    else
                        _t.Add(", ...");
                    break;
                }
                if (k > 0)
                    _t.Add(", ");
                Fd((int)fd);
            }
            if (ok && (uint)shown < n)
                _t.Add(", ...");
            _t.Add(']');
            AddStructOrPtr("arg", arg, ok);
        }
        else
            AddPtr("arg", arg);
        AddUInt("nr_args", n);
    }

    // ---- Linux AIO -----------------------------------------------------------------------------

    /// <summary>io_submit's array of iocb pointers, each shown as its struct iocb.</summary>
    private void Iocbs(ulong p, long n)
    {
        if (p == 0 || n < 0)
        {
            AddPtr("iocbpp", p);
            return;
        }
        int shown = (int)Math.Min(n, _o.Verbose ? 1024 : _o.StringLimit);
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            if (!ReadWord(p + (ulong)(k * PtrSize), out ulong cb))
            {
                if (k == 0)
                {
                    _t.Clear();
                    AddPtr("iocbpp", p);
                    return;
                }
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            int mark = _t.Length;
            if (!IocbAt(cb, full: true))
            {
                _t.Truncate(mark);
                Ptr(cb);
            }
        }
        if (shown < n)
            _t.Add(", ...");
        _t.Add(']');
        Add("iocbpp", ArgKind.Struct, (long)p);
    }

    /// <summary>struct iocb (64 bytes): data, opcode, fd and, for reads and writes, buffer, size, offset.</summary>
    private bool IocbAt(ulong p, bool full)
    {
        Span<byte> b = stackalloc byte[64];
        if (!Read(p, b))
            return false;
        ulong data = U64(b, 0);
        uint key = U32(b, 8);
        ushort op = U16(b, 16);
        short prio = (short)U16(b, 18);
        uint fd = U32(b, 20);
        ulong buf = U64(b, 24);
        ulong nbytes = U64(b, 32);
        long offset = S64(b, 40);
        uint flags = U32(b, 56);
        _t.Add('{');
        if (data != 0)
        {
            _t.Add("aio_data=");
            _t.Hex(data);
            _t.Add(", ");
        }
        if (key != 0)
        {
            Field("aio_key=", key);
            _t.Add(", ");
        }
        _t.Add("aio_lio_opcode=");
        Value(op, Xlat.AioCmds, dflt: "IOCB_CMD_???");
        if (prio != 0)
        {
            _t.Add(", aio_reqprio=");
            _t.Dec(prio);
        }
        _t.Add(", aio_fildes=");
        Fd((int)fd);
        if (full)
        {
            switch (op)
            {
                case 0 or 1: // PREAD, PWRITE
                    _t.Add(", aio_buf=");
                    if (op == 1)
                        Buffer(buf, (long)Math.Min(nbytes, (ulong)int.MaxValue));
                    else
                        Ptr(buf);
                    Field(", aio_nbytes=", nbytes);
                    _t.Add(", aio_offset=");
                    _t.Dec(offset);
                    break;
                case 7 or 8: // PREADV, PWRITEV
                    _t.Add(", aio_buf=");
                    if (op != 8 || !IovecAt(buf, (int)Math.Min(nbytes, 1024UL), long.MaxValue))
                        Ptr(buf);
                    Field(", aio_nbytes=", nbytes);
                    _t.Add(", aio_offset=");
                    _t.Dec(offset);
                    break;
            }
            if (flags != 0)
                Field(", aio_flags=", flags);
        }
        _t.Add('}');
        return true;
    }

    /// <summary>struct io_event[]: {data, obj, res, res2}.</summary>
    private bool IoEventsAt(ulong p, long n)
    {
        if (p == 0 || n < 0)
            return false;
        int shown = (int)Math.Min(n, _o.Verbose ? 1024 : _o.StringLimit);
        Span<byte> b = stackalloc byte[32];
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            if (!Read(p + (ulong)(32 * k), b))
            {
                if (k == 0)
                    return false;
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            _t.Add("{data=");
            _t.Hex(U64(b, 0));
            _t.Add(", obj=");
            Ptr(U64(b, 8));
            _t.Add(", res=");
            _t.Dec(S64(b, 16));
            _t.Add(", res2=");
            _t.Dec(S64(b, 24));
            _t.Add('}');
        }
        if (shown < n)
            _t.Add(", ...");
        _t.Add(']');
        return true;
    }

    /// <summary>io_pgetevents' struct __aio_sigset {sigmask, sigsetsize}.</summary>
    private bool AioSigsetAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[16];
        if (!Read(p, b[..(2 * w)]))
            return false;
        ulong mask = UL(b, 0);
        ulong size = UL(b, w);
        _t.Add("{sigmask=");
        int mark = _t.Length;
        if (mask == 0 || !SigsetAt(mask, (int)Math.Min(size, 128UL)))
        {
            _t.Truncate(mark);
            Ptr(mask);
        }
        Field(", sigsetsize=", size);
        _t.Add('}');
        return true;
    }
}
