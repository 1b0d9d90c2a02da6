/* test_scan_pdftext.c: the text of PDF content streams (dec_pdf_text in
 * src/scan/decode.c, PDFTEXT in worker.c): an address split into kerned
 * pieces of a TJ array, or over consecutive Tj operators on one line, is
 * found whole inside a FlateDecode stream; text on separate lines is not
 * joined; a stream that shows no text gives nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "scan/decode.h"
#include "scan/scan.h"

typedef struct seen {
    char lines[64][160];
    size_t n;
} seen;

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)err;
    seen *s = ctx;
    if (s->n < 64)
        snprintf(s->lines[s->n++], sizeof s->lines[0], "%s %.*s %s", h->type, (int)h->feature_len,
                 h->feature, h->path);
    return 0;
}

static int has(const seen *s, const char *prefix)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strncmp(s->lines[i], prefix, strlen(prefix)))
            return 1;
    return 0;
}

static void test_text_operators(void **state)
{
    (void)state;
    const char *content = "BT /F1 12 Tf 72 712 Td [(kern)-15(ed.addr)20(ess@pdf-te)-10(st.org)] TJ "
                          "0 -14 Td (split)Tj (.tj@pdf-test.org)Tj "
                          "0 -14 Td (first.line@pdf-test)Tj 0 -14 Td (.org)Tj "
                          "(oct\\141l@pdf-test.org) ' ET";
    dec_buf out = {0};
    dec_marks marks = {0};
    assert_int_equal(dec_pdf_text((const uint8_t *)content, strlen(content), &out, 1 << 20, &marks),
                     DEC_END);
    const char *want = "kerned.address@pdf-test.org\nsplit.tj@pdf-test.org\nfirst.line@pdf-test\n"
                       ".org\noctal@pdf-test.org\n";
    assert_int_equal(out.len, strlen(want));
    assert_memory_equal(out.p, want, out.len);
    dec_buf_free(&out);
    free(marks.v);

    /* no text shown: nothing */
    const char *graphics = "q 1 0 0 1 72 72 cm 0 0 m 100 100 l S Q";
    dec_buf g = {0};
    dec_marks gm = {0};
    assert_int_equal(dec_pdf_text((const uint8_t *)graphics, strlen(graphics), &g, 1 << 20, &gm),
                     DEC_END);
    assert_int_equal(g.len, 0);
    dec_buf_free(&g);
    free(gm.v);
}

static void test_in_flate_stream(void **state)
{
    (void)state;
    const char *content = "BT 72 712 Td [(kern)-15(ed.addr)20(ess@pdf-te)-10(st.org)] TJ ET";
    uint8_t z[512];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, (const Bytef *)content, strlen(content)), Z_OK);
    uint8_t pdf[1024];
    int h = snprintf((char *)pdf, sizeof pdf,
                     "%%PDF-1.4\n1 0 obj << /Length %lu /Filter /FlateDecode >>\nstream\n",
                     (unsigned long)zl);
    memcpy(pdf + h, z, zl);
    size_t n = (size_t)h + zl;
    memcpy(pdf + n, "\nendstream\nendobj\n", 18);
    n += 18;
    scan_options opt;
    scan_options_default(&opt);
    opt.threads = 1;
    scan_engine *e = NULL;
    trawl_err err = {0};
    assert_int_equal(scan_engine_new(&opt, &e, &err), 0);
    seen s = {0};
    assert_int_equal(scan_buffer(e, pdf, n, sink, &s, &err), 0);
    char want[128];
    snprintf(want, sizeof want, "email kerned.address@pdf-test.org %d-ZLIB-0-PDFTEXT-0", h);
    assert_true(has(&s, want));
    scan_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_operators),
        cmocka_unit_test(test_in_flate_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
