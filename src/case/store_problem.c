/* store_problem.c: problems rows (see store_problem.h). */
#include "case/store_problem.h"

#include "case/case_int.h"

int case_problem_add(case_db *c, int64_t device_id, const char *stage, const char *msg,
                     trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, "INSERT INTO problems(device_id, stage, message) VALUES(?, ?, ?)", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, msg, -1, SQLITE_STATIC);
    return case_step_done(c, st, "a problem", stage, err);
}
