/* matcher_hs.c: the Hyperscan backend of matcher.h (block mode; start of
 * match only for keyword matchers, which are small).  MATCHER_NATIVE
 * patterns that are fixed-width class sequences run after Hyperscan's scan,
 * through matcher_native.c, reporting the same ends Hyperscan would. */
#ifdef TRAWL_HYPERSCAN
#include "scan/matcher.h"
#include "scan/matcher_native.h"

#include <hs/hs.h>
#include <limits.h>
#include <stdlib.h>

struct matcher {
    hs_database_t *db;  /* NULL when there are no patterns for Hyperscan */
    native_pat *native; /* MATCHER_NATIVE patterns run outside Hyperscan */
    size_t nnative;
};

struct matcher_scratch {
    hs_scratch_t *scratch;
};

const char *matcher_backend(void)
{
    return "hyperscan";
}

int matcher_new(const matcher_pat *pats, size_t n, int som, matcher **out, size_t *bad,
                trawl_err *err)
{
    *bad = (size_t)-1;
    matcher *m = calloc(1, sizeof *m);
    if (!m)
        return trawl_fail(err, TRAWL_ENOMEM, "matcher: out of memory");
    if (n == 0) {
        *out = m;
        return 0;
    }
    const char **exprs = calloc(n, sizeof *exprs);
    unsigned *flags = calloc(n, sizeof *flags);
    unsigned *ids = calloc(n, sizeof *ids);
    size_t *orig = calloc(n, sizeof *orig);
    m->native = calloc(n, sizeof *m->native);
    if (!exprs || !flags || !ids || !orig || !m->native) {
        free(exprs), free(flags), free(ids), free(orig), free(m->native), free(m);
        return trawl_fail(err, TRAWL_ENOMEM, "matcher: out of memory");
    }
    size_t nhs = 0;
    for (size_t j = 0; j < n; j++) {
        if ((pats[j].flags & MATCHER_NATIVE) && !(pats[j].flags & MATCHER_CASELESS) && !som &&
            native_parse(pats[j].regex, pats[j].id, &m->native[m->nnative])) {
            if (!native_merge(m->native, m->nnative, &m->native[m->nnative]))
                m->nnative++;
            continue;
        }
        size_t i = nhs++;
        orig[i] = j;
        exprs[i] = pats[j].regex;
        ids[i] = pats[j].id;
        flags[i] = 0;
        if (pats[j].flags & MATCHER_CASELESS)
            flags[i] |= HS_FLAG_CASELESS;
        if (pats[j].flags & MATCHER_DOTALL)
            flags[i] |= HS_FLAG_DOTALL;
        if (som)
            flags[i] |= HS_FLAG_SOM_LEFTMOST;
    }
    hs_compile_error_t *cerr = NULL;
    hs_error_t rc = HS_SUCCESS;
    if (nhs)
        rc = hs_compile_multi(exprs, flags, ids, (unsigned)nhs, HS_MODE_BLOCK, NULL, &m->db, &cerr);
    free(exprs), free(flags), free(ids);
    if (rc != HS_SUCCESS) {
        int r;
        if (cerr && cerr->expression >= 0) {
            *bad = orig[cerr->expression];
            r = trawl_fail(err, TRAWL_EFORMAT, "%s", cerr->message);
        } else {
            r = trawl_fail(err, TRAWL_EFORMAT, "hyperscan: %s",
                           cerr ? cerr->message : "compile failed");
        }
        hs_free_compile_error(cerr);
        free(orig), free(m->native), free(m);
        return r;
    }
    free(orig);
    *out = m;
    return 0;
}

void matcher_free(matcher *m)
{
    if (!m)
        return;
    if (m->db)
        hs_free_database(m->db);
    free(m->native);
    free(m);
}

int matcher_scratch_new(const matcher *m, matcher_scratch **out, trawl_err *err)
{
    matcher_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return trawl_fail(err, TRAWL_ENOMEM, "matcher: out of memory");
    if (m->db && hs_alloc_scratch(m->db, &s->scratch) != HS_SUCCESS) {
        free(s);
        return trawl_fail(err, TRAWL_ENOMEM, "hyperscan: cannot allocate scratch");
    }
    *out = s;
    return 0;
}

void matcher_scratch_free(matcher_scratch *s)
{
    if (!s)
        return;
    if (s->scratch)
        hs_free_scratch(s->scratch);
    free(s);
}

typedef struct hs_ctx {
    matcher_fn fn;
    void *ctx;
} hs_ctx;

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)flags;
    hs_ctx *c = ctx;
    return c->fn(c->ctx, id, (size_t)from, (size_t)to);
}

int matcher_scan(const matcher *m, matcher_scratch *s, const uint8_t *buf, size_t len,
                 matcher_fn fn, void *ctx, trawl_err *err)
{
    if (len == 0)
        return 0;
    if (len > UINT_MAX)
        return trawl_fail(err, TRAWL_ELIMIT, "hyperscan: buffer of %zu bytes too long", len);
    if (m->db) {
        hs_ctx c = {fn, ctx};
        hs_error_t rc =
            hs_scan(m->db, (const char *)buf, (unsigned)len, 0, s->scratch, on_match, &c);
        if (rc == HS_SCAN_TERMINATED)
            return 0;
        if (rc != HS_SUCCESS)
            return trawl_fail(err, TRAWL_EFORMAT, "hyperscan: scan failed (%d)", (int)rc);
    }
    native_scan(m->native, m->nnative, buf, len, fn, ctx);
    return 0;
}
#endif
