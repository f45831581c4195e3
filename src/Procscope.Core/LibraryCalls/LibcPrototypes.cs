namespace Procscope.Core.LibraryCalls;

/// <summary>
/// Prototypes of common glibc functions, in <see cref="PrototypeTable"/>'s text form (written from the
/// man pages, sections 2 and 3). `out` arguments are buffers the callee fills: shown after the call.
/// </summary>
public static class LibcPrototypes
{
    private static PrototypeTable? s_table;

    /// <summary>The parsed table (parsed once, on first use).</summary>
    public static PrototypeTable Table => s_table ??= PrototypeTable.Parse(Text);

    public const string Text = """
# memory
ptr malloc(size_t); !null
ptr calloc(size_t, size_t); !null
ptr realloc(ptr, size_t); !null
ptr reallocarray(ptr, size_t, size_t); !null
void free(ptr);
ptr aligned_alloc(size_t, size_t); !null
ptr memalign(size_t, size_t); !null
int posix_memalign(ptr, size_t, size_t);
ptr valloc(size_t); !null
size_t malloc_usable_size(ptr);
ptr memcpy(ptr, ptr, size_t);
ptr mempcpy(ptr, ptr, size_t);
ptr memmove(ptr, ptr, size_t);
ptr memset(ptr, int, size_t);
int memcmp(ptr, ptr, size_t);
ptr memchr(ptr, int, size_t);
ptr memrchr(ptr, int, size_t);
ptr mmap(ptr, size_t, int, hex, int, long);
int munmap(ptr, size_t); !errno
int mprotect(ptr, size_t, hex); !errno
# strings
size_t strlen(string);
size_t strnlen(string, size_t);
ptr strcpy(ptr, string);
ptr stpcpy(ptr, string);
ptr strncpy(ptr, string, size_t);
ptr strcat(ptr, string);
ptr strncat(ptr, string, size_t);
int strcmp(string, string);
int strncmp(string, string, size_t);
int strcasecmp(string, string);
int strncasecmp(string, string, size_t);
int strcoll(string, string);
string strchr(string, char);
string strrchr(string, char);
string strchrnul(string, char);
string strstr(string, string);
string strcasestr(string, string);
string strpbrk(string, string);
size_t strspn(string, string);
size_t strcspn(string, string);
string strdup(string); !null
string strndup(string, size_t); !null
string strtok(string, string);
string strtok_r(string, string, ptr);
string strsep(ptr, string);
string strerror(int);
int strerror_r(int, out, size_t);
string strsignal(int);
size_t strxfrm(out, string, size_t);
string index(string, char);
string rindex(string, char);
string basename(string);
string dirname(string);
# conversions
int atoi(string);
long atol(string);
long atoll(string);
double atof(string);
long strtol(string, ptr, int);
ulong strtoul(string, ptr, int);
long strtoll(string, ptr, int);
ulong strtoull(string, ptr, int);
double strtod(string, ptr);
int abs(int);
long labs(long);
int toupper(char);
int tolower(char);
int isalpha(char);
int isdigit(char);
int isalnum(char);
int isspace(char);
int isupper(char);
int islower(char);
int isprint(char);
int ispunct(char);
int isxdigit(char);
# formatted output and input
int printf(format);
int fprintf(file, format);
int dprintf(int, format);
int sprintf(out, format);
int snprintf(out, size_t, format);
int asprintf(ptr, format);
int __printf_chk(int, format);
int __fprintf_chk(file, int, format);
int __sprintf_chk(out, int, size_t, format);
int __snprintf_chk(out, size_t, int, size_t, format);
int __dprintf_chk(int, int, format);
int __asprintf_chk(ptr, int, format);
int vprintf(string, ptr);
int vfprintf(file, string, ptr);
int vsnprintf(out, size_t, string, ptr);
int scanf(string);
int sscanf(string, string);
int fscanf(file, string);
int __isoc99_scanf(string);
int __isoc99_sscanf(string, string);
int __isoc99_fscanf(file, string);
int puts(string);
int putchar(char);
int fputs(string, file);
int fputc(char, file);
int putc(char, file);
int _IO_putc(char, file);
int getchar();
int fgetc(file);
int getc(file);
int _IO_getc(file);
int ungetc(char, file);
string fgets(out, int, file);
long getline(ptr, ptr, file); !errno
int perror(string);
# stdio streams
file fopen(string, string); !null
file fdopen(int, string); !null
file freopen(string, string, file); !null
file fmemopen(ptr, size_t, string); !null
file popen(string, string); !null
int pclose(file); !errno
int fclose(file);
int fflush(file);
size_t fread(ptr, size_t, size_t, file);
size_t fwrite(ptr, size_t, size_t, file);
int fseek(file, long, int); !errno
long ftell(file); !errno
void rewind(file);
int feof(file);
int ferror(file);
int fileno(file);
void setbuf(file, ptr);
int setvbuf(file, ptr, int, size_t);
# file descriptors and files
int open(string, int, octal); !errno
int open64(string, int, octal); !errno
int openat(int, string, int, octal); !errno
int creat(string, octal); !errno
int close(int); !errno
long read(int, ptr, size_t); !errno
long write(int, string, size_t); !errno
long pread(int, ptr, size_t, long); !errno
long pwrite(int, ptr, size_t, long); !errno
long lseek(int, long, int); !errno
int dup(int); !errno
int dup2(int, int); !errno
int pipe(ptr); !errno
int fcntl(int, int, hex); !errno
int ioctl(int, hex, ptr); !errno
int access(string, octal); !errno
int unlink(string); !errno
int rmdir(string); !errno
int mkdir(string, octal); !errno
int rename(string, string); !errno
int remove(string); !errno
int chdir(string); !errno
string getcwd(out, size_t); !null
int chmod(string, octal); !errno
int chown(string, int, int); !errno
int symlink(string, string); !errno
long readlink(string, out, size_t); !errno
int stat(string, ptr); !errno
int lstat(string, ptr); !errno
int fstat(int, ptr); !errno
int truncate(string, long); !errno
int ftruncate(int, long); !errno
int fsync(int); !errno
ptr opendir(string); !null
ptr readdir(ptr);
int closedir(ptr); !errno
string realpath(string, out); !null
int mkstemp(string); !errno
int isatty(int);
# processes and environment
string getenv(string);
string secure_getenv(string);
int setenv(string, string, int); !errno
int unsetenv(string); !errno
int putenv(string); !errno
int getpid();
int getppid();
int getuid();
int geteuid();
int getgid();
int getegid();
int fork(); !errno
int vfork(); !errno
int execv(string, ptr); !errno
int execvp(string, ptr); !errno
int execve(string, ptr, ptr); !errno
int system(string);
int waitpid(int, ptr, int); !errno
int wait(ptr); !errno
int kill(int, int); !errno
int raise(int);
void exit(int);
void _exit(int);
void abort();
int atexit(ptr);
uint sleep(uint);
int usleep(uint); !errno
int nanosleep(ptr, ptr); !errno
ptr signal(int, ptr);
int sigaction(int, ptr, ptr); !errno
long time(ptr);
int gettimeofday(ptr, ptr); !errno
int clock_gettime(int, ptr); !errno
long clock();
string ctime(ptr);
ptr localtime(ptr);
ptr gmtime(ptr);
size_t strftime(out, size_t, string, ptr);
int rand();
void srand(uint);
long random();
void srandom(uint);
void qsort(ptr, size_t, size_t, ptr);
ptr bsearch(ptr, ptr, size_t, size_t, ptr);
string setlocale(int, string);
# network
int socket(int, int, int); !errno
int bind(int, ptr, uint); !errno
int listen(int, int); !errno
int accept(int, ptr, ptr); !errno
int connect(int, ptr, uint); !errno
long send(int, ptr, size_t, hex); !errno
long recv(int, ptr, size_t, hex); !errno
int getaddrinfo(string, string, ptr, ptr);
void freeaddrinfo(ptr);
uint htonl(uint);
uint ntohl(uint);
# dynamic loading and threads
ptr dlopen(string, hex); !null
ptr dlsym(ptr, string); !null
int dlclose(ptr);
string dlerror();
int pthread_create(ptr, ptr, ptr, ptr);
int pthread_join(ulong, ptr);
int pthread_mutex_lock(ptr);
int pthread_mutex_unlock(ptr);
ulong pthread_self();
int sched_yield(); !errno
ptr __errno_location();
int __cxa_atexit(ptr, ptr, ptr);
void __assert_fail(string, string, uint, string);
int __libc_current_sigrtmin();
ptr __ctype_b_loc();
ptr __ctype_toupper_loc();
ptr __ctype_tolower_loc();
long __isoc99_strtol(string, ptr, int);
ptr __memcpy_chk(ptr, ptr, size_t, size_t);
ptr __memset_chk(ptr, int, size_t, size_t);
ptr __strcpy_chk(ptr, string, size_t);
int __vfprintf_chk(file, int, string, ptr);
long __read_chk(int, ptr, size_t, size_t); !errno
""";
}
