namespace Procscope.Cli.Commands.Top;

/// <summary>
/// Past frames for pause and rewind: a ring bounded by time span (default 10 minutes) and by a
/// total row budget, so memory stays flat however many processes there are (with 10,000 processes
/// fewer frames fit; the view says how far back it reaches).
/// </summary>
public sealed class FrameHistory(double spanSeconds, int rowBudget = 60_000)
{
    private readonly LinkedList<TopFrame> _frames = new();
    private long _rows;

    public double SpanSeconds { get; set; } = spanSeconds;
    public int RowBudget { get; } = rowBudget;
    public int Count => _frames.Count;
    public long Rows => _rows;

    public void Add(TopFrame f)
    {
        _frames.AddLast(f);
        _rows += f.Rows.Length;
        while (_frames.Count > 1 && (_rows > RowBudget || (f.Time - _frames.First!.Value.Time).TotalSeconds > SpanSeconds))
        {
            _rows -= _frames.First!.Value.Rows.Length;
            _frames.RemoveFirst();
        }
    }

    /// <summary>Frame at <paramref name="index"/> from the oldest (0) to the newest (Count − 1).</summary>
    public TopFrame At(int index)
    {
        int i = 0;
        foreach (var f in _frames)
            if (i++ == index) return f;
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    public TopFrame? Oldest => _frames.First?.Value;
    public TopFrame? Newest => _frames.Last?.Value;
}
