/* scan_link.c: see scan_link.h. */
#include "cli/scan_link.h"

#include "fs/fs.h"

int scan_link_rules(const char *path, void **out, trawl_err *err)
{
    *out = NULL;
    if (!path)
        return 0;
    fs_rules *r = NULL;
    int rc = fs_rules_compile(path, &r, err);
    if (!rc)
        *out = r;
    return rc;
}

void scan_link_rules_free(void *rules)
{
    fs_rules_free(rules);
}

int scan_link_case(case_db *c, const cli_env *env, const char *examiner, trawl_err *err)
{
    (void)c, (void)env, (void)examiner, (void)err;
    return 0;
}
