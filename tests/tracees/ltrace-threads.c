/* Four threads call the same library function (strlen) on their own strings at the same time,
 * for procscope ltrace: several threads hit one breakpoint. Each thread waits on a barrier so
 * all four are inside the loop together. argv[1] = calls per thread (default 50). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_barrier_t barrier;
static int calls = 50;
static const char *names[4] = { "a", "bb", "ccc", "dddd" };

static void *worker(void *arg)
{
    const char *s = names[(long)arg];
    pthread_barrier_wait(&barrier);
    size_t total = 0;
    for (int i = 0; i < calls; i++) {
        /* An empty asm makes s opaque, so strlen cannot be hoisted out of the loop. */
        __asm__ volatile("" : "+r"(s));
        total += strlen(s);
    }
    return (void *)total;
}

int main(int argc, char **argv)
{
    if (argc > 1) calls = atoi(argv[1]);
    pthread_t t[4];
    pthread_barrier_init(&barrier, NULL, 4);
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    /* 1+2+3+4 characters, calls times each */
    printf("total %ld\n", sum);
    return sum == 10L * calls ? 0 : 1;
}
