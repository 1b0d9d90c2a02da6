/* q_problems.h: reading the problems a device met that did not stop it (a
 * file-system walk that failed or was cut short, a volume that could not be
 * opened, reads that failed): what `trawl scan` and `trawl info` show the
 * examiner.  Rows come through case_row.h. */
#ifndef TRAWL_CASE_Q_PROBLEMS_H
#define TRAWL_CASE_Q_PROBLEMS_H

#include <stdint.h>

#include "case/case.h"
#include "case/case_row.h"

/* One problem: the stage that met it ("fs") and its message (text from
 * evidence, not escaped). */
typedef struct case_problem {
    case_val stage, message;
} case_problem;

/* The first limit problems of the device named device, in the order they
 * were met, into *row. */
int case_device_problems(case_db *c, const char *device, int64_t limit, case_problem *row,
                         case_rows **out, trawl_err *err);

/* How many problems the device named device has, into *n. */
int case_device_problem_count(case_db *c, const char *device, int64_t *n, trawl_err *err);

#endif
