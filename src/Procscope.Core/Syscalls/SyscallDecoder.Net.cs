using System.Buffers.Binary;

namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>An iovec array: iov_base shown as data (at exit, only the bytes the call moved: <paramref name="total"/>).</summary>
    private bool IovecAt(ulong p, int count, long total)
    {
        if (count < 0)
            return false;
        int w = PtrSize;
        int shown = Math.Min(count, _o.Verbose ? 1024 : _o.StringLimit);
        _t.Add('[');
        Span<byte> e = stackalloc byte[16];
        for (int k = 0; k < shown; k++)
        {
            if (!Read(p + (ulong)(k * 2 * w), e[..(2 * w)]))
            {
                if (k == 0)
                    return false;
                _t.Add(", ...");
                break;
            }
            ulong bas = UL(e, 0);
            ulong len = UL(e, w);
            if (k > 0)
                _t.Add(", ");
            _t.Add("{iov_base=");
            long n = (long)Math.Min(len, (ulong)Math.Max(total, 0));
            Buffer(bas, n);
            if (total != long.MaxValue)
                total -= n;
            _t.Add(", iov_len=");
            _t.UDec(len);
            _t.Add('}');
        }
        if (shown < count)
            _t.Add(", ...");
        _t.Add(']');
        return true;
    }

    private bool SaOut(ulong p, ulong lenPtr)
    {
        if (Failed)
        {
            Ptr(p);
            return true;
        }
        if (lenPtr == 0 || !ReadU32(lenPtr, out uint len))
            return false;
        return SockaddrAt(p, (int)Math.Min(len, 128u));
    }

    private bool SockaddrAt(ulong p, int len)
    {
        if (len < 2 || len > 4096)
            return false;
        Span<byte> b = stackalloc byte[128];
        int n = Math.Min(len, 128);
        if (!Read(p, b[..n]))
            return false;
        Sockaddr(b[..n]);
        return true;
    }

    private void Sockaddr(ReadOnlySpan<byte> b)
    {
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(b);
        _t.Add("{sa_family=");
        Value(family, Xlat.AddressFamilies);
        switch (family)
        {
            case 1 when b.Length > 2: // AF_UNIX
            {
                _t.Add(", sun_path=");
                var path = b[2..];
                if (path[0] == 0)
                {
                    _t.Add('@');
                    StraceQuote.Append(_t, path[1..], _o.Hex);
                }
                else
                {
                    int nul = path.IndexOf((byte)0);
                    StraceQuote.Append(_t, nul < 0 ? path : path[..nul], _o.Hex);
                }
                break;
            }
            case 2 when b.Length >= 8: // AF_INET
                _t.Add(", sin_port=htons(");
                _t.UDec(BinaryPrimitives.ReadUInt16BigEndian(b[2..]));
                _t.Add("), sin_addr=inet_addr(\"");
                Ipv4(b.Slice(4, 4));
                _t.Add("\")");
                break;
            case 10 when b.Length >= 24: // AF_INET6
                _t.Add(", sin6_port=htons(");
                _t.UDec(BinaryPrimitives.ReadUInt16BigEndian(b[2..]));
                _t.Add("), sin6_flowinfo=htonl(");
                _t.UDec(BinaryPrimitives.ReadUInt32BigEndian(b[4..]));
                _t.Add("), inet_pton(AF_INET6, \"");
                _t.Add(new System.Net.IPAddress(b.Slice(8, 16)).ToString());
                _t.Add("\", &sin6_addr)");
                if (b.Length >= 28)
                {
                    _t.Add(", sin6_scope_id=");
                    _t.UDec(BinaryPrimitives.ReadUInt32LittleEndian(b[24..]));
                }
                break;
            case 16 when b.Length >= 12: // AF_NETLINK
                _t.Add(", nl_pid=");
                _t.UDec(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
                _t.Add(", nl_groups=");
                Span<char> g = stackalloc char[8];
                BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).TryFormat(g, out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
                _t.Add(g);
                break;
            default:
                if (b.Length > 2)
                {
                    _t.Add(", sa_data=");
                    StraceQuote.Append(_t, b[2..], _o.Hex);
                }
                break;
        }
        _t.Add('}');
    }

    private void Ipv4(ReadOnlySpan<byte> a)
    {
        for (int k = 0; k < 4; k++)
        {
            if (k > 0)
                _t.Add('.');
            _t.UDec(a[k]);
        }
    }

    /// <summary>struct msghdr (x86_64 56 bytes, i386 28): name, iov, control, flags.</summary>
    private bool MsghdrAt(ulong p, long total)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[56];
        int size = 7 * w;
        if (!Read(p, b[..size]))
            return false;
        ulong name = UL(b, 0);
        uint namelen = U32(b, w);
        ulong iov = UL(b, 2 * w);
        ulong iovlen = UL(b, 3 * w);
        ulong control = UL(b, 4 * w);
        ulong controllen = UL(b, 5 * w);
        uint flags = U32(b, 6 * w);
        _t.Add("{msg_name=");
        if (name == 0 || namelen == 0)
            Ptr(name);
        else if (!SockaddrAt(name, (int)Math.Min(namelen, 128u)))
            _t.Hex(name);
        _t.Add(", msg_namelen=");
        _t.UDec(namelen);
        _t.Add(", msg_iov=");
        if (iov == 0 || !IovecAt(iov, (int)Math.Min(iovlen, 1024UL), total))
            Ptr(iov);
        _t.Add(", msg_iovlen=");
        _t.UDec(iovlen);
        if (controllen != 0)
        {
            _t.Add(", msg_control=");
            if (!CmsgAt(control, (int)Math.Min(controllen, 4096UL)))
                Ptr(control);
        }
        _t.Add(", msg_controllen=");
        _t.UDec(controllen);
        _t.Add(", msg_flags=");
        Flags(flags, Xlat.MsgFlags);
        _t.Add('}');
        return true;
    }

    private bool CmsgAt(ulong p, int len)
    {
        var b = Scratch(len);
        if (!Read(p, b))
            return false;
        int w = PtrSize;
        int hdr = w + 8;
        _t.Add('[');
        int off = 0;
        bool first = true;
        while (off + hdr <= len)
        {
            ulong clen = UL(b, off);
            int level = S32(b, off + w);
            int type = S32(b, off + w + 4);
            if (clen < (ulong)hdr || clen > (ulong)(len - off))
                break;
            if (!first)
                _t.Add(", ");
            first = false;
            _t.Add("{cmsg_len=");
            _t.UDec(clen);
            _t.Add(", cmsg_level=");
            Value((uint)level, Xlat.SocketLevels);
            _t.Add(", cmsg_type=");
            var data = b.Slice(off + hdr, (int)clen - hdr);
            if (level == 1 && type == 1) // SCM_RIGHTS
            {
                _t.Add("SCM_RIGHTS, cmsg_data=[");
                for (int k = 0; k + 4 <= data.Length; k += 4)
                {
                    if (k > 0)
                        _t.Add(", ");
                    Fd(S32(data, k));
                }
                _t.Add(']');
            }
            else if (level == 1 && type == 2 && data.Length >= 12) // SCM_CREDENTIALS
            {
                _t.Add("SCM_CREDENTIALS, cmsg_data={pid=");
                _t.Dec(S32(data, 0));
                _t.Add(", uid=");
                _t.UDec(U32(data, 4));
                _t.Add(", gid=");
                _t.UDec(U32(data, 8));
                _t.Add('}');
            }
            else
            {
                _t.Hex((uint)type);
                _t.Add(", cmsg_data=");
                StraceQuote.Append(_t, data[..Math.Min(data.Length, _o.StringLimit)], _o.Hex);
                if (data.Length > _o.StringLimit)
                    _t.Add("...");
            }
            _t.Add('}');
            off += (int)((clen + (ulong)w - 1) & ~((ulong)w - 1));
        }
        _t.Add(']');
        return true;
    }

    /// <summary>struct epoll_event: packed on x86_64 (12 bytes), the same on i386.</summary>
    private bool EpollEventsAt(ulong p, int count, bool array)
    {
        if (count < 0)
            return false;
        int shown = Math.Min(count, _o.Verbose ? 4096 : _o.StringLimit);
        var b = Scratch(12 * Math.Max(shown, 1));
        if (!Read(p, b[..(12 * shown)]))
            return false;
        if (array)
            _t.Add('[');
        for (int k = 0; k < shown; k++)
        {
            if (k > 0)
                _t.Add(", ");
            _t.Add("{events=");
            Flags(U32(b, 12 * k), Xlat.EpollEvents);
            ulong data = U64(b, 12 * k + 4);
            _t.Add(", data={u32=");
            _t.UDec((uint)data);
            _t.Add(", u64=");
            _t.UDec(data);
            _t.Add("}}");
        }
        if (shown < count)
            _t.Add(", ...");
        if (array)
            _t.Add(']');
        return true;
    }

    private bool SockoptName(int i)
    {
        int level = Int(i - 1);
        uint name = (uint)Word(i);
        var table = level switch
        {
            1 => Xlat.SocketOptions,
            6 => Xlat.TcpOptions,
            0 => Xlat.IpOptions,
            41 => Xlat.Ipv6Options,
            _ => null,
        };
        if (table is null)
            _t.UDec(name);
        else
            Value(name, table);
        return true;
    }

    /// <summary>getsockopt's value: "[1]" for an int-sized option, else the bytes.</summary>
    private bool SockoptValueAt(ulong p, int i)
    {
        ulong lenPtr = Word(i + 1);
        if (!ReadU32(lenPtr, out uint len))
            return false;
        if (len == 4)
            return IntAt(p);
        var b = Buffer(p, len);
        return b is not null;
    }
}
