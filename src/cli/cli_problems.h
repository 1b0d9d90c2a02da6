/* cli_problems.h: showing the problems a device met that did not stop it (a
 * file-system walk that failed or was cut short, a volume that could not be
 * opened...), as `trawl scan` (when the device is stored) and `trawl info`
 * do: the first CLI_PROBLEMS_SHOWN, one escaped line each, and how many
 * there are in all. */
#ifndef TRAWL_CLI_PROBLEMS_H
#define TRAWL_CLI_PROBLEMS_H

#include <stdio.h>

#include "case/case.h"
#include "util/strbuf.h"

/* Print device's problems to out, one line each: "PREFIX STAGE: MESSAGE",
 * then "PREFIX N more not shown (M in all; ...)" when there are more; the
 * device name and messages escaped for the terminal.  *n gets the count
 * (may be NULL). */
int cli_problems_print(case_db *c, const char *device, FILE *out, const char *prefix, int64_t *n,
                       trawl_err *err);

/* Append ,"problem_count":M,"problems":[{"stage":S,"message":T},...] for
 * device (the first CLI_PROBLEMS_SHOWN) to sb. */
int cli_problems_json(case_db *c, const char *device, strbuf *sb, trawl_err *err);

#endif
