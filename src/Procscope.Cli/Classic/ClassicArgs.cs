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
            // The longest prefix of whole arguments that parses holds the options before the error.
            for (int k = args.Count - 1; k >= 0; k--)
            {
                try
                {
                    var prefix = getOpt.Parse(args.Take(k).ToList());
                    return new Parsed(prefix.Options, prefix.Operands, error);
                }
                catch (CliException)
                {
                }
            }
            return new Parsed([], [], error);
        }
    }
}
