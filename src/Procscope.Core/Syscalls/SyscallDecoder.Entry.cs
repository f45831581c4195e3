namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>Decodes the entry arguments; false leaves the generic hex form.</summary>
    private bool DecodeEntry(SyscallInfo info)
    {
        if (info.Id == SyscallId.Socketcall)
            SocketcallEntry();
        else if (info.Id == SyscallId.Ipc && I386)
            IpcEntry();
        var spec = SpecFor(info);
        if (spec is not null)
        {
            for (int i = 0; i < spec.Length; i++)
            {
                if (spec[i].Type == A.LenInOut && ReadU32(Word(i), out uint len))
                {
                    // An in/out length: keep the entry value to show "[128 => 16]" at exit.
                    _c.Saved0 = len;
                    _c.Saved1 = 1;
                }
            }
            for (int i = 0; i < spec.Length; i++)
            {
                if (spec[i].AtExit)
                    break;
                Arg(spec[i], i);
            }
            return true;
        }
        return CustomEntry(EffectiveId(info));
    }

    private void DecodeExit(SyscallInfo info)
    {
        var spec = SpecFor(info);
        if (spec is not null)
        {
            for (int i = _c.Arguments.Count; i < spec.Length; i++)
                Arg(spec[i], i);
            return;
        }
        CustomExit(EffectiveId(info));
    }

    private ArgSpec[]? SpecFor(SyscallInfo info)
    {
        var id = EffectiveId(info);
        if (id == SyscallId.Unknown && _c.DecoderState is ulong[] v)
            return (int)v[6] == 9 ? SyscallSpecs.Send : SyscallSpecs.Recv;
        return SyscallSpecs.For(id, _c.Abi);
    }

    /// <summary>The call's id, or for an i386 socketcall the id of the call it multiplexes
    /// (Unknown for send and recv, which have no system call of their own).</summary>
    private SyscallId EffectiveId(SyscallInfo? info)
    {
        if (info is null)
            return SyscallId.Unknown;
        if (info.Id == SyscallId.Ipc && _c.DecoderState is ulong[] w)
            return IpcSubcall(w[6]);
        if (info.Id != SyscallId.Socketcall || _c.DecoderState is not ulong[] v)
            return info.Id;
        return (int)v[6] switch
        {
            1 => SyscallId.Socket, 2 => SyscallId.Bind, 3 => SyscallId.Connect, 4 => SyscallId.Listen,
            5 => SyscallId.Accept, 6 => SyscallId.Getsockname, 7 => SyscallId.Getpeername, 8 => SyscallId.Socketpair,
            11 => SyscallId.Sendto, 12 => SyscallId.Recvfrom, 13 => SyscallId.Shutdown, 14 => SyscallId.Setsockopt,
            15 => SyscallId.Getsockopt, 16 => SyscallId.Sendmsg, 17 => SyscallId.Recvmsg, 18 => SyscallId.Accept4,
            19 => SyscallId.Recvmmsg, 20 => SyscallId.Sendmmsg, _ => SyscallId.Unknown,
        };
    }

    private static readonly string[] SocketcallNames =
        ["", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername", "socketpair", "send", "recv",
         "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg"];

    private static readonly byte[] SocketcallArgs = [0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4];

    /// <summary>i386 socketcall(call, args): the arguments live in tracee memory; strace shows the
    /// call it stands for ("socket(AF_INET, …)"), and so do we.</summary>
    private void SocketcallEntry()
    {
        uint call = (uint)_c.Args[0];
        if (call == 0 || call >= SocketcallNames.Length)
            return;
        int n = SocketcallArgs[call];
        Span<byte> b = stackalloc byte[24];
        if (!Read((uint)_c.Args[1], b[..(4 * n)]))
            return;
        var v = new ulong[7];
        for (int k = 0; k < n; k++)
            v[k] = U32(b, 4 * k);
        v[6] = call;
        _c.DecoderState = v;
        _c.Name = SocketcallNames[call];
    }

    /// <summary>Decodes register <paramref name="i"/> as <paramref name="s"/> says and appends it.</summary>
    private void Arg(in ArgSpec s, int i)
    {
        ulong w = Word(i);
        switch (s.Type)
        {
            case A.Int: AddInt(s.Name, Int(i)); break;
            case A.UInt: AddUInt(s.Name, (uint)w); break;
            case A.Long: AddInt(s.Name, SWord(i)); break;
            case A.ULong: AddUInt(s.Name, w); break;
            case A.Hex: AddHex(s.Name, w); break;
            case A.Ptr: AddPtr(s.Name, w); break;
            case A.Fd: AddFd(s.Name, Int(i)); break;
            case A.DirFd: AddDirFd(s.Name, Int(i)); break;
            case A.Path: AddCString(s.Name, w, path: true); break;
            case A.Str: AddCString(s.Name, w, path: false); break;
            case A.Mode: AddOctal(s.Name, (uint)w); break;
            case A.Flags: AddFlags(s.Name, (uint)w, s.X!); break;
            case A.FlagsL: AddFlags(s.Name, w, s.X!); break;
            case A.Value: AddValue(s.Name, (uint)w, s.X!); break;
            case A.ValueHex: AddValue(s.Name, (uint)w, s.X!, hexUnknown: true); break;
            case A.Signal: AddSignal(s.Name, (uint)w); break;
            case A.KeySerial: KeySerial(s.Name, Int(i)); break;
            case A.Id: AddId(s.Name, w); break;
            case A.Off: AddInt(s.Name, SWord(i)); break;
            case A.BufIn: AddBuffer(s.Name, w, (long)Word(s.Aux)); break;
            case A.SockoptIn:
                // An int-sized option value prints as "[1]", anything else as bytes.
                if (Word(s.Aux) == 4 && IntAt(w))
                    Add(s.Name, ArgKind.Struct, (long)w);
                else
                {
                    _t.Clear();
                    AddBuffer(s.Name, w, (long)Word(s.Aux));
                }
                break;
            case A.BufOut:
                if (Failed)
                    AddPtr(s.Name, w);
                else
                    AddBuffer(s.Name, w, Ret);
                break;
            case A.BufOutHex:
                if (Failed)
                    AddPtr(s.Name, w);
                else
                {
                    var b = BufferHex(w, Ret);
                    Add(s.Name, b is null ? ArgKind.Pointer : ArgKind.String, (long)w, b);
                }
                break;
            case A.PathOut:
                if (Failed)
                    AddPtr(s.Name, w);
                else
                    AddCString(s.Name, w, path: true);
                break;
            case A.LinkOut:
                if (Failed)
                    AddPtr(s.Name, w);
                else
                {
                    // readlink's result is not NUL-terminated: its length is the return value (cut at -s like data).
                    var b = Buffer(w, Ret);
                    Add(s.Name, b is null ? ArgKind.Pointer : ArgKind.String, (long)w, b);
                }
                break;
            case A.StatxFlags:
                // The sync type is a value in bits 13-14, always printed; the AT_* flags follow.
                Value((uint)w & 0x6000, Xlat.StatxSync, hexUnknown: true);
                if (((uint)w & ~0x6000u) != 0)
                {
                    _t.Add('|');
                    Flags((uint)w & ~0x6000u, Xlat.AtFlagsStatx);
                }
                Add(s.Name, ArgKind.Flags, (uint)w);
                break;
            case A.SockType:
                Value((uint)w & 0xf, Xlat.SocketTypes);
                if (((uint)w & ~0xfu) != 0)
                {
                    _t.Add('|');
                    Flags((uint)w & ~0xfu, Xlat.SocketTypeFlags);
                }
                Add(s.Name, ArgKind.Flags, (uint)w);
                break;
            case A.SockProto:
            {
                int family = Int(0);
                var table = family switch { 2 or 10 => Xlat.IpProtocols, 16 => Xlat.NetlinkProtocols, _ => null };
                if (table is null)
                    _t.UDec((uint)w);
                else
                    Value((uint)w, table);
                Add(s.Name, ArgKind.Flags, (uint)w);
                break;
            }
            default:
                StructArg(s, i, w);
                break;
        }
    }

    private byte[]? BufferHex(ulong addr, long len)
    {
        var saved = _o.Hex;
        int n = (int)Math.Min(Math.Max(len, 0), _o.StringLimit);
        var s = Scratch(n);
        if (addr == 0 || (n > 0 && _mem.Read(addr, s) < n))
        {
            Ptr(addr);
            return null;
        }
        StraceQuote.Append(_t, s, HexStrings.All);
        if (len > n)
            _t.Add("...");
        _ = saved;
        return s.ToArray();
    }
}
