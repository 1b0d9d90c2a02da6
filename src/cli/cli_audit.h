/* cli_audit.h: writing a command's audit line with what every line needs
 * (command line, examiner, library versions) filled in. */
#ifndef TRAWL_CLI_AUDIT_H
#define TRAWL_CLI_AUDIT_H

#include "case/audit.h"
#include "cli/cli.h"

/* Append an audit line for this command.  examiner NULL means the login
 * name; device, inputs and detail may be NULL/0. */
int cli_audit(case_db *c, const cli_env *env, const char *examiner, const char *action,
              const char *device, const case_audit_input *inputs, size_t ninputs,
              const char *outcome, const char *detail, trawl_err *err);

#endif
