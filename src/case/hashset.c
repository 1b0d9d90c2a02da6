/* hashset.c: known-file and notable-file hash sets of a case.
 *
 * An imported set is one file, CASE/hashsets/NAME.bin: a 64-byte header
 * ("TRAWLHS1", then the number of MD5, SHA-1 and SHA-256 hashes as 64-bit
 * little-endian counts) followed by the three sorted, de-duplicated arrays of
 * binary hashes.  A look-up memory-maps the file and binary-searches the
 * array of the hash's type, so it stays O(log n) page touches with hundreds
 * of millions of hashes and needs no database query per file.  The hashsets
 * table records the set's name, kind, source and count.
 *
 * Readers for: NSRL RDS v3 (SQLite, view FILE), the legacy NSRLFile.txt
 * CSV, hashdeep files, and md5sum / sha1sum / sha256sum lists. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/case_fs.h"
#include "case/case_int.h"
#include "util/limits.h"
#include "util/strbuf.h"

#define HS_MAGIC "TRAWLHS1"
#define HS_HEADER 64

enum { T_MD5, T_SHA1, T_SHA256, T_N };
static const size_t hs_width[T_N] = {16, 20, 32};

/* --- Building ------------------------------------------------------------ */

/* Hashes are collected per type in memory up to `chunk` entries; then the
 * array is sorted, de-duplicated and appended as one sorted run to a spill
 * file (unlinked at once, in the case's hashsets folder), and writing the set
 * merges the runs.  Memory stays bounded whatever the size of the input. */
typedef struct hs_build {
    uint8_t *v[T_N];
    uint64_t n[T_N], cap[T_N];
    uint64_t chunk;                          /* entries per type kept in memory */
    const char *spill_base;                  /* spill files are SPILL_BASE.spillT */
    int spill_fd[T_N];                       /* -1 until the first run of that type */
    uint64_t run_end[T_N][CASE_HS_MAX_RUNS]; /* end offset of each run in the spill file */
    size_t nruns[T_N];
    trawl_err *err;
} hs_build;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Type of a hex hash by its length, or -1. */
static int hex_type(size_t len)
{
    return len == 32 ? T_MD5 : len == 40 ? T_SHA1 : len == 64 ? T_SHA256 : -1;
}

static int hex_to_bin(const char *hex, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len / 2; i++) {
        int a = hexval((unsigned char)hex[2 * i]), b = hexval((unsigned char)hex[2 * i + 1]);
        if (a < 0 || b < 0)
            return -1;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return 0;
}

static int cmp16(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}
static int cmp20(const void *a, const void *b)
{
    return memcmp(a, b, 20);
}
static int cmp32(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

/* Sort and de-duplicate the in-memory hashes of type t. */
static void hs_sort(hs_build *b, int t)
{
    int (*cmp[T_N])(const void *, const void *) = {cmp16, cmp20, cmp32};
    size_t w = hs_width[t];
    if (!b->n[t])
        return;
    qsort(b->v[t], b->n[t], w, cmp[t]);
    uint64_t u = 1;
    for (uint64_t i = 1; i < b->n[t]; i++)
        if (memcmp(b->v[t] + i * w, b->v[t] + (u - 1) * w, w) != 0) {
            if (u != i)
                memcpy(b->v[t] + u * w, b->v[t] + i * w, w);
            u++;
        }
    b->n[t] = u;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *q = p;
    while (n) {
        ssize_t w = write(fd, q, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        q += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Append the in-memory hashes of type t, sorted, as one run of the spill file. */
static int hs_spill(hs_build *b, int t)
{
    if (b->nruns[t] >= CASE_HS_MAX_RUNS)
        return trawl_fail(b->err, TRAWL_ELIMIT, "hash set: more than %u sorted runs",
                          CASE_HS_MAX_RUNS);
    if (b->spill_fd[t] < 0) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s.spill%d", b->spill_base, t);
        if (p.oom)
            return trawl_fail(b->err, TRAWL_ENOMEM, "out of memory");
        b->spill_fd[t] = open(sb_cstr(&p), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        int e = errno;
        if (b->spill_fd[t] >= 0)
            unlink(sb_cstr(&p)); /* anonymous from now on: gone with the descriptor */
        if (b->spill_fd[t] < 0) {
            int rc =
                trawl_fail(b->err, TRAWL_EIO, "%s: cannot create: %s", sb_cstr(&p), strerror(e));
            sb_free(&p);
            return rc;
        }
        sb_free(&p);
    }
    hs_sort(b, t);
    uint64_t prev = b->nruns[t] ? b->run_end[t][b->nruns[t] - 1] : 0;
    if (write_all(b->spill_fd[t], b->v[t], b->n[t] * hs_width[t]) != 0)
        return trawl_fail(b->err, TRAWL_EIO, "%s.spill%d: cannot write: %s", b->spill_base, t,
                          strerror(errno));
    b->run_end[t][b->nruns[t]++] = prev + b->n[t] * hs_width[t];
    b->n[t] = 0;
    return 0;
}

/* Add a hex hash of type t (or of the type its length says when t < 0).
 * Returns 0, 1 when it is not a hash, or an error code (message in b->err). */
static int hs_add(hs_build *b, int t, const char *hex, size_t len)
{
    int lt = hex_type(len);
    if (lt < 0 || (t >= 0 && lt != t))
        return 1;
    if (b->n[lt] == b->chunk) {
        int rc = hs_spill(b, lt);
        if (rc)
            return rc;
    }
    if (b->n[lt] == b->cap[lt]) {
        uint64_t cap = b->cap[lt] ? b->cap[lt] * 2 : 1 << 16;
        if (cap > b->chunk)
            cap = b->chunk;
        uint8_t *nv = realloc(b->v[lt], cap * hs_width[lt]);
        if (!nv)
            return trawl_fail(b->err, TRAWL_ENOMEM, "hash set: out of memory at %llu hashes",
                              (unsigned long long)b->n[lt]);
        b->v[lt] = nv;
        b->cap[lt] = cap;
    }
    if (hex_to_bin(hex, len, b->v[lt] + b->n[lt] * hs_width[lt]) != 0)
        return 1;
    b->n[lt]++;
    return 0;
}

static void hs_build_free(hs_build *b)
{
    for (int t = 0; t < T_N; t++) {
        free(b->v[t]);
        if (b->spill_fd[t] >= 0)
            close(b->spill_fd[t]);
    }
}

/* --- Readers ------------------------------------------------------------- */

static int read_rds(const char *file, hs_build *b, trawl_err *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT sha256, sha1, md5 FROM FILE", -1, &st, NULL) != SQLITE_OK) {
        rc = trawl_fail(err, TRAWL_EFORMAT, "%s: not an NSRL RDS v3 database (no FILE view): %s",
                        file, db ? sqlite3_errmsg(db) : "cannot open");
        goto out;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int col = 0; col < 3; col++) {
            const char *h = (const char *)sqlite3_column_text(st, col);
            if (!h || !*h)
                continue;
            int t = col == 0 ? T_SHA256 : col == 1 ? T_SHA1 : T_MD5;
            int r = hs_add(b, t, h, strlen(h));
            if (r > 1) {
                rc = r;
                goto out;
            }
        }
    }
    if (step != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_EFORMAT, "%s: reading FILE: %s", file, sqlite3_errmsg(db));
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* Split a CSV line in place (quotes removed, "" kept as "); returns fields. */
static size_t csv_split(char *s, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        char *out = s;
        f[n++] = s;
        if (*s == '"') {
            char *r = s + 1;
            for (;;) {
                if (*r == 0)
                    break;
                if (*r == '"' && r[1] == '"') {
                    *out++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else
                    *out++ = *r++;
            }
            while (*r && *r != ',')
                r++;
            int more = *r == ',';
            *out = 0;
            if (!more)
                break;
            s = r + 1;
        } else {
            char *comma = strchr(s, ',');
            if (!comma)
                break;
            *comma = 0;
            s = comma + 1;
        }
    }
    return n;
}

enum { F_SUMS, F_NSRL, F_HASHDEEP };

static int read_text(const char *file, hs_build *b, trawl_err *err)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        return trawl_fail(err, TRAWL_EIO, "%s: cannot open: %s", file, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int fmt = -1, rc = 0;
    int col[T_N] = {-1, -1, -1};
    char *fields[64];
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if ((size_t)len > CASE_HS_MAX_LINE) {
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%lu: line longer than %u bytes", file, lineno,
                            CASE_HS_MAX_LINE);
            break;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len == 0)
            continue;
        if (fmt < 0) { /* the first line says what the file is */
            if (!strncmp(line, "%%%% HASHDEEP", 13)) {
                fmt = F_HASHDEEP;
                continue;
            }
            if (!strncmp(line, "\"SHA-1\"", 7) || !strncmp(line, "SHA-1,", 6)) {
                fmt = F_NSRL;
                size_t n = csv_split(line, fields, 64);
                for (size_t i = 0; i < n; i++) {
                    if (!strcmp(fields[i], "SHA-1"))
                        col[T_SHA1] = (int)i;
                    else if (!strcmp(fields[i], "MD5"))
                        col[T_MD5] = (int)i;
                    else if (!strcmp(fields[i], "SHA-256"))
                        col[T_SHA256] = (int)i;
                }
                continue;
            }
            fmt = F_SUMS;
        }
        if (fmt == F_HASHDEEP) {
            if (!strncmp(line, "%%%% size,", 10)) {
                size_t n = csv_split(line + 5, fields, 64);
                for (size_t i = 0; i < n; i++) {
                    if (!strcmp(fields[i], "md5"))
                        col[T_MD5] = (int)i;
                    else if (!strcmp(fields[i], "sha1"))
                        col[T_SHA1] = (int)i;
                    else if (!strcmp(fields[i], "sha256"))
                        col[T_SHA256] = (int)i;
                }
                continue;
            }
            if (line[0] == '#' || line[0] == '%')
                continue;
        }
        if (fmt == F_SUMS) {
            if (line[0] == '#')
                continue;
            const char *h = line + (line[0] == '\\'); /* md5sum escapes odd names so */
            size_t hl = strcspn(h, " \t");
            int r = hs_add(b, -1, h, hl);
            if (r == 1)
                rc = trawl_fail(err, TRAWL_EFORMAT,
                                "%s:%lu: not a hash list line (expected 32, 40 or 64 hex digits)",
                                file, lineno);
            else if (r)
                rc = r;
            if (rc)
                break;
            continue;
        }
        if (col[T_MD5] < 0 && col[T_SHA1] < 0 && col[T_SHA256] < 0) {
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%lu: no md5, sha1 or sha256 column declared",
                            file, lineno);
            break;
        }
        size_t n = csv_split(line, fields, 64);
        for (int t = 0; t < T_N && !rc; t++) {
            if (col[t] < 0)
                continue;
            if ((size_t)col[t] >= n) {
                rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%lu: missing column %d", file, lineno,
                                col[t] + 1);
                break;
            }
            int r = hs_add(b, t, fields[col[t]], strlen(fields[col[t]]));
            if (r == 1)
                rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%lu: column %d is not a hash", file, lineno,
                                col[t] + 1);
            else if (r)
                rc = r;
        }
        if (rc)
            break;
    }
    if (!rc && ferror(fp))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read error", file);
    free(line);
    fclose(fp);
    return rc;
}

/* --- Storing ------------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 128)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return 0;
    return 1;
}

static char *set_path(case_db *c, const char *name, const char *suffix)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/hashsets/%s.bin%s", case_dir(c), name, suffix);
    return sb_detach(&sb);
}

/* One sorted run being merged: entries [off, end) of the spill file. */
typedef struct rrun {
    uint64_t off, end;
    uint8_t *buf;
    size_t pos, len; /* bytes */
} rrun;

/* Make sure the run has a current entry: 1 yes, 0 exhausted, -1 read error. */
static int rr_fill(int fd, rrun *r, size_t cap)
{
    if (r->pos < r->len)
        return 1;
    if (r->off >= r->end)
        return 0;
    size_t n = r->end - r->off < cap ? (size_t)(r->end - r->off) : cap;
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, r->buf + got, n - got, (off_t)(r->off + got));
        if (k <= 0) {
            if (k < 0 && errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)k;
    }
    r->off += n;
    r->pos = 0;
    r->len = n;
    return 1;
}

typedef struct outbuf {
    int fd;
    uint8_t *buf;
    size_t len, cap;
    int bad;
} outbuf;

static void out_put(outbuf *o, const uint8_t *p, size_t n)
{
    if (o->len + n > o->cap) {
        o->bad |= write_all(o->fd, o->buf, o->len) != 0;
        o->len = 0;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

/* k-way merge of the runs of type t into o, dropping duplicates across runs;
 * *count gets the entries written. */
static int merge_runs(hs_build *b, int t, outbuf *o, uint64_t *count)
{
    size_t w = hs_width[t], k = b->nruns[t], cap = CASE_HS_MERGE_BUF * w;
    rrun *r = calloc(k, sizeof *r);
    size_t *heap = malloc(k * sizeof *heap), nh = 0;
    uint8_t last[32];
    int have_last = 0, rc = 0;
    *count = 0;
    if (!r || !heap)
        rc = trawl_fail(b->err, TRAWL_ENOMEM, "out of memory");
    for (size_t i = 0; i < k && !rc; i++) {
        r[i].off = i ? b->run_end[t][i - 1] : 0;
        r[i].end = b->run_end[t][i];
        if (!(r[i].buf = malloc(cap)))
            rc = trawl_fail(b->err, TRAWL_ENOMEM, "out of memory");
    }
#define CUR(i) (r[i].buf + r[i].pos)
    for (size_t i = 0; i < k && !rc; i++) { /* build the heap */
        int f = rr_fill(b->spill_fd[t], &r[i], cap);
        if (f < 0) {
            rc = -1;
            break;
        }
        if (!f)
            continue;
        size_t j = nh++;
        heap[j] = i;
        while (j && memcmp(CUR(heap[(j - 1) / 2]), CUR(heap[j]), w) > 0) {
            size_t p = (j - 1) / 2, x = heap[p];
            heap[p] = heap[j];
            heap[j] = x;
            j = p;
        }
    }
    while (!rc && nh) {
        size_t top = heap[0];
        if (!have_last || memcmp(last, CUR(top), w) != 0) {
            memcpy(last, CUR(top), w);
            have_last = 1;
            out_put(o, last, w);
            (*count)++;
        }
        r[top].pos += w;
        int f = rr_fill(b->spill_fd[t], &r[top], cap);
        if (f < 0) {
            rc = -1;
            break;
        }
        if (!f)
            heap[0] = heap[--nh];
        for (size_t j = 0;;) { /* sift down */
            size_t l = 2 * j + 1, m = j;
            if (l < nh && memcmp(CUR(heap[l]), CUR(heap[m]), w) < 0)
                m = l;
            if (l + 1 < nh && memcmp(CUR(heap[l + 1]), CUR(heap[m]), w) < 0)
                m = l + 1;
            if (m == j)
                break;
            size_t x = heap[m];
            heap[m] = heap[j];
            heap[j] = x;
            j = m;
        }
    }
#undef CUR
    if (rc == -1)
        rc = trawl_fail(b->err, TRAWL_EIO, "%s.spill%d: cannot read: %s", b->spill_base, t,
                        strerror(errno));
    for (size_t i = 0; r && i < k; i++)
        free(r[i].buf);
    free(r);
    free(heap);
    return rc;
}

/* Write the set to tmp and rename it to final; *total gets the hashes. */
static int write_set(const char *tmp, const char *final, hs_build *b, uint64_t *total,
                     trawl_err *err)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return trawl_fail(err, TRAWL_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    uint8_t h[HS_HEADER] = {0};
    outbuf o = {fd, malloc(1u << 20), 0, 1u << 20, 0};
    int rc = o.buf ? 0 : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    uint64_t counts[T_N] = {0};
    if (!rc)
        out_put(&o, h, sizeof h); /* the counts are filled in at the end */
    for (int t = 0; t < T_N && !rc; t++) {
        if (b->nruns[t] == 0) {
            hs_sort(b, t);
            size_t w = hs_width[t];
            for (uint64_t i = 0; i < b->n[t]; i++)
                out_put(&o, b->v[t] + i * w, w);
            counts[t] = b->n[t];
        } else if (!(rc = b->n[t] ? hs_spill(b, t) : 0)) {
            rc = merge_runs(b, t, &o, &counts[t]);
        }
    }
    if (!rc && o.len)
        o.bad |= write_all(fd, o.buf, o.len) != 0;
    free(o.buf);
    memcpy(h, HS_MAGIC, 8);
    for (int t = 0; t < T_N; t++)
        for (int i = 0; i < 8; i++)
            h[8 + 8 * t + i] = (uint8_t)(counts[t] >> (8 * i));
    int bad = rc || o.bad || pwrite(fd, h, sizeof h, 0) != (ssize_t)sizeof h || fsync(fd) != 0;
    int e = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, final) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(tmp);
        return rc ? rc : trawl_fail(err, TRAWL_EIO, "%s: cannot write: %s", final, strerror(e));
    }
    *total = counts[0] + counts[1] + counts[2];
    return 0;
}

int case_hashset_import_chunked(case_db *c, const char *name, const char *kind, const char *file,
                                uint64_t chunk, uint64_t *count, trawl_err *err)
{
    if (!valid_name(name))
        return trawl_fail(err, TRAWL_EUSAGE,
                          "hash set name '%s': use letters, digits, '.', '-' and '_'", name);
    if (strcmp(kind, "known") != 0 && strcmp(kind, "notable") != 0)
        return trawl_fail(err, TRAWL_EUSAGE, "hash set kind '%s': known or notable", kind);
    sqlite3_stmt *st;
    int rc = case_prepare(c, "SELECT 1 FROM hashsets WHERE name = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int exists = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (exists)
        return trawl_fail(err, TRAWL_EEXISTS, "hash set '%s' exists already in the case", name);

    char magic[16] = {0};
    FILE *fp = fopen(file, "rb");
    if (!fp)
        return trawl_fail(err, TRAWL_EIO, "%s: cannot open: %s", file, strerror(errno));
    size_t got = fread(magic, 1, sizeof magic, fp);
    fclose(fp);
    strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/hashsets", case_dir(c));
    if (dir.oom || (mkdir(sb_cstr(&dir), 0755) != 0 && errno != EEXIST)) {
        rc = trawl_fail(err, TRAWL_EIO, "%s: cannot create: %s", sb_cstr(&dir), strerror(errno));
        sb_free(&dir);
        return rc;
    }
    sb_free(&dir);
    char *tmp = set_path(c, name, ".tmp"), *final = set_path(c, name, "");
    hs_build b;
    memset(&b, 0, sizeof b);
    for (int t = 0; t < T_N; t++)
        b.spill_fd[t] = -1;
    b.chunk = chunk ? chunk : CASE_HS_CHUNK;
    b.spill_base = tmp;
    b.err = err;
    uint64_t total = 0;
    if (!tmp || !final) {
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        goto out;
    }
    if (got == 16 && memcmp(magic, "SQLite format 3", 16) == 0)
        rc = read_rds(file, &b, err);
    else
        rc = read_text(file, &b, err);
    if (rc)
        goto out;
    if (b.n[0] + b.n[1] + b.n[2] + b.nruns[0] + b.nruns[1] + b.nruns[2] == 0) {
        rc = trawl_fail(err, TRAWL_EFORMAT, "%s: no hashes found", file);
        goto out;
    }
    if ((rc = write_set(tmp, final, &b, &total, err)) != 0)
        goto out;
    if ((rc = case_prepare(c,
                           "INSERT INTO hashsets(name, kind, source, count, imported)"
                           " VALUES(?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           &st, err)) == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, file, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)total);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: storing hash set: %s", case_dir(c),
                            sqlite3_errmsg(case_sqlite(c)));
            unlink(final);
        }
        sqlite3_finalize(st);
    }
    if (!rc)
        *count = total;
out:
    hs_build_free(&b);
    free(tmp);
    free(final);
    return rc;
}

int case_hashset_import(case_db *c, const char *name, const char *kind, const char *file,
                        uint64_t *count, trawl_err *err)
{
    return case_hashset_import_chunked(c, name, kind, file, 0, count, err);
}

/* --- Look-ups ------------------------------------------------------------ */

struct case_hashset {
    uint8_t *map;
    size_t len;
    const uint8_t *v[T_N];
    uint64_t n[T_N];
};

int case_hashset_open(case_db *c, const char *name, case_hashset **out, trawl_err *err)
{
    if (!valid_name(name))
        return trawl_fail(err, TRAWL_EUSAGE, "hash set name '%s' is not valid", name);
    char *path = set_path(c, name, "");
    if (!path)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int rc =
            trawl_fail(err, TRAWL_ECASE, "%s: cannot open hash set: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        return rc;
    }
    case_hashset *h = calloc(1, sizeof *h);
    size_t len = (size_t)st.st_size;
    void *m = len >= HS_HEADER ? mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    close(fd);
    if (!h || m == MAP_FAILED) {
        free(h);
        if (m != MAP_FAILED)
            munmap(m, len);
        int rc = trawl_fail(err, TRAWL_ECASE, "%s: not a trawl hash set", path);
        free(path);
        return rc;
    }
    h->map = m;
    h->len = len;
    uint64_t off = HS_HEADER;
    int ok = memcmp(h->map, HS_MAGIC, 8) == 0;
    for (int t = 0; t < T_N && ok; t++) {
        uint64_t n = 0;
        for (int i = 0; i < 8; i++)
            n |= (uint64_t)h->map[8 + 8 * t + i] << (8 * i);
        if (n > (len - off) / hs_width[t]) { /* counts must fit the file */
            ok = 0;
            break;
        }
        h->n[t] = n;
        h->v[t] = h->map + off;
        off += n * hs_width[t];
    }
    if (!ok || off != len) {
        int rc =
            trawl_fail(err, TRAWL_ECASE, "%s: damaged hash set (header and size disagree)", path);
        case_hashset_close(h);
        free(path);
        return rc;
    }
    free(path);
    *out = h;
    return 0;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int case_hashset_has(const case_hashset *h, const char *hex)
{
    size_t len = hex ? strlen(hex) : 0;
    int t = hex_type(len);
    uint8_t key[32];
    if (!h || t < 0 || hex_to_bin(hex, len, key) != 0)
        return 0;
    size_t w = hs_width[t];
    uint64_t lo = 0, hi = h->n[t];
    /* Hashes are uniformly spread, so interpolation on the first 8 bytes
     * lands within a few entries in a handful of probes (each probe is a
     * page touched in the mapping); bisection finishes the last stretch and
     * takes over if interpolation stops shrinking the range. */
    uint64_t k = be64(key);
    for (int probes = 0; hi - lo > 32 && probes < 8; probes++) {
        uint64_t a = be64(h->v[t] + lo * w), b = be64(h->v[t] + (hi - 1) * w);
        if (k < a || k > b)
            return 0;
        if (a == b)
            break;
        uint64_t span = hi - 1 - lo;
        long double frac = (long double)(k - a) / (long double)(b - a);
        uint64_t pos = lo + (uint64_t)(frac * (long double)span);
        if (pos >= hi)
            pos = hi - 1;
        int c = memcmp(h->v[t] + pos * w, key, w);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = pos + 1;
        else
            hi = pos;
    }
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        int c = memcmp(h->v[t] + mid * w, key, w);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void case_hashset_counts(const case_hashset *h, uint64_t *md5, uint64_t *sha1, uint64_t *sha256)
{
    *md5 = h->n[T_MD5];
    *sha1 = h->n[T_SHA1];
    *sha256 = h->n[T_SHA256];
}

void case_hashset_close(case_hashset *h)
{
    if (!h)
        return;
    if (h->map)
        munmap(h->map, h->len);
    free(h);
}

/* --- Marking a device's files -------------------------------------------- */

typedef struct mark {
    int64_t id;
    int which; /* set index */
} mark;

int case_mark_known(case_db *c, int64_t device_id, trawl_err *err)
{
    sqlite3_stmt *sets, *files = NULL;
    /* known sets first, so that a notable set's mark overrides them */
    int rc = case_prepare(c, "SELECT name, kind FROM hashsets ORDER BY kind = 'notable', name",
                          &sets, err);
    if (rc)
        return rc;
    while (!rc && sqlite3_step(sets) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(sets, 0);
        const char *kind = (const char *)sqlite3_column_text(sets, 1);
        case_hashset *h;
        if ((rc = case_hashset_open(c, name, &h, err)) != 0)
            break;
        int64_t *ids = NULL;
        size_t n = 0, cap = 0;
        rc = case_prepare(c,
                          "SELECT id, md5, sha1, sha256 FROM files WHERE device_id = ? AND"
                          " (md5 IS NOT NULL OR sha1 IS NOT NULL OR sha256 IS NOT NULL)",
                          &files, err);
        if (!rc) {
            sqlite3_bind_int64(files, 1, device_id);
            while (sqlite3_step(files) == SQLITE_ROW) {
                int hit = 0;
                for (int col = 1; col <= 3 && !hit; col++)
                    hit = case_hashset_has(h, (const char *)sqlite3_column_text(files, col));
                if (!hit)
                    continue;
                if (n == cap) {
                    size_t nc = cap ? cap * 2 : 256;
                    int64_t *ni = realloc(ids, nc * sizeof *ni);
                    if (!ni) {
                        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                        break;
                    }
                    ids = ni;
                    cap = nc;
                }
                ids[n++] = sqlite3_column_int64(files, 0);
            }
            sqlite3_finalize(files);
        }
        for (size_t i = 0; i < n && !rc; i++) {
            sqlite3_stmt *up;
            if ((rc = case_stmt(c, "UPDATE files SET known = ?, hashset = ? WHERE id = ?", &up,
                                err)) != 0)
                break;
            sqlite3_bind_text(up, 1, kind, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(up, 2, name, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 3, ids[i]);
            if (sqlite3_step(up) != SQLITE_DONE)
                rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: marking files: %s", case_dir(c),
                                sqlite3_errmsg(case_sqlite(c)));
        }
        free(ids);
        case_hashset_close(h);
    }
    sqlite3_finalize(sets);
    return rc;
}
