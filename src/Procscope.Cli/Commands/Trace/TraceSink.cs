using System.Text;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// One output of the trace (stderr, the -o file, or one -ff file): a byte buffer written with
/// write(2) when full, at idle (terminals and pipes) and at the end. Tracks the column of the line
/// being written (strace aligns " = " at column 40) and which thread's call left it open.
/// </summary>
public sealed class TraceSink(Stream stream, bool flushWhenIdle) : IDisposable
{
    private readonly byte[] _buf = new byte[1 << 16];
    private int _len;

    public int Column { get; private set; }
    /// <summary>The thread whose entry text ends the buffer without a newline (strace's "current tcp").</summary>
    public TraceThreadState? Open { get; set; }
    public bool FlushWhenIdle { get; } = flushWhenIdle;

    public void Append(string s)
    {
        if (_len + s.Length * 3 > _buf.Length) Flush();
        if (s.Length * 3 > _buf.Length)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            stream.Write(bytes);
            UpdateColumn(bytes);
            return;
        }
        int n = Encoding.UTF8.GetBytes(s, _buf.AsSpan(_len));
        UpdateColumn(_buf.AsSpan(_len, n));
        _len += n;
    }

    public void Append(char c)
    {
        if (_len + 4 > _buf.Length) Flush();
        if (c < 0x80)
        {
            _buf[_len++] = (byte)c;
            Column = c == '\n' ? 0 : Column + 1;
        }
        else Append(c.ToString());
    }

    public void Append(long v)
    {
        if (_len + 24 > _buf.Length) Flush();
        v.TryFormat(_buf.AsSpan(_len), out int n, default, System.Globalization.CultureInfo.InvariantCulture);
        _len += n;
        Column += n;
    }

    /// <summary>Raw UTF-8 (a JSON line).</summary>
    public void AppendBytes(ReadOnlySpan<byte> bytes)
    {
        if (_len + bytes.Length > _buf.Length) Flush();
        if (bytes.Length > _buf.Length)
        {
            stream.Write(bytes);
        }
        else
        {
            bytes.CopyTo(_buf.AsSpan(_len));
            _len += bytes.Length;
        }
        UpdateColumn(bytes);
    }

    /// <summary>Spaces up to <paramref name="column"/>.</summary>
    public void PadTo(int column)
    {
        while (Column < column) Append(' ');
    }

    private void UpdateColumn(ReadOnlySpan<byte> bytes)
    {
        int nl = bytes.LastIndexOf((byte)'\n');
        Column = nl >= 0 ? bytes.Length - nl - 1 : Column + bytes.Length;
    }

    public void Flush()
    {
        if (_len == 0) return;
        stream.Write(_buf, 0, _len);
        _len = 0;
    }

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }
}
