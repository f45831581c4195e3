using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Procscope.Core.Files;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Files;

/// <summary>One request on a new NETLINK_SOCK_DIAG socket (lsof's socket table, trace -yy).</summary>
internal static unsafe class SockDiagQuery
{
    /// <summary>
    /// Sends <paramref name="request"/> and passes each sock_diag answer to <paramref name="onMessage"/>:
    /// until NLMSG_DONE for a dump request, the one reply otherwise. False when the socket, the send
    /// or a recv failed (each recv waits at most <paramref name="timeoutSeconds"/>, so a kernel that
    /// stops answering cannot hang the caller) or the kernel answered with an error.
    /// </summary>
    public static bool Run(byte[] request, Action<ReadOnlySpan<byte>> onMessage, int timeoutSeconds)
    {
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, LibC.NETLINK_SOCK_DIAG);
        if (fd < 0) return false;
        using var owned = new SafeFd(fd);
        long* tv = stackalloc long[2] { timeoutSeconds, 0 };
        LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, 16);
        fixed (byte* r = request)
            if (LibC.send(fd, r, request.Length, 0) != request.Length) return false;
        bool dump = (BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)) & SockDiag.NlmFDump) != 0;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            nint n;
            fixed (byte* b = buffer) n = LibC.recv(fd, b, buffer.Length, 0);
            if (n < 0)
            {
                if (Marshal.GetLastSystemError() == Errno.EINTR) continue;
                return false;
            }
            if (n == 0) return true;
            var progress = SockDiag.Walk(buffer.AsSpan(0, (int)n), out _, onMessage);
            if (progress == SockDiag.Progress.Error) return false;
            if (progress == SockDiag.Progress.Done || !dump) return true;
        }
    }
}
