/* index.c: the per-device feature index (CASE/index/ID.idx).
 *
 * File layout: a 32-byte header ("TRAWLIX1", entry count, device id,
 * entry size) then the device's distinct features as link_entry records
 * sorted by (h1, h2).  The link_index table records which scan of the device
 * (devices.scan_finished) each file was built from, so a device is read
 * again only when it was scanned again, or on --rebuild. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link/link_int.h"
#include "util/strbuf.h"

static const char magic[8] = {'T', 'R', 'A', 'W', 'L', 'I', 'X', '1'};

typedef struct idx_header {
    char magic[8];
    uint64_t entries;
    int64_t device_id;
    uint64_t entry_size;
} idx_header;

char *link_index_path(case_db *c, int64_t device_id)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/index/%lld.idx", case_dir(c), (long long)device_id);
    return sb_detach(&sb);
}

typedef struct entry_vec {
    link_entry *v;
    size_t n, cap;
} entry_vec;

static int vec_push(entry_vec *ev, const link_entry *e)
{
    if (ev->n == ev->cap) {
        size_t cap = ev->cap ? ev->cap * 2 : 65536;
        link_entry *v = realloc(ev->v, cap * sizeof *v);
        if (!v)
            return -1;
        ev->v = v, ev->cap = cap;
    }
    ev->v[ev->n++] = *e;
    return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const link_entry *a = pa, *b = pb;
    if (a->h1 != b->h1)
        return a->h1 < b->h1 ? -1 : 1;
    if (a->h2 != b->h2)
        return a->h2 < b->h2 ? -1 : 1;
    return a->ref < b->ref ? -1 : a->ref > b->ref;
}

/* Sort, then fold duplicates into the first (lowest ref) with the counts
 * summed. */
static void sort_unique(entry_vec *ev)
{
    if (ev->n == 0)
        return;
    qsort(ev->v, ev->n, sizeof *ev->v, entry_cmp);
    size_t w = 0;
    for (size_t i = 1; i < ev->n; i++) {
        link_entry *last = &ev->v[w];
        if (ev->v[i].h1 == last->h1 && ev->v[i].h2 == last->h2) {
            uint64_t sum = (uint64_t)last->count + ev->v[i].count;
            last->count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        } else {
            ev->v[++w] = ev->v[i];
        }
    }
    ev->n = w + 1;
}

static int read_identifiers(case_db *c, int64_t device_id, entry_vec *ev, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT id, type, value FROM identifiers WHERE device_id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    char last_type[64] = "";
    int code = LT_OTHER;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 1);
        const void *value = sqlite3_column_text(st, 2);
        int len = sqlite3_column_bytes(st, 2);
        if (!type || !value)
            continue;
        if (strcmp(type, last_type) != 0) {
            code = link_type_code(type);
            snprintf(last_type, sizeof last_type, "%s", type);
        }
        link_entry e = {.ref = sqlite3_column_int64(st, 0), .count = 1, .type = (uint8_t)code};
        link_hash(type, value, (size_t)len, &e.h1, &e.h2);
        if (vec_push(ev, &e)) {
            sqlite3_finalize(st);
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory indexing device %lld",
                              (long long)device_id);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: reading identifiers: %s", case_dir(c),
                          sqlite3_errmsg(case_sqlite(c)));
    return 0;
}

/* Non-empty files with a SHA-256 that no known-good hash set holds. */
static int read_files(case_db *c, int64_t device_id, entry_vec *ev, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT id, lower(sha256) FROM files WHERE device_id = ? AND sha256 IS NOT NULL"
                     " AND size > 0 AND (known IS NULL OR known <> 'known')",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *value = sqlite3_column_text(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        if (!value || len == 0)
            continue;
        link_entry e = {.ref = sqlite3_column_int64(st, 0), .count = 1, .type = LT_FILE};
        link_hash("file", value, (size_t)len, &e.h1, &e.h2);
        if (vec_push(ev, &e)) {
            sqlite3_finalize(st);
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory indexing device %lld",
                              (long long)device_id);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: reading files: %s", case_dir(c),
                          sqlite3_errmsg(case_sqlite(c)));
    return 0;
}

static int write_index(const char *path, int64_t device_id, const entry_vec *ev, trawl_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    if (tmp.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    FILE *f = fopen(tmp.buf, "wb");
    if (!f) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: %s", tmp.buf, strerror(errno));
        sb_free(&tmp);
        return rc;
    }
    idx_header h = {.entries = ev->n, .device_id = device_id, .entry_size = sizeof(link_entry)};
    memcpy(h.magic, magic, sizeof magic);
    int ok = fwrite(&h, sizeof h, 1, f) == 1 &&
             (ev->n == 0 || fwrite(ev->v, sizeof *ev->v, ev->n, f) == ev->n);
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp.buf, path) != 0)
        ok = 0;
    int rc = ok ? 0 : trawl_fail(err, TRAWL_EIO, "%s: writing the index: %s", path, strerror(errno));
    if (!ok)
        unlink(tmp.buf);
    sb_free(&tmp);
    return rc;
}

static int build_device(case_db *c, const link_dev *d, uint64_t *entries, trawl_err *err)
{
    entry_vec ev = {0};
    int rc = read_identifiers(c, d->id, &ev, err);
    if (!rc)
        rc = read_files(c, d->id, &ev, err);
    if (!rc) {
        sort_unique(&ev);
        char *path = link_index_path(c, d->id);
        rc = path ? write_index(path, d->id, &ev, err) : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        free(path);
    }
    if (!rc)
        *entries = ev.n;
    free(ev.v);
    return rc;
}

/* Does the index file of device id hold `entries` entries, whole? */
static int index_ok(case_db *c, int64_t id, int64_t entries)
{
    char *path = link_index_path(c, id);
    if (!path)
        return 0;
    struct stat sb;
    int ok = stat(path, &sb) == 0 &&
             (uint64_t)sb.st_size == sizeof(idx_header) + (uint64_t)entries * sizeof(link_entry);
    free(path);
    return ok;
}

int link_index_update(case_db *c, const link_dev *devs, size_t n, const link_options *opt,
                      size_t *rebuilt, trawl_err *err)
{
    *rebuilt = 0;
    strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/index", case_dir(c));
    if (dir.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (mkdir(dir.buf, 0777) != 0 && errno != EEXIST) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: %s", dir.buf, strerror(errno));
        sb_free(&dir);
        return rc;
    }
    sb_free(&dir);

    /* Forget devices that left the case. */
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT device_id FROM link_index WHERE device_id NOT IN "
                        "(SELECT id FROM devices)",
                     &st, err))
        return err->code;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *path = link_index_path(c, sqlite3_column_int64(st, 0));
        if (path)
            unlink(path);
        free(path);
    }
    sqlite3_finalize(st);
    if (case_exec(c, "DELETE FROM link_index WHERE device_id NOT IN (SELECT id FROM devices)",
                  err))
        return err->code;

    for (size_t i = 0; i < n; i++) {
        const link_dev *d = &devs[i];
        int fresh = 0;
        if (!opt->rebuild && d->stamp) {
            if (case_prepare(c, "SELECT stamp, entries FROM link_index WHERE device_id = ?", &st,
                             err))
                return err->code;
            sqlite3_bind_int64(st, 1, d->id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                const char *stamp = (const char *)sqlite3_column_text(st, 0);
                fresh = stamp && strcmp(stamp, d->stamp) == 0 &&
                        index_ok(c, d->id, sqlite3_column_int64(st, 1));
            }
            sqlite3_finalize(st);
        }
        if (fresh)
            continue;
        if (opt->progress)
            fprintf(stderr, "link: indexing %s\n", d->name);
        uint64_t entries = 0;
        if (build_device(c, d, &entries, err))
            return trawl_wrap(err, "device %s", d->name);
        if (case_prepare(c, "INSERT OR REPLACE INTO link_index(device_id, stamp, entries) "
                            "VALUES(?, ?, ?)",
                         &st, err))
            return err->code;
        sqlite3_bind_int64(st, 1, d->id);
        if (d->stamp)
            sqlite3_bind_text(st, 2, d->stamp, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)entries);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return trawl_fail(err, TRAWL_ECASE, "%s/case.db: link_index: %s", case_dir(c),
                              sqlite3_errmsg(case_sqlite(c)));
        (*rebuilt)++;
    }
    return 0;
}

#define READER_BUF 8192

struct link_reader {
    FILE *f;
    char *path;
    uint64_t left;
    link_entry buf[READER_BUF];
    size_t pos, len;
};

void link_reader_close(link_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->path);
    free(r);
}

int link_reader_open(case_db *c, int64_t device_id, link_reader **out, trawl_err *err)
{
    link_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = link_index_path(c, device_id))) {
        free(r);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    r->f = fopen(r->path, "rb");
    idx_header h;
    struct stat sb;
    int rc = 0;
    if (!r->f)
        rc = trawl_fail(err, TRAWL_EIO, "%s: %s", r->path, strerror(errno));
    else if (fread(&h, sizeof h, 1, r->f) != 1 || memcmp(h.magic, magic, sizeof magic) != 0 ||
             h.device_id != device_id || h.entry_size != sizeof(link_entry) ||
             fstat(fileno(r->f), &sb) != 0 ||
             (uint64_t)sb.st_size != sizeof h + h.entries * sizeof(link_entry))
        rc = trawl_fail(err, TRAWL_EINTEGRITY,
                        "%s: not a whole link index of device %lld (run 'trawl link --rebuild')",
                        r->path, (long long)device_id);
    if (rc) {
        link_reader_close(r);
        return rc;
    }
    r->left = h.entries;
    *out = r;
    return 0;
}

int link_reader_next(link_reader *r, link_entry *e, int *done, trawl_err *err)
{
    if (r->pos == r->len) {
        if (r->left == 0) {
            *done = 1;
            return 0;
        }
        size_t want = r->left < READER_BUF ? (size_t)r->left : READER_BUF;
        if (fread(r->buf, sizeof(link_entry), want, r->f) != want)
            return trawl_fail(err, TRAWL_EIO, "%s: read error", r->path);
        r->left -= want;
        r->pos = 0;
        r->len = want;
    }
    *e = r->buf[r->pos++];
    *done = 0;
    return 0;
}
