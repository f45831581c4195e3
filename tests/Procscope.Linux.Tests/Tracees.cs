using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Procscope.Linux.Tests;

/// <summary>
/// The C programs of tests/tracees: compiled once per test run (cached in the temp directory by a
/// hash of their source), started with a pipe on stdin and stdout, and stopped and reaped on
/// dispose. Tests skip, never fail, where no C compiler is installed.
/// </summary>
internal static partial class Tracees
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> s_built = new();
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The directory holding Procscope.slnx, found by walking up from the test binary.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>Path of the compiled tracee (tests/tracees/NAME.c); skips the test without a C compiler.</summary>
    public static string Build(string name)
    {
        var lazy = s_built.GetOrAdd(name, n => new Lazy<string>(() => Compile(n)));
        return lazy.Value;
    }

    /// <summary>Builds and starts a tracee, then reads its stdout up to the line "# ready".</summary>
    public static Tracee Start(string name, params string[] args) => Tracee.Start(Build(name), args);

    /// <summary>The first C compiler on PATH, or null.</summary>
    public static string? FindCompiler()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
            foreach (var cc in new[] { "cc", "gcc", "clang" })
            {
                var path = Path.Combine(dir, cc);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    private static string Compile(string name)
    {
        var source = Path.Combine(RepoRoot, "tests", "tracees", name + ".c");
        if (!File.Exists(source)) throw new FileNotFoundException("no such tracee", source);
        var cc = FindCompiler();
        if (cc is null) Assert.Skip("no C compiler (cc, gcc or clang) on PATH");

        string[] flags = ["-O1", "-Wall", "-Wextra", "-Werror", "-pthread"];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(source) + string.Join(' ', flags))))[..16];
        // One directory per source hash, the binary under its own name (its comm is "hostile", not "hostile-3F2A...").
        var dir = Path.Combine(Path.GetTempPath(), "procscope-tracees", hash);
        Directory.CreateDirectory(dir);
        var exe = Path.Combine(dir, name);
        if (File.Exists(exe)) return exe;

        // Another test run may build the same file at the same time: build aside, then rename.
        var tmp = $"{exe}.{Environment.ProcessId}.tmp";
        var psi = new ProcessStartInfo(cc) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in flags) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(tmp);
        psi.ArgumentList.Add(source);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            File.Delete(tmp);
            throw new InvalidOperationException($"{cc} failed on {source}:\n{stderr.Result}");
        }
        File.Move(tmp, exe, overwrite: true);
        return exe;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Procscope.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"Procscope.slnx not found above {AppContext.BaseDirectory}");
    }

    /// <summary>kill(2), for the signals Process does not send (SIGTERM, SIGINT).</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
}

/// <summary>A running tracee. Dispose closes its stdin, sends SIGTERM and waits for it (it reaps its own children).</summary>
internal sealed class Tracee : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private bool _stopped;

    private Tracee(Process process, IReadOnlyList<string> lines, StringBuilder stderr)
    {
        _process = process;
        Lines = lines;
        _stderr = stderr;
    }

    public int Pid => _process.Id;

    /// <summary>The lines printed before "# ready".</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The lines printed after "# ready", available once <see cref="Stop"/> returned.</summary>
    public List<string> TrailingLines { get; } = [];

    public int ExitCode => _process.ExitCode;

    /// <summary>What the tracee wrote to stderr so far.</summary>
    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    internal static Tracee Start(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        var lines = new List<string>();
        // A bound for a broken tracee, not a timed assertion: a healthy one is ready in milliseconds.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = process.StandardOutput.ReadLineAsync(cts.Token).AsTask().GetAwaiter().GetResult();
                if (line is null) throw new InvalidOperationException($"{exe} exited before it was ready: {stderr}");
                if (line == "# ready") break;
                lines.Add(line);
            }
        }
        catch
        {
            try { process.Kill(entireProcessTree: true); process.WaitForExit(); } catch (InvalidOperationException) { }
            process.Dispose();
            throw;
        }
        return new Tracee(process, lines, stderr);
    }

    /// <summary>Waits for the tracee to exit by itself (after a signal the test sent).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // drains the redirected streams
        return true;
    }

    /// <summary>Stops the tracee: EOF on stdin and SIGTERM; it kills and reaps its children and exits.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        try { _process.StandardInput.Close(); } catch (IOException) { }
        if (!_process.HasExited) Tracees.kill(_process.Id, Tracees.SIGTERM);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) is not null) TrailingLines.Add(line);
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
