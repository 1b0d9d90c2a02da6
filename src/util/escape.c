/* escape.c: see escape.h. */
#include "util/escape.h"

#include <stdio.h>

static void add_hex(strbuf *sb, const char *fmt, unsigned char c)
{
    char tmp[8];
    snprintf(tmp, sizeof tmp, fmt, c);
    sb_adds(sb, tmp);
}

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((c & 0xe0) == 0xc0) {
        n = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void esc_json(strbuf *sb, const void *data, size_t len)
{
    const unsigned char *s = data;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
            i++;
        } else if (c == '\n') {
            sb_adds(sb, "\\n"), i++;
        } else if (c == '\t') {
            sb_adds(sb, "\\t"), i++;
        } else if (c == '\r') {
            sb_adds(sb, "\\r"), i++;
        } else if (c < 0x20 || c == 0x7f) {
            add_hex(sb, "\\u%04x", c), i++;
        } else if (c < 0x80) {
            sb_addc(sb, (char)c), i++;
        } else {
            size_t n = utf8_seq_len(s + i, len - i);
            if (n) {
                sb_add(sb, s + i, n);
                i += n;
            } else {
                add_hex(sb, "\\u%04x", c), i++;
            }
        }
    }
}

void esc_xml(strbuf *sb, const void *data, size_t len)
{
    const unsigned char *s = data;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        switch (c) {
        case '&':
            sb_adds(sb, "&amp;"), i++;
            continue;
        case '<':
            sb_adds(sb, "&lt;"), i++;
            continue;
        case '>':
            sb_adds(sb, "&gt;"), i++;
            continue;
        case '"':
            sb_adds(sb, "&quot;"), i++;
            continue;
        case '\'':
            sb_adds(sb, "&apos;"), i++;
            continue;
        default:
            break;
        }
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            add_hex(sb, "\\x%02X", c), i++;
        } else if (c < 0x80) {
            sb_addc(sb, (char)c), i++;
        } else {
            size_t n = utf8_seq_len(s + i, len - i);
            if (n) {
                sb_add(sb, s + i, n);
                i += n;
            } else {
                add_hex(sb, "\\x%02X", c), i++;
            }
        }
    }
}

void esc_csv(strbuf *sb, const void *data, size_t len)
{
    const unsigned char *s = data;
    int quote = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            quote = 1;
    int neutralize = len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                                 s[0] == '\t' || s[0] == '\r');
    if (quote)
        sb_addc(sb, '"');
    if (neutralize)
        sb_addc(sb, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            sb_addc(sb, '"');
        sb_addc(sb, (char)s[i]);
    }
    if (quote)
        sb_addc(sb, '"');
}

static void esc_bytes(strbuf *sb, const unsigned char *s, size_t len, int keep_tab)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '\\' && !keep_tab) {
            sb_adds(sb, "\\x5C"), i++;
        } else if (c >= 0x20 && c < 0x7f) {
            /* A run of plain printable ASCII goes in at once (most of a
             * feature file: a byte at a time was a tenth of writing it). */
            size_t k = i + 1;
            while (k < len && s[k] >= 0x20 && s[k] < 0x7f && s[k] != '\\')
                k++;
            sb_add(sb, s + i, k - i);
            i = k;
        } else if (c == '\t' && keep_tab) {
            sb_addc(sb, (char)c), i++;
        } else if (c >= 0x80) {
            size_t n = utf8_seq_len(s + i, len - i);
            /* C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F. */
            if (n && !(n == 2 && c == 0xc2 && s[i + 1] < 0xa0)) {
                sb_add(sb, s + i, n);
                i += n;
            } else {
                add_hex(sb, "\\x%02X", c), i++;
            }
        } else {
            add_hex(sb, "\\x%02X", c), i++;
        }
    }
}

void esc_feature(strbuf *sb, const void *s, size_t len)
{
    esc_bytes(sb, s, len, 0);
}

void esc_term(strbuf *sb, const void *s, size_t len)
{
    esc_bytes(sb, s, len, 1);
}
