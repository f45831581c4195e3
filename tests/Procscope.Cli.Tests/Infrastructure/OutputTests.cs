namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>How the binary writes: plain write(2) on fds 1 and 2, no console initialisation, clean pipe errors.</summary>
public sealed class OutputTests
{
    [Fact]
    public void SequentialRunsIntoOneFile_AppendNotOverwrite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"procscope-out-{Guid.NewGuid():N}");
        try
        {
            // stdout and stderr share one file description; each write must advance the shared offset.
            var r = Run.Shell($"('{Run.BinaryPath}' nosuch; '{Run.BinaryPath}' uptime; '{Run.BinaryPath}' uptime -s) > '{file}' 2>&1");
            Assert.Equal(0, r.ExitCode);
            var lines = File.ReadAllLines(file);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("procscope: Unrecognized command or argument 'nosuch'", lines[0]);
            Assert.Contains(" up ", lines[1]);
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", lines[2]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("nosuch")]
    [InlineData("free -z")]
    [InlineData("ps -p 1")]
    public void OnATerminal_NoEscapeSequencesAreWritten(string args)
    {
        if (!Run.CommandExists("script")) Assert.Skip("script(1) from util-linux is not installed");
        // script(1) gives the binary a pseudo-terminal as stdin, stdout and stderr.
        var r = Run.Program("script", ["-q", "-e", "-c", $"'{Run.BinaryPath}' {args}", "/dev/null"]);
        Assert.NotEmpty(r.Stdout);
        Assert.DoesNotContain('\x1b', r.Stdout);
    }

    [Fact]
    public void ReaderLeaves_StreamStopsWith141()
    {
        var r = Run.Program("/bin/bash", ["-c", $"timeout 20 '{Run.BinaryPath}' vmstat 1 | head -n 1 >/dev/null; echo ${{PIPESTATUS[0]}}"]);
        Assert.Equal("141", r.Stdout.Trim());
    }

    [Fact]
    public void FullDevice_OneLineWriteErrorAndExit1()
    {
        var r = Run.Shell($"'{Run.BinaryPath}' ps -e > /dev/full");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("procscope ps: write error: No space left on device", r.Stderr.Trim());
    }
}
