/* bench/trace.sh and the trace tests: N getppid() calls (argv[1], default 1000000) through
 * syscall(2), so libc caching cannot elide them; then exits 0. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    return 0;
}
