/* store_fs.c: storing what the file-system stage reports (fs_walk's sink)
 * in case.db, and attributing the raw scan's hits to files afterwards.
 * Everything runs inside the caller's transaction. */
#include <stdlib.h>
#include <string.h>

#include "case/case_fs.h"

/* The sink's state: the case, the device, and the files.id of the last
 * volume.  Allocated by case_fs_sink, freed by case_fs_sink_free. */
typedef struct fs_store {
    case_db *c;
    int64_t device_id;
} fs_store;

static int db_fail(fs_store *s, const char *what, trawl_err *err)
{
    return trawl_fail(err, TRAWL_ECASE, "%s/case.db: storing %s: %s", case_dir(s->c), what,
                      sqlite3_errmsg(case_sqlite(s->c)));
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int on_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    fs_store *s = ctx;
    sqlite3_stmt *st;
    if (case_stmt(s->c,
                  "INSERT INTO volumes(device_id, offset, length, description, fs_type, status)"
                  " VALUES(?,?,?,?,?,?)",
                  &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, s->device_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)v->offset);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)v->length);
    bind_text_or_null(st, 4, v->description);
    bind_text_or_null(st, 5, v->fs_type);
    bind_text_or_null(st, 6, v->status);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(s, "a volume", err);
    *key = sqlite3_last_insert_rowid(case_sqlite(s->c));
    return 0;
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    fs_store *s = ctx;
    sqlite3_stmt *st;
    if (case_stmt(s->c,
                  "INSERT INTO files(device_id, volume_id, path, name, inode, attr, meta_type,"
                  " size, alloc, orphan, mtime, atime, ctime, crtime, md5, sha1, sha256, mime,"
                  " ext_mismatch, data_start) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, s->device_id);
    if (f->volume_key)
        sqlite3_bind_int64(st, 2, f->volume_key);
    sqlite3_bind_text(st, 3, f->path, -1, SQLITE_STATIC);
    bind_text_or_null(st, 4, f->name);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)f->inode);
    bind_text_or_null(st, 6, f->attr);
    bind_text_or_null(st, 7, f->meta_type);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)f->size);
    sqlite3_bind_int(st, 9, f->alloc);
    sqlite3_bind_int(st, 10, f->orphan);
    bind_text_or_null(st, 11, f->mtime);
    bind_text_or_null(st, 12, f->atime);
    bind_text_or_null(st, 13, f->ctime);
    bind_text_or_null(st, 14, f->crtime);
    bind_text_or_null(st, 15, f->md5);
    bind_text_or_null(st, 16, f->sha1);
    bind_text_or_null(st, 17, f->sha256);
    bind_text_or_null(st, 18, f->mime);
    sqlite3_bind_int(st, 19, f->ext_mismatch);
    if (f->data_start >= 0)
        sqlite3_bind_int64(st, 20, f->data_start);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(s, "a file", err);
    int64_t id = sqlite3_last_insert_rowid(case_sqlite(s->c));
    for (size_t i = 0; i < f->nruns; i++) {
        const fs_run *r = &f->runs[i];
        if (case_stmt(s->c,
                      "INSERT INTO runs(file_id, file_offset, img_offset, length, flags)"
                      " VALUES(?,?,?,?,?)",
                      &st, err))
            return err->code;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)r->file_offset);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)r->dev_offset);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)r->length);
        sqlite3_bind_int(st, 5, (int)r->flags);
        if (sqlite3_step(st) != SQLITE_DONE)
            return db_fail(s, "a byte run", err);
    }
    *key = id;
    return 0;
}

static int on_hit(void *ctx, int64_t file_key, const scan_hit *hit, trawl_err *err)
{
    fs_store *s = ctx;
    return case_hit_insert(s->c, s->device_id, hit, file_key, NULL, err);
}

static int on_yara(void *ctx, const fs_yara_hit *y, trawl_err *err)
{
    fs_store *s = ctx;
    sqlite3_stmt *st;
    if (case_stmt(s->c,
                  "INSERT INTO yara_hits(device_id, rule, tags, file_id, area, pos, path)"
                  " VALUES(?,?,?,?,?,?,?)",
                  &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, s->device_id);
    sqlite3_bind_text(st, 2, y->rule, -1, SQLITE_STATIC);
    bind_text_or_null(st, 3, y->tags);
    if (y->file_key)
        sqlite3_bind_int64(st, 4, y->file_key);
    bind_text_or_null(st, 5, y->area);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)y->pos);
    bind_text_or_null(st, 7, y->path);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(s, "a YARA hit", err);
    return 0;
}

static int on_problem(void *ctx, const char *msg, trawl_err *err)
{
    fs_store *s = ctx;
    sqlite3_stmt *st;
    if (case_stmt(s->c, "INSERT INTO problems(device_id, stage, message) VALUES(?, 'fs', ?)", &st,
                  err))
        return err->code;
    sqlite3_bind_int64(st, 1, s->device_id);
    sqlite3_bind_text(st, 2, msg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(s, "a problem", err);
    return 0;
}

int case_fs_sink(case_db *c, int64_t device_id, fs_sink *out)
{
    fs_store *s = malloc(sizeof *s);
    if (!s)
        return TRAWL_ENOMEM;
    s->c = c;
    s->device_id = device_id;
    *out = (fs_sink){s, on_volume, on_file, on_hit, on_yara, on_problem};
    return 0;
}

void case_fs_sink_free(fs_sink *sink)
{
    if (!sink)
        return;
    free(sink->ctx);
    sink->ctx = NULL;
}

/* --- Attribution --------------------------------------------------------- */

typedef struct row {
    int64_t id;
    uint64_t pos;
} row;

/* Delete (covered) or attribute the unattributed rows of the device with
 * ids in [lo, hi].  The unary + keeps SQLite off the (device_id, type, pos)
 * index, which would scan the whole device per statement: the id range is
 * the search. */
static int apply_run(case_db *c, int64_t device_id, int64_t lo, int64_t hi, int del, int64_t key,
                     const char *area, trawl_err *err)
{
    sqlite3_stmt *st;
    int rc;
    if (del)
        rc = case_stmt(c,
                       "DELETE FROM identifiers WHERE id BETWEEN ?1 AND ?2 AND +device_id = ?3"
                       " AND file_id IS NULL AND area IS NULL",
                       &st, err);
    else
        rc = case_stmt(c,
                       "UPDATE identifiers SET file_id = ?4, area = ?5 WHERE id BETWEEN ?1 AND ?2"
                       " AND +device_id = ?3 AND file_id IS NULL AND area IS NULL",
                       &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    sqlite3_bind_int64(st, 3, device_id);
    if (!del) {
        if (key)
            sqlite3_bind_int64(st, 4, key);
        else
            sqlite3_bind_null(st, 4);
        if (area)
            sqlite3_bind_text(st, 5, area, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 5);
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: attributing hits %lld..%lld: %s",
                          case_dir(c), (long long)lo, (long long)hi,
                          sqlite3_errmsg(case_sqlite(c)));
    return 0;
}

int case_attribute(case_db *c, int64_t device_id, const fs_map *map, trawl_err *err)
{
    sqlite3_stmt *q;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    /* read first: updating rows of the table a statement is stepping through
     * would let it see them again */
    if ((rc = case_prepare(c,
                           "SELECT id, pos FROM identifiers WHERE device_id = ? AND file_id IS"
                           " NULL AND area IS NULL ORDER BY id",
                           &q, err)) != 0)
        return rc;
    sqlite3_bind_int64(q, 1, device_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            row *nr = realloc(rows, nc * sizeof *nr);
            if (!nr) {
                sqlite3_finalize(q);
                free(rows);
                return trawl_fail(err, TRAWL_ENOMEM, "attribution: out of memory at %zu hits", n);
            }
            rows = nr;
            cap = nc;
        }
        rows[n].id = sqlite3_column_int64(q, 0);
        rows[n].pos = (uint64_t)sqlite3_column_int64(q, 1);
        n++;
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE) {
        free(rows);
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: reading hits: %s", case_dir(c),
                          sqlite3_errmsg(case_sqlite(c)));
    }
    /* Rows come in id order, which follows the raw scan's offset order, so
     * runs of rows with the same outcome are long: each run is one UPDATE or
     * DELETE over an id range (the filter repeats the SELECT's, so the range
     * touches exactly those rows). */
    size_t g = 0;
    int64_t gkey = 0;
    const char *garea = NULL;
    int gcov = 0, gact = 0;
    for (size_t i = 0; i <= n && !rc; i++) {
        int64_t key = 0;
        const char *area = NULL;
        int covered = 0, act = 0;
        if (i < n && fs_map_lookup(map, rows[i].pos, &key, &area, &covered))
            act = covered ? 2 : (key || area) ? 1 : 0;
        if (i > 0 && i < n && act == gact && key == gkey && area == garea && covered == gcov)
            continue;
        if (i > 0 && gact)
            rc = apply_run(c, device_id, rows[g].id, rows[i - 1].id, gact == 2, gkey, garea, err);
        g = i;
        gkey = key;
        garea = area;
        gcov = covered;
        gact = act;
    }
    free(rows);
    return rc;
}

int case_fs_count(case_db *c, int64_t device_id, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM volumes WHERE device_id=? AND fs_type IS NOT NULL",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: counting file systems: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    return rc;
}
