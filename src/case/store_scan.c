/* store_scan.c: storing the extraction stage's hits in case.db. */
#include "case/case.h"
#include "case/case_int.h"

static const char insert_hit_sql[] =
    "INSERT INTO identifiers(device_id, type, value, pos, path, context, flags, file_id, area)"
    " VALUES(?,?,?,?,?,?,?,?,?)";

int case_hit_insert(case_db *c, int64_t device_id, const scan_hit *hit, int64_t file_id,
                    const char *area, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, insert_hit_sql, &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, hit->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hit->feature, (int)hit->feature_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)hit->offset);
    sqlite3_bind_text(st, 5, hit->path, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, hit->context, (int)hit->context_len, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, (int)hit->flags);
    if (file_id)
        sqlite3_bind_int64(st, 8, file_id);
    if (area)
        sqlite3_bind_text(st, 9, area, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: storing a hit: %s", case_dir(c),
                          sqlite3_errmsg(case_sqlite(c)));
    return 0;
}
