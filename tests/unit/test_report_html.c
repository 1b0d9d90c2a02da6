/* test_report_html.c: the report's pieces that do not need a case: JSON
 * embedded in the page cannot close its <script> element (< > & U+2028
 * U+2029 escaped), HTML text escaping of hostile values and NUL runs in a
 * context, and the graph layout (deterministic, inside the unit square,
 * linked nodes closer than unlinked ones). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/html_int.h"

static void test_json_cannot_close_script(void **state)
{
    (void)state;
    rep r = {0};
    const char v[] = "</script><script>alert(1)</script>&\xe2\x80\xa8\xe2\x80\xa9\"\\\n";
    h_json(&r, v, sizeof v - 1);
    assert_string_equal(sb_cstr(&r.sb),
                        "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"
                        "\\u0026\\u2028\\u2029\\\"\\\\\\n\"");
    assert_null(strchr(sb_cstr(&r.sb), '<'));
    sb_free(&r.sb);
}

static void test_text_escaped(void **state)
{
    (void)state;
    rep r = {0};
    h_str(&r, "\"><img src=x onerror=alert(1)>");
    assert_string_equal(sb_cstr(&r.sb), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    sb_free(&r.sb);
}

static void test_context(void **state)
{
    (void)state;
    rep r = {0};
    const char ctx[] = "\0\0\0to: Bob@Mail.al <x>";
    case_cell c = {.s = ctx, .len = sizeof ctx - 1};
    h_ctx(&r, &c, "bob@mail.al");
    assert_string_equal(sb_cstr(&r.sb), "<span class=\"nul\" title=\"3 NUL bytes\">\\x00&times;3"
                                        "</span>to: <mark>Bob@Mail.al</mark> &lt;x&gt;");
    sb_free(&r.sb);
}

/* Random bytes (all 256 values, broken UTF-8, U+2028 sequences) never
 * leave a byte that could end an attribute, open a tag or close the JSON
 * block. */
static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t seed = 42;
    unsigned char buf[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 64);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            unsigned v = (unsigned)(seed >> 56);
            /* favour the interesting bytes */
            static const unsigned char hot[] = {'<', '>', '&', '"', '\'', '/', 0xe2, 0x80, 0xa8, 0};
            buf[i] = (v & 1) ? hot[(v >> 1) % sizeof hot] : (unsigned char)v;
        }
        rep r = {0};
        h_json(&r, (const char *)buf, n);
        const char *j = sb_cstr(&r.sb);
        assert_null(strpbrk(j, "<>&"));
        assert_null(strstr(j, "\xe2\x80\xa8"));
        assert_null(strstr(j, "\xe2\x80\xa9"));
        sb_reset(&r.sb);
        h_txt(&r, (const char *)buf, n);
        assert_null(strpbrk(sb_cstr(&r.sb), "<>\"'"));
        sb_reset(&r.sb);
        case_cell c = {.s = (const char *)buf, .len = n};
        h_ctx(&r, &c, "<");
        /* only the markup h_ctx itself writes may hold '<' */
        const char *t = sb_cstr(&r.sb);
        for (const char *p = strchr(t, '<'); p; p = strchr(p + 1, '<'))
            assert_true(!strncmp(p, "<mark>", 6) || !strncmp(p, "</mark>", 7) ||
                        !strncmp(p, "<span class=\"nul\"", 17) || !strncmp(p, "</span>", 7));
        sb_free(&r.sb);
    }
}

static void test_layout(void **state)
{
    (void)state;
    /* Two triangles joined by a weak link, and two loose nodes. */
    enum { N = 8 };
    const uint32_t ea[] = {0, 1, 2, 3, 4, 5, 2};
    const uint32_t eb[] = {1, 2, 0, 4, 5, 3, 3};
    const double w[] = {10, 10, 10, 10, 10, 10, 0.5};
    double x[N], y[N], x2[N], y2[N];
    report_layout(N, ea, eb, w, 7, x, y);
    report_layout(N, ea, eb, w, 7, x2, y2);
    assert_memory_equal(x, x2, sizeof x);
    assert_memory_equal(y, y2, sizeof y);
    for (int i = 0; i < N; i++) {
        assert_true(x[i] >= 0 && x[i] <= 1 && y[i] >= 0 && y[i] <= 1);
        for (int j = i + 1; j < N; j++)
            assert_true(hypot(x[i] - x[j], y[i] - y[j]) > 0.01);
    }
    double in = hypot(x[0] - x[1], y[0] - y[1]), out = hypot(x[0] - x[4], y[0] - y[4]);
    assert_true(in < out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_cannot_close_script),
        cmocka_unit_test(test_text_escaped),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
