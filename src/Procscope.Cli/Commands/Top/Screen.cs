using System.Text;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Hand-written ANSI output with a frame diff: only lines that changed since the last draw are
/// rewritten (cursor to line, text, erase to end of line). Full redraw after a resize.
/// </summary>
public sealed class Screen(TextWriter output)
{
    public const string EnterSequence = "\e[?1049h\e[?25l\e[?1000h\e[?1006h\e[H\e[2J";
    public const string LeaveSequence = "\e[?1006l\e[?1000l\e[0m\e[?25h\e[?1049l";

    private string[] _previous = [];
    private int _rows, _cols;

    public int Rows => _rows;
    public int Columns => _cols;

    public void Resize(int rows, int cols)
    {
        if (rows == _rows && cols == _cols) return;
        _rows = rows;
        _cols = cols;
        _previous = [];
        output.Write("\e[H\e[2J");
    }

    /// <summary>Draws <paramref name="lines"/> (already fitted to the width, possibly with SGR attributes); returns how many lines were rewritten.</summary>
    public int Draw(IReadOnlyList<string> lines)
    {
        int changed = 0;
        var next = new string[_rows];
        var sb = new StringBuilder();
        for (int y = 0; y < _rows; y++)
        {
            string line = y < lines.Count ? lines[y] : "";
            next[y] = line;
            if (y < _previous.Length && _previous[y] == line) continue;
            sb.Append("\e[").Append(y + 1).Append(";1H").Append(line).Append("\e[0m\e[K");
            changed++;
        }
        sb.Append("\e[").Append(_rows).Append(";1H");
        output.Write(sb.ToString());
        output.Flush();
        _previous = next;
        return changed;
    }
}
