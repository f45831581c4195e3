using System.Diagnostics;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>UserFpRegs (ltrace's double arguments) against offsetof() in sys/user.h.</summary>
public sealed class UserFpRegsLayoutTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stddef.h>
        #include <sys/user.h>
        int main(void) {
            printf("%zu %zu %zu %zu\n", sizeof(struct user_fpregs_struct), offsetof(struct user_fpregs_struct, mxcsr),
                   offsetof(struct user_fpregs_struct, st_space), offsetof(struct user_fpregs_struct, xmm_space));
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layout_MatchesSysUserH()
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var dir = Directory.CreateTempSubdirectory("procscope-fpregs");
        try
        {
            var src = Path.Combine(dir.FullName, "f.c");
            var exe = Path.Combine(dir.FullName, "f");
            File.WriteAllText(src, Program);
            using (var p = Process.Start(cc, [src, "-o", exe])!) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true };
            using var run = Process.Start(psi)!;
            var values = run.StandardOutput.ReadToEnd().Trim().Split(' ').Select(int.Parse).ToArray();
            run.WaitForExit();
            UserFpRegs r = default;
            Assert.Equal(values, new[]
            {
                sizeof(UserFpRegs), (int)((byte*)&r.mxcsr - (byte*)&r), (int)((byte*)r.st_space - (byte*)&r), (int)((byte*)r.xmm_space - (byte*)&r),
            });
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
