using Procscope.Core.Parsing;

namespace Procscope.Core.Tests.Parsing;

public sealed class KeyValueReaderTests
{
    [Fact]
    public void MoveNext_Lines_GivesKeyRawValueAndOffset()
    {
        var r = new KeyValueReader("Name:\t a b\n\nrchar: 12\nlast:x"u8, "f");

        Assert.True(r.MoveNext());
        Assert.Equal("Name", System.Text.Encoding.ASCII.GetString(r.Key));
        Assert.Equal("\t a b", System.Text.Encoding.ASCII.GetString(r.Value));
        Assert.Equal("a b", System.Text.Encoding.ASCII.GetString(r.TrimmedValue));
        Assert.Equal(5, r.ValueOffset);
        Assert.True(r.MoveNext()); // the empty line is skipped
        Assert.Equal("rchar", System.Text.Encoding.ASCII.GetString(r.Key));
        Assert.Equal(12ul, r.ParseUInt64());
        Assert.True(r.MoveNext());
        Assert.Equal("last", System.Text.Encoding.ASCII.GetString(r.Key));
        Assert.Equal("x", System.Text.Encoding.ASCII.GetString(r.Value));
        Assert.False(r.MoveNext());
    }

    [Fact]
    public void MoveNext_ValueContainsColons_SplitsOnFirstColon()
    {
        var r = new KeyValueReader("a:b:c\n"u8, "f");

        Assert.True(r.MoveNext());
        Assert.Equal("b:c", System.Text.Encoding.ASCII.GetString(r.Value));
    }

    [Fact]
    public void MoveNext_StartOffset_SkipsHeader()
    {
        var content = "header 00:00\nk: 1\n"u8;
        var r = new KeyValueReader(content, "f", content.IndexOf((byte)'\n') + 1);

        Assert.True(r.MoveNext());
        Assert.Equal(1, r.ParseInt32());
    }

    [Fact]
    public void MoveNext_LineWithoutColonOrEmptyKey_Throws()
    {
        Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader("k: 1\nnope\n"u8, "f"); r.MoveNext(); r.MoveNext(); });
        Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader(": 1\n"u8, "f"); r.MoveNext(); });
    }

    [Fact]
    public void ParseKiBAsBytes_Sizes_MultipliesBy1024()
    {
        var r = new KeyValueReader("VmRSS:\t    1752 kB\nZero:  0 kB\n"u8, "f");

        r.MoveNext();
        Assert.Equal(1752L * 1024, r.ParseKiBAsBytes());
        r.MoveNext();
        Assert.Equal(0, r.ParseKiBAsBytes());
    }

    [Fact]
    public void ParseKiBAsBytes_NegativeOrOverflowing_Throws()
    {
        Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader("a: -1 kB\n"u8, "f"); r.MoveNext(); r.ParseKiBAsBytes(); });
        Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader("a: 9007199254740992 kB\n"u8, "f"); r.MoveNext(); r.ParseKiBAsBytes(); });
    }

    [Fact]
    public void ParseOctal_Umask_ReadsOctal()
    {
        var r = new KeyValueReader("Umask:\t0755\n"u8, "f");

        r.MoveNext();
        Assert.Equal(0x1EDu, r.ParseOctal());
    }

    [Fact]
    public void ParseHex_MixedCase_ReadsHex()
    {
        var r = new KeyValueReader("a:\tFFff0000000000A1\n"u8, "f");

        r.MoveNext();
        Assert.Equal(0xFFFF0000000000A1ul, r.ParseHex());
    }

    [Fact]
    public void ParseHex_MoreThan64Bits_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader("a:\t1ffffffffffffffff\n"u8, "f"); r.MoveNext(); r.ParseHex(); });

        Assert.Equal(3, ex.Offset);
    }

    [Fact]
    public void ParseLists_TabsAndSpaces_ReadsEveryValue()
    {
        var r = new KeyValueReader("Uid:\t1\t2\t3\t4294967295\nNSpid:\t-1 2 \nGroups:\t \n"u8, "f");

        r.MoveNext();
        Assert.Equal([1u, 2u, 3u, uint.MaxValue], r.ParseUInt32List());
        r.MoveNext();
        Assert.Equal([-1, 2], r.ParseInt32List());
        r.MoveNext();
        Assert.Empty(r.ParseUInt32List());
    }

    [Fact]
    public void ParseUInt32List_BadValue_ThrowsAtThatValue()
    {
        var ex = Assert.Throws<ProcFormatException>(() => { var r = new KeyValueReader("Gid:\t1\tx\n"u8, "/proc/[pid]/status"); r.MoveNext(); r.ParseUInt32List(); });

        Assert.Equal(7, ex.Offset);
        Assert.Equal("/proc/[pid]/status", ex.File);
    }
}
