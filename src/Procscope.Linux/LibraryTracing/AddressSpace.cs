using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Procscope.Core.LibraryCalls;
using Procscope.Linux.Tracing;

namespace Procscope.Linux.LibraryTracing;

/// <summary>A traced function: where its breakpoint is and how its calls are shown.</summary>
internal sealed class TracedFunction
{
    public required string Name { get; init; }
    public required LoadedObject Library { get; init; }
    public required CallPrototype Prototype { get; init; }
    /// <summary>Calls are reported only from these callers: the main program (default), anything
    /// but the library itself (-l), or anywhere (-x).</summary>
    public required CallerRule Callers { get; init; }
}

internal enum CallerRule : byte { MainProgram, OtherObjects, Anywhere }

/// <summary>One address holding (or having held) our int3: a function entry, a return address in flight, or the program's entry.</summary>
internal sealed class Site
{
    public required ulong Address { get; init; }
    /// <summary>The original bytes from the address on (up to 16), read before the int3 went in.</summary>
    public required byte[] Code { get; init; }
    public EntryInstruction Instruction { get; init; }
    public bool Inserted;
    public TracedFunction? Function;
    /// <summary>Calls in flight (any thread) that return here.</summary>
    public int ReturnRefs;
    /// <summary>The program's entry point: libraries are loaded when it is reached.</summary>
    public bool IsStart;
    /// <summary>The out-of-line copy of the instruction, 0 before one is made, 1 when none can be.</summary>
    public ulong Slot;
}

/// <summary>One call in flight on one thread.</summary>
internal sealed class Frame
{
    public required int Tid { get; init; }
    public required Site Return { get; init; }
    /// <summary>rsp at the function's entry (pointing at the return address).</summary>
    public required ulong EntryRsp { get; init; }
    public required TracedFunction Function { get; init; }
    public required LibraryCall Call { get; init; }

    public Frame CloneFor(int tid) => new() { Tid = tid, Return = Return, EntryRsp = EntryRsp, Function = Function, Call = Call };
}

/// <summary>
/// The breakpoints of one process (one memory image): entry sites, return sites with reference
/// counts, the scratch pages for out-of-line execution, and what is needed to read errno.
/// </summary>
internal sealed class AddressSpace
{
    private readonly LibraryTracer _tracer;

    public AddressSpace(LibraryTracer tracer, int pid, string exe)
    {
        _tracer = tracer;
        Pid = pid;
        Exe = exe;
    }

    public int Pid { get; }
    public string Exe { get; }
    public LoadedObjects? Objects;
    public readonly Dictionary<ulong, Site> Sites = new();
    /// <summary>Scratch regions (start, end, next free) for out-of-line copies, in the tracee.</summary>
    public readonly List<(ulong Start, ulong End)> Scratch = [];
    public readonly Dictionary<ulong, ulong> ScratchNext = new();
    /// <summary>An int3 in the first scratch region: the return address of calls we make in the tracee.</summary>
    public ulong InferiorTrap;
    /// <summary>errno's offset from the thread pointer (fs_base), when found.</summary>
    public long? ErrnoTpOffset;
    /// <summary>Shares its memory with another space (a vfork child): never restore bytes through it.</summary>
    public bool SharesMemory;

    /// <summary>Every address that ever held one of our breakpoints (to recognise a trap taken just before removal).</summary>
    private readonly HashSet<ulong> _ever = new();

    public bool WasBreakpoint(ulong address)
    {
        lock (_ever) return _ever.Contains(address);
    }

    public Site? SiteAt(ulong address) => Sites.GetValueOrDefault(address);

    /// <summary>Creates the site (reading its original bytes) without inserting it.</summary>
    public Site? GetOrCreateSite(TraceeThread t, ulong address)
    {
        if (Sites.TryGetValue(address, out var s)) return s;
        var code = new byte[16];
        int n = t.Read(address, code);
        if (n < 1) return null;
        // Another of our int3 bytes inside this range would be decoded as part of the instruction.
        foreach (var other in Sites.Values)
            if (other.Inserted && other.Address > address && other.Address < address + (ulong)n)
                code[other.Address - address] = other.Code[0];
        s = new Site { Address = address, Code = code, Instruction = EntryInstruction.Decode(code.AsSpan(0, n)) };
        Sites[address] = s;
        return s;
    }

    public bool Insert(TraceeThread t, Site s)
    {
        if (s.Inserted) return true;
        if (!WriteByte(t, s.Address, 0xcc)) return false;
        s.Inserted = true;
        lock (_ever) _ever.Add(s.Address);
        return true;
    }

    public void Remove(TraceeThread t, Site s)
    {
        if (!s.Inserted) return;
        WriteByte(t, s.Address, s.Code[0]);
        s.Inserted = false;
    }

    /// <summary>PTRACE_PEEKDATA the word, change one byte, PTRACE_POKEDATA it back (works on read-only text).</summary>
    public static bool WriteByte(TraceeThread t, ulong address, byte value)
    {
        ulong aligned = address & ~7UL;
        if (!t.TryPeek(aligned, out ulong word)) return false;
        int shift = (int)(address - aligned) * 8;
        word = (word & ~(0xffUL << shift)) | ((ulong)value << shift);
        return t.TryPoke(aligned, word);
    }

    /// <summary>Writes bytes into text with PTRACE_POKEDATA word by word.</summary>
    public static bool WriteText(TraceeThread t, ulong address, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
            if (!WriteByteFast(t, address + (ulong)i, bytes, ref i)) return false;
        return true;
    }

    private static bool WriteByteFast(TraceeThread t, ulong address, ReadOnlySpan<byte> bytes, ref int i)
    {
        ulong aligned = address & ~7UL;
        if (!t.TryPeek(aligned, out ulong word)) return false;
        Span<byte> w = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(w, word);
        int k = (int)(address - aligned);
        for (; k < 8 && i < bytes.Length; k++, i++) w[k] = bytes[i];
        i--;
        return t.TryPoke(aligned, BinaryPrimitives.ReadUInt64LittleEndian(w));
    }

    public void InsertStartTrap(TraceeThread t, ulong entry)
    {
        var s = GetOrCreateSite(t, entry);
        if (s is null) return;
        s.IsStart = true;
        Insert(t, s);
    }

    /// <summary>A call returning to <paramref name="address"/> is in flight: make sure a breakpoint is there.</summary>
    public Site? AddReturn(TraceeThread t, ulong address)
    {
        var s = GetOrCreateSite(t, address);
        if (s is null) return null;
        if (!Insert(t, s)) return null;
        s.ReturnRefs++;
        return s;
    }

    /// <summary>A call returned (or was abandoned): drop the return breakpoint when nothing else needs it.</summary>
    public void ReleaseReturn(TraceeThread t, Site s)
    {
        // The breakpoint stays in: the next call from the same place (a loop) needs it again, and
        // removing and re-inserting costs four system calls per call. A thread that reaches the
        // address without a call in flight just steps over it (emulated or out of line).
        if (s.ReturnRefs > 0) s.ReturnRefs--;
    }

    /// <summary>
    /// The out-of-line copy of a site's first instruction followed by an absolute jump back,
    /// in a scratch region within ±2 GiB when the instruction is RIP-relative; 1 when impossible.
    /// </summary>
    public ulong SlotFor(TraceeThread t, Site s)
    {
        if (s.Slot != 0) return s.Slot;
        s.Slot = 1;
        var insn = s.Instruction;
        if (insn.Kind != EntryKind.Displaceable || insn.Length == 0) return 1;
        foreach (var (start, end) in Scratch)
        {
            ulong next = ScratchNext[start];
            if (next + 32 > end) continue;
            var code = new byte[32];
            s.Code.AsSpan(0, insn.Length).CopyTo(code);
            if (insn.RipDisplacementOffset >= 0)
            {
                long disp = BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(insn.RipDisplacementOffset));
                long target = (long)(s.Address + (ulong)insn.Length) + disp;
                long newDisp = target - (long)(next + (ulong)insn.Length);
                if (newDisp < int.MinValue || newDisp > int.MaxValue) continue;
                BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(insn.RipDisplacementOffset), (int)newDisp);
            }
            // jmp *0(%rip); .quad back
            code[insn.Length] = 0xff;
            code[insn.Length + 1] = 0x25;
            BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(insn.Length + 6), s.Address + (ulong)insn.Length);
            if (!WriteText(t, next, code.AsSpan(0, insn.Length + 14))) return 1;
            ScratchNext[start] = next + 32;
            s.Slot = next;
            return next;
        }
        return 1;
    }

    /// <summary>A copy for a forked child: same addresses and bytes (the child's memory is a copy).</summary>
    public AddressSpace CloneFor(int pid, bool sharesMemory)
    {
        var c = new AddressSpace(_tracer, pid, Exe) { Objects = Objects, InferiorTrap = InferiorTrap, ErrnoTpOffset = ErrnoTpOffset, SharesMemory = sharesMemory };
        foreach (var (a, s) in Sites)
            c.Sites[a] = new Site { Address = a, Code = s.Code, Instruction = s.Instruction, Inserted = s.Inserted, Function = s.Function, ReturnRefs = s.ReturnRefs, IsStart = s.IsStart, Slot = s.Slot };
        c.Scratch.AddRange(Scratch);
        foreach (var (k, v) in ScratchNext) c.ScratchNext[k] = v;
        lock (_ever) foreach (var a in _ever) c._ever.Add(a);
        return c;
    }

    /// <summary>
    /// Writes every original byte back through /proc/PID/mem, from any thread and while the tracee
    /// runs (the kernel writes text through FOLL_FORCE, as for PTRACE_POKEDATA). Used when tracing stops.
    /// </summary>
    public void RemoveAllThroughProcMem()
    {
        if (SharesMemory) return;
        SafeFileHandle? fd = null;
        try
        {
            fd = File.OpenHandle($"/proc/{Pid}/mem", FileMode.Open, FileAccess.ReadWrite);
            foreach (var s in Sites.Values)
            {
                if (!s.Inserted) continue;
                RandomAccess.Write(fd, s.Code.AsSpan(0, 1), (long)s.Address);
                s.Inserted = false;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        finally
        {
            fd?.Dispose();
        }
    }
}
