using System.Buffers;
using System.Text.Json;
using Procscope.Core.Syscalls;

namespace Procscope.Cli.Commands.Trace;

/// <summary>
/// --json: NDJSON, one object per system call (and per signal and exit), each line valid alone.
/// Written with Utf8JsonWriter (no reflection, NativeAOT-safe) into a reused buffer: a stream of
/// millions of calls should not allocate a DOM or a record per call.
/// </summary>
/// <remarks>
/// {"schema":1,"type":"syscall","pid":N,"time_unix_us":T,"name":"openat","abi":"x86_64",
///  "args":[{"name":"dirfd","kind":"fd","value":-100,"text":"AT_FDCWD"},…],"return":3,
///  "errno":"ENOENT","return_text":"…","duration_us":D}
/// </remarks>
public sealed class TraceJson
{
    private readonly ArrayBufferWriter<byte> _buf = new(4096);
    private readonly Utf8JsonWriter _w;

    public TraceJson() => _w = new Utf8JsonWriter(_buf, new JsonWriterOptions { SkipValidation = true });

    private void Begin(string type, int pid, DateTime time)
    {
        _buf.ResetWrittenCount();
        _w.Reset(_buf);
        _w.WriteStartObject();
        _w.WriteNumber("schema"u8, 1);
        _w.WriteString("type"u8, type);
        _w.WriteNumber("pid"u8, pid);
        _w.WriteNumber("time_unix_us"u8, (time - DateTime.UnixEpoch).Ticks / 10);
    }

    private void End(TraceSink sink)
    {
        _w.WriteEndObject();
        _w.Flush();
        sink.AppendBytes(_buf.WrittenSpan);
        sink.Append('\n');
    }

    /// <summary>One call; "injected":true when -e inject/fault replaced its result; <paramref name="extra"/>
    /// writes more members (-k's "stack").</summary>
    public void Call(TraceSink sink, SyscallCall c, DateTime time, long durationUs, Action<Utf8JsonWriter>? extra = null, bool injected = false)
    {
        Begin("syscall", c.Pid, time);
        _w.WriteString("name"u8, c.Name);
        _w.WriteString("abi"u8, c.Abi == SyscallAbi.I386 ? "i386" : "x86_64");
        _w.WriteStartArray("args"u8);
        foreach (var a in c.Arguments)
        {
            _w.WriteStartObject();
            _w.WriteString("name"u8, a.Name);
            _w.WriteString("kind"u8, a.Kind switch
            {
                ArgKind.Integer => "integer",
                ArgKind.Unsigned => "unsigned",
                ArgKind.Pointer => "pointer",
                ArgKind.Fd => "fd",
                ArgKind.String => "string",
                ArgKind.Flags => "flags",
                _ => "struct",
            });
            if (a.Kind == ArgKind.String && a.Bytes is { } b)
            {
                // Exact bytes: as a JSON string when valid UTF-8, else as base64 beside the quoted text.
                if (System.Text.Unicode.Utf8.IsValid(b)) _w.WriteString("value"u8, b);
                else _w.WriteBase64String("value_base64"u8, b);
            }
            else if (a.Number is long n)
            {
                if (a.Kind is ArgKind.Unsigned or ArgKind.Pointer or ArgKind.Flags) _w.WriteNumber("value"u8, (ulong)n);
                else _w.WriteNumber("value"u8, n);
            }
            _w.WriteString("text"u8, a.Text);
            _w.WriteEndObject();
        }
        _w.WriteEndArray();
        long rv = c.Abi == SyscallAbi.I386 ? (int)c.ReturnValue : c.ReturnValue;
        if (c.Errno != 0)
        {
            _w.WriteNumber("return"u8, -1);
            _w.WriteString("errno"u8, ErrnoName(c.ReturnText));
        }
        else _w.WriteNumber("return"u8, rv);
        _w.WriteString("return_text"u8, c.ReturnText);
        _w.WriteNumber("duration_us"u8, durationUs);
        if (injected) _w.WriteBoolean("injected"u8, true);
        extra?.Invoke(_w);
        End(sink);
    }

    /// <summary>"ENOENT" from "-1 ENOENT (No such file or directory)" or "? ERESTARTSYS (…)".</summary>
    private static string ErrnoName(string returnText)
    {
        var parts = returnText.Split(' ', 3);
        return parts.Length >= 2 ? parts[1] : returnText;
    }

    public void Signal(TraceSink sink, int pid, DateTime time, string signal)
    {
        Begin("signal", pid, time);
        _w.WriteString("signal"u8, signal);
        End(sink);
    }

    public void Exit(TraceSink sink, int pid, DateTime time, int? code, string? signal)
    {
        Begin(code is not null ? "exited" : "killed", pid, time);
        if (code is int c) _w.WriteNumber("exit_code"u8, c);
        if (signal is not null) _w.WriteString("signal"u8, signal);
        End(sink);
    }
}
