using System.Globalization;
using System.Text;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// The view's state: what is shown and how. The persistent part is saved by W to
/// $XDG_CONFIG_HOME/procscope/toprc (or ~/.config/procscope/toprc) as "key=value" lines, and read at
/// start; never from the current directory (a hostile working directory must not configure us).
/// </summary>
public sealed class TopSettings
{
    public double DelaySeconds { get; set; } = 3.0;
    public TopField SortField { get; set; } = TopField.Cpu;
    /// <summary>Largest first (top's default).</summary>
    public bool SortDescending { get; set; } = true;
    public bool Threads { get; set; }
    public bool Tree { get; set; }
    public bool FullCommand { get; set; }
    /// <summary>False hides idle tasks (top's i).</summary>
    public bool ShowIdle { get; set; } = true;
    public bool PerCpu { get; set; }
    public bool Color { get; set; } = true;
    public List<TopField> Columns { get; set; } = [.. TopColumn.Defaults];
    /// <summary>Rewind history span (default 10 minutes).</summary>
    public double HistorySeconds { get; set; } = 600;

    // Not saved: per-invocation selections.
    public uint? UserFilter { get; set; }
    public string? UserFilterText { get; set; }
    public List<TopFilter> Filters { get; } = [];

    /// <summary>The settings file, or null when neither XDG_CONFIG_HOME nor HOME is set (nothing is read or written then).</summary>
    public static string? ConfigPath(Func<string, string?> env)
    {
        var xdg = env("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "procscope", "toprc");
        var home = env("HOME");
        if (!string.IsNullOrEmpty(home) && Path.IsPathRooted(home)) return Path.Combine(home, ".config", "procscope", "toprc");
        return null;
    }

    public string Serialize()
    {
        var sb = new StringBuilder();
        sb.Append("# procscope top settings (written by W)\n");
        sb.Append("delay=").Append(DelaySeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("sort=").Append(TopColumn.Of(SortField).Header).Append('\n');
        sb.Append("descending=").Append(SortDescending ? "1" : "0").Append('\n');
        sb.Append("threads=").Append(Threads ? "1" : "0").Append('\n');
        sb.Append("tree=").Append(Tree ? "1" : "0").Append('\n');
        sb.Append("full_command=").Append(FullCommand ? "1" : "0").Append('\n');
        sb.Append("idle=").Append(ShowIdle ? "1" : "0").Append('\n');
        sb.Append("per_cpu=").Append(PerCpu ? "1" : "0").Append('\n');
        sb.Append("color=").Append(Color ? "1" : "0").Append('\n');
        sb.Append("history_seconds=").Append(HistorySeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("columns=").Append(string.Join(',', Columns.Select(c => TopColumn.Of(c).Header))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Applies a saved file; unknown keys and bad values are ignored (a newer version may have written them).</summary>
    public void Apply(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            var v = line[(eq + 1)..].Trim();
            bool flag = v == "1";
            switch (key)
            {
                case "delay" when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0: DelaySeconds = d; break;
                case "sort" when TopColumn.TryFind(v, out var f): SortField = f; break;
                case "descending": SortDescending = flag; break;
                case "threads": Threads = flag; break;
                case "tree": Tree = flag; break;
                case "full_command": FullCommand = flag; break;
                case "idle": ShowIdle = flag; break;
                case "per_cpu": PerCpu = flag; break;
                case "color": Color = flag; break;
                case "history_seconds" when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h >= 0: HistorySeconds = h; break;
                case "columns":
                    var cols = new List<TopField>();
                    foreach (var name in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        if (TopColumn.TryFind(name, out var c) && !cols.Contains(c)) cols.Add(c);
                    if (cols.Count > 0) Columns = cols;
                    break;
            }
        }
    }

    public void Load(Func<string, string?> env)
    {
        var path = ConfigPath(env);
        if (path is null || !File.Exists(path)) return;
        try
        {
            Apply(File.ReadAllText(path));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Writes the file (atomically: temp file, then rename). Returns an error message or null.</summary>
    public string? Save(Func<string, string?> env)
    {
        var path = ConfigPath(env);
        if (path is null) return "no config directory (set XDG_CONFIG_HOME or HOME)";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, Serialize());
            File.Move(tmp, path, true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
