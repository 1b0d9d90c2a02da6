/* export_features.c: see export.h. */
#include "case/export.h"
#include "case/case_int.h"

#include "scan/features.h"

static int export_type(case_db *c, int64_t device_id, const char *name, const char *dir,
                       const char *type, trawl_err *err)
{
    sqlite3_stmt *st;
    scan_ffile *f = NULL;
    int rc = scan_ffile_open(dir, type, name, &f, err);
    if (rc)
        return rc;
    rc = case_prepare(c,
                      "SELECT path, value, context FROM identifiers WHERE device_id=? AND type=? "
                      "ORDER BY pos, path COLLATE fpath, value",
                      &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
        int s;
        while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
            rc = scan_ffile_row(f, (const char *)sqlite3_column_text(st, 0),
                                (const char *)sqlite3_column_text(st, 1),
                                (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_blob(st, 2),
                                (size_t)sqlite3_column_bytes(st, 2), err);
        sqlite3_finalize(st);
    }
    int crc = scan_ffile_close(f, rc ? NULL : err);
    if (rc || crc)
        return rc ? rc : crc;

    scan_histogram *h = NULL;
    if ((rc = scan_histogram_open(dir, type, name, &h, err)))
        return rc;
    rc = case_prepare(c,
                      "SELECT value, count(*) FROM identifiers WHERE device_id=? AND type=? "
                      "GROUP BY value",
                      &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
        while (!rc && sqlite3_step(st) == SQLITE_ROW)
            rc = scan_histogram_add(h, (const char *)sqlite3_column_text(st, 0),
                                    (size_t)sqlite3_column_bytes(st, 0),
                                    (uint64_t)sqlite3_column_int64(st, 1), err);
        sqlite3_finalize(st);
    }
    if (rc) {
        scan_histogram_abort(h);
        return rc;
    }
    return scan_histogram_close(h, err);
}

int case_export_features(case_db *c, int64_t device_id, const char *name, const char *dir,
                         trawl_err *err)
{
    for (const char *const *t = scan_type_names(); *t; t++) {
        int rc = export_type(c, device_id, name, dir, *t, err);
        if (rc)
            return rc;
    }
    return 0;
}
