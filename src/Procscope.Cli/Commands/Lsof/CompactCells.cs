using System.Text;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>
/// Rows of text cells kept compactly until a table's column widths are known: every cell's UTF-8
/// bytes in shared 1 MiB chunks (a row never straddles two), and per row only where it starts and
/// the byte length of each cell. The widest cell of each column (in UTF-16 chars, what
/// <see cref="string.PadLeft(int)"/> counts) is tracked as rows are added. A 20,000-process lsof
/// listing costs tens of bytes per row here instead of a dozen objects per row.
/// </summary>
public sealed class CompactCells
{
    private const int ChunkSize = 1 << 20;
    private readonly int _columns;
    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize; // no chunk yet: the first row starts one
    private RowRef[] _rows = new RowRef[256];
    private ushort[] _lengths;
    private readonly int[] _widths;

    private readonly record struct RowRef(int Chunk, int Offset);

    public CompactCells(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        _columns = columns;
        _lengths = new ushort[256 * columns];
        _widths = new int[columns];
    }

    public int Count { get; private set; }
    public int Columns => _columns;

    /// <summary>The widest cell so far of column <paramref name="column"/>, in chars (0 when empty).</summary>
    public int Width(int column) => _widths[column];

    /// <summary>Appends a row of exactly <see cref="Columns"/> cells; returns its index.</summary>
    public int Add(ReadOnlySpan<string> cells)
    {
        if (cells.Length != _columns) throw new ArgumentException($"a row has {_columns} cells, not {cells.Length}", nameof(cells));
        int total = 0;
        foreach (var c in cells)
        {
            int n = Encoding.UTF8.GetByteCount(c);
            if (n > ushort.MaxValue) throw new ArgumentException("a cell is longer than 65,535 bytes", nameof(cells));
            total += n;
        }
        if (_chunks.Count == 0 || _used + total > _chunks[^1].Length)
        {
            _chunks.Add(new byte[Math.Max(ChunkSize, total)]);
            _used = 0;
        }
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
            Array.Resize(ref _lengths, _rows.Length * _columns);
        }
        var chunk = _chunks[^1];
        _rows[Count] = new RowRef(_chunks.Count - 1, _used);
        for (int i = 0; i < cells.Length; i++)
        {
            int n = Encoding.UTF8.GetBytes(cells[i], chunk.AsSpan(_used));
            _lengths[Count * _columns + i] = (ushort)n;
            _used += n;
            if (cells[i].Length > _widths[i]) _widths[i] = cells[i].Length;
        }
        return Count++;
    }

    /// <summary>The UTF-8 bytes of one cell.</summary>
    public ReadOnlySpan<byte> Cell(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)_columns, nameof(column));
        var r = _rows[row];
        int start = r.Offset, baseIndex = row * _columns;
        for (int i = 0; i < column; i++) start += _lengths[baseIndex + i];
        return _chunks[r.Chunk].AsSpan(start, _lengths[baseIndex + column]);
    }

    /// <summary>Appends one cell to <paramref name="sb"/>, padded with spaces to <paramref name="width"/> chars (left or right aligned).</summary>
    public void AppendCell(StringBuilder sb, int row, int column, int width = 0, bool alignRight = false)
    {
        var bytes = Cell(row, column);
        int chars = Encoding.UTF8.GetCharCount(bytes);
        Span<char> small = stackalloc char[256];
        char[]? rented = null;
        Span<char> text = chars <= small.Length ? small : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(chars));
        int n = Encoding.UTF8.GetChars(bytes, text);
        if (alignRight && width > n) sb.Append(' ', width - n);
        sb.Append(text[..n]);
        if (!alignRight && width > n) sb.Append(' ', width - n);
        if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
    }
}
