/* store_device.c: see store_device.h. */
#include "case/store_device.h"
#include "case/case_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int case_device_begin(case_db *c, trawl_err *err)
{
    int rc = case_exec(c, "PRAGMA foreign_keys=OFF", err);
    if (!rc && (rc = case_begin(c, err))) {
        trawl_err ignored = {0};
        case_exec(c, "PRAGMA foreign_keys=ON", &ignored);
    }
    return rc;
}

void case_device_end(case_db *c)
{
    trawl_err ignored = {0};
    case_rollback(c);
    case_exec(c, "PRAGMA foreign_keys=ON", &ignored);
}

int case_image_owner(case_db *c, const char *path, char **owner, trawl_err *err)
{
    sqlite3_stmt *st;
    *owner = NULL;
    if (case_prepare(c,
                     "SELECT d.name FROM images i JOIN devices d ON d.id=i.device_id "
                     "WHERE i.path=?",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = 0, s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *owner = strdup((const char *)sqlite3_column_text(st, 0));
        if (!*owner)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    } else if (s != SQLITE_DONE) {
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: looking up image %s: %s", case_dir(c), path,
                        sqlite3_errmsg(case_sqlite(c)));
    }
    sqlite3_finalize(st);
    return rc;
}

int case_device_add(case_db *c, const case_device_rec *d, int64_t *id, trawl_err *err)
{
    char now[32];
    utc_now(now);
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "INSERT INTO devices(name, exhibit, custodian, examiner, size, state, "
                     "scan_started, tool_version, options) VALUES(?,?,?,?,?, 'ok', ?, ?, ?)",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
    bind_opt(st, 2, d->exhibit);
    bind_opt(st, 3, d->custodian);
    bind_opt(st, 4, d->examiner);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)d->size);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, TRAWL_VERSION, -1, SQLITE_STATIC);
    bind_opt(st, 8, d->options_json);
    int rc = case_step_done(c, st, "storing device", d->name, err);
    sqlite3_finalize(st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(case_sqlite(c));
    return rc;
}

int case_image_add(case_db *c, int64_t device_id, const case_image_rec *im, int64_t *image_id,
                   trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "INSERT INTO images(device_id, seq, path, format, media_size, base, md5, "
                     "sha1, sha256, stored_md5, stored_sha1, stored_sha256, verification, "
                     "acquisition, acq_errors, unreadable) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int(st, 2, im->seq);
    sqlite3_bind_text(st, 3, im->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, im->format, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)im->media_size);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)im->base);
    bind_opt(st, 7, im->md5);
    bind_opt(st, 8, im->sha1);
    bind_opt(st, 9, im->sha256);
    bind_opt(st, 10, im->stored_md5);
    bind_opt(st, 11, im->stored_sha1);
    bind_opt(st, 12, im->stored_sha256);
    sqlite3_bind_text(st, 13, im->verification, -1, SQLITE_STATIC);
    bind_opt(st, 14, im->acquisition);
    bind_opt(st, 15, im->acq_errors);
    bind_opt(st, 16, im->unreadable);
    int rc = case_step_done(c, st, "storing image", im->path, err);
    sqlite3_finalize(st);
    if (!rc)
        *image_id = sqlite3_last_insert_rowid(case_sqlite(c));
    return rc;
}

int case_segment_add(case_db *c, int64_t image_id, const case_segment_rec *s, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO segments(image_id, seq, path, size, md5, sha1, sha256) "
                  "VALUES(?,?,?,?,?,?,?)",
                  &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, image_id);
    sqlite3_bind_int(st, 2, s->seq);
    sqlite3_bind_text(st, 3, s->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, s->size);
    bind_opt(st, 5, s->md5);
    bind_opt(st, 6, s->sha1);
    bind_opt(st, 7, s->sha256);
    return case_step_done(c, st, "storing segment", s->path, err);
}

int case_device_finish(case_db *c, int64_t device_id, int integrity, trawl_err *err)
{
    char now[32];
    utc_now(now);
    sqlite3_stmt *st;
    if (case_prepare(c, "UPDATE devices SET scan_finished=?, state=? WHERE id=?", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, integrity ? "integrity" : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, device_id);
    int rc = case_step_done(c, st, "finishing device", NULL, err);
    sqlite3_finalize(st);
    return rc;
}

int case_device_count(case_db *c, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM devices", &st, err))
        return err->code;
    return case_step_count(c, st, "counting devices", n, err);
}

int case_device_identifier_count(case_db *c, int64_t device_id, uint64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM occurrences WHERE device_id=?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    int64_t count = 0;
    int rc = case_step_count(c, st, "counting identifiers", &count, err);
    if (!rc)
        *n = (uint64_t)count;
    return rc;
}

int case_device_audit_inputs(case_db *c, int64_t device_id, case_audit_input **out, size_t *n,
                             trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT s.path, s.sha256 FROM segments s JOIN images i ON i.id=s.image_id "
                     "WHERE i.device_id=? ORDER BY i.seq, s.seq",
                     &st, err))
        return err->code;
    /* Two passes: count the rows and their bytes, then fill one block (the
     * array first, the strings after it). */
    size_t rows = 0, bytes = 0;
    int rc = 0, s;
    sqlite3_bind_int64(st, 1, device_id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        bytes += (size_t)sqlite3_column_bytes(st, 0) + (size_t)sqlite3_column_bytes(st, 1) + 2;
    }
    case_audit_input *in = NULL;
    if (s != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: reading segments: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    else if (!(in = malloc(rows * sizeof *in + bytes + 1)))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    size_t k = 0;
    char *p = in ? (char *)(in + rows) : NULL;
    sqlite3_reset(st);
    while (!rc && k < rows && sqlite3_step(st) == SQLITE_ROW) {
        for (int col = 0; col < 2; col++) {
            const unsigned char *t = sqlite3_column_text(st, col);
            size_t len = (size_t)sqlite3_column_bytes(st, col);
            const char *v = NULL;
            if (t) {
                memcpy(p, t, len);
                p[len] = 0;
                v = p;
                p += len + 1;
            }
            if (col == 0)
                in[k].path = v ? v : "";
            else
                in[k].sha256 = v;
        }
        k++;
    }
    sqlite3_finalize(st);
    if (rc) {
        free(in);
        return rc;
    }
    *out = in;
    *n = k;
    return 0;
}
