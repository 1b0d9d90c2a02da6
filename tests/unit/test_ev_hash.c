/* test_ev_hash.c: the one-pass hasher (src/evidence/ev_hash.c): published
 * test vectors, multi-chunk media against OpenSSL one-shot digests, chunk
 * order and sizes seen by the consumer, a consumer that stops the pass,
 * progress, and ev_hash_file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev.h"
#include "evidence/ev_hash.h"
#include "util/digest.h"
#include "util/limits.h"

static void hash_mem(const void *data, size_t len, ev_digests *d)
{
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open_mem(data, len, &img, &err), 0);
    ev_range *bad = (ev_range *)0x1;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, NULL, NULL, NULL, NULL, d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 0);
    free(bad);
    ev_close(img);
}

static void test_vectors(void **state)
{
    ev_digests d;
    hash_mem("", 0, &d);
    assert_string_equal(d.md5, "d41d8cd98f00b204e9800998ecf8427e");
    assert_string_equal(d.sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_string_equal(d.sha256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_mem("abc", 3, &d);
    assert_string_equal(d.md5, "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_string_equal(d.sha256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    hash_mem(a, 1000000, &d);
    assert_string_equal(d.md5, "7707d6ae4e027c70eea2a935c2296f21");
    assert_string_equal(d.sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    assert_string_equal(d.sha256,
                        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

typedef struct seen {
    const uint8_t *data;
    uint64_t next;
    int chunks, bad_order, bad_bytes;
    size_t sizes[8];
    int stop_at; /* return TRAWL_ELIMIT on this chunk (1-based), 0 never */
    uint64_t last_done, total;
    int progress_calls, progress_backwards;
} seen;

static int consume(void *p, uint64_t off, const uint8_t *data, size_t len, trawl_err *err)
{
    seen *s = p;
    if (off != s->next)
        s->bad_order++;
    if (memcmp(data, s->data + off, len) != 0)
        s->bad_bytes++;
    if (s->chunks < 8)
        s->sizes[s->chunks] = len;
    s->chunks++;
    s->next = off + len;
    if (s->stop_at && s->chunks == s->stop_at)
        return trawl_fail(err, TRAWL_ELIMIT, "consumer says stop at %llu", (unsigned long long)off);
    return 0;
}

static void progress(void *p, uint64_t done, uint64_t total)
{
    seen *s = p;
    if (done < s->last_done)
        s->progress_backwards++;
    s->last_done = done;
    s->total = total;
    s->progress_calls++;
}

static uint8_t *pattern(size_t len)
{
    uint8_t *p = malloc(len);
    uint32_t x = 5;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
    return p;
}

static void one_shot(const EVP_MD *md, const void *data, size_t len, char *hex)
{
    unsigned char bin[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    assert_int_equal(EVP_Digest(data, len, bin, &n, md, NULL), 1);
    digest_hex(bin, n, hex);
}

static void test_multi_chunk(void **state)
{
    size_t len = 2 * EV_IO_CHUNK + 12345;
    uint8_t *data = pattern(len);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open_mem(data, len, &img, &err), 0);
    seen s = {.data = data};
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, consume, &s, progress, &s, &d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 0);
    free(bad);
    assert_int_equal(s.chunks, 3);
    assert_int_equal(s.sizes[0], EV_IO_CHUNK);
    assert_int_equal(s.sizes[1], EV_IO_CHUNK);
    assert_int_equal(s.sizes[2], 12345);
    assert_int_equal(s.bad_order, 0);
    assert_int_equal(s.bad_bytes, 0);
    assert_int_equal(s.next, len);
    assert_int_equal(s.progress_calls, 3);
    assert_int_equal(s.progress_backwards, 0);
    assert_int_equal(s.last_done, len);
    assert_int_equal(s.total, len);

    char md5[33], sha1[41], sha256[65];
    one_shot(EVP_md5(), data, len, md5);
    one_shot(EVP_sha1(), data, len, sha1);
    one_shot(EVP_sha256(), data, len, sha256);
    assert_string_equal(d.md5, md5);
    assert_string_equal(d.sha1, sha1);
    assert_string_equal(d.sha256, sha256);

    /* Many more chunks than ring buffers: order and digests still hold. */
    ev_close(img);
    size_t big = 9 * EV_IO_CHUNK + 1;
    uint8_t *more = pattern(big);
    assert_int_equal(ev_open_mem(more, big, &img, &err), 0);
    seen s2 = {.data = more};
    assert_int_equal(ev_hash_media(img, consume, &s2, NULL, NULL, &d, &bad, &nbad, &err), 0);
    free(bad);
    assert_int_equal(s2.chunks, 10);
    assert_int_equal(s2.bad_order + s2.bad_bytes, 0);
    one_shot(EVP_sha256(), more, big, sha256);
    assert_string_equal(d.sha256, sha256);
    ev_close(img);
    free(more);
    free(data);
}

static void test_consumer_stops(void **state)
{
    size_t len = 5 * EV_IO_CHUNK;
    uint8_t *data = pattern(len);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open_mem(data, len, &img, &err), 0);
    seen s = {.data = data, .stop_at = 2};
    ev_digests d;
    memset(&d, 'x', sizeof d);
    ev_range *bad = (ev_range *)0x1;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, consume, &s, NULL, NULL, &d, &bad, &nbad, &err),
                     TRAWL_ELIMIT);
    assert_string_equal(err.msg, "consumer says stop at 4194304");
    assert_int_equal(s.chunks, 2);
    assert_ptr_equal(bad, (ev_range *)0x1); /* untouched on failure */
    assert_int_equal(nbad, 9);
    ev_close(img);
    free(data);
}

static void test_hash_file(void **state)
{
    char dir[] = "/tmp/trawl-hash-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/seg", dir);
    FILE *f = fopen(path, "wb");
    fputs("abc", f);
    fclose(f);
    ev_digests d;
    trawl_err err = {0, ""};
    assert_int_equal(ev_hash_file(path, &d, &err), 0);
    assert_string_equal(d.md5, "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
    /* An empty segment file hashes (ev_open would refuse it as an image). */
    f = fopen(path, "wb");
    fclose(f);
    assert_int_equal(ev_hash_file(path, &d, &err), 0);
    assert_string_equal(d.md5, "d41d8cd98f00b204e9800998ecf8427e");
    unlink(path);
    assert_int_equal(ev_hash_file(path, &d, &err), TRAWL_EIO);
    assert_non_null(strstr(err.msg, "no such file"));
    assert_int_equal(ev_hash_file(dir, &d, &err), TRAWL_EUSAGE);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_multi_chunk),
        cmocka_unit_test(test_consumer_stops),
        cmocka_unit_test(test_hash_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
