/* test_ev_split.c: split raw images (src/evidence/ev_split.c): numbering
 * from .000, from .001 and .aa; reads across segment boundaries; a hole
 * in the run and a later segment given first are refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev.h"
#include "evidence/ev_hash.h"

typedef struct fixture {
    char dir[64];
    uint8_t *data;
    size_t len;
} fixture;

static void spew(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/trawl-split-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    fx->len = 300000;
    fx->data = malloc(fx->len);
    uint32_t x = 99;
    for (size_t i = 0; i < fx->len; i++) {
        x = x * 1103515245u + 12345u;
        fx->data[i] = (uint8_t)(x >> 16);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx->data);
    free(fx);
    return 0;
}

/* Write fx->data as segments named base.<suffix[i]> of the given sizes. */
static void write_set(fixture *fx, const char *base, const char *const *suffix, const size_t *sizes,
                      size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s.%s", fx->dir, base, suffix[i]);
        spew(path, fx->data + at, sizes[i]);
        at += sizes[i];
    }
    assert_int_equal(at, fx->len);
}

static void check_image(fixture *fx, const char *first, size_t nseg)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, first);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(path, &img, &err) != 0)
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "split");
    assert_int_equal(info->media_size, fx->len);
    assert_int_equal(info->nsegments, nseg);
    assert_string_equal(info->segments[0], path);

    /* Every read straddling a boundary, and the whole thing at once. */
    uint8_t *buf = malloc(fx->len);
    size_t got = 0;
    assert_int_equal(ev_read(img, 0, buf, fx->len, &got, &err), 0);
    assert_int_equal(got, fx->len);
    assert_memory_equal(buf, fx->data, fx->len);
    for (uint64_t off = 99990; off < 100010; off++) {
        assert_int_equal(ev_read(img, off, buf, 20, &got, &err), 0);
        assert_int_equal(got, 20);
        assert_memory_equal(buf, fx->data + off, 20);
    }
    assert_int_equal(ev_read(img, fx->len - 3, buf, 10, &got, &err), 0);
    assert_int_equal(got, 3);

    /* The hashing pass sees the joined bytes. */
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, NULL, NULL, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 0);
    free(bad);
    ev_image *whole = NULL;
    assert_int_equal(ev_open_mem(fx->data, fx->len, &whole, &err), 0);
    ev_digests w;
    assert_int_equal(ev_hash_media(whole, NULL, NULL, NULL, NULL, &w, &bad, &nbad, &err), 0);
    free(bad);
    assert_string_equal(d.sha256, w.sha256);
    assert_string_equal(d.md5, w.md5);
    ev_close(whole);
    free(buf);
    ev_close(img);
}

static void test_from_000(void **state)
{
    fixture *fx = *state;
    const char *suf[] = {"000", "001", "002"};
    size_t sizes[] = {100000, 100000, 100000};
    write_set(fx, "disk", suf, sizes, 3);
    check_image(fx, "disk.000", 3);

    /* Naming the second segment is refused, pointing at the first. */
    char path[256], first[256];
    snprintf(path, sizeof path, "%s/disk.001", fx->dir);
    snprintf(first, sizeof first, "%s/disk.000", fx->dir);
    ev_image *img;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EUSAGE);
    assert_non_null(strstr(err.msg, "not the first segment"));
    assert_non_null(strstr(err.msg, first));
}

static void test_from_001_uneven(void **state)
{
    fixture *fx = *state;
    const char *suf[] = {"0001", "0002", "0003", "0004"};
    size_t sizes[] = {100005, 99995, 1, 99999};
    write_set(fx, "img", suf, sizes, 4);
    check_image(fx, "img.0001", 4);
}

static void test_letters(void **state)
{
    fixture *fx = *state;
    const char *suf[] = {"aa", "ab", "ac"};
    size_t sizes[] = {100000, 100000, 100000};
    write_set(fx, "x.dd", suf, sizes, 3);
    check_image(fx, "x.dd.aa", 3);
}

static void test_gap_refused(void **state)
{
    fixture *fx = *state;
    const char *suf[] = {"001", "002", "003"};
    size_t sizes[] = {100000, 100000, 100000};
    write_set(fx, "gap", suf, sizes, 3);
    char path[256], missing[256];
    snprintf(missing, sizeof missing, "%s/gap.002", fx->dir);
    unlink(missing);
    snprintf(path, sizeof path, "%s/gap.001", fx->dir);
    ev_image *img = (ev_image *)0x1;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EFORMAT);
    assert_ptr_equal(img, (ev_image *)0x1);
    assert_non_null(strstr(err.msg, "missing segment"));
    assert_non_null(strstr(err.msg, missing));

    /* The same with letters: .aa and .ac without .ab. */
    const char *lsuf[] = {"aa", "ab", "ac"};
    write_set(fx, "lgap", lsuf, sizes, 3);
    snprintf(missing, sizeof missing, "%s/lgap.ab", fx->dir);
    unlink(missing);
    snprintf(path, sizeof path, "%s/lgap.aa", fx->dir);
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, missing));
}

static void test_empty_segment_refused(void **state)
{
    fixture *fx = *state;
    const char *suf[] = {"000", "001", "002"};
    size_t sizes[] = {150000, 0, 150000};
    write_set(fx, "hole", suf, sizes, 3);
    char path[256], empty[256];
    snprintf(path, sizeof path, "%s/hole.000", fx->dir);
    snprintf(empty, sizeof empty, "%s/hole.001", fx->dir);
    ev_image *img;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, "empty file"));
    assert_non_null(strstr(err.msg, empty));
}

/* Names that merely look like suffixes stay raw: a lone .001, and .iso
 * next to .vhd (three letters that are not a run from .aaa). */
static void test_not_split(void **state)
{
    fixture *fx = *state;
    char path[256], other[256];
    snprintf(path, sizeof path, "%s/lone.001", fx->dir);
    spew(path, fx->data, 1000);
    ev_image *img;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), 0);
    assert_string_equal(ev_describe(img)->format, "raw");
    ev_close(img);
    snprintf(path, sizeof path, "%s/image.iso", fx->dir);
    snprintf(other, sizeof other, "%s/image.vhd", fx->dir);
    spew(path, fx->data, 1000);
    spew(other, fx->data, 1000);
    assert_int_equal(ev_open(path, &img, &err), 0);
    assert_string_equal(ev_describe(img)->format, "raw");
    assert_int_equal(ev_size(img), 1000);
    ev_close(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_from_000, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_001_uneven, setup, teardown),
        cmocka_unit_test_setup_teardown(test_letters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gap_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_segment_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_split, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
