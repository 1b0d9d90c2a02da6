/* features.c: see features.h. */
#include "scan/features.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/strbuf.h"

#define FFILE_BUF (1 << 16)

struct scan_ffile {
    FILE *fp;
    char *path;
    strbuf line;
    char *buf; /* the stream's buffer, FFILE_BUF bytes */
};

static int write_header(FILE *fp, const char *type, const char *image_name, const char *version)
{
    strbuf name = STRBUF_INIT;
    esc_feature(&name, image_name, strlen(image_name));
    int n = fprintf(fp,
                    "# BANNER FILE NOT PROVIDED (-b option)\n"
                    "# TRAWL-Version: %s\n"
                    "# Feature-Recorder: %s\n"
                    "# Filename: %s\n"
                    "# %s: 1.1\n",
                    TRAWL_VERSION, type, sb_cstr(&name), version);
    int oom = name.oom;
    sb_free(&name);
    return n < 0 || oom ? -1 : 0;
}

static int open_in(const char *dir, const char *type, const char *suffix, FILE **fp, char **path,
                   trawl_err *err)
{
    for (const char *p = type; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return trawl_fail(err, TRAWL_EUSAGE, "feature file: bad type name %s", type);
    size_t n = strlen(dir) + strlen(type) + strlen(suffix) + 2;
    *path = malloc(n);
    if (!*path)
        return trawl_fail(err, TRAWL_ENOMEM, "feature file: out of memory");
    snprintf(*path, n, "%s/%s%s", dir, type, suffix);
    *fp = fopen(*path, "wb");
    if (!*fp) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: %s", *path, strerror(errno));
        free(*path);
        *path = NULL;
        return rc;
    }
    return 0;
}

int scan_ffile_open(const char *dir, const char *type, const char *image_name, scan_ffile **out,
                    trawl_err *err)
{
    scan_ffile *f = calloc(1, sizeof *f);
    if (!f)
        return trawl_fail(err, TRAWL_ENOMEM, "feature file: out of memory");
    int rc = open_in(dir, type, ".txt", &f->fp, &f->path, err);
    if (rc) {
        free(f);
        return rc;
    }
    /* Rows are short: 64 KiB a write(2) rather than stdio's 4 KiB (glibc
     * takes the size only with a buffer given). */
    if ((f->buf = malloc(FFILE_BUF)))
        setvbuf(f->fp, f->buf, _IOFBF, FFILE_BUF);
    if (write_header(f->fp, type, image_name, "Feature-File-Version")) {
        rc = trawl_fail(err, TRAWL_EIO, "%s: write failed", f->path);
        fclose(f->fp);
        free(f->buf);
        free(f->path);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int scan_ffile_row(scan_ffile *f, const char *path, const char *feature, size_t feature_len,
                   const uint8_t *context, size_t context_len, trawl_err *err)
{
    sb_reset(&f->line);
    esc_feature(&f->line, path, strlen(path));
    sb_addc(&f->line, '\t');
    esc_feature(&f->line, feature, feature_len);
    sb_addc(&f->line, '\t');
    esc_feature(&f->line, context, context_len);
    sb_addc(&f->line, '\n');
    if (f->line.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", f->path);
    if (fwrite(f->line.buf, 1, f->line.len, f->fp) != f->line.len)
        return trawl_fail(err, TRAWL_EIO, "%s: write failed: %s", f->path, strerror(errno));
    return 0;
}

int scan_ffile_close(scan_ffile *f, trawl_err *err)
{
    if (!f)
        return 0;
    int rc = 0;
    int bad = ferror(f->fp);
    if (fclose(f->fp) != 0 || bad)
        rc = trawl_fail(err, TRAWL_EIO, "%s: write failed: %s", f->path, strerror(errno));
    sb_free(&f->line);
    free(f->buf);
    free(f->path);
    free(f);
    return rc;
}

/* --- Histograms ------------------------------------------------------------ */

typedef struct hentry {
    char *feature;
    size_t len;
    uint64_t count;
} hentry;

struct scan_histogram {
    char *dir, *type, *image;
    hentry *v;
    size_t n, cap;
    size_t *slots; /* open addressing: index + 1 */
    size_t nslots;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

int scan_histogram_open(const char *dir, const char *type, const char *image_name,
                        scan_histogram **out, trawl_err *err)
{
    scan_histogram *h = calloc(1, sizeof *h);
    if (!h || !(h->dir = strdup(dir)) || !(h->type = strdup(type)) ||
        !(h->image = strdup(image_name))) {
        scan_histogram_abort(h);
        return trawl_fail(err, TRAWL_ENOMEM, "histogram: out of memory");
    }
    *out = h;
    return 0;
}

static int rehash(scan_histogram *h)
{
    size_t ns = h->nslots ? h->nslots * 2 : 1024;
    size_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < h->n; i++) {
        size_t k = (size_t)fnv(h->v[i].feature, h->v[i].len) & (ns - 1);
        while (s[k])
            k = (k + 1) & (ns - 1);
        s[k] = i + 1;
    }
    free(h->slots);
    h->slots = s;
    h->nslots = ns;
    return 0;
}

int scan_histogram_add(scan_histogram *h, const char *feature, size_t len, uint64_t count,
                       trawl_err *err)
{
    if ((h->n + 1) * 2 > h->nslots && rehash(h))
        return trawl_fail(err, TRAWL_ENOMEM, "histogram: out of memory");
    size_t k = (size_t)fnv(feature, len) & (h->nslots - 1);
    for (; h->slots[k]; k = (k + 1) & (h->nslots - 1)) {
        hentry *e = &h->v[h->slots[k] - 1];
        if (e->len == len && !memcmp(e->feature, feature, len)) {
            e->count += count;
            return 0;
        }
    }
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        hentry *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv)
            return trawl_fail(err, TRAWL_ENOMEM, "histogram: out of memory");
        h->v = nv, h->cap = nc;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return trawl_fail(err, TRAWL_ENOMEM, "histogram: out of memory");
    memcpy(copy, feature, len);
    copy[len] = 0;
    h->v[h->n] = (hentry){copy, len, count};
    h->slots[k] = ++h->n;
    return 0;
}

static int hcmp(const void *a, const void *b)
{
    const hentry *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = memcmp(x->feature, y->feature, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

void scan_histogram_abort(scan_histogram *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].feature);
    free(h->v);
    free(h->slots);
    free(h->dir), free(h->type), free(h->image);
    free(h);
}

int scan_histogram_close(scan_histogram *h, trawl_err *err)
{
    if (!h)
        return 0;
    FILE *fp;
    char *path;
    char suffix[] = "_histogram.txt";
    int rc = open_in(h->dir, h->type, suffix, &fp, &path, err);
    if (rc) {
        scan_histogram_abort(h);
        return rc;
    }
    if (h->n)
        qsort(h->v, h->n, sizeof *h->v, hcmp);
    int bad = write_header(fp, h->type, h->image, "Histogram-File-Version") != 0;
    strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < h->n && !bad; i++) {
        sb_reset(&line);
        sb_addf(&line, "n=%llu\t", (unsigned long long)h->v[i].count);
        esc_feature(&line, h->v[i].feature, h->v[i].len);
        sb_addc(&line, '\n');
        bad = line.oom || fwrite(line.buf, 1, line.len, fp) != line.len;
    }
    sb_free(&line);
    bad |= ferror(fp);
    if (fclose(fp) != 0 || bad)
        rc = trawl_fail(err, TRAWL_EIO, "%s: write failed: %s", path, strerror(errno));
    free(path);
    scan_histogram_abort(h);
    return rc;
}
