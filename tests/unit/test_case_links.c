/* test_case_links.c: reading a link's explanation back (src/case/q_links.c
 * case_link_contributors), as the link stage writes it with esc_json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "case/q_links.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/strbuf.h"

typedef struct seen {
    int n;
    strbuf text; /* "type|value|weight|devices|contribution;" per contributor */
    int stop_at; /* return 1 from the n-th call (0: never) */
} seen;

static int collect(void *ctx, const case_link_contrib *x)
{
    seen *s = ctx;
    s->n++;
    sb_add(&s->text, x->type.s, x->type.len);
    sb_addc(&s->text, '|');
    sb_add(&s->text, x->value.s, x->value.len);
    sb_addf(&s->text, "|%.6f|%lld|%.6f;", x->weight.d, (long long)x->devices.i, x->contribution.d);
    return s->n == s->stop_at;
}

/* One contributor as output.c writes it. */
static void contrib(strbuf *ex, const char *type, const char *value, size_t vlen, double w,
                    unsigned dc, double c)
{
    sb_adds(ex, "{\"type\":\"");
    esc_json(ex, type, strlen(type));
    sb_adds(ex, "\",\"value\":\"");
    esc_json(ex, value, vlen);
    sb_addf(ex, "\",\"weight\":%.6f,\"devices\":%u,\"contribution\":%.6f}", w, dc, c);
}

static void test_round_trip(void **state)
{
    (void)state;
    /* A value from evidence: quote, backslash, newline, a control byte,
     * invalid UTF-8, valid UTF-8. */
    static const char hostile[] = "a\"b\\c\nd\x01\xff\xc3\xa9";
    strbuf ex = STRBUF_INIT;
    sb_addc(&ex, '[');
    contrib(&ex, "email", "alice@example.org", 17, 0.8, 2, 0.4);
    sb_addc(&ex, ',');
    contrib(&ex, "url", hostile, sizeof hostile - 1, 0.25, 3, 0.083333);
    sb_addc(&ex, ']');
    seen s = {0, STRBUF_INIT, 0};
    trawl_err err = {0};
    assert_int_equal(case_link_contributors(sb_cstr(&ex), collect, &s, &err), 0);
    assert_int_equal(s.n, 2);
    static const char want[] = "email|alice@example.org|0.800000|2|0.400000;"
                               "url|a\"b\\c\nd\x01\xff\xc3\xa9|0.250000|3|0.083333;";
    assert_int_equal(s.text.len, sizeof want - 1);
    assert_memory_equal(s.text.buf, want, sizeof want - 1);
    /* fn's non-zero return stops the walk and comes back. */
    sb_reset(&s.text);
    s.n = 0, s.stop_at = 1;
    assert_int_equal(case_link_contributors(sb_cstr(&ex), collect, &s, &err), 1);
    assert_int_equal(s.n, 1);
    sb_free(&s.text);
    sb_free(&ex);
}

static void test_empty_and_malformed(void **state)
{
    (void)state;
    seen s = {0, STRBUF_INIT, 0};
    trawl_err err = {0};
    assert_int_equal(case_link_contributors("[]", collect, &s, &err), 0);
    assert_int_equal(case_link_contributors(" [ ] ", collect, &s, &err), 0);
    assert_int_equal(s.n, 0);
    static const char *const bad[] = {
        "",
        "{}",
        "[",
        "[{\"type\":\"x\"}",
        "[{\"type\":\"x\",}]",
        "[{\"type\":x}]",
        "[{\"type\":\"x\\q\"}]",
        "[{\"type\":\"x\"}] tail",
        "[{\"type\":\"x\"},]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (trawl_err){0};
        assert_int_equal(case_link_contributors(bad[i], collect, &s, &err), TRAWL_ECASE);
        assert_non_null(strstr(err.msg, "explanation"));
    }
    /* Unknown members are passed over; missing ones are NULL. */
    s.n = 0;
    sb_reset(&s.text);
    assert_int_equal(
        case_link_contributors("[{\"new\":\"z\",\"type\":\"ip\",\"n\":1.5}]", collect, &s, &err),
        0);
    assert_int_equal(s.n, 1);
    assert_string_equal(sb_cstr(&s.text), "ip||0.000000|0|0.000000;");
    sb_free(&s.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_and_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
