using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessIoTests
{
    [Fact]
    public void Parse_ProgramThatWroteFiles_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/io of a C program that wrote 20 kB of files
        var io = ProcessIo.Parse(
            "rchar: 6106\n"u8 +
            "wchar: 2126\n"u8 +
            "syscr: 14\n"u8 +
            "syscw: 3\n"u8 +
            "read_bytes: 0\n"u8 +
            "write_bytes: 20480\n"u8 +
            "cancelled_write_bytes: 0\n"u8);

        Assert.Equal(6106ul, io.RChar);
        Assert.Equal(2126ul, io.WChar);
        Assert.Equal(14ul, io.SyscR);
        Assert.Equal(3ul, io.SyscW);
        Assert.Equal(0ul, io.ReadBytes);
        Assert.Equal(20480ul, io.WriteBytes);
        Assert.Equal(0ul, io.CancelledWriteBytes);
    }

    [Fact]
    public void Parse_KernelThread_AllZero()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/io (kthreadd); a zombie's reads the same
        var io = ProcessIo.Parse(
            "rchar: 0\n"u8 +
            "wchar: 0\n"u8 +
            "syscr: 0\n"u8 +
            "syscw: 0\n"u8 +
            "read_bytes: 0\n"u8 +
            "write_bytes: 0\n"u8 +
            "cancelled_write_bytes: 0\n"u8);

        Assert.Equal(new ProcessIo(0, 0, 0, 0, 0, 0, 0), io);
    }

    [Fact]
    public void Parse_KeysInAnyOrderAndUnknownKeys_ReadsByKey()
    {
        // synthetic: order shuffled, an unknown key added, maximum values
        var io = ProcessIo.Parse(
            "cancelled_write_bytes: 7\n"u8 +
            "write_bytes: 6\n"u8 +
            "future_key: 99\n"u8 +
            "read_bytes: 5\n"u8 +
            "syscw: 4\n"u8 +
            "syscr: 3\n"u8 +
            "wchar: 2\n"u8 +
            "rchar: 18446744073709551615\n"u8);

        Assert.Equal(new ProcessIo(ulong.MaxValue, 2, 3, 4, 5, 6, 7), io);
    }

    [Fact]
    public void Parse_MissingKey_Throws()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessIo.Parse("rchar: 1\nwchar: 2\n"u8));

        Assert.Equal("/proc/[pid]/io", ex.File);
        Assert.Contains("syscr", ex.Message);
    }

    [Fact]
    public void Parse_NegativeValue_ThrowsAtValue()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessIo.Parse("rchar: -1\n"u8));

        Assert.Equal(7, ex.Offset);
    }
}
