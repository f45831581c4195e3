using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Processes;

/// <summary>
/// Reads a /proc file to end of file, for the files where a short read is not the end:
/// /proc/[pid]/maps and smaps are seq_files whose read(2) returns at most about a page of whole
/// records per call, however large the buffer. (FileReader stops at the first short read, which is
/// right for stat/status and saves a read(2) there, but truncates maps and smaps after ~4 KiB.)
/// </summary>
public static class WholeFileReader
{
    /// <summary>
    /// Reads /proc/PID/FILE whole. The result belongs to the process started at <paramref name="expectedStartTimeTicks"/>: when the
    /// process's start time (from its stat) differs after the read, the pid was reused and Gone is returned.
    /// </summary>
    public static ReadStatus TryRead(ProcFs fs, int pid, string file, ulong expectedStartTimeTicks, out byte[] content, int maxBytes = ProcFs.DefaultMaxFileBytes)
    {
        content = [];
        int err = ReadAll(fs.PathOf($"{pid}/{file}"), maxBytes, out content);
        if (err != 0)
        {
            if (err is Errno.ENOENT or Errno.ESRCH && Directory.Exists(fs.PathOf(pid.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                return ReadStatus.Missing;
            return ErrnoMap.ToStatus(err);
        }
        var stat = fs.TryReadBytes($"{pid}/stat");
        if (stat is null) return ReadStatus.Gone;
        try
        {
            if (Core.Process.ProcessStat.Parse(stat).StartTimeTicks != expectedStartTimeTicks) return ReadStatus.Gone;
        }
        catch (Core.Parsing.ProcFormatException)
        {
            return ReadStatus.Gone;
        }
        return ReadStatus.Ok;
    }

    private static unsafe int ReadAll(string path, int maxBytes, out byte[] content)
    {
        content = [];
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            do fd = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC);
            while (fd < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
        }
        if (fd < 0) return Marshal.GetLastSystemError();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int total = 0;
            while (total < maxBytes)
            {
                if (total == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                nint n;
                fixed (byte* b = &buffer[total]) n = LibC.read(fd, b, Math.Min(buffer.Length, maxBytes) - total);
                if (n < 0)
                {
                    int err = Marshal.GetLastSystemError();
                    if (err == Errno.EINTR) continue;
                    return err;
                }
                if (n == 0) break;
                total += (int)n;
            }
            content = buffer.AsSpan(0, total).ToArray();
            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            LibC.close(fd);
        }
    }
}
