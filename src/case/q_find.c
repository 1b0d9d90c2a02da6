/* q_find.c: see q_find.h. */
#include "case/q_find.h"

#include "case/case_int.h"
#include "util/strbuf.h"

static void fill_occurrence(sqlite3_stmt *st, void *p)
{
    case_occurrence *r = p;
    r->device = case_col(st, 0);
    r->type = case_col(st, 1);
    r->value = case_col(st, 2);
    r->pos = case_col(st, 3);
    r->path = case_col(st, 4);
    r->file = case_col(st, 5);
    r->area = case_col(st, 6);
    r->context = case_col(st, 7);
    r->time = case_col(st, 8);
    r->flags = case_col(st, 9);
}

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
    return case_rows_start(c, st, fill_occurrence, row, "find", out, err);
}

int case_all_occurrences(case_db *c, case_occurrence *row, case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, OCCURRENCE_COLUMNS "ORDER BY d.name, i.pos, i.path, i.type, i.value, i.id",
                     &st, err))
        return err->code;
    return case_rows_start(c, st, fill_occurrence, row, "export", out, err);
}
