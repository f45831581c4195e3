using Procscope.Core.Elf;

namespace Procscope.Core.Unwind;

/// <summary>A Common Information Entry of .eh_frame: what its FDEs share.</summary>
public readonly record struct CieInfo(
    ulong CodeAlignment, long DataAlignment, int ReturnAddressRegister, byte FdeEncoding, bool IsSignalFrame, bool HasAugmentationData,
    int InstructionsStart, int InstructionsEnd);

/// <summary>A Frame Description Entry: the code range it covers and its CFA program (file offsets).</summary>
public readonly record struct FdeInfo(ulong PcBegin, ulong PcRange, CieInfo Cie, int InstructionsStart, int InstructionsEnd);

/// <summary>
/// The call frame information of one ELF file (.eh_frame, LSB Core "Exception Frames"): finds the
/// FDE covering a link-time address through .eh_frame_hdr's sorted table (PT_GNU_EH_FRAME), or, when
/// the file has none, through an index built once by walking .eh_frame. Pure: parses the file's bytes.
/// </summary>
public sealed class EhFrameTable
{
    public const uint PtGnuEhFrame = 0x6474e550;

    private readonly byte[] _file;
    private readonly ElfFile _elf;
    // .eh_frame_hdr's binary search table (datarel sdata4 pairs), when usable.
    private readonly int _tableOffset, _tableCount;
    private readonly ulong _hdrVaddr;
    private readonly byte _tableEncoding;
    // Otherwise: (pc begin, FDE file offset) sorted by pc.
    private readonly (ulong Pc, int Offset)[]? _index;

    private EhFrameTable(byte[] file, ElfFile elf, int tableOffset, int tableCount, ulong hdrVaddr, byte tableEncoding, (ulong, int)[]? index)
    {
        _file = file;
        _elf = elf;
        _tableOffset = tableOffset;
        _tableCount = tableCount;
        _hdrVaddr = hdrVaddr;
        _tableEncoding = tableEncoding;
        _index = index;
    }

    /// <summary>Number of FDEs the lookup table holds.</summary>
    public int Count => _index?.Length ?? _tableCount;

    /// <summary>The file's bytes (FDE and CIE offsets point into them).</summary>
    public ReadOnlySpan<byte> Bytes => _file;

    /// <summary>Builds the lookup for a file; null when it has no usable .eh_frame.</summary>
    public static EhFrameTable? Create(byte[] file, ElfFile elf)
    {
        var hdrSeg = elf.Segments.FirstOrDefault(s => s.Type == PtGnuEhFrame);
        if (hdrSeg.Type == PtGnuEhFrame && hdrSeg.Offset < (ulong)file.Length && hdrSeg.FileSize >= 12)
        {
            int off = (int)hdrSeg.Offset;
            var r = new CfiReader(file, off, (int)Math.Min((ulong)file.Length, hdrSeg.Offset + hdrSeg.FileSize));
            byte version = r.U8(), ehFramePtrEnc = r.U8(), countEnc = r.U8(), tableEnc = r.U8();
            ulong hdrVaddr = hdrSeg.VirtualAddress, ehFrameVaddr = 0;
            if (version == 1 && r.Encoded(ehFramePtrEnc, hdrVaddr + 4, hdrVaddr, out ehFrameVaddr, out _)
                && r.Encoded(countEnc, hdrVaddr + (ulong)(r.Position - off), hdrVaddr, out ulong count, out _)
                && tableEnc == 0x3b && count <= (ulong)(r.End - r.Position) / 8)
                return new EhFrameTable(file, elf, r.Position, (int)count, hdrVaddr, tableEnc, null);
            // An unusable header: fall back to walking .eh_frame from where it says it is.
            if (!r.Failed && version == 1 && elf.FileOffsetOf(ehFrameVaddr) is { } ehOff && ehOff < (ulong)file.Length)
                return FromScan(file, elf, (int)ehOff, file.Length);
        }
        var sec = elf.Sections.FirstOrDefault(s => s.Name == ".eh_frame" && s.Type != ElfSection.NoBits);
        if (sec.Name is null || sec.Offset >= (ulong)file.Length) return null;
        return FromScan(file, elf, (int)sec.Offset, (int)Math.Min((ulong)file.Length, sec.Offset + sec.Size));
    }

    private static EhFrameTable? FromScan(byte[] file, ElfFile elf, int start, int end)
    {
        var list = new List<(ulong, int)>();
        int pos = start;
        while (pos < end - 4)
        {
            var r = new CfiReader(file, pos, end);
            ulong length = r.U32();
            if (length == 0) break; // terminator
            if (length == 0xffffffff) length = r.U64();
            int idPos = r.Position;
            if (r.Failed || length > (ulong)(end - idPos)) break;
            int next = idPos + (int)length;
            uint id = r.U32();
            if (id != 0 && TryParseFde(file, elf, pos, out var fde))
                list.Add((fde.PcBegin, pos));
            pos = next;
        }
        if (list.Count == 0) return null;
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new EhFrameTable(file, elf, 0, 0, 0, 0, list.ToArray());
    }

    /// <summary>The FDE covering the link-time address <paramref name="pc"/>.</summary>
    public bool TryFind(ulong pc, out FdeInfo fde)
    {
        fde = default;
        int fdeOffset;
        if (_index is { } idx)
        {
            int lo = 0, hi = idx.Length - 1, found = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                if (idx[mid].Pc <= pc) { found = mid; lo = mid + 1; } else hi = mid - 1;
            }
            if (found < 0) return false;
            fdeOffset = idx[found].Offset;
        }
        else
        {
            int lo = 0, hi = _tableCount - 1, found = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                if (TableEntry(mid, out ulong start, out _) && start <= pc) { found = mid; lo = mid + 1; } else hi = mid - 1;
            }
            if (found < 0 || !TableEntry(found, out _, out ulong fdeVaddr) || _elf.FileOffsetOf(fdeVaddr) is not { } off || off >= (ulong)_file.Length) return false;
            fdeOffset = (int)off;
        }
        if (!TryParseFde(_file, _elf, fdeOffset, out fde)) return false;
        return pc >= fde.PcBegin && pc - fde.PcBegin < fde.PcRange;
    }

    private bool TableEntry(int i, out ulong start, out ulong fdeVaddr)
    {
        var r = new CfiReader(_file, _tableOffset + i * 8, _tableOffset + i * 8 + 8);
        start = _hdrVaddr + (ulong)(long)(int)r.U32();
        fdeVaddr = _hdrVaddr + (ulong)(long)(int)r.U32();
        return !r.Failed;
    }

    /// <summary>The link-time address of a file offset, through the PT_LOAD holding it (the offset itself when none does).</summary>
    internal static ulong VaddrOf(ElfFile? elf, int fileOffset)
    {
        if (elf is null) return (ulong)fileOffset;
        foreach (var s in elf.Segments)
            if (s.Type == ElfSegment.Load && (ulong)fileOffset >= s.Offset && (ulong)fileOffset < s.Offset + s.FileSize)
                return (ulong)fileOffset - s.Offset + s.VirtualAddress;
        return (ulong)fileOffset;
    }

    /// <summary>Parses the FDE at file offset <paramref name="offset"/> and its CIE. Without
    /// <paramref name="elf"/>, file offsets are taken as addresses (for pc-relative encodings).</summary>
    public static bool TryParseFde(ReadOnlySpan<byte> file, ElfFile? elf, int offset, out FdeInfo fde)
    {
        fde = default;
        var r = new CfiReader(file, offset, file.Length);
        ulong length = r.U32();
        if (length == 0 || r.Failed) return false;
        if (length == 0xffffffff) length = r.U64();
        int idPos = r.Position;
        if (r.Failed || length > (ulong)(file.Length - idPos)) return false;
        int end = idPos + (int)length;
        r = new CfiReader(file, idPos, end);
        uint ciePointer = r.U32();
        if (r.Failed || ciePointer == 0 || ciePointer > (uint)idPos) return false;
        if (!TryParseCie(file, idPos - (int)ciePointer, out var cie)) return false;
        ulong basePc = VaddrOf(elf, r.Position);
        if (!r.Encoded(cie.FdeEncoding, basePc, 0, out ulong pcBegin, out bool indirect) || indirect) return false;
        if (!r.Encoded((byte)(cie.FdeEncoding & 0x0f), 0, 0, out ulong pcRange, out _)) return false;
        if (cie.HasAugmentationData) r.Skip(r.Uleb());
        if (r.Failed) return false;
        fde = new FdeInfo(pcBegin, pcRange, cie, r.Position, end);
        return true;
    }

    /// <summary>Parses the CIE at file offset <paramref name="offset"/>.</summary>
    public static bool TryParseCie(ReadOnlySpan<byte> file, int offset, out CieInfo cie)
    {
        cie = default;
        if (offset < 0) return false;
        var r = new CfiReader(file, offset, file.Length);
        ulong length = r.U32();
        if (length == 0 || r.Failed) return false;
        if (length == 0xffffffff) length = r.U64();
        int idPos = r.Position;
        if (r.Failed || length > (ulong)(file.Length - idPos)) return false;
        int end = idPos + (int)length;
        r = new CfiReader(file, idPos, end);
        if (r.U32() != 0) return false; // not a CIE
        byte version = r.U8();
        if (version is not (1 or 3 or 4)) return false;
        var aug = r.CString();
        if (r.Failed) return false;
        if (version == 4) { r.U8(); r.U8(); } // address size, segment size
        if (aug.Length >= 2 && aug[0] == (byte)'e' && aug[1] == (byte)'h') r.U64();
        ulong codeAlign = r.Uleb();
        long dataAlign = r.Sleb();
        ulong ra = version == 1 ? r.U8() : r.Uleb();
        byte fdeEnc = 0;
        bool signal = false, z = false;
        int start = aug.Length >= 2 && aug[0] == (byte)'e' && aug[1] == (byte)'h' ? 2 : 0;
        if (start < aug.Length && aug[start] == (byte)'z')
        {
            z = true;
            ulong augLen = r.Uleb();
            int augEnd = r.Position + (int)Math.Min(augLen, (ulong)(end - r.Position));
            if (augLen > (ulong)(end - r.Position)) return false;
            for (int i = start + 1; i < aug.Length && !r.Failed; i++)
            {
                switch ((char)aug[i])
                {
                    case 'R': fdeEnc = r.U8(); break;
                    case 'L': r.U8(); break;
                    case 'P':
                        byte penc = r.U8();
                        r.Encoded((byte)(penc & 0x7f), 0, 0, out _, out _);
                        break;
                    case 'S': signal = true; break;
                    case 'B': break;
                    case 'G': break;
                    default: i = aug.Length; break; // unknown: the length tells where the data ends
                }
            }
            r.Position = augEnd;
        }
        else if (aug.Length > start) return false; // augmentation we cannot skip without 'z'
        if (r.Failed || ra > 64) return false;
        cie = new CieInfo(codeAlign, dataAlign, (int)ra, fdeEnc, signal, z, r.Position, end);
        return true;
    }
}
