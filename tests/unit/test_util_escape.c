/* test_util_escape.c: the feature-file and terminal escapes of
 * src/util/escape.c.  esc_feature copies runs of plain ASCII at once; the
 * output must be what escaping one byte at a time gives (the rule of
 * escape.h, written out here as a reference), on exact cases and on a
 * million bytes of generated input mixing ASCII runs, backslashes, tabs,
 * controls, DEL, valid and broken UTF-8 and C1 controls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/escape.h"
#include "util/strbuf.h"

/* The rule of escape.h, one byte at a time. */
static void reference(strbuf *sb, const unsigned char *s, size_t len, int term)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c >= 0x80 ? utf8_seq_len(s + i, len - i) : 0;
        char hex[8];
        if (c == '\\' && !term) {
            sb_adds(sb, "\\x5C"), i++;
        } else if ((c >= 0x20 && c < 0x7f) || (c == '\t' && term)) {
            sb_addc(sb, (char)c), i++;
        } else if (n && !(n == 2 && c == 0xc2 && s[i + 1] < 0xa0)) {
            sb_add(sb, s + i, n), i += n;
        } else {
            snprintf(hex, sizeof hex, "\\x%02X", c);
            sb_adds(sb, hex), i++;
        }
    }
}

static void same(const void *s, size_t len)
{
    for (int term = 0; term < 2; term++) {
        strbuf got = STRBUF_INIT, want = STRBUF_INIT;
        sb_adds(&got, "pre|"), sb_adds(&want, "pre|"); /* appends, never resets */
        (term ? esc_term : esc_feature)(&got, s, len);
        reference(&want, s, len, term);
        assert_false(got.oom);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.buf, want.buf, want.len);
        sb_free(&got), sb_free(&want);
    }
}

static void check(const char *s, const char *feature, const char *term)
{
    strbuf sb = STRBUF_INIT;
    esc_feature(&sb, s, strlen(s));
    assert_string_equal(sb_cstr(&sb), feature);
    sb_reset(&sb);
    esc_term(&sb, s, strlen(s));
    assert_string_equal(sb_cstr(&sb), term);
    sb_free(&sb);
}

static void test_exact(void **state)
{
    (void)state;
    check("", "", "");
    check("user@example.org", "user@example.org", "user@example.org");
    check("a\\b", "a\\x5Cb", "a\\b");
    check("\\\\", "\\x5C\\x5C", "\\\\");
    check("tab\there", "tab\\x09here", "tab\there");
    check("nl\n\rend\x7f", "nl\\x0A\\x0Dend\\x7F", "nl\\x0A\\x0Dend\\x7F");
    check("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
    check("c1 \xc2\x85 nbsp \xc2\xa0", "c1 \\xC2\\x85 nbsp \xc2\xa0",
          "c1 \\xC2\\x85 nbsp \xc2\xa0");
    check("bad \xff\xc3 end", "bad \\xFF\\xC3 end", "bad \\xFF\\xC3 end");
    check("<a>(1).txt", "<a>(1).txt", "<a>(1).txt");
}

static void test_generated(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "plain ascii text ",
        "\\",
        "\t",
        "\n",
        "\x01",
        "\x7f",
        "\xc3\xa9",
        "\xe2\x82\xac",
        "\xf0\x9f\x98\x80",
        "\xc2\x85",
        "\xc2\xa0",
        "\xff",
        "\xc3",
        "\xe2\x82",
        "x",
        " ~",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    uint64_t r = 0x9e3779b97f4a7c15ull;
    unsigned char buf[4096];
    size_t total = 0;
    while (total < 1000000) {
        size_t len = 0;
        for (;;) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            const char *p = pieces[r % npieces];
            size_t n = strlen(p);
            if (len + n > (r >> 32) % sizeof buf)
                break;
            memcpy(buf + len, p, n);
            len += n;
        }
        same(buf, len); /* a piece may be cut at either end: broken UTF-8 */
        if (len > 2)
            same(buf + 1, len - 2);
        total += len + 1;
    }
    /* every single byte and every pair */
    for (unsigned a = 0; a < 256; a++) {
        unsigned char one = (unsigned char)a;
        same(&one, 1);
        for (unsigned b = 0; b < 256; b += 5) {
            unsigned char two[2] = {(unsigned char)a, (unsigned char)b};
            same(two, 2);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
