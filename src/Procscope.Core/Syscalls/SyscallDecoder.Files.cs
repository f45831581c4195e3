namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>st_mode as strace prints it: "S_IFREG|0644", with S_ISUID/S_ISGID/S_ISVTX named.</summary>
    private void Mode(uint mode)
    {
        var type = Xlat.FileTypes.Name(mode & 0xf000);
        if (type is not null)
        {
            _t.Add(type);
            _t.Add('|');
        }
        else if ((mode & 0xf000) != 0)
        {
            _t.Octal(mode & 0xf000);
            _t.Add('|');
        }
        if ((mode & 0x800) != 0)
            _t.Add("S_ISUID|");
        if ((mode & 0x400) != 0)
            _t.Add("S_ISGID|");
        if ((mode & 0x200) != 0)
            _t.Add("S_ISVTX|");
        _t.Octal(mode & 0x1ff, 3);
    }

    private void Dev(ulong dev)
    {
        // The kernel's new_encode_dev as glibc's major()/minor() split it.
        ulong major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        ulong minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        _t.Add("makedev(");
        _t.Hex(major);
        _t.Add(", ");
        _t.Hex(minor);
        _t.Add(')');
    }

    /// <summary>A time_t with strace's ISO comment (UTC: Core has no time zone; the engine may run strace's
    /// comparison under TZ=UTC).</summary>
    private void TimeComment(long sec, long nsec)
    {
        _t.Dec(sec);
        if (!_o.Verbose)
            return;
        _t.Add(" /* ");
        DateTime dt;
        try
        {
            dt = DateTime.UnixEpoch.AddSeconds(sec);
        }
        catch (ArgumentOutOfRangeException)
        {
            _t.Add("invalid");
            _t.Add(" */");
            return;
        }
        Span<char> d = stackalloc char[32];
        dt.TryFormat(d, out int n, "yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        _t.Add(d[..n]);
        if (nsec != 0)
        {
            _t.Add('.');
            nsec.TryFormat(d, out n, "D9", System.Globalization.CultureInfo.InvariantCulture);
            _t.Add(d[..n]);
        }
        _t.Add("+0000 */");
    }

    private void StatBody(ulong dev, ulong ino, uint mode, ulong nlink, uint uid, uint gid, ulong rdev, long size,
        long blksize, long blocks, long at, long atn, long mt, long mtn, long ct, long ctn)
    {
        _t.Add('{');
        if (_o.Verbose)
        {
            _t.Add("st_dev=");
            Dev(dev);
            _t.Add(", st_ino=");
            _t.UDec(ino);
            _t.Add(", st_mode=");
            Mode(mode);
            _t.Add(", st_nlink=");
            _t.UDec(nlink);
            _t.Add(", st_uid=");
            _t.UDec(uid);
            _t.Add(", st_gid=");
            _t.UDec(gid);
            _t.Add(", st_blksize=");
            _t.Dec(blksize);
            _t.Add(", st_blocks=");
            _t.Dec(blocks);
            if ((mode & 0xf000) is 0x2000 or 0x6000)
            {
                _t.Add(", st_rdev=");
                Dev(rdev);
            }
            else
            {
                _t.Add(", st_size=");
                _t.Dec(size);
            }
            _t.Add(", st_atime=");
            TimeComment(at, atn);
            _t.Add(", st_atime_nsec=");
            _t.Dec(atn);
            _t.Add(", st_mtime=");
            TimeComment(mt, mtn);
            _t.Add(", st_mtime_nsec=");
            _t.Dec(mtn);
            _t.Add(", st_ctime=");
            TimeComment(ct, ctn);
            _t.Add(", st_ctime_nsec=");
            _t.Dec(ctn);
            _t.Add('}');
            return;
        }
        _t.Add("st_mode=");
        Mode(mode);
        if ((mode & 0xf000) is 0x2000 or 0x6000)
        {
            _t.Add(", st_rdev=");
            Dev(rdev);
        }
        else
        {
            _t.Add(", st_size=");
            _t.Dec(size);
        }
        _t.Add(", ...}");
    }

    /// <summary>x86_64 struct stat (144 bytes).</summary>
    private bool StatAt(ulong p)
    {
        var b = Scratch(144);
        if (!Read(p, b))
            return false;
        StatBody(U64(b, 0), U64(b, 8), U32(b, 24), U64(b, 16), U32(b, 28), U32(b, 32), U64(b, 40), S64(b, 48),
            S64(b, 56), S64(b, 64), S64(b, 72), S64(b, 80), S64(b, 88), S64(b, 96), S64(b, 104), S64(b, 112));
        return true;
    }

    /// <summary>i386 struct stat64 (96 bytes, packed: st_ino at 88, times 32-bit).</summary>
    private bool Stat64At(ulong p)
    {
        var b = Scratch(96);
        if (!Read(p, b))
            return false;
        StatBody(U64(b, 0), U64(b, 88), U32(b, 16), U32(b, 20), U32(b, 24), U32(b, 28), U64(b, 32), S64(b, 44),
            S32(b, 52), S64(b, 56), S32(b, 64), U32(b, 68), S32(b, 72), U32(b, 76), S32(b, 80), U32(b, 84));
        return true;
    }

    /// <summary>struct statx (256 bytes, the same on both ABIs).</summary>
    private bool StatxAt(ulong p)
    {
        var b = Scratch(256);
        if (!Read(p, b))
            return false;
        uint mask = U32(b, 0);
        _t.Add("{stx_mask=");
        Flags(mask, Xlat.StatxMask);
        _t.Add(", stx_attributes=");
        Flags(U64(b, 8), Xlat.StatxAttributes);
        _t.Add(", stx_mode=");
        Mode(U16(b, 28));
        _t.Add(", stx_size=");
        _t.UDec(U64(b, 40));
        if (!_o.Verbose)
        {
            _t.Add(", ...}");
            return true;
        }
        _t.Add(", stx_blksize=");
        _t.UDec(U32(b, 4));
        _t.Add(", stx_attributes_mask=");
        Flags(U64(b, 48), Xlat.StatxAttributes);
        _t.Add(", stx_nlink=");
        _t.UDec(U32(b, 16));
        _t.Add(", stx_uid=");
        _t.UDec(U32(b, 20));
        _t.Add(", stx_gid=");
        _t.UDec(U32(b, 24));
        _t.Add(", stx_ino=");
        _t.UDec(U64(b, 32));
        _t.Add(", stx_blocks=");
        _t.UDec(U64(b, 48 + 8));
        string[] times = ["stx_atime", "stx_btime", "stx_ctime", "stx_mtime"];
        for (int k = 0; k < 4; k++)
        {
            int off = 64 + 16 * k;
            _t.Add(", ");
            _t.Add(times[k]);
            _t.Add("={tv_sec=");
            TimeComment(S64(b, off), U32(b, off + 8));
            _t.Add(", tv_nsec=");
            _t.UDec(U32(b, off + 8));
            _t.Add('}');
        }
        _t.Add(", stx_rdev_major=");
        _t.UDec(U32(b, 128));
        _t.Add(", stx_rdev_minor=");
        _t.UDec(U32(b, 132));
        _t.Add(", stx_dev_major=");
        _t.UDec(U32(b, 136));
        _t.Add(", stx_dev_minor=");
        _t.UDec(U32(b, 140));
        _t.Add('}');
        return true;
    }

    /// <summary>struct statfs (x86_64, 120 bytes) or i386 statfs64 (84 bytes).</summary>
    private bool StatfsAt(ulong p, bool is64)
    {
        bool narrow = I386 && !is64;
        int w = narrow ? 4 : 8;
        int size = I386 ? (is64 ? 84 : 64) : 120;
        var b = Scratch(size);
        if (!Read(p, b))
            return false;
        // f_type and f_bsize are words; the block/file counts are 64-bit in statfs64 (i386) and x86_64.
        int tw = I386 ? 4 : 8;
        ulong type = I386 ? U32(b, 0) : U64(b, 0);
        int o = 2 * tw;
        _t.Add("{f_type=");
        var magic = Xlat.FsMagic.Name(type);
        if (magic is not null)
            _t.Add(magic);
        else
            _t.Hex(type);
        _t.Add(", f_bsize=");
        _t.UDec(I386 ? U32(b, tw) : U64(b, tw));
        string[] counts = ["f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"];
        foreach (var c in counts)
        {
            _t.Add(", ");
            _t.Add(c);
            _t.Add('=');
            _t.UDec(w == 8 ? U64(b, o) : U32(b, o));
            o += w;
        }
        _t.Add(", f_fsid={val=[");
        _t.Hex(U32(b, o));
        _t.Add(", ");
        _t.Hex(U32(b, o + 4));
        _t.Add("]}, f_namelen=");
        o += 8;
        _t.UDec(I386 ? U32(b, o) : U64(b, o));
        _t.Add(", f_frsize=");
        _t.UDec(I386 ? U32(b, o + tw) : U64(b, o + tw));
        _t.Add(", f_flags=");
        Flags(I386 ? U32(b, o + 2 * tw) : U64(b, o + 2 * tw), Xlat.StatfsFlags);
        _t.Add('}');
        return true;
    }

    /// <summary>getdents/getdents64: strace prints "0x… /* N entries */", the entries with -v.</summary>
    private bool DirentsAt(ulong p, long len, bool is64)
    {
        if (len < 0)
            return false;
        // The kernel never returns more than the count argument; 64 KiB bounds a lying tracee.
        int n = (int)Math.Min(Math.Min(len, (long)(uint)Word(2)), 1 << 16);
        var b = Scratch(n);
        if (!Read(p, b))
            return false;
        int count = 0;
        int w = is64 ? 8 : PtrSize;
        if (!_o.Verbose)
        {
            for (int off = 0; off + 2 * w + 2 <= n;)
            {
                int reclen = U16(b, off + 2 * w);
                if (reclen == 0)
                    break;
                count++;
                off += reclen;
            }
            _t.Hex(p);
            _t.Add(" /* ");
            _t.Dec(count);
            _t.Add(count == 1 ? " entry */" : " entries */");
            return true;
        }
        _t.Add('[');
        for (int off = 0; off + 2 * w + 2 <= n;)
        {
            int reclen = U16(b, off + 2 * w);
            if (reclen == 0 || off + reclen > n)
                break;
            if (count++ > 0)
                _t.Add(", ");
            _t.Add("{d_ino=");
            _t.UDec(w == 8 ? U64(b, off) : U32(b, off));
            _t.Add(", d_off=");
            _t.Dec(w == 8 ? S64(b, off + 8) : S32(b, off + 4));
            _t.Add(", d_reclen=");
            _t.Dec(reclen);
            int nameOff = is64 ? off + 19 : off + 2 * w + 2;
            byte type = is64 ? b[off + 18] : b[off + reclen - 1];
            _t.Add(", d_type=");
            Value(type, Xlat.DirentTypes);
            _t.Add(", d_name=");
            var name = b.Slice(nameOff, off + reclen - nameOff);
            int nul = name.IndexOf((byte)0);
            StraceQuote.Append(_t, nul < 0 ? name : name[..nul], _o.Hex);
            _t.Add('}');
            off += reclen;
        }
        _t.Add(']');
        return true;
    }
}
