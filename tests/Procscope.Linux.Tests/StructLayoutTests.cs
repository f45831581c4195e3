using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>The x86_64 struct layouts in Structs.X64.cs against offsetof() from the system headers.</summary>
public sealed class StructLayoutTests
{
    private const string Program = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <dirent.h>
        #include <pwd.h>
        #include <grp.h>
        int main(void) {
            printf("dirent64 %zu %zu %zu %zu %zu %zu\n", sizeof(struct dirent64), offsetof(struct dirent64, d_ino),
                   offsetof(struct dirent64, d_off), offsetof(struct dirent64, d_reclen), offsetof(struct dirent64, d_type),
                   offsetof(struct dirent64, d_name));
            printf("passwd %zu %zu %zu %zu\n", sizeof(struct passwd), offsetof(struct passwd, pw_name),
                   offsetof(struct passwd, pw_uid), offsetof(struct passwd, pw_gid));
            printf("group %zu %zu %zu\n", sizeof(struct group), offsetof(struct group, gr_name), offsetof(struct group, gr_gid));
            return 0;
        }
        """;

    [Fact]
    public unsafe void Layouts_MatchSystemHeaders()
    {
        var lines = CLayout.Measure(Program);

        Dirent64 d = default;
        Assert.Equal(lines["dirent64"], new[]
        {
            sizeof(Dirent64), (int)((byte*)&d.d_ino - (byte*)&d), (int)((byte*)&d.d_off - (byte*)&d),
            (int)((byte*)&d.d_reclen - (byte*)&d), (int)((byte*)&d.d_type - (byte*)&d), (int)(d.d_name - (byte*)&d),
        });
        Passwd p = default;
        Assert.Equal(lines["passwd"], new[] { sizeof(Passwd), (int)((byte*)&p.pw_name - (byte*)&p), (int)((byte*)&p.pw_uid - (byte*)&p), (int)((byte*)&p.pw_gid - (byte*)&p) });
        Group g = default;
        Assert.Equal(lines["group"], new[] { sizeof(Group), (int)((byte*)&g.gr_name - (byte*)&g), (int)((byte*)&g.gr_gid - (byte*)&g) });
    }
}
