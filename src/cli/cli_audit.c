/* cli_audit.c: see cli_audit.h. */
#include "cli/cli_audit.h"

#include <limits.h>
#include <stdlib.h>

#include "cli/cli_versions.h"

int cli_audit(case_db *c, const cli_env *env, const char *examiner, const char *action,
              const char *device, const case_audit_input *inputs, size_t ninputs,
              const char *outcome, const char *detail, trawl_err *err)
{
    char *libs = cli_library_versions();
    case_audit_entry e = {
        .action = action,
        .examiner = examiner ? examiner : env->login,
        .argc = env->argc,
        .argv = env->argv,
        .libraries = libs,
        .device = device,
        .inputs = inputs,
        .ninputs = ninputs,
        .outcome = outcome,
        .detail = detail,
    };
    int rc = case_audit(c, &e, err);
    free(libs);
    return rc;
}

int cli_audit_output(case_db *c, const cli_env *env, int record, const char *action,
                     const char *path, const char *sha256)
{
    if (!record) {
        cli_warn(action, "the case is read-only: %s is not recorded in its audit log", path);
        return 0;
    }
    char *abs = realpath(path, NULL);
    case_audit_input out = {abs ? abs : path, sha256};
    char *libs = cli_library_versions();
    case_audit_entry e = {
        .action = action,
        .examiner = env->login,
        .argc = env->argc,
        .argv = env->argv,
        .libraries = libs,
        .outputs = &out,
        .noutputs = 1,
        .outcome = "ok",
    };
    trawl_err err = {0};
    int rc = case_audit(c, &e, &err);
    free(libs);
    free(abs);
    if (rc)
        cli_report(action, &err);
    return rc;
}
