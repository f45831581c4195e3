namespace Procscope.Cli.Commands.Lsof;

internal static class LsofHelp
{
    public const string Text = """
        Usage: procscope lsof [options] [--] [names]
        List open files (lsof 4.95 compatible). Selections are ORed; -a ANDs them.
          -p s     pids, comma-separated; ^pid excludes        -u s   users (names or uids; ^ excludes)
          -c c     command names beginning with c (^ excludes)  -g [s] process group ids (and a PGID column)
          -d s     descriptors: cwd,rtd,txt,mem,DEL,3,0-2 (^ excludes; always ANDed)
          +D dir   files under dir (recursive)                 +d dir files in dir (not recursive)
          -i [i]   internet files: [46][TCP|UDP][@host][:port[-port][,...]]
          -s p:s   only TCP/UDP sockets in states s (-sTCP:LISTEN, -sTCP:^LISTEN); -s alone: SIZE column
          -U       UNIX sockets                                 +L1    unlinked open files (by link count); +L adds NLINK
          -a       AND the selections                           -t     pids only (implies -w)
          -n       no host names                                -P     no port names
          -l       numeric user ids                             -R     PPID column
          -o       OFFSET column                                -K i   do not list threads
          -F [f]   field output: p g R c u L K f a l t G D d s o i k P n T (0: NUL terminators)
          -r [N]   repeat every N s (default 15); +r: until nothing is listed
          -w       no warnings                                  +c w   COMMAND width (0: 15)
          -S [t]   give up on a process after t s (default 15)  +X     stat() files on network/FUSE file systems too
          --json   one JSON document (NDJSON with -r): exact names, TCP bytes sent/received
          -h       this help                                    -v     version
        names: files (who has them open) or mount points (every file open on that file system).
        Exit status: 0 when something was listed and every named item was found, else 1.

        """;
}
