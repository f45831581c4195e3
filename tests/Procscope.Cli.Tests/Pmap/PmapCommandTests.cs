using System.Diagnostics;
using System.Text.Json;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Pmap;

/// <summary>procscope pmap against procps pmap and smaps_rollup on a tracee holding known memory.</summary>
public sealed class PmapCommandTests
{
    /// <summary>A touch-mb tracee that touched MIB and now holds it (until disposed).</summary>
    private sealed class Holder : IDisposable
    {
        private readonly Process _p;
        public Holder(int mib)
        {
            var psi = new ProcessStartInfo(CTracees.Build("touch-mb")) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { mib.ToString(), "0", "600000" }) psi.ArgumentList.Add(a);
            _p = Process.Start(psi)!;
            Assert.Equal("# ready", _p.StandardOutput.ReadLine());
            // It touches at full speed, then prints; wait until the memory is resident.
            Assert.StartsWith("touched", _p.StandardOutput.ReadLine());
        }
        public int Pid => _p.Id;
        public void Dispose()
        {
            _p.Kill();
            _p.WaitForExit();
            _p.Dispose();
        }
    }

    private static void RequirePmap()
    {
        if (!Run.CommandExists("pmap")) Assert.Skip("procps pmap is not installed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-d")]
    [InlineData("-q")]
    [InlineData("-p")]
    [InlineData("-d -q")]
    public void MapsOnlyFormats_ByteForByteAsProcps(string options)
    {
        RequirePmap();
        using var h = new Holder(8);
        var args = options.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(h.Pid.ToString()).ToArray();
        Assert.Equal(Run.Program("pmap", args).Stdout, Run.Procscope(["pmap", .. args]).Stdout);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("-X")]
    [InlineData("-XX")]
    [InlineData("-x -p")]
    [InlineData("-q -X")]
    public void SmapsFormats_AsProcps_TotalsWithinPssChurn(string options)
    {
        RequirePmap();
        using var h = new Holder(32);
        var args = options.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(h.Pid.ToString()).ToArray();
        // Pss and the shared/private split of library pages move whenever another process maps or
        // unmaps them (tests run in parallel): retry for an exact match, then compare with those
        // columns masked.
        string ours = "", theirs = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            theirs = Run.Program("pmap", args).Stdout;
            ours = Run.Procscope(["pmap", .. args]).Stdout;
            if (ours == theirs) return;
        }
        // -q drops the header: take the column names from the same format with it.
        string? header = options.Contains("-q") ? HeaderOf(Run.Program("pmap", [.. args.Where(a => a != "-q")]).Stdout) : null;
        Assert.Equal(Mask(theirs, header), Mask(ours, header));
    }

    private static string? HeaderOf(string output) =>
        output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Address Perm", StringComparison.Ordinal));

    private static readonly HashSet<string> Churn = ["Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced", "SwapPss"];

    /// <summary>The output with the churning columns of -X/-XX blanked (columns found from the header line).</summary>
    private static string Mask(string output, string? headerOverride = null)
    {
        var lines = output.Split('\n');
        var header = headerOverride ?? HeaderOf(output);
        if (header is null) return output;
        var names = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var masked = new List<string>();
        foreach (var line in lines)
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool totals = cells.Length > 0 && (cells[^1] == "KB" || cells[0].StartsWith('='));
            int offset = totals ? 5 : 0; // the totals lines start at the Size column
            for (int i = 0; i < cells.Length; i++)
                if (i + offset < names.Length && Churn.Contains(names[i + offset]) && line != header) cells[i] = "*";
            masked.Add(string.Join(' ', cells));
        }
        return string.Join('\n', masked);
    }

    [Fact]
    public void Totals_MatchProcpsX_AndSmapsRollup()
    {
        RequirePmap();
        using var h = new Holder(64);
        // "total kB SIZE RSS DIRTY". The tracee's first nanosleep may still fault in library pages: retry.
        string[] procps = [], ours = [];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            procps = Run.Program("pmap", ["-x", h.Pid.ToString()]).Lines.Last().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ours = Run.Procscope("pmap", "-x", h.Pid.ToString()).Lines.Last().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (procps.SequenceEqual(ours)) break;
            Thread.Sleep(100);
        }
        Assert.Equal(procps, ours);
        long rssKiB = long.Parse(ours[3]);
        Assert.True(rssKiB >= 64 * 1024, $"RSS {rssKiB} kB");

        // Two reads at two moments: a page faulted in between moves Rss; retry like the text totals.
        JsonElement json = default;
        Dictionary<string, long> rollup = [];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            json = JsonDocument.Parse(Run.Procscope("pmap", "--json", h.Pid.ToString()).Stdout).RootElement.GetProperty("processes")[0].GetProperty("totals");
            rollup = File.ReadAllLines($"/proc/{h.Pid}/smaps_rollup").Skip(1).Select(l => l.Split(':', 2))
                .ToDictionary(p => p[0], p => long.Parse(p[1].Replace("kB", "").Trim()) * 1024);
            if (rollup["Rss"] == json.GetProperty("rss_bytes").GetInt64() && rollup["Anonymous"] == json.GetProperty("anonymous_bytes").GetInt64()) break;
            Thread.Sleep(100);
        }
        Assert.Equal(rollup["Rss"], json.GetProperty("rss_bytes").GetInt64());
        Assert.Equal(rollup["Anonymous"], json.GetProperty("anonymous_bytes").GetInt64());
        Assert.Equal(rollup["Swap"], json.GetProperty("swap_bytes").GetInt64());
        Assert.Equal(rollup["Private_Clean"] + rollup["Private_Dirty"], json.GetProperty("uss_bytes").GetInt64());
        // Pss: the rollup sums unrounded per-page shares; per-mapping kB values round each mapping down.
        long mappings = JsonDocument.Parse(Run.Procscope("pmap", "--json", h.Pid.ToString()).Stdout).RootElement.GetProperty("processes")[0].GetProperty("mappings").GetArrayLength();
        Assert.InRange(json.GetProperty("pss_bytes").GetInt64(), rollup["Pss"] - mappings * 1024 - 64 * 1024, rollup["Pss"] + 64 * 1024);
    }

    [Fact]
    public void Memory_ShowsUssOfTheTouchedBlock()
    {
        using var h = new Holder(16);
        var lines = Run.Procscope("pmap", "--memory", h.Pid.ToString()).Lines;
        Assert.StartsWith("Address           Kbytes     RSS     PSS     USS    Swap    Anon Mode  Mapping", lines[1]);
        // The 16 MiB anonymous block: size, RSS, PSS, USS and Anon all 16384 kB.
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "16384", "16384", "16384", "16384", "0", "16384", "rw---", "[", "anon", "]"]);
        Assert.StartsWith("total kB", lines[^1]);
    }

    [Fact]
    public void MissingPid_Exit42_OthersStillShown()
    {
        using var h = new Holder(1);
        var r = Run.Procscope("pmap", h.Pid.ToString(), "999999999");
        Assert.Equal(42, r.ExitCode);
        Assert.StartsWith($"{h.Pid}:", r.Stdout);
        Assert.Equal(1, Run.Procscope("pmap", "-x", "-d", "1").ExitCode);
    }
}

/// <summary>pmap on mappings of files with hostile names, against procps on the same process.</summary>
public sealed class PmapHostileNameTests
{
    [Fact]
    public void HostileFileNames_AsProcpsInDefaultFormat_NeverRawControlBytes()
    {
        if (!Run.CommandExists("pmap")) Assert.Skip("procps pmap is not installed");
        var dir = Directory.CreateTempSubdirectory("procscope-pmap-hostile");
        var names = new[] { "a\nb c", "esc\u001b[31mred", "gone", "spaces  in name" };
        var procs = new List<Process>();
        try
        {
            foreach (var n in names)
            {
                var path = Path.Combine(dir.FullName, n);
                File.WriteAllBytes(path, new byte[8192]);
                var psi = new ProcessStartInfo(CTracees.Build("map-file")) { RedirectStandardOutput = true, UseShellExecute = false };
                psi.ArgumentList.Add(path);
                psi.ArgumentList.Add("600000");
                var p = Process.Start(psi)!;
                procs.Add(p);
                Assert.Equal("# ready", p.StandardOutput.ReadLine());
                Assert.StartsWith("sum", p.StandardOutput.ReadLine());
            }
            File.Delete(Path.Combine(dir.FullName, "gone"));
            foreach (var (p, n) in procs.Zip(names))
            {
                // The header line holds the command line: procps shows its control bytes as spaces, we
                // as '?' (TextSanitizer, as everywhere); the mappings must be the same.
                var theirs = Run.Program("pmap", [p.Id.ToString()]).Stdout;
                var ours = Run.Procscope("pmap", p.Id.ToString()).Stdout;
                Assert.Equal(theirs[theirs.IndexOf('\n')..], ours[ours.IndexOf('\n')..]);
                Assert.DoesNotContain('\u001b', ours);
                Assert.DoesNotContain('\u001b', Run.Procscope("pmap", "-X", p.Id.ToString()).Stdout);
                Assert.DoesNotContain('\u001b', Run.Procscope("pmap", "-XX", "-p", p.Id.ToString()).Stdout);
            }
            Assert.Contains("gone (deleted)", Run.Procscope("pmap", procs[2].Id.ToString()).Stdout);
            Assert.Contains(@"a\012b c", Run.Procscope("pmap", "-x", procs[0].Id.ToString()).Stdout);
            var json = System.Text.Json.JsonDocument.Parse(Run.Procscope("pmap", "--json", procs[2].Id.ToString()).Stdout);
            Assert.Contains(json.RootElement.GetProperty("processes")[0].GetProperty("mappings").EnumerateArray(),
                m => m.GetProperty("deleted").GetBoolean() && m.GetProperty("path").GetString()!.EndsWith("/gone (deleted)", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var p in procs)
            {
                p.Kill();
                p.WaitForExit();
                p.Dispose();
            }
            dir.Delete(true);
        }
    }
}
