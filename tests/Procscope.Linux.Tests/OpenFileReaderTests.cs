using System.Globalization;
using System.Text;
using Procscope.Linux.Files;

namespace Procscope.Linux.Tests;

/// <summary>Live: the open-file reader and socket table on tests/tracees/holdfds.c and during a fork storm.</summary>
public sealed class OpenFileReaderTests
{
    private static Dictionary<string, int> Values(Tracee t) =>
        t.Lines.Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));

    [Fact]
    public void SocketTable_SockDiagAndProcNet_AgreeOnHoldFdsSockets()
    {
        var dir = Directory.CreateTempSubdirectory("procscope-ofr");
        try
        {
            using var h = Tracees.Start("holdfds", dir.FullName);
            var v = Values(h);
            var reader = new OpenFileReader(ProcFs.Default, new OpenFileOptions { Threads = false });
            var files = reader.Read(h.Pid)!.Single().Files;
            ulong Inode(string name) => files.Single(f => f.Kind == OpenFileKind.Descriptor && f.Fd == v[name]).SocketInode!.Value;
            var diag = SocketTable.Load(ProcFs.Default, useSockDiag: true);
            var proc = SocketTable.Load(ProcFs.Default, useSockDiag: false);
            Assert.Equal("sock_diag", diag.InetSource);
            Assert.Equal("/proc/net", proc.InetSource);
            foreach (var name in new[] { "listener", "client", "server", "udp" })
            {
                var a = diag.Inet(Inode(name))!;
                var b = proc.Inet(Inode(name))!;
                Assert.Equal((b.Protocol, b.LocalAddress, b.LocalPort, b.RemoteAddress, b.RemotePort, b.State, b.ReceiveQueue, b.SendQueue),
                    (a.Protocol, a.LocalAddress, a.LocalPort, a.RemoteAddress, a.RemotePort, a.State, a.ReceiveQueue, a.SendQueue));
            }
            Assert.Equal(v["listen-port"], diag.Inet(Inode("listener"))!.LocalPort);
            Assert.Equal(5ul, diag.Inet(Inode("client"))!.BytesSent);
            Assert.Equal(5ul, diag.Inet(Inode("server"))!.BytesReceived);
            Assert.Equal(5u, diag.Inet(Inode("server"))!.ReceiveQueue);
            Assert.Null(proc.Inet(Inode("client"))!.BytesSent);
            var pa = proc.Unix(Inode("pair-a"))!;
            Assert.Equal("CONNECTED", pa.StateName);
            Assert.StartsWith("0x", pa.KernelAddress);
            // The unix_diag module gives the peer; without it /proc/net/unix alone is used.
            if (diag.Unix(Inode("pair-a"))!.PeerInode is ulong peer) Assert.Equal(Inode("pair-b"), peer);

            var byFd = files.Where(f => f.Kind == OpenFileKind.Descriptor).ToDictionary(f => f.Fd);
            Assert.True(byFd[v["unlinked"]].Deleted);
            Assert.False(byFd[v["fakedeleted"]].Deleted);
            Assert.EndsWith(" (deleted)", Encoding.UTF8.GetString(byFd[v["fakedeleted"]].Name));
            Assert.Equal(3, byFd[v["regular"]].Info!.Pos);
            Assert.Equal('W', Core.Files.FileLock.LsofCharOf(byFd[v["regular"]].Info!.Locks));
            Assert.Contains(files, f => f.Kind == OpenFileKind.DeletedMemory && Encoding.UTF8.GetString(f.Name) == dir.FullName + "/mapdel");
            Assert.Contains(files, f => f.Kind == OpenFileKind.Memory && Encoding.UTF8.GetString(f.Name) == dir.FullName + "/mapped");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Scan_DuringForkStorm_VanishedProcessesDropOutSilently()
    {
        using var storm = Tracees.Start("forkstorm", "-t", "120", "8");
        for (int i = 0; i < 5; i++)
        {
            var reader = new OpenFileReader(ProcFs.Default, new OpenFileOptions());
            var result = OpenFileScan.Run(reader, ProcFs.Default.ListPids(), TimeSpan.FromSeconds(60));
            Assert.Empty(result.TimedOut);
            Assert.Contains(result.Processes, p => p.Pid == storm.Pid && p.Tid is null);
            Assert.All(result.Processes, p => Assert.True(p.Denied || p.Files.Count >= 3, $"pid {p.Pid}: {p.Files.Count} rows"));
        }
        storm.Stop();
        Assert.Equal(0, storm.ExitCode);
    }
}
