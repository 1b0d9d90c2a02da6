/* scan_link.c: see scan_link.h. */
#include "cli/scan_link.h"

int scan_link_rules(const char *path, void **out, trawl_err *err)
{
    *out = NULL;
    if (path)
        return trawl_fail(err, TRAWL_EUNSUPPORTED, "%s: YARA rules are not wired in yet", path);
    return 0;
}

void scan_link_rules_free(void *rules)
{
    (void)rules;
}

int scan_link_case(case_db *c, const cli_env *env, const char *examiner, trawl_err *err)
{
    (void)c, (void)env, (void)examiner, (void)err;
    return 0;
}
