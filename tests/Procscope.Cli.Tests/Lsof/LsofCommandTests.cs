using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Lsof;

/// <summary>procscope lsof against the holdfds tracee: each line, lsof -F on the same pid, selections, JSON, errors.</summary>
public sealed class LsofCommandTests
{
    private static string P(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The table line whose FD column (number plus mode and lock) is <paramref name="fd"/>.</summary>
    private static string LineOf(RunResult r, string fd) =>
        r.Lines.Single(l => Regex.IsMatch(l, $@"^\S+\s+\d+\s+\S+\s+{Regex.Escape(fd)}\s"));

    [Fact]
    public void Table_EveryDescriptorKindOnItsOwnLine()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", "-n", "-P", "-p", P(h.Pid));
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^COMMAND\s+PID\s+USER\s+FD\s+TYPE\s+DEVICE\s+SIZE/OFF\s+NODE\s+NAME$", r.Lines[0]);
        string d = Regex.Escape(h.Dir);
        string pre = $@"^holdfds\s+{h.Pid}\s+\S+\s+";
        Assert.Matches(pre + @"cwd\s+DIR\s+\d+,\d+\s+\d+\s+\d+\s+/\S*$", LineOf(r, "cwd"));
        Assert.Matches(pre + @"rtd\s+DIR\s+\d+,\d+\s+\d+\s+\d+\s+/$", LineOf(r, "rtd"));
        Assert.Matches(pre + @"txt\s+REG\s+\d+,\d+\s+\d+\s+\d+\s+/\S*/holdfds$", LineOf(r, "txt"));
        Assert.Contains(r.Lines, l => Regex.IsMatch(l, pre + $@"mem\s+REG\s+\d+,\d+\s+20\s+\d+\s+{d}/mapped$"));
        Assert.Contains(r.Lines, l => Regex.IsMatch(l, pre + $@"DEL\s+REG\s+\d+,\d+\s+\d+\s+{d}/mapdel$"));
        Assert.Matches(pre + $@"{h["regular"]}uW\s+REG\s+\d+,\d+\s+5\s+\d+\s+{d}/regular$", LineOf(r, h["regular"] + "uW"));
        Assert.Matches(pre + $@"{h["unlinked"]}u\s+REG\s+\d+,\d+\s+4\s+\d+\s+{d}/unlinked \(deleted\)$", LineOf(r, h["unlinked"] + "u"));
        Assert.Matches(pre + $@"{h["fakedeleted"]}r\s+REG\s+\d+,\d+\s+0\s+\d+\s+{d}/x \(deleted\)$", LineOf(r, h["fakedeleted"] + "r"));
        // The newline is shown as lsof shows it, never written raw to the terminal.
        Assert.Matches(pre + $@"{h["newline"]}w\s+REG\s+\d+,\d+\s+0\s+\d+\s+{d}/new\\nline$", LineOf(r, h["newline"] + "w"));
        Assert.Matches(pre + $@"{h["escape"]}r\s+REG\s+\d+,\d+\s+0\s+\d+\s+{d}/esc\^\[\[31mred$", LineOf(r, h["escape"] + "r"));
        Assert.DoesNotContain('\u001b', r.Stdout);
        Assert.Matches(pre + $@"{h["pipe-read"]}r\s+FIFO\s+\d+,\d+\s+0t0\s+\d+\s+pipe$", LineOf(r, h["pipe-read"] + "r"));
        Assert.Matches(pre + $@"{h["pipe-write"]}w\s+FIFO\s+\d+,\d+\s+0t0\s+\d+\s+pipe$", LineOf(r, h["pipe-write"] + "w"));
        Assert.Matches(pre + $@"{h["pair-a"]}u\s+unix\s+0x[0-9a-f]{{16}}\s+0t0\s+\d+\s+type=STREAM \(CONNECTED\)$", LineOf(r, h["pair-a"] + "u"));
        Assert.Matches(pre + $@"{h["listener"]}u\s+IPv4\s+\d+\s+0t0\s+TCP\s+127\.0\.0\.1:{h["listen-port"]} \(LISTEN\)$", LineOf(r, h["listener"] + "u"));
        Assert.Matches(pre + $@"{h["client"]}u\s+IPv4\s+\d+\s+0t0\s+TCP\s+127\.0\.0\.1:{h["client-port"]}->127\.0\.0\.1:{h["listen-port"]} \(ESTABLISHED\)$", LineOf(r, h["client"] + "u"));
        Assert.Matches(pre + $@"{h["server"]}u\s+IPv4\s+\d+\s+0t0\s+TCP\s+127\.0\.0\.1:{h["listen-port"]}->127\.0\.0\.1:{h["client-port"]} \(ESTABLISHED\)$", LineOf(r, h["server"] + "u"));
        Assert.Matches(pre + $@"{h["udp"]}u\s+IPv4\s+\d+\s+0t0\s+UDP\s+127\.0\.0\.1:{h["udp-port"]}\s*$", LineOf(r, h["udp"] + "u"));
        Assert.Matches(pre + $@"{h["eventfd"]}u\s+a_inode\s+\d+,\d+\s+0\s+\d+\s+\[eventfd(:\d+)?\]$", LineOf(r, h["eventfd"] + "u"));
        Assert.Matches(pre + $@"{h["epoll"]}u\s+a_inode\s+\d+,\d+\s+0\s+\d+\s+\[eventpoll:{h["eventfd"]}\]$", LineOf(r, h["epoll"] + "u"));
        Assert.Matches(pre + $@"{h["memfd"]}u\s+REG\s+\d+,\d+\s+0\s+\d+\s+/memfd:holdfds-memfd \(deleted\)$", LineOf(r, h["memfd"] + "u"));
        Assert.Matches(pre + $@"{h["inotify"]}r\s+a_inode\s+\d+,\d+\s+0\s+\d+\s+inotify$", LineOf(r, h["inotify"] + "r"));
    }

    /// <summary>lsof -F on the same pid at the same moment: the same descriptors with the same types, modes, locks, inodes and names.</summary>
    [Fact]
    public void Fields_SameDescriptorsTypesAndNamesAsLsof()
    {
        if (!Run.CommandExists("lsof")) Assert.Skip("lsof is not installed");
        using var h = new HoldFds();
        string[] args = ["-n", "-P", "-F", "ftalin", "-p", P(h.Pid)];
        var ours = Run.Procscope(["lsof", .. args]);
        var theirs = Run.Program("lsof", args);
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(0, theirs.ExitCode);
        var a = Records(ours.Stdout);
        var b = Records(theirs.Stdout);
        // lsof writes a newline in a name as "\n"; ours is exact (one record then spans two lines).
        string nl = h["newline"].ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{h.Dir}/new\nline", a[nl]["n"]);
        Assert.Equal($"{h.Dir}/new\\nline", b[nl]["n"]);
        a[nl]["n"] = b[nl]["n"];
        // lsof also prints an escape as "^[".
        string esc = h["escape"].ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{h.Dir}/esc\u001b[31mred", a[esc]["n"]);
        a[esc]["n"] = b[esc]["n"];
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        foreach (var fd in b.Keys) Assert.Equal(b[fd].OrderBy(kv => kv.Key).ToList(), a[fd].OrderBy(kv => kv.Key).ToList());
    }

    /// <summary>-F output keyed by "f" value, each with its other fields (a name continues until the next field line).</summary>
    private static Dictionary<string, Dictionary<string, string>> Records(string output)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? cur = null;
        string? last = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0) continue;
            char c = line[0];
            // After the name only a new file (f) or process (p) can follow: anything else continues the name.
            if (cur is not null && last == "n" && c is not ('p' or 'f')) cur["n"] += "\n" + line;
            else if (c == 'f') { result[line[1..]] = cur = new Dictionary<string, string>(); last = "f"; }
            else if (cur is not null && "talin".Contains(c)) cur[last = c.ToString()] = line[1..];
        }
        return result;
    }

    [Fact]
    public void PlusL1_UnlinkedByLinkCount_NotALiveFileNamedDeleted()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", "+L1", "-a", "-p", P(h.Pid));
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^COMMAND\s+PID\s+USER\s+FD\s+TYPE\s+DEVICE\s+SIZE/OFF\s+NLINK\s+NODE\s+NAME$", r.Lines[0]);
        var fds = r.Lines.Skip(1).Select(l => Regex.Match(l, @"^\S+\s+\d+\s+\S+\s+(\d+)").Groups[1].Value).ToList();
        Assert.Contains(P(h["unlinked"]), fds);
        Assert.Contains(P(h["memfd"]), fds);
        Assert.DoesNotContain(P(h["fakedeleted"]), fds);
        Assert.DoesNotContain(P(h["regular"]), fds);
        Assert.All(r.Lines.Skip(1), l => Assert.Matches(@"\s0\s+\d+\s+\S.*\(deleted\)$", l));
    }

    [Fact]
    public void InetListen_OnlyTheListener_AndTerseGivesThePid()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", "-a", "-p", P(h.Pid), "-iTCP", "-sTCP:LISTEN", "-n", "-P");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Lines.Length);
        Assert.EndsWith($"TCP 127.0.0.1:{h["listen-port"]} (LISTEN)", r.Lines[1]);
        var t = Run.Procscope("lsof", "-t", "-i", $"TCP@127.0.0.1:{h["listen-port"]}");
        Assert.Equal(0, t.ExitCode);
        Assert.Equal([P(h.Pid)], t.Lines);
        var udp = Run.Procscope("lsof", "-a", "-p", P(h.Pid), "-i", "4UDP", "-n", "-P");
        Assert.Equal(2, udp.Lines.Length);
        Assert.Contains($"UDP 127.0.0.1:{h["udp-port"]}", udp.Lines[1]);
        var unix = Run.Procscope("lsof", "-a", "-p", P(h.Pid), "-U");
        Assert.Equal(3, unix.Lines.Length);
        Assert.All(unix.Lines.Skip(1), l => Assert.Contains(" unix ", l));
    }

    [Fact]
    public void Offsets_AndSizes_Columns()
    {
        using var h = new HoldFds();
        var o = Run.Procscope("lsof", "-o", "-a", "-p", P(h.Pid), "-d", P(h["regular"]));
        Assert.Matches(@"\sOFFSET\s", o.Lines[0]);
        Assert.Matches(@"\s3uW\s+REG\s+\d+,\d+\s+0t3\s", o.Lines[1]);
        var s = Run.Procscope("lsof", "-s", "-a", "-p", P(h.Pid), "-d", $"{h["regular"]},{h["pipe-read"]}");
        Assert.Matches(@"\sSIZE\s", s.Lines[0]);
        Assert.Matches(@"\sREG\s+\d+,\d+\s+5\s", s.Lines[1]);
        Assert.Matches(@"\sFIFO\s+\d+,\d+\s+\d+\s+pipe$", s.Lines[2]);
    }

    [Fact]
    public void Json_ExactNamesDeletedByLinkCountAndTcpBytes()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", "--json", "-p", P(h.Pid));
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var proc = Assert.Single(doc.RootElement.GetProperty("processes").EnumerateArray());
        Assert.Equal(h.Pid, proc.GetProperty("pid").GetInt32());
        Assert.Equal("holdfds", proc.GetProperty("command").GetString());
        var files = proc.GetProperty("files").EnumerateArray().ToList();
        JsonElement Fd(string name) => files.Single(f => f.GetProperty("fd").ValueKind == JsonValueKind.Number && f.GetProperty("fd").GetInt32() == h[name]);
        Assert.Equal($"{h.Dir}/new\nline", Fd("newline").GetProperty("name").GetString());
        Assert.Equal($"{h.Dir}/esc\u001b[31mred", Fd("escape").GetProperty("name").GetString());
        Assert.True(Fd("unlinked").GetProperty("deleted").GetBoolean());
        Assert.Equal(0, Fd("unlinked").GetProperty("link_count").GetInt32());
        Assert.False(Fd("fakedeleted").GetProperty("deleted").GetBoolean());
        Assert.Equal(1, Fd("fakedeleted").GetProperty("link_count").GetInt32());
        Assert.Equal(3, Fd("regular").GetProperty("offset_bytes").GetInt64());
        Assert.Equal(5, Fd("regular").GetProperty("size_bytes").GetInt64());
        Assert.Equal("W", Fd("regular").GetProperty("lock").GetString());
        var client = Fd("client").GetProperty("socket");
        Assert.Equal("ESTABLISHED", client.GetProperty("state").GetString());
        Assert.Equal(h["client-port"], client.GetProperty("local_port").GetInt32());
        Assert.Equal(h["listen-port"], client.GetProperty("remote_port").GetInt32());
        Assert.Equal(5, client.GetProperty("bytes_sent").GetInt64());
        var server = Fd("server").GetProperty("socket");
        Assert.Equal(5, server.GetProperty("bytes_received").GetInt64());
        Assert.Equal(5, server.GetProperty("receive_queue_bytes").GetInt64());
        var a = Fd("pair-a").GetProperty("socket");
        var b = Fd("pair-b").GetProperty("socket");
        Assert.Equal("STREAM", a.GetProperty("socket_type").GetString());
        // The peer of each end is the other end (unix_diag), where the kernel exposes it.
        if (a.TryGetProperty("peer_inode", out var peer)) Assert.Equal(Fd("pair-b").GetProperty("inode").GetInt64(), peer.GetInt64());
        if (b.TryGetProperty("peer_inode", out var peerB)) Assert.Equal(Fd("pair-a").GetProperty("inode").GetInt64(), peerB.GetInt64());
        Assert.Contains(files, f => f.GetProperty("fd").ValueKind == JsonValueKind.String && f.GetProperty("fd").GetString() == "DEL"
            && f.GetProperty("name").GetString() == $"{h.Dir}/mapdel");
    }

    [Fact]
    public void FieldOutput_NamesAreExactBytes()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", "-F", "pfn", "-a", "-p", P(h.Pid), "-d", P(h["newline"]));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"p{h.Pid}\nf{h["newline"]}\nn{h.Dir}/new\nline\n", r.Stdout);
    }

    [Fact]
    public void FileArgument_WhoHasItOpen()
    {
        using var h = new HoldFds();
        var r = Run.Procscope("lsof", Path.Combine(h.Dir, "regular"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Lines.Length);
        Assert.Matches($@"^holdfds\s+{h.Pid}\s+\S+\s+{h["regular"]}uW\s+REG\s", r.Lines[1]);
        var d = Run.Procscope("lsof", "-t", "+D", h.Dir);
        Assert.Equal([P(h.Pid)], d.Lines);
        var none = Run.Procscope("lsof", "-a", "-p", P(h.Pid), "-c", "nosuchcommand");
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("", none.Stdout);
    }

    [Fact]
    public void NoSuchFile_StatusErrorExit1()
    {
        var r = Run.Procscope("lsof", "/no/such/file");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal("procscope lsof: status error on /no/such/file: No such file or directory\n", r.Stderr);
    }

    [Fact]
    public void UnknownPid_NothingListedExit1_BadOptionOneLine()
    {
        var r = Run.Procscope("lsof", "-p", "999999999");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var bad = Run.Procscope("lsof", "-Q");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("procscope lsof: unknown option: -Q\n", bad.Stderr);
        var badInet = Run.Procscope("lsof", "-iSCTP");
        Assert.Equal(1, badInet.ExitCode);
        Assert.Single(badInet.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Unprivileged_OtherUsersProcessSkippedWithOneWarning()
    {
        if (!Run.IsRoot) Assert.Skip("needs root to switch to an unprivileged user");
        if (!File.Exists("/usr/bin/setpriv")) Assert.Skip("setpriv is not installed");
        using var h = new HoldFds();
        string[] nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", Run.BinaryPath, "lsof"];
        var r = Run.Program("/usr/bin/setpriv", [.. nobody, "-p", P(h.Pid)]);
        // lsof's exit status: the process was found (0), even though its descriptors are not shown.
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var warning = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("procscope lsof: WARNING: 1 process not shown", warning);
        var quiet = Run.Program("/usr/bin/setpriv", [.. nobody, "-w", "-p", P(h.Pid)]);
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        // The whole system: one warning line however many processes are denied, and no stack trace.
        var all = Run.Program("/usr/bin/setpriv", [.. nobody, "-n"]);
        Assert.Single(all.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain($" {h.Pid} ", all.Stdout);
    }

    [Fact]
    public void Repeat_TwoCyclesWithMarkers()
    {
        using var h = new HoldFds();
        // -r 1 repeats until interrupted; head ends it (EPIPE) after two cycles.
        var r = Run.Shell($"'{Run.BinaryPath}' lsof -r 1 -a -p {h.Pid} -d {h["regular"]} | head -n 5");
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("COMMAND", lines[0]);
        Assert.Contains(" REG ", lines[1]);
        Assert.Equal("=======", lines[2]);
        Assert.StartsWith("COMMAND", lines[3]);
        Assert.Contains(" REG ", lines[4]);
    }
}
