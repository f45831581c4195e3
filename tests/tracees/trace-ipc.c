/* SysV IPC calls with known arguments for procscope trace (compared with strace 6.1).
 * Built 64-bit and -m32 (where glibc goes through the i386 ipc() multiplexer).
 * Usage: trace-ipc sysv|vectors */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <linux/sched/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct text_msg { long mtype; char mtext[16]; };
union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *info; };

static int sysv(void)
{
    close(-42); /* marker: the compared output starts here */
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | IPC_EXCL | 0600);
    shmget(0x1234abcd, 4096, 0);
    void *p = shmat(shm, NULL, SHM_RDONLY);
    struct shmid_ds sd;
    shmctl(shm, IPC_STAT, &sd);
    sd.shm_perm.mode = 0640;
    shmctl(shm, IPC_SET, &sd);
    shmdt(p);
    shmctl(shm, SHM_LOCK, NULL);
    shmctl(shm, IPC_RMID, NULL);
#ifdef __x86_64__
    shmctl(shm, IPC_STAT, (struct shmid_ds *)8); /* unreadable buffer (i386 glibc copies it itself) */
#endif

    int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0640);
    struct sembuf ops[2] = {{0, 1, 0}, {1, 1, IPC_NOWAIT | SEM_UNDO}};
    semop(sem, ops, 2);
    struct timespec ts = {0, 1000};
    semtimedop(sem, ops, 1, &ts);
    union semun a;
    a.val = 5;
    semctl(sem, 0, SETVAL, a);
    semctl(sem, 0, GETVAL);
    struct semid_ds ssd;
    a.buf = &ssd;
    semctl(sem, 0, IPC_STAT, a);
    unsigned short arr[2];
    a.array = arr;
    semctl(sem, 0, GETALL, a);
    semctl(sem, 0, IPC_RMID);
    semop(sem, (struct sembuf *)16, 1); /* unreadable array */

    int mq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct text_msg m = {7, "hello"};
    msgsnd(mq, &m, 6, IPC_NOWAIT);
    msgrcv(mq, &m, sizeof m.mtext, 0, IPC_NOWAIT | MSG_NOERROR);
    msgrcv(mq, &m, sizeof m.mtext, 3, IPC_NOWAIT);
    struct msqid_ds q;
    msgctl(mq, IPC_STAT, &q);
    q.msg_qbytes = 8192;
    msgctl(mq, IPC_SET, &q);
    msgctl(mq, IPC_RMID, NULL);
    msgget(0x42, 0);
    return 0;
}

/* sendmmsg/recvmmsg vectors, capget/capset, sched_setattr/sched_getattr, perf_event_open. */
static int vectors(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    close(-42); /* marker */
    char a[] = "one", b[] = "two!", r1[8], r2[8];
    struct iovec i1 = {a, 3}, i2 = {b, 4};
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &i1;
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &i2;
    mm[1].msg_hdr.msg_iovlen = 1;
    sendmmsg(sv[0], mm, 2, MSG_DONTWAIT);
    struct iovec o1 = {r1, 8}, o2 = {r2, 8};
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &o1;
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &o2;
    rm[1].msg_hdr.msg_iovlen = 1;
    struct timespec ts = {100, 0};
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, &ts);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    sendmmsg(sv[0], (struct mmsghdr *)8, 2, 0);

    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    syscall(SYS_capget, &h, d);
    d[0].effective = d[0].permitted = (1u << CAP_KILL) | (1u << CAP_NET_RAW);
    d[1].permitted = 1u << (CAP_BPF - 32);
    syscall(SYS_capset, &h, d); /* may fail: strace and we print the same */
    struct __user_cap_header_struct h1 = {_LINUX_CAPABILITY_VERSION_1, 0};
    syscall(SYS_capget, &h1, NULL);
    h1.version = 0x1234;
    syscall(SYS_capget, &h1, NULL);

    struct sched_attr sa;
    memset(&sa, 0, sizeof sa);
    sa.size = sizeof sa;
    sa.sched_nice = 5;
    syscall(SYS_sched_setattr, 0, &sa, 0);
    syscall(SYS_sched_getattr, 0, &sa, sizeof sa, 0);
    sa.sched_policy = 6; /* SCHED_DEADLINE: EPERM without privilege, EBUSY or success with it */
    sa.sched_flags = 1;
    sa.sched_runtime = 10000000;
    sa.sched_deadline = sa.sched_period = 30000000;
    syscall(SYS_sched_setattr, 0, (void *)8, 0);
    syscall(SYS_sched_getattr, 0, &sa, 8, 0);

    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.type = PERF_TYPE_SOFTWARE;
    pe.size = sizeof pe;
    pe.config = PERF_COUNT_SW_TASK_CLOCK;
    pe.disabled = 1;
    pe.exclude_kernel = 1;
    int fd = (int)syscall(SYS_perf_event_open, &pe, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd >= 0)
        close(fd);
    pe.type = PERF_TYPE_HARDWARE;
    pe.config = PERF_COUNT_HW_INSTRUCTIONS;
    pe.sample_period = 1000;
    pe.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID;
    pe.precise_ip = 2;
    syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0x40);
    syscall(SYS_perf_event_open, (void *)16, 0, -1, -1, 0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "sysv") == 0)
        return sysv();
    if (argc > 1 && strcmp(argv[1], "vectors") == 0)
        return vectors();
    fprintf(stderr, "usage: trace-ipc sysv|vectors\n");
    return 2;
}
