namespace Procscope.Cli.Commands.Ps;

/// <summary>Where a deferred format or sort option came from (procps SF_*).</summary>
internal enum SfCode
{
    /// <summary>-O: format, wrapped in pid … and the SysV trailer.</summary>
    UnixBigO,
    /// <summary>-o.</summary>
    UnixO,
    /// <summary>O: short sort keys, or a format wrapped in the BSD trailer.</summary>
    BsdBigO,
    /// <summary>o.</summary>
    BsdO,
    /// <summary>--sort and k.</summary>
    GnuSort,
    /// <summary>--format.</summary>
    GnuFormat,
}

/// <summary>One -o/O/--sort argument, kept until all options are known (procps sf_node).</summary>
internal sealed class SfNode(string text, SfCode code)
{
    public string Text { get; } = text;
    public SfCode Code { get; } = code;
    public List<Column> Columns { get; } = [];
    /// <summary>Sort keys in application order (procps applies each as a stable sort, so the first written is applied last).</summary>
    public List<SortNode?> Sorts { get; } = [];
}

/// <summary>
/// Turns -o/-O/o/O/--format/--sort arguments and the predefined formats (-f, -l, u, j …) into the
/// column list and sort list, following procps' ps/sortformat.c rule for rule (including its
/// error messages, which name the problem).
/// </summary>
internal sealed class PsFormatBuilder(int pidLength)
{
    private readonly List<SfNode> _deferred = [];
    private bool _haveGnuSort;
    private bool _alreadyParsedSort;
    private bool _alreadyParsedFormat;

    public void Defer(string text, SfCode code)
    {
        _deferred.Add(new SfNode(text, code));
        if (code == SfCode.GnuSort) _haveGnuSort = true;
    }

    /// <summary>Creates the column(s) of one specifier or macro; null when unknown.</summary>
    public List<Column>? OneSpec(string spec, string? header)
    {
        var fs = PsFields.Find(spec);
        if (fs is not null)
        {
            int w1 = fs.PidMax ? Math.Max(pidLength, fs.Header.Length) : fs.Width;
            int width = w1;
            string name = fs.Header;
            if (header is not null)
            {
                width = Math.Max(w1, System.Text.Encoding.UTF8.GetByteCount(header));
                name = header;
            }
            return [new Column { Name = name, Width = width, Field = fs, Just = fs.Just, Print = fs.Print, Render = fs.Render }];
        }
        if (PsFields.Macros.TryGetValue(spec, out var list))
        {
            var result = new List<Column>();
            foreach (var part in list.Split(','))
                result.AddRange(OneSpec(part, header)!);
            return result;
        }
        return null;
    }

    private static bool IsFormatSeparator(char c) => c is ' ' or ',' or '\t' or '\n';

    /// <summary>procps format_parse(): a list of SPEC[:WIDTH][=HEADER]; falls back to AIX descriptors when it contains '%'.</summary>
    private string? FormatParse(SfNode sfn)
    {
        string s = sfn.Text;
        string? err = FormatParseList(s, sfn.Columns);
        if (err is not null && s.Contains('%')) err = AixFormatParse(sfn);
        return err;
    }

    private string? FormatParseList(string s, List<Column> into)
    {
        bool needItem = true;
        int items = 0;
        int i = 0;
        do
        {
            char c = i < s.Length ? s[i] : '\0';
            if (c == '\0' || IsFormatSeparator(c))
            {
                if (needItem) return "improper format list";
                needItem = true;
            }
            else
            {
                if (needItem) items++;
                needItem = false;
            }
            i++;
        } while (i < s.Length);
        if (items == 0) return "empty format list";
        // One trailing delimiter is allowed.
        if (needItem) s = s[..^1];
        int walk = 0;
        while (items-- > 0)
        {
            int sep = walk;
            while (sep < s.Length && !IsFormatSeparator(s[sep])) sep++;
            string item = items > 0 && sep < s.Length ? s[walk..sep] : s[walk..];
            string? header = null;
            int eq = item.IndexOf('=');
            if (eq >= 0)
            {
                header = item[(eq + 1)..];
                item = item[..eq];
            }
            string? widthText = null;
            int colon = item.IndexOf(':');
            if (colon >= 0)
            {
                widthText = item[(colon + 1)..];
                item = item[..colon];
                if (widthText.Length == 0 || widthText[0] == '0' || !widthText.All(char.IsAsciiDigit) || !int.TryParse(widthText, out int wv) || wv <= 0)
                    return "column widths must be unsigned decimal numbers";
            }
            var nodes = OneSpec(item, header);
            if (nodes is null) return $"unknown user-defined format specifier \"{item}\"";
            if (widthText is not null)
            {
                if (nodes.Count > 1) return "can not set width for a macro (multi-column) format specifier";
                nodes[0].Width = int.Parse(widthText, System.Globalization.CultureInfo.InvariantCulture);
            }
            into.AddRange(nodes);
            walk = sep < s.Length ? sep + 1 : s.Length;
        }
        _alreadyParsedFormat = true;
        return null;
    }

    /// <summary>procps aix_format_parse(), including its way of counting items (a trailing empty literal follows the last descriptor).</summary>
    private string? AixFormatParse(SfNode sfn)
    {
        string s = sfn.Text;
        int items = 0;
        int w = 0;
        char Next() => w < s.Length ? s[w++] : '\0';
        char c = Next();
        while (true)
        {
            // initial:
            if (c == '%') goto getDesc;
            if (c == '\0') break;
            items++;
            // get_more:
            while (true)
            {
                c = Next();
                if (c == '%') goto getDesc;
                if (c == ' ') continue;
                if (c != '\0') return "improper AIX field descriptor";
                goto done;
            }
        getDesc:
            items++;
            c = Next();
            if (c != '\0' && c != ' ') continue;
            return "missing AIX field descriptor";
        }
    done:
        int walk = 0;
        var made = new List<Column>();
        while (items-- > 0)
        {
            if (walk < s.Length && s[walk] == '%')
            {
                walk++;
                if (walk < s.Length && s[walk] == '%') return "missing AIX field descriptor";
                var aix = walk < s.Length ? PsFields.Aix(s[walk]) : null;
                walk++;
                if (aix is null) return "unknown AIX field descriptor";
                made.AddRange(OneSpec(aix.Value.Spec, aix.Value.Header) ?? throw new InvalidOperationException("AIX table names an unknown specifier"));
            }
            else
            {
                int start = Math.Min(walk, s.Length);
                int end = s.IndexOf('%', start);
                if (end < 0) end = s.Length;
                string text = s[start..end];
                walk = end;
                made.Add(new Column { Name = text, Width = text.Length, Field = null, Just = J.Aix, Print = P.Every, Render = R.Nop });
            }
        }
        sfn.Columns.AddRange(made);
        _alreadyParsedFormat = true;
        return null;
    }

    /// <summary>Wraps a user format of O/-O: pid first, the BSD or SysV trailer last.</summary>
    private void OWrap(SfNode sfn, bool bsd)
    {
        var user = new List<Column>(sfn.Columns);
        sfn.Columns.Clear();
        sfn.Columns.AddRange(OneSpec("pid", null)!);
        sfn.Columns.AddRange(user);
        sfn.Columns.AddRange(OneSpec(bsd ? "END_BSD" : "END_SYS5", null)!);
    }

    private static SortNode? OneSortSpec(string spec)
    {
        bool desc = false;
        if (spec.StartsWith('-'))
        {
            desc = true;
            spec = spec[1..];
        }
        else if (spec.StartsWith('+'))
        {
            spec = spec[1..];
        }
        var fs = PsFields.Find(spec);
        return fs is null ? null : new SortNode(fs, desc);
    }

    private string? LongSortParse(SfNode sfn)
    {
        string s = sfn.Text;
        bool needItem = true;
        int items = 0;
        int i = 0;
        do
        {
            char c = i < s.Length ? s[i] : '\0';
            if (c == '\0' || IsFormatSeparator(c))
            {
                if (needItem) return "improper sort list";
                needItem = true;
            }
            else
            {
                if (needItem) items++;
                needItem = false;
            }
            i++;
        } while (i < s.Length);
        if (items == 0) return "empty sort list";
        if (needItem) s = s[..^1];
        var keys = new List<SortNode>();
        int walk = 0;
        while (items-- > 0)
        {
            int sep = walk;
            while (sep < s.Length && !IsFormatSeparator(s[sep])) sep++;
            var node = OneSortSpec(s[walk..sep]);
            if (node is null) return "unknown sort specifier";
            keys.Add(node);
            walk = sep + 1;
        }
        // Applied last-written first: the first key written ends up primary.
        for (int k = keys.Count - 1; k >= 0; k--) sfn.Sorts.Add(keys[k]);
        _alreadyParsedSort = true;
        return null;
    }

    private const string ShortSortLetters = "CGJKMNPRSTUcfgjkmnoprstuvy+-";

    private static string? VerifyShortSort(string arg, char forestType)
    {
        foreach (char c in arg)
            if (!ShortSortLetters.Contains(c)) return "bad sorting code";
        var seen = new HashSet<char>();
        for (int i = 0; i < arg.Length; i++)
        {
            char c = arg[i];
            if (c is '+' or '-')
            {
                char next = i + 1 < arg.Length ? arg[i + 1] : '\0';
                if (next is '\0' or '+' or '-') return "bad sorting code";
                continue;
            }
            if (c == 'P' && forestType != '\0') return "PPID sort and forest output conflict";
            if (!seen.Add(c)) return "bad sorting code";
        }
        return null;
    }

    /// <summary>
    /// procps short_sort_parse(): a sign applies to the next letter only, and a letter without a
    /// sign after the first one gets direction 0, which procps' sort then ignores (kept as null).
    /// </summary>
    private static void ShortSortParse(SfNode sfn)
    {
        int direction = 1;
        var keys = new List<SortNode?>();
        foreach (char c in sfn.Text)
        {
            if (c == '+') { direction = 1; continue; }
            if (c == '-') { direction = -1; continue; }
            var spec = PsFields.ShortSort(c);
            var node = spec is null ? null : OneSortSpec(spec);
            if (node is null) break;
            keys.Add(direction == 0 ? null : node with { Descending = direction < 0 });
            direction = 0;
        }
        for (int k = keys.Count - 1; k >= 0; k--) sfn.Sorts.Add(keys[k]);
    }

    private string? ParseOne(SfNode sfn, char forestType)
    {
        string? err;
        switch (sfn.Code)
        {
            case SfCode.BsdO:
            case SfCode.GnuFormat:
            case SfCode.UnixO:
                err = FormatParse(sfn);
                if (err is null) _alreadyParsedFormat = true;
                return err;
            case SfCode.UnixBigO:
                if (_alreadyParsedFormat) return "option -O can not follow other format options";
                err = FormatParse(sfn);
                if (err is not null) return err;
                _alreadyParsedFormat = true;
                OWrap(sfn, bsd: false);
                return null;
            case SfCode.BsdBigO:
                err = _haveGnuSort || _alreadyParsedSort ? "multiple sort options" : VerifyShortSort(sfn.Text, forestType);
                if (err is null)
                {
                    ShortSortParse(sfn);
                    _alreadyParsedSort = true;
                    return null;
                }
                if (_alreadyParsedFormat) return "option O is neither first format nor sort order";
                if (FormatParse(sfn) is null)
                {
                    _alreadyParsedFormat = true;
                    OWrap(sfn, bsd: true);
                    return null;
                }
                return err;
            case SfCode.GnuSort:
                err = _alreadyParsedSort ? "multiple sort options" : LongSortParse(sfn);
                _alreadyParsedSort = true;
                return err;
            default:
                throw new InvalidOperationException("unknown deferred option");
        }
    }

    /// <summary>procps process_sf_options(): fills <paramref name="o"/>.Columns and .Sort, or returns an error.</summary>
    public string? Build(PsOptions o, FormatFlags formatFlags, FormatModifiers modifiers, bool preferBsdDefaults, Func<string, string?> env)
    {
        foreach (var sfn in _deferred)
        {
            var err = ParseOne(sfn, o.ForestType);
            if (err is not null) return err;
        }
        var columns = new List<Column>();
        foreach (var sfn in _deferred) columns.AddRange(sfn.Columns);
        var sorts = new List<SortNode>();
        foreach (var sfn in _deferred)
            foreach (var s in sfn.Sorts)
                if (s is not null) sorts.Add(s);
        o.Sort = sorts;

        if (formatFlags == FormatFlags.None && modifiers == FormatModifiers.None && columns.Count == 0)
        {
            var psFormat = env("PS_FORMAT");
            if (!string.IsNullOrEmpty(psFormat))
            {
                if ((o.Threads & ThreadFlags.MustUse) != 0) return "tell <procps@freelists.org> what you want (-L/-T, -m/m/H, and $PS_FORMAT)";
                var sfn = new SfNode(psFormat, SfCode.UnixO);
                var err = FormatParse(sfn);
                if (err is null)
                {
                    o.Columns = sfn.Columns;
                    return null;
                }
                WarnPsFormat = $"warning: $PS_FORMAT ignored. ({err})";
            }
        }

        if (columns.Count > 0)
        {
            if (formatFlags != FormatFlags.None) return "conflicting format options";
            if (modifiers != FormatModifiers.None) return "can not use output modifiers with user-defined output";
            if ((o.Threads & ThreadFlags.MustUse) != 0) return "-L/-T with H/m/-m and -o/-O/o/O is nonsense";
            o.Columns = columns;
            return null;
        }

        string? spec;
        switch (formatFlags)
        {
            case FormatFlags.None:
            case FormatFlags.UnixF | FormatFlags.UnixL:
            case FormatFlags.UnixF:
            case FormatFlags.UnixL:
                spec = null;
                break;
            case FormatFlags.UnixJ: spec = null; break;
            case FormatFlags.UnixJ | FormatFlags.UnixL: spec = "RD_lj"; break;
            case FormatFlags.UnixJ | FormatFlags.UnixF: spec = "RD_fj"; break;
            case FormatFlags.BsdJ: spec = "OL_j"; break;
            case FormatFlags.BsdL: spec = "OL_l"; break;
            case FormatFlags.BsdS: spec = "OL_s"; break;
            case FormatFlags.BsdU: spec = "OL_u"; break;
            case FormatFlags.BsdV: spec = "OL_v"; break;
            case FormatFlags.LinuxX: spec = "OL_X"; break;
            case FormatFlags.LinuxM: spec = "OL_m"; break;
            case FormatFlags.Context: spec = "FLASK_context"; break;
            default: return "conflicting format options";
        }
        if (spec is null) return GenerateSysvList(o, formatFlags, modifiers, preferBsdDefaults);

        var list = OneSpec(spec, null)!;
        if ((modifiers & FormatModifiers.J) != 0)
        {
            var pgid = OneSpec("pgid", null)![0];
            if (!AddAfter(list, "PPID", pgid) && !AddAfter(list, "PID", pgid))
                throw new InvalidOperationException("internal error: no PID or PPID for -j option");
            if (!AddAfter(list, "PGID", OneSpec("sid", null)![0])) return "lost my PGID";
        }
        if ((modifiers & FormatModifiers.Y) != 0)
        {
            Delete(list, "F");
            if (AddAfter(list, "ADDR", OneSpec("rss", null)![0])) Delete(list, "ADDR");
        }
        if ((modifiers & FormatModifiers.C) != 0)
        {
            Delete(list, "%CPU");
            Delete(list, "CPU");
            Delete(list, "CP");
            Delete(list, "C");
            Delete(list, "NI");
            if (!AddAfter(list, "PRI", OneSpec("class", null)![0]))
                throw new InvalidOperationException("internal error: no PRI for -c option");
            Delete(list, "PRI");
            if (!AddAfter(list, "CLS", OneSpec("pri", null)![0])) return "lost my CLS";
        }
        if ((o.Threads & ThreadFlags.UnixT) != 0)
        {
            if (!AddAfter(list, "PID", OneSpec("spid", null)![0]) && (o.Threads & ThreadFlags.MustUse) != 0)
                return "-T with H/-m/m but no PID for SPID to follow";
        }
        if ((o.Threads & ThreadFlags.UnixL) != 0)
        {
            var lwp = OneSpec("lwp", null)![0];
            if (!AddAfter(list, "SID", lwp) && !AddAfter(list, "SESS", lwp) && !AddAfter(list, "PGID", lwp)
                && !AddAfter(list, "PGRP", lwp) && !AddAfter(list, "PPID", lwp) && !AddAfter(list, "PID", lwp)
                && (o.Threads & ThreadFlags.MustUse) != 0)
                return "-L with H/-m/m but no PID/PGID/SID/SESS for NLWP to follow";
            AddAfter(list, "%CPU", OneSpec("nlwp", null)![0]);
        }
        if ((modifiers & FormatModifiers.M) != 0) list.Insert(0, OneSpec("label", null)![0]);
        o.Columns = list;
        return null;
    }

    /// <summary>Set when $PS_FORMAT was unusable; printed to stderr as procps does.</summary>
    public string? WarnPsFormat { get; private set; }

    private static bool AddAfter(List<Column> list, string name, Column put)
    {
        int i = list.FindIndex(c => c.Name == name);
        if (i < 0) return false;
        list.Insert(i + 1, put);
        return true;
    }

    private static void Delete(List<Column> list, string name)
    {
        int i = list.FindIndex(c => c.Name == name);
        if (i >= 0) list.RemoveAt(i);
    }

    /// <summary>procps generate_sysv_list(): the columns of ps, -f, -F, -l, -y, -c, -j, -L, -T, -P, -M and their mixes.</summary>
    private string? GenerateSysvList(PsOptions o, FormatFlags ff, FormatModifiers fm, bool preferBsd)
    {
        bool uf = (ff & FormatFlags.UnixF) != 0, ul = (ff & FormatFlags.UnixL) != 0;
        bool y = (fm & FormatModifiers.Y) != 0, bigF = (fm & FormatModifiers.F) != 0, bigP = (fm & FormatModifiers.P) != 0;
        bool c = (fm & FormatModifiers.C) != 0, j = (fm & FormatModifiers.J) != 0, m = (fm & FormatModifiers.M) != 0;
        bool threadsL = (o.Threads & ThreadFlags.UnixL) != 0, threadsT = (o.Threads & ThreadFlags.UnixT) != 0;
        if (y && !ul) return "modifier -y without format -l makes no sense";
        // procps pushes each column on the front of the list; build in reverse and flip.
        var rev = new List<Column>();
        void Push(string spec) => rev.Add(OneSpec(spec, null)![0]);
        if (preferBsd)
        {
            Push(ff != FormatFlags.None ? "cmd" : "args");
            Push("bsdtime");
            if (!ul) Push("stat");
        }
        else
        {
            Push(uf ? "cmd" : "ucmd");
            Push("time");
        }
        Push("tname");
        if (uf) Push("stime");
        if (bigF)
        {
            if (!bigP) Push("psr");
            if (!(ul && y)) Push("rss");
        }
        if (ul) Push("wchan");
        if (bigF || ul) Push("sz");
        if (ul)
        {
            if (y) Push("rss");
            else Push("addr_1");
        }
        if (c)
        {
            Push("pri");
            Push("class");
        }
        else if (ul)
        {
            Push("ni");
            Push("opri");
        }
        if (threadsL && uf) Push("nlwp");
        if ((uf || ul) && !c) Push("c");
        if (bigP) Push("psr");
        if (threadsL) Push("lwp");
        if (j)
        {
            Push("sid");
            Push("pgid");
        }
        if (uf || ul) Push("ppid");
        if (threadsT) Push("spid");
        Push("pid");
        if (uf) Push("uid_hack");
        else if (ul) Push("uid");
        if (ul)
        {
            Push("s");
            if (!y) Push("f");
        }
        if (m) Push("label");
        rev.Reverse();
        o.Columns = rev;
        return null;
    }
}
