namespace Procscope.Core.Syscalls;

/// <summary>SysV IPC: semget/semop/semtimedop/semctl, shmget/shmat/shmdt/shmctl,
/// msgget/msgsnd/msgrcv/msgctl, and the i386 ipc() multiplexer, which strace shows as the call it
/// stands for with that call's "indirect" argument order (semctl's union passed by pointer, "[0x5]";
/// msgrcv's buffer and type read from the kernel's old two-word block; shmat's address read back
/// from the third argument).</summary>
public sealed partial class SyscallDecoder
{
    private const uint Ipc64 = 0x100;

    /// <summary>True for a SysV call reached through i386 ipc(): the arguments are shifted by one
    /// register and some are passed indirectly.</summary>
    private bool IpcIndirect => _c.Info?.Id == SyscallId.Ipc && _c.DecoderState is ulong[];

    /// <summary>ipc(call, first, second, third, ptr, fifth): the sub-call's name and its five
    /// arguments; an unknown sub-call keeps strace's "ipc(N, 0x…)" form.</summary>
    private void IpcEntry()
    {
        uint call = (uint)_c.Args[0];
        uint version = call >> 16;
        call &= 0xffff;
        var id = IpcSubcall(call);
        if (id == SyscallId.Unknown)
            return;
        var v = new ulong[8];
        for (int k = 0; k < 5; k++)
            v[k] = (uint)_c.Args[k + 1];
        v[6] = call;
        v[7] = version;
        _c.DecoderState = v;
        _c.Name = IpcName(id);
    }

    private static SyscallId IpcSubcall(ulong call) => call switch
    {
        1 => SyscallId.Semop, 2 => SyscallId.Semget, 3 => SyscallId.Semctl, 4 => SyscallId.Semtimedop,
        11 => SyscallId.Msgsnd, 12 => SyscallId.Msgrcv, 13 => SyscallId.Msgget, 14 => SyscallId.Msgctl,
        21 => SyscallId.Shmat, 22 => SyscallId.Shmdt, 23 => SyscallId.Shmget, 24 => SyscallId.Shmctl,
        _ => SyscallId.Unknown,
    };

    private static string IpcName(SyscallId id) => id switch
    {
        SyscallId.Semop => "semop", SyscallId.Semget => "semget", SyscallId.Semctl => "semctl",
        SyscallId.Semtimedop => "semtimedop", SyscallId.Msgsnd => "msgsnd", SyscallId.Msgrcv => "msgrcv",
        SyscallId.Msgget => "msgget", SyscallId.Msgctl => "msgctl", SyscallId.Shmat => "shmat",
        SyscallId.Shmdt => "shmdt", SyscallId.Shmget => "shmget", _ => "shmctl",
    };

    /// <summary>An ipc() sub-call strace does not know: the number (with "V&lt;&lt;16|" for a version)
    /// and the other registers in hex.</summary>
    private void IpcUnknown()
    {
        uint call = (uint)_c.Args[0];
        if (call >> 16 != 0)
        {
            _t.UDec(call >> 16);
            _t.Add("<<16|");
        }
        _t.UDec(call & 0xffff);
        Add("call", ArgKind.Integer, call);
        for (int i = 1; i < 6; i++)
            AddHex(GenericName(i), Word(i));
    }

    private bool IpcEntry(SyscallId id)
    {
        bool ind = IpcIndirect;
        switch (id)
        {
            case SyscallId.Ipc:
                IpcUnknown();
                return true;
            case SyscallId.Semget:
                IpcKey(Word(0));
                AddInt("nsems", Int(1));
                IpcFlagsAndMode("semflg", (uint)Word(2), Xlat.IpcResourceFlags);
                return true;
            case SyscallId.Msgget:
                IpcKey(Word(0));
                IpcFlagsAndMode("msgflg", (uint)Word(1), Xlat.IpcResourceFlags);
                return true;
            case SyscallId.Shmget:
                IpcKey(Word(0));
                AddUInt("size", Word(1));
                Shmflg((uint)Word(2));
                return true;
            case SyscallId.Semop:
            case SyscallId.Semtimedop or SyscallId.SemtimedopTime64:
                AddInt("semid", Int(0));
                Sembufs(ind ? Word(3) : Word(1), (uint)(ind ? Word(1) : Word(2)));
                if (id != SyscallId.Semop)
                    TimeArg("timeout", ind ? Word(4) : Word(3));
                return true;
            case SyscallId.Semctl:
                Semctl(entry: true, ind);
                return true;
            case SyscallId.Shmat:
                AddInt("shmid", Int(0));
                AddPtr("shmaddr", ind ? Word(3) : Word(1));
                AddFlags("shmflg", (uint)(ind ? Word(1) : Word(2)), Xlat.ShmFlags, dflt: "SHM_???");
                return true;
            case SyscallId.Shmdt:
                AddPtr("shmaddr", Word(ind ? 3 : 0));
                return true;
            case SyscallId.Shmctl:
            case SyscallId.Msgctl:
                IpcCtl(entry: true, id == SyscallId.Shmctl, ind);
                return true;
            case SyscallId.Msgsnd:
                AddInt("msqid", Int(0));
                Msgbuf("msgp", ind ? Word(3) : Word(1), ind ? Word(1) : Word(2));
                AddUInt("msgsz", ind ? Word(1) : Word(2));
                AddFlags("msgflg", (uint)(ind ? Word(2) : Word(3)), Xlat.MsgRcvFlags, dflt: "MSG_???");
                return true;
            case SyscallId.Msgrcv:
                AddInt("msqid", Int(0));
                return true;
            default:
                return false;
        }
    }

    private void IpcExit(SyscallId id)
    {
        bool ind = IpcIndirect;
        switch (id)
        {
            case SyscallId.Semctl:
                Semctl(entry: false, ind);
                break;
            case SyscallId.Shmctl:
            case SyscallId.Msgctl:
                IpcCtl(entry: false, id == SyscallId.Shmctl, ind);
                break;
            case SyscallId.Msgrcv:
                Msgrcv(ind);
                break;
        }
    }

    /// <summary>IPC_PRIVATE or the key in hex.</summary>
    private void IpcKey(ulong key)
    {
        // strace prints a key other than IPC_PRIVATE bare, without a "/* IPC_??? */" comment.
        if (Xlat.IpcPrivate.Name((uint)key) is { } n)
            _t.Add(n);
        else
            _t.Hex((uint)key);
        Add("key", ArgKind.Flags, (uint)key);
    }

    /// <summary>"IPC_CREAT|IPC_EXCL|0600": the flags above the permission bits, then the mode in octal.</summary>
    private void IpcFlagsAndMode(string name, uint v, XlatTable table)
    {
        if ((v & ~0x1ffu) != 0)
        {
            Flags(v & ~0x1ffu, table);
            _t.Add('|');
        }
        _t.Octal(v & 0x1ff, 3);
        Add(name, ArgKind.Flags, v);
    }

    /// <summary>shmget's flags: SHM_HUGE_* sizes print as "N&lt;&lt;SHM_HUGE_SHIFT".</summary>
    private void Shmflg(uint v)
    {
        uint flags = v & ~0x1ffu;
        uint huge = flags & (0x3fu << 26);
        flags &= ~(0x3fu << 26);
        if (flags != 0)
            Flags(flags, Xlat.ShmResourceFlags);
        if (huge != 0)
        {
            if (flags != 0)
                _t.Add('|');
            _t.UDec(huge >> 26);
            _t.Add("<<SHM_HUGE_SHIFT");
        }
        if (flags != 0 || huge != 0)
            _t.Add('|');
        _t.Octal(v & 0x1ff, 3);
        Add("shmflg", ArgKind.Flags, v);
    }

    /// <summary>The sembuf array: [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO|IPC_NOWAIT}, …] and nsops.</summary>
    private void Sembufs(ulong p, uint n)
    {
        int shown = (int)Math.Min(n, (uint)(_o.Verbose ? MaxArray : _o.StringLimit));
        bool ok = p != 0;
        if (ok && n == 0)
            _t.Add("[]");
        else if (ok)
        {
            _t.Add('[');
            Span<byte> b = stackalloc byte[6];
            for (int k = 0; k < shown; k++)
            {
                if (!Read(p + (ulong)(6 * k), b))
                {
                    if (k == 0)
                        ok = false;
                    else
                        _t.Add(", ...");
                    break;
                }
                if (k > 0)
                    _t.Add(", ");
                _t.Add("{sem_num=");
                _t.UDec(U16(b, 0));
                _t.Add(", sem_op=");
                _t.Dec((short)U16(b, 2));
                _t.Add(", sem_flg=");
                Flags(U16(b, 4), Xlat.SemopFlags, dflt: "SEM_???");
                _t.Add('}');
                if (k == shown - 1 && shown < n)
                    _t.Add(", ...");
            }
            _t.Add(']');
        }
        if (!ok)
        {
            _t.Clear();
            AddPtr("sops", p);
        }
        else
            Add("sops", ArgKind.Struct, (long)p);
        AddUInt("nsops", n);
    }

    /// <summary>A command with IPC_64 shown as "IPC_64|IPC_STAT".</summary>
    private void IpcCmd(uint cmd, XlatTable table)
    {
        if ((cmd & Ipc64) != 0)
            _t.Add("IPC_64|");
        Value(cmd & ~Ipc64, table, hexUnknown: true);
        Add("cmd", ArgKind.Flags, cmd);
    }

    private static bool IsStatCmd(uint cmd, bool shm) => cmd is 2 || (shm ? cmd is 13 or 15 : cmd is 11 or 13);

    private static bool IsInfoCmd(uint cmd, bool shm) => cmd is 3 || (shm ? cmd is 14 : cmd is 12);

    /// <summary>shmctl/msgctl(id, cmd, buf): IPC_SET's structure at entry, the STAT and INFO
    /// structures at exit, any other buf as an address.</summary>
    private void IpcCtl(bool entry, bool shm, bool ind)
    {
        ulong addr = Word(ind ? 3 : 2);
        uint cmd = (uint)Word(1) & ~Ipc64;
        if (entry)
        {
            AddInt(shm ? "shmid" : "msqid", Int(0));
            IpcCmd((uint)Word(1), shm ? Xlat.ShmctlCmds : Xlat.MsgctlCmds);
            if (cmd == 1)
                AddStructOrPtr("buf", addr, IpcDsAt(addr, shm ? IpcDs.Shm : IpcDs.Msg, set: true));
            else if (!IsStatCmd(cmd, shm) && !IsInfoCmd(cmd, shm))
                AddPtr("buf", addr);
            return;
        }
        if (_c.Arguments.Count >= 3)
            return;
        bool ok = !Failed && (IsStatCmd(cmd, shm) ? IpcDsAt(addr, shm ? IpcDs.Shm : IpcDs.Msg, set: false)
            : shm ? (cmd == 3 ? ShminfoAt(addr) : ShmInfoAt(addr)) : MsginfoAt(addr));
        AddStructOrPtr("buf", addr, ok);
    }

    /// <summary>semctl(semid, semnum, cmd, arg): arg is the union's value (a pointer or SETVAL's
    /// number) in hex, or through ipc() a pointer to it, shown in brackets.</summary>
    private void Semctl(bool entry, bool ind)
    {
        uint cmd = (uint)Word(2) & ~Ipc64;
        if (entry)
        {
            AddInt("semid", Int(0));
            AddInt("semnum", Int(1));
            IpcCmd((uint)Word(2), Xlat.SemctlCmds);
            ulong addr = Word(3);
            if (ind)
            {
                if (!ReadWord(Word(3), out addr))
                {
                    AddPtr("arg", Word(3));
                    return;
                }
            }
            _c.Saved0 = addr;
            _c.Saved1 = 1;
            if (cmd == 1)
                SemArg(addr, ind, IpcDsAt(addr, IpcDs.Sem, set: true));
            else if (cmd is not (2 or 18 or 20 or 3 or 19)) // decoded at exit: IPC_STAT, SEM_STAT(_ANY), IPC_INFO, SEM_INFO
                SemArg(addr, ind, false);
            return;
        }
        if (_c.Saved1 != 1 || _c.Arguments.Count >= 4)
            return;
        ulong a = _c.Saved0;
        SemArg(a, ind, !Failed && (cmd is 2 or 18 or 20 ? IpcDsAt(a, IpcDs.Sem, set: false) : SeminfoAt(a)));
    }

    private void SemArg(ulong addr, bool ind, bool ok)
    {
        if (!ok)
        {
            _t.Clear();
            if (ind)
                _t.Add('[');
            Ptr(addr);
            if (ind)
                _t.Add(']');
        }
        Add("arg", ok ? ArgKind.Struct : ArgKind.Pointer, (long)addr);
    }

    private void AddStructOrPtr(string name, ulong p, bool ok)
    {
        if (ok)
            Add(name, ArgKind.Struct, (long)p);
        else
        {
            _t.Clear();
            AddPtr(name, p);
        }
    }

    /// <summary>struct msgbuf: {mtype=7, mtext="hello"} with msgsz bytes of text.</summary>
    private void Msgbuf(string name, ulong p, ulong size)
    {
        if (!ReadWord(p, out ulong type))
        {
            AddPtr(name, p);
            return;
        }
        _t.Add("{mtype=");
        _t.Dec(I386 ? (int)type : (long)type);
        _t.Add(", mtext=");
        Buffer(p + (ulong)PtrSize, (long)Math.Min(size, (ulong)int.MaxValue));
        _t.Add('}');
        Add(name, ArgKind.Struct, (long)p);
    }

    /// <summary>msgrcv at exit: through ipc() version 0 the buffer and type come from a two-word
    /// block at the fourth argument (its address is shown when the call failed).</summary>
    private void Msgrcv(bool ind)
    {
        ulong buf, size, flags;
        long type;
        if (ind)
        {
            size = Word(1);
            flags = Word(2);
            if (_c.DecoderState is ulong[] v && v[7] != 0)
            {
                buf = Word(3);
                type = SWord(4);
            }
            else
            {
                Span<byte> b = stackalloc byte[8];
                if (Failed || !Read(Word(3), b))
                {
                    AddPtr("msgp", Word(3));
                    AddUInt("msgsz", size);
                    AddFlags("msgflg", (uint)flags, Xlat.MsgRcvFlags, dflt: "MSG_???");
                    return;
                }
                buf = U32(b, 0);
                type = S32(b, 4);
            }
        }
        else
        {
            buf = Word(1);
            size = Word(2);
            type = SWord(3);
            flags = Word(4);
        }
        if (Failed)
            AddPtr("msgp", buf);
        else
            Msgbuf("msgp", buf, size);
        AddUInt("msgsz", size);
        AddInt("msgtyp", type);
        AddFlags("msgflg", (uint)flags, Xlat.MsgRcvFlags, dflt: "MSG_???");
    }

    private enum IpcDs : byte { Msg, Sem, Shm }

    /// <summary>The msqid64_ds/semid64_ds/shmid64_ds the kernel uses (IPC_64), in the tracee's ABI;
    /// IPC_SET shows only the fields the kernel reads.</summary>
    private bool IpcDsAt(ulong p, IpcDs kind, bool set)
    {
        int size = (kind, I386) switch
        {
            (IpcDs.Msg, false) => 120, (IpcDs.Msg, true) => 88,
            (IpcDs.Sem, false) => 104, (IpcDs.Sem, true) => 64,
            (_, false) => 112, _ => 84,
        };
        Span<byte> b = stackalloc byte[120];
        if (!Read(p, b[..size]))
            return false;
        string prefix = kind switch { IpcDs.Msg => "msg_", IpcDs.Sem => "sem_", _ => "shm_" };
        _t.Add('{');
        _t.Add(prefix);
        _t.Add("perm={uid=");
        IdValue(U32(b, 4));
        _t.Add(", gid=");
        IdValue(U32(b, 8));
        _t.Add(", mode=");
        _t.Octal(I386 ? U16(b, 20) : U32(b, 20), 3);
        if (!set)
        {
            _t.Add(", key=");
            _t.UDec(U32(b, 0));
            _t.Add(", cuid=");
            IdValue(U32(b, 12));
            _t.Add(", cgid=");
            IdValue(U32(b, 16));
        }
        _t.Add('}');
        // Offsets after the 48-byte (i386: 36-byte) ipc64_perm; i386 times have a high word after them.
        int o = I386 ? 36 : 48;
        switch (kind)
        {
            case IpcDs.Msg:
                if (!set)
                {
                    Field(", msg_stime=", UL(b, o));
                    Field(", msg_rtime=", UL(b, o + 8));
                    Field(", msg_ctime=", UL(b, o + 16));
                    Field(", msg_qnum=", UL(b, I386 ? 64 : 80));
                }
                Field(", msg_qbytes=", UL(b, I386 ? 68 : 88));
                if (!set)
                {
                    _t.Add(", msg_lspid=");
                    _t.Dec(S32(b, I386 ? 72 : 96));
                    _t.Add(", msg_lrpid=");
                    _t.Dec(S32(b, I386 ? 76 : 100));
                }
                break;
            case IpcDs.Sem:
                if (!set)
                {
                    Field(", sem_otime=", UL(b, o));
                    Field(", sem_ctime=", UL(b, I386 ? 44 : 64));
                    Field(", sem_nsems=", UL(b, I386 ? 52 : 80));
                }
                break;
            default:
                if (!set)
                {
                    Field(", shm_segsz=", UL(b, o));
                    _t.Add(", shm_cpid=");
                    _t.Dec(S32(b, I386 ? 64 : 80));
                    _t.Add(", shm_lpid=");
                    _t.Dec(S32(b, I386 ? 68 : 84));
                    Field(", shm_nattch=", UL(b, I386 ? 72 : 88));
                    Field(", shm_atime=", UL(b, I386 ? 40 : 56));
                    Field(", shm_dtime=", UL(b, I386 ? 48 : 64));
                    Field(", shm_ctime=", UL(b, I386 ? 56 : 72));
                }
                break;
        }
        _t.Add('}');
        return true;
    }

    private void Field(string name, ulong v)
    {
        _t.Add(name);
        _t.UDec(v);
    }

    private void IdValue(uint id)
    {
        if (id == uint.MaxValue)
            _t.Add("-1");
        else
            _t.UDec(id);
    }

    /// <summary>IPC_INFO's struct shminfo64 (five unsigned longs).</summary>
    private bool ShminfoAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[40];
        if (!Read(p, b[..(5 * w)]))
            return false;
        Field("{shmmax=", UL(b, 0));
        Field(", shmmin=", UL(b, w));
        Field(", shmmni=", UL(b, 2 * w));
        Field(", shmseg=", UL(b, 3 * w));
        Field(", shmall=", UL(b, 4 * w));
        _t.Add('}');
        return true;
    }

    /// <summary>SHM_INFO's struct shm_info: an int, then five unsigned longs.</summary>
    private bool ShmInfoAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[48];
        if (!Read(p, b[..(6 * w)]))
            return false;
        _t.Add("{used_ids=");
        _t.Dec(S32(b, 0));
        Field(", shm_tot=", UL(b, w));
        Field(", shm_rss=", UL(b, 2 * w));
        Field(", shm_swp=", UL(b, 3 * w));
        Field(", swap_attempts=", UL(b, 4 * w));
        Field(", swap_successes=", UL(b, 5 * w));
        _t.Add('}');
        return true;
    }

    /// <summary>Field labels, in a nested class so they are built on first use, not with the decoder.</summary>
    private static class IpcLabels
    {
        public static readonly string[] MsginfoNames = ["{msgpool=", ", msgmap=", ", msgmax=", ", msgmnb=", ", msgmni=", ", msgssz=", ", msgtql="];

        public static readonly string[] SeminfoNames =
            ["{semmap=", ", semmni=", ", semmns=", ", semmnu=", ", semmsl=", ", semopm=", ", semume=", ", semusz=", ", semvmx=", ", semaem="];
    }

    private bool MsginfoAt(ulong p)
    {
        Span<byte> b = stackalloc byte[32];
        if (!Read(p, b))
            return false;
        var names = IpcLabels.MsginfoNames;
        for (int k = 0; k < names.Length; k++)
        {
            _t.Add(names[k]);
            _t.Dec(S32(b, 4 * k));
        }
        Field(", msgseg=", U16(b, 28));
        _t.Add('}');
        return true;
    }

    private bool SeminfoAt(ulong p)
    {
        Span<byte> b = stackalloc byte[40];
        if (!Read(p, b))
            return false;
        var names = IpcLabels.SeminfoNames;
        for (int k = 0; k < names.Length; k++)
        {
            _t.Add(names[k]);
            _t.Dec(S32(b, 4 * k));
        }
        _t.Add('}');
        return true;
    }

    /// <summary>shmat through ipc() returns 0 and stores the address at its third argument:
    /// strace shows that address as the return value ("?" when unreadable).</summary>
    private bool IpcShmatReturn(out string text)
    {
        text = "";
        if (!IpcIndirect || EffectiveId(_c.Info) != SyscallId.Shmat)
            return false;
        text = ReadWord(Word(2), out ulong a) ? HexText(a) : "?";
        return true;
    }
}
