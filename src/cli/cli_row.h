/* cli_row.h: writing columns of a case.db row out of the program: as
 * text (empty for NULL), as a JSON member, or escaped for the terminal.
 * Every command that prints rows uses these, so escaping is done in one
 * place. */
#ifndef TRAWL_CLI_ROW_H
#define TRAWL_CLI_ROW_H

#include <sqlite3.h>

#include "util/strbuf.h"

/* Column i as text, "" for NULL; borrowed until the next step. */
const char *cli_col(sqlite3_stmt *st, int i);

/* Append "key":VALUE for column i: null, an integer, or a JSON string of the
 * column's bytes. */
void cli_json_col(strbuf *sb, const char *key, sqlite3_stmt *st, int i);

/* Append s escaped for the terminal (control characters, invalid UTF-8). */
void cli_term(strbuf *sb, const char *s);

#endif
