namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>
/// Runs a procps tool on a <see cref="SysFixture"/> instead of the live system: in a private mount
/// namespace (unshare -m) each fixture file is bind-mounted over its /proc counterpart, /sys/block
/// is replaced by a directory naming the fixture's disks and /run by a tmpfs holding the fixture's
/// utmp. procps itself then produces the expected output for exactly the bytes procscope reads
/// through --procfs. Needs root, unshare(1) and mount permission; otherwise <see cref="Unavailable"/>
/// says why and the tests skip.
/// </summary>
public static class ProcpsOracle
{
    private const string Script = """
        set -e
        root=$1; shift
        for f in meminfo stat vmstat uptime loadavg diskstats slabinfo; do
          if [ -f "$root/$f" ]; then mount --bind "$root/$f" "/proc/$f"; fi
        done
        if [ -f "$root/procscope-sysblock" ]; then
          blk="$root/.sysblock"
          mkdir -p "$blk"
          while read -r n; do [ -n "$n" ] && touch "$blk/$n"; done < "$root/procscope-sysblock"
          mount --bind "$blk" /sys/block
        fi
        mount -t tmpfs procscope-oracle /run
        if [ -f "$root/procscope-utmp" ]; then cp "$root/procscope-utmp" /run/utmp; fi
        exec "$@"
        """;

    private static readonly Lazy<string?> s_unavailable = new(Probe);

    /// <summary>Null when the oracle can run here, else the reason it cannot.</summary>
    public static string? Unavailable => s_unavailable.Value;

    /// <summary>Runs <paramref name="tool"/> (free, vmstat, uptime) with <paramref name="args"/> on the fixture.</summary>
    public static RunResult Run(SysFixture fx, string tool, params string[] args) =>
        Infrastructure.Run.Program("unshare", ["-m", "--propagation", "private", "sh", "-c", Script, "sh", fx.Root, tool, .. args]);

    /// <summary>Skips the calling test when the oracle cannot run.</summary>
    public static void SkipIfUnavailable()
    {
        if (Unavailable is { } why) Assert.Skip(why);
    }

    private static string? Probe()
    {
        if (!Infrastructure.Run.IsRoot) return "needs root to bind-mount over /proc";
        if (!Infrastructure.Run.CommandExists("unshare")) return "unshare(1) is not installed";
        foreach (var tool in new[] { "free", "vmstat", "uptime" })
            if (!Infrastructure.Run.CommandExists(tool)) return $"procps {tool} is not installed";
        var version = Infrastructure.Run.Program("free", ["-V"]).Stdout;
        if (!version.Contains("procps-ng 4.0.2", StringComparison.Ordinal)) return $"the oracle output was taken from procps-ng 4.0.2; this machine has {version.Trim()}";
        try
        {
            using var fx = new SysFixture();
            var r = Run(fx, "cat", "/proc/loadavg");
            if (r.ExitCode != 0 || r.Stdout != SysFixture.LoadAvg + "\n") return $"cannot bind-mount over /proc here: {r.Stderr.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"unshare failed: {e.Message}";
        }
        return null;
    }
}
