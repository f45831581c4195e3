using System.Text;
using Procscope.Core.LibraryCalls;

namespace Procscope.Core.Tests.LibraryCalls;

/// <summary>A call frame over a fake address space: integer registers, xmm values and a few memory blocks.</summary>
internal sealed class FakeFrame(ulong[] ints, double[]? doubles = null) : ICallFrame
{
    private readonly Dictionary<ulong, byte[]> _memory = new();

    public FakeFrame With(ulong address, string text)
    {
        _memory[address] = Encoding.UTF8.GetBytes(text + "\0");
        return this;
    }

    public FakeFrame WithBytes(ulong address, byte[] bytes)
    {
        _memory[address] = bytes;
        return this;
    }

    public ulong Integer(int index) => index < ints.Length ? ints[index] : 0;
    public double? Double(int index) => doubles is not null && index < doubles.Length ? doubles[index] : null;

    public int Read(ulong address, Span<byte> destination)
    {
        foreach (var (start, bytes) in _memory)
            if (address >= start && address < start + (ulong)bytes.Length)
            {
                var src = bytes.AsSpan((int)(address - start));
                int n = Math.Min(src.Length, destination.Length);
                src[..n].CopyTo(destination);
                return n;
            }
        return 0;
    }
}

public sealed class CallFormatterTests
{
    private static readonly FormatOptions Opts = new();
    private static CallPrototype P(string name) => LibcPrototypes.Table.Find(name) ?? throw new InvalidOperationException(name);

    [Fact]
    public void Table_HasAtLeast150Functions()
    {
        Assert.True(LibcPrototypes.Table.Count >= 150, $"{LibcPrototypes.Table.Count}");
        Assert.Equal([CallValueType.String, CallValueType.String], P("strcmp").Arguments);
        Assert.Equal(FailureMode.MinusOne, P("open").Failure);
    }

    [Fact]
    public void Malloc_SizeAndPointer()
    {
        var f = new FakeFrame([16]);
        Assert.Equal("16", CallFormatter.FormatEntry(P("malloc"), f, Opts).Joined);
        Assert.Equal("0x55d0c2a4f2a0", CallFormatter.FormatReturn(P("malloc"), 0x55d0c2a4f2a0, null, f, Opts, null));
        Assert.Equal("nil ENOMEM (Cannot allocate memory)", CallFormatter.FormatReturn(P("malloc"), 0, null, f, Opts, 12));
    }

    [Fact]
    public void Strlen_QuotedString()
    {
        var f = new FakeFrame([0x1000]).With(0x1000, "hello");
        Assert.Equal("\"hello\"", CallFormatter.FormatEntry(P("strlen"), f, Opts).Joined);
        Assert.Equal("5", CallFormatter.FormatReturn(P("strlen"), 5, null, f, Opts, null));
    }

    [Fact]
    public void Free_VoidReturn()
    {
        var f = new FakeFrame([0x55d0c2a4f2a0]);
        Assert.Equal("0x55d0c2a4f2a0", CallFormatter.FormatEntry(P("free"), f, Opts).Joined);
        Assert.Equal("<void>", CallFormatter.FormatReturn(P("free"), 0, null, f, Opts, null));
    }

    [Fact]
    public void Printf_DecodesVariadicArgumentsFromTheFormat()
    {
        // printf("%s %d %c %ld %x %5.2f|%p%%\n", "abc", -3, 'x', 12345678901, 255, 3.5, NULL)
        var f = new FakeFrame([0x1000, 0x2000, unchecked((ulong)-3), 'x', 12345678901, 255, 0], [3.5])
            .With(0x1000, "%s %d %c %ld %x %5.2f|%p%%\n").With(0x2000, "abc");
        Assert.Equal("\"%s %d %c %ld %x %5.2f|%p%%\\n\", \"abc\", -3, 'x', 12345678901, 0xff, 3.500000, nil",
            CallFormatter.FormatEntry(P("printf"), f, Opts).Joined);
    }

    [Fact]
    public void Snprintf_OutStringReadAtReturn()
    {
        var f = new FakeFrame([0x3000, 64, 0x1000, 255]).With(0x1000, "%x").With(0x3000, "garbage");
        var call = CallFormatter.FormatEntry(P("snprintf"), f, Opts);
        Assert.Equal("0x3000, 64, \"%x\", 0xff", call.Joined);
        f.With(0x3000, "ff");
        call.Complete(f, Opts);
        Assert.Equal("\"ff\", 64, \"%x\", 0xff", call.Joined);
    }

    [Fact]
    public void String_LongerThanLimit_IsCutWithDots()
    {
        var f = new FakeFrame([0x1000]).With(0x1000, "a very long string that exceeds thirty-two characters");
        Assert.Equal("\"a very long string that exceeds \"...", CallFormatter.FormatEntry(P("puts"), f, Opts).Joined);
        Assert.Equal("\"a very\"...", CallFormatter.FormatEntry(P("puts"), f, new FormatOptions(6)).Joined);
    }

    [Fact]
    public void String_HostileBytes_AreEscaped()
    {
        var f = new FakeFrame([0x1000]).WithBytes(0x1000, [0x1b, (byte)'[', (byte)'2', (byte)'J', (byte)'"', (byte)'\t', 0xff, 0]);
        Assert.Equal("\"\\033[2J\\\"\\t\\377\"", CallFormatter.FormatEntry(P("strlen"), f, Opts).Joined);
    }

    [Fact]
    public void NullAndUnreadablePointers()
    {
        var f = new FakeFrame([0, 0xdead0000]);
        Assert.Equal("nil", CallFormatter.FormatEntry(P("getenv"), f, Opts).Joined);
        Assert.Equal("nil", CallFormatter.FormatReturn(P("getenv"), 0, null, f, Opts, null));
        Assert.Equal("0xdead0000", CallFormatter.ReadString(f, 0xdead0000, 32));
    }

    [Fact]
    public void Open_FailureShowsErrno_OctalMode()
    {
        var f = new FakeFrame([0x1000, 0x241, 420]).With(0x1000, "/nonexistent");
        Assert.Equal("\"/nonexistent\", 577, 0644", CallFormatter.FormatEntry(P("open"), f, Opts).Joined);
        Assert.Equal("-1 ENOENT (No such file or directory)", CallFormatter.FormatReturn(P("open"), 0xffffffff, null, f, Opts, 2));
        Assert.Equal("3", CallFormatter.FormatReturn(P("open"), 3, null, f, Opts, 2));
    }

    [Fact]
    public void Unknown_SmallDecimalLargeHex()
    {
        var f = new FakeFrame([10, 0x7fcc91999760, 8, 0]);
        Assert.Equal("10, 0x7fcc91999760, 8, 0", CallFormatter.FormatEntry(CallPrototype.Unknown("putc"), f, Opts).Joined);
    }

    [Theory]
    [InlineData("%d %s", new[] { PrintfArg.Int, PrintfArg.String })]
    [InlineData("%*.*lu%%%zx%lld%hhd%c%Lf%n", new[] { PrintfArg.Star, PrintfArg.Star, PrintfArg.ULong, PrintfArg.HexLong, PrintfArg.Long, PrintfArg.Int, PrintfArg.Char, PrintfArg.LongDouble, PrintfArg.Pointer })]
    [InlineData("100%", new PrintfArg[0])]
    public void PrintfFormat_Conversions(string format, PrintfArg[] expected)
    {
        Assert.Equal(expected, PrintfFormat.Conversions(Encoding.ASCII.GetBytes(format)));
    }

    [Fact]
    public void PrototypeTable_RejectsMalformedLines()
    {
        Assert.Throws<FormatException>(() => PrototypeTable.Parse("int f(banana);"));
        Assert.Throws<FormatException>(() => PrototypeTable.Parse("int f(int)"));
        Assert.Throws<FormatException>(() => PrototypeTable.Parse("int f(int); !maybe"));
    }
}
