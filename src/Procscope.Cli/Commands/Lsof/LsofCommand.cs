using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Cli.Infrastructure;
using Procscope.Linux;
using Procscope.Linux.Files;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>
/// procscope lsof: lsof 4.95 compatible listing of open files (text, -F fields, -t), plus --json
/// with exact names and TCP bytes sent and received per socket (sock_diag).
/// </summary>
public static class LsofCommand
{
    public static Command Create() =>
        ClassicCommand.Create("lsof", "List open files, sockets, pipes and mappings, and who holds a file (lsof 4.95 compatible; --json).", Run);

    public static int Run(CommandContext ctx)
    {
        var o = LsofOptions.Parse(ctx.Args);
        if (o.Help)
        {
            ctx.Out.Write(LsofHelp.Text);
            return 0;
        }
        if (o.Version)
        {
            ctx.Out.WriteLine("procscope lsof (lsof 4.95 compatible)");
            return 0;
        }
        ResourceLimits.RaiseOpenFilesLimit();
        int rc = 0;
        // File arguments: "who has this file open". Each must exist (lsof's "status error").
        var targets = new List<NameTarget>();
        foreach (var n in o.Names)
        {
            var t = NameTarget.Resolve(n, ctx.ProcFs, out string? error);
            if (t is null)
            {
                ctx.Console.Error.WriteLine($"procscope lsof: status error on {n}: {error}");
                rc = 1;
                continue;
            }
            targets.Add(t);
        }
        if (o.Names.Count > 0 && targets.Count == 0 && !o.Pids.Any && !o.Uids.Any && !o.Commands.Any && !o.PGids.Any && !o.InetSelected && !o.Unix && o.Dirs.Count == 0)
            return 1;
        // Offsets and open flags only when shown: -o, JSON, -F with G or o (its default shows both).
        bool offsets = o.Offsets || o.Json || (o.FieldOutput && (o.Fields!.Replace("0", "", StringComparison.Ordinal).Length == 0 || o.Fields.Contains('G') || o.Fields.Contains('o')));
        var readerOptions = new OpenFileOptions { Threads = !o.IgnoreTasks, StatRemote = o.StatRemote, Offsets = offsets };
        var output = new LsofOutput(ctx, o);
        while (true)
        {
            // A reader (and its stat caches) per snapshot: -r cycles see fresh sizes and link counts.
            // Rows stream into the output as each process is read (-F, -t and JSON write them at
            // once; the table keeps only their cells, compactly, until the widths are known).
            output.Begin();
            var (rows, matched, warnings) = Collect(ctx, o, new OpenFileReader(ctx.ProcFs, readerOptions), targets, output);
            if (!o.NoWarnings)
                foreach (var w in warnings) ctx.Console.Error.WriteLine("procscope lsof: WARNING: " + w);
            output.End();
            if (o.RepeatSeconds is not int secs)
            {
                if (!matched) rc = 1;
                break;
            }
            output.WriteRepeatMarker();
            ctx.Out.Flush();
            if (o.RepeatUntilEmpty && rows == 0) break;
            Thread.Sleep(TimeSpan.FromSeconds(secs));
        }
        return rc;
    }

    private const int CollectEvery = 20_000;

    /// <summary>One snapshot, each selected row handed to <paramref name="output"/>: the row count, whether every named item matched, and warnings.</summary>
    private static (int Rows, bool AllMatched, List<string> Warnings) Collect(CommandContext ctx, LsofOptions o, OpenFileReader reader, List<NameTarget> targets, LsofOutput output)
    {
        var sockets = SocketTable.Load(ctx.ProcFs);
        bool hasProcSel = o.Pids.Include.Count > 0 || o.Uids.Include.Count > 0 || o.Commands.Include.Count > 0 || o.PGids.Include.Count > 0;
        bool hasFileSel = targets.Count > 0 || o.Dirs.Count > 0 || o.InetSelected || o.Unix;
        // Only the named processes need reading when nothing else can select a row.
        int[] pids;
        if (o.Pids.Include.Count > 0 && (o.And || (!hasFileSel && o.Uids.Include.Count == 0 && o.Commands.Include.Count == 0 && o.PGids.Include.Count == 0)))
            pids = o.Pids.Include.Where(p => p > 0).Distinct().Order().ToArray();
        else
            pids = ctx.ProcFs.ListPids();
        int self = Self.Pid;
        int rows = 0;
        var matchedPids = new HashSet<int>();
        var matchedUids = new HashSet<uint>();
        var matchedCmds = new HashSet<string>();
        var matchedPgids = new HashSet<int>();
        var matchedTargets = new HashSet<NameTarget>();
        int denied = 0;
        long built = 0, collectAt = CollectEvery;
        void Process(ProcessOpenFiles p)
        {
            // Each row's garbage is short-lived, but whatever a young collection finds still in
            // flight (the processes being read meanwhile) is promoted and then waits for a full
            // collection, which a run this short may never get: one every CollectEvery files
            // examined keeps the peak resident set near what the snapshot really holds.
            built += p.Files.Count;
            if (built >= collectAt)
            {
                collectAt = built + CollectEvery;
                GC.Collect();
            }
            if (p.Pid == self) return;
            if (o.Uids.Exclude.Contains(p.Uid) || o.PGids.Exclude.Contains(p.PGid)) return;
            if (o.Commands.Exclude.Any(c => CommandMatches(p.Command, c))) return;
            // Process-level selections that this process satisfies.
            bool pidSel = o.Pids.Include.Contains(p.Pid), uidSel = o.Uids.Include.Contains(p.Uid), pgSel = o.PGids.Include.Contains(p.PGid);
            string? cmdSel = o.Commands.Include.FirstOrDefault(c => CommandMatches(p.Command, c));
            bool procOk = o.And
                ? (o.Pids.Include.Count == 0 || pidSel) && (o.Uids.Include.Count == 0 || uidSel) && (o.PGids.Include.Count == 0 || pgSel) && (o.Commands.Include.Count == 0 || cmdSel is not null)
                : pidSel || uidSel || pgSel || cmdSel is not null;
            if (p.Denied)
            {
                // lsof would list this process (with "Permission denied" rows): it counts as found
                // for the exit status, and is named once in the warning instead.
                if (p.Tid is null && ((!hasProcSel && !hasFileSel) || (procOk && (!o.And || !hasFileSel))))
                {
                    denied++;
                    if (pidSel) matchedPids.Add(p.Pid);
                    if (uidSel) matchedUids.Add(p.Uid);
                    if (pgSel) matchedPgids.Add(p.PGid);
                    if (cmdSel is not null) matchedCmds.Add(cmdSel);
                }
                return;
            }
            int before = rows;
            foreach (var f in p.Files)
            {
                var row = LsofRow.Build(p, f, sockets, o.NoHostNames, o.NoPortNames);
                if (!Filters(o, row)) continue;
                bool selected;
                NameTarget? hit = null;
                if (!hasProcSel && !hasFileSel) selected = true;
                else
                {
                    hit = targets.FirstOrDefault(t => t.Matches(row));
                    bool dirOk = o.Dirs.Any(d => InDir(row, d.Dir, d.Recursive));
                    bool inetOk = o.InetSelected && row.Inet is { } s && o.Inet.Any(spec => InetMatches(spec, s));
                    bool unixOk = o.Unix && row.Type == "unix";
                    if (o.And)
                    {
                        bool fileOk = (targets.Count == 0 || hit is not null) && (o.Dirs.Count == 0 || dirOk) && (!o.InetSelected || inetOk) && (!o.Unix || unixOk);
                        selected = (hasProcSel ? procOk : true) && fileOk;
                    }
                    else selected = procOk || hit is not null || dirOk || inetOk || unixOk;
                }
                if (!selected) continue;
                if (hit is not null) matchedTargets.Add(hit);
                output.Add(row);
                rows++;
            }
            if (rows > before)
            {
                if (pidSel) matchedPids.Add(p.Pid);
                if (uidSel) matchedUids.Add(p.Uid);
                if (pgSel) matchedPgids.Add(p.PGid);
                if (cmdSel is not null) matchedCmds.Add(cmdSel);
            }
        }
        var timedOut = OpenFileScan.Run(reader, pids, TimeSpan.FromSeconds(o.TimeoutSeconds), pid => !o.Pids.Exclude.Contains(pid), Process);
        var warnings = new List<string>();
        if (denied > 0)
            warnings.Add($"{denied} process{(denied == 1 ? "" : "es")} not shown: their descriptors can only be read by their owner or root (-w hides this)");
        if (timedOut.Count > 0)
            warnings.Add($"gave up on process{(timedOut.Count == 1 ? "" : "es")} {string.Join(',', timedOut)} after {o.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (-S)");
        bool all = o.Pids.Include.All(matchedPids.Contains) && o.Uids.Include.All(matchedUids.Contains)
            && o.PGids.Include.All(matchedPgids.Contains) && o.Commands.Include.All(matchedCmds.Contains) && targets.All(matchedTargets.Contains);
        return (rows, all && (rows > 0 || denied > 0), warnings);
    }

    /// <summary>Filters that always apply (ANDed): -d, +L N, -s PROTO:STATE.</summary>
    private static bool Filters(LsofOptions o, LsofRow row)
    {
        if (o.Fds.Any)
        {
            if (o.Fds.Exclude.Any(f => FdMatches(f, row.Fd))) return false;
            if (o.Fds.Include.Count > 0 && !o.Fds.Include.Any(f => FdMatches(f, row.Fd))) return false;
        }
        if (o.LinksBelow is int below)
        {
            // Only files whose link count is known and below the bound: +L1 lists unlinked files,
            // judged by the link count (a live file named "x (deleted)" has 1).
            if (row.LinkCount is not ulong n || n >= (ulong)below) return false;
        }
        if (row.Inet is { } s)
        {
            var states = s.Protocol == "TCP" ? o.TcpStates : o.UdpStates;
            if (states.Any)
            {
                string name = Core.Files.TcpStates.Name(s.State);
                if (states.Exclude.Contains(name)) return false;
                if (states.Include.Count > 0 && !states.Include.Contains(name)) return false;
            }
        }
        return true;
    }

    private static bool FdMatches(string spec, string fd)
    {
        int dash = spec.IndexOf('-');
        if (dash > 0 && int.TryParse(spec[..dash], out int lo) && int.TryParse(spec[(dash + 1)..], out int hi))
            return int.TryParse(fd, out int v) && v >= lo && v <= hi;
        return spec == fd;
    }

    /// <summary>-c: the command name begins with the string (lsof compares at most the full comm).</summary>
    private static bool CommandMatches(byte[] comm, string prefix) => comm.AsSpan().StartsWith(Encoding.UTF8.GetBytes(prefix));

    private static bool InDir(LsofRow row, string dir, bool recursive)
    {
        if (row.File.Stat is null && row.File.Dev is null) return false;
        if (row.Inet is not null || row.Unix is not null || row.Netlink is not null) return false;
        // An unlinked file is no longer under any directory (lsof walks the tree, so it agrees).
        if (row.Deleted) return false;
        var name = row.File.Name.AsSpan();
        var d = Encoding.UTF8.GetBytes(dir).AsSpan();
        if (name.SequenceEqual(d)) return true;
        if (d.Length == 1 && d[0] == (byte)'/') return recursive ? name.Length > 0 && name[0] == (byte)'/' : name.Length > 1 && name[1..].IndexOf((byte)'/') < 0;
        if (!name.StartsWith(d) || name.Length <= d.Length || name[d.Length] != (byte)'/') return false;
        return recursive || name[(d.Length + 1)..].IndexOf((byte)'/') < 0;
    }

    private static bool InetMatches(InetSpec spec, Core.Files.InetSocket s)
    {
        if (spec.Version == 4 && s.IPv6 && !s.LocalAddress.IsIPv4MappedToIPv6) return false;
        if (spec.Version == 6 && !s.IPv6) return false;
        if (spec.Protocol is not null && spec.Protocol != s.Protocol) return false;
        if (spec.Hosts is { } hosts && !hosts.Any(h => Same(h, s.LocalAddress) || (s.HasRemote && Same(h, s.RemoteAddress)))) return false;
        if (spec.Ports is { } ports && !ports.Any(r => (s.LocalPort >= r.Low && s.LocalPort <= r.High) || (s.HasRemote && s.RemotePort >= r.Low && s.RemotePort <= r.High))) return false;
        return true;
    }

    private static bool Same(IPAddress a, IPAddress b)
    {
        if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
        if (b.IsIPv4MappedToIPv6) b = b.MapToIPv4();
        return a.Equals(b);
    }
}

/// <summary>A file argument: matched by device and inode, or every file of a file system when it names a mount point.</summary>
public sealed class NameTarget
{
    public required string Path { get; init; }
    public required ulong Dev { get; init; }
    public required ulong Ino { get; init; }
    /// <summary>The path is the root of a mounted file system: lsof lists every file open on it.</summary>
    public required bool WholeFileSystem { get; init; }

    public static NameTarget? Resolve(string path, ProcFs fs, out string? error)
    {
        var st = FileStatus.Of(path, out int errno);
        if (st is not { } s)
        {
            error = Marshal.GetPInvokeErrorMessage(errno);
            return null;
        }
        error = null;
        bool mount = false;
        if ((s.Mode & 0xF000) == 0x4000)
        {
            var parent = FileStatus.Of(path.TrimEnd('/') + "/..", out _);
            mount = path == "/" || parent is { } pst && pst.Dev != s.Dev;
        }
        return new NameTarget { Path = path, Dev = s.Dev, Ino = s.Ino, WholeFileSystem = mount };
    }

    public bool Matches(LsofRow row)
    {
        if (row.Inet is not null || row.Unix is not null || row.Netlink is not null) return false;
        ulong? dev = row.File.Device;
        if (dev is null) return false;
        if (WholeFileSystem) return dev == Dev;
        return dev == Dev && row.File.Inode == Ino;
    }
}
