using System.Diagnostics;
using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>struct rusage and struct timespec in Structs.Rusage.X64.cs against offsetof() from the system headers.</summary>
public sealed class RusageLayoutTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stddef.h>
        #include <time.h>
        #include <sys/resource.h>
        #define O(f) (int)offsetof(struct rusage, f)
        int main(void) {
            printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d\n", (int)sizeof(struct rusage), O(ru_utime), O(ru_stime),
                   O(ru_maxrss), O(ru_ixrss), O(ru_idrss), O(ru_isrss), O(ru_minflt), O(ru_majflt), O(ru_nswap), O(ru_inblock),
                   O(ru_oublock), O(ru_msgsnd), O(ru_msgrcv), O(ru_nsignals), O(ru_nvcsw), O(ru_nivcsw));
            printf("%d %d\n", (int)sizeof(struct timespec), (int)offsetof(struct timespec, tv_nsec));
            return 0;
        }
        """;

    [Fact]
    public unsafe void Rusage_MatchesSystemHeaders()
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no C compiler");
        var dir = Directory.CreateTempSubdirectory("procscope-rusage");
        try
        {
            var src = Path.Combine(dir.FullName, "r.c");
            var exe = Path.Combine(dir.FullName, "r");
            File.WriteAllText(src, Program);
            RunChecked(cc, src, "-o", exe);
            var lines = RunChecked(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Rusage r = default;
            byte* b = (byte*)&r;
            int O(void* f) => (int)((byte*)f - b);
            Assert.Equal(lines[0], string.Join(' ', new[]
            {
                sizeof(Rusage), O(&r.ru_utime), O(&r.ru_stime), O(&r.ru_maxrss), O(&r.ru_ixrss), O(&r.ru_idrss), O(&r.ru_isrss),
                O(&r.ru_minflt), O(&r.ru_majflt), O(&r.ru_nswap), O(&r.ru_inblock), O(&r.ru_oublock), O(&r.ru_msgsnd),
                O(&r.ru_msgrcv), O(&r.ru_nsignals), O(&r.ru_nvcsw), O(&r.ru_nivcsw),
            }));
            Timespec t = default;
            Assert.Equal(lines[1], $"{sizeof(Timespec)} {(int)((byte*)&t.tv_nsec - (byte*)&t)}");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static string RunChecked(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {e}");
        return o;
    }
}
