/* scan_link.h: what `trawl scan` runs around the devices: compiling the
 * YARA rules first (so a bad rule stops the scan before any reading), and
 * the cross-device link analysis after. */
#ifndef TRAWL_CLI_SCAN_LINK_H
#define TRAWL_CLI_SCAN_LINK_H

#include "case/case.h"
#include "cli/cli.h"

/* Compile YARA rules at path (NULL: none; *out stays NULL). */
int scan_link_rules(const char *path, void **out, trawl_err *err);
void scan_link_rules_free(void *rules);

/* Rebuild links when the case holds two or more devices; audited. */
int scan_link_case(case_db *c, const cli_env *env, const char *examiner, trawl_err *err);

#endif
