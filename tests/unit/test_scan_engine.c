/* test_scan_engine.c: the scan engine (src/scan/run.c, worker.c, engine.c)
 * driven with a test-only identifier type, so that the page scanner,
 * UTF-16 narrowing, recursion, stop lists and keywords are tested apart from
 * the real types.  Every input is scanned several ways (whole buffer, small
 * chunks, odd chunks, -j 1/2/8, tiny pages) and must give the same hits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "scan/scan.h"
#include "scan/scan_internal.h"
#include "util/limits.h"
#include "util/strbuf.h"

/* --- A test type: "email", lower-case, anchored on '@' and on ".com" ---- */

static int local_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

static int extract_at(const uint8_t *buf, size_t len, size_t atpos, scan_out *out)
{
    size_t s = atpos, e = atpos + 1;
    size_t lo = atpos > 64 ? atpos - 64 : 0;
    while (s > lo && local_char(buf[s - 1]) && buf[s - 1] != '-')
        s--;
    while (e < len && e - atpos < 64 && local_char(buf[e]))
        e++;
    while (e > atpos + 1 && buf[e - 1] == '.')
        e--;
    if (s == atpos || e == atpos + 1 || !memchr(buf + atpos + 1, '.', e - atpos - 1))
        return 0;
    char f[160];
    for (size_t i = s; i < e; i++)
        f[i - s] = (char)(buf[i] >= 'A' && buf[i] <= 'Z' ? buf[i] + 32 : buf[i]);
    return out->add(out, "email", s, e, f, e - s);
}

static int test_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                        const scan_type_ctx *ctx, scan_out *out)
{
    (void)ctx;
    if (pat == 0)
        return extract_at(buf, len, at - 1, out);
    /* ".com" ends at at: look left for the '@' */
    size_t lo = at > 64 ? at - 64 : 0;
    for (size_t i = at - 4; i > lo; i--) {
        if (buf[i - 1] == '@')
            return extract_at(buf, len, i - 1, out);
        if (!local_char(buf[i - 1]))
            return 0;
    }
    return 0;
}

static const scan_pattern test_patterns[] = {{"@", 0}, {"\\.com", SCAN_PAT_CASELESS}};
static const scan_type test_type = {"email", test_patterns, 2, test_extract};
static const scan_type *const test_types[] = {&test_type, NULL};

/* --- Helpers -------------------------------------------------------------- */

static int sink_lines(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)err;
    strbuf *sb = ctx;
    sb_addf(sb, "%llu\t%s\t%s\t%.*s\t%u\n", (unsigned long long)h->offset, h->path, h->type,
            (int)h->feature_len, h->feature, h->flags);
    return 0;
}

static int sink_lines_null(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)ctx, (void)h, (void)err;
    return 0;
}

static scan_engine *engine(int threads, int depth, const char *kw, const char *stop, int nodef)
{
    scan_options o;
    scan_options_default(&o);
    o.threads = threads;
    o.max_depth = depth;
    o.keywords = kw;
    o.stop_list = stop;
    o.no_default_stop_list = nodef;
    scan_engine *e = NULL;
    trawl_err err;
    int rc = scan_engine_new_types(&o, test_types, &e, &err);
    if (rc)
        fprintf(stderr, "engine: %s\n", err.msg);
    assert_int_equal(rc, 0);
    return e;
}

static char *scan_whole(scan_engine *e, const uint8_t *d, size_t n)
{
    strbuf sb = STRBUF_INIT;
    trawl_err err;
    assert_int_equal(scan_buffer(e, d, n, sink_lines, &sb, &err), 0);
    char *s = sb_detach(&sb);
    return s ? s : strdup("");
}

typedef struct membuf {
    const uint8_t *d;
    size_t n;
} membuf;

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
    membuf *m = ctx;
    *got = 0;
    if (off >= m->n)
        return 0;
    size_t k = m->n - off < len ? (size_t)(m->n - off) : len;
    memcpy(buf, m->d + off, k);
    *got = k;
    return 0;
}

static char *scan_chunked(scan_engine *e, const uint8_t *d, size_t n, size_t page, size_t chunk)
{
    strbuf sb = STRBUF_INIT;
    trawl_err err;
    membuf m = {d, n};
    scan_run *run;
    assert_int_equal(scan_run_start_ex(e, mem_read, &m, 0, page, SCAN_LOOKAROUND * 2, sink_lines,
                                       &sb, &run, &err),
                     0);
    for (size_t off = 0; off < n;) {
        size_t k = n - off < chunk ? n - off : chunk;
        assert_int_equal(scan_run_feed(run, off, d + off, k, &err), 0);
        off += k;
    }
    assert_int_equal(scan_run_finish(run, &err), 0);
    char *s = sb_detach(&sb);
    return s ? s : strdup("");
}

static size_t count_lines(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* --- Tests ------------------------------------------------------------------ */

static void test_basic_hit(void **state)
{
    (void)state;
    scan_engine *e = engine(1, 0, NULL, NULL, 0);
    const char *t = "contact: Alice@Test.COM, or nobody@example.com today";
    char *out = scan_whole(e, (const uint8_t *)t, strlen(t));
    /* one hit (two anchors, de-duplicated); example.com is on the default list */
    assert_string_equal(out, "9\t9\temail\talice@test.com\t0\n");
    free(out);
    scan_engine_free(e);
    e = engine(1, 0, NULL, NULL, 1);
    out = scan_whole(e, (const uint8_t *)t, strlen(t));
    assert_string_equal(out, "9\t9\temail\talice@test.com\t0\n"
                             "28\t28\temail\tnobody@example.com\t0\n");
    free(out);
    scan_engine_free(e);
}

static uint8_t *filler(size_t n, unsigned seed)
{
    uint8_t *d = malloc(n);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        d[i] = (uint8_t)("abcdefgh ijklmnop\n,;"[(seed >> 16) % 20]);
    }
    return d;
}

static void plant(uint8_t *d, size_t at, const char *s)
{
    memcpy(d + at, s, strlen(s));
}

static void test_page_boundary_and_chunking(void **state)
{
    (void)state;
    size_t n = 200000, page = 8192;
    uint8_t *d = filler(n, 1);
    plant(d, page - 6, " straddle@boundary.com "); /* crosses the first boundary */
    plant(d, 3 * page - 1, " x@y.com ");           /* starts on the last byte of page 2 */
    plant(d, 5 * page - 1, " start@page.com ");    /* at a page's first byte */
    plant(d, n - 20, " last@end.com");
    for (size_t i = 0; i < 40; i++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, " u%zu@h%zu.com ", i, i);
        plant(d, 1000 + i * 4733, tmp);
    }
    scan_engine *e1 = engine(1, 5, NULL, NULL, 0);
    char *whole = scan_whole(e1, d, n);
    assert_int_equal(count_lines(whole, "straddle@boundary.com"), 1);
    assert_non_null(strstr(whole, "8187\t8187\temail\tstraddle@boundary.com"));
    assert_non_null(strstr(whole, "24576\t24576\temail\tx@y.com"));
    assert_non_null(strstr(whole, "40960\t40960\temail\tstart@page.com"));
    assert_int_equal(count_lines(whole, "\temail\t"), 44);
    size_t chunks[] = {1, 7, 4095, 8192, 65537, 1 << 20};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        size_t chunk = chunks[i] == 1 ? 13 : chunks[i]; /* 1-byte feeds are slow; 13 is odd */
        char *c = scan_chunked(e1, d, n, page, chunk);
        assert_string_equal(c, whole);
        free(c);
    }
    int threads[] = {2, 8};
    for (size_t i = 0; i < 2; i++) {
        scan_engine *ej = engine(threads[i], 5, NULL, NULL, 0);
        char *c = scan_chunked(ej, d, n, page, 5000);
        assert_string_equal(c, whole);
        free(c);
        c = scan_chunked(ej, d, n, SCAN_LOOKAROUND, 333);
        assert_string_equal(c, whole);
        free(c);
        scan_engine_free(ej);
    }
    free(whole);
    free(d);
    scan_engine_free(e1);
}

static void put_utf16(uint8_t *d, const char *s, int be)
{
    for (size_t i = 0; s[i]; i++) {
        d[2 * i + (be ? 1 : 0)] = (uint8_t)s[i];
        d[2 * i + (be ? 0 : 1)] = 0;
    }
}

static void test_utf16(void **state)
{
    (void)state;
    uint8_t d[400];
    memset(d, 0xff, sizeof d);
    put_utf16(d + 10, "mail le16@wide.com now", 0);
    put_utf16(d + 101, "mail be16@wide.com now", 1);
    d[101 + 44] = 0xff;
    scan_engine *e = engine(1, 0, NULL, NULL, 0);
    char *out = scan_whole(e, d, sizeof d);
    /* raw offset = run start + 2 * char index; flag SCAN_HIT_UTF16 */
    assert_string_equal(out, "20\t20\temail\tle16@wide.com\t1\n"
                             "111\t111\temail\tbe16@wide.com\t1\n");
    free(out);
    /* the same on odd alignment and through tiny pages */
    char *c = scan_chunked(e, d, sizeof d, SCAN_LOOKAROUND, 3);
    assert_string_equal(c, "20\t20\temail\tle16@wide.com\t1\n"
                           "111\t111\temail\tbe16@wide.com\t1\n");
    free(c);
    scan_engine_free(e);
}

/* --- Containers ------------------------------------------------------------ */

static size_t deflate_to(uint8_t *out, size_t cap, const void *in, size_t n, int wbits)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t k = z.total_out;
    deflateEnd(&z);
    return k;
}

static size_t b64(char *out, const uint8_t *in, size_t n, size_t linelen)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t k = 0, col = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v =
            (uint32_t)in[i] << 16 | (i + 1 < n ? in[i + 1] : 0) << 8 | (i + 2 < n ? in[i + 2] : 0);
        char q[4] = {a[v >> 18], a[(v >> 12) & 63], i + 1 < n ? a[(v >> 6) & 63] : '=',
                     i + 2 < n ? a[v & 63] : '='};
        for (int j = 0; j < 4; j++) {
            out[k++] = q[j];
            if (++col == linelen) {
                out[k++] = '\r', out[k++] = '\n';
                col = 0;
            }
        }
    }
    out[k] = 0;
    return k;
}

static const char inner_text[] =
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua; write to inner@nested.com for more. "
    "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.";

static void test_containers(void **state)
{
    (void)state;
    static uint8_t img[1 << 16];
    memset(img, ' ', sizeof img);
    size_t tl = strlen(inner_text);
    /* gzip at 1000, zlib at 3000, bzip2 at 5000, xz at 7000, zip at 9000 */
    size_t g = deflate_to(img + 1000, 1500, inner_text, tl, 31);
    assert_true(g < 1500);
    size_t z = deflate_to(img + 3000, 1500, inner_text, tl, 15);
    assert_true(z < 1500);
    unsigned bl = 1500;
    assert_int_equal(BZ2_bzBuffToBuffCompress((char *)img + 5000, &bl, (char *)inner_text,
                                              (unsigned)tl, 9, 0, 0),
                     BZ_OK);
    size_t xl = 0;
    assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)inner_text,
                                             tl, img + 7000, &xl, 1500),
                     LZMA_OK);
    /* ZIP local file header, method 8, name "word/document.xml" */
    uint8_t *h = img + 9000;
    memset(h, 0, 30);
    memcpy(h, "PK\x03\x04", 4);
    h[4] = 20, h[8] = 8;
    const char *name = "word/document.xml";
    h[26] = (uint8_t)strlen(name);
    memcpy(h + 30, name, strlen(name));
    size_t zl = deflate_to(h + 30 + strlen(name), 1500, inner_text, tl, -15);
    assert_true(zl < 1500);
    /* a ZIP entry whose 8000-byte name pushes its data past a small page's margin */
    uint8_t *h2 = img + 30000;
    memset(h2, 0, 30);
    memcpy(h2, "PK\x03\x04", 4);
    h2[4] = 20, h2[8] = 8;
    h2[26] = 8000 & 0xff, h2[27] = 8000 >> 8;
    memset(h2 + 30, 'n', 8000);
    size_t zl2 = deflate_to(h2 + 8030, 1500, inner_text, tl, -15);
    assert_true(zl2 < 1500);
    /* base64 (MIME lines of 76) of a gzip at 12000 */
    uint8_t gz[1500];
    size_t gl = deflate_to(gz, sizeof gz, inner_text, tl, 31);
    char b[4000];
    size_t bn = b64(b, gz, gl, 76);
    memcpy(img + 12000, "\r\n\r\n", 4);
    memcpy(img + 12004, b, bn);
    img[12004 + bn] = '\r';
    /* quoted-printable at 20000: an address split by a soft break and =40 */
    const char *qp = "\nSee qp.user=40soft=\r\nbreak.com for details\r\n";
    memcpy(img + 20000, qp, strlen(qp));
    /* percent-encoding at 21000 */
    const char *pct = " https://x.test/?to=pct.user%40percent.com&a=1 ";
    memcpy(img + 21000, pct, strlen(pct));

    scan_engine *e = engine(1, 5, NULL, NULL, 0);
    char *out = scan_whole(e, img, sizeof img);
    const char *expect[] = {
        "1000\t1000-GZIP-",  "3000\t3000-ZLIB-", "5000\t5000-BZIP2-",
        "7000\t7000-XZ-",    "9000\t9000-ZIP-",  "12004\t12004-BASE64-0-GZIP-",
        "30000\t30000-ZIP-",
    };
    const char *pos = strstr(inner_text, "inner@");
    char line[128];
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        snprintf(line, sizeof line, "%s%zu\temail\tinner@nested.com\t0\n", expect[i],
                 (size_t)(pos - inner_text));
        assert_non_null(strstr(out, line));
    }
    assert_non_null(strstr(out, "20001\t20001-QP-4\temail\tqp.user@softbreak.com\t0\n"));
    assert_non_null(strstr(out, "21001\t21001-PCT-19\temail\tpct.user@percent.com\t0\n"));
    /* nothing else: 7 containers + QP + PCT; the raw "pct.user%40" is not an address */
    assert_int_equal(count_lines(out, "\n"), 9);
    /* the same through pages that cut the containers */
    char *c = scan_chunked(e, img, sizeof img, 4096, 1000);
    assert_string_equal(c, out);
    free(c);
    scan_engine_free(e);
    free(out);

    /* depth 1 opens the base64 but not the gzip inside it; depth 0 opens nothing */
    e = engine(1, 1, NULL, NULL, 0);
    out = scan_whole(e, img, sizeof img);
    assert_null(strstr(out, "BASE64-0-GZIP"));
    assert_non_null(strstr(out, "1000-GZIP-"));
    assert_int_equal(count_lines(out, "\n"), 8);
    free(out);
    scan_engine_free(e);
    e = engine(1, 0, NULL, NULL, 0);
    out = scan_whole(e, img, sizeof img);
    assert_string_equal(out, "");
    free(out);
    scan_engine_free(e);
}

static void test_bomb(void **state)
{
    (void)state;
    /* 1 GiB of zeros after an address, gzipped: cut at SCAN_MAX_EXPANDED,
     * the address still reported, flagged at-limit. */
    size_t cap = 8u << 20;
    uint8_t *gz = malloc(cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    const char *head = "bomb owner: boom@bomb.com\n";
    z.next_in = (Bytef *)head;
    z.avail_in = (uInt)strlen(head);
    assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
    uint8_t *zeros = calloc(1, 1u << 20);
    for (int i = 0; i < 1024; i++) {
        z.next_in = zeros;
        z.avail_in = 1u << 20;
        assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
    }
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = z.total_out;
    deflateEnd(&z);
    scan_engine *e = engine(1, 5, NULL, NULL, 0);
    char *out = scan_whole(e, gz, n);
    assert_string_equal(out, "0\t0-GZIP-12\temail\tboom@bomb.com\t2\n");
    free(out);
    scan_engine_free(e);
    /* the same through small pages on two threads: the stream runs far past
     * its page and is read on through the reader */
    e = engine(2, 5, NULL, NULL, 0);
    out = scan_chunked(e, gz, n, 65536, 100000);
    assert_string_equal(out, "0\t0-GZIP-12\temail\tboom@bomb.com\t2\n");
    free(out);
    scan_engine_free(e);
    free(zeros);
    free(gz);
}

static void test_corrupt_prefix(void **state)
{
    (void)state;
    /* a gzip whose second half is damaged: the address before the damage
     * is found, nothing after it */
    static char text[200000];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = "the quick brown fox jumps over the lazy dog\n"[i % 44];
    memcpy(text + 99, " early@clean.com ", 17);
    memcpy(text + 189999, " late@lost.com ", 15);
    static uint8_t gz[200000];
    size_t n = deflate_to(gz, sizeof gz, text, strlen(text), 31);
    for (size_t i = n / 2; i < n / 2 + 64; i++)
        gz[i] ^= 0x5a;
    scan_engine *e = engine(1, 5, NULL, NULL, 0);
    char *out = scan_whole(e, gz, n);
    assert_non_null(strstr(out, "0\t0-GZIP-100\temail\tearly@clean.com\t0\n"));
    assert_null(strstr(out, "late@lost.com"));
    free(out);
    scan_engine_free(e);
}

static char *write_tmp(const char *content)
{
    char *path = strdup("/tmp/trawl-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    return path;
}

static void test_keywords_and_stop_list(void **state)
{
    (void)state;
    char *kw = write_tmp("\xef\xbb\xbf# comment\nSecret Plan\n/acct-[0-9]{4}/\n\n/Cased/c\n");
    char *stop =
        write_tmp("drop@me.com\nctx@only.com\t            say ctx@only.com here           \n");
    scan_engine *e = engine(1, 0, kw, stop, 0);
    uint8_t d[300];
    memset(d, ' ', sizeof d);
    plant(d, 0, "the SECRET PLAN, acct-1234 and cased Cased drop@me.com");
    plant(d, 100, "say ctx@only.com here");
    plant(d, 140, "ctx@only.com");
    put_utf16(d + 200, "secret plan!", 0);
    char *out = scan_whole(e, d, sizeof d);
    assert_string_equal(out, "4\t4\tkeyword\tSecret Plan\t0\n"
                             "17\t17\tkeyword\t/acct-[0-9]{4}/\t0\n"
                             "37\t37\tkeyword\t/Cased/c\t0\n"
                             "140\t140\temail\tctx@only.com\t0\n"
                             "200\t200\tkeyword\tSecret Plan\t1\n");
    free(out);
    scan_engine_free(e);

    /* errors name the file and line */
    char *bad = write_tmp("\xef\xbb\xbfok\n/unbalanced(/\n");
    scan_options o;
    scan_options_default(&o);
    o.keywords = bad;
    scan_engine *x = NULL;
    trawl_err err;
    assert_int_not_equal(scan_engine_new_types(&o, test_types, &x, &err), 0);
    char want[256];
    snprintf(want, sizeof want, "%s:2:", bad);
    assert_non_null(strstr(err.msg, want));
    char *flag = write_tmp("\n\n/abc/x\n");
    o.keywords = flag;
    assert_int_equal(scan_engine_new_types(&o, test_types, &x, &err), TRAWL_EFORMAT);
    snprintf(want, sizeof want, "%s:3: unknown regex flag 'x'", flag);
    assert_non_null(strstr(err.msg, want));
    unlink(flag);
    free(flag);
    unlink(kw), unlink(stop), unlink(bad);
    free(kw), free(stop), free(bad);
}

static int stopped(const char *type, const char *f)
{
    return stop_default(type, f, strlen(f));
}

static void test_default_stop_list(void **state)
{
    (void)state;
    assert_true(stopped("email", "someone@example.com"));
    assert_true(stopped("email", "x@Mail.Example.ORG"));
    assert_false(stopped("email", "a@notexample.com"));
    assert_false(stopped("email", "a@example.com.evil.net"));
    assert_true(stopped("domain", "example.net"));
    assert_true(stopped("domain", "www.example.com."));
    assert_true(stopped("domain", "host.invalid"));
    assert_true(stopped("domain", "shop.example"));
    assert_false(stopped("domain", "example.community"));
    assert_true(stopped("url", "https://user:pw@www.example.com:8080/path?q#f"));
    assert_true(stopped("url", "http://example.org"));
    assert_false(stopped("url", "https://example.community/example.com"));
    assert_true(stopped("ipv4", "192.0.2.7"));
    assert_true(stopped("ipv4", "198.51.100.255"));
    assert_true(stopped("ipv4", "203.0.113.1"));
    assert_false(stopped("ipv4", "192.0.20.1"));
    assert_false(stopped("ipv4", "8.8.8.8"));
    assert_true(stopped("ipv6", "2001:db8::1"));
    assert_false(stopped("ipv6", "2001:db9::1"));
    assert_false(stopped("ccn", "4111111111111111")); /* test cards are not on the list */
    assert_false(stopped("phone", "+15555550100"));
}

static int sink_stop_after_3(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)h;
    int *n = ctx;
    if (++*n == 3)
        return trawl_fail(err, TRAWL_EIO, "sink: disk full");
    return 0;
}

static void test_sink_error_and_abort(void **state)
{
    (void)state;
    size_t n = 300000;
    uint8_t *d = filler(n, 7);
    for (size_t i = 0; i < 50; i++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, " s%zu@stop.com ", i);
        plant(d, 100 + i * 5000, tmp);
    }
    scan_engine *e = engine(2, 5, NULL, NULL, 0);
    int count = 0;
    trawl_err err;
    scan_run *run;
    assert_int_equal(
        scan_run_start_ex(e, NULL, NULL, 0, 8192, 4096, sink_stop_after_3, &count, &run, &err), 0);
    int rc = 0;
    for (size_t off = 0; off < n && !rc; off += 10000)
        rc = scan_run_feed(run, off, d + off, n - off < 10000 ? n - off : 10000, &err);
    /* the sink's error comes back, from feed or from finish, and stops the run */
    if (!rc)
        rc = scan_run_finish(run, &err);
    else
        scan_run_abort(run);
    assert_int_equal(rc, TRAWL_EIO);
    assert_string_equal(err.msg, "sink: disk full");
    assert_int_equal(count, 3);
    /* abort with pages in flight */
    assert_int_equal(
        scan_run_start_ex(e, NULL, NULL, 0, 8192, 4096, sink_lines_null, NULL, &run, &err), 0);
    assert_int_equal(scan_run_feed(run, 0, d, n, &err), 0);
    scan_run_abort(run);
    scan_engine_free(e);
    free(d);
}

static void test_options(void **state)
{
    (void)state;
    scan_options o;
    scan_options_default(&o);
    assert_int_equal(o.max_depth, SCAN_DEFAULT_DEPTH);
    o.country = "al";
    scan_engine *e = NULL;
    trawl_err err;
    assert_int_equal(scan_engine_new_types(&o, test_types, &e, &err), 0);
    assert_string_equal(e->tctx.country, "AL");
    assert_string_equal(e->tctx.calling_code, "355");
    scan_engine_free(e);
    o.country = "ZZ";
    assert_int_equal(scan_engine_new_types(&o, test_types, &e, &err), TRAWL_EUSAGE);
    assert_non_null(strstr(err.msg, "ZZ"));
    o.country = NULL;
    o.max_depth = SCAN_MAX_DEPTH + 1;
    assert_int_equal(scan_engine_new_types(&o, test_types, &e, &err), TRAWL_EUSAGE);
    o.max_depth = 1;
    o.threads = SCAN_MAX_THREADS + 1;
    assert_int_equal(scan_engine_new_types(&o, test_types, &e, &err), TRAWL_EUSAGE);
}

static void test_type_names(void **state)
{
    (void)state;
    const char *const *names = scan_type_names();
    size_t n = 0;
    while (names[n])
        n++;
    assert_true(n >= 1);
    assert_string_equal(names[n - 1], "keyword");
    for (size_t i = 0; scan_type_registry[i]; i++)
        assert_string_equal(names[i], scan_type_registry[i]->name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_hit),
        cmocka_unit_test(test_page_boundary_and_chunking),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_corrupt_prefix),
        cmocka_unit_test(test_keywords_and_stop_list),
        cmocka_unit_test(test_default_stop_list),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_sink_error_and_abort),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
