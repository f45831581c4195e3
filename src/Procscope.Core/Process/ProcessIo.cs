using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/io, see proc_pid_io(5): I/O counters of the thread group (or of one thread under
/// /proc/[pid]/task/[tid]/io). Present only with CONFIG_TASK_IO_ACCOUNTING; reading another user's
/// file needs ptrace access (PTRACE_MODE_READ_FSCREDS).
/// </summary>
/// <param name="RChar">rchar: bytes passed to read(2)-like calls, whether or not storage was touched.</param>
/// <param name="WChar">wchar: bytes passed to write(2)-like calls.</param>
/// <param name="SyscR">syscr: number of read-like system calls.</param>
/// <param name="SyscW">syscw: number of write-like system calls.</param>
/// <param name="ReadBytes">read_bytes: bytes this process caused to be fetched from the storage layer.</param>
/// <param name="WriteBytes">write_bytes: bytes this process caused to be sent to the storage layer.</param>
/// <param name="CancelledWriteBytes">cancelled_write_bytes: dirty page cache this process truncated before writeback.</param>
public sealed record ProcessIo(ulong RChar, ulong WChar, ulong SyscR, ulong SyscW, ulong ReadBytes, ulong WriteBytes, ulong CancelledWriteBytes)
    : IProcFile<ProcessIo>
{
    private const string FileName = "/proc/[pid]/io";

    public static ProcessIo Parse(ReadOnlySpan<byte> content)
    {
        var r = new KeyValueReader(content, FileName);
        ulong? rchar = null, wchar = null, syscr = null, syscw = null, readBytes = null, writeBytes = null, cancelled = null;
        while (r.MoveNext())
        {
            var k = r.Key;
            if (k.SequenceEqual("rchar"u8)) rchar = r.ParseUInt64();
            else if (k.SequenceEqual("wchar"u8)) wchar = r.ParseUInt64();
            else if (k.SequenceEqual("syscr"u8)) syscr = r.ParseUInt64();
            else if (k.SequenceEqual("syscw"u8)) syscw = r.ParseUInt64();
            else if (k.SequenceEqual("read_bytes"u8)) readBytes = r.ParseUInt64();
            else if (k.SequenceEqual("write_bytes"u8)) writeBytes = r.ParseUInt64();
            else if (k.SequenceEqual("cancelled_write_bytes"u8)) cancelled = r.ParseUInt64();
        }
        return new ProcessIo(
            rchar ?? throw Missing(content, "rchar"),
            wchar ?? throw Missing(content, "wchar"),
            syscr ?? throw Missing(content, "syscr"),
            syscw ?? throw Missing(content, "syscw"),
            readBytes ?? throw Missing(content, "read_bytes"),
            writeBytes ?? throw Missing(content, "write_bytes"),
            cancelled ?? throw Missing(content, "cancelled_write_bytes"));
    }

    private static ProcFormatException Missing(ReadOnlySpan<byte> content, string key) =>
        ProcFormatException.At(FileName, content, content.Length, $"no {key} line");
}
