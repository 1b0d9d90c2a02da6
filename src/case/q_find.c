/* q_find.c: see q_find.h. */
#include "case/q_find.h"

#include "case/case_int.h"
#include "util/strbuf.h"

#define OCCURRENCE_COLUMNS                                                                         \
    "SELECT d.name, i.type, i.value, i.pos, i.path, f.path, i.area, i.context, "                   \
    "strftime('%Y-%m-%dT%H:%M:%SZ', i.time, 'unixepoch'), i.flags "                                \
    "FROM identifiers i JOIN devices d ON d.id = i.device_id "                                     \
    "LEFT JOIN files f ON f.id = i.file_id "

int case_find_values(case_db *c, char *const *values, size_t n, case_occurrence *row,
                     case_rows **out, trawl_err *err)
{
    strbuf q = STRBUF_INIT;
    sb_adds(&q, OCCURRENCE_COLUMNS "WHERE i.value IN (");
    for (size_t i = 0; i < n; i++)
        sb_adds(&q, i ? ",?" : "?");
    sb_adds(&q, ") ORDER BY d.name, i.pos, i.path, i.type, i.id");
    if (q.oom) {
        sb_free(&q);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    sqlite3_stmt *st;
    int rc = case_prepare(c, sb_cstr(&q), &st, err);
    sb_free(&q);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_text(st, (int)i + 1, values[i], -1, SQLITE_STATIC);
    return case_rows_start_vals(c, st, CASE_VALS(row), "find", out, err);
}

int case_all_occurrences(case_db *c, case_occurrence *row, case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, OCCURRENCE_COLUMNS "ORDER BY d.name, i.pos, i.path, i.type, i.value, i.id",
                     &st, err))
        return err->code;
    return case_rows_start_vals(c, st, CASE_VALS(row), "export", out, err);
}
