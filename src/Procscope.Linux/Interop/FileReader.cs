using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Procscope.Linux.Interop;

/// <summary>
/// Reads kernel files whole, with open/read/close and errno as a value (no exceptions for the
/// expected ENOENT/EACCES of an enumeration). The size /proc reports (0 or 4096) is never trusted:
/// reads continue until EOF into a growing pooled buffer, bounded by a caller-given maximum.
/// One instance per thread; not thread-safe.
/// </summary>
internal sealed unsafe class FileReader : IDisposable
{
    private byte[] _buffer;
    private byte[] _path = new byte[512];

    public FileReader(int initialSize = 8192) => _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>Reads <paramref name="path"/> (absolute or relative to <paramref name="dirFd"/>) whole.</summary>
    /// <returns>0 on success, else errno. <paramref name="content"/> is valid until the next call.</returns>
    /// <param name="dirFd">Directory descriptor for a relative path, or -1.</param>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">Upper bound; longer content is cut and <paramref name="truncated"/> set.</param>
    /// <param name="content">The bytes read.</param>
    /// <param name="truncated">True when <paramref name="maxBytes"/> was reached.</param>
    /// <param name="shortReadIsEof">
    /// Stop after a read that returned fewer bytes than asked. Only true for files generated in one
    /// piece (single_open seq_files such as /proc/[pid]/stat and status, and the cmdline/environ
    /// readers, which fill the buffer while content remains), as procps' file2str assumes. Never for
    /// multi-record seq_files (slabinfo, maps, diskstats, vmstat, /proc/net/*): seq_read returns short
    /// when the next record does not fit, long before the end.
    /// </param>
    public int Read(int dirFd, scoped ReadOnlySpan<char> path, int maxBytes, out ReadOnlySpan<byte> content, out bool truncated, bool shortReadIsEof = false)
    {
        content = default;
        truncated = false;
        int len = EncodePath(path);
        int fd;
        fixed (byte* p = _path)
        {
            do
            {
                fd = dirFd >= 0 ? LibC.openat(dirFd, p, LibC.O_RDONLY | LibC.O_CLOEXEC) : LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC);
            } while (fd < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
        }
        if (fd < 0) return Marshal.GetLastSystemError();
        try
        {
            int total = 0;
            while (true)
            {
                if (total == _buffer.Length)
                {
                    if (total >= maxBytes)
                    {
                        truncated = true;
                        break;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(_buffer.Length * 2, 8192), Math.Max(maxBytes, 8192)));
                    _buffer.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = bigger;
                }
                int want = Math.Min(_buffer.Length, maxBytes) - total;
                if (want <= 0)
                {
                    truncated = true;
                    break;
                }
                nint n;
                fixed (byte* b = &_buffer[total])
                    n = LibC.read(fd, b, want);
                if (n < 0)
                {
                    int err = Marshal.GetLastSystemError();
                    if (err == Errno.EINTR) continue;
                    return err;
                }
                if (n == 0) break;
                total += (int)n;
                // For one-piece files a short read is the end; skipping the read(2) that would
                // return 0 saves ~10% of a full process scan.
                if (shortReadIsEof && n < want) break;
            }
            content = _buffer.AsSpan(0, total);
            return 0;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>Reads the file <paramref name="prefix"/> + <paramref name="name"/> (absolute) without building a string.</summary>
    public int Read(scoped ReadOnlySpan<char> prefix, scoped ReadOnlySpan<char> name, int maxBytes, out ReadOnlySpan<byte> content, out bool truncated, bool shortReadIsEof)
    {
        int len = prefix.Length + name.Length;
        if (len > 512) return Read(-1, string.Concat(prefix, name), maxBytes, out content, out truncated, shortReadIsEof);
        Span<char> path = stackalloc char[512];
        prefix.CopyTo(path);
        name.CopyTo(path[prefix.Length..]);
        return Read(-1, path[..len], maxBytes, out content, out truncated, shortReadIsEof);
    }

    /// <summary>readlink(2) of a path; returns errno or 0.</summary>
    public int ReadLink(int dirFd, ReadOnlySpan<char> path, out byte[] target)
    {
        target = [];
        EncodePath(path);
        int size = 1024;
        while (true)
        {
            var buf = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                nint n;
                fixed (byte* p = _path)
                fixed (byte* b = buf)
                    n = dirFd >= 0 ? LibC.readlinkat(dirFd, p, b, buf.Length) : LibC.readlink(p, b, buf.Length);
                if (n < 0) return Marshal.GetLastSystemError();
                if (n < buf.Length)
                {
                    target = buf.AsSpan(0, (int)n).ToArray();
                    return 0;
                }
                // Possibly truncated: retry bigger (PATH_MAX is 4096, but be safe).
                if (size >= 1 << 20)
                {
                    target = buf.AsSpan(0, (int)n).ToArray();
                    return 0;
                }
                size *= 4;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buf);
            }
        }
    }

    private int EncodePath(scoped ReadOnlySpan<char> path)
    {
        int max = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        if (_path.Length < max) _path = new byte[Math.Max(max, _path.Length * 2)];
        int len = Encoding.UTF8.GetBytes(path, _path);
        _path[len] = 0;
        return len;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
