/* failshim.c: fault injection for the end-to-end tests, loaded into the real
 * trawl binary with LD_PRELOAD (tests/e2e/faults_inject.sh).  In the spirit
 * of SQLite's aSyscall[] table, every allocation (malloc, calloc, realloc,
 * posix_memalign, aligned_alloc: trawl's own, SQLite's, the libraries') and
 * every file write (write, pwrite, pwrite64, fwrite, fputs, fsync,
 * fdatasync, rename, ftruncate) goes through one counter of its kind, and
 * the Nth of a kind fails:
 *     TRAWL_FAIL_ALLOC=N   the Nth allocation returns NULL (errno ENOMEM)
 *     TRAWL_FAIL_WRITE=N   the Nth write-like call fails with ENOSPC
 *     TRAWL_FAIL_PERSIST=1 every call from the Nth on fails, not just one
 *     TRAWL_FAIL_COUNT=F   at exit, append "allocs N writes M" to file F
 *     TRAWL_FAIL_SPARE=S,T an allocation called from a library whose file
 *                          name contains S or T is not failed (a library
 *                          whose own out-of-memory path crashes)
 * Writes to standard output and standard error are not counted (they are
 * not the case).  Writes that stdio buffers and flushes inside libc
 * (fprintf, putc, fclose's flush) do not pass through here; fwrite and
 * fputs do.  Not usable with AddressSanitizer, which owns malloc: the test
 * that uses it is not registered in the sanitizer build, where trawl's own
 * fault table (src/util/fault.c, tests/e2e/faults_table.sh) does the work. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long fail_alloc, fail_write, n_alloc, n_write;
static int persist, ready;

static unsigned long env_num(const char *name)
{
    const char *v = getenv(name);
    return v ? strtoul(v, NULL, 10) : 0;
}

__attribute__((constructor)) static void shim_init(void)
{
    fail_alloc = env_num("TRAWL_FAIL_ALLOC");
    fail_write = env_num("TRAWL_FAIL_WRITE");
    persist = env_num("TRAWL_FAIL_PERSIST") != 0;
}

/* Counting starts at main: the constructors of the libraries (libstdc++,
 * OpenSSL, libmagic...) run before trawl can do anything about a failure. */
typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int counted_main(int argc, char **argv, char **envp)
{
    __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
                            void *);
    start_fn real_start = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return real_start(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((destructor)) static void shim_fini(void)
{
    __atomic_store_n(&ready, 0, __ATOMIC_SEQ_CST);
    const char *f = getenv("TRAWL_FAIL_COUNT");
    if (!f)
        return;
    int fd = open(f, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return;
    char line[96];
    int n = snprintf(line, sizeof line, "allocs %lu writes %lu\n",
                     __atomic_load_n(&n_alloc, __ATOMIC_SEQ_CST),
                     __atomic_load_n(&n_write, __ATOMIC_SEQ_CST));
    if (syscall(SYS_write, fd, line, (size_t)n) < 0)
        n = 0;
    close(fd);
}

/* Should this call of a kind fail?  Counts it. */
static int hit(unsigned long *counter, unsigned long target)
{
    if (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
        return 0;
    unsigned long k = __atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST);
    return target && (k == target || (persist && k > target));
}

static __thread int in_spare_check;

/* Is the allocation being failed called from the spared library? */
static int spared(void)
{
    const char *s = getenv("TRAWL_FAIL_SPARE");
    if (!s || !*s || in_spare_check)
        return 0;
    in_spare_check = 1;
    void *frames[64];
    int n = backtrace(frames, 64), found = 0;
    for (int i = 0; i < n && !found; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info) || !info.dli_fname)
            continue;
        for (const char *p = s; *p && !found;) {
            size_t len = strcspn(p, ",");
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            found = len && strstr(info.dli_fname, name) != NULL;
            p += len + (p[len] == ',');
        }
    }
    in_spare_check = 0;
    return found;
}

static int alloc_fails(void)
{
    if (in_spare_check || !hit(&n_alloc, fail_alloc) || spared())
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    return alloc_fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    return alloc_fails() ? NULL : __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (p && n == 0)
        return __libc_realloc(p, n); /* a free */
    return alloc_fails() ? NULL : __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (alloc_fails())
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    return alloc_fails() ? NULL : __libc_memalign(align, n);
}

void *memalign(size_t align, size_t n)
{
    return alloc_fails() ? NULL : __libc_memalign(align, n);
}

/* The real function name, found once. */
#define REAL(ret, name, ...)                                                                       \
    static ret (*real_##name)(__VA_ARGS__);                                                        \
    if (!real_##name)                                                                              \
        real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name);

static int write_fails(void)
{
    if (!hit(&n_write, fail_write))
        return 0;
    errno = ENOSPC;
    return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, int, const void *, size_t)
    if (fd > 2 && write_fails())
        return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite, int, const void *, size_t, off_t)
    if (fd > 2 && write_fails())
        return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    REAL(ssize_t, pwrite64, int, const void *, size_t, off64_t)
    if (fd > 2 && write_fails())
        return -1;
    return real_pwrite64(fd, buf, n, off);
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    REAL(size_t, fwrite, const void *, size_t, size_t, FILE *)
    if (f != stdout && f != stderr && write_fails())
        return 0;
    return real_fwrite(buf, size, n, f);
}

int fputs(const char *s, FILE *f)
{
    REAL(int, fputs, const char *, FILE *)
    if (f != stdout && f != stderr && write_fails())
        return EOF;
    return real_fputs(s, f);
}

int fsync(int fd)
{
    REAL(int, fsync, int)
    if (write_fails())
        return -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(int, fdatasync, int)
    if (write_fails())
        return -1;
    return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
    REAL(int, rename, const char *, const char *)
    if (write_fails())
        return -1;
    return real_rename(from, to);
}

int ftruncate(int fd, off_t n)
{
    REAL(int, ftruncate, int, off_t)
    if (write_fails())
        return -1;
    return real_ftruncate(fd, n);
}

int ftruncate64(int fd, off64_t n)
{
    REAL(int, ftruncate64, int, off64_t)
    if (write_fails())
        return -1;
    return real_ftruncate64(fd, n);
}
