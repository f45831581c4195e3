/*
 * touch-mb: maps N MiB of anonymous memory and writes one byte to each 4 KiB page, so the kernel
 * takes at least N MiB / 4 KiB minor faults (fewer only with transparent huge pages, which the
 * program turns off for its mapping with MADV_NOHUGEPAGE).
 *
 *   touch-mb MIB [MIB_PER_SECOND [HOLD_MS]]
 *     MIB             how much to touch, 1..65536
 *     MIB_PER_SECOND  touch at this rate, in steps every 1/10 s on the monotonic clock
 *                     (0 or absent: as fast as possible)
 *     HOLD_MS         keep the memory this long after touching it (default 0)
 *
 * Prints "# ready" before touching and "touched N pages" once done (before holding); exits 0.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) { }
}

/* Sleeps until START + MS: the steps keep their rate however long the touching took. */
static void sleep_until(const struct timespec *start, long ms)
{
    struct timespec t = *start;
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) != 0) { }
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: touch-mb MIB [MIB_PER_SECOND [HOLD_MS]]\n"); return 2; }
    long mib = atol(argv[1]);
    double rate = argc > 2 ? atof(argv[2]) : 0;
    long hold = argc > 3 ? atol(argv[3]) : 0;
    if (mib < 1 || mib > 65536 || rate < 0 || hold < 0) { fprintf(stderr, "touch-mb: bad arguments\n"); return 2; }
    size_t len = (size_t)mib << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    madvise(p, len, MADV_NOHUGEPAGE);
    printf("# ready\n");
    fflush(stdout);
    size_t pages = len / 4096, done = 0;
    long step_no = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    size_t step = rate > 0 ? (size_t)(rate * (1 << 20) / 4096 / 10) : pages;
    if (step == 0) step = 1;
    while (done < pages)
    {
        size_t end = done + step < pages ? done + step : pages;
        for (; done < end; done++) p[done * 4096] = 1;
        if (rate > 0 && done < pages) sleep_until(&start, ++step_no * 100);
    }
    printf("touched %zu pages\n", pages);
    fflush(stdout);
    if (hold > 0) sleep_ms(hold);
    return 0;
}
