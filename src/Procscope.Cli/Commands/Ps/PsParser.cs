using Procscope.Cli.Infrastructure;
using Procscope.Linux;

namespace Procscope.Cli.Commands.Ps;

/// <summary>What the parser needs to know about the world (a seam for unit tests).</summary>
internal sealed record PsParseEnvironment
{
    /// <summary>tty_nr of our own controlling terminal (0 when none), for T and bare t.</summary>
    public int OwnTty { get; init; }
    /// <summary>Columns of the screen: the terminal, $COLUMNS, or unlimited (<see cref="RowBuffer.Capacity"/>) when not a tty.</summary>
    public int ScreenCols { get; init; } = 80;
    public int ScreenRows { get; init; } = 24;
    /// <summary>Length of the largest pid (/proc/sys/kernel/pid_max), the width of PID-like columns.</summary>
    public int PidLength { get; init; } = 5;
    public Func<string, string?> Env { get; init; } = _ => null;
    public Func<string, uint?> UserId { get; init; } = name => UserDatabase.TryGetUid(name, out uint u) ? u : null;
    public Func<string, uint?> GroupId { get; init; } = name => UserDatabase.TryGetGid(name, out uint g) ? g : null;
    /// <summary>Resolves a tty argument of -t to a tty_nr, or returns an error message.</summary>
    public Func<string, (int Tty, string? Error)> Tty { get; init; } = PsParser.ResolveTty;
}

/// <summary>
/// The ps command line, parsed as procps-ng 4.0.2 parses it (ps/parser.c): UNIX options with a
/// dash (-ef), BSD options without (aux), GNU long options (--sort=-rss), trailing pids; when that
/// fails the whole line is parsed again as BSD options (so "ps -aux" works), and if that fails too
/// the first error is reported.
/// </summary>
internal sealed class PsParser
{
    private const int OutbufSize = RowBuffer.Capacity;

    private readonly PsParseEnvironment _env;
    private readonly IReadOnlyList<string> _args;

    // State of one pass (procps globals).
    private PsOptions _o = new();
    private PsFormatBuilder _sf = null!;
    private FormatFlags _formatFlags;
    private FormatModifiers _formatModifiers;
    private bool _preferBsdDefaults;
    private bool _forceBsd;
    private bool _personalityOldM;
    private int _wCount;
    private int _thisArg;

    private PsParser(IReadOnlyList<string> args, PsParseEnvironment env)
    {
        _args = args;
        _env = env;
    }

    /// <summary>Warnings procps would print to stderr while parsing (bogus screen size, ignored $PS_FORMAT).</summary>
    public List<string> Warnings { get; } = [];

    /// <exception cref="CliException">With procps' message for the first failing pass.</exception>
    public static PsOptions Parse(IReadOnlyList<string> args, PsParseEnvironment env) => Parse(args, env, out _);

    public static PsOptions Parse(IReadOnlyList<string> args, PsParseEnvironment env, out List<string> warnings)
    {
        var p = new PsParser(args, env);
        warnings = p.Warnings;
        var result = p.Run();
        return result;
    }

    private void Reset()
    {
        _o = new PsOptions
        {
            Header = HeaderType.Single,
            ScreenCols = _env.ScreenCols,
            ScreenRows = _env.ScreenRows,
        };
        _sf = new PsFormatBuilder(_env.PidLength);
        _formatFlags = FormatFlags.None;
        _formatModifiers = FormatModifiers.None;
        _preferBsdDefaults = false;
        _wCount = 0;
        _thisArg = -1;
    }

    private PsOptions Run()
    {
        if (_env.ScreenCols < 9 || _env.ScreenRows < 2)
            Warnings.Add($"your {_env.ScreenCols}x{_env.ScreenRows} screen size is bogus. expect trouble");
        Reset();
        string? err = Pass();
        if (err is null) return _o.Action == PsAction.List ? Finish() : _o;
        // Second chance: everything as BSD options (ps -aux).
        Reset();
        _forceBsd = true;
        _preferBsdDefaults = true;
        _personalityOldM = true;
        string? err2 = Pass();
        if (err2 is not null) throw new CliException(err);
        return _o.Action == PsAction.List ? Finish() : _o;
    }

    private string? Pass()
    {
        var err = ParseAllOptions();
        if (err is not null || _o.Action != PsAction.List) return err;
        err = ThreadOptionCheck() ?? ProcessSortFormat() ?? SelectBitsSetup();
        if (err is null) ChooseDimensions();
        return err;
    }

    private PsOptions Finish()
    {
        if (_sf.WarnPsFormat is { } w) Warnings.Add(w);
        int quick = _o.Selections.Count(s => s.Type == SelectionType.PidQuick);
        if (quick > 1) throw new CliException("q/-q/--quick-pid can only be used once.");
        if (quick > 0 && _o.Selections.Count > quick) throw new CliException("q/-q/--quick-pid cannot be combined with other selection options.");
        if (quick > 0 && _o.ForestType != '\0') throw new CliException("q/-q/--quick-pid cannot be used together with forest type listings.");
        if (quick > 0 && _o.Sort.Count > 0) throw new CliException("q/-q,--quick-pid cannot be used together with sort options.");
        if (quick > 0 && _o.Negate) throw new CliException("q/-q/--quick-pid cannot be used together with negation switches.");
        return _o;
    }

    private enum ArgType { Gnu, End, Pgrp, Sysv, Pid, Bsd, Fail, Sess }

    private static ArgType TypeOf(string s)
    {
        char Ch(int i) => i < s.Length ? s[i] : '\0';
        char c = Ch(0);
        if (char.IsAsciiLetter(c)) return ArgType.Bsd;
        if (char.IsAsciiDigit(c)) return ArgType.Pid;
        if (c == '+') return ArgType.Sess;
        if (c != '-') return ArgType.Fail;
        c = Ch(1);
        if (char.IsAsciiLetter(c)) return ArgType.Sysv;
        if (char.IsAsciiDigit(c)) return ArgType.Pgrp;
        if (c != '-') return ArgType.Fail;
        c = Ch(2);
        if (char.IsAsciiLetter(c)) return ArgType.Gnu;
        if (c == '\0') return ArgType.End;
        return ArgType.Fail;
    }

    private string? ParseAllOptions()
    {
        while (++_thisArg < _args.Count)
        {
            string? err;
            switch (TypeOf(_args[_thisArg]))
            {
                case ArgType.Gnu:
                    err = ParseGnuOption();
                    break;
                case ArgType.Sysv when !_forceBsd:
                    err = ParseSysvOption();
                    break;
                case ArgType.Sysv:
                    _preferBsdDefaults = true;
                    err = ParseBsdOption();
                    break;
                case ArgType.Bsd:
                    // procps refuses dash-less BSD options on its second, BSD-only pass.
                    if (_forceBsd) return "way bad";
                    _preferBsdDefaults = true;
                    err = ParseBsdOption();
                    break;
                case ArgType.Pgrp:
                case ArgType.Sess:
                case ArgType.Pid:
                    _preferBsdDefaults = true;
                    err = ParseTrailingPids();
                    break;
                default:
                    return "garbage option";
            }
            if (err is not null) return err;
            if (_o.Action != PsAction.List) return null;
        }
        return null;
    }

    // ---- lists ---------------------------------------------------------------------------

    /// <summary>strtoul(s, &amp;end, 0): true when the whole string is a number (decimal, 0x hex or 0 octal).</summary>
    internal static bool StrToUL(string s, out ulong value)
    {
        value = 0;
        int i = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool neg = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            neg = s[i] == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < s.Length && s[i] == '0' && s[i + 1] is 'x' or 'X' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (i < s.Length && s[i] == '0')
        {
            radix = 8;
        }
        int start = i;
        bool overflow = false;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            int d = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'z' => s[i] - 'a' + 10,
                >= 'A' and <= 'Z' => s[i] - 'A' + 10,
                _ => 99,
            };
            if (d >= radix) break;
            ulong nv = unchecked(v * (ulong)radix + (ulong)d);
            if (v > (ulong.MaxValue - (ulong)d) / (ulong)radix) overflow = true;
            v = nv;
        }
        if (i == start) return s.Length == 0;   // no digits: end = s, so only "" counts as fully parsed
        if (overflow) v = ulong.MaxValue;
        value = neg ? unchecked(0 - v) : v;
        return i == s.Length;
    }

    private static string? ParsePid(string s, out uint v)
    {
        v = 0;
        if (!StrToUL(s, out ulong num)) return "process ID list syntax error";
        if (num < 1 || num > 0x7fffffffUL) return "process ID out of range";
        v = (uint)num;
        return null;
    }

    private string? ParseUid(string s, out uint v)
    {
        v = 0;
        if (!StrToUL(s, out ulong num))
        {
            var uid = _env.UserId(s);
            if (uid is null)
            {
                if (!_o.Negate) return "user name does not exist";
                num = uint.MaxValue;
            }
            else num = uid.Value;
        }
        if (!_o.Negate && num > 0xfffffffeUL) return "user ID out of range";
        v = (uint)num;
        return null;
    }

    private string? ParseGid(string s, out uint v)
    {
        v = 0;
        if (!StrToUL(s, out ulong num))
        {
            var gid = _env.GroupId(s);
            if (gid is null)
            {
                if (!_o.Negate) return "group name does not exist";
                num = uint.MaxValue;
            }
            else num = gid.Value;
        }
        if (!_o.Negate && num > 0xfffffffeUL) return "group ID out of range";
        v = (uint)num;
        return null;
    }

    /// <summary>procps parse_tty(): a path, or a name under /dev/pts, /dev, /dev/tty, /dev/pty; "-" and "?" mean no tty.</summary>
    internal static (int Tty, string? Error) ResolveTty(string s)
    {
        bool isChr;
        int dev;
        if (s.StartsWith('/'))
        {
            if (TerminalNames.TryStat(s, out isChr, out dev)) return isChr ? (dev, null) : (0, "list member was not a TTY");
            return (0, "TTY could not be found");
        }
        foreach (var fmt in new[] { "/dev/pts/{0}", "/dev/{0}", "/dev/tty{0}", "/dev/pty{0}", "/dev/{0}nsole" })
        {
            if (TerminalNames.TryStat(string.Format(System.Globalization.CultureInfo.InvariantCulture, fmt, s), out isChr, out dev))
                return isChr ? (dev, null) : (0, "list member was not a TTY");
        }
        if (s is "-" or "?") return (0, null);
        // procps' kludge: a one-letter argument that names an existing file is taken as '?' eaten by the shell.
        if (s.Length == 1 && TerminalNames.PathExists(s)) return (0, null);
        return (0, "TTY could not be found");
    }

    private static bool IsListSeparator(char c) => c is ' ' or ',' or '\t';

    /// <summary>procps parse_list(): items separated by blanks or commas, no empty items.</summary>
    private static string? SplitList(string arg, out List<string> items)
    {
        items = [];
        bool needItem = true;
        int i = 0;
        do
        {
            char c = i < arg.Length ? arg[i] : '\0';
            if (c == '\0' || IsListSeparator(c))
            {
                if (needItem) return "improper list";
                needItem = true;
            }
            else needItem = false;
            i++;
        } while (i < arg.Length);
        if (needItem) return "improper list";
        int start = 0;
        for (int k = 0; k <= arg.Length; k++)
        {
            if (k == arg.Length || IsListSeparator(arg[k]))
            {
                items.Add(arg[start..k]);
                start = k + 1;
            }
        }
        return null;
    }

    private delegate string? ItemParser(string item, out uint value);

    private string? AddList(string arg, SelectionType type, ItemParser parse)
    {
        var err = SplitList(arg, out var items);
        if (err is not null) return err;
        var values = new uint[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            err = parse(items[i], out values[i]);
            if (err is not null) return err;
        }
        _o.Selections.Add(new Selection(type, values));
        return null;
    }

    private string? AddTtyList(string arg)
    {
        var err = SplitList(arg, out var items);
        if (err is not null) return err;
        var values = new uint[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var (tty, e) = _env.Tty(items[i]);
            if (e is not null) return e;
            values[i] = (uint)tty;
        }
        _o.Selections.Add(new Selection(SelectionType.Tty, values));
        return null;
    }

    private string? AddCommandList(string arg)
    {
        var err = SplitList(arg, out var items);
        if (err is not null) return err;
        var names = new string[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            // strncpy into a 64-byte buffer: at most 63 bytes are compared.
            var bytes = System.Text.Encoding.UTF8.GetBytes(items[i]);
            names[i] = bytes.Length > 63 ? System.Text.Encoding.UTF8.GetString(bytes, 0, 63) : items[i];
        }
        _o.Selections.Add(new Selection(SelectionType.Command, [], names));
        return null;
    }

    // ---- UNIX options --------------------------------------------------------------------

    /// <summary>The value of an option: the rest of this argument, else the next (non-empty) argument.</summary>
    private string? OptArg(string arg, int flagPos)
    {
        if (flagPos + 1 < arg.Length) return arg[(flagPos + 1)..];
        if (_thisArg + 1 >= _args.Count) return null;
        if (_args[_thisArg + 1].Length == 0) return null;
        return _args[++_thisArg];
    }

    private string? Exclusive(string name)
    {
        if (_args.Count != 1 || _args[0] != name) return "the option is exclusive: " + name;
        return null;
    }

    private string? ParseSysvOption()
    {
        string arg = _args[_thisArg];
        string? a;
        for (int i = 1; i < arg.Length; i++)
        {
            switch (arg[i])
            {
                case 'A':
                case 'e':
                    _o.AllProcesses = true;
                    break;
                case 'C':
                    a = OptArg(arg, i);
                    if (a is null) return "list of command names must follow -C";
                    return AddCommandList(a);
                case 'F':
                    _formatModifiers |= FormatModifiers.F;
                    _formatFlags |= FormatFlags.UnixF;
                    _o.UnixF = true;
                    break;
                case 'G':
                    a = OptArg(arg, i);
                    if (a is null) return "list of real groups must follow -G";
                    return AddList(a, SelectionType.Rgid, ParseGid);
                case 'H':
                    _o.ForestType = 'u';
                    break;
                case 'L':
                    _o.Threads |= ThreadFlags.UnixL;
                    break;
                case 'M':
                case 'Z':
                    _formatModifiers |= FormatModifiers.M;
                    break;
                case 'N':
                    _o.Negate = true;
                    break;
                case 'O':
                    a = OptArg(arg, i);
                    if (a is null) return "format or sort specification must follow -O";
                    _sf.Defer(a, SfCode.UnixBigO);
                    return null;
                case 'P':
                    _formatModifiers |= FormatModifiers.P;
                    break;
                case 'T':
                    _o.Threads |= ThreadFlags.UnixT;
                    break;
                case 'U':
                    a = OptArg(arg, i);
                    if (a is null) return "list of real users must follow -U";
                    return AddList(a, SelectionType.Ruid, ParseUid);
                case 'V':
                    if (Exclusive("-V") is { } ev) return ev;
                    _o.Action = PsAction.Version;
                    return null;
                case 'a':
                    _o.SimpleSelect |= SimpleSelect.UnixA;
                    break;
                case 'c':
                    _formatModifiers |= FormatModifiers.C;
                    break;
                case 'd':
                    _o.SimpleSelect |= SimpleSelect.UnixD;
                    break;
                case 'f':
                    _formatFlags |= FormatFlags.UnixF;
                    _o.UnixF = true;
                    break;
                case 'g':
                {
                    a = OptArg(arg, i);
                    if (a is null) return "list of session leaders OR effective group names must follow -g";
                    if (AddList(a, SelectionType.Session, ParsePid) is null) return null;
                    if (AddList(a, SelectionType.Egid, ParseGid) is null) return null;
                    return "list of session leaders OR effective group IDs was invalid";
                }
                case 'j':
                    _formatModifiers |= FormatModifiers.J;
                    break;
                case 'l':
                    _formatFlags |= FormatFlags.UnixL;
                    break;
                case 'm':
                    _o.Threads |= ThreadFlags.UnixM;
                    break;
                case 'o':
                    a = OptArg(arg, i);
                    if (a is null) return "format specification must follow -o";
                    _sf.Defer(a, SfCode.UnixO);
                    return null;
                case 'p':
                    a = OptArg(arg, i);
                    if (a is null) return "list of process IDs must follow -p";
                    return AddList(a, SelectionType.Pid, ParsePid);
                case 'q':
                    a = OptArg(arg, i);
                    if (a is null) return "List of process IDs must follow -q.";
                    return AddList(a, SelectionType.PidQuick, ParsePid);
                case 's':
                    a = OptArg(arg, i);
                    if (a is null) return "list of session IDs must follow -s";
                    return AddList(a, SelectionType.Session, ParsePid);
                case 't':
                    a = OptArg(arg, i);
                    if (a is null) return "list of terminals (pty, tty...) must follow -t";
                    return AddTtyList(a);
                case 'u':
                    a = OptArg(arg, i);
                    if (a is null) return "list of users must follow -u";
                    return AddList(a, SelectionType.Euid, ParseUid);
                case 'w':
                    _wCount++;
                    break;
                case 'x':
                    return "must set personality to get -x option";
                case 'y':
                    _formatModifiers |= FormatModifiers.Y;
                    break;
                case '-':
                    return "embedded '-' among SysV options makes no sense";
                default:
                    return "unsupported SysV option";
            }
        }
        return null;
    }

    // ---- BSD options ---------------------------------------------------------------------

    private void AddOwnTty() => _o.Selections.Add(new Selection(SelectionType.Tty, [(uint)_env.OwnTty]));

    private string? ParseBsdOption()
    {
        string arg = _args[_thisArg];
        int i = arg.StartsWith('-') ? 1 : 0;
        string? a;
        for (; i < arg.Length; i++)
        {
            char c = arg[i];
            switch (c)
            {
                case >= '0' and <= '9':
                    return AddList(arg[i..], SelectionType.Pid, ParsePid);
                case 'H':
                    _o.Threads |= ThreadFlags.BsdH;
                    break;
                case 'L':
                    if (Exclusive("L") is { } el) return el;
                    _o.Action = PsAction.ListSpecifiers;
                    return null;
                case 'M':
                    _o.Threads |= ThreadFlags.BsdM;
                    break;
                case 'O':
                    a = OptArg(arg, i);
                    if (a is null) return "format or sort specification must follow O";
                    _sf.Defer(a, SfCode.BsdBigO);
                    return null;
                case 'S':
                    _o.IncludeDeadChildren = true;
                    break;
                case 'T':
                    AddOwnTty();
                    break;
                case 'U':
                    a = OptArg(arg, i);
                    if (a is null) return "list of users must follow U";
                    return AddList(a, SelectionType.Euid, ParseUid);
                case 'V':
                    if (Exclusive("V") is { } ev) return ev;
                    _o.Action = PsAction.Version;
                    return null;
                case 'W':
                    return "obsolete W option not supported (you have a /dev/drum?)";
                case 'X':
                    _formatFlags |= FormatFlags.LinuxX;
                    break;
                case 'Z':
                    _formatModifiers |= FormatModifiers.M;
                    break;
                case 'a':
                    _o.SimpleSelect |= SimpleSelect.BsdA;
                    break;
                case 'c':
                    _o.BsdC = true;
                    break;
                case 'e':
                    _o.BsdE = true;
                    break;
                case 'f':
                    _o.ForestType = 'b';
                    break;
                case 'g':
                    _o.SimpleSelect |= SimpleSelect.BsdG;
                    break;
                case 'h':
                    if (_o.Header != HeaderType.Single) return "only one heading option may be specified";
                    _o.Header = HeaderType.None;
                    break;
                case 'j':
                    _formatFlags |= FormatFlags.BsdJ;
                    break;
                case 'k':
                    a = OptArg(arg, i);
                    if (a is null) return "long sort specification must follow 'k'";
                    _sf.Defer(a, SfCode.GnuSort);
                    return null;
                case 'l':
                    _formatFlags |= FormatFlags.BsdL;
                    break;
                case 'm':
                    if (_personalityOldM)
                    {
                        _formatFlags |= FormatFlags.LinuxM;
                        break;
                    }
                    _o.Threads |= ThreadFlags.BsdM;
                    break;
                case 'n':
                    _o.WchanIsNumber = true;
                    _o.UserIsNumber = true;
                    break;
                case 'o':
                    a = OptArg(arg, i);
                    if (a is null) return "format specification must follow o";
                    _sf.Defer(a, SfCode.BsdO);
                    return null;
                case 'p':
                    a = OptArg(arg, i);
                    if (a is null) return "list of process IDs must follow p";
                    return AddList(a, SelectionType.Pid, ParsePid);
                case 'q':
                    a = OptArg(arg, i);
                    if (a is null) return "List of process IDs must follow q.";
                    return AddList(a, SelectionType.PidQuick, ParsePid);
                case 'r':
                    _o.RunningOnly = true;
                    break;
                case 's':
                    _formatFlags |= FormatFlags.BsdS;
                    break;
                case 't':
                    a = OptArg(arg, i);
                    if (a is null)
                    {
                        AddOwnTty();
                        return null;
                    }
                    return AddTtyList(a);
                case 'u':
                    _formatFlags |= FormatFlags.BsdU;
                    break;
                case 'v':
                    _formatFlags |= FormatFlags.BsdV;
                    break;
                case 'w':
                    _wCount++;
                    break;
                case 'x':
                    _o.SimpleSelect |= SimpleSelect.BsdX;
                    break;
                case '-':
                    return "embedded '-' among BSD options makes no sense";
                default:
                    return "unsupported option (BSD syntax)";
            }
        }
        return null;
    }

    // ---- GNU long options ----------------------------------------------------------------

    private string? GnuArg(string s, int sl)
    {
        if (sl < s.Length)
        {
            // '=' or ':' then the value, which must not be empty.
            return sl + 1 < s.Length ? s[(sl + 1)..] : null;
        }
        if (_thisArg + 1 >= _args.Count) return null;
        if (_args[_thisArg + 1].Length == 0) return null;
        return _args[++_thisArg];
    }

    private string? ParseGnuOption()
    {
        string s = _args[_thisArg][2..];
        int sl = s.IndexOfAny([':', '=']);
        if (sl < 0) sl = s.Length;
        if (sl > 15) return "unknown gnu long option";
        string name = s[..sl];
        bool hasArg = sl < s.Length;
        string? arg;
        switch (name)
        {
            case "Group":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of real groups must follow --Group";
                return AddList(arg, SelectionType.Rgid, ParseGid);
            case "User":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of real users must follow --User";
                return AddList(arg, SelectionType.Ruid, ParseUid);
            case "cols":
            case "columns":
            case "width":
                arg = GnuArg(s, sl);
                if (!string.IsNullOrEmpty(arg) && StrToL(arg, out long cols) && cols > 0 && cols < 2000000000)
                {
                    _o.ScreenCols = (int)cols;
                    return null;
                }
                return "number of columns must follow --cols, --width, or --columns";
            case "cumulative":
                if (hasArg) return "option --cumulative does not take an argument";
                _o.IncludeDeadChildren = true;
                return null;
            case "deselect":
                if (hasArg) return "option --deselect does not take an argument";
                _o.Negate = true;
                return null;
            case "no-header":
            case "no-headers":
            case "no-heading":
            case "no-headings":
            case "noheader":
            case "noheaders":
            case "noheading":
            case "noheadings":
                if (hasArg) return "option --no-heading does not take an argument";
                if (_o.Header != HeaderType.Single) return "only one heading option may be specified";
                _o.Header = HeaderType.None;
                return null;
            case "header":
            case "headers":
            case "heading":
            case "headings":
                if (hasArg) return "option --heading does not take an argument";
                if (_o.Header != HeaderType.Single) return "only one heading option may be specified";
                _o.Header = HeaderType.Multi;
                return null;
            case "forest":
                if (hasArg) return "option --forest does not take an argument";
                _o.ForestType = 'g';
                return null;
            case "format":
                arg = GnuArg(s, sl);
                if (arg is null) return "format specification must follow --format";
                _sf.Defer(arg, SfCode.GnuFormat);
                return null;
            case "group":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of effective groups must follow --group";
                return AddList(arg, SelectionType.Egid, ParseGid);
            case "help":
                _o.HelpTopic = GnuArg(s, sl);
                _o.Action = PsAction.Help;
                return null;
            case "pid":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of process IDs must follow --pid";
                return AddList(arg, SelectionType.Pid, ParsePid);
            case "quick-pid":
                arg = GnuArg(s, sl);
                if (arg is null) return "List of process IDs must follow --quick-pid.";
                return AddList(arg, SelectionType.PidQuick, ParsePid);
            case "ppid":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of process IDs must follow --ppid";
                return AddList(arg, SelectionType.Ppid, ParsePid);
            case "rows":
            case "lines":
                arg = GnuArg(s, sl);
                if (!string.IsNullOrEmpty(arg) && StrToL(arg, out long rows) && rows > 0 && rows < 2000000000)
                {
                    _o.ScreenRows = (int)rows;
                    return null;
                }
                return "number of rows must follow --rows or --lines";
            case "sid":
                arg = GnuArg(s, sl);
                if (arg is null) return "some sid thing(s) must follow --sid";
                return AddList(arg, SelectionType.Session, ParsePid);
            case "sort":
                arg = GnuArg(s, sl);
                if (arg is null) return "long sort specification must follow --sort";
                _sf.Defer(arg, SfCode.GnuSort);
                return null;
            case "tty":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of ttys must follow --tty";
                return AddTtyList(arg);
            case "user":
                arg = GnuArg(s, sl);
                if (arg is null) return "list of effective users must follow --user";
                return AddList(arg, SelectionType.Euid, ParseUid);
            case "version":
                if (Exclusive("--version") is { } ev) return ev;
                _o.Action = PsAction.Version;
                return null;
            case "context":
                _formatFlags |= FormatFlags.Context;
                return null;
            // procscope additions.
            case "json":
                if (hasArg) return "option --json does not take an argument";
                _o.Json = true;
                return null;
            case "json-lines":
                if (hasArg) return "option --json-lines does not take an argument";
                _o.Json = true;
                _o.JsonLines = true;
                return null;
            default:
                return "unknown gnu long option";
        }
    }

    /// <summary>strtol(s, &amp;end, 0) accepting only a fully numeric string.</summary>
    private static bool StrToL(string s, out long v)
    {
        v = 0;
        if (s.Length == 0) return false;
        string t = s.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        bool neg = t.StartsWith('-');
        if (!StrToUL(s, out ulong u)) return false;
        v = neg ? -(long)(0 - u) : (long)Math.Min(u, long.MaxValue);
        return true;
    }

    // ---- trailing pids -------------------------------------------------------------------

    private string? ParseTrailingPids()
    {
        var pids = new List<uint>();
        var pgrps = new List<uint>();
        var sids = new List<uint>();
        for (int i = _thisArg; i < _args.Count; i++)
        {
            string data = _args[i];
            string? err;
            uint v;
            switch (data.Length > 0 ? data[0] : '\0')
            {
                case '-':
                    err = ParsePid(data[1..], out v);
                    pgrps.Add(v);
                    break;
                case '+':
                    err = ParsePid(data[1..], out v);
                    sids.Add(v);
                    break;
                default:
                    err = ParsePid(data, out v);
                    pids.Add(v);
                    break;
            }
            if (err is not null) return err;
        }
        _thisArg = _args.Count - 1;
        if (pids.Count > 0) _o.Selections.Add(new Selection(SelectionType.Pid, [.. pids]));
        if (pgrps.Count > 0) _o.Selections.Add(new Selection(SelectionType.Pgrp, [.. pgrps]));
        if (sids.Count > 0) _o.Selections.Add(new Selection(SelectionType.Session, [.. sids]));
        return null;
    }

    // ---- checks after parsing ------------------------------------------------------------

    private string? ThreadOptionCheck()
    {
        var t = _o.Threads;
        if (t == ThreadFlags.None)
        {
            _o.Threads = ThreadFlags.ShowProc;
            return null;
        }
        if (_o.ForestType != '\0') return "thread display conflicts with forest display";
        if ((t & ThreadFlags.BsdH) != 0 && (t & (ThreadFlags.BsdM | ThreadFlags.UnixM)) != 0) return "thread flags conflict; can't use H with m or -m";
        if ((t & ThreadFlags.BsdM) != 0 && (t & ThreadFlags.UnixM) != 0) return "thread flags conflict; can't use both m and -m";
        if ((t & ThreadFlags.UnixL) != 0 && (t & ThreadFlags.UnixT) != 0) return "thread flags conflict; can't use both -L and -T";
        if ((t & ThreadFlags.BsdH) != 0) t |= ThreadFlags.ShowProc | ThreadFlags.LooseTasks;
        if ((t & (ThreadFlags.BsdM | ThreadFlags.UnixM)) != 0) t |= ThreadFlags.ShowProc | ThreadFlags.ShowTask | ThreadFlags.ShowBoth;
        if ((t & (ThreadFlags.UnixT | ThreadFlags.UnixL)) != 0)
        {
            if ((t & (ThreadFlags.BsdM | ThreadFlags.UnixM | ThreadFlags.BsdH)) != 0) t |= ThreadFlags.MustUse;
            else t |= ThreadFlags.ShowTask;
        }
        _o.Threads = t;
        return null;
    }

    private string? ProcessSortFormat() => _sf.Build(_o, _formatFlags, _formatModifiers, _preferBsdDefaults, _env.Env);

    private string? SelectBitsSetup()
    {
        var ss = _o.SimpleSelect;
        if (ss == SimpleSelect.None && !_preferBsdDefaults)
        {
            _o.SelectBits = 0xaa00;   // same euid and same tty as us
            return null;
        }
        var sw = (ss & (SimpleSelect.UnixA | SimpleSelect.UnixD)) == 0 ? ss | SimpleSelect.BsdG : ss;
        switch (sw)
        {
            case SimpleSelect.UnixA | SimpleSelect.UnixD: _o.SelectBits = 0x3f3f; break;
            case SimpleSelect.UnixA: _o.SelectBits = 0x0303; break;
            case SimpleSelect.UnixD: _o.SelectBits = 0x3333; break;
            case SimpleSelect.None: _o.SelectBits = 0x0202; break;
            case SimpleSelect.BsdA: _o.SelectBits = 0x0303; break;
            case SimpleSelect.BsdX: _o.SelectBits = 0x2222; break;
            case SimpleSelect.BsdX | SimpleSelect.BsdA: _o.SelectBits = 0x3333; break;
            case SimpleSelect.BsdG: _o.SelectBits = 0x0a0a; break;
            case SimpleSelect.BsdG | SimpleSelect.BsdA: _o.SelectBits = 0x0f0f; break;
            case SimpleSelect.BsdG | SimpleSelect.BsdX: _o.SelectBits = 0xaaaa; break;
            case SimpleSelect.BsdG | SimpleSelect.BsdX | SimpleSelect.BsdA:
                _o.AllProcesses = true;
                _o.SimpleSelect = SimpleSelect.None;
                break;
            default:
                return "process selection options conflict";
        }
        return null;
    }

    private void ChooseDimensions()
    {
        if (_wCount > 0 && _o.ScreenCols < 132) _o.ScreenCols = 132;
        if (_wCount > 1) _o.ScreenCols = OutbufSize;
    }
}
