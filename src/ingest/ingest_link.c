/* ingest_link.c: the cross-device link analysis run after devices were
 * added (see ingest.h). */
#include <stdio.h>
#include <string.h>

#include "case/audit.h"
#include "case/store_device.h"
#include "ingest/ingest.h"
#include "link/link.h"

int ingest_link(case_db *c, const ingest_audit *audit, int progress, trawl_err *err)
{
    int64_t n = 0;
    if (case_device_count(c, &n, err))
        return err->code;
    if (n < 2)
        return 0;
    link_options o;
    link_summary s = {0};
    link_options_default(&o);
    o.summary = &s;
    o.progress = progress;
    int rc = link_run(c, &o, err);
    char detail[TRAWL_ERR_MSG + 64];
    if (rc)
        snprintf(detail, sizeof detail, "%s", err->msg);
    else
        snprintf(detail, sizeof detail, "%zu devices, %zu links, %zu groups, %zu accounts",
                 s.devices, s.links, s.groups, s.accounts);
    case_audit_entry e = {
        .action = "link",
        .examiner = audit->examiner,
        .argc = audit->argc,
        .argv = audit->argv,
        .libraries = audit->libraries,
        .outcome = rc ? "error" : "ok",
        .detail = detail,
    };
    trawl_err aerr = {0};
    if (case_audit(c, &e, &aerr)) {
        if (!rc) {
            *err = aerr;
            return aerr.code;
        }
        /* Both failed: keep the link error, and say the audit line is missing. */
        size_t len = strnlen(err->msg, sizeof err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (and its audit line: %s)", aerr.msg);
    }
    return rc;
}
