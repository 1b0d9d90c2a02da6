/* cli_audit.c: see cli_audit.h. */
#include "cli/cli_audit.h"

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
