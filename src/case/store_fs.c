/* store_fs.c: storing what the file-system stage reports (fs_walk's sink)
 * in case.db.  Everything runs inside the caller's transaction. */
#include <stdlib.h>
#include <string.h>

#include "case/case_fs.h"
#include "case/case_int.h"

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
    *out = (fs_sink){s, on_volume, on_file, NULL, on_yara, on_problem};
    return 0;
}

void case_fs_sink_free(fs_sink *sink)
{
    if (!sink)
        return;
    free(sink->ctx);
    sink->ctx = NULL;
}

int case_fs_count(case_db *c, int64_t device_id, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM volumes WHERE device_id=? AND fs_type IS NOT NULL",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    return case_step_count(c, st, "counting file systems", n, err);
}
