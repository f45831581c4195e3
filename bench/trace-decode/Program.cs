using System.Diagnostics;
using Procscope.Core.Syscalls;

// Decodes the calls a traced program makes most (entry and exit, as the engine does) in a loop
// and prints the cost per call. The fake memory answers like a tracee: a short buffer, a path,
// a struct stat.
int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
var mem = new Memory();
var decoder = new SyscallDecoder(new DecodeOptions());
var call = new SyscallCall { Pid = 1, Abi = SyscallAbi.X64 };
ulong[] none = [];
(string Name, long Nr, long Ret, ulong[] Args)[] cases =
[
    ("write(1, \"a\", 1)", 1, 1, [1, Memory.Data, 1]),
    ("read(0, \"a\", 1)", 0, 1, [0, Memory.Data, 1]),
    ("getppid()", 110, 1, none),
    ("openat(AT_FDCWD, path)", 257, 3, [unchecked((ulong)-100), Memory.Path, 0x80000]),
    ("openat -> ENOENT", 257, -2, [unchecked((ulong)-100), Memory.Path, 0x80000]),
    ("newfstatat(3, \"\", stat)", 262, 0, [3, Memory.Empty, Memory.Stat, 0x1000]),
    ("mmap(NULL, ...)", 9, 0x7f0000000000, [0, 8192, 3, 0x22, ulong.MaxValue, 0]),
];
Console.WriteLine($"{"call",-28} {"ns/call",8} {"bytes/call",10}");
foreach (var (name, nr, ret, a) in cases)
{
    void Once()
    {
        call.Reset();
        call.Number = nr;
        a.CopyTo(call.Args, 0);
        decoder.OnEntry(call, mem);
        call.ReturnValue = ret;
        decoder.OnExit(call, mem);
    }
    for (int i = 0; i < n / 10; i++)
        Once();
    long before = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < n; i++)
        Once();
    sw.Stop();
    long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"{name,-28} {sw.Elapsed.TotalNanoseconds / n,8:F0} {bytes / (double)n,10:F0}");
}

sealed class Memory : ITraceeMemory
{
    public const ulong Data = 0x1000, Path = 0x2000, Empty = 0x3000, Stat = 0x4000;
    private static readonly byte[] Bytes = "a"u8.ToArray();
    private static readonly byte[] PathBytes = "/usr/lib/x86_64-linux-gnu/libc.so.6\0"u8.ToArray();
    private static readonly byte[] StatBytes = BuildStat();

    private static byte[] BuildStat()
    {
        var b = new byte[144];
        BitConverter.TryWriteBytes(b.AsSpan(24), 0x81a4u);
        BitConverter.TryWriteBytes(b.AsSpan(48), 1926232L);
        return b;
    }

    public int Read(ulong address, Span<byte> destination)
    {
        ReadOnlySpan<byte> src = address switch
        {
            Data => Bytes,
            Path => PathBytes,
            Empty => "\0"u8,
            Stat => StatBytes,
            _ => default,
        };
        int k = Math.Min(src.Length, destination.Length);
        src[..k].CopyTo(destination);
        return k;
    }
}
