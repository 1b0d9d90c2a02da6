/* test_ev_corpus.c: the evidence backends on images trawl's authors did not
 * make ($TRAWL_CORPUS/formats: one small ext2 file system as E01, a
 * two-segment E01, split raw, VHD, VMDK and QCOW2; tsk/data: The Sleuth
 * Kit's images and its bogus.E01).  Every container must yield the same
 * media: MD5 196066add11fb71c4c49cf1bb50d6d24, the value ewfverify checks
 * against the E01's stored hash.  Skips (77) without the corpus unless CI
 * is set. */
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

#define EXT2_SIZE 4194304u
#define EXT2_MD5 "196066add11fb71c4c49cf1bb50d6d24"
#define EXT2_SHA256 "a6c2f0e39afe6c6ab432ca5465349fcefe8dc944398e97b2d957d3f89dbb5d80"
#define TSK_DD_SHA256 "0add63db3dc87ee60438e0fb94b526462502ba9f87e7a78bb0efe858668b1108"

static const char *corpus;

static const char *cpath(const char *rel)
{
    static char buf[4][4096];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", corpus, rel);
    return buf[i];
}

static ev_image *must_open(const char *rel)
{
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(cpath(rel), &img, &err))
        fail_msg("%s", err.msg);
    return img;
}

static void hash(ev_image *img, ev_digests *d)
{
    ev_range *bad = NULL;
    size_t nbad = 9;
    trawl_err err = {0, ""};
    if (ev_hash_media(img, NULL, NULL, NULL, NULL, d, &bad, &nbad, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(nbad, 0);
    free(bad);
}

static void same_ext2(const char *rel, const char *format, size_t nseg)
{
    ev_image *img = must_open(rel);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, format);
    assert_int_equal(info->media_size, EXT2_SIZE);
    assert_int_equal(info->nsegments, nseg);
    assert_string_equal(info->segments[0], cpath(rel));
    ev_digests d;
    hash(img, &d);
    assert_string_equal(d.md5, EXT2_MD5);
    assert_string_equal(d.sha256, EXT2_SHA256);
    ev_close(img);
}

static void test_split_raw(void **state)
{
    same_ext2("formats/ext2.splitraw.000", "split", 2);
}

static void test_e01(void **state)
{
    same_ext2("formats/ext2.E01", "ewf", 1);
    ev_image *img = must_open("formats/ext2.E01");
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->stored_md5, EXT2_MD5);
    assert_null(info->stored_sha1);
    static const char *want[][2] = {{"case_number", "case"},
                                    {"description", "description"},
                                    {"examiner_name", "examiner"},
                                    {"evidence_number", "evidence"},
                                    {"notes", "notes"},
                                    {"acquiry_date", "2021-07-22T15:33:18"},
                                    {"acquiry_operating_system", "Linux"},
                                    {"acquiry_software_version", "20140812"}};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        size_t i = 0;
        while (i < info->nmeta && strcmp(info->meta[i].key, want[w][0]) != 0)
            i++;
        if (i == info->nmeta)
            fail_msg("no %s", want[w][0]);
        assert_string_equal(info->meta[i].value, want[w][1]);
    }
    ev_close(img);
}

static void test_e01_two_segments(void **state)
{
    same_ext2("formats/ext2.split.E01", "ewf", 2);
    ev_image *img = must_open("formats/ext2.split.E01");
    assert_string_equal(ev_describe(img)->segments[1], cpath("formats/ext2.split.E02"));
    assert_string_equal(ev_describe(img)->stored_md5, EXT2_MD5);
    ev_close(img);
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(cpath("formats/ext2.split.E02"), &img, &err), TRAWL_EUSAGE);
    assert_non_null(strstr(err.msg, cpath("formats/ext2.split.E01")));
}

static void test_vmdk(void **state)
{
    same_ext2("formats/ext2.vmdk", "vmdk", 1);
}

static void test_qcow2(void **state)
{
    same_ext2("formats/ext2.qcow2", "qcow2", 1);
}

/* The VHD's disk is 18432 bytes larger (its geometry rounds up): the ext2
 * bytes come first, then zeros. */
static void test_vhd(void **state)
{
    ev_image *img = must_open("formats/ext2.vhd");
    assert_string_equal(ev_describe(img)->format, "vhd");
    assert_int_equal(ev_size(img), EXT2_SIZE + 18432);
    ev_image *ref = must_open("formats/ext2.splitraw.000");
    uint8_t *a = malloc(EXT2_SIZE + 18432), *b = malloc(EXT2_SIZE);
    size_t got = 0;
    trawl_err err = {0, ""};
    assert_int_equal(ev_read(img, 0, a, EXT2_SIZE + 18432, &got, &err), 0);
    assert_int_equal(got, EXT2_SIZE + 18432);
    assert_int_equal(ev_read(ref, 0, b, EXT2_SIZE, &got, &err), 0);
    assert_memory_equal(a, b, EXT2_SIZE);
    for (size_t i = EXT2_SIZE; i < EXT2_SIZE + 18432; i++)
        assert_int_equal(a[i], 0);
    free(a);
    free(b);
    ev_close(ref);
    ev_close(img);
}

static void test_tsk_images(void **state)
{
    ev_digests dd, e01;
    ev_image *img = must_open("tsk/data/image.dd");
    assert_string_equal(ev_describe(img)->format, "raw");
    hash(img, &dd);
    ev_close(img);
    assert_string_equal(dd.sha256, TSK_DD_SHA256);
    img = must_open("tsk/data/image.E01");
    assert_string_equal(ev_describe(img)->format, "ewf");
    hash(img, &e01);
    assert_string_equal(e01.sha256, TSK_DD_SHA256);
    ev_close(img);
    /* image.iso has a three-letter extension like image.vhd: still raw. */
    img = must_open("tsk/data/image.iso");
    assert_string_equal(ev_describe(img)->format, "raw");
    ev_close(img);
}

static void test_bogus_e01(void **state)
{
    const char *names[] = {"tsk/data/bogus.E01", "tsk/data/bogus.E02"};
    for (int i = 0; i < 2; i++) {
        ev_image *img = (ev_image *)0x1;
        trawl_err err = {0, ""};
        assert_int_equal(ev_open(cpath(names[i]), &img, &err), TRAWL_EFORMAT);
        assert_ptr_equal(img, (ev_image *)0x1);
        assert_non_null(strstr(err.msg, "empty file"));
        assert_non_null(strstr(err.msg, cpath(names[i])));
    }
}

/* Copy a corpus file to a temporary file, let patch change it, return the
 * copy's path (caller frees and unlinks). */
static char *patched(const char *rel, void (*patch)(uint8_t *, size_t))
{
    FILE *f = fopen(cpath(rel), "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(8 << 20);
    size_t n = fread(buf, 1, 8 << 20, f);
    fclose(f);
    patch(buf, n);
    char *path = strdup("/tmp/trawl-patched-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);
    free(buf);
    return path;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static void qcow_encrypted(uint8_t *b, size_t n)
{
    put_be(b + 32, 1, 4); /* crypt_method: AES */
}

static void qcow_backing(uint8_t *b, size_t n)
{
    put_be(b + 8, 0x1000, 8); /* backing_file_offset */
    put_be(b + 16, 8, 4);     /* backing_file_size */
    memcpy(b + 0x1000, "base.img", 8);
}

/* Footer (and its copy at the start) say "differencing", checksum fixed. */
static void vhd_differencing(uint8_t *b, size_t n)
{
    uint8_t *footers[] = {b, b + n - 512};
    for (int i = 0; i < 2; i++) {
        uint8_t *f = footers[i];
        put_be(f + 60, 4, 4);
        put_be(f + 64, 0, 4);
        uint32_t sum = 0;
        for (int k = 0; k < 512; k++)
            sum += f[k];
        put_be(f + 64, ~sum, 4);
    }
}

static void expect_unsupported(const char *rel, void (*patch)(uint8_t *, size_t),
                               const char *needle)
{
    char *path = patched(rel, patch);
    ev_image *img = (ev_image *)0x1;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EUNSUPPORTED);
    assert_ptr_equal(img, (ev_image *)0x1);
    if (!strstr(err.msg, needle) || !strstr(err.msg, path))
        fail_msg("message \"%s\" lacks \"%s\" or the path", err.msg, needle);
    unlink(path);
    free(path);
}

/* Without the key, the backing file or the parent the bytes would be wrong:
 * refused by name. */
static void test_incomplete_disks(void **state)
{
    expect_unsupported("formats/ext2.qcow2", qcow_encrypted, "encrypted QCOW");
    expect_unsupported("formats/ext2.qcow2", qcow_backing, "backing file");
    expect_unsupported("formats/ext2.vhd", vhd_differencing, "differencing VHD");
}

int main(void)
{
    corpus = getenv("TRAWL_CORPUS");
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/formats/ext2.E01", corpus ? corpus : "");
    if (!corpus || access(probe, R_OK) != 0) {
        if (getenv("CI")) {
            fprintf(stderr, "test_ev_corpus: corpus missing (%s) in CI\n", probe);
            return 1;
        }
        fprintf(stderr, "test_ev_corpus: skipped, no corpus at %s\n", probe);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_raw),
        cmocka_unit_test(test_e01),
        cmocka_unit_test(test_e01_two_segments),
        cmocka_unit_test(test_vmdk),
        cmocka_unit_test(test_qcow2),
        cmocka_unit_test(test_vhd),
        cmocka_unit_test(test_tsk_images),
        cmocka_unit_test(test_bogus_e01),
        cmocka_unit_test(test_incomplete_disks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
