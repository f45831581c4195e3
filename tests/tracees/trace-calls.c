/* Known system calls with known, deliberately odd arguments, for the trace tests. Each mode
 * starts with the marker call close(-42) so tests can cut libc's start-up away.
 *   calls    odd arguments: a path with a newline and a quote, bad descriptors, escapes
 *   fork     a child makes close(-78) and exits 3 if it failed with EBADF (else 4); the parent
 *            reaps it and exits 0 when the child exited 3
 *   thread   a thread makes close(-79); joined; exit 0
 *   execthr  a thread execve()s /bin/true while the leader sleeps
 *   int80    close(-80) through int $0x80 (the i386 ABI) from 64-bit code
 *   signal   SIGUSR1 to itself (handled), then exit 0
 *   restart  a child exits while the parent sleeps 300 ms: SIGCHLD (ignored) interrupts the sleep,
 *            which the kernel resumes with restart_syscall
 *   vfork    vfork(), the child execve()s /bin/true; the parent waits and exits with its status
 *   sleep    close(-81) every 10 ms forever (for attach tests; prints "# ready")
 *   io       data with hostile bytes through a pipe (fds 3, 4: write, writev, read, readv) and a
 *            UNIX socket pair (fds 5, 6: sendmsg, recvmsg), for -e read= / -e write= dumps */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *thread_close(void *a) { (void)a; syscall(SYS_close, -79); return NULL; }

static void *thread_exec(void *a)
{
    (void)a;
    char *argv[] = {"/bin/true", NULL};
    char *envp[] = {NULL};
    execve("/bin/true", argv, envp);
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "calls";
    syscall(SYS_close, -42);
    if (!strcmp(mode, "calls")) {
        syscall(SYS_openat, AT_FDCWD, "/nonexistent/procscope\n\"q", O_RDONLY | O_CLOEXEC);
        syscall(SYS_close, -77);
        syscall(SYS_write, -1, "hi\tthere\0x", 10);
        syscall(SYS_lseek, -5, 123456, SEEK_END);
        syscall(SYS_exit_group, 7);
    } else if (!strcmp(mode, "fork")) {
        pid_t pid = fork();
        if (pid == 0) {
            long r = syscall(SYS_close, -78);
            _exit(r == -1 && errno == EBADF ? 3 : 4);
        }
        int status;
        waitpid(pid, &status, 0);
        return WEXITSTATUS(status) == 3 ? 0 : 1;
    } else if (!strcmp(mode, "thread")) {
        pthread_t t;
        pthread_create(&t, NULL, thread_close, NULL);
        pthread_join(t, NULL);
    } else if (!strcmp(mode, "execthr")) {
        pthread_t t;
        pthread_create(&t, NULL, thread_exec, NULL);
        for (;;) pause();
    } else if (!strcmp(mode, "int80")) {
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(6), "b"(-80) : "memory");
        return ret == -9 ? 0 : 1;
    } else if (!strcmp(mode, "signal")) {
        signal(SIGUSR1, on_usr1);
        kill(getpid(), SIGUSR1);
    } else if (!strcmp(mode, "restart")) {
        if (fork() == 0) {
            struct timespec c = {0, 20 * 1000 * 1000};
            nanosleep(&c, NULL);
            _exit(0);
        }
        struct timespec ts = {0, 300 * 1000 * 1000};
        syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
        wait(NULL);
    } else if (!strcmp(mode, "vfork")) {
        char *args[] = {"/bin/true", NULL};
        char *envp[] = {NULL};
        pid_t pid = vfork();
        if (pid == 0) {
            execve("/bin/true", args, envp);
            _exit(127);
        }
        int status;
        waitpid(pid, &status, 0);
        return WEXITSTATUS(status);
    } else if (!strcmp(mode, "io")) {
        static const char hostile[] = "hi\n\t\x1b[31m\xff\0zz0123456789abcdefghij";
        char in[64];
        int p[2], s[2];
        if (pipe2(p, 0) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0) return 1;
        syscall(SYS_write, p[1], hostile, sizeof hostile - 1);
        struct iovec out[2] = {{(void *)"ab\r\n", 4}, {(void *)"\x7f\x80~ ", 4}};
        syscall(SYS_writev, p[1], out, 2);
        syscall(SYS_read, p[0], in, sizeof hostile - 1);
        struct iovec back[2] = {{in, 5}, {in + 5, 16}};
        syscall(SYS_readv, p[0], back, 2);
        struct msghdr m = {0};
        m.msg_iov = out;
        m.msg_iovlen = 2;
        syscall(SYS_sendmsg, s[0], &m, 0);
        m.msg_iov = back;
        syscall(SYS_recvmsg, s[1], &m, 0);
        char big[40];
        for (int i = 0; i < 40; i++) big[i] = (char)(i * 7 + 0x70);
        syscall(SYS_write, p[1], big, sizeof big);
        syscall(SYS_write, -1, hostile, (size_t)4);
    } else if (!strcmp(mode, "sleep")) {
        printf("# ready\n");
        fflush(stdout);
        struct timespec ts = {0, 10 * 1000 * 1000};
        for (;;) {
            syscall(SYS_close, -81);
            nanosleep(&ts, NULL);
        }
    }
    return 0;
}
