using System.Globalization;
using System.Net;
using Procscope.Cli.Infrastructure;
using Procscope.Linux;
using Procscope.Linux.Files;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>One -i address: [46][protocol][@host][:port[-port][,…]].</summary>
public sealed record InetSpec(int? Version, string? Protocol, IReadOnlyList<IPAddress>? Hosts, IReadOnlyList<(int Low, int High)>? Ports);

/// <summary>A list with lsof's "^" exclusion: items to include and items to exclude.</summary>
public sealed class SelectionList<T>
{
    public List<T> Include { get; } = [];
    public List<T> Exclude { get; } = [];
    public bool Any => Include.Count > 0 || Exclude.Count > 0;
}

/// <summary>lsof 4.95's command line (lsof(8)): '-' and '+' options, optional attached values.</summary>
public sealed class LsofOptions
{
    public SelectionList<int> Pids { get; } = new();
    public SelectionList<uint> Uids { get; } = new();
    public SelectionList<string> Commands { get; } = new();
    public SelectionList<int> PGids { get; } = new();
    /// <summary>-d: descriptor names (cwd, txt, 3, 0-2 …).</summary>
    public SelectionList<string> Fds { get; } = new();
    public List<string> Names { get; } = [];
    public List<(string Dir, bool Recursive)> Dirs { get; } = [];
    public List<InetSpec> Inet { get; } = [];
    public bool InetSelected => Inet.Count > 0;
    public bool Unix { get; set; }
    /// <summary>-s PROTO:STATE[,…]: TCP/UDP states to include and exclude.</summary>
    public SelectionList<string> TcpStates { get; } = new();
    public SelectionList<string> UdpStates { get; } = new();
    public bool And { get; set; }
    public bool Terse { get; set; }
    public bool NoHostNames { get; set; }
    public bool NoPortNames { get; set; }
    public bool NumericUid { get; set; }
    public bool Offsets { get; set; }
    public bool Sizes { get; set; }
    /// <summary>+L: show NLINK; with a number, select files whose link count is below it (+L1: unlinked).</summary>
    public bool ShowLinks { get; set; }
    public int? LinksBelow { get; set; }
    public string? Fields { get; set; }
    public bool FieldNul { get; set; }
    /// <summary>-r N: repeat every N seconds; +r: until nothing is listed.</summary>
    public int? RepeatSeconds { get; set; }
    public bool RepeatUntilEmpty { get; set; }
    public bool NoWarnings { get; set; }
    public bool Json { get; set; }
    public bool IgnoreTasks { get; set; }
    public bool StatRemote { get; set; }
    public int CommandWidth { get; set; } = 9;
    public bool ShowPPid { get; set; }
    public bool ShowPGid { get; set; }
    public double TimeoutSeconds { get; set; } = 15;
    public bool Help { get; set; }
    public bool Version { get; set; }

    public bool FieldOutput => Fields is not null;

    public static LsofOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LsofOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") { for (i++; i < args.Count; i++) o.Names.Add(args[i]); break; }
            if (a == "--json") { o.Json = true; continue; }
            if (a == "--help") { o.Help = true; continue; }
            if (a == "--version") { o.Version = true; continue; }
            if (a.StartsWith("--", StringComparison.Ordinal)) throw new CliException($"unknown option: {a}");
            if (a.Length < 2 || (a[0] != '-' && a[0] != '+')) { o.Names.Add(a); continue; }
            bool plus = a[0] == '+';
            for (int j = 1; j < a.Length; j++)
            {
                char c = a[j];
                string rest = a[(j + 1)..];
                // An option's value: attached, else the next argument.
                string Required()
                {
                    if (rest.Length > 0) { j = a.Length; return rest; }
                    if (i + 1 >= args.Count) throw new CliException($"no value for {(plus ? '+' : '-')}{c}");
                    j = a.Length;
                    return args[++i];
                }
                // An optional value: attached, else the next argument when it looks like one.
                string? Optional(Func<string, bool> looksLikeValue)
                {
                    if (rest.Length > 0) { j = a.Length; return rest; }
                    if (i + 1 < args.Count && args[i + 1].Length > 0 && args[i + 1][0] != '-' && args[i + 1][0] != '+' && looksLikeValue(args[i + 1]))
                    {
                        j = a.Length;
                        return args[++i];
                    }
                    return null;
                }
                switch (c)
                {
                    case 'p' when !plus: ParseList(Required(), o.Pids, v => ParsePositive(v, "-p", "process ID")); break;
                    case 'u' when !plus: ParseList(Required(), o.Uids, ParseUser); break;
                    case 'c' when !plus: ParseList(Required(), o.Commands, v => v); break;
                    case 'c' when plus:
                        {
                            var v = Required();
                            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int w)) throw new CliException($"+c not followed by a number: {v}");
                            o.CommandWidth = w == 0 ? 15 : Math.Max(w, 1);
                            break;
                        }
                    case 'g' when !plus:
                        {
                            o.ShowPGid = true;
                            var v = Optional(s => s.All(ch => char.IsAsciiDigit(ch) || ch == ',' || ch == '^'));
                            if (v is not null) ParseList(v, o.PGids, s => ParsePositive(s, "-g", "process group ID"));
                            break;
                        }
                    case 'd' when !plus: ParseList(Required(), o.Fds, v => v); break;
                    case 'D' when plus: o.Dirs.Add((TrimDir(Required()), true)); break;
                    case 'd' when plus: o.Dirs.Add((TrimDir(Required()), false)); break;
                    case 'i' when !plus:
                        {
                            var v = Optional(LooksLikeInet);
                            o.Inet.Add(v is null ? new InetSpec(null, null, null, null) : ParseInet(v));
                            break;
                        }
                    case 'U' when !plus: o.Unix = true; break;
                    case 's' when !plus:
                        {
                            var v = Optional(s => s.Contains(':'));
                            if (v is null) o.Sizes = true;
                            else ParseStates(v, o);
                            break;
                        }
                    case 'o' when !plus:
                        o.Offsets = true;
                        if (rest.Length > 0 && rest.All(char.IsAsciiDigit)) j = a.Length;
                        break;
                    case 'L':
                        if (!plus) { o.ShowLinks = false; o.LinksBelow = null; if (rest.Length > 0) j = a.Length; break; }
                        o.ShowLinks = true;
                        if (rest.Length > 0 && rest.All(char.IsAsciiDigit)) { o.LinksBelow = int.Parse(rest, CultureInfo.InvariantCulture); j = a.Length; }
                        break;
                    case 'a' when !plus: o.And = true; break;
                    case 't' when !plus: o.Terse = true; o.NoWarnings = true; break;
                    case 'n' when !plus: o.NoHostNames = true; break;
                    case 'P' when !plus: o.NoPortNames = true; break;
                    case 'l' when !plus: o.NumericUid = true; break;
                    case 'w' when !plus: o.NoWarnings = true; break;
                    case 'w' when plus: o.NoWarnings = false; break;
                    case 'R' when !plus: o.ShowPPid = true; break;
                    case 'b' when !plus: break; // lsof's "avoid kernel functions that might block": we never stat network files anyway
                    case 'F' when !plus:
                        {
                            var v = Optional(s => s.All(ch => FieldLetters.Contains(ch)));
                            o.Fields = v ?? "";
                            if (o.Fields.Contains('0')) o.FieldNul = true;
                            break;
                        }
                    case 'r':
                        {
                            var v = Optional(s => s.All(char.IsAsciiDigit));
                            int secs = 15;
                            if (v is not null && !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out secs)) throw new CliException($"-r not followed by a number: {v}");
                            o.RepeatSeconds = Math.Max(secs, 1);
                            o.RepeatUntilEmpty = plus;
                            break;
                        }
                    case 'K' when !plus:
                        {
                            var v = Optional(s => s == "i");
                            o.IgnoreTasks = v == "i";
                            break;
                        }
                    case 'S' when !plus:
                        {
                            var v = Optional(s => s.All(char.IsAsciiDigit));
                            if (v is not null) o.TimeoutSeconds = Math.Max(2, int.Parse(v, CultureInfo.InvariantCulture));
                            break;
                        }
                    case 'X' when plus: o.StatRemote = true; break;
                    case 'h' or '?' when !plus: o.Help = true; break;
                    case 'v' or 'V' when !plus: o.Version = true; break;
                    default: throw new CliException($"unknown option: {(plus ? '+' : '-')}{c}");
                }
            }
        }
        return o;
    }

    /// <summary>lsof's -F field letters (process set and file set).</summary>
    public const string FieldLetters = "pgRcuLKfaltGDdsoikPnT0";

    private static string TrimDir(string d) => d.Length > 1 ? d.TrimEnd('/') : d;

    private static void ParseList<T>(string value, SelectionList<T> into, Func<string, T> parse)
    {
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part[0] == '^') into.Exclude.Add(parse(part[1..]));
            else into.Include.Add(parse(part));
        }
    }

    private static int ParsePositive(string v, string option, string what)
    {
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 0) throw new CliException($"illegal {what} for {option}: {v}");
        return n;
    }

    private static uint ParseUser(string v)
    {
        if (UserDatabase.TryGetUid(v, out uint uid)) return uid;
        throw new CliException($"can't get UID for {v}");
    }

    private static bool LooksLikeInet(string s) =>
        s[0] is '4' or '6' or '@' or ':' || s.StartsWith("tcp", StringComparison.OrdinalIgnoreCase) || s.StartsWith("udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses [46][protocol][@host][:service|port[-port][,…]].</summary>
    public static InetSpec ParseInet(string spec)
    {
        string s = spec;
        int? version = null;
        if (s.Length > 0 && (s[0] == '4' || s[0] == '6')) { version = s[0] - '0'; s = s[1..]; }
        string? proto = null;
        int cut = s.IndexOfAny(['@', ':']);
        string p = cut < 0 ? s : s[..cut];
        if (p.Length > 0)
        {
            proto = p.ToUpperInvariant();
            if (proto is not ("TCP" or "UDP")) throw new CliException($"unsupported protocol: \"{p}\" in -i {spec}");
        }
        s = cut < 0 ? "" : s[cut..];
        List<IPAddress>? hosts = null;
        if (s.StartsWith('@'))
        {
            string host;
            int colon;
            if (s.Length > 1 && s[1] == '[')
            {
                int close = s.IndexOf(']');
                if (close < 0) throw new CliException($"unterminated IPv6 address in -i {spec}");
                host = s[2..close];
                colon = s.IndexOf(':', close);
            }
            else
            {
                colon = s.IndexOf(':');
                host = colon < 0 ? s[1..] : s[1..colon];
            }
            if (IPAddress.TryParse(host, out var ip)) hosts = [ip];
            else
            {
                try { hosts = Dns.GetHostAddresses(host).ToList(); }
                catch (System.Net.Sockets.SocketException) { throw new CliException($"unknown host name ({host}) in: -i {spec}"); }
            }
            s = colon < 0 ? "" : s[colon..];
        }
        List<(int, int)>? ports = null;
        if (s.StartsWith(':'))
        {
            ports = [];
            foreach (var part in s[1..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int dash = part.IndexOf('-');
                if (dash > 0) ports.Add((Port(part[..dash], proto, spec), Port(part[(dash + 1)..], proto, spec)));
                else { int v = Port(part, proto, spec); ports.Add((v, v)); }
            }
        }
        else if (s.Length > 0) throw new CliException($"bad -i address: {spec}");
        return new InetSpec(version, proto, hosts, ports);
    }

    private static int Port(string v, string? proto, string spec)
    {
        if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 65535) return n;
        var port = ServiceNames.Port(v, proto == "UDP" ? "udp" : "tcp") ?? ServiceNames.Port(v, "udp");
        return port ?? throw new CliException($"unknown service {v} in: -i {spec}");
    }

    private static void ParseStates(string v, LsofOptions o)
    {
        int colon = v.IndexOf(':');
        string proto = v[..colon].ToUpperInvariant();
        var target = proto switch
        {
            "TCP" => o.TcpStates,
            "UDP" => o.UdpStates,
            _ => throw new CliException($"unknown protocol name ({v[..colon]}) in: -s {v}"),
        };
        foreach (var st in v[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = st.TrimStart('^').ToUpperInvariant();
            if (proto == "TCP" && !Enumerable.Range(1, 12).Any(k => Core.Files.TcpStates.Name(k) == name)) throw new CliException($"unknown state name ({name}) in: -s {v}");
            if (st[0] == '^') target.Exclude.Add(name);
            else target.Include.Add(name);
        }
    }
}
