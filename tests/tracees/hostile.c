/*
 * hostile: children whose command names (comm) and argv are hostile bytes, for the parsers and
 * the terminal sanitizer (CONVENTIONS.md §3: "everything read about another process is hostile").
 *
 *   hostile [-s] [-L BYTES]
 *     -s        wait for a signal only (ignore stdin), for use in the background from a script
 *     -L BYTES  total size of the long child's arguments (default 204800)
 *
 * Each child is this program exec'd again (/proc/self/exe) with argv[0] set to the hostile name
 * and argv[1] "--hostile-child"; after the exec it sets its comm with prctl(PR_SET_NAME), which
 * keeps at most 15 bytes (TASK_COMM_LEN - 1). One child ("long-argv") is exec'd with BYTES of
 * arguments and then overwrites its whole argument area (the NUL separators included, the very
 * last NUL kept) with the bytes 'a' + (i % 26): /proc/PID/cmdline is then one argument of
 * stat.arg_end - stat.arg_start - 1 bytes.
 *
 * Output on stdout, once every child has set its name:
 *   PID<TAB>hex of the comm bytes the kernel must show (the name cut at 15 bytes)
 *   ...
 *   # ready
 * All children then sleep. When the parent gets SIGTERM, SIGINT or SIGHUP, or stdin reaches EOF
 * (unless -s), it kills every child with SIGKILL, reaps them all and exits 0. The children also
 * have PR_SET_PDEATHSIG(SIGKILL), so none outlives a parent that is killed outright.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY_FD 3
#define LONG_NAME "long-argv"

static const char *const names[] = {
    "a) b",
    "z) S 1 1 1",
    "((",
    ")))",
    "(a)( ) b",
    "new\nline",
    "\x1b[31mred",
    "bad\xff\xfe",
    "fifteen-chars-x",          /* exactly 15 bytes: the longest comm */
    "this-name-is-too-long",    /* 21 bytes: the kernel keeps the first 15 */
    "caf\xc3\xa9",              /* valid UTF-8: café */
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", /* 8 x é = 16 bytes: cut inside a character */
    "c1\xc2\x9b" "31mx",        /* U+009B, the C1 control sequence introducer, valid UTF-8 */
    "tab\there\x7f",            /* TAB and DEL */
    "",                         /* empty name */
    "rlo\xe2\x80\xae" "evil",     /* U+202E RIGHT-TO-LEFT OVERRIDE (format, "Trojan Source") */
    "zw\xe2\x80\x8b" "sp",        /* U+200B ZERO WIDTH SPACE (format) */
    "ls\xe2\x80\xa8" "x",         /* U+2028 LINE SEPARATOR */
    "e\xcc\x81-acute",           /* e + U+0301 COMBINING ACUTE ACCENT (zero width) */
    "pua\xee\x80\x80",           /* U+E000, private use */
    "wide\xe4\xb8\xad",          /* U+4E2D, a double-width CJK character */
    "emoji\xf0\x9f\x98\x80",     /* U+1F600, four bytes */
    "ovl\xc0\xaf",               /* overlong "/" (invalid UTF-8) */
    "sur\xed\xa0\x80",           /* an encoded surrogate (invalid UTF-8) */
    "back\\slash",              /* a backslash: /proc/PID/status escapes it as two */
    "lit\\n",                   /* backslash + 'n', which status must not confuse with a newline */
};
#define NNAMES (sizeof names / sizeof names[0])

static pid_t children[NNAMES + 1];
static int nchildren;
static int sigpipe_fds[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char s = (unsigned char)sig;
    if (write(sigpipe_fds[1], &s, 1) < 0) { /* nothing to do: the pipe is full, a wake-up is pending */ }
    errno = saved;
}

static void die(const char *what)
{
    perror(what);
    for (int i = 0; i < nchildren; i++) kill(children[i], SIGKILL);
    for (int i = 0; i < nchildren; i++) while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR) {}
    exit(2);
}

/* The child side, after the exec: name itself, report ready, sleep until killed. */
static int child_main(int argc, char **argv, int is_long)
{
    if (is_long) {
        /* The argument area is contiguous: argv[0] .. the NUL after the last argument. */
        char *start = argv[0];
        char *end = argv[argc - 1] + strlen(argv[argc - 1]); /* the final NUL, kept */
        for (char *p = start; p < end; p++) *p = (char)('a' + (p - start) % 26);
        prctl(PR_SET_NAME, LONG_NAME, 0, 0, 0);
    } else {
        prctl(PR_SET_NAME, argv[0], 0, 0, 0);
    }
    char r = 'r';
    if (write(READY_FD, &r, 1) != 1) return 3;
    close(READY_FD);
    for (;;) pause();
}

static pid_t spawn(char **child_argv)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) die("pipe2");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        /* Kept across execve (only set-uid execs clear it); checked against the race with exit. */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent) _exit(1);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(fds[1], READY_FD) < 0) _exit(1); /* dup2 clears O_CLOEXEC on the copy */
        execv("/proc/self/exe", child_argv);
        _exit(127);
    }
    children[nchildren++] = pid;
    close(fds[1]);
    char r;
    ssize_t n;
    while ((n = read(fds[0], &r, 1)) < 0 && errno == EINTR) {}
    close(fds[0]);
    if (n != 1) {
        errno = ECHILD;
        die("child did not start");
    }
    return pid;
}

static void print_line(pid_t pid, const char *comm)
{
    size_t len = strnlen(comm, 15);
    printf("%d\t", (int)pid);
    for (size_t i = 0; i < len; i++) printf("%02x", (unsigned char)comm[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--hostile-child") == 0) return child_main(argc, argv, 0);
    if (argc >= 2 && strcmp(argv[1], "--long-child") == 0) return child_main(argc, argv, 1);

    int signals_only = 0;
    long long_bytes = 204800;
    int opt;
    while ((opt = getopt(argc, argv, "sL:")) != -1) {
        if (opt == 's') signals_only = 1;
        else if (opt == 'L') long_bytes = atol(optarg);
        else {
            fprintf(stderr, "usage: hostile [-s] [-L BYTES]\n");
            return 2;
        }
    }
    if (long_bytes < 16 || long_bytes > 1L << 24) {
        fprintf(stderr, "hostile: -L must be between 16 and 16777216\n");
        return 2;
    }

    if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) die("pipe2");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    for (size_t i = 0; i < NNAMES; i++) {
        char *child_argv[] = {(char *)names[i], "--hostile-child", NULL};
        spawn(child_argv);
    }

    /* One argument may be at most MAX_ARG_STRLEN (32 pages): split the long line into 64 KiB parts. */
    enum { PART = 65536 };
    int nparts = (int)((long_bytes + PART - 1) / PART);
    char **long_argv = calloc((size_t)nparts + 3, sizeof *long_argv);
    if (!long_argv) die("calloc");
    long_argv[0] = LONG_NAME;
    long_argv[1] = "--long-child";
    for (int i = 0; i < nparts; i++) {
        long left = long_bytes - (long)i * PART;
        size_t len = (size_t)(left < PART ? left : PART);
        long_argv[2 + i] = malloc(len + 1);
        if (!long_argv[2 + i]) die("malloc");
        memset(long_argv[2 + i], 'x', len);
        long_argv[2 + i][len] = 0;
    }
    spawn(long_argv);

    for (size_t i = 0; i < NNAMES; i++) print_line(children[i], names[i]);
    print_line(children[NNAMES], LONG_NAME);
    printf("# ready\n");
    fflush(stdout);

    struct pollfd pfd[2] = {
        {.fd = sigpipe_fds[0], .events = POLLIN},
        {.fd = signals_only ? -1 : 0, .events = POLLIN},
    };
    for (;;) {
        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pfd[0].revents) break;
        if (pfd[1].revents) {
            char buf[256];
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0 && !(n < 0 && errno == EINTR)) break; /* EOF or error: the test is done */
        }
    }

    for (int i = 0; i < nchildren; i++) kill(children[i], SIGKILL);
    for (int i = 0; i < nchildren; i++)
        while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR) {}
    return 0;
}
