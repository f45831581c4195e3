using System.Diagnostics;

namespace Procscope.Linux.Tests;

/// <summary>
/// Compiles and runs a small C program that prints lines of the form "tag n n n…" (sizeof and
/// offsetof values from the system headers), for the struct layout tests of the *.X64.cs files.
/// Skips the calling test when no C compiler is installed.
/// </summary>
internal static class CLayout
{
    public static Dictionary<string, int[]> Measure(string program)
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var dir = Directory.CreateTempSubdirectory("procscope-layout");
        try
        {
            var src = Path.Combine(dir.FullName, "l.c");
            var exe = Path.Combine(dir.FullName, "l");
            File.WriteAllText(src, program);
            RunChecked(cc, src, "-o", exe);
            return RunChecked(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(l => l.Split(' ')[0], l => l.Split(' ').Skip(1).Select(int.Parse).ToArray());
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static string RunChecked(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {e}");
        return o;
    }
}
