using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Infrastructure;
using Procscope.Core.LibraryCalls;
using Procscope.Linux.LibraryTracing;

namespace Procscope.Cli.Commands.Ltrace;

/// <summary>
/// procscope ltrace: library call tracing as ltrace 0.7.3 prints it, on today's binaries (PIE,
/// -fno-plt, BIND_NOW, IBT .plt.sec, C++). docs/COMPATIBILITY-ltrace.md, docs/INTERNALS-ltrace.md.
/// </summary>
public static class LtraceCommand
{
    private static readonly OptionSpec[] Specs =
    [
        new('c', null, Key: "count"),
        new('C', "demangle"),
        new('e', null, TakesValue: true, Key: "expr"),
        new('f', null, Key: "follow"),
        new('i', null, Key: "ip"),
        new('l', "library", TakesValue: true),
        new('n', "indent", TakesValue: true),
        new('o', "output", TakesValue: true),
        new('p', null, TakesValue: true, Key: "pid"),
        new('r', null, Key: "relative"),
        new('s', null, TakesValue: true, Key: "strsize"),
        new('S', null, Key: "syscalls"),
        new('t', null, Key: "time"),
        new('T', null, Key: "duration"),
        new('x', null, TakesValue: true, Key: "own"),
        new('V', "version"),
        new('h', "help"),
        new(null, "json"),
        new(null, "no-pin"),
        new(null, "align", TakesValue: true),
    ];

    public static Command Create() =>
        ClassicCommand.Create("ltrace", "Trace library calls of a command or process (ltrace compatible; works with PIE, -fno-plt, BIND_NOW and IBT binaries).", Run);

    public static int Run(CommandContext ctx)
    {
        int split = CommandStart(ctx.Args);
        var opts = new GetOpt(Specs).Parse(ctx.Args.Take(split).ToList());
        if (opts.Has("help")) { ctx.Out.Write(Help); return 0; }
        if (opts.Has("version")) { ctx.Out.WriteLine("procscope ltrace (ltrace 0.7.3 compatible)"); return 0; }
        var command = ctx.Args.Skip(split).ToList();
        var pids = new List<int>();
        foreach (var o in opts.Options.Where(o => o.Id == "pid"))
        {
            if (!int.TryParse(o.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                throw new CliException($"invalid pid '{o.Value}'");
            pids.Add(pid);
        }
        if (command.Count == 0 && pids.Count == 0) throw new CliException("too few arguments\nTry 'procscope ltrace --help' for more information.");

        int strsize = 32;
        if (opts.Last("strsize") is { } ss && (!int.TryParse(ss, NumberStyles.None, CultureInfo.InvariantCulture, out strsize) || strsize < 0))
            throw new CliException($"invalid string size '{ss}'");
        int indent = 0;
        if (opts.Last("indent") is { } ind && (!int.TryParse(ind, NumberStyles.None, CultureInfo.InvariantCulture, out indent) || indent > 100))
            throw new CliException($"invalid indentation '{ind}'");
        int align = 48;
        if (opts.Last("align") is { } al && (!int.TryParse(al, NumberStyles.None, CultureInfo.InvariantCulture, out align) || align > 1000))
            throw new CliException($"invalid column '{al}'");

        Func<string, string, bool> filter;
        try
        {
            filter = FilterExpression.Parse(opts.Options.Where(o => o.Id == "expr").Select(o => o.Value!).ToList());
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }

        var render = new LtraceRenderOptions
        {
            Demangle = opts.Has("demangle"),
            StringLimit = strsize,
            Timestamps = Math.Min(opts.Count("time"), 3),
            Relative = opts.Has("relative"),
            Durations = opts.Has("duration"),
            InstructionPointer = opts.Has("ip"),
            Indent = indent,
            Align = align,
            Json = opts.Has("json"),
            Summary = opts.Has("count"),
            AlwaysPid = opts.Has("follow") || pids.Count > 1,
        };

        TextWriter output = ctx.Console.Error;
        StreamWriter? file = null;
        if (opts.Last("output") is { } path)
        {
            try
            {
                file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write), new UTF8Encoding(false), 64 * 1024);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"can't open {path} for writing: {e.Message}");
            }
            output = file;
        }

        var sink = new LtraceOutput(output, render, ctx.Console.Utf8Locale);
        var tracer = new LibraryTracer(new LibraryTraceOptions
        {
            FollowForks = opts.Has("follow"),
            PinToOneCpu = !opts.Has("no-pin") && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PROCSCOPE_NO_PIN")),
            Libraries = opts.Options.Where(o => o.Id == "library").Select(o => o.Value!).ToList(),
            ProgramSymbols = opts.Options.Where(o => o.Id == "own").Select(o => o.Value!).ToList(),
            Filter = filter,
            Format = new FormatOptions(strsize),
            SystemCalls = opts.Has("syscalls"),
            TimeCalls = opts.Has("duration") || opts.Has("count"),
        }, sink);

        // Ctrl-C, SIGTERM, SIGHUP: breakpoints out, attached processes detached and running, spawned ones killed.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; tracer.RequestStop(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; tracer.RequestStop(); });
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; tracer.RequestStop(); });
        int rc;
        try
        {
            if (command.Count > 0)
            {
                string exe = ResolveOnPath(command[0]) ?? throw new CliException($"Can't execute `{command[0]}': No such file or directory");
                rc = tracer.RunCommand(exe, command);
            }
            else
            {
                rc = tracer.Attach(pids);
            }
        }
        catch (LibraryTraceException e)
        {
            sink.Finish();
            throw new CliException(e.Message);
        }
        finally
        {
            try { output.Flush(); } catch (IOException) { }
        }
        sink.Finish();
        output.Flush();
        file?.Dispose();
        if (Environment.GetEnvironmentVariable("PROCSCOPE_LTRACE_STATS") == "1")
        {
            var (em, ool, ss2) = tracer.StepCounts;
            ctx.Console.Error.WriteLine($"procscope ltrace: steps emulated {em}, out of line {ool}, single-stepped {ss2}; pinned cpu {tracer.InitiallyPinnedCpu}");
        }
        return rc;
    }

    /// <summary>The command's index: options stop at the first non-option (ltrace's getopt "+").</summary>
    private static int CommandStart(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") return i + 1;
            if (a.Length < 2 || a[0] != '-') return i;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.Contains('=')) continue;
                var name = a[2..];
                var spec = Specs.FirstOrDefault(s => s.Long == name) ?? Specs.SingleOrDefault(s => s.Long is not null && s.Long.StartsWith(name, StringComparison.Ordinal));
                if (spec is { TakesValue: true }) i++;
                continue;
            }
            for (int j = 1; j < a.Length; j++)
            {
                var spec = Specs.FirstOrDefault(s => s.Short == a[j]);
                if (spec is { TakesValue: true })
                {
                    if (j == a.Length - 1) i++;
                    break;
                }
            }
        }
        return args.Count;
    }

    private static string? ResolveOnPath(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private const string Help = """
        Usage: procscope ltrace [option ...] [command [arg ...]]
        Trace library calls of a given program.

          -c                  count time and calls, and report a summary on exit.
          -C, --demangle      decode low-level symbol names into user-level names.
          -e FILTER           modify which library calls to trace: malloc+free, '*@libc.so*', '!strlen'.
          -f                  trace children (fork() and clone()).
          -i                  print instruction pointer (the caller's return address) at time of call.
          -l, --library=LIB   only trace symbols implemented by this library (calls from anywhere but it).
          -n, --indent=NR     indent output by NR spaces for each call level nesting.
          -o, --output=FILE   write the trace output to file with given name.
          -p PID              attach to the process with the process ID pid.
          -r                  print relative timestamps.
          -s STRSIZE          specify the maximum string size to print (default 32).
          -S                  trace system calls as well as library calls.
          -t, -tt, -ttt       print absolute timestamps.
          -T                  show the time spent inside each call.
          -x PATTERN          also trace the program's own functions matching PATTERN.
          -V, --version       output version information and exit.
          -h, --help          display this help and exit.
              --json          one JSON object per line for each call (schema 1).
              --no-pin        do not run tracer and tracee on one CPU (docs/INTERNALS-ltrace.md).

        Works on PIE, -no-pie, -Wl,-z,now, -fno-plt and IBT (.plt.sec) binaries: callees are found in
        the loaded libraries' dynamic symbols and breakpoints go on function entries, not PLT slots.
        The trace goes to stderr (or -o FILE). Exit status: the traced command's.

        """;
}
