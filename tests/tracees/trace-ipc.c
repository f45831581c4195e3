/* SysV IPC calls with known arguments for procscope trace (compared with strace 6.1).
 * Built 64-bit and -m32 (where glibc goes through the i386 ipc() multiplexer).
 * Usage: trace-ipc sysv */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "sysv") == 0)
        return sysv();
    fprintf(stderr, "usage: trace-ipc sysv\n");
    return 2;
}
