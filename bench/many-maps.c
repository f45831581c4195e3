/*
 * many-maps: creates about N separate mappings: N/2 writable anonymous pages separated by N/2
 * PROT_NONE gaps (alternating protections, so the kernel cannot merge neighbours), touches each
 * writable page, prints "# ready" and its pid, then waits for
 * SIGTERM/SIGINT/SIGHUP or its parent's death (PR_SET_PDEATHSIG).
 *
 *   many-maps N      (1..100000)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 0;
    if (n < 1 || n > 100000) { fprintf(stderr, "usage: many-maps N (1..100000)\n"); return 2; }
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* One reserved region, then every other page made writable: N distinct VMAs. */
    size_t page = 4096;
    char *base = mmap(NULL, (size_t)n * 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    n /= 2;
    for (long i = 0; i < n; i++)
    {
        char *p = base + (size_t)i * 2 * page;
        if (mprotect(p, page, PROT_READ | PROT_WRITE) != 0) { perror("mprotect"); return 1; }
        p[0] = 1;
    }
    printf("# ready %d\n", (int)getpid());
    fflush(stdout);
    pause();
    return 0;
}
