using System.Buffers.Binary;
using System.Globalization;
using Procscope.Core.Syscalls;
using Procscope.Linux.Tracing;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// -e read=SET / -e write=SET: strace's full dump of the data a call read from or wrote to one of
/// the descriptors, after the call's line (strace's dumpio): 16 bytes a line,
/// <c> | 00000  68 69 0a 09 1b 5b 33 31  6d ff 00 7a 7a 30 31 32  hi...[31m..zz012 |</c>.
/// Only printable ASCII (0x20–0x7e) is shown as itself; every other byte, escapes and newlines
/// included, is a '.', so tracee data cannot reach the terminal raw.
/// </summary>
public sealed class IoDump(FdSet? reads, FdSet? writes)
{
    /// <summary>strace reads tracee memory in 64 KiB pieces.</summary>
    private const int Chunk = 1 << 16;
    private const int UioMaxIov = 1024;
    private byte[] _buf = new byte[4096];

    /// <summary>Writes the dumps the call asks for (nothing for other calls or descriptors).</summary>
    public void Write(TraceSink sink, TraceeThread tracee, SyscallCall c)
    {
        int fd = (int)c.Args[0];
        if (fd < 0) return;
        bool i386 = c.Abi == SyscallAbi.I386;
        // Writes are dumped even when the call failed (the bytes offered); reads only on success.
        if (writes is not null && writes.Contains(fd))
        {
            switch (c.Name)
            {
                case "write" or "pwrite64" or "send" or "sendto" or "mq_timedsend" or "mq_timedsend_time64":
                    Bytes(sink, tracee, c.Args[1], c.Args[2]);
                    break;
                case "writev" or "pwritev" or "pwritev2" or "vmsplice":
                    Vector(sink, tracee, (int)c.Args[2], c.Args[1], ulong.MaxValue, i386);
                    break;
                case "sendmsg":
                    InMsghdr(sink, tracee, c.Args[1], ulong.MaxValue, i386);
                    break;
                case "sendmmsg":
                    InMmsghdr(sink, tracee, c.Args[1], c.ReturnValue, i386);
                    break;
            }
        }
        if (c.Errno != 0 || c.ReturnValue < 0) return;
        if (reads is not null && reads.Contains(fd))
        {
            ulong got = (ulong)c.ReturnValue;
            switch (c.Name)
            {
                case "read" or "pread64" or "recv" or "recvfrom" or "mq_timedreceive" or "mq_timedreceive_time64":
                    Bytes(sink, tracee, c.Args[1], got);
                    break;
                case "readv" or "preadv" or "preadv2":
                    Vector(sink, tracee, (int)c.Args[2], c.Args[1], got, i386);
                    break;
                case "recvmsg":
                    InMsghdr(sink, tracee, c.Args[1], got, i386);
                    break;
                case "recvmmsg" or "recvmmsg_time64":
                    InMmsghdr(sink, tracee, c.Args[1], c.ReturnValue, i386);
                    break;
            }
        }
    }

    /// <summary>strace's dumpiov_upto: each non-empty buffer of an iovec array, up to <paramref name="dataSize"/> bytes in all.</summary>
    private void Vector(TraceSink sink, TraceeThread tracee, int count, ulong address, ulong dataSize, bool i386)
    {
        if (count <= 0 || count > UioMaxIov) return;
        int size = i386 ? 8 : 16;
        var iov = new byte[count * size];
        if (tracee.Read(address, iov) != iov.Length) return;
        for (int i = 0; i < count; i++)
        {
            var e = iov.AsSpan(i * size, size);
            ulong @base = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e);
            ulong len = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(e[4..]) : BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
            if (len > dataSize) len = dataSize;
            if (len == 0) break;
            dataSize -= len;
            sink.Append(" * " + len.ToString(CultureInfo.InvariantCulture) + " bytes in buffer " + i.ToString(CultureInfo.InvariantCulture) + "\n");
            Bytes(sink, tracee, @base, len);
        }
    }

    /// <summary>struct msghdr: msg_iov and msg_iovlen (x86_64 at 16 and 24, i386 at 8 and 12).</summary>
    private void InMsghdr(TraceSink sink, TraceeThread tracee, ulong address, ulong dataSize, bool i386)
    {
        Span<byte> hdr = stackalloc byte[i386 ? 28 : 56];
        if (tracee.Read(address, hdr) != hdr.Length) return;
        ulong iov = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(hdr[8..]) : BinaryPrimitives.ReadUInt64LittleEndian(hdr[16..]);
        ulong iovlen = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(hdr[12..]) : BinaryPrimitives.ReadUInt64LittleEndian(hdr[24..]);
        Vector(sink, tracee, (int)iovlen, iov, dataSize, i386);
    }

    /// <summary>struct mmsghdr[]: for each of the <paramref name="messages"/> transferred, its buffers up to msg_len.</summary>
    private void InMmsghdr(TraceSink sink, TraceeThread tracee, ulong address, long messages, bool i386)
    {
        int size = i386 ? 32 : 64;
        Span<byte> m = stackalloc byte[size];
        for (long i = 0; i < messages; i++, address += (ulong)size)
        {
            if (tracee.Read(address, m) != size) break;
            ulong iov = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(m[8..]) : BinaryPrimitives.ReadUInt64LittleEndian(m[16..]);
            ulong iovlen = i386 ? BinaryPrimitives.ReadUInt32LittleEndian(m[12..]) : BinaryPrimitives.ReadUInt64LittleEndian(m[24..]);
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(m[(i386 ? 28 : 56)..]);
            sink.Append(" = " + iovlen.ToString(CultureInfo.InvariantCulture) + " buffers in vector " + i.ToString(CultureInfo.InvariantCulture) + "\n");
            Vector(sink, tracee, (int)iovlen, iov, len, i386);
        }
    }

    /// <summary>strace's dumpstr: <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    private void Bytes(TraceSink sink, TraceeThread tracee, ulong address, ulong length)
    {
        if (length == 0 || length > length + 16 || address + length < address) return;
        // The offset column is 5 hex digits, wider when the length needs more.
        int offsetDigits = length > 1 << 20 ? 1 + (63 - System.Numerics.BitOperations.LeadingZeroCount(length - 1)) / 4 : 5;
        ulong done = 0;
        Span<char> line = stackalloc char[96];
        while (done < length)
        {
            int fetch = (int)Math.Min(length - done, (ulong)Chunk);
            if (_buf.Length < fetch) _buf = new byte[Math.Max(fetch, _buf.Length * 2)];
            var data = _buf.AsSpan(0, fetch);
            if (tracee.Read(address + done, data) != fetch)
            {
                // Silent when nothing could be read; said when a dump breaks off.
                if (done > 0)
                    sink.Append(" | <Cannot fetch " + fetch.ToString(CultureInfo.InvariantCulture) + (fetch == 1 ? " byte" : " bytes") +
                        " from pid " + tracee.Tid.ToString(CultureInfo.InvariantCulture) + " @0x" + (address + done).ToString("x", CultureInfo.InvariantCulture) + ">\n");
                return;
            }
            for (int at = 0; at < fetch; at += 16)
            {
                int n = FormatLine(line, done + (ulong)at, offsetDigits, data[at..Math.Min(fetch, at + 16)]);
                sink.Append(new string(line[..n]));
            }
            done += (ulong)fetch;
        }
    }

    /// <summary>One dump line: " | OFFSET  hex of 16 bytes (a gap after 8)  ASCII |\n", short lines padded.</summary>
    public static int FormatLine(Span<char> line, ulong offset, int offsetDigits, ReadOnlySpan<byte> bytes)
    {
        const string hex = "0123456789abcdef";
        int p = 0;
        line[p++] = ' ';
        line[p++] = '|';
        line[p++] = ' ';
        string off = offset.ToString("x" + offsetDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        off.CopyTo(line[p..]);
        p += off.Length;
        line[p++] = ' ';
        line[p++] = ' ';
        for (int i = 0; i < 16; i++)
        {
            if (i < bytes.Length)
            {
                line[p++] = hex[bytes[i] >> 4];
                line[p++] = hex[bytes[i] & 15];
            }
            else
            {
                line[p++] = ' ';
                line[p++] = ' ';
            }
            line[p++] = ' ';
            if (i == 7 || i == 15) line[p++] = ' ';
        }
        for (int i = 0; i < 16; i++)
            line[p++] = i < bytes.Length ? (bytes[i] is >= 0x20 and <= 0x7e ? (char)bytes[i] : '.') : ' ';
        line[p++] = ' ';
        line[p++] = '|';
        line[p++] = '\n';
        return p;
    }
}
