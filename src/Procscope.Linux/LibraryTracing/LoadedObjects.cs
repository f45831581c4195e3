using Procscope.Core.Elf;
using Procscope.Core.Process;

namespace Procscope.Linux.LibraryTracing;

/// <summary>One ELF file mapped into a traced process: where it is loaded and what it exports.</summary>
public sealed class LoadedObject
{
    public required string Path { get; init; }
    /// <summary>The file name (libc.so.6), what -e 'x@LIB' and -l match.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
    public required ElfFile Elf { get; init; }
    /// <summary>Added to the file's virtual addresses (0 for an ET_EXEC main program).</summary>
    public required ulong Bias { get; init; }
    /// <summary>Address ranges of its executable mappings.</summary>
    public required IReadOnlyList<(ulong Start, ulong End)> Code { get; init; }
    /// <summary>The lowest and one past the highest mapped address of the file.</summary>
    public required ulong Start { get; init; }
    public required ulong End { get; init; }
    public bool IsMain { get; init; }

    public bool Contains(ulong address) => address >= Start && address < End;
}

/// <summary>
/// The ELF objects mapped into a process, from /proc/PID/maps and the files themselves: the
/// main program, the dynamic loader and the shared libraries, in map order (which follows load
/// order for the loader's own mappings). Symbol lookup follows the dynamic linker's rule closely
/// enough for tracing: the first object in that order that defines the name with its default version.
/// </summary>
public sealed class LoadedObjects
{
    private readonly List<LoadedObject> _objects;

    private LoadedObjects(List<LoadedObject> objects) => _objects = objects;

    public IReadOnlyList<LoadedObject> All => _objects;
    public LoadedObject? Main => _objects.FirstOrDefault(o => o.IsMain);

    /// <summary>The object whose mappings hold <paramref name="address"/>, or null (anonymous memory, JIT code, the vDSO).</summary>
    public LoadedObject? Find(ulong address)
    {
        foreach (var o in _objects)
            if (o.Contains(address)) return o;
        return null;
    }

    /// <summary>
    /// Reads /proc/PID/maps and parses each mapped ELF file once. <paramref name="exePath"/> is the
    /// main program as /proc/PID/exe names it. Files that cannot be read or parsed are skipped (their
    /// calls cannot be resolved); the vDSO is not a file and is skipped.
    /// </summary>
    public static LoadedObjects Read(int pid, string exePath, Func<string, ElfFile?>? cache = null)
    {
        var maps = ProcessMaps.Parse(File.ReadAllBytes($"/proc/{pid}/maps"));
        var byPath = new Dictionary<string, List<MemoryMapping>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var m in maps.Mappings)
        {
            if (m.PathBytes.Length == 0 || m.PathBytes[0] != (byte)'/' || m.Deleted) continue;
            string path = System.Text.Encoding.UTF8.GetString(m.PathBytes);
            if (!byPath.TryGetValue(path, out var list)) { byPath[path] = list = []; order.Add(path); }
            list.Add(m);
        }
        var objects = new List<LoadedObject>();
        foreach (var path in order)
        {
            var maps1 = byPath[path];
            var first = maps1.FirstOrDefault(m => m.Offset == 0);
            if (first is null) continue;
            ElfFile? elf = cache is not null ? cache(path) : TryParse(pid, path);
            if (elf is null || elf.Segments.Count == 0) continue;
            ulong bias = first.Start - elf.LinkBase;
            objects.Add(new LoadedObject
            {
                Path = path,
                Elf = elf,
                Bias = bias,
                Code = maps1.Where(m => m.Executable).Select(m => (m.Start, m.End)).ToList(),
                Start = maps1.Min(m => m.Start),
                End = maps1.Max(m => m.End),
                IsMain = path == exePath,
            });
        }
        return new LoadedObjects(objects);
    }

    /// <summary>Parses an ELF file as the process sees it (through /proc/PID/root when the path is not visible here).</summary>
    public static ElfFile? TryParse(int pid, string path)
    {
        foreach (var candidate in new[] { path, $"/proc/{pid}/root{path}" })
        {
            try
            {
                return ElfFile.Parse(File.ReadAllBytes(candidate));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            catch (ElfFormatException) { return null; }
        }
        return null;
    }

    /// <summary>
    /// Resolves a function name to (object, symbol) the way the dynamic linker binds an undefined
    /// reference: the first object, in search order, whose .dynsym defines it (default version only).
    /// The main program is searched first (it may interpose), then the others.
    /// </summary>
    public (LoadedObject Object, ElfSymbol Symbol)? Resolve(string name, LoadedObject? exclude = null)
    {
        foreach (var o in _objects.OrderBy(o => o.IsMain ? 0 : 1))
        {
            if (o == exclude) continue;
            foreach (var s in Exports(o))
                if (s.Name == name) return (o, s);
        }
        return null;
    }

    private readonly Dictionary<LoadedObject, List<ElfSymbol>> _exports = new();

    /// <summary>The functions an object exports (defined .dynsym functions and IFUNCs, default versions).</summary>
    public List<ElfSymbol> Exports(LoadedObject o)
    {
        if (!_exports.TryGetValue(o, out var list))
            _exports[o] = list = o.Elf.DynamicSymbols.Where(s => s.IsDefined && s.IsFunction && s.Name.Length > 0 && !s.HiddenVersion).ToList();
        return list;
    }
}
