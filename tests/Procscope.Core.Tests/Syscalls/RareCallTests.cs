using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// strace 6.1 on Debian 12 for tests/tracees/trace-ipc.c rare: message queues, the new mount API,
// landlock, NUMA policy, kexec, keys, futex_waitv, Linux AIO.
public sealed class RareCallTests
{
    private const ulong P = 0x7ffc648d0000;
    private const ulong Ctx = 0x7ff98c920000;

    [Fact]
    public void MessageQueues()
    {
        var attr = new Bytes().I64(0).I64(4).I64(32).I64(0).Zero(32).Build();
        var m = new FakeMemory().Put(P, Bytes.CStr("psq")).Put(P + 0x100, attr).Put(P + 0x200, "hi"u8)
            .Put(P + 0x300, new Bytes().U32(3).Build()).Put(P + 0x400, new byte[16])
            .Put(P + 0x500, new Bytes().U64(0).I32(10).I32(0).Zero(48).Build())
            .Put(P + 0x600, new Bytes().I64(0x800).Zero(56).Build());
        Assert.Equal("mq_open(\"psq\", O_RDWR|O_CREAT|O_EXCL, 0600, {mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=0}) = 3",
            X64("mq_open", 3, m, P, 0xc2, 0x180, P + 0x100));
        Assert.Equal("mq_open(\"psq\", O_RDONLY) = -1 ENOENT (No such file or directory)", X64("mq_open", -2, m, P, 0));
        Assert.Equal("mq_timedsend(3, \"hi\", 2, 3, NULL) = 0", X64("mq_timedsend", 0, m, 3, P + 0x200, 2, 3, 0));
        Assert.Equal("mq_timedreceive(3, \"hi\", 64, [3], {tv_sec=0, tv_nsec=0}) = 2", X64("mq_timedreceive", 2, m, 3, P + 0x200, 64, P + 0x300, P + 0x400));
        Assert.Equal("mq_timedreceive(3, 0x7ffc648d0200, 64, 0x7ffc648d0300, {tv_sec=0, tv_nsec=0}) = -1 ETIMEDOUT (Connection timed out)",
            X64("mq_timedreceive", -110, m, 3, P + 0x200, 64, P + 0x300, P + 0x400));
        Assert.Equal("mq_notify(3, {sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}) = 0", X64("mq_notify", 0, m, 3, P + 0x500));
        Assert.Equal("mq_notify(3, NULL) = 0", X64("mq_notify", 0, m, 3, 0));
        Assert.Equal("mq_getsetattr(3, {mq_flags=O_NONBLOCK, mq_maxmsg=0, mq_msgsize=0, mq_curmsgs=0}, {mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=0}) = 0",
            X64("mq_getsetattr", 0, m, 3, P + 0x600, P + 0x100));
        Assert.Equal("mq_unlink(\"psq\") = 0", X64("mq_unlink", 0, m, P));
    }

    [Fact]
    public void MountApi()
    {
        var m = new FakeMemory().Put(P, Bytes.CStr("/tmp")).Put(P + 0x100, Bytes.CStr("tmpfs")).Put(P + 0x200, Bytes.CStr("size"))
            .Put(P + 0x300, Bytes.CStr("1m")).Put(P + 0x400, Bytes.CStr("")).Put(P + 0x500, new Bytes().U64(1).U64(0).U64(0).U64(0).Build());
        Assert.Equal("open_tree(AT_FDCWD, \"/tmp\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC) = 5", X64("open_tree", 5, m, Neg(-100), P, 0x80001));
        Assert.Equal("fsopen(\"tmpfs\", FSOPEN_CLOEXEC) = 6", X64("fsopen", 6, m, P + 0x100, 1));
        Assert.Equal("fsconfig(6, FSCONFIG_SET_STRING, \"size\", \"1m\", 0) = 0", X64("fsconfig", 0, m, 6, 1, P + 0x200, P + 0x300, 0));
        Assert.Equal("fsconfig(6, FSCONFIG_SET_FLAG, \"size\", NULL, 0) = 0", X64("fsconfig", 0, m, 6, 0, P + 0x200, 0, 0));
        Assert.Equal("fsconfig(6, FSCONFIG_CMD_CREATE, NULL, NULL, 0) = 0", X64("fsconfig", 0, m, 6, 6, 0, 0, 0));
        Assert.Equal("fsmount(6, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV) = 7", X64("fsmount", 7, m, 6, 1, 6));
        Assert.Equal("move_mount(7, \"\", AT_FDCWD, \"/tmp\", MOVE_MOUNT_F_EMPTY_PATH) = -1 ENOENT (No such file or directory)",
            X64("move_mount", -2, m, 7, P + 0x400, Neg(-100), P, 4));
        Assert.Equal("fspick(AT_FDCWD, \"/tmp\", FSPICK_CLOEXEC|FSPICK_NO_AUTOMOUNT) = -1 EINVAL (Invalid argument)", X64("fspick", -22, m, Neg(-100), P, 5));
        Assert.Equal("mount_setattr(5, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0, propagation=0 /* MS_??? */, userns_fd=0}, 32) = 0",
            X64("mount_setattr", 0, m, 5, P + 0x400, 0x9000, P + 0x500, 32));
    }

    [Fact]
    public void Landlock_And_Numa()
    {
        var m = new FakeMemory().Put(P, new Bytes().U64(6).Build()).Put(P + 0x100, new Bytes().U64(4).I32(4).Build())
            .Put(P + 0x200, new Bytes().U64(1).Build()).Put(P + 0x300, new Bytes().U32(2).Build())
            .Put(P + 0x400, new Bytes().U64(P + 0x1000).Build()).Put(P + 0x500, new Bytes().I32(0).Build());
        Assert.Equal("landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_WRITE_FILE|LANDLOCK_ACCESS_FS_READ_FILE}, 8, 0) = 8",
            X64("landlock_create_ruleset", 8, m, P, 8, 0));
        Assert.Equal("landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) = 7", X64("landlock_create_ruleset", 7, m, 0, 0, 1));
        Assert.Equal("landlock_add_rule(8, LANDLOCK_RULE_PATH_BENEATH, {allowed_access=LANDLOCK_ACCESS_FS_READ_FILE, parent_fd=4}, 0) = 0",
            X64("landlock_add_rule", 0, m, 8, 1, P + 0x100, 0));
        Assert.Equal("set_mempolicy(MPOL_BIND, [0x00000000000001], 64) = 0", X64("set_mempolicy", 0, m, 2, P + 0x200, 64));
        Assert.Equal("set_mempolicy(MPOL_DEFAULT, NULL, 0) = 0", X64("set_mempolicy", 0, m, 0, 0, 0));
        Assert.Equal("get_mempolicy([MPOL_BIND], [0x00000000000001], 64, NULL, 0) = 0", X64("get_mempolicy", 0, m, P + 0x300, P + 0x200, 64, 0, 0));
        Assert.Equal("mbind(0x7ffc648d0fc0, 4096, MPOL_PREFERRED, [0x00000000000001], 64, MPOL_MF_STRICT) = -1 EINVAL (Invalid argument)",
            X64("mbind", -22, m, P + 0xfc0, 4096, 1, P + 0x200, 64, 1));
        Assert.Equal("migrate_pages(0, 64, [0x00000000000001], [0x00000000000001]) = 0", X64("migrate_pages", 0, m, 0, 64, P + 0x200, P + 0x200));
        Assert.Equal("move_pages(0, 1, [0x7ffc648d1000], [0], [0], MPOL_MF_MOVE) = 0", X64("move_pages", 0, m, 0, 1, P + 0x400, P + 0x500, P + 0x500, 2));
    }

    [Fact]
    public void Kexec_Modules_Keys_FutexWaitv()
    {
        var m = new FakeMemory().Put(P, Bytes.CStr("")).Put(P + 0x100, Bytes.CStr("user")).Put(P + 0x200, Bytes.CStr("pskey"))
            .Put(P + 0x300, "secret"u8).Put(P + 0x400, Bytes.CStr("user;0;0;3f010000;pskey"))
            .Put(P + 0x500, new Bytes().U64(0).U64(0x7ffc648d0e0c).U32(2).U32(0).Build());
        Assert.Equal("kexec_file_load(4, -1, 0, \"\", 0x40 /* KEXEC_FILE_??? */) = -1 ENOSYS (Function not implemented)",
            X64("kexec_file_load", -38, m, 4, Neg(-1), 0, P, 0x40));
        Assert.Equal("kexec_load(NULL, 0, NULL, KEXEC_ARCH_DEFAULT) = -1 ENOSYS (Function not implemented)", X64("kexec_load", -38, m, 0, 0, 0, 0));
        Assert.Equal("kexec_load(NULL, 0, NULL, 0xdead0000 /* KEXEC_ARCH_??? */) = -1 ENOSYS (Function not implemented)", X64("kexec_load", -38, m, 0, 0, 0, 0xdead0000));
        Assert.Equal("add_key(\"user\", \"pskey\", \"secret\", 6, KEY_SPEC_PROCESS_KEYRING) = 536896272",
            X64("add_key", 536896272, m, P + 0x100, P + 0x200, P + 0x300, 6, 0xfffffffe));
        Assert.Equal("request_key(\"user\", \"pskey\", NULL, KEY_SPEC_PROCESS_KEYRING) = 536896272", X64("request_key", 536896272, m, P + 0x100, P + 0x200, 0, 0xfffffffe));
        Assert.Equal("keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) = 210586605", X64("keyctl", 210586605, m, 0, 0xfffffffd, 0));
        Assert.Equal("keyctl(KEYCTL_READ, 536896272, \"secret\", 64) = 6", X64("keyctl", 6, m, 11, 536896272, P + 0x300, 64));
        Assert.Equal("keyctl(KEYCTL_DESCRIBE, 536896272, \"user;0;0;3f010000;pskey\", 64) = 24", X64("keyctl", 24, m, 6, 536896272, P + 0x400, 64));
        Assert.Equal("keyctl(KEYCTL_REVOKE, 536896272) = 0", X64("keyctl", 0, m, 3, 536896272));
        Assert.Equal("keyctl(KEYCTL_UNLINK, 536896272, KEY_SPEC_PROCESS_KEYRING) = 0", X64("keyctl", 0, m, 9, 536896272, 0xfffffffe));
        Assert.Equal("keyctl(0x4242 /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EOPNOTSUPP (Operation not supported)", X64("keyctl", -95, m, 0x4242, 1, 2, 3, 4));
        Assert.Equal("futex_waitv([{val=0, uaddr=0x7ffc648d0e0c, flags=FUTEX_32}], 1, 0, NULL, CLOCK_MONOTONIC) = -1 EAGAIN (Resource temporarily unavailable)",
            X64("futex_waitv", -11, m, P + 0x500, 1, 0, 0, 1));
    }

    [Fact]
    public void LinuxAio()
    {
        var iocb = new Bytes().U64(0x1234).U32(0).U32(0).U16(1).U16(0).U32(4).U64(P + 0x300).U64(3).I64(0).U64(0).U32(0).U32(0).Build();
        var m = new FakeMemory().Put(P, new Bytes().U64(Ctx).Build()).Put(P + 0x100, iocb).Put(P + 0x200, new Bytes().U64(P + 0x100).Build())
            .Put(P + 0x300, "abc"u8).Put(P + 0x400, new Bytes().U64(0x1234).U64(0x7ffc648d0e90).I64(3).I64(0).Build())
            .Put(P + 0x500, new Bytes().I64(1).I64(0).Build());
        Assert.Equal("io_setup(8, [0x7ff98c920000]) = 0", X64("io_setup", 0, m, 8, P));
        Assert.Equal("io_submit(0x7ff98c920000, 1, [{aio_data=0x1234, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=4, aio_buf=\"abc\", aio_nbytes=3, aio_offset=0}]) = 1",
            X64("io_submit", 1, m, Ctx, 1, P + 0x200));
        Assert.Equal("io_getevents(0x7ff98c920000, 1, 2, [{data=0x1234, obj=0x7ffc648d0e90, res=3, res2=0}], {tv_sec=1, tv_nsec=0}) = 1",
            X64("io_getevents", 1, m, Ctx, 1, 2, P + 0x400, P + 0x500));
        Assert.Equal("io_cancel(0x7ff98c920000, {aio_data=0x1234, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=4}, 0x7ffc648d0400) = -1 EINVAL (Invalid argument)",
            X64("io_cancel", -22, m, Ctx, P + 0x100, P + 0x400));
        Assert.Equal("io_pgetevents(0x7ff98c920000, 0, 2, [], {tv_sec=1, tv_nsec=0}, NULL) = 0", X64("io_pgetevents", 0, m, Ctx, 0, 2, P + 0x400, P + 0x500, 0));
        Assert.Equal("io_destroy(0x7ff98c920000) = 0", X64("io_destroy", 0, m, Ctx));
        // A lying count: at most -s iocbs are read.
        Assert.StartsWith("io_submit(0x7ff98c920000, 100000000, [{aio_data=0x1234", X64("io_submit", -22, m, Ctx, 100000000, P + 0x200));
    }

    [Fact]
    public void IoUring_And_ModuleFlags()
    {
        var done = new Bytes().U32(4).U32(8).U32(0x10).U32(0).U32(0).U32(0x1fff | 0x3e000).U32(0).Zero(12)
            .U32(0).U32(4).U32(16).U32(24).U32(36).U32(32).U32(192).U32(0).U64(0)
            .U32(8).U32(12).U32(20).U32(28).U32(44).U32(64).U32(40).U32(0).U64(0).Build();
        Assert.Equal(120, done.Length);
        var m = new FakeMemory().Put(P, done).Put(P + 0x100, new Bytes().I32(0).I32(1).Build())
            .Put(P + 0x200, new Bytes().U64(1UL << 9).Build()).Put(P + 0x300, new Bytes().U32(0).U32(0).U32(0x80000000).Zero(108).Build())
            .Put(P + 0x400, Bytes.CStr("x"));
        Assert.Equal("io_uring_setup(4, {flags=IORING_SETUP_CLAMP, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=4, cq_entries=8, features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP|IORING_FEAT_SUBMIT_STABLE|IORING_FEAT_RW_CUR_POS|IORING_FEAT_CUR_PERSONALITY|IORING_FEAT_FAST_POLL|IORING_FEAT_POLL_32BITS|IORING_FEAT_SQPOLL_NONFIXED|IORING_FEAT_EXT_ARG|IORING_FEAT_NATIVE_WORKERS|IORING_FEAT_RSRC_TAGS|IORING_FEAT_CQE_SKIP|IORING_FEAT_LINKED_FILE|0x3e000, sq_off={head=0, tail=4, ring_mask=16, ring_entries=24, flags=36, dropped=32, array=192}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, overflow=44, cqes=64, flags=40}}) = 3",
            X64("io_uring_setup", 3, m, 4, P));
        Assert.Equal("io_uring_setup(4, {flags=0x80000000 /* IORING_SETUP_??? */, sq_thread_cpu=0, sq_thread_idle=0}) = -1 EINVAL (Invalid argument)",
            X64("io_uring_setup", -22, m, 4, P + 0x300));
        Assert.Equal("io_uring_setup(4, 0x8) = -1 EFAULT (Bad address)", X64("io_uring_setup", -14, m, 4, 8));
        Assert.Equal("io_uring_enter(3, 0, 0, IORING_ENTER_GETEVENTS, NULL, 8) = 0", X64("io_uring_enter", 0, m, 3, 0, 0, 1, 0, 8));
        Assert.Equal("io_uring_enter(3, 1, 1, 0, [USR1], 8) = 0", X64("io_uring_enter", 0, m, 3, 1, 1, 0, P + 0x200, 8));
        Assert.Equal("io_uring_register(3, IORING_REGISTER_FILES, [0, 1], 2) = 0", X64("io_uring_register", 0, m, 3, 2, P + 0x100, 2));
        Assert.Equal("io_uring_register(3, IORING_UNREGISTER_FILES, NULL, 0) = 0", X64("io_uring_register", 0, m, 3, 3, 0, 0));
        Assert.Equal("io_uring_register(3, 0x63 /* IORING_REGISTER_??? */, NULL, 0) = -1 EINVAL (Invalid argument)", X64("io_uring_register", -22, m, 3, 99, 0, 0));
        Assert.Equal("finit_module(0, \"x\", MODULE_INIT_IGNORE_MODVERSIONS|MODULE_INIT_IGNORE_VERMAGIC) = -1 ENOSYS (Function not implemented)",
            X64("finit_module", -38, m, 0, P + 0x400, 3));
        Assert.Equal("delete_module(\"x\", O_NONBLOCK|O_TRUNC) = -1 ENOSYS (Function not implemented)", X64("delete_module", -38, m, P + 0x400, 0x800 | 0x200));
    }
}
