using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

public sealed class GenericDecodeTests
{
    private static readonly FakeMemory None = new();

    [Fact]
    public void UnknownNumber_PrintsSixRegistersInHex()
    {
        // strace 6.1 on Debian 12: syscall(1000, 1, 2, 3, 4, 5, 6)
        var c = Call(SyscallAbi.X64, 1000, -38, 1, 2, 3, 4, 5, 6);
        Assert.Equal("syscall_0x3e8(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)", Line(c, None));
        Assert.Null(c.Info);
        Assert.Equal(38, c.Errno);
        Assert.Equal(6, c.EntryArgumentCount);
    }

    [Fact]
    public void ErrnoText_NamesAndMessages()
    {
        Assert.Equal("-1 ENOENT (No such file or directory)", SyscallDecoder.ErrnoText(2));
        Assert.Equal("-1 EAGAIN (Resource temporarily unavailable)", SyscallDecoder.ErrnoText(11));
        Assert.Equal("-1 EOPNOTSUPP (Operation not supported)", SyscallDecoder.ErrnoText(95));
        Assert.Equal("? ERESTARTSYS (To be restarted if SA_RESTART is set)", SyscallDecoder.ErrnoText(512));
        Assert.Equal("? ERESTARTNOINTR (To be restarted)", SyscallDecoder.ErrnoText(513));
        Assert.Equal("? ERESTARTNOHAND (To be restarted if no handler)", SyscallDecoder.ErrnoText(514));
        Assert.Equal("? ERESTART_RESTARTBLOCK (Interrupted by signal)", SyscallDecoder.ErrnoText(516));
        Assert.Equal("-1 ENOTSUPP (Unknown error 524)", SyscallDecoder.ErrnoText(524));
    }

    [Fact]
    public void ErrorReturn_SetsErrno()
    {
        var c = Call(SyscallAbi.X64, 1000, -2);
        Line(c, None);
        Assert.Equal(2, c.Errno);
        Assert.Equal("-1 ENOENT (No such file or directory)", c.ReturnText);
    }

    [Fact]
    public void I386Return_IsSignExtendedFrom32Bits()
    {
        // A 32-bit tracee's -ENOENT arrives as 0xfffffffe in the 64-bit register.
        var c = Call(SyscallAbi.I386, 1000, 0xfffffffe);
        Line(c, None);
        Assert.Equal(2, c.Errno);
    }
}

public sealed class RestartSyscallTests
{
    [Fact]
    public void RestartSyscall_NamesTheInterruptedCall()
    {
        // strace 6.1: a SIGSTOP/SIGCONT in the middle of nanosleep
        var c = Trace.Call(SyscallAbi.X64, 219, 0);
        c.InterruptedName = "clock_nanosleep";
        Assert.Equal("restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0", Trace.Line(c, new FakeMemory()));
        var d = Trace.Call(SyscallAbi.X64, 219, 0);
        Assert.Equal("restart_syscall(<... resuming ...>) = 0", Trace.Line(d, new FakeMemory()));
    }
}

public sealed class GenericReturnTests
{
    [Fact]
    public void UndecodedCall_HexArgumentsDecimalReturn()
    {
        // strace 6.1 has no decoder for tuxcall either: registers in hex, return in decimal.
        Assert.Equal("tuxcall(0x1, 0, 0) = 5000", Trace.X64("tuxcall", 5000, new FakeMemory(), 1));
        Assert.Equal("syscall_0x3e8(0, 0, 0, 0, 0, 0) = 7", Trace.Line(Trace.Call(SyscallAbi.X64, 1000, 7), new FakeMemory()));
    }
}
