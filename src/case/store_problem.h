/* store_problem.h: a problem met along a device's pipeline that did not stop
 * it (a stage that failed and was contained), as a `problems` row.  Runs
 * inside the caller's transaction, like store_device.h. */
#ifndef TRAWL_CASE_STORE_PROBLEM_H
#define TRAWL_CASE_STORE_PROBLEM_H

#include <stdint.h>

#include "case/case.h"
#include "util/err.h"

/* Record msg (not escaped; stored as given) for device_id at stage ("read",
 * "fs", ...). */
int case_problem_add(case_db *c, int64_t device_id, const char *stage, const char *msg,
                     trawl_err *err);

#endif
