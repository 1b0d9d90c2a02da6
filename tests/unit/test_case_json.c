/* test_case_json.c: the reader of the JSON trawl writes (src/case/json_read.c):
 * case_json_valid on what esc_json writes and on broken lines, case_json_member
 * on an audit line as audit.c writes it (nested objects and arrays, a key
 * inside a string value), case_json_string round-tripping esc_json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "case/json_read.h"
#include "util/escape.h"
#include "util/strbuf.h"

static int valid(const char *s)
{
    return case_json_valid(s, strlen(s));
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(valid("{}"));
    assert_true(valid(" {\"a\":[1,-2.5e+3,true,false,null,{\"b\":\"\\u00e9\\n\"}]} "));
    assert_true(valid("[]"));
    assert_true(valid("\"x\""));
    assert_true(valid("0"));
    assert_false(valid(""));
    assert_false(valid("{"));
    assert_false(valid("{\"a\":1,}"));
    assert_false(valid("{\"a\" 1}"));
    assert_false(valid("{\"a\":1}x"));
    assert_false(valid("{\"a\":\"tab\there\"}")); /* a raw control byte */
    assert_false(valid("{\"a\":\"\\q\"}"));
    assert_false(valid("{\"a\":\"\\u12\"}"));
    assert_false(valid("{\"a\":01}"));
    assert_false(valid("{\"a\":tru}"));
    assert_false(valid("{\"a\":\"cut"));
    /* a line cut inside a \u escape must not read past its end */
    assert_false(case_json_valid("\"\\u00e9\"", 4));
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_false(case_json_valid(deep, sizeof deep));
    assert_true(case_json_valid(deep + 40, 120));
}

static void member_is(const char *line, const char *key, const char *want)
{
    const char *v = NULL;
    size_t n = 0;
    if (!want) {
        assert_int_equal(case_json_member(line, strlen(line), key, &v, &n), -1);
        return;
    }
    assert_int_equal(case_json_member(line, strlen(line), key, &v, &n), 0);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(v, want, n);
}

static void test_member(void **state)
{
    (void)state;
    const char *line =
        "{\"time\":\"2026-11-29T15:48:46.576Z\",\"detail\":\"\\\"action\\\":\\\"x\\\"\","
        "\"libraries\":{\"sqlite\":\"3.40.1\",\"action\":\"no\"},"
        "\"argv\":[\"trawl\",\"scan\",{\"action\":1}],\"action\":\"scan\",\"n\":-12,"
        "\"ok\":true,\"none\":null,\"action\":\"second\"}";
    assert_true(valid(line));
    member_is(line, "time", "\"2026-11-29T15:48:46.576Z\"");
    /* the top-level member, not one in a string, an object or an array; the
     * first of two */
    member_is(line, "action", "\"scan\"");
    member_is(line, "libraries", "{\"sqlite\":\"3.40.1\",\"action\":\"no\"}");
    member_is(line, "argv", "[\"trawl\",\"scan\",{\"action\":1}]");
    member_is(line, "n", "-12");
    member_is(line, "ok", "true");
    member_is(line, "none", "null");
    member_is(line, "sqlite", NULL);
    member_is(line, "missing", NULL);
    member_is("[\"action\",1]", "action", NULL);
}

static void test_string_round_trip(void **state)
{
    (void)state;
    /* every byte value, invalid UTF-8 included, as esc_json writes it */
    char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (char)(255 - i);
    strbuf js = STRBUF_INIT, back = STRBUF_INIT;
    sb_addc(&js, '"');
    esc_json(&js, bytes, 255); /* without the NUL */
    sb_addc(&js, '"');
    assert_true(case_json_valid(js.buf, js.len));
    const char *p = js.buf + 1;
    assert_int_equal(case_json_string(&p, &back), 0);
    assert_ptr_equal(p, js.buf + js.len);
    assert_int_equal(back.len, 255);
    assert_memory_equal(back.buf, bytes, 255);
    sb_free(&js), sb_free(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_member),
        cmocka_unit_test(test_string_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
