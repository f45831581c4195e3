using System.Text;

namespace Procscope.Cli.Infrastructure;

/// <summary>
/// The console seam: commands write through this so tests capture output and so the terminal
/// rules (NO_COLOR, non-tty stdout, width) live in one place.
/// </summary>
public interface ICliConsole
{
    /// <summary>Buffered standard output; flushed by the host when the command returns.</summary>
    TextWriter Out { get; }
    TextWriter Error { get; }
    /// <summary>True when stdout is a terminal (colours and cursor movement allowed).</summary>
    bool IsOutputTerminal { get; }
    /// <summary>Terminal width from COLUMNS or the tty; null when unknown (piped).</summary>
    int? Width { get; }
    /// <summary>Environment lookup (a seam for tests).</summary>
    string? GetEnvironmentVariable(string name);
    /// <summary>Whether the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG), as procps decides what is printable.</summary>
    bool Utf8Locale { get; }
    /// <summary>Colour allowed: a terminal, NO_COLOR unset, and not disabled by --no-color.</summary>
    bool ColorEnabled { get; }
}

/// <summary>The real process console.</summary>
public sealed class SystemConsole : ICliConsole
{
    private readonly Lazy<TextWriter> _out;
    private readonly Lazy<TextWriter> _err;

    public SystemConsole()
    {
        _out = new(() => new StreamWriter(OpenFd(1), new UTF8Encoding(false), 1 << 16) { AutoFlush = false });
        _err = new(() => new StreamWriter(OpenFd(2), new UTF8Encoding(false), 1024) { AutoFlush = true });
    }

    /// <summary>fd 1 or 2 written with write(2), never through System.Console (see <see cref="Procscope.Linux.DescriptorStream"/>).</summary>
    public static Stream OpenFd(int fd) => new Procscope.Linux.DescriptorStream(fd);

    /// <summary>A writer on fd 1 or 2 for System.CommandLine's own help and error output.</summary>
    public static TextWriter Writer(int fd) => new StreamWriter(OpenFd(fd), new UTF8Encoding(false), 4096) { AutoFlush = true };

    public TextWriter Out => _out.Value;
    public TextWriter Error => _err.Value;
    public bool IsOutputTerminal => Procscope.Linux.Terminal.IsTerminal(1);
    public bool DisableColor { get; set; }

    public int? Width
    {
        get
        {
            if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int c) && c > 0) return c;
            return IsOutputTerminal ? Procscope.Linux.Terminal.Columns(1) : null;
        }
    }

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);
    public bool Utf8Locale => LocaleIsUtf8(GetEnvironmentVariable);
    public bool ColorEnabled => !DisableColor && IsOutputTerminal && string.IsNullOrEmpty(GetEnvironmentVariable("NO_COLOR"));

    /// <summary>LC_ALL overrides LC_CTYPE overrides LANG (locale(7)); C/POSIX and unset are not UTF-8.</summary>
    public static bool LocaleIsUtf8(Func<string, string?> env)
    {
        string? v = null;
        foreach (var name in new[] { "LC_ALL", "LC_CTYPE", "LANG" })
        {
            v = env(name);
            if (!string.IsNullOrEmpty(v)) break;
        }
        if (string.IsNullOrEmpty(v)) return false;
        return v.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || v.Contains("utf8", StringComparison.OrdinalIgnoreCase);
    }

    public void Flush()
    {
        if (_out.IsValueCreated) _out.Value.Flush();
    }
}
