/* Known stacks for trace -k (compared with strace -k): nested static functions, a function with
 * alloca (its CFA follows rbp), a call through a shared library's PLT (write, getppid), a call via
 * libc's syscall(), and a system call inside a signal handler (unwound through the kernel's signal
 * frame and libc's __restore_rt). Built with -fomit-frame-pointer, so only CFI can unwind it. */
#include <alloca.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int sink;

__attribute__((noinline)) static void leaf_write(int depth)
{
    char buf[16];
    memcpy(buf, "stack\n", 6);
    write(1, buf, 6);
    sink += depth;
}

__attribute__((noinline)) static void middle(int d)
{
    volatile int local[8];
    for (int i = 0; i < 8; i++) local[i] = d + i;
    leaf_write(local[3]);
    sink += local[5];
}

__attribute__((noinline)) void outer(int d)
{
    middle(d + 1);
    sink++;
}

__attribute__((noinline)) static void dynamic_frame(int n)
{
    volatile char *p = alloca((size_t)n);
    p[0] = 1;
    getppid();
    sink += p[0];
}

__attribute__((noinline)) static int early_return(int n)
{
    if (n > 100) return n;
    syscall(SYS_getppid);
    sink++;
    return n + 1;
}

static void handler(int sig)
{
    (void)sig;
    getppid();
}

int main(int argc, char **argv)
{
    (void)argv;
    outer(argc);
    dynamic_frame(argc * 64);
    sink += early_return(argc);
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    return 0;
}
