/* scan_link.c: see scan_link.h. */
#include "cli/scan_link.h"

#include <stdio.h>

#include "cli/cli_audit.h"
#include "fs/fs.h"
#include "link/link.h"
#include "case/case_int.h"

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

static int count_devices(case_db *c, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM devices", &st, err))
        return err->code;
    *n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return 0;
}

int scan_link_case(case_db *c, const cli_env *env, const char *examiner, trawl_err *err)
{
    int64_t n = 0;
    if (count_devices(c, &n, err))
        return err->code;
    if (n < 2)
        return 0;
    link_options o;
    link_summary s = {0};
    link_options_default(&o);
    o.summary = &s;
    o.progress = env->progress;
    int rc = link_run(c, &o, err);
    char detail[TRAWL_ERR_MSG + 64];
    if (rc)
        snprintf(detail, sizeof detail, "%s", err->msg);
    else
        snprintf(detail, sizeof detail, "%zu devices, %zu links, %zu groups, %zu accounts",
                 s.devices, s.links, s.groups, s.accounts);
    trawl_err aerr;
    if (cli_audit(c, env, examiner, "link", NULL, NULL, 0, rc ? "error" : "ok", detail, &aerr) &&
        !rc) {
        *err = aerr;
        rc = aerr.code;
    }
    return rc;
}
