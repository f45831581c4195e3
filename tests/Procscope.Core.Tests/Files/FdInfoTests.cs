using Procscope.Core.Files;
using Procscope.Core.Parsing;

namespace Procscope.Core.Tests.Files;

public sealed class FdInfoTests
{
    [Fact]
    public void Parse_RegularFileWithWholeFileWriteLock_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — holdfds' "regular" (O_RDWR, lseek 3, F_SETLK F_WRLCK 0..EOF)
        var i = FdInfo.Parse(
            "pos:\t3\n"u8 +
            "flags:\t0100002\n"u8 +
            "mnt_id:\t27\n"u8 +
            "ino:\t11658995\n"u8 +
            "lock:\t1: POSIX  ADVISORY  WRITE 14209 fe:00:11658995 0 EOF\n"u8);
        Assert.Equal(3, i.Pos);
        Assert.Equal(0x8002u, i.Flags);
        Assert.Equal(2, i.AccessMode);
        Assert.Equal(27, i.MntId);
        Assert.Equal(11658995ul, i.Ino);
        var l = Assert.Single(i.Locks);
        Assert.Equal("POSIX", l.Class);
        Assert.Equal("ADVISORY", l.Mode);
        Assert.Equal("WRITE", l.Access);
        Assert.Equal(0, l.Start);
        Assert.Null(l.End);
        Assert.True(l.WholeFile);
        Assert.Equal('W', FileLock.LsofCharOf(i.Locks));
    }

    [Fact]
    public void Parse_PartialReadLockAndMixedLocks_LsofCharacters()
    {
        var partial = FileLock.Parse("2: FLOCK  ADVISORY  READ 99 fe:00:12 10 19"u8);
        Assert.Equal(10, partial.Start);
        Assert.Equal(19, partial.End);
        Assert.Equal('r', partial.LsofChar);
        var write = FileLock.Parse("3: POSIX  ADVISORY  WRITE 99 fe:00:12 0 EOF"u8);
        Assert.Equal('u', FileLock.LsofCharOf([partial, write]));
        Assert.Equal(' ', FileLock.LsofCharOf([]));
    }

    [Fact]
    public void Parse_EventfdAndEpoll_KindLines()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — holdfds' eventfd(7) and the epoll watching it (fd 16)
        var ev = FdInfo.Parse("pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\neventfd-count:                7\neventfd-id: 1\neventfd-semaphore: 0\n"u8);
        Assert.Equal(1, ev.EventFdId);
        Assert.Equal(2, ev.AccessMode);
        var ep = FdInfo.Parse("pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\ntfd:       16 events:       19 data:               10  pos:0 ino:40e sdev:10\ntfd:        4 events:       19 data:                4  pos:0 ino:40e sdev:10\n"u8);
        Assert.Equal([16, 4], ep.EpollTargets);
        Assert.Null(ep.EventFdId);
    }

    [Fact]
    public void Parse_ReadOnlyInotifyOnOldKernel_NoInoNoMount()
    {
        var i = FdInfo.Parse("pos:\t0\nflags:\t00\ninotify wd:1 ino:b1e6d3 sdev:fe00000 mask:100 ignored_mask:0\n"u8);
        Assert.Equal(0, i.AccessMode);
        Assert.Null(i.MntId);
        Assert.Null(i.Ino);
    }

    [Fact]
    public void Parse_BadFlags_FormatError()
    {
        Assert.Throws<ProcFormatException>(() => FdInfo.Parse("pos:\t0\nflags:\t9x\n"u8));
    }
}

public sealed class ProcLocksTests
{
    [Fact]
    public void Parse_LockedFilesByDeviceAndInode_SkipsWaiters()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/locks with holdfds' lock, plus a flock and a waiter
        var set = ProcLocks.Parse(
            "1: POSIX  ADVISORY  WRITE 31066 fe:00:11659188 0 EOF\n"u8 +
            "2: FLOCK  ADVISORY  WRITE 412 00:1a:77 0 EOF\n"u8 +
            "2: -> FLOCK  ADVISORY  WRITE 413 00:1a:78 0 EOF\n"u8);
        Assert.Equal(2, set.Count);
        Assert.Contains((254u, 0u, 11659188ul), set);
        Assert.Contains((0u, 26u, 77ul), set);
        Assert.Throws<Procscope.Core.Parsing.ProcFormatException>(() => ProcLocks.Parse("1: POSIX ADVISORY WRITE 1 zz 0 EOF\n"u8));
    }
}
