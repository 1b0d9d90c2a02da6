/* test_scan_registry.c: src/scan/types/registry.c: the type table and
 * scan_type_normalize (what `trawl find VALUE` matches against). */
#include "scan_type_harness.h"
#include "util/err.h"

static void test_table(void **state)
{
    (void)state;
    const char *want[] = {"email", "url",  "domain", "ipv4", "ipv6",    "phone",
                          "ccn",   "iban", "btc",    "eth",  "account", NULL};
    size_t i = 0;
    for (; scan_type_registry[i]; i++) {
        assert_non_null(want[i]);
        assert_string_equal(scan_type_registry[i]->name, want[i]);
        assert_true(scan_type_registry[i]->npatterns > 0);
        assert_non_null(scan_type_registry[i]->extract);
    }
    assert_null(want[i]);
}

/* Every anchor of every type compiles, together, as the engine builds its
 * one database (and each type finds nothing in an empty or a blank buffer). */
static void test_patterns_compile(void **state)
{
    (void)state;
    for (size_t i = 0; scan_type_registry[i]; i++) {
        th_hits h;
        th_init(&h);
        th_anchor_hits(scan_type_registry[i], (const uint8_t *)"", 0, NULL, &h);
        th_anchor_hits(scan_type_registry[i], (const uint8_t *)"    ", 4, NULL, &h);
        assert_int_equal(h.n, 0);
        th_free(&h);
    }
#ifdef TRAWL_HYPERSCAN
    const char *exprs[256];
    unsigned flags[256], ids[256], n = 0;
    for (size_t i = 0; scan_type_registry[i]; i++)
        for (size_t p = 0; p < scan_type_registry[i]->npatterns; p++, n++) {
            assert_true(n < 256);
            exprs[n] = scan_type_registry[i]->patterns[p].regex;
            flags[n] = (scan_type_registry[i]->patterns[p].flags & SCAN_PAT_CASELESS)
                           ? HS_FLAG_CASELESS
                           : 0;
            ids[n] = n;
        }
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS)
        fail_msg("all anchors together: %s", cerr->message);
    hs_free_database(db);
#endif
}

static void normalize(const char *value, const scan_type_ctx *ctx, const th_want *want)
{
    th_hits h;
    th_init(&h);
    assert_int_equal(scan_type_normalize(value, strlen(value), ctx, &h.base), 0);
    th_sort(&h);
    int ok = th_equal(&h, want, 0);
    if (!ok) {
        fprintf(stderr, "normalize \"%s\"\n", value);
        th_print("found", &h);
    }
    th_free(&h);
    assert_true(ok);
}

static void test_normalize(void **state)
{
    (void)state;
    static const scan_type_ctx al = {"AL", "355"};
    th_want iban[] = {{"iban", 0, 34, "AL47212110090000000235698741"}, {NULL, 0, 0, NULL}};
    normalize("AL47 2121 1009 0000 0002 3569 8741", NULL, iban);
    th_want phone[] = {{"phone", 0, 12, "+355691234567"}, {NULL, 0, 0, NULL}};
    normalize("069 123 4567", &al, phone);
    th_want phone_intl[] = {{"phone", 0, 16, "+355691234567"}, {NULL, 0, 0, NULL}};
    normalize("+355 69 123 4567", NULL, phone_intl);
    th_want email[] = {{"email", 0, 22, "john.smith@example.com"},
                       {"domain", 11, 22, "example.com"},
                       {NULL, 0, 0, NULL}};
    normalize("John.Smith@Example.com", NULL, email);
    th_want fb[] = {{"url", 0, 35, "https://facebook.com/John.Smith.123"},
                    {"domain", 8, 20, "facebook.com"},
                    {"account", 8, 35, "facebook:john.smith.123"},
                    {NULL, 0, 0, NULL}};
    normalize("https://facebook.com/John.Smith.123", NULL, fb);
    th_want card[] = {{"ccn", 0, 19, "4111111111111111"}, {NULL, 0, 0, NULL}};
    normalize("4111 1111 1111 1111", NULL, card);
    th_want eth[] = {{"eth", 0, 42, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
                     {NULL, 0, 0, NULL}};
    normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", NULL, eth);
    th_want v6[] = {{"ipv6", 0, 11, "2001:db8::1"}, {NULL, 0, 0, NULL}};
    normalize("2001:DB8::1", NULL, v6);
    normalize("al47 2121 1009 0000 0002 3569 8741", NULL, iban); /* typed in lower case */
    th_want nothing[] = {{NULL, 0, 0, NULL}};
    normalize("hello world", NULL, nothing);
    normalize("", NULL, nothing);
    normalize("AL47212110090000000235698742", NULL, nothing);
}

/* Structured noise: digits, separators, letters and the characters the
 * anchors look for, plus planted identifiers, with a fixed seed.  Every hit
 * must lie inside the buffer; whatever the anchors find must also be found
 * by calling the extractor at every position (the engine and `trawl find`
 * agree); and the planted identifiers must all be found. */
static void test_structured_noise(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789012345678901234567890123456789 .-:/@+()"
                                   "abcdefxyzABCDEFXYZ_=%\"'\n\t\x80\xff";
    static const char *const planted[] = {"AL47212110090000000235698741",
                                          "john@example.com",
                                          "4111 1111 1111 1111",
                                          "+355 69 123 4567",
                                          "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
                                          "fe80::1",
                                          "https://x.com/troll_01",
                                          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                                          "10.20.30.40",
                                          "c_user=100012345678901",
                                          "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"};
    size_t len = 20000;
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    uint32_t x = 12345;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (uint8_t)alphabet[x % (sizeof alphabet - 1)];
    }
    size_t np = sizeof planted / sizeof planted[0];
    for (size_t k = 0; k < np; k++) {
        size_t at = 1000 + k * 1700, n = strlen(planted[k]);
        buf[at - 1] = ' ';
        memcpy(buf + at, planted[k], n);
        buf[at + n] = ' ';
    }
    size_t found_planted = 0;
    int found[sizeof planted / sizeof planted[0]] = {0};
    for (size_t t = 0; scan_type_registry[t]; t++) {
        th_hits a, e;
        th_init(&a);
        th_init(&e);
        th_anchor_hits(scan_type_registry[t], buf, len, NULL, &a);
        th_every_hits(scan_type_registry[t], buf, len, NULL, &e);
        for (size_t i = 0; i < e.n; i++)
            assert_true(e.v[i].end <= len);
        for (size_t i = 0; i < a.n; i++) {
            int in_e = 0;
            for (size_t j = 0; j < e.n && !in_e; j++)
                in_e = th_cmp(&a.v[i], &e.v[j]) == 0;
            if (!in_e)
                fail_msg("%s: anchor hit %s at %zu not found at every position",
                         scan_type_registry[t]->name, a.v[i].feature, a.v[i].start);
            for (size_t k = 0; k < np; k++)
                if (a.v[i].start == 1000 + k * 1700 &&
                    a.v[i].end == 1000 + k * 1700 + strlen(planted[k])) {
                    found_planted++;
                    found[k] = 1;
                }
        }
        th_free(&a);
        th_free(&e);
    }
    /* each planted identifier once (the URL also yields a domain and an
     * account, which start elsewhere or end elsewhere) */
    for (size_t k = 0; k < np; k++)
        if (!found[k])
            fprintf(stderr, "planted %s not found: \"%.*s\"\n", planted[k],
                    (int)strlen(planted[k]) + 20, (const char *)buf + 1000 + k * 1700 - 10);
    assert_int_equal(found_planted, np);
    free(buf);
}

/* An add that fails (an allocation in the engine or in `trawl find`): every
 * type returns its code at once, after one call, and so does the
 * normalizer, instead of carrying on as if nothing had been found. */
typedef struct fail_out {
    scan_out base;
    int calls;
} fail_out;

static int fail_add(scan_out *self, const char *type, size_t start, size_t end, const char *feature,
                    size_t feature_len)
{
    (void)type, (void)start, (void)end, (void)feature, (void)feature_len;
    ((fail_out *)self)->calls++;
    return TRAWL_ENOMEM;
}

static void test_add_error(void **state)
{
    (void)state;
    static const struct {
        const char *type, *value;
    } each[] = {{"email", "x john@example.com y"},
                {"url", "see https://example.org/a then"},
                {"domain", "host mail.example.org here"},
                {"ipv4", "from 10.20.30.40 on"},
                {"ipv6", "addr 2001:db8::1 up"},
                {"phone", "call +355 69 123 4567 now"},
                {"ccn", "card 4111 1111 1111 1111 ok"},
                {"iban", "AL47212110090000000235698741"},
                {"btc", "to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ."},
                {"eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"},
                {"account", "c_user=100012345678901;"}};
    for (size_t k = 0; k < sizeof each / sizeof each[0]; k++) {
        const scan_type *t = NULL;
        for (size_t i = 0; scan_type_registry[i]; i++)
            if (strcmp(scan_type_registry[i]->name, each[k].type) == 0)
                t = scan_type_registry[i];
        assert_non_null(t);
        const uint8_t *buf = (const uint8_t *)each[k].value;
        size_t len = strlen(each[k].value);
        int failed = 0;
        for (size_t at = 1; at <= len && !failed; at++)
            for (unsigned p = 0; p < t->npatterns && !failed; p++) {
                fail_out o = {{fail_add}, 0};
                int rc = t->extract(buf, len, at, p, NULL, &o.base);
                assert_true(rc == 0 || rc == TRAWL_ENOMEM);
                assert_int_equal(o.calls, rc ? 1 : 0); /* stops at the first failure */
                failed = rc != 0;
            }
        if (!failed)
            fail_msg("%s: no error from \"%s\"", each[k].type, each[k].value);
        fail_out o = {{fail_add}, 0};
        assert_int_equal(scan_type_normalize(each[k].value, len, NULL, &o.base), TRAWL_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_add_error),
        cmocka_unit_test(test_patterns_compile),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_structured_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
