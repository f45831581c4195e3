using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// Expected lines: strace 6.1 (default, -x, -xx) writing the same bytes to /dev/null on Debian 12.
public sealed class StringAndOptionTests
{
    private const ulong B = 0x7ffd4000;

    private static string Write(byte[] data, DecodeOptions? o = null)
        => X64(o ?? new DecodeOptions(), "write", data.Length, new FakeMemory().Put(B, data), 3, B, (ulong)data.Length);

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)'b', (byte)'c', 10, 9 }, "\"abc\\n\\t\"")]
    [InlineData(new byte[] { (byte)'a', 1, (byte)'b', 1, (byte)'2' }, "\"a\\1b\\0012\"")]
    [InlineData(new byte[] { 0xc3, 0xa9, (byte)'z' }, "\"\\303\\251z\"")]
    [InlineData(new byte[] { (byte)'1', 0, (byte)'2' }, "\"1\\0002\"")]
    [InlineData(new byte[] { 0x1b, (byte)'[', (byte)'3', (byte)'1', (byte)'m', (byte)'"', (byte)'\\' }, "\"\\33[31m\\\"\\\\\"")]
    [InlineData(new byte[] { 0x7f, 0x80, 0xff, (byte)' ', (byte)'~' }, "\"\\177\\200\\377 ~\"")]
    [InlineData(new byte[] { 11, 12, 13 }, "\"\\v\\f\\r\"")]
    public void Default_EscapesLikeStrace(byte[] data, string quoted)
    {
        Assert.Equal("write(3, " + quoted + ", " + data.Length + ") = " + data.Length, Write(data));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)'b', (byte)'c', 10, 9 }, "\"abc\\n\\t\"")]
    [InlineData(new byte[] { (byte)'a', 1, (byte)'b', 1, (byte)'2' }, "\"\\x61\\x01\\x62\\x01\\x32\"")]
    [InlineData(new byte[] { 0xc3, 0xa9, (byte)'z' }, "\"\\xc3\\xa9\\x7a\"")]
    [InlineData(new byte[] { 11, 12, 13 }, "\"\\v\\f\\r\"")]
    public void HexNonAscii_HexesWholeStringWhenAnyByteNeedsIt(byte[] data, string quoted)
    {
        Assert.Equal("write(3, " + quoted + ", " + data.Length + ") = " + data.Length, Write(data, new DecodeOptions { Hex = HexStrings.NonAscii }));
    }

    [Fact]
    public void HexAll_HexesEverything()
    {
        Assert.Equal("write(3, \"\\x61\\x62\\x63\\x0a\\x09\", 5) = 5", Write("abc\n\t"u8.ToArray(), new DecodeOptions { Hex = HexStrings.All }));
    }

    [Fact]
    public void StringLimit_TruncatesWithDots()
    {
        var forty = "0123456789012345678901234567890123456789"u8.ToArray();
        Assert.Equal("write(3, \"01234567890123456789012345678901\"..., 40) = 40", Write(forty));
        var exact = "0123456789012345678901234567890\u0001"u8.ToArray();
        Assert.Equal("write(3, \"0123456789012345678901234567890\\1\", 32) = 32", Write(exact));
        Assert.Equal("write(3, \"0123\"..., 40) = 40", Write(forty, new DecodeOptions { StringLimit = 4 }));
        Assert.Equal("write(3, \"\"..., 40) = 40", Write(forty, new DecodeOptions { StringLimit = 0 }));
    }

    [Fact]
    public void HostileString_NeverEmitsControlBytes()
    {
        var hostile = new byte[] { 0x1b, (byte)']', (byte)'0', (byte)';', (byte)'x', 7, (byte)'\n', 0x9b, (byte)'2', (byte)'J', 0xed, 0xa0, 0x80 };
        string line = Write(hostile, new DecodeOptions { StringLimit = 64 });
        Assert.Equal("write(3, \"\\33]0;x\\7\\n\\2332J\\355\\240\\200\", 13) = 13", line);
        foreach (char ch in line)
            Assert.True(ch >= 0x20 && ch < 0x7f, "control or non-ASCII char in output");
    }

    [Fact]
    public void UnterminatedString_AtUnreadableEnd_ShowsAddress()
    {
        // "abc" then an unmapped page: no NUL was readable, so strace prints the pointer.
        var m = new FakeMemory().Put(B, "abc"u8);
        Assert.Equal("chdir(0x7ffd4000) = -1 EFAULT (Bad address)", X64("chdir", -14, m, B));
    }

    [Fact]
    public void StringAcrossChunkBoundary_ReadsWhole()
    {
        var path = "/" + new string('d', 300) + "/f";
        var m = new FakeMemory().Put(B + 200, Bytes.CStr(path));
        Assert.Equal("unlink(\"" + path + "\") = 0", X64("unlink", 0, m, B + 200));
    }

    private sealed class Describer : IFdDescriber
    {
        public string? Describe(int pid, int fd, bool full) => (pid, fd, full) switch
        {
            (42, 3, false) => "/etc/passwd",
            (42, 3, true) => "/etc/passwd",
            (42, 4, true) => "TCP:[127.0.0.1:5000->127.0.0.1:40000]",
            (42, 4, false) => "socket:[1234]",
            (42, -100, _) => "/root",
            (42, 5, _) => "/tmp/a<b>\n",
            _ => null,
        };
    }

    [Fact]
    public void FdDecoration_Paths()
    {
        var o = new DecodeOptions { FdDecoration = 1, FdDescriber = new Describer() };
        var m = new FakeMemory().Put(B, "x"u8).Put(B + 0x100, Bytes.CStr("/etc/passwd"));
        Assert.Equal("read(3</etc/passwd>, \"x\", 1) = 1", X64(o, "read", 1, m, 3, B, 1));
        Assert.Equal("openat(AT_FDCWD</root>, \"/etc/passwd\", O_RDONLY) = 3</etc/passwd>", X64(o, "openat", 3, m, Neg(-100), B + 0x100, 0));
        Assert.Equal("write(4<socket:[1234]>, \"x\", 1) = 1", X64(o, "write", 1, m, 4, B, 1));
        Assert.Equal("close(7) = 0", X64(o, "close", 0, m, 7));
        Assert.Equal("close(5</tmp/a\\74b\\76\\n>) = 0", X64(o, "close", 0, m, 5));
        var yy = new DecodeOptions { FdDecoration = 2, FdDescriber = new Describer() };
        Assert.Equal("write(4<TCP:[127.0.0.1:5000->127.0.0.1:40000]>, \"x\", 1) = 1", X64(yy, "write", 1, m, 4, B, 1));
    }

    [Fact]
    public void JsonShape_KindsAndNumbers()
    {
        var m = new FakeMemory().Put(B, Bytes.CStr("/etc/passwd"));
        var c = Call(SyscallAbi.X64, 257, 3, unchecked((ulong)-100), B, 0x80000);
        Line(c, m);
        Assert.Equal(new[] { "dirfd", "pathname", "flags" }, c.Arguments.Select(a => a.Name).ToArray());
        Assert.Equal(ArgKind.Fd, c.Arguments[0].Kind);
        Assert.Equal(-100L, c.Arguments[0].Number);
        Assert.Equal(ArgKind.String, c.Arguments[1].Kind);
        Assert.Equal("/etc/passwd"u8.ToArray(), c.Arguments[1].Bytes);
        Assert.Equal(ArgKind.Flags, c.Arguments[2].Kind);
        Assert.Equal(0x80000L, c.Arguments[2].Number);
        Assert.Equal("O_RDONLY|O_CLOEXEC", c.Arguments[2].Text);
    }
}
