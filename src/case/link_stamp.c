/* link_stamp.c: see link_stamp.h. */
#include "case/link_stamp.h"

#include <string.h>

#include "case/case_int.h"
#include "util/digest.h"

static int devices_hash(case_db *c, char out[65], trawl_err *err)
{
    sqlite3_stmt *st;
    int rc =
        case_prepare(c,
                     "SELECT count(*), group_concat(id || ':' || ifnull(scan_finished, ''), ',')"
                     " FROM (SELECT id, scan_finished FROM devices ORDER BY id)",
                     &st, err);
    if (rc)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: devices: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    } else {
        const char *s = (const char *)sqlite3_column_text(st, 1);
        digest_sha256_hex(s ? s : "", s ? strlen(s) : 0, out);
    }
    sqlite3_finalize(st);
    return rc;
}

int case_links_current(case_db *c, int *current, trawl_err *err)
{
    char now[65];
    int rc = devices_hash(c, now, err);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = case_prepare(c, "SELECT value FROM meta WHERE key = 'links_stamp'", &st, err)) != 0)
        return rc;
    *current = sqlite3_step(st) == SQLITE_ROW &&
               strcmp((const char *)sqlite3_column_text(st, 0), now) == 0;
    sqlite3_finalize(st);
    return 0;
}

int case_links_stamp(case_db *c, trawl_err *err)
{
    char now[65];
    int rc = devices_hash(c, now, err);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = case_prepare(c, "INSERT OR REPLACE INTO meta(key, value) VALUES('links_stamp', ?)",
                           &st, err)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: meta: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    return rc;
}
