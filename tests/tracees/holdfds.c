/*
 * holdfds: holds a known set of open files for the lsof tests, prints what it holds, then waits.
 *
 *   holdfds DIR [EXTRA_FDS]
 *
 * Creates in DIR (which must exist and be empty) and keeps open:
 *   regular       "DIR/regular" (read-write, 5 bytes, offset 3, a whole-file POSIX write lock)
 *   unlinked      "DIR/unlinked" opened then unlinked (link count 0)
 *   fakedeleted   a live file really named "DIR/x (deleted)" (link count 1)
 *   newline       "DIR/new\nline" (write-only)
 *   mapped        "DIR/mapped" mmapped shared then closed, and "DIR/mapdel" mmapped then unlinked
 *   pipe          both ends of a pipe
 *   socketpair    a UNIX stream socket pair
 *   listener      TCP listening on 127.0.0.1 (ephemeral port)
 *   client/server a connected TCP pair over 127.0.0.1, 5 bytes sent client → server
 *   udp           UDP bound to 127.0.0.1 (ephemeral port)
 *   eventfd, epoll, memfd ("holdfds-memfd"), inotify
 *   escape        "DIR/esc\033[31mred" (an escape sequence in the name)
 * and with EXTRA_FDS, that many more descriptors on /dev/null (for the 15,000-fd bench).
 *
 * Prints "name fd" lines ("listen-port N", "udp-port N" for ports), then "# ready", and waits
 * until stdin closes or SIGTERM; then removes its files and exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static char dir[4096];
static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void die(const char *what) { perror(what); exit(1); }

static int create(const char *name, int flags, const char *content)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, flags | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die(path);
    if (content && write(fd, content, strlen(content)) < 0) die("write");
    return fd;
}

static void remove_file(const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static int tcp_bound(int type, struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, type, 0);
    if (fd < 0) die("socket");
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)addr, sizeof *addr) != 0) die("bind");
    socklen_t len = sizeof *addr;
    getsockname(fd, (struct sockaddr *)addr, &len);
    return fd;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: holdfds DIR [EXTRA_FDS]\n"); return 2; }
    snprintf(dir, sizeof dir, "%s", argv[1]);
    long extra = argc > 2 ? atol(argv[2]) : 0;
    /* No SA_RESTART: a signal ends the blocking read below. */
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int regular = create("regular", O_RDWR, "hello");
    lseek(regular, 3, SEEK_SET);
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl(regular, F_SETLK, &lk) != 0) die("fcntl");
    int unlinked = create("unlinked", O_RDWR, "gone");
    remove_file("unlinked");
    int fake = create("x (deleted)", O_RDONLY, NULL);
    int newline = create("new\nline", O_WRONLY, NULL);

    int m = create("mapped", O_RDWR, "mapped file contents");
    if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, m, 0) == MAP_FAILED) die("mmap");
    close(m);
    int md = create("mapdel", O_RDWR, "deleted mapping");
    if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, md, 0) == MAP_FAILED) die("mmap");
    close(md);
    remove_file("mapdel");

    int p[2];
    if (pipe(p) != 0) die("pipe");
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0) die("socketpair");

    struct sockaddr_in la, ua, ca;
    int listener = tcp_bound(SOCK_STREAM, &la);
    if (listen(listener, 4) != 0) die("listen");
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&la, sizeof la) != 0) die("connect");
    int server = accept(listener, NULL, NULL);
    if (server < 0) die("accept");
    if (write(client, "12345", 5) != 5) die("send");
    socklen_t cl = sizeof ca;
    getsockname(client, (struct sockaddr *)&ca, &cl);
    int udp = tcp_bound(SOCK_DGRAM, &ua);

    int efd = eventfd(7, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = efd };
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    int mfd = memfd_create("holdfds-memfd", 0);
    int ino = inotify_init1(0);
    inotify_add_watch(ino, dir, IN_CREATE);
    int esc = create("esc\033[31mred", O_RDONLY, NULL);

    if (extra > 0)
    {
        struct rlimit rl = { (rlim_t)extra + 256, (rlim_t)extra + 256 };
        setrlimit(RLIMIT_NOFILE, &rl);
        for (long i = 0; i < extra; i++)
            if (open("/dev/null", O_RDONLY) < 0) die("open /dev/null");
    }

    printf("regular %d\nunlinked %d\nfakedeleted %d\nnewline %d\npipe-read %d\npipe-write %d\n", regular, unlinked, fake, newline, p[0], p[1]);
    printf("pair-a %d\npair-b %d\nlistener %d\nclient %d\nserver %d\nudp %d\n", sp[0], sp[1], listener, client, server, udp);
    printf("eventfd %d\nepoll %d\nmemfd %d\ninotify %d\nescape %d\n", efd, ep, mfd, ino, esc);
    printf("listen-port %d\nclient-port %d\nudp-port %d\n", ntohs(la.sin_port), ntohs(ca.sin_port), ntohs(ua.sin_port));
    printf("# ready\n");
    fflush(stdout);

    char buf[64];
    while (!stop && read(0, buf, sizeof buf) > 0) { }
    remove_file("regular");
    remove_file("x (deleted)");
    remove_file("new\nline");
    remove_file("mapped");
    remove_file("esc\033[31mred");
    return 0;
}
