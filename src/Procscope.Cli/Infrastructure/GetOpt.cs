namespace Procscope.Cli.Infrastructure;

/// <summary>One option a classic command accepts: a short letter and/or long name, with or without a value.</summary>
public sealed record OptionSpec(char? Short, string? Long, bool TakesValue = false, bool OptionalValue = false, string? Key = null)
{
    /// <summary>The name the parsed result is keyed by (long name if any, else the letter).</summary>
    public string Id => Key ?? Long ?? Short!.Value.ToString();
}

/// <summary>A parsed option occurrence, in command-line order.</summary>
public readonly record struct ParsedOption(string Id, string? Value, string Spelling);

/// <summary>
/// getopt_long-compatible parsing for the classic commands, so muscle memory and error messages
/// match procps: bundled short options (-bt), attached or separate values (-s1, -s 1), long options
/// with '=' or a separate value, unique prefixes of long options (--sec), "--" ends options.
/// System.CommandLine cannot express these rules (e.g. -h means --human in free).
/// </summary>
public sealed class GetOpt
{
    private readonly List<OptionSpec> _specs;

    public GetOpt(IEnumerable<OptionSpec> specs) => _specs = specs.ToList();

    public sealed record Result(IReadOnlyList<ParsedOption> Options, IReadOnlyList<string> Operands)
    {
        public bool Has(string id) => Options.Any(o => o.Id == id);
        public int Count(string id) => Options.Count(o => o.Id == id);
        public string? Last(string id) => Options.LastOrDefault(o => o.Id == id).Value;
    }

    /// <exception cref="CliException">With getopt's message, e.g. "invalid option -- 'z'".</exception>
    public Result Parse(IReadOnlyList<string> args)
    {
        var opts = new List<ParsedOption>();
        var operands = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                for (i++; i < args.Count; i++) operands.Add(args[i]);
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                string body = a[2..];
                string? value = null;
                int eq = body.IndexOf('=');
                if (eq >= 0)
                {
                    value = body[(eq + 1)..];
                    body = body[..eq];
                }
                var spec = FindLong(body, a);
                if (!spec.TakesValue && value is not null)
                    throw new CliException($"option '--{spec.Long}' doesn't allow an argument");
                if (spec.TakesValue && value is null && !spec.OptionalValue)
                {
                    if (i + 1 >= args.Count) throw new CliException($"option '--{spec.Long}' requires an argument");
                    value = args[++i];
                }
                opts.Add(new ParsedOption(spec.Id, value, a));
                continue;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                for (int j = 1; j < a.Length; j++)
                {
                    char c = a[j];
                    var spec = _specs.FirstOrDefault(s => s.Short == c) ?? throw new CliException($"invalid option -- '{c}'");
                    if (!spec.TakesValue)
                    {
                        opts.Add(new ParsedOption(spec.Id, null, "-" + c));
                        continue;
                    }
                    string? value = j + 1 < a.Length ? a[(j + 1)..] : null;
                    if (value is null && !spec.OptionalValue)
                    {
                        if (i + 1 >= args.Count) throw new CliException($"option requires an argument -- '{c}'");
                        value = args[++i];
                    }
                    opts.Add(new ParsedOption(spec.Id, value, "-" + c));
                    break;
                }
                continue;
            }
            operands.Add(a);
        }
        return new Result(opts, operands);
    }

    private OptionSpec FindLong(string name, string spelling)
    {
        var exact = _specs.FirstOrDefault(s => s.Long == name);
        if (exact is not null) return exact;
        var prefix = _specs.Where(s => s.Long is not null && s.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (prefix.Count == 1 && name.Length > 0) return prefix[0];
        if (prefix.Count > 1) throw new CliException($"option '{spelling}' is ambiguous");
        throw new CliException($"unrecognized option '{spelling}'");
    }
}
