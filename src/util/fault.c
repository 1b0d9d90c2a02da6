/* fault.c: the fault table (see fault.h) and the link-time wrappers that
 * send trawl's allocations and file writes through it.
 *
 * Why --wrap and not a sys_malloc() to call everywhere: trawl's code calls
 * malloc, fwrite, rename... in some sixty files; a wrapper picked by the
 * linker covers all of them, and any call added later, with no call site
 * to get wrong, and without replacing the process's malloc (which the
 * preload shim of tests/faults did, and AddressSanitizer forbids).  What it
 * does not see is the shared libraries' own calls (libtsk, libewf, libc's
 * internals): SQLite's are routed here by case_fault_hooks; the others
 * are what the preload shim of the Release build is for. */
#include "util/fault.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The table: armed and its targets are written once by fault_arm, before
 * any thread exists; n[] is counted by every thread. */
static struct {
    int armed, ready;
    int persist;
    fault_kind kind;
    unsigned long target; /* 0: count only */
    unsigned long n[FAULT_KINDS];
} table;

int fault_arm(const char *spec, int *on, trawl_err *err)
{
    *on = 0;
    if (!spec || !*spec)
        return 0;
    if (!strcmp(spec, "count")) {
        table.ready = 1;
        *on = 1;
        return 0;
    }
    fault_kind kind;
    const char *p;
    if (!strncmp(spec, "alloc:", 6))
        kind = FAULT_ALLOC, p = spec + 6;
    else if (!strncmp(spec, "write:", 6))
        kind = FAULT_WRITE, p = spec + 6;
    else
        return trawl_fail(err, TRAWL_EUSAGE, "TRAWL_FAULT: '%s' is not alloc:N, write:N or count",
                          spec);
    if (*p < '0' || *p > '9') /* strtoul would take "-1" */
        return trawl_fail(err, TRAWL_EUSAGE, "TRAWL_FAULT: '%s': N must be a number from 1", spec);
    char *end;
    errno = 0;
    unsigned long n = strtoul(p, &end, 10);
    if (errno || end == p || n == 0 || (*end && strcmp(end, "+")))
        return trawl_fail(err, TRAWL_EUSAGE, "TRAWL_FAULT: '%s': N must be a number from 1", spec);
    table.kind = kind;
    table.target = n;
    table.persist = *end == '+';
    table.ready = 1;
    *on = 1;
    return 0;
}

void fault_start(void)
{
    table.armed = table.ready;
}

int fault_armed(void)
{
    return table.armed;
}

int fault_hit(fault_kind kind)
{
    if (!table.armed)
        return 0;
    unsigned long k = __atomic_add_fetch(&table.n[kind], 1, __ATOMIC_RELAXED);
    if (!table.target || kind != table.kind || k < table.target)
        return 0;
    if (k == table.target)
        return table.persist ? FAULT_FILLS : 1;
    return table.persist;
}

void fault_counts(unsigned long out[FAULT_KINDS])
{
    for (int i = 0; i < FAULT_KINDS; i++)
        out[i] = __atomic_load_n(&table.n[i], __ATOMIC_RELAXED);
}

/* The wrappers.  Each is what the linker substitutes for the call of the
 * same name without the prefix; __real_NAME is the function itself. */
/* fault_hit's answer (0, 1 or FAULT_FILLS) when armed, else 0. */
#define FAILS(kind) (__builtin_expect(table.armed, 0) ? fault_hit(kind) : 0)

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_posix_memalign(void **out, size_t align, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_posix_memalign(void **out, size_t align, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);

static void *no_memory(void)
{
    errno = ENOMEM;
    return NULL;
}

void *__wrap_malloc(size_t n)
{
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_malloc(n);
}

void *__wrap_calloc(size_t a, size_t b)
{
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_calloc(a, b);
}

void *__wrap_realloc(void *p, size_t n)
{
    /* realloc(p, 0) frees p: not an allocation. */
    if (p && n == 0)
        return __real_realloc(p, n);
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_strndup(s, n);
}

int __wrap_posix_memalign(void **out, size_t align, size_t n)
{
    return FAILS(FAULT_ALLOC) ? ENOMEM : __real_posix_memalign(out, align, n);
}

void *__wrap_aligned_alloc(size_t align, size_t n)
{
    return FAILS(FAULT_ALLOC) ? no_memory() : __real_aligned_alloc(align, n);
}

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __real_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __real_pwrite64(int fd, const void *buf, size_t n, off_t off);
size_t __real_fwrite(const void *buf, size_t size, size_t n, FILE *f);
int __real_fputs(const char *s, FILE *f);
int __real_fflush(FILE *f);
int __real_fclose(FILE *f);
int __real_fsync(int fd);
int __real_fdatasync(int fd);
int __real_ftruncate(int fd, off_t n);
int __real_rename(const char *from, const char *to);

ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __wrap_pwrite64(int fd, const void *buf, size_t n, off_t off);
size_t __wrap_fwrite(const void *buf, size_t size, size_t n, FILE *f);
int __wrap_fputs(const char *s, FILE *f);
int __wrap_fprintf(FILE *f, const char *fmt, ...);
int __wrap_fflush(FILE *f);
int __wrap_fclose(FILE *f);
int __wrap_fsync(int fd);
int __wrap_fdatasync(int fd);
int __wrap_ftruncate(int fd, off_t n);
int __wrap_rename(const char *from, const char *to);

/* Must this write to a file (not the terminal's streams) fail?  1: yes,
 * ENOSPC; FAULT_FILLS: the disk fills during it (a short write). */
static int fd_fails(int fd)
{
    int f;
    if (fd <= STDERR_FILENO || !(f = FAILS(FAULT_WRITE)))
        return 0;
    errno = ENOSPC;
    return f;
}

static int stream_fails(FILE *f)
{
    if (!f || f == stdout || f == stderr || !FAILS(FAULT_WRITE))
        return 0;
    errno = ENOSPC;
    return 1;
}

/* The write that fills the disk writes half its bytes, as a full disk's
 * last write does; the next ones fail. */
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    int f = fd_fails(fd);
    if (f == FAULT_FILLS && n > 1)
        return __real_write(fd, buf, n / 2);
    return f ? -1 : __real_write(fd, buf, n);
}

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    int f = fd_fails(fd);
    if (f == FAULT_FILLS && n > 1)
        return __real_pwrite(fd, buf, n / 2, off);
    return f ? -1 : __real_pwrite(fd, buf, n, off);
}

ssize_t __wrap_pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    int f = fd_fails(fd);
    if (f == FAULT_FILLS && n > 1)
        return __real_pwrite64(fd, buf, n / 2, off);
    return f ? -1 : __real_pwrite64(fd, buf, n, off);
}

size_t __wrap_fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    return stream_fails(f) ? 0 : __real_fwrite(buf, size, n, f);
}

int __wrap_fputs(const char *s, FILE *f)
{
    return stream_fails(f) ? EOF : __real_fputs(s, f);
}

int __wrap_fprintf(FILE *f, const char *fmt, ...)
{
    if (stream_fails(f))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

/* A flush or close fails only on a stream open for writing: a read
 * stream's fclose cannot lose data. */
int __wrap_fflush(FILE *f)
{
    if (f && __fwritable(f) && stream_fails(f))
        return EOF;
    return __real_fflush(f);
}

int __wrap_fclose(FILE *f)
{
    /* As a close whose flush hit a full disk: the stream is gone either way. */
    int fails = __fwritable(f) && stream_fails(f);
    int r = __real_fclose(f);
    if (fails)
        errno = ENOSPC;
    return fails ? EOF : r;
}

int __wrap_fsync(int fd)
{
    return fd_fails(fd) ? -1 : __real_fsync(fd);
}

int __wrap_fdatasync(int fd)
{
    return fd_fails(fd) ? -1 : __real_fdatasync(fd);
}

int __wrap_ftruncate(int fd, off_t n)
{
    /* A full disk (a "+" run) still lets a file shrink: only write:N fails
     * a truncation. */
    int f = fd_fails(fd);
    if (f && table.persist)
        f = 0;
    return f ? -1 : __real_ftruncate(fd, n);
}

int __wrap_rename(const char *from, const char *to)
{
    if (FAILS(FAULT_WRITE)) {
        errno = ENOSPC;
        return -1;
    }
    return __real_rename(from, to);
}
