/* test_scan_matcher.c: src/scan/matcher_native.c, and the matcher with
 * MATCHER_NATIVE patterns (matcher_hs.c): a class sequence matched outside
 * the regex engine reports exactly the ends the regex engine reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan/matcher.h"
#include "scan/matcher_native.h"

typedef struct ends {
    uint64_t *v; /* id << 32 | to */
    size_t n, cap;
} ends;

static int collect(void *ctx, unsigned id, size_t from, size_t to)
{
    (void)from;
    ends *e = ctx;
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 256;
        e->v = realloc(e->v, e->cap * sizeof *e->v);
        assert_non_null(e->v);
    }
    e->v[e->n++] = (uint64_t)id << 32 | to;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void sort_ends(ends *e)
{
    if (e->n)
        qsort(e->v, e->n, sizeof *e->v, cmp_u64);
}

/* Noise rich in digits and capitals, with runs of every length. */
static void noise(uint8_t *buf, size_t len, uint32_t seed)
{
    static const char alphabet[] =
        "0123456789012345678901234567890123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "abcxyz .-_\n\x00\xff";
    uint32_t x = seed;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (uint8_t)alphabet[x % (sizeof alphabet - 1)];
        if (x % 97 == 0) /* now and then a long run of digits */
            for (size_t k = 0; k < x % 40 && i + 1 < len; k++)
                buf[++i] = (uint8_t)('0' + (x >> (k % 32)) % 10);
    }
}

static const char *const seqs[] = {
    "[0-9A-Z]{2}[0-9]{2}[0-9A-Z]{9}", /* ccn and iban */
    "[0-9]{13}",
    "[0-9][ -][0-9]{3}",
    "[A-Z]{2}",
    "[0-9A-Z]{40}",
    "[0-9]{16}[A-Z]",
};

/* Brute force: every end of a window whose bytes are in their classes. */
static void reference(const native_pat *np, const uint8_t *buf, size_t len, ends *e)
{
    for (size_t s = 0; s + (size_t)np->len <= len; s++) {
        int ok = 1;
        for (int j = 0; j < np->len && ok; j++) {
            const native_class *c = &np->cls[np->at[j]];
            int in = 0;
            for (int r = 0; r < c->nranges; r++)
                in |= buf[s + j] >= c->lo[r] && buf[s + j] <= c->hi[r];
            ok = in;
        }
        if (ok)
            for (int d = 0; d < np->nids; d++)
                collect(e, np->id[d], 0, s + (size_t)np->len);
    }
}

#define BTC "(?:^|[^A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?:[^A-Za-z0-9]|$)"

/* Words of base58 and other alphanumerics, of lengths around 26..35, at the
 * start, the end, before a final newline. */
static size_t words(uint8_t *buf, size_t cap, uint32_t seed)
{
    static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    static const char seps[] = " \n.,:/\"-_+=\x00\xc3";
    uint32_t x = seed;
    size_t n = 0;
    while (n + 48 < cap) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        size_t wl = 20 + x % 20;
        for (size_t k = 0; k < wl; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            buf[n++] = (uint8_t)(k == 0 && x % 3 ? "13"[x % 2]
                                 : x % 50        ? b58[x % 58]
                                                 : "0OIl"[x % 4]);
        }
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[n++] = (uint8_t)seps[x % (sizeof seps - 1)];
        if (x % 7 == 0)
            buf[n++] = (uint8_t)seps[(x >> 8) % (sizeof seps - 1)];
    }
    return n;
}

static void test_parse(void **state)
{
    (void)state;
    native_pat np;
    assert_true(native_parse("[0-9A-Z]{2}[0-9]{2}[0-9A-Z]{9}", 7, &np));
    assert_int_equal(np.len, 13);
    assert_int_equal(np.ncls, 2);
    assert_int_equal(np.id[0], 7);
    assert_int_equal(np.at[2], np.at[3]);
    assert_int_not_equal(np.at[1], np.at[2]);
    assert_true(native_parse(BTC, 3, &np));
    assert_int_equal(np.kind, NATIVE_WORD);
    assert_int_equal(np.wmin, 26);
    assert_int_equal(np.wmax, 35);
    static const char *const not_native[] = {
        "abc",
        "[0-9]+",
        "[0-9]{2,5}",
        "(?:^|[^A-Za-z0-9])[13]",
        "[^0-9]{3}",
        "[\\d]{3}",
        "[0-9]",
        "[0-9]{100}",
        "\\+[1-9]",
        "[0-9]{3}x",
        "",
        "(?:^|[^A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?:[^A-Za-z]|$)", /* bounds differ */
        "(?:^|[^0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?:[^0-9]|$)", /* word bytes outside B */
        "(?:^|[^A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}",
    };
    for (size_t i = 0; i < sizeof not_native / sizeof not_native[0]; i++)
        assert_false(native_parse(not_native[i], 0, &np));
}

/* native_scan against brute force, on buffers of every length up to 300
 * (block edges, tails) and on a long one. */
static void test_scan_reference(void **state)
{
    (void)state;
    uint8_t *buf = malloc(100000);
    assert_non_null(buf);
    for (size_t k = 0; k < sizeof seqs / sizeof seqs[0]; k++) {
        native_pat np;
        assert_true(native_parse(seqs[k], (unsigned)k, &np));
        for (size_t len = 0; len <= 300; len++) {
            noise(buf, len, (uint32_t)(len * 31 + k + 1));
            ends a = {0}, b = {0};
            assert_int_equal(native_scan(&np, 1, buf, len, collect, &a), 0);
            reference(&np, buf, len, &b);
            assert_int_equal(a.n, b.n);
            if (a.n)
                assert_memory_equal(a.v, b.v, a.n * sizeof *a.v); /* increasing, as Hyperscan */
            free(a.v), free(b.v);
        }
        noise(buf, 100000, (uint32_t)(k + 99));
        ends a = {0}, b = {0};
        native_scan(&np, 1, buf, 100000, collect, &a);
        reference(&np, buf, 100000, &b);
        assert_true(b.n > 0 || k == 5);
        assert_int_equal(a.n, b.n);
        if (a.n)
            assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
        free(a.v), free(b.v);
    }
    free(buf);
}

/* The matcher with the flag and without it (the regex engine) report the
 * same (pattern, end) pairs; two patterns with one sequence share a scan. */
static void test_matcher_same_ends(void **state)
{
    (void)state;
    size_t n = sizeof seqs / sizeof seqs[0];
    matcher_pat with[16], without[16];
    for (size_t k = 0; k < n; k++) {
        with[k] = (matcher_pat){seqs[k], MATCHER_NATIVE, (unsigned)k};
        without[k] = (matcher_pat){seqs[k], 0, (unsigned)k};
    }
    with[n] = (matcher_pat){seqs[0], MATCHER_NATIVE, (unsigned)n}; /* shared, as ccn and iban */
    without[n] = (matcher_pat){seqs[0], 0, (unsigned)n};
    with[n + 1] = (matcher_pat){"\\+[1-9][0-9]{3}", 0, (unsigned)n + 1}; /* stays in the engine */
    without[n + 1] = with[n + 1];
    trawl_err err = {0, ""};
    size_t bad;
    matcher *mw, *mo;
    matcher_scratch *sw, *so;
    assert_int_equal(matcher_new(with, n + 2, 0, &mw, &bad, &err), 0);
    assert_int_equal(matcher_new(without, n + 2, 0, &mo, &bad, &err), 0);
    assert_int_equal(matcher_scratch_new(mw, &sw, &err), 0);
    assert_int_equal(matcher_scratch_new(mo, &so, &err), 0);
    size_t len = 200000;
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    noise(buf, len, 4242);
    memcpy(buf + 5000, "+3556912345", 11);
    for (size_t cut = 1; cut <= len; cut = cut < 200 ? cut + 1 : cut * 3) {
        ends a = {0}, b = {0};
        assert_int_equal(matcher_scan(mw, sw, buf, cut, collect, &a, &err), 0);
        assert_int_equal(matcher_scan(mo, so, buf, cut, collect, &b, &err), 0);
        sort_ends(&a), sort_ends(&b);
        assert_int_equal(a.n, b.n);
        if (a.n)
            assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
        free(a.v), free(b.v);
    }
    free(buf);
    matcher_scratch_free(sw), matcher_scratch_free(so);
    matcher_free(mw), matcher_free(mo);
}

/* The bounded word (btc's base58 anchor): the native ends equal Hyperscan's,
 * including a word at the very end and one before a final newline. */
static void test_word_same_ends(void **state)
{
    (void)state;
    matcher_pat with = {BTC, MATCHER_NATIVE, 0}, without = {BTC, 0, 0};
    trawl_err err = {0, ""};
    size_t bad;
    matcher *mw, *mo;
    matcher_scratch *sw, *so;
    assert_int_equal(matcher_new(&with, 1, 0, &mw, &bad, &err), 0);
    assert_int_equal(matcher_new(&without, 1, 0, &mo, &bad, &err), 0);
    assert_int_equal(matcher_scratch_new(mw, &sw, &err), 0);
    assert_int_equal(matcher_scratch_new(mo, &so, &err), 0);
    size_t cap = 60000;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    size_t total = 0;
    for (uint32_t seed = 1; seed < 40; seed++) {
        size_t len = words(buf, seed < 30 ? 40 + seed * 7 : cap, seed);
        for (size_t cut = len > 200 ? len - 200 : 0; cut <= len; cut++) {
            ends a = {0}, b = {0};
            assert_int_equal(matcher_scan(mw, sw, buf, cut, collect, &a, &err), 0);
            assert_int_equal(matcher_scan(mo, so, buf, cut, collect, &b, &err), 0);
            sort_ends(&a), sort_ends(&b);
            assert_int_equal(a.n, b.n);
            if (a.n)
                assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
            total += a.n;
            free(a.v), free(b.v);
        }
    }
    assert_true(total > 1000); /* the data did have matches */
    static const char *const edge[] = {
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n\n", " 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\r\n",
        "x1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 "};
    for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++) {
        ends a = {0}, b = {0};
        matcher_scan(mw, sw, (const uint8_t *)edge[k], strlen(edge[k]), collect, &a, &err);
        matcher_scan(mo, so, (const uint8_t *)edge[k], strlen(edge[k]), collect, &b, &err);
        sort_ends(&a), sort_ends(&b);
        assert_int_equal(a.n, b.n);
        if (a.n)
            assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
        free(a.v), free(b.v);
    }
    free(buf);
    matcher_scratch_free(sw), matcher_scratch_free(so);
    matcher_free(mw), matcher_free(mo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_scan_reference),
        cmocka_unit_test(test_matcher_same_ends),
        cmocka_unit_test(test_word_same_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
