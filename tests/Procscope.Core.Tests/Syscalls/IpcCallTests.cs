using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// SysV IPC as strace 6.1 prints it on Debian 12 (tests/tracees/trace-ipc.c sysv, 64-bit and -m32,
// where glibc goes through the i386 ipc() multiplexer).
public sealed class IpcCallTests
{
    private const ulong P = 0x7fff5d086b30;
    private const ulong Q = 0xffc44e00;

    private static byte[] ShmidDs64() => new Bytes()
        .U32(0).U32(0).U32(0).U32(0).U32(0).U32(0x180).U16(0).U16(0).Zero(4).U64(0).U64(0) // ipc64_perm (48)
        .U64(4096).U64(1795661887).U64(0).U64(1795661887).I32(11152).I32(11152).U64(1).U64(0).U64(0).Build();

    [Fact]
    public void Get_KeysFlagsAndModes()
    {
        var m = new FakeMemory();
        Assert.Equal("shmget(IPC_PRIVATE, 4096, IPC_CREAT|IPC_EXCL|0600) = 1474603", X64("shmget", 1474603, m, 0, 4096, 0x780));
        Assert.Equal("shmget(0x1234abcd, 4096, 000) = -1 ENOENT (No such file or directory)", X64("shmget", -2, m, 0x1234abcd, 4096, 0));
        Assert.Equal("shmget(IPC_PRIVATE, 4096, IPC_CREAT|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0600) = -1 ENOMEM (Cannot allocate memory)",
            X64("shmget", -12, m, 0, 4096, 0x200 | 0x800 | (21UL << 26) | 0x180));
        Assert.Equal("semget(IPC_PRIVATE, 2, IPC_CREAT|0640) = 0", X64("semget", 0, m, 0, 2, 0x3a0));
        Assert.Equal("msgget(0x42, 000) = -1 ENOENT (No such file or directory)", X64("msgget", -2, m, 0x42, 0));
    }

    [Fact]
    public void Shm_AttachStatAndCommands()
    {
        var m = new FakeMemory().Put(P, ShmidDs64());
        Assert.Equal("shmat(1474603, NULL, SHM_RDONLY) = 0x7f4aa4621000", X64("shmat", 0x7f4aa4621000, m, 1474603, 0, 0x1000));
        Assert.Equal("shmctl(1474603, IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=11152, shm_lpid=11152, shm_nattch=1, shm_atime=1795661887, shm_dtime=0, shm_ctime=1795661887}) = 0",
            X64("shmctl", 0, m, 1474603, 2, P));
        Assert.Equal("shmctl(1474603, IPC_64|IPC_STAT, 0x7fff5d086b30) = -1 EINVAL (Invalid argument)", X64("shmctl", -22, m, 1474603, 0x102, P));
        Assert.Equal("shmctl(1474603, IPC_SET, {shm_perm={uid=0, gid=0, mode=0600}}) = 0", X64("shmctl", 0, m, 1474603, 1, P));
        Assert.Equal("shmctl(1474603, 0x63 /* SHM_??? */, NULL) = -1 EINVAL (Invalid argument)", X64("shmctl", -22, m, 1474603, 99, 0));
        Assert.Equal("shmctl(1474603, IPC_STAT, 0x8) = -1 EFAULT (Bad address)", X64("shmctl", -14, m, 1474603, 2, 8));
        Assert.Equal("shmdt(0x7f4aa4621000) = 0", X64("shmdt", 0, m, 0x7f4aa4621000));
        var info = new FakeMemory().Put(P, new Bytes().U64(0xffffffffffffff).U64(1).U64(4096).U64(4096).U64(0xffffffffffffff).Zero(32).Build());
        Assert.Equal("shmctl(0, IPC_INFO, {shmmax=72057594037927935, shmmin=1, shmmni=4096, shmseg=4096, shmall=72057594037927935}) = 46",
            X64("shmctl", 46, info, 0, 3, P));
    }

    [Fact]
    public void Sem_ArraysAndUnionArgument()
    {
        var ops = new Bytes().U16(0).U16(1).U16(0).U16(1).U16(1).U16(0x1800).Build();
        var m = new FakeMemory().Put(P, ops).Put(P + 0x100, new Bytes().I64(0).I64(1000).Build());
        Assert.Equal("semtimedop(0, [{sem_num=0, sem_op=1, sem_flg=0}, {sem_num=1, sem_op=1, sem_flg=SEM_UNDO|IPC_NOWAIT}], 2, NULL) = 0",
            X64("semtimedop", 0, m, 0, P, 2, 0));
        Assert.Equal("semtimedop(0, [{sem_num=0, sem_op=1, sem_flg=0}], 1, {tv_sec=0, tv_nsec=1000}) = 0", X64("semtimedop", 0, m, 0, P, 1, P + 0x100));
        Assert.Equal("semop(77, [], 0) = -1 EINVAL (Invalid argument)", X64("semop", -22, m, 77, P, 0));
        Assert.Equal("semop(77, [{sem_num=0, sem_op=-1, sem_flg=0x4000 /* SEM_??? */}], 1) = -1 EINVAL (Invalid argument)",
            X64("semop", -22, new FakeMemory().Put(P, new Bytes().U16(0).U16(0xffff).U16(0x4000).Build()), 77, P, 1));
        Assert.Equal("semtimedop(0, 0x10, 1, NULL) = -1 EFAULT (Bad address)", X64("semtimedop", -14, m, 0, 0x10, 1, 0));
        Assert.Equal("semctl(0, 0, SETVAL, 0x5) = 0", X64("semctl", 0, m, 0, 0, 16, 5));
        Assert.Equal("semctl(0, 0, GETVAL, NULL) = 5", X64("semctl", 5, m, 0, 0, 12, 0));
        Assert.Equal("semctl(0, 0, GETALL, 0x7fff5d086a9c) = 0", X64("semctl", 0, m, 0, 0, 13, 0x7fff5d086a9c));
        var ds = new Bytes().U32(0).U32(0).U32(0).U32(0).U32(0).U32(0x1a0).Zero(24).U64(1795661887).U64(0).U64(1795661887).U64(0).U64(2).Zero(16).Build();
        Assert.Equal("semctl(0, 0, IPC_STAT, {sem_perm={uid=0, gid=0, mode=0640, key=0, cuid=0, cgid=0}, sem_otime=1795661887, sem_ctime=1795661887, sem_nsems=2}) = 0",
            X64("semctl", 0, new FakeMemory().Put(P, ds), 0, 0, 2, P));
    }

    [Fact]
    public void Msg_BuffersAndStat()
    {
        var m = new FakeMemory().Put(P, new Bytes().I64(7).Str("hello").Zero(11).Build());
        Assert.Equal("msgsnd(0, {mtype=7, mtext=\"hello\\0\"}, 6, IPC_NOWAIT) = 0", X64("msgsnd", 0, m, 0, P, 6, 0x800));
        Assert.Equal("msgrcv(0, {mtype=7, mtext=\"hello\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16, 0, MSG_NOERROR|IPC_NOWAIT) = 6",
            X64("msgrcv", 6, m, 0, P, 16, 0, 0x1800));
        Assert.Equal("msgrcv(0, 0x7fff5d086b30, 16, 3, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)", X64("msgrcv", -42, m, 0, P, 16, 3, 0x800));
        var ds = new Bytes().U32(0).U32(0).U32(0).U32(0).U32(0).U32(0x180).Zero(24)
            .U64(1795661887).U64(1795661888).U64(1795661889).U64(0).U64(0).U64(16384).I32(11152).I32(11153).Zero(16).Build();
        var q = new FakeMemory().Put(P, ds);
        Assert.Equal("msgctl(0, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, msg_stime=1795661887, msg_rtime=1795661888, msg_ctime=1795661889, msg_qnum=0, msg_qbytes=16384, msg_lspid=11152, msg_lrpid=11153}) = 0",
            X64("msgctl", 0, q, 0, 2, P));
        Assert.Equal("msgctl(0, IPC_SET, {msg_perm={uid=0, gid=0, mode=0600}, msg_qbytes=16384}) = 0", X64("msgctl", 0, q, 0, 1, P));
        Assert.Equal("msgctl(0, IPC_RMID, NULL) = 0", X64("msgctl", 0, q, 0, 0, 0));
    }

    [Fact]
    public void I386_IpcMultiplexer_ShowsTheSubcall()
    {
        // ipc(call, first, second, third, ptr, fifth) from glibc's i386 SysV wrappers.
        var m = new FakeMemory()
            .Put(Q, new Bytes().U32(0xf7ec6000).Build())               // shmat's result slot
            .Put(Q + 0x10, new Bytes().U32(5).Build())                 // semctl's union semun
            .Put(Q + 0x20, new Bytes().U32((uint)(Q + 0x40)).I32(0).Build())   // msgrcv's {msgp, msgtyp}
            .Put(Q + 0x40, new Bytes().I32(7).Str("hello").Zero(11).Build());
        Assert.Equal("shmget(IPC_PRIVATE, 4096, IPC_CREAT|IPC_EXCL|0600) = 1474604", I386("ipc", 1474604, m, 23, 0, 4096, 0x780, 0, 0xf7ef1ff4));
        Assert.Equal("shmat(1474604, NULL, SHM_RDONLY) = 0xf7ec6000", I386("ipc", 0, m, 21, 1474604, 0x1000, Q, 0, 0xf7ef1ff4));
        Assert.Equal("shmdt(0xf7ec6000) = 0", I386("ipc", 0, m, 22, 0, 0, 0, 0xf7ec6000, 0));
        Assert.Equal("shmctl(1474604, IPC_64|IPC_RMID, NULL) = 0", I386("ipc", 0, m, 24, 1474604, 0x100, 0, 0, 0));
        Assert.Equal("semtimedop(1, [{sem_num=0, sem_op=1, sem_flg=0}], 1, NULL) = 0",
            I386("ipc", 0, new FakeMemory().Put(Q, new Bytes().U16(0).U16(1).U16(0).Build()), 4, 1, 1, 0, Q, 0));
        Assert.Equal("semctl(1, 0, IPC_64|SETVAL, [0x5]) = 0", I386("ipc", 0, m, 3, 1, 0, 0x110, Q + 0x10, 5));
        Assert.Equal("semctl(1, 0, IPC_64|GETVAL, [NULL]) = 5", I386("ipc", 5, new FakeMemory().Put(Q, new byte[4]), 3, 1, 0, 0x10c, Q, 0));
        Assert.Equal("msgsnd(1, {mtype=7, mtext=\"hello\\0\"}, 6, IPC_NOWAIT) = 0", I386("ipc", 0, m, 11, 1, 6, 0x800, Q + 0x40, 0));
        Assert.Equal("msgrcv(1, {mtype=7, mtext=\"hello\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16, 0, MSG_NOERROR|IPC_NOWAIT) = 6",
            I386("ipc", 6, m, 12, 1, 16, 0x1800, Q + 0x20, 0));
        // A failed msgrcv shows the two-word block's address and no type, as strace does.
        Assert.Equal("msgrcv(1, 0xffc44e20, 16, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)", I386("ipc", -42, m, 12, 1, 16, 0x800, Q + 0x20, 0));
        Assert.Equal("ipc(5, 0x1, 0x2, 0x3, 0x4, 0x5) = -1 ENOSYS (Function not implemented)", I386("ipc", -38, m, 5, 1, 2, 3, 4, 5));
        Assert.Equal("ipc(1<<16|5, 0x1, 0x2, 0x3, 0x4, 0x5) = -1 ENOSYS (Function not implemented)", I386("ipc", -38, m, 0x10005, 1, 2, 3, 4, 5));
    }

    [Fact]
    public void I386_StatLayouts()
    {
        // msqid64_ds (88 bytes) and the 36-byte ipc64_perm with its 16-bit mode.
        var ds = new Bytes().U32(0).U32(0).U32(0).U32(0).U32(0).U16(0x180).U16(0).Zero(12)
            .U32(1795661887).U32(0).U32(1795661888).U32(0).U32(1795661889).U32(0).U32(0).U32(0).U32(16384).I32(11157).I32(11158).Zero(8).Build();
        Assert.Equal(88, ds.Length);
        Assert.Equal("msgctl(1, IPC_64|IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, msg_stime=1795661887, msg_rtime=1795661888, msg_ctime=1795661889, msg_qnum=0, msg_qbytes=16384, msg_lspid=11157, msg_lrpid=11158}) = 0",
            I386("ipc", 0, new FakeMemory().Put(Q, ds), 14, 1, 0x102, 0, Q, 0));
        var shm = new Bytes().U32(0).U32(0).U32(0).U32(0).U32(0).U16(0x180).U16(0).Zero(12)
            .U32(4096).U32(1795661887).U32(0).U32(0).U32(0).U32(1795661887).U32(0).I32(11157).I32(11157).U32(1).Zero(8).Build();
        Assert.Equal(84, shm.Length);
        Assert.Equal("shmctl(1474604, IPC_64|IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=11157, shm_lpid=11157, shm_nattch=1, shm_atime=1795661887, shm_dtime=0, shm_ctime=1795661887}) = 0",
            I386("ipc", 0, new FakeMemory().Put(Q, shm), 24, 1474604, 0x102, 0, Q, 0));
    }

    [Fact]
    public void HostileLengths_AreBounded()
    {
        // nsops far beyond the readable bytes: the array stops at -s elements, no hang.
        var one = new FakeMemory().Put(P, new Bytes().U16(0).U16(1).U16(0).Build());
        Assert.Equal("semop(1, [{sem_num=0, sem_op=1, sem_flg=0}, ...], 4294967295) = -1 E2BIG (Argument list too long)",
            X64("semop", -7, one, 1, P, 0xffffffff));
        // A message size of 4 GiB reads at most -s bytes of text.
        var msg = new FakeMemory().Put(P, new Bytes().I64(1).Str(new string('x', 40)).Build());
        Assert.Equal("msgsnd(1, {mtype=1, mtext=\"" + new string('x', 32) + "\"...}, 4294967296, 0) = -1 EINVAL (Invalid argument)",
            X64("msgsnd", -22, msg, 1, P, 0x100000000, 0));
    }
}
