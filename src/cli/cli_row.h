/* cli_row.h: writing values read from the case out of the program: as a
 * JSON member, or escaped for the terminal.  Every command that prints rows
 * uses these, so escaping is done in one place. */
#ifndef TRAWL_CLI_ROW_H
#define TRAWL_CLI_ROW_H

#include "case/case_row.h"
#include "util/strbuf.h"

/* Append "key":VALUE for v: null, a number, or a JSON string of v's bytes. */
void cli_json_col(strbuf *sb, const char *key, const case_val *v);

/* Append s escaped for the terminal (control characters, invalid UTF-8). */
void cli_term(strbuf *sb, const char *s);

#endif
