/* Library calls with known arguments and results, for procscope ltrace. Built in five ways
 * (default PIE, -no-pie, -Wl,-z,now, -fno-plt, IBT .plt.sec) by the tests. Every call's
 * arguments are fixed so the tests can assert the exact lines. argv[1] = iterations of the
 * malloc/strlen/free loop (default 2). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2;
    for (int i = 0; i < n; i++) {
        char *p = malloc(16);
        strcpy(p, "hello");
        if (strlen(p) != 5) return 1;
        free(p);
    }
    if (n > 2) return 0; /* benchmark mode: only the loop */
    printf("%s=%d %c\n", "answer", 42, 'x');
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%x-%ld", 255U, -7L);
    if (getenv("PROCSCOPE_LTRACE_UNSET") != NULL) return 2;
    int fd = open("/nonexistent/procscope", O_RDONLY);
    if (fd >= 0 || errno != ENOENT) return 3;
    puts(buf);
    return len == 5 ? 0 : 4;
}
