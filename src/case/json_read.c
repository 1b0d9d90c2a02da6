/* json_read.c: reading back the JSON trawl itself writes with esc_json (the
 * audit log's lines, a link's explanation, see case_int.h).  Not a JSON
 * parser for anyone's input: what esc_json cannot have written is refused. */
#include "case/case_int.h"

int case_json_string(const char **p, strbuf *sb)
{
    const char *s = *p;
    while (*s && *s != '"') {
        if (*s != '\\') {
            sb_addc(sb, *s++);
            continue;
        }
        s++;
        switch (*s) {
        case '"':
        case '\\':
        case '/':
            sb_addc(sb, *s);
            break;
        case 'n':
            sb_addc(sb, '\n');
            break;
        case 't':
            sb_addc(sb, '\t');
            break;
        case 'r':
            sb_addc(sb, '\r');
            break;
        case 'u': {
            unsigned v = 0;
            for (int i = 1; i <= 4; i++) {
                char h = s[i];
                if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                    return -1;
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            if (v > 0xff) /* esc_json only writes \u00XX */
                return -1;
            sb_addc(sb, (char)v);
            s += 4;
            break;
        }
        default:
            return -1;
        }
        s++;
    }
    if (*s != '"')
        return -1;
    *p = s + 1;
    return 0;
}
