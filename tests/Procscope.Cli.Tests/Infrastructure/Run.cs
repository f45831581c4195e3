using System.Diagnostics;
using System.Text;

namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>The result of running a program: exit code and captured output.</summary>
public sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the published NativeAOT procscope binary (PROCSCOPE_BIN, set by ./test; else
/// artifacts/bin/procscope in the repository) and classic tools for oracle comparisons.
/// </summary>
public static class Run
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string BinaryPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PROCSCOPE_BIN");
            var path = !string.IsNullOrEmpty(env) ? env : Path.Combine(RepoRoot, "artifacts", "bin", "procscope");
            if (!File.Exists(path))
                throw new InvalidOperationException($"the NativeAOT binary {path} is missing: run ./test (or ./procscope once) to publish it");
            return path;
        }
    }

    /// <summary>Runs procscope with the given arguments.</summary>
    public static RunResult Procscope(params string[] args) => Program(BinaryPath, args);

    public static RunResult ProcscopeEnv(IDictionary<string, string?> env, params string[] args) => Program(BinaryPath, args, env);

    /// <summary>Runs any program; a 60 s limit guards against hangs.</summary>
    public static RunResult Program(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        using var p = System.Diagnostics.Process.Start(psi)!;
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }
        return new RunResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a shell command line (for redirections such as > /dev/full).</summary>
    public static RunResult Shell(string script, IDictionary<string, string?>? env = null) => Program("/bin/sh", ["-c", script], env);

    public static bool CommandExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>True when this test process ignores SIGINT, as a background job of a non-interactive
    /// shell does: every child inherits SIG_IGN and rightly never sees a SIGINT.</summary>
    public static bool SigintIgnored
    {
        get
        {
            var sigIgn = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return (Convert.ToUInt64(sigIgn[7..].Trim(), 16) & (1UL << 1)) != 0;
        }
    }

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Procscope.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root (Procscope.slnx) not found");
    }
}
