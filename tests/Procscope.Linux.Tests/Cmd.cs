using System.Diagnostics;

namespace Procscope.Linux.Tests;

/// <summary>Runs a classic tool (the oracle) and keeps its output as bytes: procps output is not always UTF-8.</summary>
internal static class Cmd
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    /// <summary>Null when the program is not installed.</summary>
    public static Result? Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (p)
        {
            p.StandardInput.Close();
            var stderr = p.StandardError.ReadToEndAsync();
            using var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            p.WaitForExit();
            return new Result(p.ExitCode, ms.ToArray(), stderr.GetAwaiter().GetResult());
        }
    }

    /// <summary>The locale environment procps reads (LC_ALL wins over LANG and LC_CTYPE).</summary>
    public static IReadOnlyDictionary<string, string> Locale(string name) => new Dictionary<string, string> { ["LC_ALL"] = name };
}
