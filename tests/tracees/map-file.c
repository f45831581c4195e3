/*
 * map-file: evicts a file's pages from the page cache (posix_fadvise DONTNEED; the test may also
 * drop all caches as root), maps it and reads one byte of every page, so the first touch of each
 * page (or readahead window) is a major fault: it has to be read from storage.
 *
 *   map-file PATH [HOLD_MS]
 *
 * Prints "# ready" before reading and "sum N" once read, then keeps the mapping HOLD_MS
 * (default 0) and exits 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) { fprintf(stderr, "usage: map-file PATH [HOLD_MS]\n"); return 2; }
    long hold = argc == 3 ? atol(argv[2]) : 0;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0) { fprintf(stderr, "map-file: empty or unreadable file\n"); return 1; }
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    volatile unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    printf("# ready\n");
    fflush(stdout);
    unsigned long sum = 0;
    for (off_t i = 0; i < st.st_size; i += 4096) sum += p[i];
    printf("sum %lu\n", sum);
    fflush(stdout);
    if (hold > 0)
    {
        struct timespec ts = { hold / 1000, (hold % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0) { }
    }
    return 0;
}
