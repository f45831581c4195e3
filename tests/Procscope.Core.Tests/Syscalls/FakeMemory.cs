using Procscope.Core.Syscalls;

namespace Procscope.Core.Tests.Syscalls;

/// <summary>Tracee memory made of byte-literal regions; anything else is unreadable (as an
/// unmapped page is to process_vm_readv).</summary>
internal sealed class FakeMemory : ITraceeMemory
{
    private readonly List<(ulong Address, byte[] Bytes)> _regions = new();

    public FakeMemory Put(ulong address, ReadOnlySpan<byte> bytes)
    {
        _regions.Add((address, bytes.ToArray()));
        return this;
    }

    public int Read(ulong address, Span<byte> destination)
    {
        foreach (var (a, b) in _regions)
        {
            if (address >= a && address < a + (ulong)b.Length)
            {
                int off = (int)(address - a);
                int n = Math.Min(destination.Length, b.Length - off);
                b.AsSpan(off, n).CopyTo(destination);
                return n;
            }
        }
        return 0;
    }
}

/// <summary>Runs one call through entry and exit and renders strace's line (without padding).</summary>
internal static class Trace
{
    public static SyscallCall Call(SyscallAbi abi, long nr, long ret, params ulong[] args)
    {
        var c = new SyscallCall { Pid = 42, Abi = abi, Number = nr };
        for (int i = 0; i < args.Length; i++)
            c.Args[i] = args[i];
        c.ReturnValue = ret;
        return c;
    }

    public static string Line(SyscallCall c, ITraceeMemory mem, DecodeOptions? o = null)
    {
        var d = new SyscallDecoder(o ?? new DecodeOptions());
        long ret = c.ReturnValue;
        d.OnEntry(c, mem);
        c.ReturnValue = ret;
        d.OnExit(c, mem);
        return Render(c);
    }

    public static string Render(SyscallCall c)
    {
        var parts = new string[c.Arguments.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = c.Arguments[i].Text;
        return c.Name + "(" + string.Join(", ", parts) + ") = " + c.ReturnText;
    }

    public static string X64(string name, long ret, ITraceeMemory mem, params ulong[] args)
    {
        Assert.True(SyscallTable.TryFind(SyscallAbi.X64, name, out var info), name);
        return Line(Call(SyscallAbi.X64, info.Number, ret, args), mem);
    }

    public static string X64(DecodeOptions o, string name, long ret, ITraceeMemory mem, params ulong[] args)
    {
        Assert.True(SyscallTable.TryFind(SyscallAbi.X64, name, out var info), name);
        return Line(Call(SyscallAbi.X64, info.Number, ret, args), mem, o);
    }

    public static string I386(string name, long ret, ITraceeMemory mem, params ulong[] args)
    {
        Assert.True(SyscallTable.TryFind(SyscallAbi.I386, name, out var info), name);
        return Line(Call(SyscallAbi.I386, info.Number, ret, args), mem);
    }

    public static ulong Neg(long v) => unchecked((ulong)v);
}
