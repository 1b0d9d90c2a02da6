/* rows.c: case_rows over a SQLite statement (see case_row.h). */
#include <stdlib.h>

#include "case/case_int.h"

struct case_rows {
    case_db *c;
    sqlite3_stmt *st;
    case_fill_fn fill; /* NULL: the columns go into vals in order */
    void *row;
    case_val *vals;
    size_t nvals;
    const char *what;
};

case_val case_col(sqlite3_stmt *st, int i)
{
    case_val v = {CASE_NULL, 0, 0, "", 0};
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        break;
    case SQLITE_INTEGER:
        v.type = CASE_INT;
        v.i = sqlite3_column_int64(st, i);
        v.d = (double)v.i;
        break;
    case SQLITE_FLOAT:
        v.type = CASE_REAL;
        v.d = sqlite3_column_double(st, i);
        v.i = sqlite3_column_int64(st, i);
        break;
    default: {
        const unsigned char *s = sqlite3_column_text(st, i);
        v.type = CASE_TEXT;
        v.s = s ? (const char *)s : "";
        v.len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
    }
    }
    return v;
}

int case_rows_start(case_db *c, sqlite3_stmt *st, case_fill_fn fill, void *row, const char *what,
                    case_rows **out, trawl_err *err)
{
    case_rows *r = malloc(sizeof *r);
    if (!r) {
        sqlite3_finalize(st);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    *r = (case_rows){c, st, fill, row, NULL, 0, what};
    *out = r;
    return 0;
}

int case_rows_start_vals(case_db *c, sqlite3_stmt *st, case_val *row, size_t n, const char *what,
                         case_rows **out, trawl_err *err)
{
    /* A query whose columns do not match its row struct is trawl's own bug;
     * refuse it rather than fill half a row. */
    if ((size_t)sqlite3_column_count(st) != n) {
        int cols = sqlite3_column_count(st);
        sqlite3_finalize(st);
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: %s: %d columns for a row of %zu",
                          case_dir(c), what, cols, n);
    }
    if (case_rows_start(c, st, NULL, NULL, what, out, err))
        return err->code;
    (*out)->vals = row;
    (*out)->nvals = n;
    return 0;
}

int case_query_vals(case_db *c, const char *sql, case_val *row, size_t n, const char *what,
                    case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, sql, &st, err))
        return err->code;
    return case_rows_start_vals(c, st, row, n, what, out, err);
}

int case_query(case_db *c, const char *sql, case_fill_fn fill, void *row, const char *what,
               case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, sql, &st, err))
        return err->code;
    return case_rows_start(c, st, fill, row, what, out, err);
}

int case_step_done(case_db *c, sqlite3_stmt *st, const char *what, const char *name, trawl_err *err)
{
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: %s%s%s: %s", case_dir(c), what,
                        name ? " " : "", name ? name : "", sqlite3_errmsg(case_sqlite(c)));
    sqlite3_reset(st);
    return rc;
}

int case_step_count(case_db *c, sqlite3_stmt *st, const char *what, int64_t *n, trawl_err *err)
{
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        rc = case_db_fail(c, err, what);
    sqlite3_finalize(st);
    return rc;
}

int case_rows_next(case_rows *r, int *row, trawl_err *err)
{
    int s = sqlite3_step(r->st);
    *row = s == SQLITE_ROW;
    if (*row) {
        if (r->fill)
            r->fill(r->st, r->row);
        for (size_t i = 0; i < r->nvals; i++)
            r->vals[i] = case_col(r->st, (int)i);
        return 0;
    }
    if (s != SQLITE_DONE)
        return case_db_fail(r->c, err, r->what);
    return 0;
}

void case_rows_close(case_rows *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->st);
    free(r);
}
