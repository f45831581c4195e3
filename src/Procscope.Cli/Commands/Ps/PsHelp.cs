namespace Procscope.Cli.Commands.Ps;

/// <summary>ps --help [simple|list|output|threads|misc|all], with the sections procps offers.</summary>
internal static class PsHelp
{
    public const string Version = "ps from procscope (compatible with procps-ng 4.0.2)";

    private const string Simple = """

        Basic options:
         -A, -e               all processes
         -a                   all with tty, except session leaders
          a                   all with tty, including other users
         -d                   all except session leaders
         -N, --deselect       negate selection
          r                   only running processes
          T                   all processes on this terminal
          x                   processes without controlling ttys

        """;

    private const string List = """

        Selection by list:
         -C <command>         command name
         -G, --Group <GID>    real group id or name
         -g, --group <group>  session or effective group name
         -p, p, --pid <PID>   process id
                --ppid <PID>  parent process id
         -q, q, --quick-pid <PID>
                              process id (quick mode)
         -s, --sid <session>  session id
         -t, t, --tty <tty>   terminal
         -u, U, --user <UID>  effective user id or name
         -U, --User <UID>     real user id or name

          The selection options take as their argument either:
            a comma-separated list e.g. '-u root,nobody' or
            a blank-separated list e.g. '-p 123 4567'

        """;

    private const string Output = """

        Output formats:
         -F                   extra full
         -f                   full-format, including command lines
          f, --forest         ascii art process tree
         -H                   show process hierarchy
         -j                   jobs format
          j                   BSD job control format
         -l                   long format
          l                   BSD long format
         -M, Z                add security data (for SELinux)
         -O <format>          preloaded with default columns
          O <format>          as -O, with BSD personality
         -o, o, --format <format>
                              user-defined format
          -P                  add psr column
          s                   signal format
          u                   user-oriented format
          v                   virtual memory format
          X                   register format
         -y                   do not show flags, show rss vs. addr (used with -l)
             --context        display security context (for SELinux)
             --headers        repeat header lines, one per page
             --no-headers     do not print header at all
             --cols, --columns, --width <num>
                              set screen width
             --rows, --lines <num>
                              set screen height
             --json           an array of JSON objects, one per line of output
             --json-lines     one JSON object per line (NDJSON)

          procscope columns: uss pss swap io_read_bytes io_write_bytes
                             ctxsw_vol ctxsw_invol oom_score

        """;

    private const string Threads = """

        Show threads:
          H                   as if they were processes
         -L                   possibly with LWP and NLWP columns
         -m, m                after processes
         -T                   possibly with SPID column

        """;

    private const string Misc = """

        Miscellaneous options:
         -c                   show scheduling class with -l option
          c                   show true command name
          e                   show the environment after command
          k,    --sort        specify sort order as: [+|-]key[,[+|-]key[,...]]
          L                   show format specifiers
          n                   display numeric uid and wchan
          S,    --cumulative  include some dead child process data
         -y                   do not show flags, show rss (only with -l)
         -V, V, --version     display version information and exit
         -w, w                unlimited output width

                --help <simple|list|output|threads|misc|all>
                              display help and exit

        """;

    public static string Text(string? topic)
    {
        string section = topic switch
        {
            "simple" or "s" => "s",
            "list" or "l" => "l",
            "output" or "o" => "o",
            "threads" or "t" => "t",
            "misc" or "m" => "m",
            "all" or "a" => "a",
            _ => "",
        };
        var sb = new System.Text.StringBuilder();
        sb.Append("\nUsage:\n ps [options]\n");
        if (section is "s" or "a") sb.Append(Simple.TrimEnd('\n') + "\n");
        if (section is "l" or "a") sb.Append(List.TrimEnd('\n') + "\n");
        if (section is "o" or "a") sb.Append(Output.TrimEnd('\n') + "\n");
        if (section is "t" or "a") sb.Append(Threads.TrimEnd('\n') + "\n");
        if (section is "m" or "a") sb.Append(Misc.TrimEnd('\n') + "\n");
        if (section == "")
        {
            sb.Append("\n Try 'ps --help <simple|list|output|threads|misc|all>'\n");
            sb.Append("  or 'ps --help <s|l|o|t|m|a>'\n");
            sb.Append(" for additional help text.\n");
        }
        sb.Append("\nFor more details see ps(1) and docs/COMPATIBILITY.md.\n");
        return sb.ToString();
    }
}
