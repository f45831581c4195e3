using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Parsing;
using Procscope.Core.Process;
using Procscope.Linux.Processes;

namespace Procscope.Cli.Commands.Pmap;

/// <summary>
/// procscope pmap: procps-ng 4.0.2 pmap compatible output (default, -x, -X, -XX, -d, -q, -A, -p),
/// plus --memory (size, RSS, PSS, USS, swap and anonymous memory per mapping) and --json.
/// </summary>
public static class PmapCommand
{
    /// <summary>procps pmap's exit status when a process could not be shown.</summary>
    public const int ExitSomeFailed = 42;

    private static readonly OptionSpec[] Specs =
    [
        new('x', "extended"),
        new('X', null),
        new('d', "device"),
        new('q', "quiet"),
        new('A', "range", TakesValue: true),
        new('p', "show-path"),
        new('V', "version"),
        new('h', "help"),
        new(null, "memory"),
        new(null, "json"),
    ];

    /// <summary>smaps fields procps pmap -X leaves out (-XX shows every field).</summary>
    private static readonly HashSet<string> HiddenInX = new(StringComparer.Ordinal)
    {
        "KernelPageSize", "MMUPageSize", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "AnonHugePages",
    };

    public static Command Create() =>
        ClassicCommand.Create("pmap", "Report the memory map of processes (procps pmap compatible; --memory adds PSS, USS, swap).", Run);

    private enum Mode { Default, Extended, Device, X, XX, Memory, Json }

    public static int Run(CommandContext ctx)
    {
        var opts = new GetOpt(Specs).Parse(ctx.Args);
        if (opts.Has("help"))
        {
            ctx.Out.Write(Help);
            return 0;
        }
        if (opts.Has("version"))
        {
            ctx.Out.WriteLine("procscope pmap (procps-ng pmap 4.0.2 compatible)");
            return 0;
        }
        int xCount = opts.Count("X");
        int modes = (opts.Has("extended") ? 1 : 0) + (xCount > 0 ? 1 : 0) + (opts.Has("device") ? 1 : 0) + (opts.Has("memory") ? 1 : 0);
        if (modes > 1) throw new CliException("options -d, -x, -X and --memory are mutually exclusive");
        if (xCount > 2) throw new CliException("-X may be given at most twice (-XX)");
        var mode = opts.Has("json") ? Mode.Json : opts.Has("extended") ? Mode.Extended : opts.Has("device") ? Mode.Device
            : xCount == 2 ? Mode.XX : xCount == 1 ? Mode.X : opts.Has("memory") ? Mode.Memory : Mode.Default;
        bool quiet = opts.Has("quiet"), showPath = opts.Has("show-path");
        var (low, high) = ParseRange(opts.Last("range"));
        if (opts.Operands.Count == 0) throw new CliException("argument missing\nUsage: procscope pmap [options] PID [PID ...]");
        var pids = new List<int>();
        foreach (var o in opts.Operands)
        {
            if (!int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                throw new CliException($"invalid process id: {o}");
            pids.Add(pid);
        }

        int rc = 0;
        Utf8JsonWriter? json = null;
        MemoryStream? jsonBuffer = null;
        if (mode == Mode.Json)
        {
            jsonBuffer = new MemoryStream();
            json = new Utf8JsonWriter(jsonBuffer);
            json.WriteStartObject();
            json.WriteNumber("schema", 1);
            json.WriteStartArray("processes");
        }
        foreach (int pid in pids)
        {
            try
            {
                using var proc = ctx.ProcFs.OpenProcess(pid);
                var stat = proc.Stat();
                var cmd = proc.Cmdline();
                byte[] title = cmd.IsEmpty ? [(byte)'[', .. stat.CommBytes, (byte)']'] : cmd.JoinedWithSpaces();
                if (mode == Mode.Json)
                {
                    WriteJson(json!, pid, title, proc.Read<ProcessSmaps>("smaps"), low, high);
                    continue;
                }
                var sb = new StringBuilder();
                sb.Append(pid.ToString(CultureInfo.InvariantCulture)).Append(":   ").Append(ctx.Safe(title)).Append('\n');
                if (mode is Mode.Default or Mode.Device)
                {
                    var maps = proc.Read<ProcessMaps>("maps").Mappings.Where(m => InRange(m, low, high)).ToList();
                    if (mode == Mode.Default) RenderDefault(sb, ctx, maps, stat.StartStack, quiet, showPath);
                    else RenderDevice(sb, ctx, maps, stat.StartStack, quiet, showPath);
                }
                else
                {
                    var smaps = proc.Read<ProcessSmaps>("smaps");
                    var rows = smaps.Mappings.Where(m => InRange(m.Mapping, low, high)).ToList();
                    if (mode == Mode.Extended) RenderExtended(sb, ctx, rows, stat.StartStack, quiet, showPath);
                    else if (mode == Mode.Memory) RenderMemory(sb, ctx, rows, stat.StartStack, quiet, showPath);
                    else RenderX(sb, ctx, smaps, rows, mode == Mode.XX, quiet, showPath);
                }
                ctx.Out.Write(sb.ToString());
            }
            catch (ProcessException)
            {
                // procps prints nothing for a process it cannot read and exits 42 at the end.
                rc = ExitSomeFailed;
            }
        }
        if (json is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            ctx.Out.Write(Encoding.UTF8.GetString(jsonBuffer!.ToArray()));
            ctx.Out.Write('\n');
            json.Dispose();
        }
        return rc;
    }

    /// <summary>-A low,high: "low", "low,", ",high" (hexadecimal, as procps reads them).</summary>
    private static (ulong Low, ulong High) ParseRange(string? arg)
    {
        if (arg is null) return (0, ulong.MaxValue);
        int comma = arg.IndexOf(',');
        string lo = comma < 0 ? arg : arg[..comma], hi = comma < 0 ? arg : arg[(comma + 1)..];
        ulong low = 0, high = ulong.MaxValue;
        if (lo.Length > 0 && !ulong.TryParse(Hex(lo), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out low)) throw new CliException($"invalid address range: {arg}");
        if (hi.Length > 0 && !ulong.TryParse(Hex(hi), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out high)) throw new CliException($"invalid address range: {arg}");
        return (low, high);
        static string Hex(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;
    }

    /// <summary>As procps: a mapping is shown when it starts at or below high and ends above low.</summary>
    private static bool InRange(MemoryMapping m, ulong low, ulong high) => m.Start <= high && m.End > low;

    /// <summary>
    /// A path for the terminal: a newline shown as the kernel's own "\012" escape (as procps shows
    /// it, since it never unescapes), other control bytes as '?'. procps' -X prints them raw.
    /// </summary>
    private static string Display(CommandContext ctx, ReadOnlySpan<byte> path)
    {
        if (path.IndexOf((byte)'\n') < 0) return ctx.Safe(path);
        var sb = new StringBuilder();
        while (true)
        {
            int nl = path.IndexOf((byte)'\n');
            if (nl < 0) break;
            sb.Append(ctx.Safe(path[..nl])).Append("\\012");
            path = path[(nl + 1)..];
        }
        return sb.Append(ctx.Safe(path)).ToString();
    }

    /// <summary>procps' mapping_name(): the file's base name (-p: the whole path), else "[ anon ]" or "[ stack ]" (by stat's start_stack).</summary>
    private static string Name(CommandContext ctx, MemoryMapping m, ulong startStack, bool showPath)
    {
        var path = m.PathBytes;
        int slash = Array.LastIndexOf(path, (byte)'/');
        if (slash >= 0)
        {
            if (showPath) return Display(ctx, path.AsSpan(Array.IndexOf(path, (byte)'/')));
            return Display(ctx, slash + 1 < path.Length ? path.AsSpan(slash + 1) : path.AsSpan(slash));
        }
        return startStack >= m.Start && startStack <= m.End ? "  [ stack ]" : "  [ anon ]";
    }

    /// <summary>The 5-letter mode procps prints: r, w, x, s for shared, and '-' for the reserved fifth.</summary>
    private static string Mode5(MemoryMapping m) =>
        string.Concat(m.Readable ? "r" : "-", m.Writable ? "w" : "-", m.Executable ? "x" : "-", m.Shared ? "s" : "-", "-");

    private static void RenderDefault(StringBuilder sb, CommandContext ctx, List<MemoryMapping> maps, ulong startStack, bool quiet, bool showPath)
    {
        ulong total = 0;
        foreach (var m in maps)
        {
            ulong kb = m.SizeBytes / 1024;
            total += kb;
            sb.Append(CultureInfo.InvariantCulture, $"{m.Start:x16} {kb,6}K {Mode5(m)} {Name(ctx, m, startStack, showPath)}\n");
        }
        if (!quiet) sb.Append(CultureInfo.InvariantCulture, $" total {total,16}K\n");
    }

    private static void RenderDevice(StringBuilder sb, CommandContext ctx, List<MemoryMapping> maps, ulong startStack, bool quiet, bool showPath)
    {
        if (!quiet) sb.Append("Address           Kbytes Mode  Offset           Device    Mapping\n");
        ulong mapped = 0, writablePrivate = 0, shared = 0;
        foreach (var m in maps)
        {
            ulong kb = m.SizeBytes / 1024;
            mapped += kb;
            if (m.Shared) shared += kb;
            else if (m.Writable) writablePrivate += kb;
            sb.Append(CultureInfo.InvariantCulture, $"{m.Start:x16} {kb,7} {Mode5(m)} {m.Offset:x16} {m.DevMajor:x3}:{m.DevMinor:x5} {Name(ctx, m, startStack, showPath)}\n");
        }
        if (!quiet) sb.Append(CultureInfo.InvariantCulture, $"mapped: {mapped}K    writeable/private: {writablePrivate}K    shared: {shared}K\n");
    }

    private static void RenderExtended(StringBuilder sb, CommandContext ctx, List<SmapsMapping> rows, ulong startStack, bool quiet, bool showPath)
    {
        if (!quiet) sb.Append("Address           Kbytes     RSS   Dirty Mode  Mapping\n");
        long size = 0, rss = 0, dirty = 0;
        foreach (var r in rows)
        {
            var m = r.Mapping;
            long s = r.SizeBytes / 1024, rs = r.RssBytes / 1024, d = r.DirtyBytes / 1024;
            size += s; rss += rs; dirty += d;
            sb.Append(CultureInfo.InvariantCulture, $"{m.Start:x16} {s,7} {rs,7} {d,7} {Mode5(m)} {Name(ctx, m, startStack, showPath)}\n");
        }
        if (!quiet)
        {
            sb.Append("---------------- ------- ------- ------- \n");
            sb.Append(CultureInfo.InvariantCulture, $"total kB {size,15} {rss,7} {dirty,7}\n");
        }
    }

    /// <summary>Ours: the sizes that answer "how much memory is this", in the -x layout.</summary>
    private static void RenderMemory(StringBuilder sb, CommandContext ctx, List<SmapsMapping> rows, ulong startStack, bool quiet, bool showPath)
    {
        if (!quiet) sb.Append("Address           Kbytes     RSS     PSS     USS    Swap    Anon Mode  Mapping\n");
        var t = new long[6];
        foreach (var r in rows)
        {
            long[] v = [r.SizeBytes / 1024, r.RssBytes / 1024, r.PssBytes / 1024, r.UssBytes / 1024, r.SwapBytes / 1024, r.AnonymousBytes / 1024];
            for (int i = 0; i < 6; i++) t[i] += v[i];
            sb.Append(CultureInfo.InvariantCulture, $"{r.Mapping.Start:x16} {v[0],7} {v[1],7} {v[2],7} {v[3],7} {v[4],7} {v[5],7} {Mode5(r.Mapping)} {Name(ctx, r.Mapping, startStack, showPath)}\n");
        }
        if (!quiet)
        {
            sb.Append("---------------- ------- ------- ------- ------- ------- ------- \n");
            sb.Append(CultureInfo.InvariantCulture, $"total kB {t[0],15} {t[1],7} {t[2],7} {t[3],7} {t[4],7} {t[5],7}\n");
        }
    }

    /// <summary>-X / -XX: the smaps fields as columns, each as wide as its widest cell, then the "====" and totals lines.</summary>
    private static void RenderX(StringBuilder sb, CommandContext ctx, ProcessSmaps smaps, List<SmapsMapping> rows, bool all, bool quiet, bool showPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var fields = Enumerable.Range(0, smaps.Fields.Count).Where(i => all || !HiddenInX.Contains(smaps.Fields[i])).ToList();
        bool flags = all && rows.Any(r => r.VmFlags is not null);
        string[] fixedHeads = ["Address", "Perm", "Offset", "Device", "Inode"];
        var cells = new List<string[]>(rows.Count);
        var totals = new long[fields.Count];
        foreach (var r in rows)
        {
            var m = r.Mapping;
            var row = new string[5 + fields.Count + (flags ? 1 : 0)];
            row[0] = m.Start.ToString("x", inv);
            row[1] = m.Perms;
            row[2] = m.Offset.ToString("x8", inv);
            row[3] = m.Device;
            row[4] = m.Inode.ToString(inv);
            for (int k = 0; k < fields.Count; k++)
            {
                long v = r[fields[k]] ?? 0;
                if (smaps.IsSize(fields[k])) v /= 1024;
                totals[k] += v;
                row[5 + k] = v.ToString(inv);
            }
            if (flags) row[^1] = r.VmFlags ?? "";
            cells.Add(row);
        }
        int n = 5 + fields.Count + (flags ? 1 : 0);
        var heads = new string[n];
        fixedHeads.CopyTo(heads, 0);
        for (int k = 0; k < fields.Count; k++) heads[5 + k] = smaps.Fields[fields[k]];
        if (flags) heads[^1] = "VmFlags";
        var widths = new int[n];
        for (int i = 0; i < n; i++)
        {
            widths[i] = quiet ? 0 : heads[i].Length;
            foreach (var row in cells) widths[i] = Math.Max(widths[i], row[i].Length);
            if (i >= 5 && i < 5 + fields.Count && !quiet) widths[i] = Math.Max(widths[i], totals[i - 5].ToString(inv).Length);
        }
        if (!quiet) AppendRow(sb, heads, widths, "Mapping");
        foreach (var (row, r) in cells.Zip(rows))
        {
            var m = r.Mapping;
            string name = m.PathBytes.Length == 0 ? "" : Array.LastIndexOf(m.PathBytes, (byte)'/') is int slash and >= 0 && !showPath
                ? Display(ctx, m.PathBytes.AsSpan(slash + 1)) : Display(ctx, m.PathBytes);
            AppendRow(sb, row, widths, name);
        }
        if (quiet) return;
        int prefix = 0;
        for (int i = 0; i < 5; i++) prefix += widths[i] + 1;
        sb.Append(' ', prefix);
        for (int k = 0; k < fields.Count; k++) sb.Append('=', widths[5 + k]).Append(' ');
        sb.Append('\n');
        sb.Append(' ', prefix);
        for (int k = 0; k < fields.Count; k++) sb.Append(totals[k].ToString(inv).PadLeft(widths[5 + k])).Append(' ');
        sb.Append("KB \n");
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, string last)
    {
        for (int i = 0; i < cells.Length; i++) sb.Append(cells[i].PadLeft(widths[i])).Append(' ');
        sb.Append(last).Append('\n');
    }

    private static void WriteJson(Utf8JsonWriter w, int pid, byte[] title, ProcessSmaps smaps, ulong low, ulong high)
    {
        w.WriteStartObject();
        w.WriteNumber("pid", pid);
        w.WriteString("command", Encoding.UTF8.GetString(title));
        w.WriteStartArray("mappings");
        long size = 0, rss = 0, pss = 0, uss = 0, swap = 0, anon = 0, dirty = 0;
        foreach (var r in smaps.Mappings)
        {
            var m = r.Mapping;
            if (!InRange(m, low, high)) continue;
            size += r.SizeBytes; rss += r.RssBytes; pss += r.PssBytes; uss += r.UssBytes; swap += r.SwapBytes; anon += r.AnonymousBytes; dirty += r.DirtyBytes;
            w.WriteStartObject();
            w.WriteString("start_address", "0x" + m.Start.ToString("x", CultureInfo.InvariantCulture));
            w.WriteString("end_address", "0x" + m.End.ToString("x", CultureInfo.InvariantCulture));
            w.WriteString("perms", m.Perms);
            w.WriteNumber("offset_bytes", m.Offset);
            w.WriteString("device", m.Device);
            w.WriteNumber("inode", m.Inode);
            w.WriteString("path", Encoding.UTF8.GetString(m.PathBytes));
            w.WriteBoolean("deleted", m.Deleted);
            w.WriteNumber("size_bytes", r.SizeBytes);
            w.WriteNumber("rss_bytes", r.RssBytes);
            w.WriteNumber("pss_bytes", r.PssBytes);
            w.WriteNumber("uss_bytes", r.UssBytes);
            w.WriteNumber("swap_bytes", r.SwapBytes);
            w.WriteNumber("anonymous_bytes", r.AnonymousBytes);
            w.WriteNumber("dirty_bytes", r.DirtyBytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("totals");
        w.WriteNumber("size_bytes", size);
        w.WriteNumber("rss_bytes", rss);
        w.WriteNumber("pss_bytes", pss);
        w.WriteNumber("uss_bytes", uss);
        w.WriteNumber("swap_bytes", swap);
        w.WriteNumber("anonymous_bytes", anon);
        w.WriteNumber("dirty_bytes", dirty);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private const string Help = """

        Usage:
         procscope pmap [options] PID [PID ...]

        Options:
         -x, --extended              show details
         -X                          show even more details (-XX: everything the kernel provides)
         -d, --device                show the device format
         -q, --quiet                 do not display header and footer
         -A, --range=<low>[,<high>]  limit results to the given range
         -p, --show-path             show path in the mapping
             --memory                size, RSS, PSS, USS (private clean + dirty), swap and
                                     anonymous memory per mapping, with totals
             --json                  one JSON object: every mapping and the totals, in bytes
         -h, --help                  display this help and exit
         -V, --version               output version information and exit

        Exit status 42 when a process could not be read (as procps pmap).

        """;
}
