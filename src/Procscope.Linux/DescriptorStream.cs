using System.Runtime.InteropServices;
using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>
/// A write-only stream over an inherited descriptor (1 or 2) that calls write(2) directly.
/// System.Console's stream drops EPIPE silently and initialising the console writes keypad escape
/// sequences to a terminal; FileStream uses pwrite with its own cached offset on regular files, so a
/// shell's `(a; b) > file` and stdout/stderr sharing one file would overwrite each other. write(2)
/// advances the shared file offset like every classic tool. Errors surface as IOException with the
/// errno in HResult (EPIPE = 32, ENOSPC = 28).
/// </summary>
public sealed unsafe class DescriptorStream(int fd) : Stream
{
    public int Descriptor { get; } = fd;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            nint n;
            fixed (byte* p = buffer) n = LibC.write(Descriptor, p, buffer.Length);
            if (n < 0)
            {
                int errno = Marshal.GetLastSystemError();
                if (errno == Errno.EINTR) continue;
                throw new DescriptorWriteException(Descriptor, errno, errno switch
                {
                    32 => "Broken pipe",
                    28 => "No space left on device",
                    9 => "Bad file descriptor",
                    _ => new System.ComponentModel.Win32Exception(errno).Message,
                });
            }
            buffer = buffer[(int)n..];
        }
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>write(2) on an output descriptor failed; <see cref="Errno"/> says why (EPIPE 32: the reader left).</summary>
public sealed class DescriptorWriteException(int descriptor, int errno, string message) : IOException(message, errno)
{
    public int Descriptor { get; } = descriptor;
    public int Errno { get; } = errno;
    public bool IsBrokenPipe => Errno == 32;
}
