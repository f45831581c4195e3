using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// 32-bit tracees (gcc -m32) under strace 6.1 on Debian 12: registers and pointers are 32-bit, and
// the i386 structure layouts apply.
public sealed class I386CallTests
{
    private const ulong P = 0xffd0a000;

    [Fact]
    public void Execve_With32BitArgv()
    {
        var m = new FakeMemory().Put(0xffd0b000, Bytes.CStr("/tmp/tr/t2_32"))
            .Put(P, new Bytes().U32(0xffd0b100).U32(0).Build()).Put(0xffd0b100, Bytes.CStr("t2_32"))
            .Put(P + 0x100, new Bytes().U32(0xffd0b200).U32(0xffd0b200).U32(0).Build()).Put(0xffd0b200, Bytes.CStr("A=1"));
        Assert.Equal("execve(\"/tmp/tr/t2_32\", [\"t2_32\"], 0xffd0a100 /* 2 vars */) = 0", I386("execve", 0, m, 0xffd0b000, P, P + 0x100));
    }

    [Fact]
    public void OpenReadWriteExit()
    {
        var m = new FakeMemory().Put(P, Bytes.CStr("/etc/ld.so.cache")).Put(P + 0x100, "hi\n"u8);
        Assert.Equal("openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = 3", I386("openat", 3, m, 0xffffff9c, P, 0x88000));
        Assert.Equal("open(\"/etc/ld.so.cache\", O_RDONLY) = -1 ENOENT (No such file or directory)", I386("open", 0xfffffffe, m, P, 0));
        Assert.Equal("write(1, \"hi\\n\", 3) = 3", I386("write", 3, m, 1, P + 0x100, 3));
        Assert.Equal("read(3, \"hi\\n\", 512) = 3", I386("read", 3, m, 3, P + 0x100, 512));
        Assert.Equal("exit_group(0) = 0", I386("exit_group", 0, m, 0));
        Assert.Equal("exit(1) = 0", I386("exit", 0, m, 1));
    }

    [Fact]
    public void Mmap2_PageOffset_And_OldMmap()
    {
        var m = new FakeMemory().Put(P, new Bytes().U32(0).U32(4096).U32(3).U32(0x22).U32(0xffffffff).U32(0).Build());
        Assert.Equal("mmap2(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xf7f1e000",
            I386("mmap2", 0xf7f1e000, m, 0, 8192, 3, 0x22, 0xffffffff, 0));
        Assert.Equal("mmap2(0xf7c00000, 1413120, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x28000) = 0xf7c00000",
            I386("mmap2", 0xf7c00000, m, 0xf7c00000, 1413120, 5, 0x812, 3, 0x28));
        Assert.Equal("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xf7f1d000", I386("mmap", 0xf7f1d000, m, P));
        Assert.Equal("brk(NULL) = 0x5664f000", I386("brk", 0x5664f000, m, 0));
    }

    [Fact]
    public void Stat64_Layout()
    {
        // struct stat64 (96 bytes): st_dev@0, st_mode@16, st_nlink@20, st_uid@24, st_gid@28, st_rdev@32, st_size@44,
        // st_blksize@52, st_blocks@56, times@64.., st_ino@88
        var st = new Bytes().U64(0xfe00).U32(0).U32(837).U32(0x81a4).U32(1).U32(0).U32(0).U64(0).U32(0).I64(526)
            .I32(4096).I64(8).I32(1750775953).U32(0).I32(1750775953).U32(0).I32(1750775953).U32(0).U64(837).Build();
        Assert.Equal(96, st.Length);
        var m = new FakeMemory().Put(P, Bytes.CStr("/etc/nsswitch.conf")).Put(P + 0x100, st);
        Assert.Equal("stat64(\"/etc/nsswitch.conf\", {st_mode=S_IFREG|0644, st_size=526, ...}) = 0", I386("stat64", 0, m, P, P + 0x100));
        Assert.Equal("fstat64(3, {st_mode=S_IFREG|0644, st_size=526, ...}) = 0", I386("fstat64", 0, m, 3, P + 0x100));
        Assert.Equal("fstat64(3, {st_dev=makedev(0xfe, 0), st_ino=837, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=526, st_atime=1750775953, st_atime_nsec=0, st_mtime=1750775953, st_mtime_nsec=0, st_ctime=1750775953, st_ctime_nsec=0}) = 0"
            .Replace("st_atime=1750775953,", "st_atime=1750775953 /* 2025-06-24T14:39:13+0000 */,").Replace("st_mtime=1750775953,", "st_mtime=1750775953 /* 2025-06-24T14:39:13+0000 */,").Replace("st_ctime=1750775953,", "st_ctime=1750775953 /* 2025-06-24T14:39:13+0000 */,"),
            Line(Call(SyscallAbi.I386, 197, 0, 3, P + 0x100), m, new DecodeOptions { Verbose = true }));
    }

    [Fact]
    public void Uname_And_SetThreadArea()
    {
        var u = new Bytes().Str("Linux").PadTo(65).Str("h").PadTo(390).Build();
        var desc = new Bytes().U32(12).U32(0xf7d8c740).U32(0xfffff).U32(0x51).Build();
        var m = new FakeMemory().Put(P, u).Put(P + 0x200, desc);
        Assert.Equal("uname({sysname=\"Linux\", nodename=\"h\", ...}) = 0", I386("uname", 0, m, P));
        // The kernel picked GDT entry 12 for the -1 the program passed.
        var c = Call(SyscallAbi.I386, 243, 0, P + 0x200);
        var d = new SyscallDecoder(new DecodeOptions());
        d.OnEntry(c, new FakeMemory().Put(P + 0x200, new Bytes().U32(0xffffffff).U32(0xf7d8c740).U32(0xfffff).U32(0x51).Build()));
        c.ReturnValue = 0;
        d.OnExit(c, m);
        Assert.Equal("set_thread_area({entry_number=-1, base_addr=0xf7d8c740, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=12)", Render(c));
    }

    [Fact]
    public void Socketcall_ShownAsTheCallItCarries()
    {
        var inet = new Bytes().U16(2).Raw(0, 9).Raw(127, 0, 0, 1).Zero(8).Build();
        var m = new FakeMemory().Put(P, new Bytes().U32(2).U32(0x80001).U32(6).Build())
            .Put(P + 0x100, new Bytes().U32(3).U32((uint)(P + 0x200)).U32(16).Build()).Put(P + 0x200, inet);
        Assert.Equal("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3", I386("socketcall", 3, m, 1, P));
        Assert.Equal("connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)",
            I386("socketcall", 0xffffff91, m, 3, P + 0x100));
        Assert.Equal("socketcall(1, 0x1000) = -1 EFAULT (Bad address)", I386("socketcall", 0xfffffff2, m, 1, 0x1000));
    }

    [Fact]
    public void Time64Calls_Use64BitTimespec()
    {
        var m = new FakeMemory().Put(P, new Bytes().I64(0).I64(0).I64(4).I64(999975253).Build()).Put(P + 0x100, new Bytes().I32(1).I32(2).Build());
        Assert.Equal("timerfd_gettime64(4, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=4, tv_nsec=999975253}}) = 0", I386("timerfd_gettime64", 0, m, 4, P));
        Assert.Equal("clock_gettime(CLOCK_MONOTONIC, {tv_sec=1, tv_nsec=2}) = 0", I386("clock_gettime", 0, m, 1, P + 0x100));
    }

    [Fact]
    public void Int80FromA64BitProgram_UsesTheI386Table()
    {
        // int $0x80 with eax=4 from x86_64 code: the engine reports AUDIT_ARCH_I386, so 4 is write, not stat.
        var m = new FakeMemory().Put(0x404000, "hi"u8);
        Assert.Equal("write(1, \"hi\", 2) = 2", Line(Call(SyscallAbi.I386, 4, 2, 1, 0x404000, 2), m));
        Assert.Equal("stat(0x1, 0x404000) = 2", Line(Call(SyscallAbi.X64, 4, 2, 1, 0x404000, 2), m));
    }
}
