using Procscope.Core.Parsing;

namespace Procscope.Core.Files;

/// <summary>
/// /proc/net/unix (proc_net(5)): "Num RefCount Protocol Flags Type St Inode Path". The path is
/// printed raw (an abstract name with '@' for its leading NUL): a name holding a newline continues
/// on the next line, which is joined back to it here.
/// </summary>
public static class NetUnix
{
    /// <summary>__SO_ACCEPTCON in the Flags column: a listening socket.</summary>
    private const ulong AcceptCon = 0x10000;

    public static List<UnixSocket> Parse(ReadOnlySpan<byte> content)
    {
        var list = new List<UnixSocket>();
        int pos = content.IndexOf((byte)'\n');
        if (pos < 0) return list;
        pos++;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var line = content[pos..end];
            if (!line.IsEmpty)
            {
                if (TryParseLine(line, out var s)) list.Add(s!);
                else if (list.Count > 0 && list[^1].Path is { } prev)
                    list[^1] = list[^1] with { Path = [.. prev, (byte)'\n', .. line] };
                else throw ProcFormatException.At("/proc/net/unix", content, pos, "expected a socket line");
            }
            pos = end + 1;
        }
        return list;
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, out UnixSocket? socket)
    {
        socket = null;
        var r = new SpanReader(line, "/proc/net/unix");
        var num = r.NextField();
        if (num.Length < 2 || num[^1] != (byte)':' || !Bytes.TryHexUInt64(num[..^1], out _)) return false;
        if (!r.TryNextField(out var refc) || !Bytes.TryHexUInt64(refc, out _)) return false;
        if (!r.TryNextField(out _)) return false; // protocol
        if (!r.TryNextField(out var flagsF) || !Bytes.TryHexUInt64(flagsF, out ulong flags)) return false;
        if (!r.TryNextField(out var typeF) || !Bytes.TryHexUInt64(typeF, out ulong type)) return false;
        if (!r.TryNextField(out var stF) || !Bytes.TryHexUInt64(stF, out ulong st)) return false;
        if (!r.TryNextField(out var inoF) || !Bytes.TryUInt64(inoF, out ulong ino)) return false;
        byte[]? path = null;
        var rest = r.Remaining;
        if (!rest.IsEmpty && rest[0] == (byte)' ') path = rest[1..].ToArray();
        var state = (flags & AcceptCon) != 0 ? UnixState.Listen : st switch
        {
            1 => UnixState.Unconnected,
            2 => UnixState.Connecting,
            3 => UnixState.Connected,
            4 => UnixState.Disconnecting,
            _ => UnixState.Free,
        };
        socket = new UnixSocket
        {
            Inode = ino, KernelAddress = "0x" + System.Text.Encoding.ASCII.GetString(num[..^1]), Type = (int)type, State = state, Path = path,
        };
        return true;
    }
}
