/* q_problems.c: see q_problems.h. */
#include "case/q_problems.h"

#include "case/case_int.h"

int case_device_problems(case_db *c, const char *device, int64_t limit, case_problem *row,
                         case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT p.stage, p.message FROM problems p JOIN devices d ON d.id = "
                     "p.device_id WHERE d.name = ? ORDER BY p.id LIMIT ?",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, limit);
    return case_rows_start_vals(c, st, CASE_VALS(row), "problems", out, err);
}

int case_device_problem_count(case_db *c, const char *device, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT count(*) FROM problems p JOIN devices d ON d.id = p.device_id "
                     "WHERE d.name = ?",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    return case_step_count(c, st, "problems", n, err);
}
