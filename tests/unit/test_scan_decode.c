/* test_scan_decode.c: the decoders (src/scan/decode.c) on the shared
 * corpus: syslog in gzip, zlib, bzip2, xz and base64 must decode to exactly
 * syslog; the damaged corrupt1.gz must give its clean prefix and say it is
 * damaged; limits cut and say so.  Skips (77) without the corpus unless CI
 * is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/decode.h"

static const char *corpus;

static uint8_t *load(const char *name, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/formats/%s", corpus, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)sz + 1);
    assert_int_equal(fread(d, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return d;
}

static void check(const char *name, int kind)
{
    size_t sn, n;
    uint8_t *want = load("syslog", &sn);
    uint8_t *in = load(name, &n);
    dec_src src = {.mem = in, .memlen = n};
    dec_buf out = {0};
    dec_state *st;
    assert_int_equal(dec_state_new(&st), 0);
    int status;
    size_t used = 0;
    switch (kind) {
    case 'g':
        status = dec_inflate(st, &src, 31, &out, 1u << 20);
        break;
    case 'z':
        status = dec_inflate(st, &src, 15, &out, 1u << 20);
        break;
    case 'b':
        status = dec_bzip2(&src, &out, 1u << 20);
        break;
    case 'x':
        status = dec_xz(&src, &out, 1u << 20);
        break;
    default:
        status = dec_base64(&src, &out, 1u << 20, &used);
        break;
    }
    assert_int_equal(status, DEC_END);
    assert_int_equal(out.len, sn);
    assert_memory_equal(out.p, want, sn);
    /* cut at a limit: a prefix, flagged */
    dec_src again = {.mem = in, .memlen = n};
    dec_buf_free(&out);
    switch (kind) {
    case 'g':
        status = dec_inflate(st, &again, 31, &out, 100);
        break;
    case 'z':
        status = dec_inflate(st, &again, 15, &out, 100);
        break;
    case 'b':
        status = dec_bzip2(&again, &out, 100);
        break;
    case 'x':
        status = dec_xz(&again, &out, 100);
        break;
    default:
        status = dec_base64(&again, &out, 100, &used);
        break;
    }
    assert_int_equal(status, DEC_CUT);
    assert_int_equal(out.len, 100);
    assert_memory_equal(out.p, want, 100);
    dec_buf_free(&out);
    dec_state_free(st);
    free(in);
    free(want);
}

static void test_syslog_gzip(void **s)
{
    (void)s;
    check("syslog.gz", 'g');
}
static void test_syslog_zlib(void **s)
{
    (void)s;
    check("syslog.zlib", 'z');
}
static void test_syslog_bzip2(void **s)
{
    (void)s;
    check("syslog.bz2", 'b');
}
static void test_syslog_xz(void **s)
{
    (void)s;
    check("syslog.xz", 'x');
}
static void test_syslog_base64(void **s)
{
    (void)s;
    check("syslog.base64", '6');
}

static void test_corrupt_gzip(void **s)
{
    (void)s;
    size_t n;
    uint8_t *in = load("corrupt1.gz", &n);
    dec_src src = {.mem = in, .memlen = n};
    dec_buf out = {0};
    dec_state *st;
    assert_int_equal(dec_state_new(&st), 0);
    /* gzip -dc gives 2994187 bytes, then "unexpected end of file" */
    assert_int_equal(dec_inflate(st, &src, 31, &out, 64u << 20), DEC_DAMAGED);
    assert_int_equal(out.len, 2994187);
    dec_buf_free(&out);
    dec_state_free(st);
    free(in);
}

static void test_qp_pct(void **s)
{
    (void)s;
    const char *qp = "a=3Db soft=\r\nbreak=\nend\nnext line";
    dec_buf out = {0};
    dec_marks m = {0};
    size_t used;
    int like = 0;
    assert_int_equal(dec_qp((const uint8_t *)qp, strlen(qp), &out, 1000, &m, &used, &like),
                     DEC_END);
    assert_int_equal(like, 1);
    assert_int_equal(out.len, 16);
    assert_memory_equal(out.p, "a=b softbreakend", 16);
    assert_int_equal(used, 23);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.v[0], 1);
    assert_int_equal(m.v[1], 8);
    assert_int_equal(m.v[2], 13);
    /* =XX that would give a letter or digit is not QP ("?id=54443") */
    out.len = out.cap = 0;
    m.n = 0;
    const char *url = "show_bug.cgi?id=54443 x=3D";
    assert_int_equal(dec_qp((const uint8_t *)url, strlen(url), &out, 1000, &m, &used, &like),
                     DEC_END);
    assert_int_equal(like, 1); /* =3D */
    assert_int_equal(out.len, 24);
    assert_memory_equal(out.p, "show_bug.cgi?id=54443 x=", 24);
    assert_int_equal(m.n, 1);
    out.len = out.cap = 0;
    m.n = 0;
    const char *query = "show_bug.cgi?id=2604&x=%20";
    assert_int_equal(dec_qp((const uint8_t *)query, strlen(query), &out, 1000, &m, &used, &like),
                     DEC_END);
    assert_int_equal(like, 0);
    assert_int_equal(m.n, 1); /* =26 is '&', but nothing here says QP */
    out.len = out.cap = 0;
    m.n = 0;
    const char *pct = "a%40b%2Fc%zz%4";
    assert_int_equal(dec_pct((const uint8_t *)pct, strlen(pct), &out, 1000, &m), DEC_END);
    assert_int_equal(out.len, 10);
    assert_memory_equal(out.p, "a@b/c%zz%4", 10);
    assert_int_equal(m.n, 2);
    dec_buf_free(&out);
    free(m.v);
}

int main(void)
{
    corpus = getenv("TRAWL_CORPUS");
    FILE *probe = NULL;
    char path[1024];
    if (corpus) {
        snprintf(path, sizeof path, "%s/formats/syslog", corpus);
        probe = fopen(path, "rb");
    }
    if (!probe) {
        fprintf(stderr, "corpus not found (TRAWL_CORPUS=%s)\n", corpus ? corpus : "");
        return getenv("CI") ? 1 : 77;
    }
    fclose(probe);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syslog_gzip),   cmocka_unit_test(test_syslog_zlib),
        cmocka_unit_test(test_syslog_bzip2),  cmocka_unit_test(test_syslog_xz),
        cmocka_unit_test(test_syslog_base64), cmocka_unit_test(test_corrupt_gzip),
        cmocka_unit_test(test_qp_pct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
