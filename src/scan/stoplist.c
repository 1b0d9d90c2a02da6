/* stoplist.c: features an examiner does not want reported.
 *
 * The user's list (--stop-list FILE) has bulk_extractor's -w shape: one
 * feature a line, or "feature TAB context" to stop it only in that context
 * (the context as a feature file prints it, escaped); lines starting with #
 * are comments.  Features compare without regard to ASCII case.
 *
 * The built-in list (on unless scan_options.no_default_stop_list) holds
 * values reserved for documentation, which are never evidence:
 *   - the domains example.com, example.net, example.org (RFC 2606) and their
 *     subdomains, and the TLDs .example and .invalid: as domains, as the
 *     domain of an e-mail address, and as the host of a URL;
 *   - IPv4 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737);
 *   - IPv6 2001:db8::/32 (RFC 3849).
 * Test card numbers (4111111111111111...) are deliberately not on it. */
#include "scan/scan_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/escape.h"
#include "util/limits.h"

typedef struct stop_entry {
    char *feature;
    size_t flen;
    char *context; /* escaped, or NULL for "any context" */
} stop_entry;

struct stop_list {
    stop_entry *v;
    size_t n;
    size_t *slots; /* open addressing: index + 1, 0 = empty */
    size_t nslots;
};

static uint64_t hash_ci(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

void stop_list_free(stop_list *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].feature);
        free(s->v[i].context);
    }
    free(s->v);
    free(s->slots);
    free(s);
}

int stop_list_load(const char *path, stop_list **out, trawl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    stop_list *s = calloc(1, sizeof *s);
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    size_t lineno = 0;
    int rc = 0;
    if (!s) {
        fclose(f);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
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
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: NUL byte in the entry", path, lineno);
            break;
        }
        if (s->n >= SCAN_MAX_STOPLIST) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s:%zu: more than %d entries", path, lineno,
                            SCAN_MAX_STOPLIST);
            break;
        }
        char *tab = memchr(line, '\t', len);
        size_t flen = tab ? (size_t)(tab - line) : len;
        if (flen == 0) {
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: empty feature before the tab", path,
                            lineno);
            break;
        }
        if (s->n == cap) {
            cap = cap ? cap * 2 : 64;
            stop_entry *nv = realloc(s->v, cap * sizeof *nv);
            if (!nv) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
                break;
            }
            s->v = nv;
        }
        stop_entry *e = &s->v[s->n];
        e->feature = strndup(line, flen);
        e->flen = flen;
        e->context = tab ? strndup(tab + 1, len - flen - 1) : NULL;
        if (!e->feature || (tab && !e->context)) {
            free(e->feature), free(e->context);
            rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
            break;
        }
        s->n++;
    }
    if (!rc && ferror(f))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read error", path);
    free(line);
    fclose(f);
    if (!rc) {
        s->nslots = 16;
        while (s->nslots < s->n * 2)
            s->nslots *= 2;
        s->slots = calloc(s->nslots, sizeof *s->slots);
        if (!s->slots)
            rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
        for (size_t i = 0; !rc && i < s->n; i++) {
            size_t h = (size_t)hash_ci(s->v[i].feature, s->v[i].flen) & (s->nslots - 1);
            while (s->slots[h])
                h = (h + 1) & (s->nslots - 1);
            s->slots[h] = i + 1;
        }
    }
    if (rc) {
        stop_list_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int stop_list_has(const stop_list *s, const char *feature, size_t flen, const uint8_t *ctx,
                  size_t clen)
{
    if (!s || s->n == 0)
        return 0;
    size_t h = (size_t)hash_ci(feature, flen) & (s->nslots - 1);
    char *esc = NULL;
    int found = 0;
    for (; s->slots[h] && !found; h = (h + 1) & (s->nslots - 1)) {
        const stop_entry *e = &s->v[s->slots[h] - 1];
        if (e->flen != flen || strncasecmp(e->feature, feature, flen))
            continue;
        if (!e->context) {
            found = 1;
            break;
        }
        if (!esc) {
            strbuf sb = STRBUF_INIT;
            esc_feature(&sb, ctx, clen);
            esc = sb.oom ? NULL : sb_detach(&sb);
            sb_free(&sb);
            if (!esc)
                continue;
        }
        found = !strcmp(esc, e->context);
    }
    free(esc);
    return found;
}

/* 1 if host[0..n) is example.com/.net/.org, a subdomain, or under .example
 * or .invalid (ASCII case ignored, a trailing dot allowed). */
static int doc_host(const char *host, size_t n)
{
    if (n && host[n - 1] == '.')
        n--;
    static const char *const doms[] = {"example.com", "example.net", "example.org"};
    for (size_t i = 0; i < 3; i++) {
        size_t d = strlen(doms[i]);
        if (n == d && !strncasecmp(host, doms[i], d))
            return 1;
        if (n > d && host[n - d - 1] == '.' && !strncasecmp(host + n - d, doms[i], d))
            return 1;
    }
    static const char *const tlds[] = {".example", ".invalid"};
    for (size_t i = 0; i < 2; i++) {
        size_t d = strlen(tlds[i]);
        if (n > d && !strncasecmp(host + n - d, tlds[i], d))
            return 1;
    }
    return 0;
}

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && !strncasecmp(s, p, k);
}

int stop_default(const char *type, const char *f, size_t n)
{
    if (type[0] != 'e' && type[0] != 'd' && type[0] != 'u' && type[0] != 'i')
        return 0; /* not a type the list knows: skip the name compares */
    if (!strcmp(type, "email")) {
        const char *at = memchr(f, '@', n);
        while (at) { /* the last @ */
            const char *next = memchr(at + 1, '@', n - (size_t)(at + 1 - f));
            if (!next)
                break;
            at = next;
        }
        return at && doc_host(at + 1, n - (size_t)(at + 1 - f));
    }
    if (!strcmp(type, "domain"))
        return doc_host(f, n);
    if (!strcmp(type, "url")) {
        const char *p = f, *end = f + n;
        const char *sep = NULL;
        for (const char *q = f; q + 2 < end; q++)
            if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
                sep = q;
                break;
            }
        if (sep)
            p = sep + 3;
        const char *h = p;
        while (p < end && *p != '/' && *p != '?' && *p != '#')
            p++;
        const char *at = memchr(h, '@', (size_t)(p - h)); /* user:pass@host */
        if (at)
            h = at + 1;
        const char *colon = memchr(h, ':', (size_t)(p - h));
        if (colon)
            p = colon;
        return doc_host(h, (size_t)(p - h));
    }
    if (!strcmp(type, "ipv4"))
        return has_prefix(f, n, "192.0.2.") || has_prefix(f, n, "198.51.100.") ||
               has_prefix(f, n, "203.0.113.");
    if (!strcmp(type, "ipv6"))
        return has_prefix(f, n, "2001:db8:") || has_prefix(f, n, "2001:0db8:");
    return 0;
}
