using System.Buffers.Binary;
using System.Text;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

/// <summary>utmp records in the x86_64 glibc layout (synthesized; the offsets are checked against utmp.h in Procscope.Linux.Tests).</summary>
public sealed class UtmpTests
{
    private static byte[] Record(short type, string user, string line = "pts/0", string host = "", int pid = 42, int time = 1764000000)
    {
        var r = new byte[Utmp.RecordSize];
        BinaryPrimitives.WriteInt16LittleEndian(r, type);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(Utmp.PidOffset), pid);
        Encoding.UTF8.GetBytes(line).CopyTo(r, Utmp.LineOffset);
        var u = Encoding.UTF8.GetBytes(user);
        u.AsSpan(0, Math.Min(32, u.Length)).CopyTo(r.AsSpan(Utmp.UserOffset));
        Encoding.UTF8.GetBytes(host).CopyTo(r, Utmp.HostOffset);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(Utmp.TimeOffset), time);
        return r;
    }

    [Fact]
    public void Parse_EveryField()
    {
        var u = Utmp.Parse(Record(7, "alice", "tty1", "example.org", 1234, 1700000000));
        Assert.Equal(new UtmpRecord(7, 1234, "tty1", "alice", "example.org", 1700000000), Assert.Single(u.Records));
    }

    [Fact]
    public void CountUsers_OnlyUserProcessWithName()
    {
        var bytes = Record(2, "reboot").Concat(Record(7, "alice")).Concat(Record(8, "bob")).Concat(Record(7, "")).Concat(Record(6, "LOGIN")).Concat(Record(7, "carol")).ToArray();
        Assert.Equal(2, Utmp.Parse(bytes).CountUsers());
    }

    [Fact]
    public void Parse_UserFillingTheField_NotNulTerminated()
    {
        var u = Utmp.Parse(Record(7, new string('x', 32)));
        Assert.Equal(new string('x', 32), u.Records[0].User);
    }

    [Fact]
    public void Parse_TrailingPartialRecord_Ignored() =>
        Assert.Single(Utmp.Parse(Record(7, "alice").Concat(new byte[100]).ToArray()).Records);

    [Fact]
    public void Parse_Empty_NoRecords() => Assert.Equal(0, Utmp.Parse([]).CountUsers());
}
