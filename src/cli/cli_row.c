/* cli_row.c: see cli_row.h. */
#include "cli/cli_row.h"

#include <string.h>

#include "util/escape.h"

const char *cli_col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

void cli_json_col(strbuf *sb, const char *key, sqlite3_stmt *st, int i)
{
    sb_addf(sb, "\"%s\":", key);
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        sb_adds(sb, "null");
        break;
    case SQLITE_INTEGER:
        sb_addf(sb, "%lld", (long long)sqlite3_column_int64(st, i));
        break;
    default:
        sb_addc(sb, '"');
        esc_json(sb, cli_col(st, i), (size_t)sqlite3_column_bytes(st, i));
        sb_addc(sb, '"');
    }
}

void cli_term(strbuf *sb, const char *s)
{
    esc_term(sb, s, strlen(s));
}
