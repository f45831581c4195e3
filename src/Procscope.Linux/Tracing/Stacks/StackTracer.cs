using System.Text;
using Procscope.Core.Process;
using Procscope.Core.Syscalls;
using Procscope.Core.Unwind;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing.Stacks;

/// <summary>
/// Stack traces of traced threads (strace -k): the thread's registers (PTRACE_GETREGS), the
/// process's mappings from /proc/PID/maps (cached per process until a call that changes mappings
/// invalidates them, as strace's mmap cache), each mapped ELF file read and parsed once for the
/// whole trace (CFI and symbols), and the stack read through the tracee's memory, a page at a time.
/// Call only on the tracer thread, inside a ptrace-stop.
/// </summary>
public sealed class StackTracer
{
    /// <summary>Files larger than this are not read (no names, no CFI): nothing real is this big.</summary>
    private const long MaxFileBytes = 1L << 30;

    private readonly ProcFs _proc;
    private readonly Dictionary<int, ProcessAddressSpace> _spaces = new();
    private readonly Dictionary<(string Path, string Device, ulong Inode), UnwindModule> _modules = new();
    private readonly X64Unwinder _unwinder = new();
    private readonly PageCache _memory = new();
    private readonly ulong[] _regs = new ulong[CfiRow.RegisterCount];
    private readonly List<StackFrame> _frames = new(32);

    public StackTracer(ProcFs proc) => _proc = proc;

    /// <summary>
    /// x86-64 system calls after which strace rebuilds its mapping cache (MEMORY_MAPPING_CHANGE in its
    /// tables): mmap, mprotect, munmap, mremap, shmat, execve, shmdt, remap_file_pages, execveat,
    /// pkey_mprotect. brk is left out: it never maps code.
    /// </summary>
    public static ReadOnlySpan<int> MappingCalls => [9, 10, 11, 25, 30, 59, 67, 216, 322, 329];

    public static bool ChangesMappings(SyscallAbi abi, long number) =>
        abi == SyscallAbi.X64 && MappingCalls.Contains((int)number);

    /// <summary>The mappings of process <paramref name="tgid"/> may have changed: read them again at the next capture.</summary>
    public void Invalidate(int tgid) => _spaces.Remove(tgid);

    /// <summary>
    /// The stack of a stopped thread, innermost frame first. Empty when the registers cannot be read
    /// (the thread is gone) or the maps are unreadable. The list is reused by the next call.
    /// </summary>
    public IReadOnlyList<StackFrame> Capture(TraceeThread thread)
    {
        _frames.Clear();
        if (!thread.TryGetRegisters(out var r)) return _frames;
        if (!_spaces.TryGetValue(thread.Tgid, out var space))
        {
            var maps = _proc.TryRead<ProcessMaps>($"{thread.Tgid}/maps");
            if (maps is null) return _frames;
            _spaces[thread.Tgid] = space = new ProcessAddressSpace(this, thread.Tgid, maps);
        }
        _regs[0] = r.rax; _regs[1] = r.rdx; _regs[2] = r.rcx; _regs[3] = r.rbx;
        _regs[4] = r.rsi; _regs[5] = r.rdi; _regs[6] = r.rbp; _regs[7] = r.rsp;
        _regs[8] = r.r8; _regs[9] = r.r9; _regs[10] = r.r10; _regs[11] = r.r11;
        _regs[12] = r.r12; _regs[13] = r.r13; _regs[14] = r.r14; _regs[15] = r.r15;
        _regs[16] = r.rip;
        _memory.Reset(thread);
        _unwinder.Unwind(_regs, space, _memory, _frames);
        return _frames;
    }

    private static readonly byte[] DeletedSuffix = " (deleted)"u8.ToArray();

    /// <summary>The file behind a mapping, read once per (path, device, inode) for the whole trace.</summary>
    internal UnwindModule? ModuleFor(int tgid, MemoryMapping m)
    {
        if (m.PathBytes.Length == 0 || m.PathBytes[0] != (byte)'/') return null; // [vdso], [heap], anonymous
        string path = Encoding.UTF8.GetString(m.Deleted ? m.PathBytes.AsSpan(0, m.PathBytes.Length - DeletedSuffix.Length) : m.PathBytes);
        var key = (path, m.Device, m.Inode);
        if (_modules.TryGetValue(key, out var module)) return module;
        // The path first (what strace's libunwind opens); the mapping itself when the file was
        // replaced or deleted, or lives in another mount namespace (map_files needs CAP_SYS_ADMIN).
        byte[]? bytes = m.Deleted ? null : TryReadFile(path);
        bytes ??= TryReadFile(_proc.PathOf($"{tgid}/map_files/{m.Start:x}-{m.End:x}"));
        module = bytes is null ? UnwindModule.Load([]) : UnwindModule.Load(bytes, DebugFileFor(path, bytes));
        _modules[key] = module;
        return module;
    }

    /// <summary>
    /// The separate debug file a stripped binary names in .gnu_debuglink, looked for where libunwind
    /// looks (no CRC check, as libunwind): beside the file, in .debug/ beside it, and under
    /// /usr/lib/debug with the file's directory. Its .symtab then names the frames.
    /// </summary>
    private static byte[]? DebugFileFor(string path, byte[] bytes)
    {
        if (UnwindModule.DebugLinkOf(bytes) is not { } link) return null;
        string dir = Path.GetDirectoryName(path) ?? "";
        foreach (var candidate in (ReadOnlySpan<string>)[$"{dir}/{link}", $"{dir}/.debug/{link}", $"/usr/lib/debug{dir}/{link}"])
        {
            if (candidate == path) continue;
            if (TryReadFile(candidate) is { } debug && UnwindModule.IsElf(debug)) return debug;
        }
        return null;
    }

    private static byte[]? TryReadFile(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            if (fs.Length > MaxFileBytes || fs.Length < 64) return null;
            var bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One process's mappings as strace's mmap cache keeps them: every mapping that has a
    /// name, in address order, overlapping and repeated ones dropped; modules loaded on first use.</summary>
    private sealed class ProcessAddressSpace : IAddressSpace
    {
        private readonly StackTracer _owner;
        private readonly int _tgid;
        private readonly MemoryMapping[] _maps;
        private readonly MappedRegion?[] _regions;

        public ProcessAddressSpace(StackTracer owner, int tgid, ProcessMaps maps)
        {
            _owner = owner;
            _tgid = tgid;
            var list = new List<MemoryMapping>(maps.Mappings.Count);
            foreach (var m in maps.Mappings)
            {
                if (m.PathBytes.Length == 0 || m.End < m.Start) continue;
                if (list.Count > 0 && (m.Start < list[^1].End || m.Start <= list[^1].Start)) continue;
                list.Add(m);
            }
            _maps = list.ToArray();
            _regions = new MappedRegion?[_maps.Length];
        }

        public bool TryFind(ulong address, out MappedRegion region)
        {
            region = default;
            int lo = 0, hi = _maps.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                var m = _maps[mid];
                if (address < m.Start) hi = mid - 1;
                else if (address >= m.End) lo = mid + 1;
                else
                {
                    region = _regions[mid] ??= Build(m);
                    return true;
                }
            }
            return false;
        }

        private MappedRegion Build(MemoryMapping m)
        {
            var module = m.Executable ? _owner.ModuleFor(_tgid, m) : null;
            ulong bias = module?.BiasFor(m.Start, m.Offset) ?? m.Start - m.Offset;
            return new MappedRegion(m.Start, m.End, m.Offset, m.Executable, m.PathBytes, module, bias, module?.SymbolBiasFor(m.Start, m.Offset) ?? 0);
        }
    }

    /// <summary>Tracee memory for the unwinder: whole pages read once per capture (a stack walk
    /// reads a few words from one or two pages), through process_vm_readv or PTRACE_PEEKDATA.</summary>
    private sealed class PageCache : IUnwindMemory
    {
        private const int Slots = 4, PageSize = 4096;
        private readonly byte[][] _pages = [new byte[PageSize], new byte[PageSize], new byte[PageSize], new byte[PageSize]];
        private readonly ulong[] _base = new ulong[Slots];
        private readonly int[] _length = new int[Slots];
        private int _used, _next;
        private TraceeThread? _thread;

        public void Reset(TraceeThread thread)
        {
            _thread = thread;
            _used = 0;
            _next = 0;
        }

        public bool TryReadUInt64(ulong address, out ulong value)
        {
            value = 0;
            if (address > ulong.MaxValue - 8) return false;
            Span<byte> buf = stackalloc byte[8];
            for (int i = 0; i < 8;)
            {
                ulong at = address + (ulong)i;
                ulong page = at & ~(ulong)(PageSize - 1);
                int slot = Find(page);
                if (slot < 0) return false;
                int off = (int)(at - page);
                int take = Math.Min(8 - i, _length[slot] - off);
                if (take <= 0) return false;
                _pages[slot].AsSpan(off, take).CopyTo(buf[i..]);
                i += take;
            }
            value = BitConverter.ToUInt64(buf);
            return true;
        }

        private int Find(ulong page)
        {
            for (int i = 0; i < _used; i++)
                if (_base[i] == page) return _length[i] > 0 ? i : -1;
            int slot = _used < Slots ? _used++ : _next++ % Slots;
            _base[slot] = page;
            _length[slot] = _thread!.Read(page, _pages[slot]);
            return _length[slot] > 0 ? slot : -1;
        }
    }
}
