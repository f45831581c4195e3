using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Spawning;

/// <summary>What the kernel's process-events connector reported (linux/cn_proc.h).</summary>
public enum ProcEventKind { Fork, Exec, Exit }

/// <summary>One process event: for Fork, <see cref="Pid"/> is the child and <see cref="ParentPid"/> the parent (thread-group ids).</summary>
public readonly record struct ProcEvent(ProcEventKind Kind, int Pid, int ParentPid, int ExitStatus);

/// <summary>
/// The netlink process-events connector (CONFIG_PROC_EVENTS, NETLINK_CONNECTOR / CN_IDX_PROC):
/// every fork, exec and exit on the machine, as they happen, with the exit's wait status. Only
/// root (CAP_NET_ADMIN) may listen. Events of threads are dropped: only processes are reported.
/// Subscribe before starting the command; the socket queues events until <see cref="Start"/>.
/// </summary>
public sealed unsafe class ProcEventListener : IDisposable
{
    private const uint CN_IDX_PROC = 1, CN_VAL_PROC = 1;
    private const uint PROC_CN_MCAST_LISTEN = 1, PROC_CN_MCAST_IGNORE = 2;
    private const uint PROC_EVENT_FORK = 0x1, PROC_EVENT_EXEC = 0x2, PROC_EVENT_EXIT = 0x80000000;
    private const int NlMsgHdr = 16, CnMsg = 20, EventHeader = 16;

    private readonly SafeFd _fd;
    private Thread? _thread;
    private volatile bool _stop;

    private ProcEventListener(SafeFd fd) => _fd = fd;

    /// <summary>Events were lost (the socket buffer overflowed: ENOBUFS).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Subscribes to process events; null with a reason when not allowed or not built in.</summary>
    public static ProcEventListener? TryCreate(out string reason)
    {
        reason = "";
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, LibC.NETLINK_CONNECTOR);
        if (fd < 0)
        {
            reason = $"netlink connector socket: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}";
            return null;
        }
        var safe = new SafeFd(fd);
        int size = 8 << 20;
        if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &size, 4) != 0)
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &size, 4);
        var timeout = stackalloc long[2] { 0, 50_000 }; // struct timeval: 50 ms, so Stop is noticed
        LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, 16);
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        var addr = stackalloc byte[12];
        new Span<byte>(addr, 12).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(addr, 2), LibC.AF_NETLINK);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(addr + 8, 4), CN_IDX_PROC);
        if (LibC.bind(fd, addr, 12) != 0)
        {
            reason = $"netlink connector bind: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}";
            safe.Dispose();
            return null;
        }
        if (!SendOp(fd, PROC_CN_MCAST_LISTEN))
        {
            reason = $"process events subscription: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}";
            safe.Dispose();
            return null;
        }
        return new ProcEventListener(safe);
    }

    private static bool SendOp(int fd, uint op)
    {
        var msg = stackalloc byte[NlMsgHdr + CnMsg + 4];
        var s = new Span<byte>(msg, NlMsgHdr + CnMsg + 4);
        s.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)s.Length);         // nlmsg_len
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 3);                  // nlmsg_type = NLMSG_DONE
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)Environment.ProcessId); // nlmsg_pid
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], CN_IDX_PROC);       // cn_msg.id.idx
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], CN_VAL_PROC);       // cn_msg.id.val
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 4);                 // cn_msg.len
        BinaryPrimitives.WriteUInt32LittleEndian(s[36..], op);                // enum proc_cn_mcast_op
        return LibC.send(fd, msg, s.Length, 0) == s.Length;
    }

    /// <summary>Starts delivering events (queued ones first) to <paramref name="onEvent"/> on a background thread.</summary>
    public void Start(Action<ProcEvent> onEvent)
    {
        _thread = new Thread(() => Loop(onEvent)) { IsBackground = true, Name = "procscope-proc-events" };
        _thread.Start();
    }

    /// <summary>Stops after the events already queued have been delivered.</summary>
    public void Stop()
    {
        _stop = true;
        _thread?.Join();
        _thread = null;
    }

    private void Loop(Action<ProcEvent> onEvent)
    {
        var buffer = new byte[64 * 1024];
        fixed (byte* b = buffer)
        {
            while (true)
            {
                nint n = LibC.recv(_fd.Fd, b, buffer.Length, 0);
                if (n < 0)
                {
                    int err = Marshal.GetLastSystemError();
                    if (err == Errno.EINTR) continue;
                    if (err == 105) { Overflowed = true; continue; } // ENOBUFS
                    if (_stop) return; // EAGAIN: the queue is drained
                    continue;
                }
                int pos = 0;
                while (pos + NlMsgHdr <= n)
                {
                    var msg = new ReadOnlySpan<byte>(b + pos, (int)n - pos);
                    int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(msg);
                    if (len < NlMsgHdr || len > msg.Length) break;
                    if (Parse(msg[..len]) is { } e) onEvent(e);
                    pos += (len + 3) & ~3;
                }
            }
        }
    }

    /// <summary>Decodes one netlink message holding a cn_msg with a struct proc_event; null for other events and threads.</summary>
    internal static ProcEvent? Parse(ReadOnlySpan<byte> msg)
    {
        if (msg.Length < NlMsgHdr + CnMsg + EventHeader + 16) return null;
        var cn = msg[NlMsgHdr..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(cn) != CN_IDX_PROC) return null;
        var ev = cn[CnMsg..];
        uint what = BinaryPrimitives.ReadUInt32LittleEndian(ev);
        var d = ev[EventHeader..];
        int u0 = Word(d, 0), u1 = Word(d, 1), u2 = Word(d, 2), u3 = Word(d, 3), u5 = Word(d, 5);
        switch (what)
        {
            case PROC_EVENT_FORK: // parent_pid, parent_tgid, child_pid, child_tgid
                return u2 == u3 ? new ProcEvent(ProcEventKind.Fork, u3, u1, 0) : null;
            case PROC_EVENT_EXEC: // process_pid, process_tgid
                return u0 == u1 ? new ProcEvent(ProcEventKind.Exec, u1, 0, 0) : null;
            case PROC_EVENT_EXIT: // process_pid, process_tgid, exit_code, exit_signal, parent_pid, parent_tgid
                if (d.Length < 24 || u0 != u1) return null;
                return new ProcEvent(ProcEventKind.Exit, u1, u5, u2);
            default:
                return null;
        }
    }

    private static int Word(ReadOnlySpan<byte> d, int i) => (i + 1) * 4 <= d.Length ? (int)BinaryPrimitives.ReadUInt32LittleEndian(d[(i * 4)..]) : 0;

    public void Dispose()
    {
        Stop();
        if (!_fd.IsInvalid && !_fd.IsClosed) SendOp(_fd.Fd, PROC_CN_MCAST_IGNORE);
        _fd.Dispose();
    }
}
