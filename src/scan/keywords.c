/* keywords.c: the --keywords FILE list.
 *
 * One term a line; blank lines and lines starting with # are skipped (to
 * look for a term that starts with #, write it as a regex: /\#term/).  A
 * term is a literal, or /regex/flags with flags from:
 *   i  case-insensitive (the default, as for literals)
 *   c  case-sensitive
 *   s  . also matches a newline
 * Terms match bytes: an ASCII or UTF-8 term matches UTF-8 text, and, through
 * the engine's UTF-16 narrowing, ASCII terms match UTF-16 text too.  A hit's
 * type is "keyword" and its feature is the term as written in the file. */
#include "scan/scan_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"
#include "util/strbuf.h"

void keywords_free(keyword *kw, size_t n)
{
    for (size_t i = 0; i < n && kw; i++)
        free(kw[i].term);
    free(kw);
}

/* A literal as a regex: every byte that is not a letter or digit as \xHH. */
static char *literal_regex(const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            sb_addc(&sb, (char)c);
        else
            sb_addf(&sb, "\\x%02x", c);
    }
    char *r = sb.oom ? NULL : sb_detach(&sb);
    sb_free(&sb);
    return r;
}

int keywords_load(const char *path, keyword **out, size_t *nout, matcher **mout, trawl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    keyword *kw = NULL;
    matcher_pat *pats = NULL;
    char **regexes = NULL;
    size_t *lines = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        if (lineno == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
            memmove(line, line + 3, len - 3); /* a UTF-8 byte-order mark */
            len -= 3;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', len)) { /* entries are C strings: a NUL would cut one short */
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: NUL byte in the keyword", path, lineno);
            break;
        }
        if (n >= SCAN_MAX_KEYWORDS) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s:%zu: more than %d keywords", path, lineno,
                            SCAN_MAX_KEYWORDS);
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            keyword *nk = realloc(kw, cap * sizeof *nk);
            if (nk)
                kw = nk;
            matcher_pat *np = realloc(pats, cap * sizeof *np);
            if (np)
                pats = np;
            char **nr = realloc(regexes, cap * sizeof *nr);
            if (nr)
                regexes = nr;
            size_t *nl = realloc(lines, cap * sizeof *nl);
            if (nl)
                lines = nl;
            if (!nk || !np || !nr || !nl) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
                break;
            }
        }
        if (len > SCAN_MAX_FEATURE) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s:%zu: keyword longer than %d bytes", path, lineno,
                            SCAN_MAX_FEATURE);
            break;
        }
        unsigned flags = MATCHER_CASELESS;
        char *re;
        int literal = 1;
        const char *close = len >= 2 && line[0] == '/' ? memrchr(line + 1, '/', len - 1) : NULL;
        if (close) {
            literal = 0;
            for (const char *p = close + 1; p < line + len; p++) {
                if (*p == 'i')
                    flags |= MATCHER_CASELESS;
                else if (*p == 'c')
                    flags &= ~MATCHER_CASELESS;
                else if (*p == 's')
                    flags |= MATCHER_DOTALL;
                else {
                    rc = trawl_fail(err, TRAWL_EFORMAT,
                                    "%s:%zu: unknown regex flag '%c' (expected i, c or s)", path,
                                    lineno, *p);
                    break;
                }
            }
            if (rc)
                break;
            if (close == line + 1) {
                rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: empty regex", path, lineno);
                break;
            }
            re = strndup(line + 1, (size_t)(close - line - 1));
            flags |= MATCHER_NONOVERLAP;
        } else {
            re = literal_regex(line, len);
        }
        char *term = strndup(line, len);
        if (!re || !term) {
            free(re), free(term);
            rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
            break;
        }
        kw[n] = (keyword){term, len, literal};
        regexes[n] = re;
        pats[n] = (matcher_pat){re, flags, (unsigned)n};
        lines[n] = lineno;
        n++;
    }
    if (!rc && ferror(f))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read error", path);
    free(line);
    fclose(f);
    matcher *m = NULL;
    if (!rc) {
        size_t bad;
        rc = matcher_new(pats, n, 1, &m, &bad, err);
        if (rc && bad < n)
            trawl_wrap(err, "%s:%zu: keyword %s", path, lines[bad], kw[bad].term);
        else if (rc)
            trawl_wrap(err, "%s", path);
    }
    for (size_t i = 0; i < n; i++)
        free(regexes[i]);
    free(regexes), free(pats), free(lines);
    if (rc) {
        keywords_free(kw, n);
        return rc;
    }
    *out = kw;
    *nout = n;
    *mout = m;
    return 0;
}
