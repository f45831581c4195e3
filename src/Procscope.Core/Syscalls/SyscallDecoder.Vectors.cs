namespace Procscope.Core.Syscalls;

/// <summary>sendmmsg/recvmmsg (mmsghdr vectors), capget/capset, sched_setattr/sched_getattr and
/// perf_event_open, as strace 6.1 prints them.</summary>
public sealed partial class SyscallDecoder
{
    private bool VectorEntry(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.Sendmmsg:
            case SyscallId.Recvmmsg or SyscallId.RecvmmsgTime64:
                AddFd("sockfd", Int(0));
                if (id != SyscallId.Sendmmsg)
                    SaveTimeout(Word(4));
                return true;
            case SyscallId.Capget:
                CapHeader();
                return true;
            case SyscallId.Capset:
                CapHeader();
                CapData(readable: true);
                return true;
            case SyscallId.SchedSetattr:
                AddInt("pid", Int(0));
                AddStructOrPtr("attr", Word(1), SchedAttrAt(Word(1), 0));
                return true;
            case SyscallId.SchedGetattr:
                AddInt("pid", Int(0));
                return true;
            case SyscallId.PerfEventOpen:
                if (!PerfAttrFetch(Word(0)))
                {
                    AddPtr("attr", Word(0));
                    PerfRest();
                }
                return true;
            default:
                return false;
        }
    }

    private bool VectorExit(SyscallId id)
    {
        switch (id)
        {
            case SyscallId.Sendmmsg:
                // The vector prints at exit (the kernel fills msg_len), also when the call failed.
                AddStructOrPtr("msgvec", Word(1), MmsgVecAt(Word(1), (uint)Word(2), Failed ? 0 : (uint)Ret, useLen: false));
                AddUInt("vlen", (uint)Word(2));
                AddFlags("flags", (uint)Word(3), Xlat.MsgFlags, dflt: "MSG_???");
                return true;
            case SyscallId.Recvmmsg or SyscallId.RecvmmsgTime64:
                AddStructOrPtr("msgvec", Word(1), !Failed && MmsgVecAt(Word(1), (uint)Ret, (uint)Ret, useLen: true));
                AddUInt("vlen", (uint)Word(2));
                AddFlags("flags", (uint)Word(3), Xlat.MsgFlags, dflt: "MSG_???");
                SavedTimeout("timeout", Word(4));
                return true;
            case SyscallId.Capget:
                CapData(readable: !Failed);
                return true;
            case SyscallId.SchedGetattr:
                uint size = (uint)Word(2);
                if (size == 0 || Failed)
                    AddPtr("attr", Word(1));
                else
                    AddStructOrPtr("attr", Word(1), SchedAttrAt(Word(1), size));
                AddUInt("size", size);
                AddUInt("flags", (uint)Word(3));
                return true;
            case SyscallId.SchedSetattr:
                AddUInt("flags", (uint)Word(2));
                return true;
            case SyscallId.PerfEventOpen:
                if (_c.Arguments.Count == 0 && _c.DecoderState is byte[] attr)
                {
                    PerfAttr(attr);
                    Add("attr", ArgKind.Struct, (long)Word(0));
                    PerfRest();
                }
                return true;
            default:
                return false;
        }
    }

    // ---- sendmmsg / recvmmsg ------------------------------------------------------------------

    /// <summary>struct mmsghdr[]: {msg_hdr={…}, msg_len=N}, msg_len only for the first
    /// <paramref name="withLen"/> entries (those the call handled); recvmmsg's data is cut at msg_len.</summary>
    private bool MmsgVecAt(ulong p, uint count, uint withLen, bool useLen)
    {
        if (p == 0)
            return false;
        int size = I386 ? 32 : 64;
        int hdr = I386 ? 28 : 56;
        int shown = (int)Math.Min(count, (uint)(_o.Verbose ? 1024 : _o.StringLimit));
        _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            ulong e = p + (ulong)(k * size);
            if (!ReadU32(e + (ulong)hdr, out uint len))
            {
                if (k == 0)
                    return false;
                _t.Add(", ...");
                break;
            }
            if (k > 0)
                _t.Add(", ");
            _t.Add("{msg_hdr=");
            int mark = _t.Length;
            if (!MsghdrAt(e, useLen ? len : long.MaxValue))
            {
                _t.Truncate(mark);
                _t.Hex(e);
            }
            if ((uint)k < withLen)
            {
                _t.Add(", msg_len=");
                _t.UDec(len);
            }
            _t.Add('}');
        }
        if ((uint)shown < count)
            _t.Add(", ...");
        _t.Add(']');
        return true;
    }

    /// <summary>recvmmsg's timeout as it was at entry (the kernel rewrites it with the time left).</summary>
    private void SaveTimeout(ulong p)
    {
        Span<byte> b = stackalloc byte[16];
        if (p == 0 || !Read(p, b[..TimespecSize]))
            return;
        _c.Saved0 = BitConverter.ToUInt64(b[..8]);
        _c.Saved1 = BitConverter.ToUInt64(b[8..]);
        _c.Saved2 = 1;
    }

    private void SavedTimeout(string name, ulong p)
    {
        if (_c.Saved2 != 1)
        {
            AddPtr(name, p);
            return;
        }
        Span<byte> b = stackalloc byte[16];
        BitConverter.TryWriteBytes(b[..8], _c.Saved0);
        BitConverter.TryWriteBytes(b[8..], _c.Saved1);
        Timespec(b);
        Add(name, ArgKind.Struct, (long)p);
    }

    /// <summary>recvmmsg's return: "0 (Timeout)" or "2 (left {tv_sec=0, tv_nsec=…})".</summary>
    private bool RecvmmsgReturn(long rv)
    {
        _t.Dec(rv);
        if (rv == 0)
            _t.Add(" (Timeout)");
        else if (Word(4) != 0)
        {
            _t.Add(" (left ");
            if (!TimespecAt(Word(4)))
                _t.Hex(Word(4));
            _t.Add(')');
        }
        return true;
    }

    // ---- capget / capset ----------------------------------------------------------------------

    private const uint CapV1 = 0x19980330;

    private void CapHeader()
    {
        ulong p = Word(0);
        Span<byte> b = stackalloc byte[8];
        if (!Read(p, b))
        {
            AddPtr("hdrp", p);
            return;
        }
        _c.Saved0 = U32(b, 0);
        _c.Saved1 = 1;
        _t.Add("{version=");
        Value(U32(b, 0), Xlat.CapVersions, hexUnknown: true, dflt: "_LINUX_CAPABILITY_VERSION_???");
        _t.Add(", pid=");
        _t.Dec(S32(b, 4));
        _t.Add('}');
        Add("hdrp", ArgKind.Struct, (long)p);
    }

    /// <summary>{effective=1&lt;&lt;CAP_CHOWN|…, permitted=…, inheritable=…}: two 32-bit words per set
    /// for versions 2 and 3, one for version 1.</summary>
    private void CapData(bool readable)
    {
        ulong p = Word(1);
        if (!readable || _c.Saved1 != 1 || p == 0)
        {
            AddPtr("datap", p);
            return;
        }
        int n = _c.Saved0 is 0x20071026 or 0x20080522 ? 2 : 1;
        Span<byte> b = stackalloc byte[24];
        if (!Read(p, b[..(12 * n)]))
        {
            AddPtr("datap", p);
            return;
        }
        string[] names = ["{effective=", ", permitted=", ", inheritable="];
        for (int k = 0; k < 3; k++)
        {
            _t.Add(names[k]);
            CapBits(U32(b, 4 * k), n > 1 ? U32(b, 12 + 4 * k) : 0);
        }
        _t.Add('}');
        Add("datap", ArgKind.Struct, (long)p);
    }

    private void CapBits(uint lo, uint hi)
    {
        if (lo != 0 || hi == 0)
            CapWord(lo, 0);
        if (hi != 0)
        {
            if (lo != 0)
                _t.Add('|');
            CapWord(hi, 32);
        }
    }

    private void CapWord(uint v, int base_)
    {
        if (v == 0)
        {
            _t.Add('0');
            return;
        }
        bool first = true;
        uint unknown = 0;
        for (int bit = 0; bit < 32; bit++)
        {
            if ((v & (1u << bit)) == 0)
                continue;
            var name = Xlat.Capabilities.Name((ulong)(base_ + bit));
            if (name is null)
            {
                unknown |= 1u << bit;
                continue;
            }
            if (!first)
                _t.Add('|');
            _t.Add("1<<");
            _t.Add(name);
            first = false;
        }
        if (unknown != 0)
        {
            if (!first)
                _t.Add('|');
            _t.Hex(unknown);
            if (first)
                _t.Add(" /* CAP_??? */");
        }
    }

    // ---- sched_setattr / sched_getattr --------------------------------------------------------

    /// <summary>struct sched_attr (56 bytes; 48 before the utilization clamps). <paramref name="usize"/>
    /// is sched_getattr's size (0 for sched_setattr, whose size field is read first).</summary>
    private bool SchedAttrAt(ulong p, uint usize)
    {
        Span<byte> b = stackalloc byte[56];
        uint size;
        bool set = usize == 0;
        if (!set)
        {
            int want = (int)Math.Min(usize, 56u);
            if (!Read(p, b[..want]))
                return false;
            size = U32(b, 0);
        }
        else
        {
            if (!ReadU32(p, out uint field))
                return false;
            usize = field == 0 ? 48 : field; // SCHED_ATTR_MIN_SIZE
            size = Math.Min(usize, 56u);
            if (size >= 48 && !Read(p, b[..(int)size]))
                return false;
            BitConverter.TryWriteBytes(b[..4], field);
        }
        _t.Add("{size=");
        _t.UDec(U32(b, 0));
        if (size >= 48)
        {
            uint policy = U32(b, 4);
            ulong flags = BitConverter.ToUInt64(b[8..16]);
            if (!set || (int)policy < 0 || (flags & 0x18) == 0)
            {
                _t.Add(", sched_policy=");
                Value(policy, Xlat.SchedPolicies, hexUnknown: true, dflt: "SCHED_???");
            }
            _t.Add(", sched_flags=");
            Flags(flags, Xlat.SchedAttrFlags, dflt: "SCHED_FLAG_???");
            if (!set || (flags & 0x10) == 0)
            {
                _t.Add(", sched_nice=");
                _t.Dec(S32(b, 16));
                Field(", sched_priority=", U32(b, 20));
                Field(", sched_runtime=", BitConverter.ToUInt64(b[24..32]));
                Field(", sched_deadline=", BitConverter.ToUInt64(b[32..40]));
                Field(", sched_period=", BitConverter.ToUInt64(b[40..48]));
            }
            if (size >= 56)
            {
                Field(", sched_util_min=", U32(b, 48));
                Field(", sched_util_max=", U32(b, 52));
            }
        }
        if ((set ? usize : U32(b, 0)) > size)
            _t.Add(", ...");
        _t.Add('}');
        return true;
    }

    // ---- perf_event_open ----------------------------------------------------------------------

    /// <summary>perf_event_attr up to wakeup_events (the part strace shows without -v), read at
    /// entry; the call prints at exit. False when strace would show the address.</summary>
    private bool PerfAttrFetch(ulong p)
    {
        if (!ReadU32(p + 4, out uint size))
            return false;
        if (size == 0)
            size = 64; // PERF_ATTR_SIZE_VER0
        if (size < 64)
            return false;
        var b = new byte[48];
        if (!Read(p, b))
            return false;
        _c.DecoderState = b;
        return true;
    }

    /// <summary>perf_event_attr's flag bits and precise_ip comments, built on first use.</summary>
    private static class PerfLabels
    {
        public static readonly string[] PerfBits =
        [
            "disabled", "inherit", "pinned", "exclusive", "exclude_user", "exclude_kernel", "exclude_hv", "exclude_idle",
            "mmap", "comm", "freq", "inherit_stat", "enable_on_exec", "task", "watermark", "", "", "mmap_data",
            "sample_id_all", "exclude_host", "exclude_guest", "exclude_callchain_kernel", "exclude_callchain_user", "mmap2",
            "comm_exec", "use_clockid", "context_switch", "write_backward", "namespaces", "ksymbol", "bpf_event",
            "aux_output", "cgroup", "text_poke", "build_id", "inherit_thread", "remove_on_exec", "sigtrap",
        ];

        public static readonly string[] PreciseIp = ["arbitrary skid", "constant skid", "requested to have 0 skid", "must have 0 skid"];
    }

    private void PerfAttr(ReadOnlySpan<byte> b)
    {
        uint type = U32(b, 0);
        uint size = U32(b, 4);
        ulong config = U64(b, 8);
        ulong bits = U64(b, 40);
        _t.Add("{type=");
        Value(type, Xlat.PerfTypes, hexUnknown: true, dflt: "PERF_TYPE_???");
        _t.Add(", size=");
        Value(size, Xlat.PerfAttrSizes, hexUnknown: true, dflt: "PERF_ATTR_SIZE_???");
        _t.Add(", config=");
        switch (type)
        {
            case 0: // PERF_TYPE_HARDWARE
                if (config >> 32 != 0)
                {
                    _t.Hex(config >> 32);
                    _t.Add("<<32|");
                }
                Value(config & 0xffffffff, Xlat.PerfHwIds, hexUnknown: true, dflt: "PERF_COUNT_HW_???");
                break;
            case 1: // PERF_TYPE_SOFTWARE
                Value(config, Xlat.PerfSwIds, hexUnknown: true, dflt: "PERF_COUNT_SW_???");
                break;
            case 2: // PERF_TYPE_TRACEPOINT
                _t.UDec(config);
                break;
            default:
                _t.Hex(config);
                break;
        }
        _t.Add((bits & (1UL << 10)) != 0 ? ", sample_freq=" : ", sample_period=");
        _t.UDec(U64(b, 16));
        _t.Add(", sample_type=");
        Flags(U64(b, 24), Xlat.PerfSampleType, dflt: "PERF_SAMPLE_???");
        _t.Add(", read_format=");
        Flags(U64(b, 32), Xlat.PerfReadFormat, dflt: "PERF_FORMAT_???");
        for (int bit = 0; bit < PerfLabels.PerfBits.Length; bit++)
        {
            if (bit == 15)
            {
                uint ip = (uint)(bits >> 15) & 3;
                _t.Add(", precise_ip=");
                _t.UDec(ip);
                _t.Add(" /* ");
                _t.Add(PerfLabels.PreciseIp[ip]);
                _t.Add(" */");
                bit++;
                continue;
            }
            if ((bits & (1UL << bit)) == 0)
                continue;
            _t.Add(", ");
            _t.Add(PerfLabels.PerfBits[bit]);
            _t.Add("=1");
        }
        if (bits >> 38 != 0)
        {
            _t.Add(", __reserved_1=");
            _t.Hex(bits >> 38);
            _t.Add(" /* Bits 63..38 */");
        }
        _t.Add(", ...}");
    }

    private void PerfRest()
    {
        AddInt("pid", Int(1));
        AddInt("cpu", Int(2));
        AddFd("group_fd", Int(3));
        AddFlags("flags", Word(4), Xlat.PerfFlags, dflt: "PERF_FLAG_???");
    }
}
