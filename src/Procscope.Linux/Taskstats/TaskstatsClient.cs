using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Procscope.Core.Process;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Taskstats;

/// <summary>
/// Per-task accounting over generic netlink (Documentation/accounting/taskstats.rst): one
/// TASKSTATS_CMD_GET request per thread (TASKSTATS_CMD_ATTR_PID) or thread group
/// (TASKSTATS_CMD_ATTR_TGID), answered with a struct taskstats. The family id of "TASKSTATS" is
/// resolved once through the generic netlink controller. The command needs CAP_NET_ADMIN
/// (GENL_ADMIN_PERM): without it <see cref="TryOpen"/> reports EPERM and callers fall back to
/// /proc/[pid]/io, which has the byte and syscall counters but no delays.
/// </summary>
public sealed unsafe class TaskstatsClient : IDisposable
{
    private const int NlMsgHdr = 16, GenlHdr = 4, NlaHdr = 4;
    private readonly SafeFd _fd;
    private readonly ushort _family;
    private readonly byte[] _buffer = new byte[8192];
    private uint _seq;
    private byte[] _lastComm = new byte[32];
    private int _lastCommLength;

    private TaskstatsClient(SafeFd fd, ushort family)
    {
        _fd = fd;
        _family = family;
    }

    /// <summary>The struct taskstats version the kernel sent last (13 on Linux 6.0–6.x headers; newer kernels send more).</summary>
    public int KernelVersion { get; private set; }

    /// <summary>
    /// Opens the socket, resolves the family and checks the permission with a query for our own
    /// process. Null with a reason (and the errno) when taskstats cannot be used.
    /// </summary>
    public static TaskstatsClient? TryOpen(out string reason, out int errno)
    {
        reason = "";
        errno = 0;
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_GENERIC);
        if (fd < 0)
        {
            errno = Marshal.GetLastSystemError();
            reason = $"generic netlink socket: {Marshal.GetPInvokeErrorMessage(errno)}";
            return null;
        }
        var safe = new SafeFd(fd);
        var timeout = stackalloc long[2] { 1, 0 }; // never wait on the kernel for more than a second
        LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, 16);
        var addr = stackalloc byte[12];
        new Span<byte>(addr, 12).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(addr, 2), LibC.AF_NETLINK);
        if (LibC.bind(fd, addr, 12) != 0)
        {
            errno = Marshal.GetLastSystemError();
            reason = $"generic netlink bind: {Marshal.GetPInvokeErrorMessage(errno)}";
            safe.Dispose();
            return null;
        }
        var probe = new TaskstatsClient(safe, 0);
        errno = probe.ResolveFamily(out ushort family);
        if (errno != 0)
        {
            reason = errno == Errno.ENOENT
                ? "the kernel has no TASKSTATS generic netlink family (CONFIG_TASKSTATS off)"
                : $"taskstats family lookup: {Marshal.GetPInvokeErrorMessage(errno)}";
            safe.Dispose();
            return null;
        }
        var client = new TaskstatsClient(safe, family);
        errno = client.Query(Environment.ProcessId, threadGroup: true, out _);
        if (errno != 0)
        {
            reason = errno is Errno.EPERM or Errno.EACCES
                ? "taskstats needs CAP_NET_ADMIN (run as root)"
                : $"taskstats query: {Marshal.GetPInvokeErrorMessage(errno)}";
            safe.Dispose();
            return null;
        }
        return client;
    }

    /// <summary>
    /// Counters of thread <paramref name="id"/> (or, with <paramref name="threadGroup"/>, of the
    /// whole process: live threads plus those that exited). 0, or an errno as a value: ESRCH when
    /// the task is gone.
    /// </summary>
    public int Query(int id, bool threadGroup, out TaskIo io) => Query(id, threadGroup, out io, out _);

    /// <summary>
    /// As <see cref="Query(int, bool, out TaskIo)"/>, with the identity a per-thread answer carries
    /// (bacct_add_tsk: tgid, uid, nice, policy, start time; a thread-group answer has none).
    /// </summary>
    public int Query(int id, bool threadGroup, out TaskIo io, out TaskstatsIdentity identity)
    {
        io = default;
        identity = default;
        Span<byte> req = stackalloc byte[NlMsgHdr + GenlHdr + NlaHdr + 4];
        Header(req, _family, LibC.TASKSTATS_CMD_GET);
        Attr(req[(NlMsgHdr + GenlHdr)..], threadGroup ? LibC.TASKSTATS_CMD_ATTR_TGID : LibC.TASKSTATS_CMD_ATTR_PID, 4);
        BinaryPrimitives.WriteInt32LittleEndian(req[(NlMsgHdr + GenlHdr + NlaHdr)..], id);
        int err = Exchange(req, out var reply);
        if (err != 0) return err;
        // reply attributes: AGGR_PID/AGGR_TGID { PID/TGID u32, STATS struct taskstats }
        if (!Find(reply, threadGroup ? LibC.TASKSTATS_TYPE_AGGR_TGID : LibC.TASKSTATS_TYPE_AGGR_PID, out var outer)
            || !Find(outer, LibC.TASKSTATS_TYPE_STATS, out var payload))
            return Errno.EINVAL;
        TaskstatsV13 ts = default;
        int n = Math.Min(payload.Length, sizeof(TaskstatsV13));
        payload[..n].CopyTo(new Span<byte>(&ts, sizeof(TaskstatsV13)));
        KernelVersion = ts.version;
        new ReadOnlySpan<byte>(ts.ac_comm, 32).CopyTo(_lastComm);
        int nul = _lastComm.AsSpan().IndexOf((byte)0);
        _lastCommLength = nul < 0 ? 32 : nul;
        identity = new TaskstatsIdentity((int)ts.ac_pid, (int)ts.ac_tgid, ts.ac_uid, (sbyte)ts.ac_nice, ts.ac_sched, ts.ac_btime);
        io = new TaskIo
        {
            ReadBytes = ts.read_bytes,
            WriteBytes = ts.write_bytes,
            CancelledWriteBytes = ts.cancelled_write_bytes,
            ReadSyscalls = ts.read_syscalls,
            WriteSyscalls = ts.write_syscalls,
            BlkioCount = ts.blkio_count,
            BlkioDelayNs = ts.blkio_delay_total,
            SwapinCount = ts.swapin_count,
            SwapinDelayNs = ts.swapin_delay_total,
            RunNs = ts.cpu_run_real_total,
            ContextSwitches = ts.nvcsw + ts.nivcsw,
            TrackedDelayCounts = ts.blkio_count + ts.swapin_count + ts.freepages_count + ts.thrashing_count
                + ts.compact_count + ts.wpcopy_count,
        };
        return 0;
    }

    private int ResolveFamily(out ushort family)
    {
        family = 0;
        ReadOnlySpan<byte> name = "TASKSTATS\0"u8;
        int attrLen = NlaHdr + name.Length;
        Span<byte> req = stackalloc byte[NlMsgHdr + GenlHdr + ((attrLen + 3) & ~3)];
        req.Clear();
        Header(req, LibC.GENL_ID_CTRL, LibC.CTRL_CMD_GETFAMILY);
        Attr(req[(NlMsgHdr + GenlHdr)..], LibC.CTRL_ATTR_FAMILY_NAME, name.Length);
        name.CopyTo(req[(NlMsgHdr + GenlHdr + NlaHdr)..]);
        int err = Exchange(req, out var reply);
        if (err != 0) return err;
        if (!Find(reply, LibC.CTRL_ATTR_FAMILY_ID, out var id) || id.Length < 2) return Errno.ENOENT;
        family = BinaryPrimitives.ReadUInt16LittleEndian(id);
        return 0;
    }

    private void Header(Span<byte> msg, ushort type, byte cmd)
    {
        msg.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(msg, (uint)msg.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(msg[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(msg[6..], LibC.NLM_F_REQUEST);
        BinaryPrimitives.WriteUInt32LittleEndian(msg[8..], ++_seq);
        msg[NlMsgHdr] = cmd;
        msg[NlMsgHdr + 1] = 1; // genl version
    }

    private static void Attr(Span<byte> at, ushort type, int payloadLength)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)(NlaHdr + payloadLength));
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
    }

    /// <summary>Sends one request and receives its answer: the attributes after the genl header, or an errno.</summary>
    private int Exchange(ReadOnlySpan<byte> req, out ReadOnlySpan<byte> attributes)
    {
        attributes = default;
        fixed (byte* p = req)
        {
            nint sent;
            do sent = LibC.send(_fd.Fd, p, req.Length, 0);
            while (sent < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
            if (sent < 0) return Marshal.GetLastSystemError();
        }
        while (true)
        {
            nint n;
            fixed (byte* b = _buffer)
            {
                do n = LibC.recv(_fd.Fd, b, _buffer.Length, 0);
                while (n < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
            }
            if (n < 0) return Marshal.GetLastSystemError();
            var msg = new ReadOnlySpan<byte>(_buffer, 0, (int)n);
            if (msg.Length < NlMsgHdr) return Errno.EINVAL;
            int len = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(msg), (uint)msg.Length);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(msg[4..]);
            uint seq = BinaryPrimitives.ReadUInt32LittleEndian(msg[8..]);
            if (seq != _seq) continue; // a late answer to an earlier request that timed out
            if (type == LibC.NLMSG_ERROR)
            {
                int e = len >= NlMsgHdr + 4 ? -BinaryPrimitives.ReadInt32LittleEndian(msg[NlMsgHdr..]) : Errno.EINVAL;
                return e == 0 ? Errno.EINVAL : e;
            }
            if (len < NlMsgHdr + GenlHdr) return Errno.EINVAL;
            attributes = new ReadOnlySpan<byte>(_buffer, NlMsgHdr + GenlHdr, len - NlMsgHdr - GenlHdr);
            return 0;
        }
    }

    /// <summary>The payload of the first attribute of <paramref name="type"/> in a run of netlink attributes.</summary>
    private static bool Find(ReadOnlySpan<byte> data, ushort type, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        while (data.Length >= NlaHdr)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(data);
            ushort t = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) & LibC.NLA_TYPE_MASK);
            if (len < NlaHdr || len > data.Length) return false;
            if (t == type)
            {
                payload = data[NlaHdr..len];
                return true;
            }
            int next = (len + 3) & ~3;
            if (next >= data.Length) return false;
            data = data[next..];
        }
        return false;
    }

    /// <summary>The command name (ac_comm) of the last successful per-thread answer, as a new array.</summary>
    public byte[] LastComm() => LastCommSpan.ToArray();

    /// <summary>The command name of the last successful per-thread answer, without copying.</summary>
    public ReadOnlySpan<byte> LastCommSpan => _lastComm.AsSpan(0, _lastCommLength);

    public void Dispose() => _fd.Dispose();
}

/// <summary>Who a taskstats answer is about: ac_pid, ac_tgid, ac_uid, ac_nice, ac_sched (scheduling policy) and ac_btime (start, seconds since the epoch).</summary>
public readonly record struct TaskstatsIdentity(int Pid, int Tgid, uint Uid, int Nice, byte Policy, uint BeginTimeSeconds);
