/*
 * forkstorm: keeps forking children that exit at once, for a bounded time, so that snapshots race
 * with processes appearing and vanishing (/proc/PID gone between listing and reading).
 *
 *   forkstorm [-t] SECONDS [MAX_OUTSTANDING]
 *     SECONDS          how long to storm, 1..600
 *     MAX_OUTSTANDING  children alive or unreaped at once (default 16, at most 1024)
 *     -t               also churn threads in the parent (task/TID appearing and vanishing)
 *
 * Prints "# ready" once the storm runs, then at the end "forks N" and exits 0. Stops early on
 * SIGTERM, SIGINT or SIGHUP. Every child is reaped before exit; children carry
 * PR_SET_PDEATHSIG(SIGKILL) for the short moment they live.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *noop(void *arg) { return arg; }

static void *churn_threads(void *arg)
{
    (void)arg;
    while (!stop) {
        pthread_t t;
        if (pthread_create(&t, NULL, noop, NULL) == 0) pthread_join(t, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = 0;
    int opt;
    while ((opt = getopt(argc, argv, "t")) != -1) {
        if (opt == 't') threads = 1;
        else {
            fprintf(stderr, "usage: forkstorm [-t] SECONDS [MAX_OUTSTANDING]\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: forkstorm [-t] SECONDS [MAX_OUTSTANDING]\n");
        return 2;
    }
    int seconds = atoi(argv[optind]);
    int max_out = optind + 1 < argc ? atoi(argv[optind + 1]) : 16;
    if (seconds < 1 || seconds > 600 || max_out < 1 || max_out > 1024) {
        fprintf(stderr, "forkstorm: SECONDS must be 1..600 and MAX_OUTSTANDING 1..1024\n");
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    pthread_t churner;
    int churning = threads && pthread_create(&churner, NULL, churn_threads, NULL) == 0;

    printf("# ready\n");
    fflush(stdout);

    pid_t self = getpid();
    long forks = 0;
    int outstanding = 0;
    double end = now() + seconds;
    while (!stop && now() < end) {
        if (outstanding >= max_out) {
            if (waitpid(-1, NULL, 0) > 0) outstanding--;
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            if (getppid() != self) _exit(1);
            _exit(0);
        }
        if (pid > 0) {
            forks++;
            outstanding++;
        } else if (errno == EAGAIN || errno == ENOMEM) {
            /* Out of pids or memory for a moment: reap and go on. */
            if (outstanding > 0 && waitpid(-1, NULL, 0) > 0) outstanding--;
        }
        while (outstanding > 0 && waitpid(-1, NULL, WNOHANG) > 0) outstanding--;
    }
    stop = 1;
    while (outstanding > 0) {
        if (waitpid(-1, NULL, 0) > 0) outstanding--;
        else if (errno != EINTR) break;
    }
    if (churning) pthread_join(churner, NULL);
    printf("forks %ld\n", forks);
    return 0;
}
