namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>Decodes the entry arguments; false leaves the generic hex form.</summary>
    private bool DecodeEntry(SyscallInfo info)
    {
        var spec = SyscallSpecs.For(info.Id, _c.Abi);
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
        return CustomEntry(info.Id);
    }

    private void DecodeExit(SyscallInfo info)
    {
        var spec = SyscallSpecs.For(info.Id, _c.Abi);
        if (spec is not null)
        {
            for (int i = _c.Arguments.Count; i < spec.Length; i++)
                Arg(spec[i], i);
            return;
        }
        CustomExit(info.Id);
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
