/* Signal frames and socket endpoints for the trace decoding tests. Each mode starts with the
 * marker call close(-42) so tests can cut libc's start-up away.
 *   sigreturn  SIGUSR1 handled twice: first with HUP and SIGRTMIN+2 blocked, then with every
 *              signal but USR1 and TERM blocked; rt_sigreturn (sigreturn for an i386 build
 *              without SA_SIGINFO) shows the saved mask each time
 *   siginfo    the same with an SA_SIGINFO handler (rt_sigreturn on both ABIs)
 *   sockets    -yy forms: a DGRAM and a SEQPACKET socketpair, a TCP listener on 127.0.0.1 with
 *              one connection, a UNIX listener bound to argv[2] (a path with '>' and '"'), a
 *              netlink route socket; each written to with write(fd, "", 0) or 1 byte */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }
static void on_usr1_info(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; }

static void frames(int info)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (info) {
        sa.sa_sigaction = on_usr1_info;
        sa.sa_flags = SA_SIGINFO;
    } else {
        sa.sa_handler = on_usr1;
    }
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGHUP);
    sigaddset(&m, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &m, NULL);
    raise(SIGUSR1);
    sigfillset(&m);
    sigdelset(&m, SIGUSR1);
    sigdelset(&m, SIGTERM);
    sigprocmask(SIG_SETMASK, &m, NULL);
    raise(SIGUSR1);
}

static int sockets(const char *path)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0) return 1;
    if (write(sv[0], "x", 1) != 1) return 1;
    close(sv[0]);
    close(sv[1]);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) return 1;
    if (write(sv[0], "x", 1) != 1) return 1;
    close(sv[0]);
    close(sv[1]);

    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0) return 1;
    getsockname(l, (struct sockaddr *)&a, &alen);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) return 1;
    int s = accept(l, NULL, NULL);
    if (write(c, "y", 1) != 1) return 1;
    close(s);
    close(c);
    close(l);

    struct sockaddr_un u;
    memset(&u, 0, sizeof u);
    u.sun_family = AF_UNIX;
    strncpy(u.sun_path, path, sizeof u.sun_path - 1);
    unlink(path);
    int ul = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(ul, (struct sockaddr *)&u, sizeof u) < 0 || listen(ul, 1) < 0) return 1;
    if (write(ul, "", 0) < -1) return 1;
    close(ul);
    unlink(path);

    int n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl nl;
    memset(&nl, 0, sizeof nl);
    nl.nl_family = AF_NETLINK;
    if (bind(n, (struct sockaddr *)&nl, sizeof nl) < 0) return 1;
    if (write(n, "", 0) < -1) return 1;
    close(n);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "sigreturn";
    syscall(SYS_close, -42);
    if (!strcmp(mode, "sigreturn")) frames(0);
    else if (!strcmp(mode, "siginfo")) frames(1);
    else if (!strcmp(mode, "sockets")) return sockets(argc > 2 ? argv[2] : "/tmp/procscope-frames.sock");
    else return 2;
    return 0;
}
