/* json_read.c: see json_read.h. */
#include "case/json_read.h"

#include <string.h>

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

static void skip_ws(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
        (*p)++;
}

static int digits(const char **p, const char *end)
{
    const char *s = *p;
    while (*p < end && **p >= '0' && **p <= '9')
        (*p)++;
    return *p > s ? 0 : -1;
}

/* Step *p over one JSON value (RFC 8259) ending before end; 0 or -1. */
static int skip_value(const char **p, const char *end, int depth)
{
    skip_ws(p, end);
    if (*p >= end || depth > 64)
        return -1;
    const char *s = *p;
    switch (*s) {
    case '"':
        for (s++; s < end && *s != '"'; s++) {
            if ((unsigned char)*s < 0x20)
                return -1;
            if (*s != '\\')
                continue;
            if (++s >= end)
                return -1;
            if (*s == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (s + i >= end || !s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
                        return -1;
                s += 4;
            } else if (!*s || !strchr("\"\\/bfnrt", *s)) {
                return -1;
            }
        }
        if (s >= end)
            return -1;
        *p = s + 1;
        return 0;
    case '{':
    case '[': {
        char close = *s == '{' ? '}' : ']';
        *p = s + 1;
        skip_ws(p, end);
        if (*p < end && **p == close) {
            (*p)++;
            return 0;
        }
        for (;;) {
            if (close == '}') {
                skip_ws(p, end);
                if (*p >= end || **p != '"' || skip_value(p, end, depth + 1))
                    return -1;
                skip_ws(p, end);
                if (*p >= end || **p != ':')
                    return -1;
                (*p)++;
            }
            if (skip_value(p, end, depth + 1))
                return -1;
            skip_ws(p, end);
            if (*p < end && **p == ',') {
                (*p)++;
                continue;
            }
            if (*p < end && **p == close) {
                (*p)++;
                return 0;
            }
            return -1;
        }
    }
    case 't':
    case 'f':
    case 'n': {
        const char *w = *s == 't' ? "true" : *s == 'f' ? "false" : "null";
        size_t n = strlen(w);
        if ((size_t)(end - s) < n || memcmp(s, w, n))
            return -1;
        *p = s + n;
        return 0;
    }
    default:
        if (*s == '-')
            s++;
        if (s < end && *s == '0')
            s++;
        else if (digits(&s, end))
            return -1;
        if (s < end && *s == '.' && (s++, digits(&s, end)))
            return -1;
        if (s < end && (*s == 'e' || *s == 'E')) {
            s++;
            if (s < end && (*s == '+' || *s == '-'))
                s++;
            if (digits(&s, end))
                return -1;
        }
        *p = s;
        return 0;
    }
}

int case_json_valid(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    if (skip_value(&p, end, 0))
        return 0;
    skip_ws(&p, end);
    return p == end;
}

int case_json_member(const char *s, size_t len, const char *key, const char **val, size_t *vlen)
{
    const char *p = s, *end = s + len;
    size_t klen = strlen(key);
    skip_ws(&p, end);
    if (p >= end || *p != '{')
        return -1;
    p++;
    for (;;) {
        skip_ws(&p, end);
        if (p >= end || *p != '"')
            return -1;
        const char *k = p;
        if (skip_value(&p, end, 1))
            return -1;
        /* keys trawl writes hold no escapes: compare the bytes */
        int match = (size_t)(p - k) == klen + 2 && !memcmp(k + 1, key, klen);
        skip_ws(&p, end);
        if (p >= end || *p++ != ':')
            return -1;
        skip_ws(&p, end);
        const char *v = p;
        if (skip_value(&p, end, 1))
            return -1;
        if (match) {
            *val = v;
            *vlen = (size_t)(p - v);
            return 0;
        }
        skip_ws(&p, end);
        if (p >= end || *p++ != ',')
            return -1;
    }
}
