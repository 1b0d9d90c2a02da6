/* test_ev_child.c: the isolated reader (src/evidence/ev_child.c).  Reads
 * through the child must give exactly the bytes an in-process read gives:
 * in order (the read-ahead path), at random (cache hits and misses, pieces
 * larger than a slot, the media's end) and from several threads at once.
 * A reader made to crash by the test hook leaves exactly the slot it was
 * reading unreadable and a fresh reader serves the rest.  The corpus E01
 * keeps its stored hash through the child. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev.h"
#include "evidence/ev_hash.h"

#define MIB (1u << 20)
#define SIZE (13 * MIB + 123)

static uint8_t *want;
static char path[64];

static int setup(void **state)
{
    (void)state;
    want = malloc(SIZE);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < SIZE; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        want[i] = (uint8_t)x;
    }
    snprintf(path, sizeof path, "/tmp/trawl-ev-child-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, want, SIZE), SIZE);
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    free(want);
    return 0;
}

static ev_image *open_iso(const ev_limits *lim)
{
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open_isolated(path, lim, &img, &err))
        fail_msg("%s", err.msg);
    return img;
}

static void check(ev_image *img, uint64_t off, size_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    size_t got = 0;
    trawl_err err = {0, ""};
    if (ev_read(img, off, buf, len, &got, &err))
        fail_msg("read %llu+%zu: %s", (unsigned long long)off, len, err.msg);
    size_t exp = off >= SIZE ? 0 : (SIZE - off < len ? (size_t)(SIZE - off) : len);
    assert_int_equal(got, exp);
    assert_memory_equal(buf, want + (off < SIZE ? off : 0), exp ? exp : 0);
    free(buf);
}

static void test_reads(void **state)
{
    (void)state;
    ev_image *img = open_iso(NULL);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "raw");
    assert_int_equal(info->media_size, SIZE);
    assert_int_equal(info->nsegments, 1);
    assert_string_equal(info->segments[0], path);
    for (uint64_t off = 0; off < SIZE; off += 4 * MIB) /* in order: read ahead */
        check(img, off, 4 * MIB);
    check(img, 0, SIZE);       /* several slots in one call */
    check(img, SIZE - 5, 100); /* clamped at the end */
    check(img, SIZE, 10);      /* past it */
    uint32_t x = 88172645u;
    for (int i = 0; i < 300; i++) { /* at random, inside and across slots */
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        uint64_t off = x % SIZE;
        size_t len = 1 + (x >> 7) % (i % 10 == 0 ? 9 * MIB : 70000);
        check(img, off, len);
    }
    const ev_failure *f;
    assert_int_equal(ev_failures(img, &f), 0);
    ev_close(img);
}

static void *reader(void *arg)
{
    ev_image *img = arg;
    uint32_t x = (uint32_t)(uintptr_t)pthread_self() | 1u;
    for (int i = 0; i < 100; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        check(img, x % SIZE, 1 + (x >> 5) % (2 * MIB));
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    ev_image *img = open_iso(NULL);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, img), 0);
    for (uint64_t off = 0; off < SIZE; off += 4 * MIB)
        check(img, off, 4 * MIB);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ev_close(img);
}

/* The hook crashes the reader on byte 5 MiB + 7: the slot it was reading
 * (4 MiB to 8 MiB) is lost, nothing else. */
static void test_crash(void **state)
{
    (void)state;
    ev_limits lim = {0, 0, EV_FAULT_CRASH, 5 * MIB + 7};
    ev_image *img = open_iso(&lim);
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 0;
    trawl_err err = {0, ""};
    assert_int_equal(ev_hash_media(img, NULL, NULL, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 1);
    assert_int_equal(bad[0].start, 4 * MIB);
    assert_int_equal(bad[0].length, 4 * MIB);
    free(bad);
    const ev_failure *f;
    assert_int_equal(ev_failures(img, &f), 1);
    assert_string_equal(f[0].why, "killed by SIGSEGV");
    assert_int_equal(f[0].start, 4 * MIB);
    assert_int_equal(f[0].length, 4 * MIB);
    assert_true(ev_unreadable(img, 4 * MIB, 4 * MIB));
    assert_false(ev_unreadable(img, 4 * MIB - 1, 2));

    uint8_t buf[16];
    size_t got = 0;
    assert_int_equal(ev_read(img, 6 * MIB, buf, sizeof buf, &got, &err), TRAWL_EIO);
    assert_non_null(strstr(err.msg, "unreadable: the image reader killed by SIGSEGV there"));
    check(img, 0, 4 * MIB);
    check(img, 8 * MIB, SIZE - 8 * MIB);
    check(img, 4 * MIB - 10, 10);
    ev_close(img);
}

/* The same refusals as in process. */
static void test_refusals(void **state)
{
    (void)state;
    char empty[64];
    snprintf(empty, sizeof empty, "/tmp/trawl-ev-empty-XXXXXX");
    int fd = mkstemp(empty);
    assert_true(fd >= 0);
    close(fd);
    ev_image *img = NULL;
    trawl_err e1 = {0, ""}, e2 = {0, ""};
    int r1 = ev_open(empty, &img, &e1);
    int r2 = ev_open_isolated(empty, NULL, &img, &e2);
    unlink(empty);
    assert_int_equal(r1, TRAWL_EFORMAT);
    assert_int_equal(r2, r1);
    assert_string_equal(e2.msg, e1.msg);
    assert_null(img);
    r2 = ev_open_isolated("/nonexistent/x.E01", NULL, &img, &e2);
    assert_int_equal(r2, TRAWL_EIO);
    assert_string_equal(e2.msg, "/nonexistent/x.E01: no such file");
}

/* An E01 of the corpus: its metadata and stored hash cross over, and the
 * media read through the child matches it. */
static void test_e01(void **state)
{
    (void)state;
    const char *corpus = getenv("TRAWL_CORPUS");
    char p[4096];
    snprintf(p, sizeof p, "%s/formats/ext2.E01", corpus ? corpus : "");
    if (!corpus || access(p, R_OK) != 0) {
        if (getenv("CI"))
            fail_msg("corpus missing: %s", p);
        skip();
    }
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open_isolated(p, NULL, &img, &err))
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "ewf");
    assert_non_null(info->stored_md5);
    assert_string_equal(info->stored_md5, "196066add11fb71c4c49cf1bb50d6d24");
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, NULL, NULL, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 0);
    assert_string_equal(d.md5, info->stored_md5);
    free(bad);
    ev_close(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads), cmocka_unit_test(test_threads),
        cmocka_unit_test(test_crash), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_e01),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
