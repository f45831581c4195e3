namespace Procscope.Cli.Commands.Ps;

/// <summary>Where rows go: the text table or JSON.</summary>
internal interface IPsSink
{
    /// <summary>Writes one row; null writes the header line.</summary>
    void Write(PsTask? task, Column[] columns);
    void Finish();
}

/// <summary>
/// The text layout of procps show_one_proc(): columns have fixed widths, numbers are right-aligned
/// and text left-aligned, a value wider than its column pushes the rest of the line to the right
/// and the following columns give the room back when they can. The last column gets what is left
/// of the line (the screen width, a multiple of it when the fixed columns need more, or unlimited
/// when not writing to a terminal).
/// </summary>
internal sealed class PsTable : IPsSink
{
    /// <summary>procps SPACE_AMOUNT: the most padding written before one cell.</summary>
    private const int MaxSpace = 144;
    private static readonly string Spaces = new(' ', MaxSpace);

    private readonly TextWriter _out;
    private readonly PsContext _c;
    private readonly RowBuffer _buf = new();
    private readonly int _activeCols;

    public PsTable(TextWriter output, PsContext context, Column[] columns)
    {
        _out = output;
        _c = context;
        _activeCols = ActiveColumns(context.Options.ScreenCols, columns, out bool wideSignals);
        context.WideSignals = wideSignals;
    }

    /// <summary>procps check_header_width(): the line length in use, a multiple of the screen width that fits the fixed columns.</summary>
    internal static int ActiveColumns(int screenCols, Column[] columns, out bool wideSignals)
    {
        uint total = 0;
        uint wasNormal = 0;
        uint sigs = 0;
        for (int i = 0; i < columns.Length; i++)
        {
            var col = columns[i];
            switch (col.Just)
            {
                case J.Signal:
                    sigs++;
                    total += (uint)col.Width + wasNormal;
                    wasNormal = 1;
                    break;
                case J.Unlimited:
                    total += (i + 1 < columns.Length ? (uint)col.Width : 3) + wasNormal;
                    wasNormal = 1;
                    break;
                case J.Aix:
                    total += (uint)col.Width;
                    wasNormal = 0;
                    break;
                default:
                    total += (uint)col.Width + wasNormal;
                    wasNormal = 1;
                    break;
            }
        }
        uint active;
        for (uint i = 1; ; i++)
        {
            active = (uint)screenCols * i;
            if (active >= total) break;
            if ((uint)screenCols * i >= RowBuffer.Capacity / 2) break;
        }
        wideSignals = total + sigs * 7 <= active;
        return (int)active;
    }

    public void Write(PsTask? p, Column[] fmt)
    {
        int correct = 0, actual = 0, dospace = 0;
        for (int k = 0; k < fmt.Length; k++)
        {
            var col = fmt[k];
            bool last = k == fmt.Length - 1;
            int legit = 0, tmpspace, maxRight;
            if (!last)
            {
                maxRight = col.Width;
                tmpspace = 0;
            }
            else
            {
                tmpspace = correct - actual;
                if (tmpspace < 1)
                {
                    tmpspace = dospace;
                    maxRight = _activeCols - actual - tmpspace;
                }
                else
                {
                    maxRight = _activeCols - Math.Max(correct, actual);
                }
            }
            if (maxRight <= 0) maxRight = 0;
            else if (maxRight >= RowBuffer.Capacity) maxRight = RowBuffer.Capacity - 1;

            _buf.Clear();
            int amount;
            if (p is not null && col.HasPrinter)
            {
                amount = PsRender.Render(col.Render, p, _c, maxRight, _buf);
            }
            else
            {
                _buf.Append(col.Name);
                amount = System.Text.Encoding.UTF8.GetByteCount(col.Name);
            }
            if (amount < 0) amount = 0;
            else if (amount >= RowBuffer.Capacity) amount = RowBuffer.Capacity - 1;

            int leftpad;
            switch (col.Just)
            {
                case J.Right:
                    leftpad = Math.Max(0, col.Width - amount);
                    break;
                case J.Signal:
                    if (_c.WideSignals)
                    {
                        leftpad = 16 - amount;
                        legit = 7;
                    }
                    else leftpad = 9 - amount;
                    if (leftpad < 0) leftpad = 0;
                    break;
                case J.User:
                    leftpad = _c.Options.UserIsNumber ? Math.Max(0, col.Width - amount) : 0;
                    break;
                case J.Wchan:
                    if (_c.Options.WchanIsNumber)
                    {
                        leftpad = Math.Max(0, col.Width - amount);
                        break;
                    }
                    if (_activeCols - actual - tmpspace < 1) _buf.Truncate(1);
                    leftpad = 0;
                    break;
                case J.Unlimited:
                    if (_activeCols - actual - tmpspace < 1) _buf.Truncate(1);
                    leftpad = 0;
                    break;
                default:
                    leftpad = 0;
                    break;
            }
            int space = correct - actual + leftpad;
            if (space < 1) space = dospace;
            if (space > MaxSpace) space = MaxSpace;
            if (space > 0) _out.Write(Spaces.AsSpan(0, space));
            _out.Write(_buf.Span);
            if (last)
            {
                _out.Write('\n');
                break;
            }
            actual += space + amount;
            correct += col.Width + legit;
            if (col.HasPrinter && fmt[k + 1].HasPrinter)
            {
                correct++;
                dospace = 1;
            }
            else
            {
                dospace = 0;
            }
        }
    }

    public void Finish() { }
}
