/* scan_type_harness.h: drives identifier-type extractors (src/scan/types/)
 * the way the engine does, for the tests/unit/test_scan_<type>.c tests.
 *
 * th_anchor_hits() runs a type's anchor patterns with the build's matcher
 * (Hyperscan: every match end; PCRE2: leftmost non-overlapping matches,
 * restarting one byte after each match start), calls the extractor at each
 * match end and collects the features, de-duplicated per (type, start,
 * feature) as the engine does.  th_every_hits() calls the extractor at every
 * position with every pattern number, which is what scan_type_normalize
 * does.  th_check() asserts that both give exactly the expected hits, for
 * the input alone (so at buffer start and end) and embedded in binary noise
 * on both sides. */
#ifndef TRAWL_TESTS_SCAN_TYPE_HARNESS_H
#define TRAWL_TESTS_SCAN_TYPE_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scan/scan_type.h"

#define TH_FN static __attribute__((unused))

#ifdef TRAWL_HYPERSCAN
#include <hs/hs.h>
#else
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

typedef struct th_hit {
    const char *type;
    size_t start, end;
    char feature[1100];
} th_hit;

typedef struct th_hits {
    scan_out base;
    th_hit *v;
    size_t n, cap;
} th_hits;

TH_FN int th_add(scan_out *self, const char *type, size_t start, size_t end, const char *feature,
                 size_t feature_len)
{
    th_hits *h = (th_hits *)self;
    assert_true(end > start);
    assert_true(feature_len > 0 && feature_len < sizeof h->v[0].feature);
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].start == start && strcmp(h->v[i].type, type) == 0 &&
            strlen(h->v[i].feature) == feature_len &&
            memcmp(h->v[i].feature, feature, feature_len) == 0)
            return 0;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        assert_non_null(h->v);
    }
    th_hit *x = &h->v[h->n++];
    x->type = type;
    x->start = start;
    x->end = end;
    memcpy(x->feature, feature, feature_len);
    x->feature[feature_len] = '\0';
    return 0;
}

TH_FN void th_init(th_hits *h)
{
    memset(h, 0, sizeof *h);
    h->base.add = th_add;
}

TH_FN void th_free(th_hits *h)
{
    free(h->v);
    memset(h, 0, sizeof *h);
}

TH_FN int th_cmp(const void *a, const void *b)
{
    const th_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    int c = strcmp(x->type, y->type);
    if (c)
        return c;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->feature, y->feature);
}

TH_FN void th_sort(th_hits *h)
{
    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, th_cmp);
}

typedef struct th_scan_ctx {
    const scan_type *t;
    const uint8_t *buf;
    size_t len;
    const scan_type_ctx *ctx;
    th_hits *hits;
    size_t calls;
} th_scan_ctx;

#ifdef TRAWL_HYPERSCAN
TH_FN int th_on_match(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void *vctx)
{
    th_scan_ctx *c = vctx;
    (void)from, (void)flags;
    c->calls++;
    assert_int_equal(c->t->extract(c->buf, c->len, (size_t)to, id, c->ctx, &c->hits->base), 0);
    return 0;
}
#endif

/* Run t's anchors over buf with the build's matcher; returns the number of
 * anchor matches (extractor calls). */
TH_FN size_t th_anchor_hits(const scan_type *t, const uint8_t *buf, size_t len,
                            const scan_type_ctx *ctx, th_hits *hits)
{
    th_scan_ctx c = {t, buf, len, ctx, hits, 0};
#ifdef TRAWL_HYPERSCAN
    const char *exprs[64];
    unsigned flags[64], ids[64];
    assert_true(t->npatterns <= 64);
    for (unsigned i = 0; i < t->npatterns; i++) {
        exprs[i] = t->patterns[i].regex;
        flags[i] = ((t->patterns[i].flags & SCAN_PAT_CASELESS) ? HS_FLAG_CASELESS : 0) |
                   ((t->patterns[i].flags & SCAN_PAT_DOTALL) ? HS_FLAG_DOTALL : 0);
        ids[i] = i;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, (unsigned)t->npatterns, HS_MODE_BLOCK, NULL, &db,
                         &cerr) != HS_SUCCESS) {
        fail_msg("%s: hyperscan: %s", t->name, cerr ? cerr->message : "?");
    }
    hs_scratch_t *scratch = NULL;
    assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    if (len > 0)
        assert_int_equal(hs_scan(db, (const char *)buf, (unsigned)len, 0, scratch, th_on_match, &c),
                         HS_SUCCESS);
    hs_free_scratch(scratch);
    hs_free_database(db);
#else
    for (unsigned i = 0; i < t->npatterns; i++) {
        int ecode;
        PCRE2_SIZE eoff;
        uint32_t opts = ((t->patterns[i].flags & SCAN_PAT_CASELESS) ? PCRE2_CASELESS : 0) |
                        ((t->patterns[i].flags & SCAN_PAT_DOTALL) ? PCRE2_DOTALL : 0);
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)t->patterns[i].regex, PCRE2_ZERO_TERMINATED,
                                       opts, &ecode, &eoff, NULL);
        if (!re)
            fail_msg("%s: pcre2 cannot compile pattern %u", t->name, i);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
        size_t off = 0;
        while (off <= len && pcre2_match(re, (PCRE2_SPTR)buf, len, off, 0, md, NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            c.calls++;
            assert_int_equal(t->extract(buf, len, ov[1], i, ctx, &hits->base), 0);
            off = ov[0] + 1;
        }
        pcre2_match_data_free(md);
        pcre2_code_free(re);
    }
#endif
    return c.calls;
}

/* Call t's extractor at every position with every pattern number. */
TH_FN void th_every_hits(const scan_type *t, const uint8_t *buf, size_t len,
                         const scan_type_ctx *ctx, th_hits *hits)
{
    for (size_t at = 0; at <= len; at++)
        for (unsigned p = 0; p < t->npatterns; p++)
            assert_int_equal(t->extract(buf, len, at, p, ctx, &hits->base), 0);
}

/* An expected hit; arrays end with type NULL. */
typedef struct th_want {
    const char *type;
    size_t start, end;
    const char *feature;
} th_want;

TH_FN void th_print(const char *what, const th_hits *h)
{
    fprintf(stderr, "  %s (%zu):\n", what, h->n);
    for (size_t i = 0; i < h->n; i++)
        fprintf(stderr, "    {\"%s\", %zu, %zu, \"%s\"},\n", h->v[i].type, h->v[i].start,
                h->v[i].end, h->v[i].feature);
}

TH_FN int th_equal(const th_hits *h, const th_want *want, size_t shift)
{
    size_t n = 0;
    while (want[n].type)
        n++;
    if (n != h->n)
        return 0;
    th_hit *w = calloc(n + 1, sizeof *w);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++) {
        w[i].type = want[i].type;
        w[i].start = want[i].start + shift;
        w[i].end = want[i].end + shift;
        snprintf(w[i].feature, sizeof w[i].feature, "%s", want[i].feature);
    }
    if (n > 1)
        qsort(w, n, sizeof *w, th_cmp);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++)
        ok = th_cmp(&w[i], &h->v[i]) == 0;
    free(w);
    return ok;
}

/* Scan buf[0..len) with anchors and at every position; both must give want
 * (offsets shifted by `shift`). */
TH_FN void th_check_buf(const scan_type *t, const uint8_t *buf, size_t len,
                        const scan_type_ctx *ctx, const th_want *want, size_t shift,
                        const char *label)
{
    th_hits a, e;
    th_init(&a);
    th_init(&e);
    th_anchor_hits(t, buf, len, ctx, &a);
    th_every_hits(t, buf, len, ctx, &e);
    th_sort(&a);
    th_sort(&e);
    int ok_a = th_equal(&a, want, shift), ok_e = th_equal(&e, want, shift);
    if (!ok_a || !ok_e) {
        fprintf(stderr, "%s: %s input \"%.*s\"\n", t->name, label, (int)(len > 200 ? 200 : len),
                (const char *)buf + (len > 200 ? shift : 0));
        th_print("anchors found", &a);
        th_print("every position found", &e);
    }
    th_free(&a);
    th_free(&e);
    assert_true(ok_a);
    assert_true(ok_e);
}

#define TH_NOISE 3000 /* more than SCAN_LOOKAROUND */

/* Check `input` alone and between TH_NOISE bytes of binary noise (bytes
 * that are not ASCII letters or digits, ending in a newline next to the
 * input). */
TH_FN void th_check(const scan_type *t, const char *input, const scan_type_ctx *ctx,
                    const th_want *want)
{
    size_t n = strlen(input);
    th_check_buf(t, (const uint8_t *)input, n, ctx, want, 0, "alone");
    uint8_t *b = malloc(n + 2 * TH_NOISE);
    assert_non_null(b);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n + 2 * TH_NOISE; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        b[i] = (uint8_t)(0x80 | (x & 0x7f));
        if ((x >> 8) % 7 == 0)
            b[i] = (uint8_t)((x >> 16) % 32); /* control bytes, NUL included */
    }
    b[TH_NOISE - 1] = '\n';
    b[TH_NOISE + n] = '\n';
    memcpy(b + TH_NOISE, input, n);
    th_check_buf(t, b, n + 2 * TH_NOISE, ctx, want, TH_NOISE, "in noise");
    free(b);
}

/* Shorthand: input must yield exactly one hit of type t->name spanning the
 * whole input with this feature (and nothing else of any type). */
TH_FN void th_one(const scan_type *t, const char *input, const char *feature)
{
    th_want w[] = {{t->name, 0, strlen(input), feature}, {NULL, 0, 0, NULL}};
    th_check(t, input, NULL, w);
}

/* Shorthand: input must yield no hit at all from t. */
TH_FN void th_none(const scan_type *t, const char *input)
{
    th_want w[] = {{NULL, 0, 0, NULL}};
    th_check(t, input, NULL, w);
}

/* Offset of needle in hay (which must contain it). */
TH_FN size_t th_at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    if (!p)
        fail_msg("\"%s\" not in \"%s\"", needle, hay);
    return (size_t)(p - hay);
}

#endif
