using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// Pressure stall information: /proc/pressure/{cpu,io,memory,irq} (and the cgroup v2
/// <c>*.pressure</c> files, which share the format), see proc_pressure(5) and
/// Documentation/accounting/psi.rst. Since Linux 4.20 (CONFIG_PSI).
/// <code>
/// some avg10=0.17 avg60=1.61 avg300=2.27 total=13461639
/// full avg10=0.00 avg60=0.00 avg300=0.00 total=0
/// </code>
/// </summary>
/// <param name="Some">Share of time at least one task was stalled. Null only for
/// /proc/pressure/irq (since Linux 6.1), which reports "full" alone.</param>
/// <param name="Full">Share of time all non-idle tasks were stalled at once. The cpu file has this
/// line since Linux 5.13; system-wide it is always zero (only meaningful for cgroups).</param>
public sealed record Pressure(PressureLine? Some, PressureLine? Full) : IProcFile<Pressure>
{
    private const string FileName = "/proc/pressure/*";

    public static Pressure Parse(ReadOnlySpan<byte> content)
    {
        var r = new SpanReader(content, FileName);
        PressureLine? some = null, full = null;
        while (!r.AtEnd)
        {
            if (!r.HasField())
            {
                r.SkipLine();
                continue;
            }
            int at = r.Position;
            var kind = r.NextField();
            bool isSome = kind.SequenceEqual("some"u8);
            if (!isSome && !kind.SequenceEqual("full"u8)) throw r.FailAt(at, "expected 'some' or 'full'");
            var line = new PressureLine(
                Avg(ref r, "avg10="u8), Avg(ref r, "avg60="u8), Avg(ref r, "avg300="u8), Total(ref r));
            if (isSome) some = line;
            else full = line;
            r.SkipLine();
        }
        if (some is null && full is null) throw r.Fail("no 'some' or 'full' line");
        return new Pressure(some, full);
    }

    private static double Avg(ref SpanReader r, ReadOnlySpan<byte> prefix)
    {
        var v = Value(ref r, prefix, out int at);
        if (!System.Buffers.Text.Utf8Parser.TryParse(v, out double d, out int n) || n != v.Length)
            throw r.FailAt(at, "expected a decimal number");
        return d;
    }

    private static ulong Total(ref SpanReader r)
    {
        var v = Value(ref r, "total="u8, out int at);
        if (!Bytes.TryUInt64(v, out ulong t)) throw r.FailAt(at, "expected an unsigned integer");
        return t;
    }

    // "avg10=0.17": checks the name so that a reordered or renamed field is an error, not a wrong value.
    private static ReadOnlySpan<byte> Value(ref SpanReader r, ReadOnlySpan<byte> prefix, out int at)
    {
        r.SkipBlanks();
        at = r.Position;
        var f = r.NextField();
        if (!f.StartsWith(prefix)) throw r.FailAt(at, $"expected '{System.Text.Encoding.ASCII.GetString(prefix)}'");
        return f[prefix.Length..];
    }
}

/// <summary>One line of a pressure file.</summary>
/// <param name="Avg10">Percentage of wall time stalled, averaged over 10 seconds.</param>
/// <param name="Avg60">Same over 60 seconds.</param>
/// <param name="Avg300">Same over 300 seconds.</param>
/// <param name="TotalMicroseconds">Total stall time in microseconds (monotonic; rates come from its deltas).</param>
public sealed record PressureLine(double Avg10, double Avg60, double Avg300, ulong TotalMicroseconds);
