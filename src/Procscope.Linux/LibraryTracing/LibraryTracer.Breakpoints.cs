using System.Buffers.Binary;
using System.Diagnostics;
using Procscope.Core.Elf;
using Procscope.Core.LibraryCalls;
using Procscope.Linux.Interop;
using Procscope.Linux.Tracing;

namespace Procscope.Linux.LibraryTracing;

public sealed unsafe partial class LibraryTracer
{
    private static readonly bool s_debug = Environment.GetEnvironmentVariable("PROCSCOPE_LTRACE_DEBUG") == "1";
    /// <summary>Names that are start-up and shutdown plumbing, not calls the program's code makes.</summary>
    private static readonly HashSet<string> s_plumbing = new(StringComparer.Ordinal)
    {
        "__libc_start_main", "__cxa_finalize", "__gmon_start__", "_ITM_registerTMCloneTable", "_ITM_deregisterTMCloneTable",
        "__stack_chk_fail", "_Jv_RegisterClasses",
    };

    /// <summary>
    /// Libraries are loaded (the program's entry point was reached, or we attached): resolve the
    /// traced functions in the loaded objects' dynamic symbols, make the scratch pages, and insert
    /// the entry breakpoints. <paramref name="trapAddress"/> is the start trap (0 when attaching).
    /// </summary>
    private void SetUp(AddressSpace space, TraceeThread t, ulong trapAddress)
    {
        var objects = LoadedObjects.Read(space.Pid, space.Exe, Cached);
        space.Objects = objects;
        var main = objects.Main;
        if (main is null)
        {
            _sink.OnNotice($"{space.Exe}: the program is not among its own mappings; nothing to trace");
            return;
        }
        if (!t.TryGetRegisters(out var saved)) return;
        ulong codeAt = trapAddress != 0 ? trapAddress : saved.rip;
        MakeScratch(space, t, saved, codeAt, main, objects);
        space.ErrnoTpOffset = FindErrnoOffset(t, objects);

        var functions = Plan(objects, main);
        foreach (var (fn, symbol) in functions)
        {
            ulong address = fn.Library.Bias + symbol.Value;
            if (symbol.Type == ElfSymbolType.GnuIfunc)
            {
                // The symbol is the resolver: ask it, in the tracee, which implementation this CPU uses.
                ulong impl = space.InferiorTrap != 0 ? InferiorCall(t, saved, address, space.InferiorTrap) : 0;
                if (impl == 0) continue;
                address = impl;
            }
            var site = space.GetOrCreateSite(t, address);
            if (site is null) continue;
            // Aliases (memcpy and memmove may share an implementation) keep the first name.
            if (site.Function is not null) continue;
            site.Function = fn;
            lock (_lock) space.Insert(t, site);
        }
        t.TrySetRegisters(saved);
        if (trapAddress != 0 && space.SiteAt(trapAddress) is { } start)
        {
            start.IsStart = false;
            if (start.Function is null && start.ReturnRefs == 0) lock (_lock) space.Remove(t, start);
        }
    }

    /// <summary>The functions to trace and their defining symbols.</summary>
    private List<(TracedFunction Function, ElfSymbol Symbol)> Plan(LoadedObjects objects, LoadedObject main)
    {
        var result = new List<(TracedFunction, ElfSymbol)>();
        var seen = new HashSet<(LoadedObject, ulong)>();
        void Add(string name, LoadedObject lib, ElfSymbol sym, CallerRule rule)
        {
            if (!seen.Add((lib, sym.Value))) return;
            if (!_options.Filter(name, lib.IsMain ? "" : lib.FileName)) return;
            var proto = _options.Prototypes.Find(name) ?? CallPrototype.Unknown(name);
            result.Add((new TracedFunction { Name = name, Library = lib, Prototype = proto, Callers = rule }, sym));
        }
        if (_options.Libraries.Count == 0)
        {
            foreach (var import in main.Elf.ImportedFunctions)
            {
                if (s_plumbing.Contains(import.Name)) continue;
                if (objects.Resolve(import.Name, exclude: main) is { } r) Add(import.Name, r.Object, r.Symbol, CallerRule.MainProgram);
            }
        }
        else
        {
            foreach (var lib in objects.All)
            {
                if (lib.IsMain || !_options.Libraries.Any(p => Glob.Match(p, lib.FileName) || Glob.Match(p, lib.Elf.SoName ?? ""))) continue;
                foreach (var sym in objects.Exports(lib))
                    if (!s_plumbing.Contains(sym.Name)) Add(sym.Name, lib, sym, CallerRule.OtherObjects);
            }
        }
        if (_options.ProgramSymbols.Count > 0)
        {
            var own = main.Elf.Symbols.Count > 0 ? main.Elf.Symbols : main.Elf.DynamicSymbols;
            foreach (var sym in own)
                if (sym.IsDefined && sym.IsFunction && sym.Value != 0 && _options.ProgramSymbols.Any(p => Glob.Match(p, sym.Name)))
                    Add(sym.Name, main, sym, CallerRule.Anywhere);
        }
        return result;
    }

    // ------------------------------------------------------------------ traps

    /// <summary>A SIGTRAP from an int3: ours when an entry, return or start site is at rip-1. Returns false for a foreign trap.</summary>
    private bool HandleTrap(TraceeThread t, ThreadState state)
    {
        if (!t.TryGetRegisters(out var regs)) return false;
        ulong addr = regs.rip - 1;
        if (!_spaces.TryGetValue(t.Tgid, out var space)) return false;
        Site? site;
        lock (_lock) site = space.SiteAt(addr);
        if (site is null || !site.Inserted)
        {
            // Removed by a stop request between the trap and now: run the original instruction.
            if (space.WasBreakpoint(addr))
            {
                regs.rip = addr;
                t.TrySetRegisters(regs);
                return true;
            }
            return false;
        }
        if (site.IsStart)
        {
            regs.rip = addr;
            t.TrySetRegisters(regs);
            SetUp(space, t, addr);
            if (!site.Inserted) return true;
            t.TryGetRegisters(out regs);
            regs.rip = addr;
            StepOver(t, space, site, ref regs);
            return true;
        }
        regs.rip = addr;
        if (site.ReturnRefs == 0 && site.Function is null)
        {
            // A return site with no call in flight (a jump to it, or a signal handler's return there).
            StepOver(t, space, site, ref regs);
            return true;
        }
        if (s_debug) Console.Error.WriteLine($"trap tid {t.Tid} at {addr:x} rsp {regs.rsp:x} refs {site.ReturnRefs} fn {site.Function?.Name} frames {string.Join(",", state.Frames.Select(f => $"{f.Return.Address:x}/{f.EntryRsp:x}"))}");
        if (site.ReturnRefs > 0 && PopFrame(t, state, space, site, regs))
        {
            if (site.Inserted) StepOver(t, space, site, ref regs);
            else t.TrySetRegisters(regs);
            return true;
        }
        if (site.Function is { } fn) Entry(t, state, space, site, fn, regs);
        StepOver(t, space, site, ref regs);
        return true;
    }

    private void Entry(TraceeThread t, ThreadState state, AddressSpace space, Site site, TracedFunction fn, in UserRegs regs)
    {
        if (!IsReported(t.Tgid)) return;
        Span<byte> word = stackalloc byte[8];
        if (t.Read(regs.rsp, word) != 8) return;
        ulong ret = BinaryPrimitives.ReadUInt64LittleEndian(word);
        var caller = space.Objects?.Find(ret);
        bool allowed = fn.Callers switch
        {
            CallerRule.MainProgram => caller is { IsMain: true },
            CallerRule.OtherObjects => caller is not null && caller != fn.Library,
            _ => true,
        };
        if (!allowed) return;
        var frame = new RegisterFrame(t, regs);
        var call = new LibraryCall
        {
            Pid = t.Tgid,
            Tid = t.Tid,
            Name = fn.Name,
            Library = fn.Library.FileName,
            ReturnAddress = ret,
            Arguments = CallFormatter.FormatEntry(fn.Prototype, frame, _options.Format),
            EntryTimestamp = Stopwatch.GetTimestamp(),
            EntryWallClock = DateTimeOffset.UtcNow,
            Depth = state.Frames.Count,
        };
        if (fn.Prototype.Return == CallValueType.Void && !_options.TimeCalls && fn.Prototype.FormatIndex < 0
            && !fn.Prototype.Arguments.Contains(CallValueType.OutString))
        {
            // Nothing to learn at its return: report it whole now and save the return stop.
            call.ReturnText = "<void>";
            call.ReturnTimestamp = call.EntryTimestamp;
            _sink.OnEntry(call);
            _sink.OnReturn(call);
            return;
        }
        Site? retSite;
        lock (_lock) retSite = space.AddReturn(t, ret);
        if (retSite is not null)
            state.Frames.Add(new Frame { Tid = t.Tid, Return = retSite, EntryRsp = regs.rsp, Function = fn, Call = call });
        _sink.OnEntry(call);
        if (retSite is null)
        {
            // No way to see the return (unwritable address): report the call as returned with no value.
            call.ReturnText = "?";
            call.ReturnTimestamp = call.EntryTimestamp;
            _sink.OnReturn(call);
        }
    }

    /// <summary>A return breakpoint: completes this thread's call returning here (and drops calls a longjmp abandoned).</summary>
    private bool PopFrame(TraceeThread t, ThreadState state, AddressSpace space, Site site, in UserRegs regs)
    {
        var frames = state.Frames;
        int match = -1;
        for (int i = frames.Count - 1; i >= 0; i--)
            if (frames[i].Return == site && frames[i].EntryRsp + 8 == regs.rsp) { match = i; break; }
        if (match < 0) return false;
        // Frames above the match never returned (longjmp, exceptions): release them silently.
        for (int i = frames.Count - 1; i > match; i--)
        {
            lock (_lock) space.ReleaseReturn(t, frames[i].Return);
            frames.RemoveAt(i);
        }
        var f = frames[match];
        frames.RemoveAt(match);
        var call = f.Call;
        var proto = f.Function.Prototype;
        call.ReturnValue = regs.rax;
        call.ReturnTimestamp = Stopwatch.GetTimestamp();
        var frame = new RegisterFrame(t, regs);
        int? errno = null;
        if (CallFormatter.IsFailure(proto, regs.rax) && space.ErrnoTpOffset is { } off)
        {
            Span<byte> e = stackalloc byte[4];
            if (t.Read(regs.fs_base + (ulong)off, e) == 4) errno = BinaryPrimitives.ReadInt32LittleEndian(e);
        }
        call.Errno = errno;
        double? xmm0 = proto.Return == CallValueType.Double ? frame.Double(0) : null;
        call.Arguments.Complete(frame, _options.Format);
        call.ReturnText = CallFormatter.FormatReturn(proto, regs.rax, xmm0, frame, _options.Format, errno);
        lock (_lock) space.ReleaseReturn(t, site);
        _sink.OnReturn(call);
        return true;
    }

    /// <summary>
    /// Moves the thread past the instruction under a breakpoint without removing it: emulates it,
    /// or runs its copy in a scratch slot that jumps back, or (last resort) restores the byte and
    /// single-steps. <paramref name="regs"/>.rip is the site's address.
    /// </summary>
    private void StepOver(TraceeThread t, AddressSpace space, Site site, ref UserRegs regs)
    {
        var insn = site.Instruction;
        if (insn.IsEmulated)
        {
            var st = ToState(regs);
            var thread = t;
            if (insn.Emulate(ref st,
                (a, v) =>
                {
                    Span<byte> b = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(b, v);
                    return thread.Write(a, b) == 8 || thread.TryPoke(a, v);
                },
                (ulong a, out ulong v) =>
                {
                    Span<byte> b = stackalloc byte[8];
                    bool ok = thread.Read(a, b) == 8;
                    v = BinaryPrimitives.ReadUInt64LittleEndian(b);
                    return ok;
                }))
            {
                FromState(st, ref regs);
                t.TrySetRegisters(regs);
                _emulated++;
                return;
            }
        }
        ulong slot;
        lock (_lock) slot = space.SlotFor(t, site);
        if (slot > 1)
        {
            regs.rip = slot;
            t.TrySetRegisters(regs);
            _outOfLine++;
            return;
        }
        // Single-step with the original byte back in place. Another thread may run past the
        // address meanwhile and miss one call; this path is for instructions neither emulated
        // nor relocatable (e.g. an indirect jump at a return address).
        lock (_lock)
        {
            AddressSpace.WriteByte(t, site.Address, site.Code[0]);
            t.TrySetRegisters(regs);
            t.SingleStep();
            if (site.Inserted) AddressSpace.WriteByte(t, site.Address, 0xcc);
        }
        _singleStepped++;
    }

    private static X64State ToState(in UserRegs r)
    {
        var s = new X64State { Rip = r.rip, Eflags = r.eflags };
        s[Gpr.Rax] = r.rax; s[Gpr.Rcx] = r.rcx; s[Gpr.Rdx] = r.rdx; s[Gpr.Rbx] = r.rbx;
        s[Gpr.Rsp] = r.rsp; s[Gpr.Rbp] = r.rbp; s[Gpr.Rsi] = r.rsi; s[Gpr.Rdi] = r.rdi;
        s[Gpr.R8] = r.r8; s[Gpr.R9] = r.r9; s[Gpr.R10] = r.r10; s[Gpr.R11] = r.r11;
        s[Gpr.R12] = r.r12; s[Gpr.R13] = r.r13; s[Gpr.R14] = r.r14; s[Gpr.R15] = r.r15;
        return s;
    }

    private static void FromState(in X64State s, ref UserRegs r)
    {
        r.rip = s.Rip; r.eflags = s.Eflags;
        r.rax = s[Gpr.Rax]; r.rcx = s[Gpr.Rcx]; r.rdx = s[Gpr.Rdx]; r.rbx = s[Gpr.Rbx];
        r.rsp = s[Gpr.Rsp]; r.rbp = s[Gpr.Rbp]; r.rsi = s[Gpr.Rsi]; r.rdi = s[Gpr.Rdi];
        r.r8 = s[Gpr.R8]; r.r9 = s[Gpr.R9]; r.r10 = s[Gpr.R10]; r.r11 = s[Gpr.R11];
        r.r12 = s[Gpr.R12]; r.r13 = s[Gpr.R13]; r.r14 = s[Gpr.R14]; r.r15 = s[Gpr.R15];
    }

    // ------------------------------------------------------------------ running code in the tracee

    /// <summary>
    /// Maps the scratch pages: one near the main program and one near the libraries (mmap's own
    /// choice), so RIP-relative instructions of both can be copied within ±2 GiB. Runs
    /// "syscall; int3" at <paramref name="codeAt"/> (its bytes restored after).
    /// </summary>
    private void MakeScratch(AddressSpace space, TraceeThread t, in UserRegs saved, ulong codeAt, LoadedObject main, LoadedObjects objects)
    {
        const ulong Size = 64 * 1024;
        foreach (ulong hint in new[] { 0UL, main.Start > 0x10000000 ? (main.Start - 0x1000000) & ~0xfffUL : 0x1000000UL })
        {
            ulong addr = InferiorSyscall(t, saved, codeAt, 9, hint, Size, 5 /* PROT_READ|PROT_EXEC */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, ulong.MaxValue, 0);
            if (addr == 0 || addr > 0xffff_ffff_ffff_f000UL) continue;
            space.Scratch.Add((addr, addr + Size));
            space.ScratchNext[addr] = addr + 32;
            if (space.InferiorTrap == 0)
            {
                AddressSpace.WriteByte(t, addr, 0xcc);
                space.InferiorTrap = addr;
            }
        }
    }

    /// <summary>Runs one system call in the tracee: "syscall; int3" written at <paramref name="codeAt"/>, then restored.</summary>
    private ulong InferiorSyscall(TraceeThread t, in UserRegs saved, ulong codeAt, ulong nr, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5, ulong a6)
    {
        Span<byte> original = stackalloc byte[8];
        if (t.Read(codeAt, original) != 8) return 0;
        ulong origWord = BinaryPrimitives.ReadUInt64LittleEndian(original);
        ulong aligned = codeAt & ~7UL;
        // Write syscall (0f 05) and int3 (cc) byte by byte (codeAt need not be aligned).
        if (!AddressSpace.WriteText(t, codeAt, [0x0f, 0x05, 0xcc])) return 0;
        var r = saved;
        r.rip = codeAt;
        r.rax = nr; r.rdi = a1; r.rsi = a2; r.rdx = a3; r.r10 = a4; r.r8 = a5; r.r9 = a6;
        r.orig_rax = ulong.MaxValue; // not inside a system call: no restart logic on resume
        ulong result = Run(t, r) is { } after ? after.rax : 0;
        AddressSpace.WriteText(t, codeAt, original[..3]);
        _ = origWord;
        _ = aligned;
        return result;
    }

    /// <summary>Calls a function of no arguments in the tracee (an IFUNC resolver) and returns rax; 0 on failure.</summary>
    private ulong InferiorCall(TraceeThread t, in UserRegs saved, ulong function, ulong trap)
    {
        var r = saved;
        // Below the red zone, 16-byte aligned at the call, with the trap as return address.
        ulong sp = ((saved.rsp - 1024) & ~15UL) - 8;
        Span<byte> ret = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(ret, trap);
        if (t.Write(sp, ret) != 8 && !t.TryPoke(sp, trap)) return 0;
        r.rsp = sp;
        r.rip = function;
        r.rax = 0;
        r.orig_rax = ulong.MaxValue;
        var after = Run(t, r);
        return after is { } a && a.rip == trap + 1 ? a.rax : 0;
    }

    /// <summary>Sets the registers, continues, and waits for this thread's SIGTRAP; other signals met meanwhile are suppressed.</summary>
    private UserRegs? Run(TraceeThread t, in UserRegs r)
    {
        if (!t.TrySetRegisters(r)) return null;
        int signal = 0;
        for (int tries = 0; tries < 100; tries++)
        {
            if (LibC.ptrace(LibC.PTRACE_CONT, t.Tid, 0, signal) < 0) return null;
            int status = WaitFor(t.Tid);
            if (!WIfStopped(status)) return null;
            int sig = (status >> 8) & 0xff;
            if (sig == SIGTRAP && (status >> 16) == 0) return t.TryGetRegisters(out var after) ? after : null;
            signal = 0;
        }
        return null;
    }

    /// <summary>
    /// errno's offset from fs_base: libc's TLS symbol "errno" plus the thread-pointer offset of libc's
    /// TLS block, read from a relocated R_X86_64_TPOFF64 slot of libc's GOT.
    /// </summary>
    private static long? FindErrnoOffset(TraceeThread t, LoadedObjects objects)
    {
        foreach (var o in objects.All)
        {
            var errno = o.Elf.DynamicSymbols.FirstOrDefault(s => s.Name == "errno" && s.Type == ElfSymbolType.Tls && s.IsDefined);
            if (errno.Name is null) continue;
            foreach (var rel in o.Elf.Relocations)
            {
                if (rel.Type != 18 || rel.Symbol != 0) continue; // R_X86_64_TPOFF64 against the module itself
                Span<byte> b = stackalloc byte[8];
                if (t.Read(o.Bias + rel.Offset, b) != 8) continue;
                long slot = BinaryPrimitives.ReadInt64LittleEndian(b);
                long moduleOffset = slot - rel.Addend;
                return moduleOffset + (long)errno.Value;
            }
        }
        return null;
    }

    /// <summary>Arguments of a stopped call: registers, then the stack above the return address; xmm from PTRACE_GETFPREGS on demand.</summary>
    private sealed class RegisterFrame(TraceeThread t, UserRegs regs) : ICallFrame
    {
        private UserFpRegs _fp;
        private bool _haveFp;

        public ulong Integer(int index)
        {
            switch (index)
            {
                case 0: return regs.rdi;
                case 1: return regs.rsi;
                case 2: return regs.rdx;
                case 3: return regs.rcx;
                case 4: return regs.r8;
                case 5: return regs.r9;
            }
            Span<byte> b = stackalloc byte[8];
            return t.Read(regs.rsp + 8 + (ulong)(index - 6) * 8, b) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        }

        public double? Double(int index)
        {
            if (index > 7) return null;
            if (!_haveFp)
            {
                fixed (UserFpRegs* p = &_fp)
                    if (LibC.ptrace(UserFpRegs.PTRACE_GETFPREGS, t.Tid, 0, (nint)p) < 0) return null;
                _haveFp = true;
            }
            // The low 8 bytes of xmm<index>.
            fixed (uint* x = _fp.xmm_space)
                return BitConverter.Int64BitsToDouble(*(long*)(x + index * 4));
        }

        public int Read(ulong address, Span<byte> destination) => t.Read(address, destination);
    }
}
