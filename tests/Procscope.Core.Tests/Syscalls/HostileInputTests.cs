using Procscope.Core.Syscalls;

namespace Procscope.Core.Tests.Syscalls;

public sealed class HostileInputTests
{
    /// <summary>Memory full of random bytes at every address (lengths, counts and pointers inside
    /// structures are garbage), as a hostile or racing tracee can make it.</summary>
    private sealed class RandomMemory(int seed) : ITraceeMemory
    {
        public int Read(ulong address, Span<byte> destination)
        {
            if ((address & 0xfff) == 0x123)
                return 0; // some addresses are unmapped
            ulong x = address * 0x9E3779B97F4A7C15UL ^ (ulong)seed;
            for (int i = 0; i < destination.Length; i++)
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                destination[i] = (byte)x;
            }
            return destination.Length;
        }
    }

    [Fact]
    public void EveryCall_RandomRegistersAndMemory_NeverThrows_AndPrintsOnlyAscii()
    {
        var rng = new Random(6);
        foreach (var abi in new[] { SyscallAbi.X64, SyscallAbi.I386 })
        {
            for (long nr = -1; nr <= SyscallTable.MaxNumber(abi) + 1; nr++)
            {
                for (int round = 0; round < 6; round++)
                {
                    var opts = new DecodeOptions { StringLimit = round % 3 == 0 ? 0 : 32, Verbose = round % 2 == 0, Hex = (HexStrings)(round % 3) };
                    var d = new SyscallDecoder(opts);
                    var c = new SyscallCall { Pid = 1, Abi = abi, Number = nr };
                    for (int i = 0; i < 6; i++)
                        c.Args[i] = round switch
                        {
                            0 => 0,
                            1 => ulong.MaxValue,
                            2 => (ulong)rng.Next(0, 70),
                            _ => (ulong)rng.NextInt64() >> rng.Next(0, 40),
                        };
                    var mem = new RandomMemory(round * 7919 + (int)nr);
                    d.OnEntry(c, mem);
                    c.ReturnValue = round switch { 0 => 0, 1 => -4095, 2 => rng.Next(-600, 5000), _ => rng.NextInt64() };
                    d.OnExit(c, mem);
                    Assert.False(string.IsNullOrEmpty(c.Name));
                    Assert.InRange(c.EntryArgumentCount, 0, c.Arguments.Count);
                    foreach (var a in c.Arguments)
                        foreach (char ch in a.Text)
                            Assert.True(ch >= 0x20 && ch < 0x7f, $"{c.Name}: control or non-ASCII char in {a.Name}");
                    foreach (char ch in c.ReturnText)
                        Assert.True(ch >= 0x20 && ch < 0x7f, $"{c.Name}: control char in return");
                }
            }
        }
    }
}
