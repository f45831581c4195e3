/*
 * spawn-idle: starts N idle processes as cheaply as possible (fork, then pause), so that ps, top
 * and friends can be measured on a machine with many processes.
 *
 *   spawn-idle N
 *
 * Prints "ready N" once all N children exist, then waits. On SIGTERM, SIGINT or SIGHUP, or when
 * its own parent exits (PR_SET_PDEATHSIG), it kills every child with SIGKILL, reaps them all and
 * exits 0. The children carry PR_SET_PDEATHSIG(SIGKILL) as well, so none outlives it even if it
 * is killed outright. If fork fails part way (pid or memory limits) it cleans up and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void reap_all(pid_t *children, long n)
{
    for (long i = 0; i < n; i++) kill(children[i], SIGKILL);
    for (long i = 0; i < n; i++)
        while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR) {}
}

int main(int argc, char **argv)
{
    long n = argc == 2 ? strtol(argv[1], NULL, 10) : -1;
    if (n < 1 || n > 1000000) {
        fprintf(stderr, "usage: spawn-idle N   (1..1000000)\n");
        return 2;
    }
    pid_t *children = calloc((size_t)n, sizeof *children);
    if (!children) {
        perror("spawn-idle: calloc");
        return 1;
    }

    /* Block the stop signals while forking: a child must not inherit a half-set-up handler,
     * and a signal during the loop is acted on right after it. */
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGHUP);
    sigprocmask(SIG_BLOCK, &stops, &old);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    pid_t self = getpid();
    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    if (getppid() == 1) stop = 1; /* our parent is already gone */

    long started = 0;
    for (; started < n; started++) {
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            if (getppid() != self) _exit(0);
            signal(SIGTERM, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            signal(SIGHUP, SIG_DFL);
            sigprocmask(SIG_SETMASK, &old, NULL);
            for (;;) pause();
        }
        if (pid < 0) {
            fprintf(stderr, "spawn-idle: fork failed after %ld children: %s\n", started, strerror(errno));
            reap_all(children, started);
            return 1;
        }
        children[started] = pid;
    }

    printf("ready %ld\n", started);
    fflush(stdout);

    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGHUP);
    while (!stop) sigsuspend(&wait_mask);

    reap_all(children, started);
    return 0;
}
