/* test_scan_registry.c: src/scan/types/registry.c: the type table and
 * scan_type_normalize (what `trawl find VALUE` matches against). */
#include "scan_type_harness.h"

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
    scan_type_normalize(value, strlen(value), ctx, &h.base);
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
    th_want nothing[] = {{NULL, 0, 0, NULL}};
    normalize("hello world", NULL, nothing);
    normalize("", NULL, nothing);
    normalize("AL47212110090000000235698742", NULL, nothing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_patterns_compile),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
