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

    public void Write(List<LsofRow> rows)
    {
        if (o.Terse) WritePids(rows);
        else if (o.Json) WriteJson(rows);
        else if (o.FieldOutput) WriteFields(rows);
        else WriteTable(rows);
    }

    /// <summary>The end of one -r cycle: "=======" in the table, an "m" line in -F output.</summary>
    public void WriteRepeatMarker()
    {
        if (o.Json || o.Terse) return;
        if (o.FieldOutput) ctx.Out.Write(o.FieldNul ? "m\0\n" : "m\n");
        else ctx.Out.Write("=======\n");
    }

    private void WritePids(List<LsofRow> rows)
    {
        int last = -1;
        var seen = new HashSet<int>();
        foreach (var r in rows)
        {
            if (r.Process.Pid == last || !seen.Add(r.Process.Pid)) continue;
            last = r.Process.Pid;
            ctx.Out.Write(last.ToString(CultureInfo.InvariantCulture));
            ctx.Out.Write('\n');
        }
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

    private void WriteTable(List<LsofRow> rows)
    {
        if (rows.Count == 0) return;
        bool tids = rows.Any(r => r.Process.Tid is not null);
        string sizeHeader = o.Offsets && !o.Sizes ? "OFFSET" : o.Sizes && !o.Offsets ? "SIZE" : "SIZE/OFF";
        const int cols = 13;
        string[] header = ["COMMAND", "PID", "PPID", "PGID", "TID", "TASKCMD", "USER", "FD", "TYPE", "DEVICE", sizeHeader, "NLINK", "NODE"];
        var w = new int[cols];
        for (int c = 0; c < cols; c++) w[c] = header[c].Length;
        w[7] = Math.Max(4, w[7]);
        // Two passes over the rows (widths, then lines) with the cells made again in the second:
        // keeping 13 strings per row of a 20,000-process listing cost hundreds of megabytes.
        // The per-process cells are made once per process (rows of one process are adjacent).
        var line = new string[cols];
        ProcessOpenFiles? current = null;
        void Fill(LsofRow r)
        {
            var p = r.Process;
            if (!ReferenceEquals(p, current))
            {
                current = p;
                line[0] = LsofText.Command(p.Command, o.CommandWidth, _utf8);
                line[1] = p.Pid.ToString(CultureInfo.InvariantCulture);
                line[2] = p.PPid.ToString(CultureInfo.InvariantCulture);
                line[3] = p.PGid.ToString(CultureInfo.InvariantCulture);
                line[4] = p.Tid?.ToString(CultureInfo.InvariantCulture) ?? "";
                line[5] = p.TaskCommand is { } tc ? LsofText.Command(tc, o.CommandWidth, _utf8) : "";
                line[6] = User(p.Uid);
            }
            line[7] = r.Fd;
            line[8] = r.Type;
            line[9] = r.Device;
            line[10] = SizeOff(r);
            line[11] = r.LinkCount?.ToString(CultureInfo.InvariantCulture) ?? "";
            line[12] = r.Node;
        }
        foreach (var r in rows)
        {
            Fill(r);
            for (int c = 0; c < cols; c++) w[c] = Math.Max(w[c], line[c].Length);
        }
        var sb = new StringBuilder(256);
        void Row(string[] v, char mode, char lck, string name)
        {
            sb.Clear();
            sb.Append(v[0].PadRight(w[0])).Append(' ').Append(v[1].PadLeft(w[1]));
            if (o.ShowPPid) sb.Append(' ').Append(v[2].PadLeft(w[2]));
            if (o.ShowPGid) sb.Append(' ').Append(v[3].PadLeft(w[3]));
            if (tids) sb.Append(' ').Append(v[4].PadLeft(w[4])).Append(' ').Append(v[5].PadRight(w[5]));
            sb.Append(' ').Append(v[6].PadRight(w[6]));
            sb.Append(' ').Append(v[7].PadLeft(w[7])).Append(mode).Append(lck);
            sb.Append(' ').Append(v[8].PadLeft(w[8]));
            sb.Append(' ').Append(v[9].PadLeft(w[9]));
            sb.Append(' ').Append(v[10].PadLeft(w[10]));
            if (o.ShowLinks) sb.Append(' ').Append(v[11].PadLeft(w[11]));
            sb.Append(' ').Append(v[12].PadLeft(w[12]));
            sb.Append(' ').Append(name).Append('\n');
            ctx.Out.Write(sb);
        }
        Row(header, ' ', ' ', "NAME");
        current = null;
        foreach (var r in rows)
        {
            Fill(r);
            Row(line, r.Access, r.Lock, LsofText.Escape(r.Name, false, _utf8) + r.NameSuffix);
        }
    }

    /// <summary>lsof -F: one field per line ("p123", "cbash", "f3", "n/path"), names exact.</summary>
    private void WriteFields(List<LsofRow> rows)
    {
        string sel = o.Fields!.Replace("0", "", StringComparison.Ordinal);
        bool all = sel.Length == 0;
        bool Want(char c) => all ? c is not 'K' : sel.Contains(c);
        char term = o.FieldNul ? '\0' : '\n';
        bool anyFileField = all || sel.Any(c => "faltGDdsoikPnT".Contains(c));
        var raw = new MemoryStream();
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
        (int, int?) current = (-1, null);
        foreach (var r in rows)
        {
            var p = r.Process;
            if (current != (p.Pid, p.Tid))
            {
                if (o.FieldNul && current.Item1 >= 0) raw.WriteByte((byte)'\n');
                current = (p.Pid, p.Tid);
                Field('p', p.Pid.ToString(CultureInfo.InvariantCulture));
                if (p.Tid is int tid && (all || Want('K'))) Field('K', tid.ToString(CultureInfo.InvariantCulture));
                if (Want('g')) Field('g', p.PGid.ToString(CultureInfo.InvariantCulture));
                if (Want('R')) Field('R', p.PPid.ToString(CultureInfo.InvariantCulture));
                if (Want('c')) RawField('c', p.Command);
                if (Want('u')) Field('u', p.Uid.ToString(CultureInfo.InvariantCulture));
                if (Want('L')) Field('L', UserDatabase.Shared.UserName(p.Uid) ?? p.Uid.ToString(CultureInfo.InvariantCulture));
            }
            if (!anyFileField) continue;
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
        if (o.FieldNul && rows.Count > 0) raw.WriteByte((byte)'\n');
        // Names go out as the exact bytes (possibly invalid UTF-8) when stdout is a byte stream.
        var bytes = raw.GetBuffer().AsSpan(0, (int)raw.Length);
        if (ctx.Out is StreamWriter sw)
        {
            sw.Flush();
            sw.BaseStream.Write(bytes);
        }
        else ctx.Out.Write(Encoding.UTF8.GetString(bytes));
    }

    private void WriteJson(List<LsofRow> rows)
    {
        ctx.Out.Write(ClassicJson.Line(w =>
        {
            w.WriteNumber("schema", 1);
            w.WriteString("time", ClassicJson.Timestamp(DateTimeOffset.UtcNow));
            w.WriteStartArray("processes");
            (int, int?) current = (-1, null);
            bool open = false;
            foreach (var r in rows)
            {
                var p = r.Process;
                if (current != (p.Pid, p.Tid))
                {
                    if (open) { w.WriteEndArray(); w.WriteEndObject(); }
                    open = true;
                    current = (p.Pid, p.Tid);
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
            }
            if (open) { w.WriteEndArray(); w.WriteEndObject(); }
            w.WriteEndArray();
        }));
        ctx.Out.Write('\n');
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
