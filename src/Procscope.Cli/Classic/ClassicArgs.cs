using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Classic;

/// <summary>
/// getopt_long processes options one at a time, so procps acts on an option (-V, --help, vmstat
/// -f, uptime -s) before it ever sees a bad option after it: <c>vmstat -f -z</c> prints the
/// forks and succeeds, <c>vmstat -z -f</c> fails. <see cref="Parse"/> returns the options that
/// precede a parse error together with the error, so a command can walk them in order and throw
/// the error only if it gets that far.
/// </summary>
public static class ClassicArgs
{
    public sealed record Parsed(IReadOnlyList<ParsedOption> Options, IReadOnlyList<string> Operands, CliException? Error);

    public static Parsed Parse(GetOpt getOpt, IReadOnlyList<string> args)
    {
        try
        {
            var all = getOpt.Parse(args);
            return new Parsed(all.Options, all.Operands, null);
        }
        catch (CliException error)
        {
            // The longest prefix of whole arguments that parses holds the options before the error;
            // within a bundle such as -fz, the letters before the bad one count too.
            for (int k = args.Count - 1; k >= 0; k--)
            {
                if (TryParse(getOpt, args.Take(k).ToList()) is not { } whole) continue;
                string failing = args[k];
                if (failing.Length > 2 && failing[0] == '-' && failing[1] != '-')
                {
                    for (int len = failing.Length - 1; len >= 2; len--)
                        if (TryParse(getOpt, [.. args.Take(k), failing[..len]]) is { } part)
                            return new Parsed(part.Options, part.Operands, error);
                }
                return new Parsed(whole.Options, whole.Operands, error);
            }
            return new Parsed([], [], error);
        }
    }

    private static GetOpt.Result? TryParse(GetOpt getOpt, IReadOnlyList<string> args)
    {
        try
        {
            return getOpt.Parse(args);
        }
        catch (CliException)
        {
            return null;
        }
    }
}
