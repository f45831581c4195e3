/*
 * three-children: forks three children that each touch MIB MiB of anonymous memory and hold it
 * at the same time, so the tree's peak is about three times any single process's peak.
 *
 *   three-children MIB HOLD_MS
 *
 * The children report "touched" through a pipe; once all three hold their memory the parent
 * waits HOLD_MS, then lets them go (closing a second pipe) and reaps them. Prints "# ready"
 * first and "peak held" once all three held their memory; exits 0 when all children exited 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: three-children MIB HOLD_MS\n"); return 2; }
    long mib = atol(argv[1]), hold = atol(argv[2]);
    if (mib < 1 || mib > 16384 || hold < 0) { fprintf(stderr, "three-children: bad arguments\n"); return 2; }
    printf("# ready\n");
    fflush(stdout);
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0) { perror("pipe"); return 1; }
    for (int i = 0; i < 3; i++)
    {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0)
        {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            close(ready[0]);
            close(go[1]);
            size_t len = (size_t)mib << 20;
            char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) _exit(1);
            madvise(p, len, MADV_NOHUGEPAGE);
            for (size_t o = 0; o < len; o += 4096) p[o] = 1;
            if (write(ready[1], "x", 1) != 1) _exit(1);
            char c;
            while (read(go[0], &c, 1) > 0) { }
            _exit(p[0] == 1 ? 0 : 1);
        }
    }
    close(ready[1]);
    close(go[0]);
    char c;
    for (int i = 0; i < 3; i++)
        if (read(ready[0], &c, 1) != 1) { fprintf(stderr, "three-children: a child failed\n"); return 1; }
    printf("peak held\n");
    fflush(stdout);
    struct timespec ts = { hold / 1000, (hold % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) { }
    close(go[1]);
    int failed = 0, status;
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
    return failed;
}
