using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Procscope.Cli.Commands.Ps;

/// <summary>
/// --json / --json-lines: the selected columns as objects with snake_case keys and units in the
/// names (rss_bytes, cpu_seconds, start_time_unix …). Numbers are numbers; strings are the raw
/// bytes decoded as UTF-8 (invalid sequences become U+FFFD) and escaped by the JSON writer; what
/// could not be read is null. Columns with the same meaning (user/euser, %cpu/pcpu) appear once.
/// </summary>
internal sealed class PsJson : IPsSink
{
    private readonly TextWriter _out;
    private readonly PsContext _c;
    private readonly bool _lines;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _w;
    private readonly (int Index, string Key)[] _fields;
    private bool _started;

    public PsJson(TextWriter output, PsContext context, Column[] columns, bool lines)
    {
        _out = output;
        _c = context;
        _lines = lines;
        _w = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false });
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<(int, string)>();
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i].Field is not { } f) continue;
            var key = Key(f.Spec);
            if (seen.Add(key)) fields.Add((i, key));
        }
        _fields = [.. fields];
    }

    /// <summary>The JSON key of a format specifier.</summary>
    public static string Key(string spec) => spec switch
    {
        "%cpu" or "pcpu" => "cpu_percent",
        "%mem" or "pmem" => "mem_percent",
        "rss" or "rsz" or "rssize" or "sgi_rss" => "rss_bytes",
        "vsz" or "vsize" => "vsz_bytes",
        "sz" => "size_pages",
        "size" => "swappable_bytes",
        "m_size" => "vsize_bytes",
        "uss" => "uss_bytes",
        "pss" => "pss_bytes",
        "swap" => "swap_bytes",
        "drs" or "m_drs" or "dsiz" => "data_bytes",
        "trs" or "m_trs" or "trss" or "tsiz" => "text_bytes",
        "lim" => "rss_limit_bytes",
        "time" or "cputime" or "atime" or "bsdtime" or "times" or "cputimes" => "cpu_seconds",
        "etime" or "etimes" => "elapsed_seconds",
        "start" or "start_time" or "stime" or "lstart" or "bsdstart" => "start_time_unix",
        "args" or "cmd" or "command" => "args",
        "comm" or "ucomm" or "ucmd" or "fname" => "comm",
        "user" or "euser" or "uname" or "uid_hack" => "user",
        "suser" or "svuser" => "suser",
        "fuser" or "fsuser" => "fsuser",
        "uid" or "euid" => "uid",
        "suid" or "svuid" => "suid",
        "fuid" or "fsuid" => "fsuid",
        "group" or "egroup" => "group",
        "sgroup" or "svgroup" => "sgroup",
        "fgroup" or "fsgroup" => "fsgroup",
        "gid" or "egid" => "gid",
        "sgid" or "svgid" => "sgid",
        "fgid" or "fsgid" => "fsgid",
        "tty" or "tt" or "tname" or "tty8" or "longtname" or "tty4" => "tty",
        "s" or "state" => "state",
        "ni" or "nice" => "nice",
        "opri" or "intpri" => "opri",
        "class" or "cls" or "policy" => "policy",
        "psr" or "cpuid" or "lastcpu" => "psr",
        "f" or "flag" or "flags" => "flags",
        "wchan" or "wname" => "wchan",
        "nlwp" or "thcount" => "nlwp",
        "lwp" or "tid" or "spid" => "tid",
        "pgid" or "pgrp" => "pgid",
        "sid" or "sess" or "session" => "sid",
        "maj_flt" or "majflt" or "pagein" => "major_faults",
        "min_flt" or "minflt" => "minor_faults",
        "rbytes" or "io_read_bytes" => "io_read_bytes",
        "wbytes" or "io_write_bytes" => "io_write_bytes",
        "rchars" => "io_read_chars",
        "wchars" => "io_write_chars",
        "rops" => "io_read_ops",
        "wops" => "io_write_ops",
        "wcbytes" => "io_cancelled_write_bytes",
        "ctxsw_vol" => "ctxsw_voluntary",
        "ctxsw_invol" => "ctxsw_involuntary",
        "oom" or "oom_score" => "oom_score",
        "oomadj" => "oom_score_adj",
        "label" or "context" or "zone" => "label",
        "supgid" => "supplementary_gids",
        "supgrp" => "supplementary_groups",
        "ag_id" => "autogroup_id",
        "ag_nice" => "autogroup_nice",
        "luid" => "login_uid",
        "sig" or "pending" or "sig_pend" => "signals_pending",
        "tsig" => "signals_pending_thread",
        "blocked" or "sigmask" or "sig_block" => "signals_blocked",
        "ignored" or "sigignore" or "sig_ignore" => "signals_ignored",
        "caught" or "sigcatch" or "sig_catch" => "signals_caught",
        "stackp" or "start_stack" => "stack_start",
        "cuu" => "cpu_utilization_percent",
        "cuc" => "cpu_utilization_children_percent",
        _ => Snake(spec),
    };

    private static string Snake(string spec)
    {
        var sb = new StringBuilder(spec.Length);
        foreach (char ch in spec) sb.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '_');
        return sb.ToString().Trim('_');
    }

    public void Write(PsTask? task, Column[] columns)
    {
        if (task is null) return;
        if (!_lines && !_started) _w.WriteStartArray();
        _started = true;
        _w.WriteStartObject();
        foreach (var (index, key) in _fields)
        {
            _w.WritePropertyName(key);
            var col = columns[index];
            // m: a column blank on this kind of line ("-") is null, as is what could not be read.
            if (col.Render == R.Nop || (task.Sample.Denied & PsRender.Needs(col.Field!.Render, _c.Options)) != 0) _w.WriteNullValue();
            else Value(col.Field!.Render, task);
        }
        _w.WriteEndObject();
        if (_lines)
        {
            _w.Flush();
            _buffer.Write("\n"u8);
            _w.Reset();
        }
        if (_buffer.WrittenCount > 1 << 16) Drain();
    }

    public void Finish()
    {
        if (!_lines)
        {
            if (!_started) _w.WriteStartArray();
            _w.WriteEndArray();
            _w.Flush();
            _buffer.Write("\n"u8);
        }
        Drain();
    }

    private void Drain()
    {
        _w.Flush();
        if (_buffer.WrittenCount == 0) return;
        _out.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _buffer.ResetWrittenCount();
    }

    private static string Lossy(ReadOnlySpan<byte> raw) => Encoding.UTF8.GetString(raw);

    private void Str(string? s)
    {
        if (s is null) _w.WriteNullValue();
        else _w.WriteStringValue(s);
    }

    private void Value(R r, PsTask t)
    {
        var c = _c;
        var st = t.Stat;
        var s = t.Status;
        switch (r)
        {
            case R.Pcpu: _w.WriteNumberValue((uint)t.CpuScaled(c, 1000) / 10.0); return;
            case R.Pmem:
            {
                ulong pm = c.MemTotalKb > 0 ? t.VmRssKb * 1000UL / (ulong)c.MemTotalKb : 0;
                _w.WriteNumberValue(Math.Min(pm, 999UL) / 10.0);
                return;
            }
            case R.C: _w.WriteNumberValue(Math.Min(t.CpuScaled(c, 100), 99UL)); return;
            case R.Cp: _w.WriteNumberValue(Math.Min(t.CpuScaled(c, 1000), 999UL)); return;
            case R.Rss: _w.WriteNumberValue(t.VmRssKb * 1024); return;
            case R.Vsz: _w.WriteNumberValue(t.VmSizeKb * 1024); return;
            case R.Sz: _w.WriteNumberValue(t.VmSizeKb / (ulong)Math.Max(1, c.System.PageSizeBytes / 1024)); return;
            case R.Swapable: _w.WriteNumberValue((t.VmDataKb + t.VmStackKb) * 1024); return;
            case R.Size: _w.WriteNumberValue(st.VSize); return;
            case R.Dsiz:
            case R.Drs: _w.WriteNumberValue(st.VSize != 0 ? st.VSize - st.EndCode + st.StartCode : 0); return;
            case R.Tsiz:
            case R.Trs: _w.WriteNumberValue(st.VSize != 0 ? st.EndCode - st.StartCode : 0); return;
            case R.Lim:
                if (st.RssLim == ulong.MaxValue) _w.WriteNullValue();
                else _w.WriteNumberValue(st.RssLim);
                return;
            case R.Uss:
            case R.Pss:
            case R.Swap:
            {
                var x = t.Extras(c, PsExtraFields.Smaps);
                if (x.SmapsDenied) _w.WriteNullValue();
                else _w.WriteNumberValue(x.Smaps is null ? 0 : r switch { R.Uss => x.Smaps.UssBytes, R.Pss => x.Smaps.PssBytes, _ => x.Smaps.SwapBytes });
                return;
            }
            case R.Time:
            case R.Times:
            case R.Bsdtime: _w.WriteNumberValue((double)(c.Options.IncludeDeadChildren && r == R.Bsdtime ? t.TicsAllC : t.TicsAll) / c.Hz); return;
            case R.Etime:
            case R.Etimes: _w.WriteNumberValue(Math.Round(t.ElapsedReal(c), 2)); return;
            case R.Start:
            case R.Stime:
            case R.Lstart:
            case R.Bsdstart: _w.WriteNumberValue(c.System.BootTimeUnixSeconds + (double)st.StartTimeTicks / c.Hz); return;
            case R.Args:
            {
                var cl = t.Sample.Cmdline;
                if (c.Options.BsdC) Str(Lossy(st.CommBytes));
                else if (cl is null) _w.WriteNullValue();
                else Str(Lossy(cl.JoinedWithSpaces()));
                return;
            }
            case R.Comm:
            case R.Fname: Str(Lossy(st.CommBytes)); return;
            case R.Euser: Str(c.Users.UserName(t.Euid)); return;
            case R.Ruser: Str(c.Users.UserName(t.Ruid)); return;
            case R.Suser: Str(c.Users.UserName(t.Suid)); return;
            case R.Fuser: Str(c.Users.UserName(t.Fuid)); return;
            case R.Egroup: Str(c.Users.GroupName(t.Egid)); return;
            case R.Rgroup: Str(c.Users.GroupName(t.Rgid)); return;
            case R.Sgroup: Str(c.Users.GroupName(t.Sgid)); return;
            case R.Fgroup: Str(c.Users.GroupName(t.Fgid)); return;
            case R.Euid: _w.WriteNumberValue(t.Euid); return;
            case R.Ruid: _w.WriteNumberValue(t.Ruid); return;
            case R.Suid: _w.WriteNumberValue(t.Suid); return;
            case R.Fuid: _w.WriteNumberValue(t.Fuid); return;
            case R.Egid: _w.WriteNumberValue(t.Egid); return;
            case R.Rgid: _w.WriteNumberValue(t.Rgid); return;
            case R.Sgid: _w.WriteNumberValue(t.Sgid); return;
            case R.Fgid: _w.WriteNumberValue(t.Fgid); return;
            case R.Tty8:
            case R.Tty4: Str(c.Terminals.Name(st.TtyNr)); return;
            case R.Stat:
            case R.S:
            {
                var b = new RowBuffer();
                PsRender.Render(r, t, c, RowBuffer.Capacity, b);
                Str(new string(b.Span));
                return;
            }
            case R.Nice:
                if (t.Policy is not (0 or 3 or -1)) _w.WriteNullValue();
                else _w.WriteNumberValue(st.Nice);
                return;
            case R.Rtprio:
                if (t.Policy is 0 or -1) _w.WriteNullValue();
                else _w.WriteNumberValue(st.RtPriority ?? 0);
                return;
            case R.Sched:
                if (t.Policy == -1) _w.WriteNullValue();
                else _w.WriteNumberValue(t.Policy);
                return;
            case R.Class:
            {
                var b = new RowBuffer();
                PsRender.Render(r, t, c, RowBuffer.Capacity, b);
                Str(b.Span.SequenceEqual("-") ? null : new string(b.Span));
                return;
            }
            case R.Flag: _w.WriteNumberValue(st.Flags); return;
            case R.Wchan: Str(PsRender.Wchan(t) is var w && w is "?" ? null : w); return;
            case R.Procs: _w.WriteNumberValue(t.Tgid); return;
            case R.Tasks: _w.WriteNumberValue(t.Tid); return;
            case R.Nlwp: _w.WriteNumberValue(t.Nlwp); return;
            case R.Ppid: _w.WriteNumberValue(st.PPid); return;
            case R.Pgid: _w.WriteNumberValue(st.PGrp); return;
            case R.Sess: _w.WriteNumberValue(st.Session); return;
            case R.Tpgid: _w.WriteNumberValue(st.TPGid); return;
            case R.Majflt: _w.WriteNumberValue(c.Options.IncludeDeadChildren ? st.MajFlt + st.CMajFlt : st.MajFlt); return;
            case R.Minflt: _w.WriteNumberValue(c.Options.IncludeDeadChildren ? st.MinFlt + st.CMinFlt : st.MinFlt); return;
            case R.Psr: _w.WriteNumberValue(st.Processor ?? 0); return;
            case R.Priority: _w.WriteNumberValue(st.Priority); return;
            case R.Opri: _w.WriteNumberValue(60 + st.Priority); return;
            case R.Pri: _w.WriteNumberValue(39 - st.Priority); return;
            case R.PriApi: _w.WriteNumberValue(-1 - st.Priority); return;
            case R.PriBar: _w.WriteNumberValue(st.Priority + 1); return;
            case R.PriBaz: _w.WriteNumberValue(st.Priority + 100); return;
            case R.PriFoo: _w.WriteNumberValue(st.Priority - 20); return;
            case R.Rbytes:
            case R.IoReadBytes: Num(t.Sample.Io?.ReadBytes); return;
            case R.Wbytes:
            case R.IoWriteBytes: Num(t.Sample.Io?.WriteBytes); return;
            case R.Rchars: Num(t.Sample.Io?.RChar); return;
            case R.Wchars: Num(t.Sample.Io?.WChar); return;
            case R.Rops: Num(t.Sample.Io?.SyscR); return;
            case R.Wops: Num(t.Sample.Io?.SyscW); return;
            case R.Wcbytes: Num(t.Sample.Io?.CancelledWriteBytes); return;
            case R.CtxswVol: Num(s?.VoluntaryCtxtSwitches); return;
            case R.CtxswInvol: Num(s?.NonvoluntaryCtxtSwitches); return;
            case R.Oom:
                if (t.Sample.OomScore is { } os) _w.WriteNumberValue(os);
                else _w.WriteNullValue();
                return;
            case R.OomAdj:
                if (t.Sample.OomScoreAdj is { } oa) _w.WriteNumberValue(oa);
                else _w.WriteNullValue();
                return;
            case R.Exe: Str(t.Sample.Exe is { } e ? Lossy(e) : null); return;
            case R.Cgroup:
            case R.Cgname: Str(t.Sample.Cgroup is null ? null : Lossy(PsRender.CgroupText(t, r == R.Cgname))); return;
            case R.Context: Str(t.Sample.Label is { } l ? Lossy(l).TrimEnd('\n', '\0') : null); return;
            case R.Supgid:
                _w.WriteStartArray();
                foreach (var g in s?.Groups ?? []) _w.WriteNumberValue(g);
                _w.WriteEndArray();
                return;
            case R.Supgrp:
                _w.WriteStartArray();
                foreach (var g in s?.Groups ?? []) Str(c.Users.GroupName(g) ?? g.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _w.WriteEndArray();
                return;
            case R.Sig: Num(t.IsThreadRead ? s?.SigPnd : s?.ShdPnd ?? s?.SigPnd); return;
            case R.Tsig: Num(s?.SigPnd); return;
            case R.Sigmask: Num(s?.SigBlk); return;
            case R.Sigignore: Num(s?.SigIgn); return;
            case R.Sigcatch: Num(s?.SigCgt); return;
            case R.Luid:
            {
                int lu = t.Extras(c, PsExtraFields.LoginUid).LoginUid;
                if (lu == -1) _w.WriteNullValue();
                else _w.WriteNumberValue((uint)lu);
                return;
            }
            case R.Agid: _w.WriteNumberValue(t.Extras(c, PsExtraFields.Autogroup).AutogroupId); return;
            case R.Agnice: _w.WriteNumberValue(t.Extras(c, PsExtraFields.Autogroup).AutogroupNice); return;
            case R.Utilization:
            case R.UtilizationC: _w.WriteNumberValue(Math.Round(t.Utilization(c, r == R.UtilizationC), 3)); return;
            case R.Stackp: _w.WriteNumberValue(st.StartStack); return;
            case R.Esp: _w.WriteNumberValue(st.KStkEsp); return;
            case R.Eip: _w.WriteNumberValue(st.KStkEip); return;
            case R.SgiP:
                if (st.State == 'R') _w.WriteNumberValue(st.Processor ?? 0);
                else _w.WriteNullValue();
                return;
            case R.Cgroupns or R.Ipcns or R.Mntns or R.Netns or R.Pidns or R.Timens or R.Userns or R.Utsns:
            {
                string name = r switch
                {
                    R.Cgroupns => "cgroup",
                    R.Ipcns => "ipc",
                    R.Mntns => "mnt",
                    R.Netns => "net",
                    R.Pidns => "pid",
                    R.Timens => "time",
                    R.Userns => "user",
                    _ => "uts",
                };
                var ns = t.Extras(c, PsExtraFields.Namespaces).Namespaces;
                if (ns is not null && ns.TryGetValue(name, out ulong inode)) _w.WriteNumberValue(inode);
                else _w.WriteNullValue();
                return;
            }
            default:
                _w.WriteNullValue();
                return;
        }
    }

    private void Num(ulong? v)
    {
        if (v is { } x) _w.WriteNumberValue(x);
        else _w.WriteNullValue();
    }
}
