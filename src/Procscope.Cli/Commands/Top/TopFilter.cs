using System.Globalization;

namespace Procscope.Cli.Commands.Top;

/// <summary>
/// top's other-filter syntax (o and O in top(1), also `/` here): FIELD=value (case-insensitive
/// substring match), FIELD&gt;n, FIELD&lt;n, a leading '!' negates. Several filters all apply.
/// Examples: %CPU&gt;5, COMMAND=java, USER=root, !COMMAND=kworker.
/// </summary>
public sealed record TopFilter(TopField Field, char Op, string Value, double Number, bool Negate, string Text)
{
    public static bool TryParse(string text, out TopFilter? filter, out string? error)
    {
        filter = null;
        error = null;
        var s = text.Trim();
        bool neg = false;
        if (s.StartsWith('!'))
        {
            neg = true;
            s = s[1..];
        }
        int at = s.IndexOfAny(['=', '>', '<']);
        if (at <= 0)
        {
            error = $"bad filter '{text}': expected FIELD=value, FIELD>n or FIELD<n";
            return false;
        }
        var name = s[..at].Trim();
        char op = s[at];
        var value = s[(at + 1)..].Trim();
        if (!TopColumn.TryFind(name, out var field))
        {
            error = $"unknown field '{name}'";
            return false;
        }
        double number = 0;
        if (op != '=' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            error = $"'{value}' is not a number";
            return false;
        }
        if (op == '=' && value.Length == 0)
        {
            error = $"bad filter '{text}': empty value";
            return false;
        }
        filter = new TopFilter(field, op, value, number, neg, text.Trim());
        return true;
    }

    public bool Matches(TopRow row, bool fullCommand)
    {
        bool m;
        if (Op == '=')
        {
            m = TopColumn.IsText(Field) || TopColumn.Number(row, Field) is null
                ? TopColumn.Text(row, Field, fullCommand).Contains(Value, StringComparison.OrdinalIgnoreCase)
                : double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? TopColumn.Number(row, Field) == n
                : TopColumn.Text(row, Field, fullCommand).Contains(Value, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            var v = TopColumn.Number(row, Field);
            if (v is null && TopColumn.IsText(Field))
                m = Op == '>' ? string.Compare(TopColumn.Text(row, Field, fullCommand), Value, StringComparison.OrdinalIgnoreCase) > 0
                              : string.Compare(TopColumn.Text(row, Field, fullCommand), Value, StringComparison.OrdinalIgnoreCase) < 0;
            else
                m = v is { } d && (Op == '>' ? d > Number : d < Number);
        }
        return m != Negate;
    }
}
