using System.CommandLine;
using System.CommandLine.Help;
using Procscope.Cli.Commands.Free;
using Procscope.Cli.Commands.Pidstat;
using Procscope.Cli.Commands.Pmap;
using Procscope.Cli.Commands.Ps;
using Procscope.Cli.Commands.Time;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Commands.Uptime;
using Procscope.Cli.Commands.Vmstat;

namespace Procscope.Cli;

public static class Program
{
    /// <summary>`procscope` with no arguments opens the live view (top).</summary>
    public static int Main(string[] args)
    {
        var parsed = BuildRoot().Parse(args.Length == 0 ? ["top"] : args);
        if (parsed.Errors.Count > 0)
        {
            // One line and exit 1, not System.CommandLine's coloured multi-line report.
            using var err = Infrastructure.SystemConsole.Writer(2);
            err.WriteLine($"procscope: {parsed.Errors[^1].Message} (see procscope --help)");
            return Infrastructure.ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration
        {
            // Never through System.Console (see SystemConsole.OpenFd), and no Ctrl-C hook of
            // System.CommandLine's own: commands that run long restore state on signals themselves.
            Output = Infrastructure.SystemConsole.Writer(1),
            Error = Infrastructure.SystemConsole.Writer(2),
            ProcessTerminationTimeout = null,
        });
    }

    /// <summary>The command tree. Each command lives in Commands/&lt;Name&gt;/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("procscope: everything a Linux process does, in one fast binary.");
        // Classic commands own -h (free -h is --human), so help is not inherited by subcommands;
        // each answers --help itself.
        foreach (var o in root.Options)
            if (o is HelpOption h)
            {
                h.Recursive = false;
                // A fixed width: asking System.Console for it would initialise the console.
                if (h.Action is HelpAction help) help.MaxWidth = Procscope.Linux.Terminal.Columns(1) ?? 80;
            }
        root.Subcommands.Add(PsCommand.Create());
        root.Subcommands.Add(FreeCommand.Create());
        root.Subcommands.Add(UptimeCommand.Create());
        root.Subcommands.Add(VmstatCommand.Create());
        root.Subcommands.Add(TopCommand.Create());
        root.Subcommands.Add(TimeCommand.Create());
        root.Subcommands.Add(PmapCommand.Create());
        root.Subcommands.Add(PidstatCommand.Create());
        return root;
    }
}
