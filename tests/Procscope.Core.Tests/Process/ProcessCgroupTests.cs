using Procscope.Core.Parsing;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessCgroupTests
{
    // captured: Debian 12, Linux 6.18, x86_64 — /proc/<pid>/cgroup of a sleep(1) moved into a
    // temporary v2 cgroup named "ps scope:odd name" (hybrid v1 + v2 mounts, as in this VM)
    private static ReadOnlySpan<byte> Hybrid =>
        "9:name=systemd:/\n"u8 +
        "8:pids:/\n"u8 +
        "7:blkio:/\n"u8 +
        "6:freezer:/\n"u8 +
        "5:devices:/\n"u8 +
        "4:memory:/process_api/b764df6a03ab0bdbc0c95aa3aaecebe6\n"u8 +
        "3:cpuset:/\n"u8 +
        "2:cpuacct:/\n"u8 +
        "1:cpu:/\n"u8 +
        "0::/ps scope:odd name\n"u8;

    [Fact]
    public void Parse_HybridHierarchy_ReadsEveryEntry()
    {
        var c = ProcessCgroup.Parse(Hybrid);

        Assert.Equal(10, c.Entries.Count);
        AssertEntry(c.Entries[0], 9, ["name=systemd"], "/");
        AssertEntry(c.Entries[1], 8, ["pids"], "/");
        AssertEntry(c.Entries[2], 7, ["blkio"], "/");
        AssertEntry(c.Entries[3], 6, ["freezer"], "/");
        AssertEntry(c.Entries[4], 5, ["devices"], "/");
        AssertEntry(c.Entries[5], 4, ["memory"], "/process_api/b764df6a03ab0bdbc0c95aa3aaecebe6");
        AssertEntry(c.Entries[6], 3, ["cpuset"], "/");
        AssertEntry(c.Entries[7], 2, ["cpuacct"], "/");
        AssertEntry(c.Entries[8], 1, ["cpu"], "/");
        AssertEntry(c.Entries[9], 0, [], "/ps scope:odd name");
    }

    [Fact]
    public void Parse_PathWithColonAndSpaces_SplitsOnFirstTwoColonsOnly()
    {
        var c = ProcessCgroup.Parse(Hybrid);

        Assert.Equal("/ps scope:odd name"u8.ToArray(), c.UnifiedPath);
    }

    [Fact]
    public void Parse_PureV2_UnifiedPathIsTheOnlyEntry()
    {
        // typical of a systemd host with cgroup v2 only (e.g. Debian 12 default), user session
        var c = ProcessCgroup.Parse("0::/user.slice/user-1000.slice/session-3.scope\n"u8);

        Assert.Single(c.Entries);
        AssertEntry(c.Entries[0], 0, [], "/user.slice/user-1000.slice/session-3.scope");
        Assert.Equal("/user.slice/user-1000.slice/session-3.scope"u8.ToArray(), c.UnifiedPath);
    }

    [Fact]
    public void Parse_PureV1WithCoMountedControllers_HasNoUnifiedPath()
    {
        // synthetic, in the shape of a cgroup v1 systemd host (CentOS 7): co-mounted controllers
        var c = ProcessCgroup.Parse(
            "11:cpuset:/\n"u8 +
            "4:cpu,cpuacct:/system.slice/sshd.service\n"u8 +
            "3:net_cls,net_prio:/\n"u8 +
            "1:name=systemd:/system.slice/sshd.service\n"u8);

        Assert.Equal(4, c.Entries.Count);
        AssertEntry(c.Entries[0], 11, ["cpuset"], "/");
        AssertEntry(c.Entries[1], 4, ["cpu", "cpuacct"], "/system.slice/sshd.service");
        AssertEntry(c.Entries[2], 3, ["net_cls", "net_prio"], "/");
        AssertEntry(c.Entries[3], 1, ["name=systemd"], "/system.slice/sshd.service");
        Assert.Null(c.UnifiedPath);
    }

    [Fact]
    public void Parse_DeletedCgroupAndHostileBytes_KeepsRawPath()
    {
        // synthetic: a removed v2 cgroup (" (deleted)" is appended by the kernel) whose name holds an
        // escape sequence and invalid UTF-8
        byte[] content = [.. "0::/a\u001b[2J"u8, 0xFF, .. " (deleted)\n"u8];

        var c = ProcessCgroup.Parse(content);

        Assert.Equal(content[3..^1], c.UnifiedPath); // all but "0::" and the newline
    }

    [Fact]
    public void Parse_NoTrailingNewline_ReadsLastEntry()
    {
        var c = ProcessCgroup.Parse("1:cpu:/a\n0::/b"u8);

        Assert.Equal(2, c.Entries.Count);
        Assert.Equal("/b"u8.ToArray(), c.UnifiedPath);
    }

    [Fact]
    public void Parse_Empty_HasNoEntries()
    {
        var c = ProcessCgroup.Parse(""u8);

        Assert.Empty(c.Entries);
        Assert.Null(c.UnifiedPath);
    }

    [Fact]
    public void Parse_OneColon_ThrowsAtLine()
    {
        var ex = Assert.Throws<ProcFormatException>(() => ProcessCgroup.Parse("0::/\n1:cpu\n"u8));

        Assert.Equal("/proc/[pid]/cgroup", ex.File);
        Assert.Equal(5, ex.Offset);
        Assert.Equal("1:cpu", ex.Line);
    }

    [Fact]
    public void Parse_BadHierarchyId_Throws()
    {
        Assert.Throws<ProcFormatException>(() => ProcessCgroup.Parse("x::/\n"u8));
        Assert.Throws<ProcFormatException>(() => ProcessCgroup.Parse("-1::/\n"u8));
    }

    private static void AssertEntry(ProcessCgroupEntry e, int id, string[] controllers, string path)
    {
        Assert.Equal(id, e.HierarchyId);
        Assert.Equal(controllers, e.Controllers);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(path), e.Path);
    }
}
