using Procscope.Linux.Interop;

namespace Procscope.Linux.Tests.Tracing;

/// <summary>The ptrace engine's x86_64 structs (Interop/Ptrace.X64.cs) against offsetof() from the system headers.</summary>
public sealed class PtraceLayoutTests
{
    private const string Program = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <signal.h>
        #include <sys/user.h>
        #include <sys/uio.h>
        #include <linux/ptrace.h>
        #include <linux/filter.h>
        #define O(t, f) (int)offsetof(t, f)
        int main(void) {
            printf("regs %zu %d %d %d %d %d %d %d\n", sizeof(struct user_regs_struct), O(struct user_regs_struct, rax),
                   O(struct user_regs_struct, orig_rax), O(struct user_regs_struct, rip), O(struct user_regs_struct, rsp),
                   O(struct user_regs_struct, rdi), O(struct user_regs_struct, fs_base), O(struct user_regs_struct, gs));
            printf("info %zu %d %d %d %d %d %d %d %d %d\n", sizeof(struct ptrace_syscall_info), O(struct ptrace_syscall_info, op),
                   O(struct ptrace_syscall_info, arch), O(struct ptrace_syscall_info, instruction_pointer),
                   O(struct ptrace_syscall_info, stack_pointer), O(struct ptrace_syscall_info, entry.nr),
                   O(struct ptrace_syscall_info, entry.args), O(struct ptrace_syscall_info, exit.rval),
                   O(struct ptrace_syscall_info, exit.is_error), O(struct ptrace_syscall_info, seccomp.ret_data));
            printf("siginfo %zu %d %d %d %d %d %d %d %d %d %d %d %d %d\n", sizeof(siginfo_t), O(siginfo_t, si_signo), O(siginfo_t, si_errno),
                   O(siginfo_t, si_code), O(siginfo_t, si_pid), O(siginfo_t, si_uid), O(siginfo_t, si_status), O(siginfo_t, si_utime),
                   O(siginfo_t, si_stime), O(siginfo_t, si_addr), O(siginfo_t, si_value), O(siginfo_t, si_fd),
                   O(siginfo_t, si_call_addr), O(siginfo_t, si_syscall));
            printf("sigaction %zu %d %d %d\n", sizeof(struct sigaction), O(struct sigaction, sa_mask), O(struct sigaction, sa_flags),
                   O(struct sigaction, sa_restorer));
            printf("filter %zu %zu %d\n", sizeof(struct sock_filter), sizeof(struct sock_fprog), O(struct sock_fprog, filter));
            printf("iovec %zu %d\n", sizeof(struct iovec), O(struct iovec, iov_len));
            return 0;
        }
        """;

    private static unsafe int Off<T>(ref T s, void* field) where T : unmanaged
    {
        fixed (T* p = &s) return (int)((byte*)field - (byte*)p);
    }

    [Fact]
    public unsafe void Layouts_MatchSystemHeaders()
    {
        var c = CLayout.Measure(Program);

        UserRegs r = default;
        UserRegs* rp = &r;
        Assert.Equal(c["regs"], new[] { sizeof(UserRegs), Off(ref r, &rp->rax), Off(ref r, &rp->orig_rax), Off(ref r, &rp->rip),
            Off(ref r, &rp->rsp), Off(ref r, &rp->rdi), Off(ref r, &rp->fs_base), Off(ref r, &rp->gs) });

        PtraceSyscallInfo i = default;
        PtraceSyscallInfo* ip = &i;
        Assert.Equal(c["info"], new[] { sizeof(PtraceSyscallInfo), Off(ref i, &ip->op), Off(ref i, &ip->arch), Off(ref i, &ip->instruction_pointer),
            Off(ref i, &ip->stack_pointer), Off(ref i, &ip->nr), Off(ref i, ip->args), Off(ref i, &ip->rval), Off(ref i, &ip->is_error),
            Off(ref i, &ip->ret_data) });

        SigInfo s = default;
        SigInfo* sp = &s;
        Assert.Equal(c["siginfo"], new[] { sizeof(SigInfo), Off(ref s, &sp->si_signo), Off(ref s, &sp->si_errno), Off(ref s, &sp->si_code),
            Off(ref s, &sp->si_pid), Off(ref s, &sp->si_uid), Off(ref s, &sp->si_status), Off(ref s, &sp->si_utime), Off(ref s, &sp->si_stime),
            Off(ref s, &sp->si_addr), Off(ref s, &sp->si_value), Off(ref s, &sp->si_fd), Off(ref s, &sp->si_call_addr), Off(ref s, &sp->si_syscall) });

        SigAction a = default;
        SigAction* ap = &a;
        Assert.Equal(c["sigaction"], new[] { sizeof(SigAction), Off(ref a, ap->sa_mask), Off(ref a, &ap->sa_flags), Off(ref a, &ap->sa_restorer) });

        SockFprog f = default;
        SockFprog* fp = &f;
        Assert.Equal(c["filter"], new[] { sizeof(SockFilter), sizeof(SockFprog), Off(ref f, &fp->filter) });

        IoVec v = default;
        IoVec* vp = &v;
        Assert.Equal(c["iovec"], new[] { sizeof(IoVec), Off(ref v, &vp->iov_len) });
    }
}
