using Procscope.Core.Syscalls;

namespace Procscope.Core.Tests.Syscalls;

public sealed class SyscallTableTests
{
    [Fact]
    public void Lookup_X64_KnownNumbers()
    {
        // asm/unistd_64.h (Linux headers 6.1, Debian 12)
        Assert.Equal("read", SyscallTable.Lookup(SyscallAbi.X64, 0)!.Name);
        Assert.Equal("newfstatat", SyscallTable.Lookup(SyscallAbi.X64, 262)!.Name);
        Assert.Equal("clone3", SyscallTable.Lookup(SyscallAbi.X64, 435)!.Name);
        Assert.Equal(SyscallId.Openat, SyscallTable.Lookup(SyscallAbi.X64, 257)!.Id);
        Assert.Equal(4, SyscallTable.Lookup(SyscallAbi.X64, 257)!.ArgCount);
    }

    [Fact]
    public void Lookup_I386_UsesThe32BitTable()
    {
        // asm/unistd_32.h: 11 is execve, 192 mmap2, 195 stat64, 102 socketcall, 243 set_thread_area
        Assert.Equal("execve", SyscallTable.Lookup(SyscallAbi.I386, 11)!.Name);
        Assert.Equal("mmap2", SyscallTable.Lookup(SyscallAbi.I386, 192)!.Name);
        Assert.Equal("stat64", SyscallTable.Lookup(SyscallAbi.I386, 195)!.Name);
        Assert.Equal("socketcall", SyscallTable.Lookup(SyscallAbi.I386, 102)!.Name);
        Assert.Equal("set_thread_area", SyscallTable.Lookup(SyscallAbi.I386, 243)!.Name);
        Assert.Equal(1, SyscallTable.Lookup(SyscallAbi.I386, 90)!.ArgCount); // old_mmap: one pointer
    }

    [Fact]
    public void Lookup_GapsAndOutOfRange_AreNull()
    {
        Assert.Null(SyscallTable.Lookup(SyscallAbi.X64, 335)); // gap between 334 (rseq) and 424
        Assert.Null(SyscallTable.Lookup(SyscallAbi.X64, -1));
        Assert.Null(SyscallTable.Lookup(SyscallAbi.X64, 100_000));
        Assert.Null(SyscallTable.Lookup(SyscallAbi.I386, 100_000));
    }

    [Fact]
    public void TryFind_ByName_PerAbi()
    {
        Assert.True(SyscallTable.TryFind(SyscallAbi.X64, "openat", out var a));
        Assert.Equal(257, a.Number);
        Assert.True(SyscallTable.TryFind(SyscallAbi.I386, "openat", out var b));
        Assert.Equal(295, b.Number);
        Assert.False(SyscallTable.TryFind(SyscallAbi.X64, "mmap2", out _));
        Assert.False(SyscallTable.TryFind(SyscallAbi.X64, "nosuchcall", out _));
    }

    [Fact]
    public void All_CountsMatchTheHeaders()
    {
        Assert.Equal(362, SyscallTable.All(SyscallAbi.X64).Count());
        Assert.Equal(440, SyscallTable.All(SyscallAbi.I386).Count());
    }

    [Fact]
    public void Classes_FollowStraceSemantics()
    {
        SyscallClass Of(string n) { SyscallTable.TryFind(SyscallAbi.X64, n, out var i); return i.Classes; }
        Assert.Equal(SyscallClass.Desc | SyscallClass.File, Of("openat"));
        Assert.Equal(SyscallClass.File | SyscallClass.Process, Of("execve"));
        Assert.True(Of("newfstatat").HasFlag(SyscallClass.FStat | SyscallClass.StatLike));
        Assert.True(Of("lstat").HasFlag(SyscallClass.LStat));
        Assert.Equal(SyscallClass.Network, Of("connect"));
        Assert.Equal(SyscallClass.Signal | SyscallClass.Process, Of("kill"));
        Assert.Equal(SyscallClass.Memory | SyscallClass.Desc, Of("mmap"));
        Assert.Equal(SyscallClass.Creds, Of("getuid"));
        Assert.Equal(SyscallClass.Clock, Of("clock_gettime"));
        Assert.Equal(SyscallClass.None, Of("clock_nanosleep")); // strace: not %clock
        Assert.Equal(SyscallClass.StatFs | SyscallClass.StatFsLike | SyscallClass.File, Of("statfs"));
    }

    [Fact]
    public void Generated_MatchesTheSystemHeaders_WhenPresent()
    {
        // CI never regenerates; this catches a hand edit or a header upgrade on a machine that has them.
        var root = RepoRoot();
        var script = Path.Combine(root, "tools", "gen-syscalls", "generate.sh");
        if (!File.Exists("/usr/include/x86_64-linux-gnu/asm/unistd_64.h") || !File.Exists("/usr/bin/gcc"))
            Assert.Skip("system headers or gcc missing");
        var version = File.ReadAllLines("/usr/include/linux/version.h").FirstOrDefault(l => l.StartsWith("#define LINUX_VERSION_CODE ", StringComparison.Ordinal));
        if (version is null || (int.Parse(version.AsSpan(27), System.Globalization.CultureInfo.InvariantCulture) >> 8) != 0x601)
            Assert.Skip("headers are not the Linux 6.1 ones the files were generated from");
        var psi = new System.Diagnostics.ProcessStartInfo("bash", [script, "--check"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string diff = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, diff);
    }

    private static string RepoRoot()
    {
        var d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "Procscope.slnx")))
            d = Path.GetDirectoryName(d);
        return d ?? throw new InvalidOperationException("repository root not found");
    }
}
