using System.CommandLine;
using System.CommandLine.Help;
using Procscope.Cli.Commands.Free;
using Procscope.Cli.Commands.Ps;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Commands.Uptime;
using Procscope.Cli.Commands.Vmstat;

namespace Procscope.Cli;

public static class Program
{
    /// <summary>`procscope` with no arguments opens the live view (top).</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args.Length == 0 ? ["top"] : args).Invoke();

    /// <summary>The command tree. Each command lives in Commands/&lt;Name&gt;/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("procscope: everything a Linux process does, in one fast binary.");
        // Classic commands own -h (free -h is --human), so help is not inherited by subcommands;
        // each answers --help itself.
        foreach (var o in root.Options)
            if (o is HelpOption h) h.Recursive = false;
        root.Subcommands.Add(PsCommand.Create());
        root.Subcommands.Add(FreeCommand.Create());
        root.Subcommands.Add(UptimeCommand.Create());
        root.Subcommands.Add(VmstatCommand.Create());
        root.Subcommands.Add(TopCommand.Create());
        return root;
    }
}
