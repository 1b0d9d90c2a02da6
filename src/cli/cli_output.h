/* cli_output.h: writing a command's output file (an export, the report)
 * whole or not at all, and hashing it as written for the audit log. */
#ifndef TRAWL_CLI_OUTPUT_H
#define TRAWL_CLI_OUTPUT_H

#include <stdio.h>

#include "util/err.h"

/* Writes the output to f. */
typedef int (*cli_write_fn)(void *ctx, FILE *f, trawl_err *err);

/* Call write for path: "-" is standard output (sha is left as it is);
 * otherwise write goes to PATH.tmp, which is hashed into sha (SHA-256, hex)
 * and renamed to path, or removed when anything fails. */
int cli_write_output(const char *path, cli_write_fn write, void *ctx, char sha[65], trawl_err *err);

#endif
