using System.Diagnostics;
using Procscope.Core.LibraryCalls;

namespace Procscope.Core.Tests.LibraryCalls;

public sealed class CxxDemanglerTests
{
    [Theory]
    // Expected texts are c++filt's (GNU binutils 2.40, Debian 12).
    [InlineData("_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEC1EPKcRKS3_",
        "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string(char const*, std::allocator<char> const&)")]
    [InlineData("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)")]
    [InlineData("_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc",
        "std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&, char const*)")]
    [InlineData("_ZNSolsEi", "std::basic_ostream<char, std::char_traits<char> >::operator<<(int)")]
    [InlineData("_Znwm", "operator new(unsigned long)")]
    [InlineData("_ZdlPvm", "operator delete(void*, unsigned long)")]
    [InlineData("_ZN3foo3barEv", "foo::bar()")]
    [InlineData("_ZNK3foo3getEv", "foo::get() const")]
    [InlineData("_ZN3FooD2Ev", "Foo::~Foo()")]
    [InlineData("_ZN12_GLOBAL__N_14workEPFviE", "(anonymous namespace)::work(void (*)(int))")]
    [InlineData("_ZTV3Foo", "vtable for Foo")]
    [InlineData("_Z5solveIdEvT_", "void solve<double>(double)")]
    [InlineData("_Z3sumPA3_i", "sum(int (*) [3])")]
    [InlineData("_ZN3foo3barEv.cold", "foo::bar() [clone .cold]")]
    public void Demangle_CommonNames_MatchCxxFilt(string mangled, string expected)
    {
        Assert.Equal(expected, CxxDemangler.Demangle(mangled));
    }

    [Theory]
    [InlineData("malloc")]
    [InlineData("_Z")]
    [InlineData("_ZN3foo")]
    [InlineData("_Z3fooS_")]
    public void Demangle_NotMangledOrBroken_ReturnsNull(string name)
    {
        Assert.Null(CxxDemangler.Demangle(name));
    }

    /// <summary>Every function exported by the system's libstdc++ that we demangle must read exactly as c++filt prints it.</summary>
    [Fact]
    public async Task Demangle_LibStdCxxExports_AgreeWithCxxFilt()
    {
        var lib = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        if (lib is null || !File.Exists("/usr/bin/c++filt")) Assert.Skip("libstdc++ or c++filt (binutils) missing");
        var elf = Procscope.Core.Elf.ElfFile.Parse(File.ReadAllBytes(lib));
        var names = elf.DynamicSymbols.Where(s => s.Name.StartsWith("_Z", StringComparison.Ordinal)).Select(s => s.Name).Distinct().ToList();
        Assert.True(names.Count > 1000, $"only {names.Count} mangled names in {lib}");
        var psi = new ProcessStartInfo("/usr/bin/c++filt") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        foreach (var n in names) p.StandardInput.WriteLine(n);
        p.StandardInput.Close();
        var expected = (await output).Split('\n');
        int ours = 0;
        var wrong = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            var d = CxxDemangler.Demangle(names[i]);
            if (d is null) continue;
            ours++;
            if (d != expected[i]) wrong.Add($"{names[i]}\n  ours:     {d}\n  c++filt:  {expected[i]}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {ours} differ:\n" + string.Join("\n", wrong.Take(15)));
        // Most names must be understood, not skipped.
        Assert.True(ours >= names.Count * 9 / 10, $"demangled only {ours} of {names.Count}");
    }
}
