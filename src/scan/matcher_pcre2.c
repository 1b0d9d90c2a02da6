/* matcher_pcre2.c: the PCRE2 (JIT) backend of matcher.h, for builds without
 * Hyperscan.  Each pattern is searched on its own; after a match the search
 * restarts at the match's start + 1, so that an anchor that starts inside
 * another match of the same pattern is not missed (MATCHER_NONOVERLAP
 * patterns restart at the match's end instead, as keyword regexes do). */
#ifdef TRAWL_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include "scan/matcher.h"

#include <pcre2.h>
#include <stdlib.h>

typedef struct pcre_pat {
    pcre2_code *code;
    unsigned id, flags;
} pcre_pat;

struct matcher {
    pcre_pat *pats;
    size_t n;
};

struct matcher_scratch {
    pcre2_match_data *md;
};

const char *matcher_backend(void)
{
    return "pcre2";
}

int matcher_new(const matcher_pat *pats, size_t n, int som, matcher **out, size_t *bad,
                trawl_err *err)
{
    (void)som; /* PCRE2 always knows where a match starts */
    *bad = (size_t)-1;
    matcher *m = calloc(1, sizeof *m);
    if (!m || (n && !(m->pats = calloc(n, sizeof *m->pats)))) {
        free(m);
        return trawl_fail(err, TRAWL_ENOMEM, "matcher: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t opt = 0;
        if (pats[i].flags & MATCHER_CASELESS)
            opt |= PCRE2_CASELESS;
        if (pats[i].flags & MATCHER_DOTALL)
            opt |= PCRE2_DOTALL;
        int ecode;
        PCRE2_SIZE eoff;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)pats[i].regex, PCRE2_ZERO_TERMINATED, opt,
                                         &ecode, &eoff, NULL);
        if (!code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ecode, msg, sizeof msg);
            *bad = i;
            m->n = i;
            matcher_free(m);
            return trawl_fail(err, TRAWL_EFORMAT, "%s at offset %zu", (const char *)msg,
                              (size_t)eoff);
        }
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
        m->pats[i].code = code;
        m->pats[i].id = pats[i].id;
        m->pats[i].flags = pats[i].flags;
    }
    m->n = n;
    *out = m;
    return 0;
}

void matcher_free(matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        pcre2_code_free(m->pats[i].code);
    free(m->pats);
    free(m);
}

int matcher_scratch_new(const matcher *m, matcher_scratch **out, trawl_err *err)
{
    (void)m;
    matcher_scratch *s = calloc(1, sizeof *s);
    if (!s || !(s->md = pcre2_match_data_create(1, NULL))) {
        free(s);
        return trawl_fail(err, TRAWL_ENOMEM, "matcher: out of memory");
    }
    *out = s;
    return 0;
}

void matcher_scratch_free(matcher_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    free(s);
}

int matcher_scan(const matcher *m, matcher_scratch *s, const uint8_t *buf, size_t len,
                 matcher_fn fn, void *ctx, trawl_err *err)
{
    for (size_t i = 0; i < m->n; i++) {
        const pcre_pat *p = &m->pats[i];
        size_t pos = 0;
        while (pos < len) {
            int rc = pcre2_match(p->code, buf, len, pos, 0, s->md, NULL);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
                    pos++; /* give up on this start, as a bounded matcher would */
                    continue;
                }
                return trawl_fail(err, TRAWL_EFORMAT, "pcre2: match failed (%d)", rc);
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            size_t from = ov[0], to = ov[1];
            if (to > from && fn((void *)ctx, p->id, from, to))
                return 0;
            if ((p->flags & MATCHER_NONOVERLAP) && to > from)
                pos = to;
            else
                pos = from + 1;
        }
    }
    return 0;
}
#endif
