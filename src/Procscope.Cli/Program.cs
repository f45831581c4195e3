using System.CommandLine;
using System.CommandLine.Help;
using Procscope.Cli.Commands.Free;
using Procscope.Cli.Commands.Iostat;
using Procscope.Cli.Commands.Iotop;
using Procscope.Cli.Commands.Lsof;
using Procscope.Cli.Commands.Ltrace;
using Procscope.Cli.Commands.Pidstat;
using Procscope.Cli.Commands.Pmap;
using Procscope.Cli.Commands.Ps;
using Procscope.Cli.Commands.Time;
using Procscope.Cli.Commands.Top;
using Procscope.Cli.Commands.Trace;
using Procscope.Cli.Commands.Uptime;
using Procscope.Cli.Commands.Vmstat;

namespace Procscope.Cli;

public static class Program
{
    /// <summary>`procscope` with no arguments opens the live view (top).</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0) args = ["top"];
        // `time` passes everything after its name to its own GNU-compatible parser, so the
        // command tree adds nothing but start-up cost (about 0.5 ms: the System.CommandLine types'
        // code pages), which procscope time adds to every command it measures.
        if (args[0] == "time") return Infrastructure.ClassicCommand.Run("time", args[1..], TimeCommand.Run, commandRunner: true);
        // trace and ltrace too: they also run a command, whose arguments are not ours to read
        // (System.CommandLine would expand `@file` response files in them), and they also measure start-up.
        if (args[0] == "trace") return Infrastructure.ClassicCommand.Run("trace", args[1..], TraceCommand.Run, commandRunner: true);
        if (args[0] == "ltrace") return Infrastructure.ClassicCommand.Run("ltrace", args[1..], LtraceCommand.Run, commandRunner: true);
        // No response files: `procscope lsof @x` means the file named @x.
        var parsed = BuildRoot(args[0]).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            // One line and exit 1, not System.CommandLine's coloured multi-line report.
            using var err = Infrastructure.SystemConsole.Writer(2);
            err.WriteLine($"procscope: {parsed.Errors[^1].Message} (see procscope --help)");
            return Infrastructure.ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                // Never through System.Console (see SystemConsole.OpenFd), and no Ctrl-C hook of
                // System.CommandLine's own: commands that run long restore state on signals themselves.
                Output = Infrastructure.SystemConsole.Writer(1),
                Error = Infrastructure.SystemConsole.Writer(2),
                ProcessTerminationTimeout = null,
                // Our catch below reports write errors in one line; anything else is a bug and
                // keeps its stack trace (the runtime's unhandled-exception report).
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Procscope.Linux.DescriptorWriteException e)
        {
            // Help text into a closed pipe (`procscope --help | head -3`); commands handle their own.
            if (e.IsBrokenPipe) return Infrastructure.ExitCodes.BrokenPipe;
            using var err = Infrastructure.SystemConsole.Writer(2);
            err.WriteLine($"procscope: write error: {e.Message}");
            return Infrastructure.ExitCodes.WriteError;
        }
    }

    /// <summary>Every command, by name. Each lives in Commands/&lt;Name&gt;/.</summary>
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("ps", PsCommand.Create),
        ("free", FreeCommand.Create),
        ("uptime", UptimeCommand.Create),
        ("vmstat", VmstatCommand.Create),
        ("top", () => TopCommand.Create()),
        ("time", TimeCommand.Create),
        ("pmap", PmapCommand.Create),
        ("pidstat", PidstatCommand.Create),
        ("iostat", IostatCommand.Create),
        ("iotop", IotopCommand.Create),
        ("lsof", LsofCommand.Create),
        ("trace", TraceCommand.Create),
        ("ltrace", LtraceCommand.Create),
    ];

    /// <summary>
    /// The command tree. When the first argument names a command, only that command is built:
    /// constructing every command's options touches code that costs ~1 ms of start-up
    /// (page faults in a 5 MB binary), which `procscope time true` and `ps -p` should not pay.
    /// </summary>
    public static RootCommand BuildRoot(string? only = null)
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
        bool known = only is not null && Array.Exists(Commands, c => c.Name == only);
        foreach (var (name, create) in Commands)
            if (!known || name == only) root.Subcommands.Add(create());
        return root;
    }
}
