namespace Procscope.Linux.Tests;

/// <summary>Whole-file reads of /proc: multi-record seq_files return short reads long before their end.</summary>
public sealed class FileReaderTests
{
    [Fact]
    public void TryReadBytes_LargeMultiRecordSeqFile_IsReadWhole()
    {
        // /proc/kallsyms: megabytes of records that do not change while the system runs; seq_read
        // returns short whenever the next record does not fit in the caller's buffer.
        var expected = File.ReadAllBytes("/proc/kallsyms");
        Assert.True(expected.Length > 100_000);
        var got = ProcFs.Default.TryReadBytes("kallsyms");
        Assert.NotNull(got);
        Assert.Equal(expected.Length, got!.Length);
        Assert.True(expected.AsSpan().SequenceEqual(got));
    }

    [Fact]
    public void TryReadRaw_SlabinfoNames_MatchFileReadAllLines()
    {
        if (!File.Exists("/proc/slabinfo")) Assert.Skip("no /proc/slabinfo");
        string[] expected;
        try { expected = File.ReadAllLines("/proc/slabinfo"); }
        catch (UnauthorizedAccessException) { Assert.Skip("/proc/slabinfo is readable by root only"); return; }
        var got = System.Text.Encoding.ASCII.GetString(ProcFs.Default.TryReadBytes("slabinfo")!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Objects counts churn; the set of caches does not (retry once if one appeared in between).
        var names = (string[] lines) => lines.Skip(2).Select(l => l.Split(' ')[0]).ToHashSet();
        Assert.True(names(expected).SetEquals(names(got)) || names(File.ReadAllLines("/proc/slabinfo")).SetEquals(names(got)));
    }
}
