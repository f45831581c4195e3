using System.Diagnostics;
using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Lsof;

/// <summary>
/// tests/tracees/holdfds.c running in a fresh temporary directory: it holds the descriptors the
/// lsof tests describe and prints "name fd" lines. Dispose closes its stdin (it exits, removing its
/// files) and deletes the directory.
/// </summary>
public sealed class HoldFds : IDisposable
{
    private readonly Process _p;

    public HoldFds(int extraFds = 0)
    {
        Dir = Directory.CreateTempSubdirectory("procscope-lsof").FullName;
        // Readable by the unprivileged test user, so only the descriptor table is denied.
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var psi = new ProcessStartInfo(CTracees.Build("holdfds"))
        {
            RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dir);
        if (extraFds > 0) psi.ArgumentList.Add(extraFds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _p = Process.Start(psi)!;
        string? line;
        while ((line = _p.StandardOutput.ReadLine()) is not null && line != "# ready")
        {
            var parts = line.Split(' ');
            Values[parts[0]] = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        if (line is null) throw new InvalidOperationException("holdfds exited before it was ready: " + _p.StandardError.ReadToEnd());
    }

    public string Dir { get; }
    public int Pid => _p.Id;
    public Dictionary<string, int> Values { get; } = [];
    public int this[string name] => Values[name];

    public void Dispose()
    {
        try { _p.StandardInput.Close(); } catch (IOException) { }
        if (!_p.WaitForExit(30_000)) _p.Kill();
        _p.WaitForExit();
        _p.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
