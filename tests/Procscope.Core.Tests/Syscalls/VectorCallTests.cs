using Procscope.Core.Syscalls;
using static Procscope.Core.Tests.Syscalls.Trace;

namespace Procscope.Core.Tests.Syscalls;

// strace 6.1 on Debian 12 for tests/tracees/trace-ipc.c vectors (64-bit and -m32).
public sealed class VectorCallTests
{
    private const ulong P = 0x7ffc35e40000;
    private const ulong Q = 0xffc0d000;

    /// <summary>Two struct mmsghdr (64 bytes each on x86_64, 32 on i386) with one iovec each.</summary>
    private static FakeMemory Mmsgs(bool i386, ulong at, uint len0, uint len1, ulong iovLen0, ulong iovLen1)
    {
        var m = new FakeMemory();
        int w = i386 ? 4 : 8;
        ulong iov = at + 0x400, data = at + 0x800;
        var vec = new Bytes();
        for (int k = 0; k < 2; k++)
        {
            ulong iv = iov + (ulong)(k * 2 * w);
            if (i386)
                vec.U32(0).U32(0).U32((uint)iv).U32(1).U32(0).U32(0).U32(0).U32(k == 0 ? len0 : len1).Zero(0);
            else
                vec.U64(0).U32(0).U32(0).U64(iv).U64(1).U64(0).U64(0).U32(0).U32(0).U32(k == 0 ? len0 : len1).U32(0);
        }
        m.Put(at, vec.Build());
        var iovs = i386 ? new Bytes().U32((uint)data).U32((uint)iovLen0).U32((uint)(data + 0x10)).U32((uint)iovLen1)
                        : new Bytes().U64(data).U64(iovLen0).U64(data + 0x10).U64(iovLen1);
        m.Put(iov, iovs.Build()).Put(data, Bytes.CStr("one")).Put(data + 0x10, Bytes.CStr("two!"));
        return m;
    }

    private const string Sent = "[{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"one\", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"two!\", iov_len=4}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=4}]";

    private const string Received = "[{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"one\", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"two!\", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=4}]";

    [Fact]
    public void Sendmmsg_Recvmmsg_Vectors()
    {
        Assert.Equal($"sendmmsg(3, {Sent}, 2, MSG_DONTWAIT) = 2", X64("sendmmsg", 2, Mmsgs(false, P, 3, 4, 3, 4), 3, P, 2, 0x40));
        // Only the entries the call handled get msg_len.
        Assert.Equal("sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"one\", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"two!\", iov_len=4}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}], 2, 0) = 1",
            X64("sendmmsg", 1, Mmsgs(false, P, 3, 4, 3, 4), 3, P, 2, 0));
        Assert.Equal("sendmmsg(3, 0x8, 2, 0) = -1 EFAULT (Bad address)", X64("sendmmsg", -14, new FakeMemory(), 3, 8, 2, 0));
        var m = Mmsgs(false, P, 3, 4, 8, 8).Put(P + 0xc00, new Bytes().I64(1).I64(0).Build());
        var c = Call(SyscallAbi.X64, 299, 2, 4, P, 2, 0x40, P + 0xc00);
        var d = new SyscallDecoder(new DecodeOptions());
        d.OnEntry(c, m);
        Assert.Equal(1, c.EntryArgumentCount);
        // The kernel writes the time left; the timeout shown is the one read at entry.
        var after = Mmsgs(false, P, 3, 4, 8, 8).Put(P + 0xc00, new Bytes().I64(0).I64(999991898).Build());
        c.ReturnValue = 2;
        d.OnExit(c, after);
        Assert.Equal($"recvmmsg(4, {Received}, 2, MSG_DONTWAIT, {{tv_sec=1, tv_nsec=0}}) = 2 (left {{tv_sec=0, tv_nsec=999991898}})", Render(c));
        Assert.Equal("recvmmsg(4, 0x7ffc35e40000, 2, MSG_DONTWAIT, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
            X64("recvmmsg", -11, m, 4, P, 2, 0x40, 0));
        Assert.Equal("recvmmsg(4, [], 2, MSG_DONTWAIT, {tv_sec=1, tv_nsec=0}) = 0 (Timeout)",
            X64("recvmmsg", 0, new FakeMemory().Put(P, new byte[64]).Put(P + 0xc00, new Bytes().I64(1).I64(0).Build()), 4, P, 2, 0x40, P + 0xc00));
    }

    [Fact]
    public void I386_Mmsghdr_Layout()
    {
        Assert.Equal($"sendmmsg(3, {Sent}, 2, MSG_DONTWAIT) = 2", I386("sendmmsg", 2, Mmsgs(true, Q, 3, 4, 3, 4), 3, Q, 2, 0x40));
        var m = Mmsgs(true, Q, 3, 4, 8, 8).Put(Q + 0xc00, new Bytes().I64(1).I64(0).Build());
        Assert.Equal($"recvmmsg_time64(4, {Received}, 2, MSG_DONTWAIT, {{tv_sec=1, tv_nsec=0}}) = 2 (left {{tv_sec=1, tv_nsec=0}})",
            I386("recvmmsg_time64", 2, m, 4, Q, 2, 0x40, Q + 0xc00));
    }

    [Fact]
    public void Capget_Capset_Sets()
    {
        var m = new FakeMemory().Put(P, new Bytes().U32(0x20080522).I32(0).Build())
            .Put(P + 0x100, new Bytes().U32(0x2020).U32(0x2020).U32(0).U32(0).U32(0x80).U32(0).Build())
            .Put(P + 0x200, new Bytes().U32(0x19980330).I32(25264).Build())
            .Put(P + 0x300, new Bytes().U32(0x1234).I32(25264).Build());
        Assert.Equal("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_KILL|1<<CAP_NET_RAW, permitted=1<<CAP_KILL|1<<CAP_NET_RAW|1<<CAP_BPF, inheritable=0}) = 0",
            X64("capget", 0, m, P, P + 0x100));
        Assert.Equal("capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_KILL|1<<CAP_NET_RAW, permitted=1<<CAP_KILL|1<<CAP_NET_RAW|1<<CAP_BPF, inheritable=0}) = -1 EPERM (Operation not permitted)",
            X64("capset", -1, m, P, P + 0x100));
        // Version 1 has one word per set: CAP_BPF's high word is not read.
        Assert.Equal("capget({version=_LINUX_CAPABILITY_VERSION_1, pid=25264}, {effective=1<<CAP_KILL|1<<CAP_NET_RAW, permitted=1<<CAP_KILL|1<<CAP_NET_RAW, inheritable=0}) = 0",
            X64("capget", 0, m, P + 0x200, P + 0x100));
        Assert.Equal("capget({version=0x1234 /* _LINUX_CAPABILITY_VERSION_??? */, pid=25264}, NULL) = 0", X64("capget", 0, m, P + 0x300, 0));
        Assert.Equal("capget(0x8, 0x7ffc35e40100) = -1 EFAULT (Bad address)", X64("capget", -14, m, 8, P + 0x100));
        Assert.Equal("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x7ffc35e40100) = -1 EINVAL (Invalid argument)", X64("capget", -22, m, P, P + 0x100));
        var unknown = new FakeMemory().Put(P, new Bytes().U32(0x20080522).I32(0).Build()).Put(P + 0x100, new Bytes().U32(0).U32(0).U32(0).U32(0x80000000).U32(0).U32(0).Build());
        Assert.Equal("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0x80000000 /* CAP_??? */, permitted=0, inheritable=0}) = 0",
            X64("capget", 0, unknown, P, P + 0x100));
    }

    [Fact]
    public void SchedAttr_SetAndGet()
    {
        var attr = new Bytes().U32(56).U32(0).U64(0).I32(5).U32(0).U64(1400000).U64(0).U64(0).U32(0).U32(0).Build();
        var dl = new Bytes().U32(56).U32(6).U64(1).I32(5).U32(0).U64(10000000).U64(30000000).U64(30000000).U32(0).U32(0).Build();
        var m = new FakeMemory().Put(P, attr).Put(P + 0x100, dl).Put(P + 0x200, new Bytes().U32(48).U32(0).U64(0x10).I32(0).Zero(28).Build());
        Assert.Equal("sched_getattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=5, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0}, 56, 0) = 0",
            X64("sched_getattr", 0, m, 0, P, 56, 0));
        Assert.Equal("sched_setattr(0, {size=56, sched_policy=SCHED_DEADLINE, sched_flags=SCHED_FLAG_RESET_ON_FORK, sched_nice=5, sched_priority=0, sched_runtime=10000000, sched_deadline=30000000, sched_period=30000000, sched_util_min=0, sched_util_max=0}, 0) = 0",
            X64("sched_setattr", 0, m, 0, P + 0x100, 0));
        // SCHED_FLAG_KEEP_PARAMS: no policy and no parameters (the kernel keeps them).
        Assert.Equal("sched_setattr(0, {size=48, sched_flags=SCHED_FLAG_KEEP_PARAMS}, 0) = 0", X64("sched_setattr", 0, m, 0, P + 0x200, 0));
        Assert.Equal("sched_setattr(0, 0x8, 0) = -1 EFAULT (Bad address)", X64("sched_setattr", -14, m, 0, 8, 0));
        Assert.Equal("sched_getattr(0, 0x7ffc35e40000, 8, 0) = -1 EINVAL (Invalid argument)", X64("sched_getattr", -22, m, 0, P, 8, 0));
    }

    [Fact]
    public void PerfEventOpen_Attr()
    {
        // type, size, config, sample_period, sample_type, read_format, flag bits (disabled|exclude_kernel).
        var sw = new Bytes().U32(1).U32(128).U64(1).U64(0).U64(0).U64(0).U64(0x21).Zero(88).Build();
        var hw = new Bytes().U32(0).U32(128).U64(1).U64(1000).U64(3).U64(0).U64(0x21 | (2UL << 15)).Zero(88).Build();
        var m = new FakeMemory().Put(P, sw).Put(P + 0x100, hw);
        Assert.Equal("perf_event_open({type=PERF_TYPE_SOFTWARE, size=PERF_ATTR_SIZE_VER7, config=PERF_COUNT_SW_TASK_CLOCK, sample_period=0, sample_type=0, read_format=0, disabled=1, exclude_kernel=1, precise_ip=0 /* arbitrary skid */, ...}, 0, -1, -1, PERF_FLAG_FD_CLOEXEC) = 5",
            X64("perf_event_open", 5, m, P, 0, Neg(-1), Neg(-1), 8));
        Assert.Equal("perf_event_open({type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER7, config=PERF_COUNT_HW_INSTRUCTIONS, sample_period=1000, sample_type=PERF_SAMPLE_IP|PERF_SAMPLE_TID, read_format=0, disabled=1, exclude_kernel=1, precise_ip=2 /* requested to have 0 skid */, ...}, -1, 0, -1, 0x40 /* PERF_FLAG_??? */) = -1 EINVAL (Invalid argument)",
            X64("perf_event_open", -22, m, P + 0x100, Neg(-1), 0, Neg(-1), 0x40));
        Assert.Equal("perf_event_open(0x10, 0, -1, -1, 0) = -1 EFAULT (Bad address)", X64("perf_event_open", -14, m, 16, 0, Neg(-1), Neg(-1), 0));
        // A size below PERF_ATTR_SIZE_VER0 is not decoded (the kernel rejects it too).
        Assert.Equal("perf_event_open(0x7ffc35e40200, 0, -1, -1, 0) = -1 E2BIG (Argument list too long)",
            X64("perf_event_open", -7, m.Put(P + 0x200, new Bytes().U32(1).U32(32).Zero(40).Build()), P + 0x200, 0, Neg(-1), Neg(-1), 0));
    }
}
