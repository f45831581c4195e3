using System.Buffers;
using System.Runtime.ConstrainedExecution;
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
/// Keeps kernel files open and re-reads them whole with pread(2) at offset 0, so that a /proc file
/// kept open costs one syscall per refresh instead of open+read+close (on the development VM, 10,000
/// /proc/[pid]/stat files: about 50 ms against 120 ms). A /proc/[pid] file descriptor pins the
/// process: once the process is reaped, reads fail with ESRCH even if the pid is reused.
/// <para>
/// Files are addressed by slot number: the descriptors live in one int array owned here (closed by
/// <see cref="Close"/>, <see cref="Dispose"/> or, as a last resort, the finalizer), so a table of
/// 10,000 processes holding 20,000 files allocates no SafeHandle object per file, and descriptors
/// never leave this folder raw. Errno is returned as a value. Not thread-safe.
/// </para>
/// </summary>
internal sealed class OpenFileReader : CriticalFinalizerObject, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private byte[] _path = new byte[512];
    private int[] _fds = [];
    private int[] _free = [];
    private int _freeCount;
    private int _used; // slots handed out so far (high-water mark)

    /// <summary>Descriptors currently open.</summary>
    public int Count { get; private set; }

    /// <summary>Opens <paramref name="path"/> read-only (O_CLOEXEC) into a new slot. Returns 0 or errno.</summary>
    public unsafe int Open(ReadOnlySpan<char> path, out int slot)
    {
        slot = -1;
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
        if (_freeCount > 0) slot = _free[--_freeCount];
        else
        {
            if (_used == _fds.Length)
            {
                int grown = Math.Max(1024, _fds.Length * 2);
                Array.Resize(ref _fds, grown);
                Array.Resize(ref _free, grown);
            }
            slot = _used++;
        }
        _fds[slot] = r;
        Count++;
        return 0;
    }

    /// <summary>Closes the descriptor of <paramref name="slot"/> and frees the slot.</summary>
    public void Close(int slot)
    {
        int fd = _fds[slot];
        if (fd < 0) return;
        _fds[slot] = -1;
        LibC.close(fd);
        _free[_freeCount++] = slot;
        Count--;
    }

    /// <summary>
    /// Reads the whole file of <paramref name="slot"/> from offset 0 with pread, growing the pooled
    /// buffer while a read fills it (the size /proc reports is never trusted), up to <paramref name="maxBytes"/>.
    /// </summary>
    /// <returns>0 or errno; <paramref name="content"/> is valid until the next call.</returns>
    public unsafe int ReadWhole(int slot, int maxBytes, out ReadOnlySpan<byte> content)
    {
        content = default;
        int raw = _fds[slot];
        int total = 0;
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
        content = _buffer.AsSpan(0, total);
        return 0;
    }

    private void CloseAll()
    {
        for (int i = 0; i < _used; i++)
            if (_fds[i] >= 0)
            {
                LibC.close(_fds[i]);
                _fds[i] = -1;
            }
        _used = _freeCount = 0;
        Count = 0;
    }

    public void Dispose()
    {
        CloseAll();
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        GC.SuppressFinalize(this);
    }

    ~OpenFileReader() => CloseAll();
}
