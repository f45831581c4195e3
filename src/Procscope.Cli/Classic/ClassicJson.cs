using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Procscope.Cli.Classic;

/// <summary>
/// One JSON document per call, compact, for the --json output of the classic commands (NDJSON
/// when a command samples repeatedly: every line valid alone). Utf8JsonWriter: no reflection.
/// </summary>
public static class ClassicJson
{
    public static string Line(Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            w.WriteStartObject();
            writeBody(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>RFC 3339 UTC with milliseconds, e.g. 2026-11-25T21:42:15.123Z.</summary>
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A rate or percentage rounded to a stable number of decimals (avoids 0.30000000000000004 noise).</summary>
    public static void WriteRounded(this Utf8JsonWriter w, string name, double value, int decimals = 3) =>
        w.WriteNumber(name, Math.Round(value, decimals, MidpointRounding.AwayFromZero));
}

/// <summary>-V output of the classic commands.</summary>
public static class ClassicVersion
{
    public static string Text(string tool)
    {
        var v = typeof(ClassicVersion).Assembly.GetName().Version;
        string version = v is null ? "0.0.0" : v.ToString(3);
        return $"{tool} from procscope {version} (procps-ng 4.0.2 compatible)";
    }
}
