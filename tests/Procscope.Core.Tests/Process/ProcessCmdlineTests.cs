using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class ProcessCmdlineTests
{
    [Fact]
    public void Parse_SelfCat_SplitsOnNul()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/self/cmdline of cat
        var c = ProcessCmdline.Parse("cat\0/proc/self/cmdline\0"u8);

        Assert.Equal(2, c.Args.Length);
        Assert.Equal("cat"u8.ToArray(), c.Args[0]);
        Assert.Equal("/proc/self/cmdline"u8.ToArray(), c.Args[1]);
        Assert.False(c.IsEmpty);
        Assert.Equal("cat /proc/self/cmdline"u8.ToArray(), c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_Init_KeepsEveryArgument()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/1/cmdline (a Firecracker VM's init)
        var c = ProcessCmdline.Parse(
            "/process_api\0--firecracker-init\0--addr\00.0.0.0:2024\0--max-ws-buffer-size\032768\0--block-local-connections\0--log-vsock-port\05002\0--control-vsock-port\05001\0--listen-vsock-port\02024\0--tcp-readiness-only\0--auth-required\0"u8);

        Assert.Equal(15, c.Args.Length);
        Assert.Equal("/process_api"u8.ToArray(), c.Args[0]);
        Assert.Equal("0.0.0.0:2024"u8.ToArray(), c.Args[3]);
        Assert.Equal("32768"u8.ToArray(), c.Args[5]);
        Assert.Equal("--auth-required"u8.ToArray(), c.Args[14]);
        Assert.Equal(
            "/process_api --firecracker-init --addr 0.0.0.0:2024 --max-ws-buffer-size 32768 --block-local-connections --log-vsock-port 5002 --control-vsock-port 5001 --listen-vsock-port 2024 --tcp-readiness-only --auth-required"u8.ToArray(),
            c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_KernelThreadOrZombie_IsEmpty()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — /proc/2/cmdline (kthreadd) and a zombie's: zero bytes
        var c = ProcessCmdline.Parse(""u8);

        Assert.True(c.IsEmpty);
        Assert.Empty(c.Args);
        Assert.Empty(c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_EmptyAndSpacedAndNewlineArguments_KeepsThemExactly()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — ./t "" "a b" $'new\nline' ""
        var c = ProcessCmdline.Parse("./t\0\0a b\0new\nline\0\0"u8);

        Assert.Equal(5, c.Args.Length);
        Assert.Equal("./t"u8.ToArray(), c.Args[0]);
        Assert.Empty(c.Args[1]);
        Assert.Equal("a b"u8.ToArray(), c.Args[2]);
        Assert.Equal("new\nline"u8.ToArray(), c.Args[3]);
        Assert.Empty(c.Args[4]);
        // The empty argument in the middle keeps its two spaces; the trailing one is dropped like ps does.
        Assert.Equal("./t  a b new\nline"u8.ToArray(), c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_TitleRewrittenWithNulPadding_KeepsTitleAndEmptyArguments()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — argv area of "./t alpha beta gamma-delta-epsilon"
        // zeroed and overwritten with "worker: idle" (nginx-style setproctitle)
        var c = ProcessCmdline.Parse("worker: idle\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"u8);

        Assert.Equal(23, c.Args.Length);
        Assert.Equal("worker: idle"u8.ToArray(), c.Args[0]);
        Assert.All(c.Args[1..], a => Assert.Empty(a));
        Assert.Equal("worker: idle"u8.ToArray(), c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_TitleRewrittenWithSpacesOverTheEnd_IsOneArgumentRunningIntoEnviron()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — argv area filled with spaces including its final
        // NUL: the kernel then reads on to the first NUL, which ends the first environment string
        var c = ProcessCmdline.Parse("sshd: root@pts/0                   MODE=2\0"u8);

        Assert.Single(c.Args);
        Assert.Equal("sshd: root@pts/0                   MODE=2"u8.ToArray(), c.Args[0]);
        Assert.Equal(c.Args[0], c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_TitleRewrittenWithSpacesKeepingFinalNul_IsOneArgument()
    {
        // captured: Debian 12, Linux 6.18, x86_64 — argv area filled with spaces, final NUL kept
        var c = ProcessCmdline.Parse("postgres: writer                  \0"u8);

        Assert.Single(c.Args);
        Assert.Equal("postgres: writer                  "u8.ToArray(), c.Args[0]);
    }

    [Fact]
    public void Parse_NoNulAtAll_IsOneArgument()
    {
        // synthetic: a title that filled the whole argv and environ area without any NUL
        var c = ProcessCmdline.Parse("my title with spaces"u8);

        Assert.Single(c.Args);
        Assert.Equal("my title with spaces"u8.ToArray(), c.Args[0]);
        Assert.Equal("my title with spaces"u8.ToArray(), c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_SingleNul_IsOneEmptyArgument()
    {
        // synthetic: execve(path, {"", NULL}, ...)
        var c = ProcessCmdline.Parse("\0"u8);

        Assert.False(c.IsEmpty);
        Assert.Single(c.Args);
        Assert.Empty(c.Args[0]);
        Assert.Empty(c.JoinedWithSpaces());
    }

    [Fact]
    public void Parse_InvalidUtf8AndEscapes_KeepsRawBytes()
    {
        // synthetic: argv[1] = "\e[2J\xff"
        byte[] content = [.. "x\0\u001b[2J"u8, 0xFF, 0];

        var c = ProcessCmdline.Parse(content);

        Assert.Equal(2, c.Args.Length);
        Assert.Equal([0x1B, (byte)'[', (byte)'2', (byte)'J', 0xFF], c.Args[1]);
    }
}
