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

/* Record the file an export wrote (path as given, recorded absolute, with
 * its SHA-256 as written) in an audit line of action ("export",
 * "report"), so that `trawl verify` can tell when it is edited.  When the
 * case was opened read-only (record 0) only warns that it is not recorded.
 * Returns the audit error, already reported on stderr. */
int cli_audit_output(case_db *c, const cli_env *env, int record, const char *action,
                     const char *path, const char *sha256);

#endif
