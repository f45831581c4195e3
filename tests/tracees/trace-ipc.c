/* SysV IPC calls with known arguments for procscope trace (compared with strace 6.1).
 * Built 64-bit and -m32 (where glibc goes through the i386 ipc() multiplexer).
 * Usage: trace-ipc sysv|vectors|rare
 * Nothing here changes the system: queues and keys are removed or die with the process, mounts
 * stay detached, kexec and module calls carry arguments the kernel rejects. */
#define _GNU_SOURCE
#include <stdio.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/landlock.h>
#include <linux/mount.h>
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

/* POSIX queues, AIO, keys, futex_waitv, the new mount API, landlock, NUMA policy, kexec, modules. */
static int rare(void)
{
    char name[64], buf[64];
    snprintf(name, sizeof name, "/procscope-%d", (int)getpid());
    close(-42); /* marker */
    struct mq_attr at;
    memset(&at, 0, sizeof at);
    at.mq_maxmsg = 4;
    at.mq_msgsize = 32;
    mqd_t q = mq_open(name, O_CREAT | O_RDWR | O_EXCL, 0600, &at);
    syscall(SYS_mq_timedsend, q, "hi", 2, 3, NULL);
    unsigned pr;
    struct timespec ts = {0, 0};
    mq_timedreceive(q, buf, sizeof buf, &pr, &ts);
    mq_timedreceive(q, buf, sizeof buf, &pr, &ts);
    struct sigevent se;
    memset(&se, 0, sizeof se);
    se.sigev_notify = SIGEV_SIGNAL;
    se.sigev_signo = SIGUSR1;
    syscall(SYS_mq_notify, q, &se);
    syscall(SYS_mq_notify, q, NULL);
    struct mq_attr old, nw;
    memset(&nw, 0, sizeof nw);
    nw.mq_flags = O_NONBLOCK;
    syscall(SYS_mq_getsetattr, q, NULL, &old);
    syscall(SYS_mq_getsetattr, q, &nw, &old);
    mq_unlink(name);

    aio_context_t ctx = 0;
    syscall(SYS_io_setup, 8, &ctx);
    int fd = open("/dev/null", O_RDWR);
    char d[4] = "abc";
    struct iocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd;
    cb.aio_lio_opcode = IOCB_CMD_PWRITE;
    cb.aio_buf = (unsigned long)d;
    cb.aio_nbytes = 3;
    cb.aio_data = 0x1234;
    struct iocb *cbs[1] = {&cb};
    syscall(SYS_io_submit, ctx, 1, cbs);
    struct io_event ev[2];
    struct timespec t2 = {1, 0};
    syscall(SYS_io_getevents, ctx, 1, 2, ev, &t2);
    syscall(SYS_io_cancel, ctx, &cb, ev);
#ifdef __x86_64__
    syscall(SYS_io_pgetevents, ctx, 0, 2, ev, &ts, NULL);
#endif
    syscall(SYS_io_destroy, ctx);

    int k = (int)syscall(SYS_add_key, "user", "pskey", "secret", 6, KEY_SPEC_PROCESS_KEYRING);
    syscall(SYS_request_key, "user", "pskey", NULL, KEY_SPEC_PROCESS_KEYRING);
    syscall(SYS_keyctl, KEYCTL_READ, k, buf, sizeof buf);
    syscall(SYS_keyctl, KEYCTL_DESCRIBE, k, buf, sizeof buf);
    syscall(SYS_keyctl, KEYCTL_REVOKE, k);
    syscall(SYS_keyctl, KEYCTL_UNLINK, k, KEY_SPEC_PROCESS_KEYRING);
    syscall(SYS_keyctl, 0x4242, 1, 2, 3, 4);

    unsigned int fv = 1;
    struct futex_waitv w[1];
    memset(w, 0, sizeof w);
    w[0].uaddr = (unsigned long)&fv;
    w[0].flags = FUTEX_32;
    syscall(SYS_futex_waitv, w, 1, 0, NULL, CLOCK_MONOTONIC);

    int tfd = (int)syscall(SYS_open_tree, AT_FDCWD, "/tmp", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "1m", 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
    int mfd = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
    syscall(SYS_move_mount, mfd, "", AT_FDCWD, "/nonexistent-procscope", MOVE_MOUNT_F_EMPTY_PATH);
    syscall(SYS_fspick, AT_FDCWD, "/tmp", FSPICK_CLOEXEC | FSPICK_NO_AUTOMOUNT);
    struct mount_attr ma;
    memset(&ma, 0, sizeof ma);
    ma.attr_set = MOUNT_ATTR_RDONLY;
    syscall(SYS_mount_setattr, tfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof ma);

    struct landlock_ruleset_attr ra = {LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE};
    int rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof ra, 0);
    syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    struct landlock_path_beneath_attr pb = {LANDLOCK_ACCESS_FS_READ_FILE, fd};
    syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);

    unsigned long nm = 1;
    int mode;
    syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, &nm, 64);
    syscall(SYS_get_mempolicy, &mode, &nm, 64, NULL, 0);
    syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0);
    syscall(SYS_mbind, buf, 4096, 1 /* MPOL_PREFERRED */, &nm, 64, 1 /* MPOL_MF_STRICT */);
    syscall(SYS_migrate_pages, 0, 64, &nm, &nm);
    void *pg[1] = {buf};
    int nodes[1] = {0}, st[1];
    syscall(SYS_move_pages, 0, 1, pg, nodes, st, 2 /* MPOL_MF_MOVE */);

#ifdef SYS_kexec_file_load
    syscall(SYS_kexec_file_load, fd, -1, 0, "", 0x40);
#endif
    syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000); /* an unknown architecture: rejected */
    syscall(SYS_init_module, buf, 4, "x=1");
    syscall(SYS_finit_module, fd, "", 3);
    syscall(SYS_delete_module, "procscope_none", O_NONBLOCK | O_TRUNC);

    struct io_uring_params up;
    memset(&up, 0, sizeof up);
    up.flags = IORING_SETUP_CLAMP;
    int ring = (int)syscall(SYS_io_uring_setup, 4, &up);
    syscall(SYS_io_uring_enter, ring, 0, 0, IORING_ENTER_GETEVENTS, NULL, 8);
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGUSR1);
    syscall(SYS_io_uring_enter, ring, 0, 0, 0, &ss, 8);
    int rfds[2] = {0, 1};
    syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES, rfds, 2);
    syscall(SYS_io_uring_register, ring, IORING_UNREGISTER_FILES, NULL, 0);
    syscall(SYS_io_uring_register, ring, 99, NULL, 0);
    memset(&up, 0, sizeof up);
    up.flags = 0x80000000;
    syscall(SYS_io_uring_setup, 4, &up);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "sysv") == 0)
        return sysv();
    if (argc > 1 && strcmp(argv[1], "vectors") == 0)
        return vectors();
    if (argc > 1 && strcmp(argv[1], "rare") == 0)
        return rare();
    fprintf(stderr, "usage: trace-ipc sysv|vectors|rare\n");
    return 2;
}
