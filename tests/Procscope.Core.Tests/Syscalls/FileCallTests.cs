using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// Expected lines are strace 6.1's output on Debian 12 (Linux 6.1 headers) for the same arguments,
// captured with tracees in /tmp and normalised only for the column padding before " = ".
public sealed class FileCallTests
{
    private const ulong Path = 0x7ffd1000;
    private const ulong Buf = 0x7ffd2000;

    [Fact]
    public void Openat_FlagsAndCreateMode()
    {
        var m = new FakeMemory().Put(Path, Bytes.CStr("/tmp/tr/f1"));
        Assert.Equal("openat(AT_FDCWD, \"/tmp/tr/f1\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3",
            X64("openat", 3, m, Neg(-100), Path, 0x241, 0x1a4));
        Assert.Equal("openat(AT_FDCWD, \"/tmp/tr/f1\", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = -1 ENOENT (No such file or directory)",
            X64("openat", -2, m, Neg(-100), Path, 0x90800));
        Assert.Equal("openat(3, \"/tmp/tr/f1\", O_RDWR|O_LARGEFILE) = 4", X64("openat", 4, m, 3, Path, 0x8002));
    }

    [Fact]
    public void Open_NullAndUnreadablePath()
    {
        var m = new FakeMemory();
        Assert.Equal("open(NULL, O_RDONLY) = -1 EFAULT (Bad address)", X64("open", -14, m, 0, 0));
        Assert.Equal("open(0x1234, O_RDONLY) = -1 EFAULT (Bad address)", X64("open", -14, m, 0x1234, 0));
    }

    [Fact]
    public void Path_IsNotCutAtStringLimit()
    {
        var longPath = "/usr/lib/x86_64-linux-gnu/very/long/target/path/for/testing";
        var m = new FakeMemory().Put(Path, Bytes.CStr(longPath));
        Assert.Equal("access(\"" + longPath + "\", R_OK) = 0", X64("access", 0, m, Path, 4));
        Assert.Equal("access(\"" + longPath + "\", F_OK) = 0", X64("access", 0, m, Path, 0));
    }

    [Fact]
    public void ReadWrite_BuffersAtExitAndEntry()
    {
        var elf = new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, (byte)'>', 0, 1, 0, 0, 0, 0x10, (byte)'t', 2, 0, 0, 0, 0, 0, 0x40, 0 };
        var m = new FakeMemory().Put(Buf, elf);
        Assert.Equal("read(3, \"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"..., 832) = 832",
            X64("read", 832, m, 3, Buf, 832));
        var w = new FakeMemory().Put(Buf, "hello\n"u8);
        Assert.Equal("write(1, \"hello\\n\", 6) = 6", X64("write", 6, w, 1, Buf, 6));
        Assert.Equal("read(3, 0x7ffd2000, 10) = -1 EAGAIN (Resource temporarily unavailable)", X64("read", -11, w, 3, Buf, 10));
        Assert.Equal("read(3, \"\", 10) = 0", X64("read", 0, w, 3, Buf, 10));
    }

    [Fact]
    public void Read_OutputArgumentsWaitForExit()
    {
        var m = new FakeMemory().Put(Buf, "x"u8);
        var c = Call(SyscallAbi.X64, 0, 1, 6, Buf, 1);
        var d = new SyscallDecoder(new DecodeOptions());
        d.OnEntry(c, m);
        Assert.Equal(1, c.EntryArgumentCount);
        Assert.Equal("6", c.Arguments[0].Text);
        Assert.Equal(ArgKind.Fd, c.Arguments[0].Kind);
        c.ReturnValue = 1;
        d.OnExit(c, m);
        Assert.Equal(3, c.Arguments.Count);
        Assert.Equal("\"x\"", c.Arguments[1].Text);
        Assert.Equal(ArgKind.String, c.Arguments[1].Kind);
        Assert.Equal("x"u8.ToArray(), c.Arguments[1].Bytes);
        Assert.Equal("count", c.Arguments[2].Name);
        Assert.Equal(1L, c.Arguments[2].Number);
    }

    [Fact]
    public void Newfstatat_ShortAndVerbose()
    {
        // struct stat of /etc/nsswitch.conf (x86_64, 144 bytes)
        var st = new Bytes().U64(0xfe00).U64(837).U64(1).U32(0x81a4).U32(0).U32(0).U32(0).U64(0).I64(526).I64(4096).I64(8)
            .I64(1795641592).I64(552084239).I64(1750775953).I64(0).I64(1750775953).I64(0).PadTo(144).Build();
        var m = new FakeMemory().Put(Path, Bytes.CStr("/etc/nsswitch.conf")).Put(Buf, st);
        Assert.Equal("newfstatat(AT_FDCWD, \"/etc/nsswitch.conf\", {st_mode=S_IFREG|0644, st_size=526, ...}, 0) = 0",
            X64("newfstatat", 0, m, Neg(-100), Path, Buf, 0));
        Assert.Equal("newfstatat(AT_FDCWD, \"/etc/nsswitch.conf\", {st_dev=makedev(0xfe, 0), st_ino=837, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=526, st_atime=1795641592 /* 2026-11-25T21:19:52.552084239+0000 */, st_atime_nsec=552084239, st_mtime=1750775953 /* 2025-06-24T14:39:13+0000 */, st_mtime_nsec=0, st_ctime=1750775953 /* 2025-06-24T14:39:13+0000 */, st_ctime_nsec=0}, 0) = 0",
            X64(new DecodeOptions { Verbose = true }, "newfstatat", 0, m, Neg(-100), Path, Buf, 0));
        Assert.Equal("newfstatat(AT_FDCWD, \"/etc/nsswitch.conf\", 0x7ffd2000, 0) = -1 ENOENT (No such file or directory)",
            X64("newfstatat", -2, m, Neg(-100), Path, Buf, 0));
    }

    [Fact]
    public void Fstat_CharDeviceShowsRdev()
    {
        var st = new Bytes().U64(5).U64(4).U64(1).U32(0x21b6).U32(0).U32(0).U32(0).U64(0x103).I64(0).PadTo(144).Build();
        var m = new FakeMemory().Put(Buf, st).Put(Path, Bytes.CStr(""));
        Assert.Equal("newfstatat(1, \"\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0",
            X64("newfstatat", 0, m, 1, Path, Buf, 0x1000));
    }

    [Fact]
    public void Statx_SyncTypeAlwaysPrinted()
    {
        var sx = new Bytes().U32(0x17ff).U32(4096).U64(0x2000).U32(2).U32(0).U32(0).U16(0x41ed).U16(0).U64(2).U64(4096).PadTo(256).Build();
        var m = new FakeMemory().Put(Path, Bytes.CStr("/")).Put(Buf, sx);
        Assert.Equal("statx(AT_FDCWD, \"/\", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0",
            X64("statx", 0, m, Neg(-100), Path, 0x900, 0x25e, Buf));
    }

    [Fact]
    public void Chmod_SpecialBitsAndUmaskOctal()
    {
        var m = new FakeMemory().Put(Path, Bytes.CStr("/tmp/tr/d1/f2"));
        Assert.Equal("chmod(\"/tmp/tr/d1/f2\", 04755) = 0", X64("chmod", 0, m, Path, 0x9ed));
        Assert.Equal("chown(\"/tmp/tr/d1/f2\", -1, 0) = 0", X64("chown", 0, m, Path, 0xffffffff, 0));
        Assert.Equal("umask(027) = 022", X64("umask", 0x12, m, 0x17));
        Assert.Equal("mkdir(\"/tmp/tr/d1/f2\", 0755) = 0", X64("mkdir", 0, m, Path, 0x1ed));
        Assert.Equal("unlinkat(AT_FDCWD, \"/tmp/tr/d1/f2\", AT_REMOVEDIR) = 0", X64("unlinkat", 0, m, Neg(-100), Path, 0x200));
    }

    [Fact]
    public void Readlink_ResultCutAtStringLimit()
    {
        var target = "/usr/lib/x86_64-linux-gnu/very/long/target/path/for/testing/readlink";
        var m = new FakeMemory().Put(Path, Bytes.CStr("/tmp/tr/lnk")).Put(Buf, System.Text.Encoding.ASCII.GetBytes(target + "garbage"));
        Assert.Equal("readlink(\"/tmp/tr/lnk\", \"/usr/lib/x86_64-linux-gnu/very/l\"..., 256) = 68", X64("readlink", 68, m, Path, Buf, 256));
        Assert.Equal("getcwd(\"/tmp/tr/lnk\", 256) = 12", X64("getcwd", 12, m, Path, 256));
    }

    [Fact]
    public void Lseek_WhenceNames()
    {
        var m = new FakeMemory();
        Assert.Equal("lseek(3, 0, SEEK_END) = 3", X64("lseek", 3, m, 3, 0, 2));
        Assert.Equal("lseek(1, 0, SEEK_CUR) = -1 ESPIPE (Illegal seek)", X64("lseek", -29, m, 1, 0, 1));
        Assert.Equal("lseek(3, -5, 7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)", X64("lseek", -22, m, 3, Neg(-5), 7));
    }

    [Fact]
    public void Getdents64_CountsEntriesOrListsThemVerbose()
    {
        var d = new Bytes()
            .U64(2).I64(1).U16(24).Raw(4).Str(".").PadTo(24)
            .U64(1).I64(2).U16(24).Raw(4).Str("..").PadTo(48)
            .U64(99).I64(3).U16(32).Raw(8).Str("a\nb").PadTo(80).Build();
        var m = new FakeMemory().Put(Buf, d);
        Assert.Equal("getdents64(3, 0x7ffd2000 /* 3 entries */, 32768) = 80", X64("getdents64", 80, m, 3, Buf, 32768));
        Assert.Equal("getdents64(3, [{d_ino=2, d_off=1, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, {d_ino=1, d_off=2, d_reclen=24, d_type=DT_DIR, d_name=\"..\"}, {d_ino=99, d_off=3, d_reclen=32, d_type=DT_REG, d_name=\"a\\nb\"}], 32768) = 80",
            X64(new DecodeOptions { Verbose = true }, "getdents64", 80, m, 3, Buf, 32768));
    }

    [Fact]
    public void Statfs_MagicAndFlags()
    {
        var s = new Bytes().U64(0xef53).U64(4096).U64(66053021).U64(62411565).U64(20553037).U64(16777216).U64(16346773)
            .U32(0x1234abcd).U32(0x5678).U64(255).U64(4096).U64(0x1020).PadTo(120).Build();
        var m = new FakeMemory().Put(Path, Bytes.CStr("/")).Put(Buf, s);
        Assert.Equal("statfs(\"/\", {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=62411565, f_bavail=20553037, f_files=16777216, f_ffree=16346773, f_fsid={val=[0x1234abcd, 0x5678]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0",
            X64("statfs", 0, m, Path, Buf));
    }
}
