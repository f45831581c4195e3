using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests;

/// <summary>
/// The struct user offsets -e inject pokes (LibC.TraceOptions.cs: rax, orig_rax) and the x86_64
/// system call numbers the forked child of -u and -D makes raw, against the system headers.
/// </summary>
public sealed class TraceOptionsLayoutTests
{
    [Fact]
    public void UserRegisterOffsetsAndSyscallNumbers_MatchSystemHeaders()
    {
        var m = CLayout.Measure("""
            #include <stdio.h>
            #include <stddef.h>
            #include <sys/user.h>
            #include <sys/syscall.h>
            int main(void) {
                printf("user %d %d\n", (int)offsetof(struct user, regs.rax), (int)offsetof(struct user, regs.orig_rax));
                printf("nr %d %d %d %d %d\n", SYS_setreuid, SYS_setregid, SYS_setgroups, SYS_setpgid, SYS_setsid);
                return 0;
            }
            """);
        Assert.Equal([LibC.UserRaxOffset, LibC.UserOrigRaxOffset], m["user"]);
        Assert.Equal([(int)LibC.SYS_setreuid, (int)LibC.SYS_setregid, (int)LibC.SYS_setgroups, (int)LibC.SYS_setpgid, (int)LibC.SYS_setsid], m["nr"]);
    }
}
