using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>
/// The C programs of tests/tracees for CLI tests (the Linux tests have their own runner): compiled
/// once per source hash into the temp directory. Skips the test where no C compiler exists.
/// </summary>
public static class CTracees
{
    private static readonly object s_lock = new();

    public static string Build(string name)
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler (cc, gcc or clang)");
        var source = Path.Combine(Run.RepoRoot, "tests", "tracees", name + ".c");
        string[] flags = ["-O1", "-Wall", "-Wextra", "-Werror", "-pthread"];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(source) + string.Join(' ', flags))))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "procscope-tracees", hash);
        var exe = Path.Combine(dir, name);
        lock (s_lock)
        {
            if (File.Exists(exe)) return exe;
            Directory.CreateDirectory(dir);
            var tmp = $"{exe}.{Environment.ProcessId}.tmp";
            var r = Run.Program(cc, [.. flags, "-o", tmp, source]);
            if (r.ExitCode != 0) throw new InvalidOperationException($"{cc} failed on {source}:\n{r.Stderr}");
            File.Move(tmp, exe, overwrite: true);
            return exe;
        }
    }
}
