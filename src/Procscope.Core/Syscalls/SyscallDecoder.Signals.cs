namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>A sigset: "[INT CHLD]", or "~[RTMIN RT_1]" when more than half the signals are set
    /// (strace prints the shorter form).</summary>
    private bool SigsetAt(ulong p, int bytes)
    {
        if (bytes <= 0)
            return false;
        Span<byte> b = stackalloc byte[128];
        if (!Read(p, b[..bytes]))
            return false;
        Sigset(b[..bytes]);
        return true;
    }

    /// <summary>rt_sigreturn's and i386 sigreturn's argument as strace shows it, "{mask=[HUP]}": the
    /// signal mask saved in the frame the handler returns through, found from the stack pointer.
    /// rt_sigreturn: the handler's ret popped the return address, so the stack pointer is at the
    /// x86_64 frame's ucontext (uc_sigmask at 296 = 8 + 8 + sizeof(stack_t) 24 + sizeof(struct
    /// sigcontext) 256), or at the i386 frame's sig, with pinfo, puc and the 128-byte siginfo before
    /// the ucontext (uc_sigmask at 140 + 4 + 4 + 12 + 88 = 248). i386 sigreturn: the restorer also
    /// popped sig, so the stack pointer is at struct sigcontext_32; the mask's low word is its
    /// oldmask (at 80), the high word the extramask after the 624-byte fpstate (at 712).
    /// An unreadable frame prints nothing.</summary>
    private void SignalFrameMask(bool rt)
    {
        ulong sp = _c.StackPointer;
        if (sp == 0)
            return;
        bool i386 = _c.Abi == SyscallAbi.I386;
        if (i386)
            sp &= 0xffffffff;
        Span<byte> mask = stackalloc byte[8];
        if (rt)
        {
            if (!Read(i386 ? sp + 248 : sp + 296, mask))
                return;
        }
        else if (!i386 || !Read(sp + 80, mask[..4]) || !Read(sp + 712, mask[4..]))
            return;
        _t.Add("{mask=");
        Sigset(mask);
        _t.Add('}');
        Add("frame", ArgKind.Struct);
    }

    private void Sigset(ReadOnlySpan<byte> b)
    {
        int nsig = Math.Min(b.Length * 8, 64);
        int set = 0;
        for (int k = 0; k < nsig; k++)
            if ((b[k >> 3] & (1 << (k & 7))) != 0)
                set++;
        bool invert = set * 2 > nsig;
        if (invert)
            _t.Add('~');
        _t.Add('[');
        bool first = true;
        for (int k = 0; k < nsig; k++)
        {
            bool bit = (b[k >> 3] & (1 << (k & 7))) != 0;
            if (bit == invert)
                continue;
            if (!first)
                _t.Add(' ');
            first = false;
            var name = SignalFormatter.Name(k + 1);
            if (name is not null)
                _t.Add(name.AsSpan(3));
            else
                _t.Dec(k + 1);
        }
        _t.Add(']');
    }

    /// <summary>The kernel's struct sigaction for rt_sigaction: handler, flags, restorer, mask (words of the ABI).</summary>
    private bool SigactionAt(ulong p)
    {
        int w = PtrSize;
        Span<byte> b = stackalloc byte[32];
        if (!Read(p, b[..(3 * w + 8)]))
            return false;
        ulong handler = UL(b, 0);
        ulong flags = UL(b, w);
        ulong restorer = UL(b, 2 * w);
        _t.Add("{sa_handler=");
        if (handler == 0)
            _t.Add("SIG_DFL");
        else if (handler == 1)
            _t.Add("SIG_IGN");
        else
            _t.Hex(handler);
        _t.Add(", sa_mask=");
        Sigset(b.Slice(3 * w, 8));
        _t.Add(", sa_flags=");
        Flags(flags, Xlat.SigactionFlags);
        if ((flags & 0x04000000) != 0)
        {
            _t.Add(", sa_restorer=");
            _t.Hex(restorer);
        }
        _t.Add('}');
        return true;
    }

    private bool SiginfoAt(ulong p)
    {
        Span<byte> b = stackalloc byte[128];
        if (!Read(p, b))
            return false;
        SignalFormatter.AppendSiginfo(_t, b, I386);
        return true;
    }
}
