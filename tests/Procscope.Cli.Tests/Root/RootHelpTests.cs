using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Root;

/// <summary>The root command's own output (help) under write errors, and response files off.</summary>
public sealed class RootHelpTests
{
    [Fact]
    public void Help_IntoDevFull_OneLineExitOne()
    {
        if (!File.Exists("/dev/full")) Assert.Skip("no /dev/full");
        var r = Run.Shell($"'{Run.BinaryPath}' --help > /dev/full");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope: write error: No space left on device\n", r.Stderr);
    }

    [Fact]
    public void Help_IntoClosedPipe_ExitsAsSigpipeWithoutTrace()
    {
        var r = Run.Program("/bin/bash", ["-c", $"'{Run.BinaryPath}' --help | head -c 1 >/dev/null; echo \"rc=${{PIPESTATUS[0]}}\""]);
        Assert.Equal("", r.Stderr);
        Assert.Matches(@"^rc=(141|0)\n$", r.Stdout); // 0 when help fitted in the pipe before head exited
    }

    [Fact]
    public void ResponseFiles_AreNotExpanded()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "-p 1\n");
        var r = Run.Procscope("lsof", "@" + file);
        File.Delete(file);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"status error on @{file}: No such file or directory", r.Stderr);
    }
}
