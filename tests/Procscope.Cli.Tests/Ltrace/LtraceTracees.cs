using System.Security.Cryptography;
using System.Text;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Ltrace;

/// <summary>
/// The ltrace tracees (tests/tracees/ltrace-*.c, .cc) compiled at test time in the build variants
/// ltrace must handle: default (PIE, lazy binding), -no-pie, -Wl,-z,now, -fno-plt, and IBT
/// (.plt.sec). Cached in the temp directory by a hash of source and flags.
/// </summary>
public static class LtraceTracees
{
    public static readonly Dictionary<string, string[]> Variants = new()
    {
        ["pie"] = [],
        ["nopie"] = ["-no-pie"],
        ["now"] = ["-Wl,-z,now"],
        ["noplt"] = ["-fno-plt"],
        ["ibt"] = ["-fcf-protection=full", "-Wl,-z,ibtplt", "-Wl,-z,now"],
    };

    private static readonly object s_lock = new();

    public static string Build(string source, string variant, params string[] extra)
    {
        bool cxx = source.EndsWith(".cc", StringComparison.Ordinal);
        var compiler = (cxx ? new[] { "/usr/bin/g++", "/usr/bin/c++" } : new[] { "/usr/bin/cc", "/usr/bin/gcc" }).FirstOrDefault(File.Exists);
        if (compiler is null) Assert.Skip(cxx ? "no C++ compiler (g++)" : "no C compiler (cc, gcc)");
        var path = Path.Combine(Run.RepoRoot, "tests", "tracees", source);
        string[] flags = ["-O1", "-Wall", "-Wextra", "-Werror", "-pthread", .. Variants[variant], .. extra];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(path) + string.Join(' ', flags))))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "procscope-tracees", hash);
        var exe = Path.Combine(dir, Path.GetFileNameWithoutExtension(source));
        lock (s_lock)
        {
            if (File.Exists(exe)) return exe;
            Directory.CreateDirectory(dir);
            var tmp = $"{exe}.{Environment.ProcessId}.tmp";
            var r = Run.Program(compiler, [.. flags, "-o", tmp, path]);
            if (r.ExitCode != 0)
            {
                if (r.Stderr.Contains("static", StringComparison.Ordinal) || r.Stderr.Contains("cannot find -lc", StringComparison.Ordinal))
                    Assert.Skip($"{compiler} cannot build this variant here: {r.Stderr.Trim()}");
                throw new InvalidOperationException($"{compiler} failed on {path}:\n{r.Stderr}");
            }
            File.Move(tmp, exe, overwrite: true);
            return exe;
        }
    }
}
