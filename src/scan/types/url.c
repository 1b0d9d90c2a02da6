/* url.c: URLs with a scheme (http, https, ftp, ftps, sftp, ws, wss, rtsp).
 * Anchor: the literal "://"; the extractor reads the scheme to its left and
 * the authority and path to its right.  Feature: scheme and host
 * lower-cased, the rest as found, trailing sentence punctuation dropped.
 * The host, when it is a name with a real TLD, is also reported as a
 * "domain". */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"
#include "util/limits.h"

static const char *const url_schemes[] = {"http", "https", "ftp", "ftps",
                                          "sftp", "ws",    "wss", "rtsp"};

/* Bytes that can appear in a URL as people and programs write it; quotes,
 * angle brackets, backslash and the like end it. */
static int is_url_char(int c)
{
    if (c <= 0x20 || c >= 0x7f)
        return 0;
    switch (c) {
    case '"':
    case '\'':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
        return 0;
    default:
        return 1;
    }
}

static int url_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                       const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at < lo + 3 || at > hi || buf[at - 3] != ':' || buf[at - 2] != '/' || buf[at - 1] != '/')
        return 0;
    size_t c = at - 3, s = c;
    while (s > lo && val_is_alpha(buf[s - 1]) && c - s < 6)
        s--;
    if (s > lo && val_is_alpha(buf[s - 1]))
        return 0;
    int known = 0;
    for (size_t i = 0; i < sizeof url_schemes / sizeof url_schemes[0]; i++)
        if (strlen(url_schemes[i]) == c - s && tu_has_ci(buf, s, c, url_schemes[i]))
            known = 1;
    if (!known)
        return 0;

    size_t e = at;
    while (e < hi && is_url_char(buf[e]) && e - s < SCAN_MAX_FEATURE)
        e++;
    /* Trailing punctuation belongs to the sentence, and a closing bracket to
     * the text around, unless the URL opened one. */
    for (;;) {
        if (e <= at)
            return 0;
        int ch = buf[e - 1];
        if (strchr(".,;:!?*", ch)) {
            e--;
            continue;
        }
        if (ch == ')' || ch == ']') {
            int open = 0, close = 0;
            for (size_t i = at; i < e; i++) {
                open += buf[i] == (ch == ')' ? '(' : '[');
                close += buf[i] == ch;
            }
            if (close > open) {
                e--;
                continue;
            }
        }
        break;
    }

    size_t a = at; /* end of the authority */
    while (a < e && buf[a] != '/' && buf[a] != '?' && buf[a] != '#')
        a++;
    size_t hs = at;
    for (size_t i = at; i < a; i++)
        if (buf[i] == '@')
            hs = i + 1;
    size_t he = hs;
    int is_name = 0;
    if (hs < a && buf[hs] == '[') {
        size_t rb = hs;
        while (rb < a && buf[rb] != ']')
            rb++;
        char text[46];
        if (rb == a || !val_ipv6((const char *)buf + hs + 1, rb - hs - 1, text))
            return 0;
        he = rb + 1;
    } else {
        while (he < a && tu_is_host(buf[he]))
            he++;
        uint8_t ip[4];
        if (val_ipv4((const char *)buf + hs, he - hs, ip))
            is_name = 0;
        else if (val_hostname((const char *)buf + hs, he - hs, VAL_TLD_ANY))
            is_name = 1;
        else
            return 0;
    }
    if (he < a) { /* only a port may follow the host */
        if (buf[he] != ':')
            return 0;
        for (size_t i = he + 1; i < a; i++)
            if (!val_is_digit(buf[i]))
                return 0;
    }

    char f[SCAN_MAX_FEATURE];
    size_t n = 0;
    for (size_t i = s; i < e; i++) {
        int ch = buf[i];
        f[n++] = (char)((i < c || (i >= hs && i < he)) ? val_lower(ch) : ch);
    }
    int rc = out->add(out, "url", s, e, f, n);
    if (rc == 0 && is_name)
        rc = tu_add_domain(out, buf, hs, he, VAL_TLD_ANY);
    return rc;
}

static const scan_pattern url_patterns[] = {
    {"://", 0},
};

const scan_type scan_type_url = {
    "url",
    url_patterns,
    sizeof url_patterns / sizeof url_patterns[0],
    url_extract,
};
