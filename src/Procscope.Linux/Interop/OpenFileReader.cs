using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Procscope.Linux.Interop;

internal static unsafe partial class LibC
{
    public const int RLIMIT_NOFILE = 7;

    /// <summary>pread(2): reads at an offset without moving the file position (one syscall per re-read of a kept /proc file).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getrlimit(int resource, RLimit* rlim);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setrlimit(int resource, RLimit* rlim);
}

/// <summary>
/// Opens kernel files and re-reads them whole with pread(2) at offset 0, so that a /proc file kept
/// open costs one syscall per refresh instead of open+read+close (on the development VM, 10,000
/// /proc/[pid]/stat files: about 50 ms against 120 ms). A /proc/[pid] file descriptor pins the
/// process: once the process is reaped, reads fail with ESRCH even if the pid is reused.
/// Errno is returned as a value; descriptors never leave this folder raw. Not thread-safe.
/// </summary>
internal sealed class OpenFileReader : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private byte[] _path = new byte[512];

    /// <summary>Opens <paramref name="path"/> read-only (O_CLOEXEC). Returns 0 or errno.</summary>
    public unsafe int Open(ReadOnlySpan<char> path, out SafeFd? fd)
    {
        fd = null;
        int max = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        if (_path.Length < max) _path = new byte[max];
        int len = Encoding.UTF8.GetBytes(path, _path);
        _path[len] = 0;
        int r;
        fixed (byte* p = _path)
        {
            do r = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC);
            while (r < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
        }
        if (r < 0) return Marshal.GetLastSystemError();
        fd = new SafeFd(r);
        return 0;
    }

    /// <summary>
    /// Reads the whole file from offset 0 with pread, growing the pooled buffer while a read fills
    /// it (the size /proc reports is never trusted), up to <paramref name="maxBytes"/>.
    /// </summary>
    /// <returns>0 or errno; <paramref name="content"/> is valid until the next call.</returns>
    public unsafe int ReadWhole(SafeFd fd, int maxBytes, out ReadOnlySpan<byte> content)
    {
        content = default;
        int total = 0;
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            int raw = fd.Fd;
            while (true)
            {
                if (total == _buffer.Length)
                {
                    if (total >= maxBytes) break;
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, Math.Max(maxBytes, 4096)));
                    _buffer.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = bigger;
                }
                int want = Math.Min(_buffer.Length, maxBytes) - total;
                if (want <= 0) break;
                nint n;
                fixed (byte* b = &_buffer[total]) n = LibC.pread(raw, b, want, total);
                if (n < 0)
                {
                    int err = Marshal.GetLastSystemError();
                    if (err == Errno.EINTR) continue;
                    return err;
                }
                total += (int)n;
                // A short read is the end of a /proc file (seq_file fills the buffer while content remains).
                if (n < want) break;
            }
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
        content = _buffer.AsSpan(0, total);
        return 0;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
