/* fuzz_util.h: what the harnesses share: a private temporary folder for
 * the run, and writing an input to a file in it (for the parsers that read
 * files).  Harness state is built once, on the first input, and kept for the
 * process: libFuzzer calls LLVMFuzzerTestOneInput millions of times. */
#ifndef TRAWL_FUZZ_UTIL_H
#define TRAWL_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[512];

static inline void fuzz_rmdir(void)
{
    char cmd[600];
    if (fuzz_dir[0] && snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir) < (int)sizeof cmd &&
        system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", fuzz_dir);
}

/* A folder of the process's own under $TMPDIR (or /tmp), made once and
 * removed at a normal exit (left behind after a crash, for a look). */
static inline const char *fuzz_tmpdir(void)
{
    if (!fuzz_dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/trawl-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_rmdir);
    }
    return fuzz_dir;
}

/* Write data to fuzz_tmpdir()/name; returns the path (static buffer). */
static inline const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        abort();
    return path;
}

/* The input as a device's media, read by offset (a scan_media_read or
 * dec_read_fn): what lies past the end reads as nothing. */
typedef struct fuzz_media {
    const uint8_t *d;
    size_t n;
} fuzz_media;

static inline int fuzz_media_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
    const fuzz_media *m = ctx;
    *got = 0;
    if (off >= m->n)
        return 0;
    size_t k = m->n - off < len ? (size_t)(m->n - off) : len;
    memcpy(buf, m->d + off, k);
    *got = k;
    return 0;
}

/* Touch every byte of p[0..n) so that ASan checks the whole range. */
static inline unsigned fuzz_touch(const void *p, size_t n)
{
    const volatile uint8_t *b = p;
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += b[i];
    return s;
}

#endif
