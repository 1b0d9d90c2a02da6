/* cli_row.c: see cli_row.h. */
#include "cli/cli_row.h"

#include <string.h>

#include "util/escape.h"

void cli_json_col(strbuf *sb, const char *key, const case_val *v)
{
    sb_addf(sb, "\"%s\":", key);
    switch (v->type) {
    case CASE_NULL:
        sb_adds(sb, "null");
        break;
    case CASE_INT:
        sb_addf(sb, "%lld", (long long)v->i);
        break;
    case CASE_REAL:
        sb_addf(sb, "%.17g", v->d);
        break;
    default:
        sb_addc(sb, '"');
        esc_json(sb, v->s, v->len);
        sb_addc(sb, '"');
    }
}

void cli_term(strbuf *sb, const char *s)
{
    esc_term(sb, s, strlen(s));
}
