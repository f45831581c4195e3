using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;
using Procscope.Core.Parsing;
using Procscope.Linux;
using Procscope.Linux.Files;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>Renders rows as lsof's table, its -F field lines, -t pids, or JSON.</summary>
public sealed class LsofOutput(CommandContext ctx, LsofOptions o)
{
    private readonly bool _utf8 = ctx.Console.Utf8Locale;

    // One snapshot's state: rows arrive grouped by process (Begin, Add…, End).
    private int _rows;
    private ProcessOpenFiles? _current;
    // -t
    private HashSet<int>? _seenPids;
    private int _lastPid;
    // -F
    private MemoryStream? _raw;
    // --json
    private ArrayBufferWriter<byte>? _jsonBuffer;
    private Utf8JsonWriter? _json;
    // The table: per-process cells and per-row cells, kept compactly until the widths are known.
    private CompactCells? _procCells, _rowCells;
    private bool _tids;
    private readonly string[] _pc = new string[7];
    private readonly string[] _rc = new string[8];
    private const int FlushBytes = 1 << 16;

    /// <summary>Starts a snapshot.</summary>
    public void Begin()
    {
        _rows = 0;
        _current = null;
        if (o.Terse)
        {
            _seenPids = [];
            _lastPid = -1;
        }
        else if (o.Json)
        {
            _jsonBuffer = new ArrayBufferWriter<byte>(FlushBytes + 4096);
            _json = new Utf8JsonWriter(_jsonBuffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
            _json.WriteStartObject();
            _json.WriteNumber("schema", 1);
            _json.WriteString("time", ClassicJson.Timestamp(DateTimeOffset.UtcNow));
            _json.WriteStartArray("processes");
        }
        else if (o.FieldOutput) _raw = new MemoryStream(FlushBytes + 4096);
        else
        {
            _procCells = new CompactCells(7);
            _rowCells = new CompactCells(8);
            _tids = false;
        }
    }

    /// <summary>One selected row; the rows of one process (or thread) arrive together.</summary>
    public void Add(LsofRow r)
    {
        bool first = !ReferenceEquals(r.Process, _current);
        if (o.Terse) AddPid(r);
        else if (o.Json) AddJson(r, first);
        else if (o.FieldOutput) AddFields(r, first);
        else AddTableRow(r, first);
        _current = r.Process;
        _rows++;
    }

    /// <summary>Ends a snapshot: writes what is left (the whole table, or the end of -F and JSON output) and forgets the snapshot.</summary>
    public void End()
    {
        if (o.Terse) _seenPids = null;
        else if (o.Json)
        {
            if (_rows > 0) { _json!.WriteEndArray(); _json.WriteEndObject(); }
            _json!.WriteEndArray();
            _json.WriteEndObject();
            FlushJson();
            _json.Dispose();
            _json = null;
            _jsonBuffer = null;
            ctx.Out.Write('\n');
        }
        else if (o.FieldOutput)
        {
            if (o.FieldNul && _rows > 0) _raw!.WriteByte((byte)'\n');
            FlushFields();
            _raw = null;
        }
        else
        {
            WriteTable();
            _procCells = _rowCells = null;
        }
        _current = null;
    }

    /// <summary>The end of one -r cycle: "=======" in the table, an "m" line in -F output.</summary>
    public void WriteRepeatMarker()
    {
        if (o.Json || o.Terse) return;
        if (o.FieldOutput) ctx.Out.Write(o.FieldNul ? "m\0\n" : "m\n");
        else ctx.Out.Write("=======\n");
    }

    private void AddPid(LsofRow r)
    {
        int pid = r.Process.Pid;
        if (pid == _lastPid || !_seenPids!.Add(pid)) return;
        _lastPid = pid;
        ctx.Out.Write(pid.ToString(CultureInfo.InvariantCulture));
        ctx.Out.Write('\n');
    }

    private string User(uint uid) =>
        o.NumericUid ? uid.ToString(CultureInfo.InvariantCulture) : UserDatabase.Shared.UserName(uid) ?? uid.ToString(CultureInfo.InvariantCulture);

    private string SizeOff(LsofRow r)
    {
        if (o.Offsets && !o.Sizes) return r.Offset is long off ? LsofRow.OffsetText(off) : "";
        if (o.Sizes && !o.Offsets) return r.Size is long sz ? sz.ToString(CultureInfo.InvariantCulture) : "";
        if (r.OffsetByDefault || (o.Offsets && r.Size is null)) return r.Offset is long off2 ? LsofRow.OffsetText(off2) : r.OffsetByDefault ? "0t0" : "";
        return r.Size is long s ? s.ToString(CultureInfo.InvariantCulture) : "";
    }

    // Keeps the cells of one table row: the per-process cells once per process (rows of one
    // process are adjacent), the file's cells and its escaped name per row.
    private void AddTableRow(LsofRow r, bool first)
    {
        var p = r.Process;
        if (first)
        {
            _pc[0] = LsofText.Command(p.Command, o.CommandWidth, _utf8);
            _pc[1] = p.Pid.ToString(CultureInfo.InvariantCulture);
            _pc[2] = p.PPid.ToString(CultureInfo.InvariantCulture);
            _pc[3] = p.PGid.ToString(CultureInfo.InvariantCulture);
            _pc[4] = p.Tid?.ToString(CultureInfo.InvariantCulture) ?? "";
            _pc[5] = p.TaskCommand is { } tc ? LsofText.Command(tc, o.CommandWidth, _utf8) : "";
            _pc[6] = User(p.Uid);
            _procCells!.Add(_pc);
            if (p.Tid is not null) _tids = true;
        }
        _rc[0] = r.Fd;
        _rc[1] = string.Create(2, (r.Access, r.Lock), static (span, v) => { span[0] = v.Access; span[1] = v.Lock; });
        _rc[2] = r.Type;
        _rc[3] = r.Device;
        _rc[4] = SizeOff(r);
        _rc[5] = r.LinkCount?.ToString(CultureInfo.InvariantCulture) ?? "";
        _rc[6] = r.Node;
        _rc[7] = LsofText.Escape(r.Name, false, _utf8) + r.NameSuffix;
        _rowCells!.Add(_rc, tag: _procCells!.Count - 1);
    }

    private void WriteTable()
    {
        var pc = _procCells!;
        var rc = _rowCells!;
        if (rc.Count == 0) return;
        bool tids = _tids;
        string sizeHeader = o.Offsets && !o.Sizes ? "OFFSET" : o.Sizes && !o.Offsets ? "SIZE" : "SIZE/OFF";
        // Widths of COMMAND PID PPID PGID TID TASKCMD USER, then FD TYPE DEVICE SIZE/OFF NLINK NODE.
        string[] pHeader = ["COMMAND", "PID", "PPID", "PGID", "TID", "TASKCMD", "USER"];
        var pw = new int[7];
        for (int c = 0; c < 7; c++) pw[c] = Math.Max(pHeader[c].Length, pc.Width(c));
        string[] fHeader = ["FD", "", "TYPE", "DEVICE", sizeHeader, "NLINK", "NODE"];
        var fw = new int[7];
        for (int c = 0; c < 7; c++) fw[c] = Math.Max(fHeader[c].Length, rc.Width(c));
        fw[0] = Math.Max(4, fw[0]);
        var sb = new StringBuilder(256);
        // The header line.
        sb.Append(pHeader[0].PadRight(pw[0])).Append(' ').Append(pHeader[1].PadLeft(pw[1]));
        if (o.ShowPPid) sb.Append(' ').Append(pHeader[2].PadLeft(pw[2]));
        if (o.ShowPGid) sb.Append(' ').Append(pHeader[3].PadLeft(pw[3]));
        if (tids) sb.Append(' ').Append(pHeader[4].PadLeft(pw[4])).Append(' ').Append(pHeader[5].PadRight(pw[5]));
        sb.Append(' ').Append(pHeader[6].PadRight(pw[6]));
        sb.Append(' ').Append(fHeader[0].PadLeft(fw[0])).Append("  ");
        sb.Append(' ').Append(fHeader[2].PadLeft(fw[2]));
        sb.Append(' ').Append(fHeader[3].PadLeft(fw[3]));
        sb.Append(' ').Append(fHeader[4].PadLeft(fw[4]));
        if (o.ShowLinks) sb.Append(' ').Append(fHeader[5].PadLeft(fw[5]));
        sb.Append(' ').Append(fHeader[6].PadLeft(fw[6]));
        sb.Append(" NAME\n");
        ctx.Out.Write(sb);
        for (int i = 0; i < rc.Count; i++)
        {
            int p = rc.Tag(i);
            sb.Clear();
            pc.AppendCell(sb, p, 0, pw[0]);
            sb.Append(' ');
            pc.AppendCell(sb, p, 1, pw[1], alignRight: true);
            if (o.ShowPPid) { sb.Append(' '); pc.AppendCell(sb, p, 2, pw[2], alignRight: true); }
            if (o.ShowPGid) { sb.Append(' '); pc.AppendCell(sb, p, 3, pw[3], alignRight: true); }
            if (tids)
            {
                sb.Append(' ');
                pc.AppendCell(sb, p, 4, pw[4], alignRight: true);
                sb.Append(' ');
                pc.AppendCell(sb, p, 5, pw[5]);
            }
            sb.Append(' ');
            pc.AppendCell(sb, p, 6, pw[6]);
            sb.Append(' ');
            rc.AppendCell(sb, i, 0, fw[0], alignRight: true);
            rc.AppendCell(sb, i, 1);
            for (int c = 2; c <= 6; c++)
            {
                if (c == 5 && !o.ShowLinks) continue;
                sb.Append(' ');
                rc.AppendCell(sb, i, c, fw[c], alignRight: true);
            }
            sb.Append(' ');
            rc.AppendCell(sb, i, 7);
            sb.Append('\n');
            ctx.Out.Write(sb);
        }
    }

    /// <summary>lsof -F: one field per line ("p123", "cbash", "f3", "n/path"), names exact; written out as it goes.</summary>
    private void AddFields(LsofRow r, bool first)
    {
        string sel = o.Fields!.Replace("0", "", StringComparison.Ordinal);
        bool all = sel.Length == 0;
        bool Want(char c) => all ? c is not 'K' : sel.Contains(c);
        char term = o.FieldNul ? '\0' : '\n';
        bool anyFileField = all || sel.Any(c => "faltGDdsoikPnT".Contains(c));
        var raw = _raw!;
        void Field(char letter, string value)
        {
            raw.WriteByte((byte)letter);
            var b = Encoding.UTF8.GetBytes(value);
            raw.Write(b);
            raw.WriteByte((byte)term);
        }
        void RawField(char letter, byte[] value)
        {
            raw.WriteByte((byte)letter);
            raw.Write(value);
            raw.WriteByte((byte)term);
        }
        var p = r.Process;
        // A new process (or thread) group: lsof starts it when the pid or tid changes.
        if (_current is null || _current.Pid != p.Pid || _current.Tid != p.Tid)
        {
            if (o.FieldNul && _current is not null) raw.WriteByte((byte)'\n');
            Field('p', p.Pid.ToString(CultureInfo.InvariantCulture));
            if (p.Tid is int tid && (all || Want('K'))) Field('K', tid.ToString(CultureInfo.InvariantCulture));
            if (Want('g')) Field('g', p.PGid.ToString(CultureInfo.InvariantCulture));
            if (Want('R')) Field('R', p.PPid.ToString(CultureInfo.InvariantCulture));
            if (Want('c')) RawField('c', p.Command);
            if (Want('u')) Field('u', p.Uid.ToString(CultureInfo.InvariantCulture));
            if (Want('L')) Field('L', UserDatabase.Shared.UserName(p.Uid) ?? p.Uid.ToString(CultureInfo.InvariantCulture));
        }
        if (anyFileField)
        {
            if (o.FieldNul) raw.WriteByte((byte)'\n');
            Field('f', r.Fd);
            if (Want('a')) Field('a', r.Access.ToString());
            if (Want('l')) Field('l', r.Lock.ToString());
            if (Want('t')) Field('t', r.Type);
            if (Want('G') && r.File.Info is { } info) Field('G', "0x" + info.Flags.ToString("x", CultureInfo.InvariantCulture) + ";0x0");
            if (Want('D') && r.DeviceHex is { } dh) Field('D', dh);
            if (Want('d') && r.DeviceChar is { } dc) Field('d', dc);
            bool sizeShown = !r.OffsetByDefault && !(o.Offsets && !o.Sizes) && r.Size is not null;
            if (Want('s') && r.Size is long s && (sizeShown || (!all && sel.Contains('s')) || o.Sizes)) Field('s', s.ToString(CultureInfo.InvariantCulture));
            if (Want('o') && r.Offset is long off && (!sizeShown || (!all && sel.Contains('o')) || o.Offsets)) Field('o', LsofRow.OffsetText(off));
            if (Want('i') && r.Inet is null && r.Inode is ulong ino) Field('i', ino.ToString(CultureInfo.InvariantCulture));
            if (Want('k') && r.LinkCount is ulong k && r.Unix is null) Field('k', k.ToString(CultureInfo.InvariantCulture));
            if (Want('P') && r.Protocol is { } proto) Field('P', proto);
            if (Want('n')) RawField('n', r.Name);
            if (Want('T')) foreach (var t in r.TcpInfo) Field('T', t);
        }
        if (raw.Length >= FlushBytes) FlushFields();
    }

    // Names go out as the exact bytes (possibly invalid UTF-8) when stdout is a byte stream.
    private void FlushFields()
    {
        var raw = _raw!;
        if (raw.Length == 0) return;
        var bytes = raw.GetBuffer().AsSpan(0, (int)raw.Length);
        if (ctx.Out is StreamWriter sw)
        {
            sw.Flush();
            sw.BaseStream.Write(bytes);
        }
        else ctx.Out.Write(Encoding.UTF8.GetString(bytes));
        raw.SetLength(0);
    }

    private void AddJson(LsofRow r, bool first)
    {
        var w = _json!;
        var p = r.Process;
        if (_current is null || _current.Pid != p.Pid || _current.Tid != p.Tid)
        {
            if (_current is not null) { w.WriteEndArray(); w.WriteEndObject(); }
            w.WriteStartObject();
            w.WriteNumber("pid", p.Pid);
            if (p.Tid is int tid) w.WriteNumber("tid", tid);
            w.WriteNumber("ppid", p.PPid);
            w.WriteNumber("pgid", p.PGid);
            w.WriteNumber("uid", p.Uid);
            if (UserDatabase.Shared.UserName(p.Uid) is { } user) w.WriteString("user", user);
            w.WriteString("command", TextSanitizer.Lossy(p.Command));
            if (p.TaskCommand is { } tc) w.WriteString("task_command", TextSanitizer.Lossy(tc));
            w.WriteStartArray("files");
        }
        WriteFile(w, r);
        if (w.BytesPending + _jsonBuffer!.WrittenCount >= FlushBytes) FlushJson();
    }

    // The JSON document is one line; its complete tokens go out as they are written.
    private void FlushJson()
    {
        _json!.Flush();
        if (_jsonBuffer!.WrittenCount == 0) return;
        ctx.Out.Write(Encoding.UTF8.GetString(_jsonBuffer.WrittenSpan));
        _jsonBuffer.ResetWrittenCount();
    }

    private static void WriteFile(Utf8JsonWriter w, LsofRow r)
    {
        w.WriteStartObject();
        if (r.File.Fd >= 0) w.WriteNumber("fd", r.File.Fd);
        else w.WriteString("fd", r.Fd);
        if (r.Access != ' ') w.WriteString("access", r.Access.ToString());
        if (r.Lock != ' ') w.WriteString("lock", r.Lock.ToString());
        w.WriteString("type", r.Type);
        if (r.Device.Length > 0) w.WriteString("device", r.Device);
        if (r.Size is long s) w.WriteNumber("size_bytes", s);
        if (r.Offset is long off) w.WriteNumber("offset_bytes", off);
        if (r.File.Info is { } info) w.WriteNumber("flags", info.Flags);
        if (r.Inode is ulong ino) w.WriteNumber("inode", ino);
        if (r.LinkCount is ulong k) w.WriteNumber("link_count", k);
        w.WriteBoolean("deleted", r.Deleted);
        if (r.File.StatSkipped) w.WriteBoolean("stat_skipped", true);
        // The exact name: the link text or mapping path, not display-escaped.
        w.WriteString("name", TextSanitizer.Lossy(r.File.Error is null ? r.Name : r.Name));
        if (r.File.Error is { } err) w.WriteString("error", err);
        if (r.Inet is { } s2)
        {
            w.WriteStartObject("socket");
            w.WriteString("protocol", s2.Protocol);
            w.WriteString("local_address", s2.LocalAddress.ToString());
            w.WriteNumber("local_port", s2.LocalPort);
            if (s2.HasRemote)
            {
                w.WriteString("remote_address", s2.RemoteAddress.ToString());
                w.WriteNumber("remote_port", s2.RemotePort);
            }
            if (s2.Protocol == "TCP") w.WriteString("state", Core.Files.TcpStates.Name(s2.State));
            w.WriteNumber("send_queue_bytes", s2.SendQueue);
            w.WriteNumber("receive_queue_bytes", s2.ReceiveQueue);
            if (s2.BytesSent is ulong bs) w.WriteNumber("bytes_sent", bs);
            if (s2.BytesReceived is ulong br) w.WriteNumber("bytes_received", br);
            w.WriteEndObject();
        }
        else if (r.Unix is { } u)
        {
            w.WriteStartObject("socket");
            w.WriteString("protocol", "UNIX");
            w.WriteString("socket_type", u.TypeName);
            w.WriteString("state", u.StateName);
            if (u.Path is { } path) w.WriteString("path", TextSanitizer.Lossy(path));
            if (u.PeerInode is ulong peer) w.WriteNumber("peer_inode", peer);
            w.WriteEndObject();
        }
        else if (r.Netlink is { } n)
        {
            w.WriteStartObject("socket");
            w.WriteString("protocol", "NETLINK");
            w.WriteString("netlink_protocol", n.ProtocolName);
            w.WriteNumber("port_id", n.PortId);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
