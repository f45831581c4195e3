using System.CommandLine;
using Procscope.Core.Parsing;
using Procscope.Linux;

namespace Procscope.Cli.Infrastructure;

/// <summary>
/// Everything a command needs from its invocation: the console, the /proc root (hidden
/// --procfs for fixture trees), and the raw arguments in classic syntax.
/// </summary>
public sealed class CommandContext(ICliConsole console, ProcFs procFs, IReadOnlyList<string> args)
{
    public ICliConsole Console { get; } = console;
    public ProcFs ProcFs { get; } = procFs;
    public IReadOnlyList<string> Args { get; } = args;
    public TextWriter Out => Console.Out;

    /// <summary>Hostile bytes made safe for this terminal (control bytes → '?').</summary>
    public string Safe(ReadOnlySpan<byte> raw) => TextSanitizer.ForTerminal(raw, Console.Utf8Locale);
}

/// <summary>
/// Registers a classic-compatible command (ps, free, vmstat …) in the System.CommandLine tree.
/// System.CommandLine owns the tree, `procscope --help` and dispatch; the command's own arguments
/// keep the classic tool's syntax (BSD ps flags, getopt bundling, -h meaning --human) and are
/// parsed by the command. Common options: --json, --no-color, and the hidden --procfs DIR.
/// </summary>
public static class ClassicCommand
{
    public static Command Create(string name, string description, Func<CommandContext, int> run, ICliConsole? console = null)
    {
        var cmd = new Command(name, description);
        var rest = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Description = $"{name}'s own options; see procscope {name} --help" };
        cmd.Arguments.Add(rest);
        cmd.TreatUnmatchedTokensAsErrors = false;
        cmd.SetAction(pr => Run(name, pr.GetValue(rest) ?? [], run, console));
        return cmd;
    }

    /// <summary>Runs a command with the error model of CONVENTIONS.md §4: one line, documented exit code, no stack trace.</summary>
    // commandRunner: the command runs another command (time, trace, ltrace); our hidden options
    // are only taken before its first operand or `--`, so `procscope time ls --no-color` passes
    // `--no-color` to ls.
    public static int Run(string name, IReadOnlyList<string> rawArgs, Func<CommandContext, int> run, ICliConsole? console = null, bool commandRunner = false)
    {
        var sys = console as SystemConsole;
        var con = console ?? (sys = new SystemConsole());
        var args = new List<string>(rawArgs.Count);
        string procRoot = "/proc";
        for (int i = 0; i < rawArgs.Count; i++)
        {
            var a = rawArgs[i];
            if (commandRunner && (a == "--" || !a.StartsWith('-')))
            {
                for (; i < rawArgs.Count; i++) args.Add(rawArgs[i]);
                break;
            }
            if (a == "--procfs" && i + 1 < rawArgs.Count) { procRoot = rawArgs[++i]; continue; }
            if (a.StartsWith("--procfs=", StringComparison.Ordinal)) { procRoot = a["--procfs=".Length..]; continue; }
            if (a == "--no-color") { if (sys is not null) sys.DisableColor = true; continue; }
            args.Add(a);
        }
        try
        {
            int rc = run(new CommandContext(con, new ProcFs(procRoot), args));
            // Not con.Out.Flush() for the real console: that would create stdout's 64 KiB writer
            // (~330 KB of buffers zeroed) for commands that never wrote to it, such as time.
            if (sys is not null) sys.Flush();
            else con.Out.Flush();
            return rc;
        }
        catch (CliException e)
        {
            TryFlush(con);
            con.Error.WriteLine($"procscope {name}: {e.Message}");
            return e.ExitCode;
        }
        catch (DescriptorWriteException e)
        {
            // Only failures of our own output count here: a read error elsewhere is not a "write error".
            if (e.IsBrokenPipe) return ExitCodes.BrokenPipe;
            con.Error.WriteLine($"procscope {name}: write error: {e.Message}");
            return ExitCodes.WriteError;
        }
        catch (Exception e)
        {
            TryFlush(con);
            con.Error.WriteLine($"procscope {name}: internal error (a bug, please report it): {e.GetType().Name}: {e.Message}");
            con.Error.WriteLine(e.StackTrace);
            return ExitCodes.InternalError;
        }
    }

    private static void TryFlush(ICliConsole con)
    {
        try
        {
            if (con is SystemConsole sys) sys.Flush();
            else con.Out.Flush();
        }
        catch (IOException) { }
    }

}
