/* Calls getpid() then usleep(20000) forever, printing "# ready" first, for procscope ltrace -p:
 * attach, detach and killing the tracer must leave it running. Each iteration also checks
 * strlen's result, so a leftover breakpoint byte (a SIGTRAP) or a corrupted register shows. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    printf("# ready\n");
    fflush(stdout);
    for (unsigned long i = 0;; i++) {
        if (strlen("procscope") != 9) return 1;
        if (getpid() <= 0) return 2;
        usleep(20000);
        if (i % 50 == 0) { printf("alive %lu\n", i); fflush(stdout); }
    }
}
