using System.Text;

namespace Procscope.Cli.Commands.Lsof;

/// <summary>
/// Rows of text cells kept compactly until a table's column widths are known. Each distinct row is
/// stored once: its cells' UTF-8 bytes in shared 1 MiB chunks (a row never straddles two), with
/// where it starts and each cell's byte length; a row is then just the number of its distinct row
/// (4 bytes). lsof's rows repeat a lot: every thread lists its process's files again, and idle
/// processes forked from one parent have the same cwd, executable, libraries and descriptors. The
/// widest cell of each column (in UTF-16 chars, what <see cref="string.PadLeft(int)"/> counts) is
/// tracked as rows are added.
/// </summary>
public sealed class CompactCells
{
    private const int ChunkSize = 1 << 20, FirstChunkSize = 1 << 16;
    private const int BlockRows = 1 << 14;
    private readonly int _columns;
    private readonly List<byte[]> _chunks = [];
    private int _used; // bytes used in the last chunk
    // Distinct rows: where each starts, and its cells' lengths (row-major).
    private RowRef[] _distinct = new RowRef[256];
    private ushort[] _lengths;
    private int _distinctCount;
    private readonly HashSet<int> _index;
    // Rows: the distinct row of each, in blocks (no doubling copies of a large array).
    private readonly List<int[]> _rows = [];
    // A number the caller keeps with each row (lsof: the row's process), in blocks as well.
    private readonly List<int[]> _tags = [];
    private readonly int[] _widths;

    private readonly record struct RowRef(int Chunk, int Offset, int Length);

    public CompactCells(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        _columns = columns;
        _lengths = new ushort[256 * columns];
        _widths = new int[columns];
        _index = new HashSet<int>(new SameRow(this));
    }

    /// <summary>Rows added.</summary>
    public int Count { get; private set; }
    /// <summary>Distinct rows stored.</summary>
    public int DistinctCount => _distinctCount;
    public int Columns => _columns;

    /// <summary>The widest cell so far of column <paramref name="column"/>, in chars (0 when empty).</summary>
    public int Width(int column) => _widths[column];

    /// <summary>Appends a row of exactly <see cref="Columns"/> cells, with a number kept alongside (<see cref="Tag"/>); returns its index.</summary>
    public int Add(ReadOnlySpan<string> cells, int tag = 0)
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
            // 64 KiB first, doubling up to 1 MiB: a small table stays small.
            int size = _chunks.Count == 0 ? FirstChunkSize : Math.Min(ChunkSize, _chunks[^1].Length * 2);
            _chunks.Add(new byte[Math.Max(size, total)]);
            _used = 0;
        }
        if (_distinctCount == _distinct.Length)
        {
            Array.Resize(ref _distinct, _distinct.Length * 2);
            Array.Resize(ref _lengths, _distinct.Length * _columns);
        }
        // Written as a candidate distinct row; kept only if no equal row is stored yet.
        var chunk = _chunks[^1];
        int id = _distinctCount, at = _used;
        for (int i = 0; i < cells.Length; i++)
        {
            int n = Encoding.UTF8.GetBytes(cells[i], chunk.AsSpan(at));
            _lengths[id * _columns + i] = (ushort)n;
            at += n;
        }
        _distinct[id] = new RowRef(_chunks.Count - 1, _used, total);
        if (_index.TryGetValue(id, out int existing)) id = existing;
        else
        {
            _index.Add(id);
            _distinctCount++;
            _used = at;
            for (int i = 0; i < cells.Length; i++)
                if (cells[i].Length > _widths[i]) _widths[i] = cells[i].Length;
        }
        int slot = Count % BlockRows;
        if (slot == 0)
        {
            _rows.Add(new int[BlockRows]);
            _tags.Add(new int[BlockRows]);
        }
        _rows[^1][slot] = id;
        _tags[^1][slot] = tag;
        return Count++;
    }

    /// <summary>The number given with row <paramref name="row"/>.</summary>
    public int Tag(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        return _tags[row / BlockRows][row % BlockRows];
    }

    /// <summary>The UTF-8 bytes of one cell.</summary>
    public ReadOnlySpan<byte> Cell(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)_columns, nameof(column));
        int id = _rows[row / BlockRows][row % BlockRows];
        var r = _distinct[id];
        int start = r.Offset, baseIndex = id * _columns;
        for (int i = 0; i < column; i++) start += _lengths[baseIndex + i];
        return _chunks[r.Chunk].AsSpan(start, _lengths[baseIndex + column]);
    }

    private ReadOnlySpan<byte> Bytes(int id) => _chunks[_distinct[id].Chunk].AsSpan(_distinct[id].Offset, _distinct[id].Length);
    private ReadOnlySpan<ushort> Lengths(int id) => _lengths.AsSpan(id * _columns, _columns);

    /// <summary>Distinct rows are equal when their cells are: the same bytes split the same way.</summary>
    private sealed class SameRow(CompactCells s) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => s.Bytes(a).SequenceEqual(s.Bytes(b)) && s.Lengths(a).SequenceEqual(s.Lengths(b));

        public int GetHashCode(int id)
        {
            var h = new HashCode();
            h.AddBytes(s.Bytes(id));
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.Lengths(id)));
            return h.ToHashCode();
        }
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
