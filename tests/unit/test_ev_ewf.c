/* test_ev_ewf.c: EnCase images (src/evidence/ev_ewf.c), made in the test
 * with ewfacquire from known raw bytes: the media bytes, the computed and
 * stored hashes against md5sum/sha1sum/sha256sum, the acquisition metadata,
 * multi-segment sets, a flipped byte inside a chunk, and incomplete or
 * truncated sets.  Skips (77) without ewfacquire unless CI is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <libewf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev.h"
#include "evidence/ev_hash.h"

#define RAW_LEN 3200000u
#define CHUNK 32768u /* ewfacquire default: 64 sectors of 512 bytes */

static char dir[64];
static uint8_t *raw;
static char want_md5[33], want_sha1[41], want_sha256[65];

static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

/* First word of a command's output (the digest of md5sum and friends). */
static void first_word(const char *cmd, char *out, size_t size)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, (int)size, p));
    pclose(p);
    out[strcspn(out, " \n")] = '\0';
}

static char *at(const char *name)
{
    static char path[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(path[i], sizeof path[i], "%s/%s", dir, name);
    return path[i];
}

static int setup(void **state)
{
    strcpy(dir, "/tmp/trawl-ewf-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    /* Half noise, half text, so that deflate has work of both kinds. */
    raw = malloc(RAW_LEN);
    uint32_t x = 7;
    for (size_t i = 0; i < RAW_LEN; i++) {
        x = x * 1103515245u + 12345u;
        raw[i] = i < RAW_LEN / 2 ? (uint8_t)(x >> 16) : (uint8_t)("evidence text "[i % 14]);
    }
    FILE *f = fopen(at("raw.bin"), "wb");
    if (!f || fwrite(raw, 1, RAW_LEN, f) != RAW_LEN || fclose(f) != 0)
        return -1;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "md5sum %s", at("raw.bin"));
    first_word(cmd, want_md5, sizeof want_md5);
    snprintf(cmd, sizeof cmd, "sha1sum %s", at("raw.bin"));
    first_word(cmd, want_sha1, sizeof want_sha1);
    snprintf(cmd, sizeof cmd, "sha256sum %s", at("raw.bin"));
    first_word(cmd, want_sha256, sizeof want_sha256);
    /* One compressed segment with metadata; a four-segment uncompressed set. */
    sh("cd %s && ewfacquire -u -q -t one -f encase6 -c deflate:best -d sha1 -C CASE-42 "
       "-E EV-7 -e 'Jane Examiner' -D 'seized laptop' -N 'bag 3, sealed' raw.bin >/dev/null",
       dir);
    sh("cd %s && ewfacquire -u -q -t multi -f encase6 -c none -S 1048576 raw.bin >/dev/null", dir);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    free(raw);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *meta(const ev_info *info, const char *key)
{
    for (size_t i = 0; i < info->nmeta; i++)
        if (!strcmp(info->meta[i].key, key))
            return info->meta[i].value;
    return NULL;
}

/* Consumer that compares every chunk with the raw bytes outside *skip. */
typedef struct cmp_ctx {
    uint64_t next;
    ev_range skip;
    int mismatches;
    int zeros_ok;
} cmp_ctx;

static int compare(void *p, uint64_t off, const uint8_t *data, size_t len, trawl_err *err)
{
    cmp_ctx *c = p;
    if (off != c->next)
        c->mismatches++;
    for (size_t i = 0; i < len; i++) {
        uint64_t o = off + i;
        int in_skip = o >= c->skip.start && o < c->skip.start + c->skip.length;
        if (in_skip)
            c->zeros_ok &= data[i] == 0;
        else if (data[i] != raw[o])
            c->mismatches++;
    }
    c->next = off + len;
    return 0;
}

static void test_single_segment(void **state)
{
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(at("one.E01"), &img, &err))
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "ewf");
    assert_int_equal(info->media_size, RAW_LEN);
    assert_int_equal(info->nsegments, 1);
    assert_string_equal(info->segments[0], at("one.E01"));
    assert_string_equal(meta(info, "case_number"), "CASE-42");
    assert_string_equal(meta(info, "evidence_number"), "EV-7");
    assert_string_equal(meta(info, "examiner_name"), "Jane Examiner");
    assert_string_equal(meta(info, "description"), "seized laptop");
    assert_string_equal(meta(info, "notes"), "bag 3, sealed");
    assert_string_equal(meta(info, "acquiry_software_version"), "20140813");
    assert_non_null(meta(info, "acquiry_date"));
    /* ISO 8601: YYYY-MM-DDTHH:MM:SS */
    assert_int_equal(strlen(meta(info, "acquiry_date")), 19);
    assert_int_equal(meta(info, "acquiry_date")[10], 'T');
    assert_non_null(info->stored_md5);
    assert_string_equal(info->stored_md5, want_md5);
    assert_non_null(info->stored_sha1);
    assert_string_equal(info->stored_sha1, want_sha1);
    assert_null(info->stored_sha256);
    assert_int_equal(info->nerrors, 0);

    cmp_ctx c = {0, {0, 0}, 0, 1};
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, compare, &c, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(c.next, RAW_LEN);
    assert_int_equal(c.mismatches, 0);
    assert_int_equal(nbad, 0);
    free(bad);
    assert_string_equal(d.md5, want_md5);
    assert_string_equal(d.sha1, want_sha1);
    assert_string_equal(d.sha256, want_sha256);
    assert_string_equal(d.md5, info->stored_md5);
    assert_string_equal(d.sha1, info->stored_sha1);

    /* Random access inside and across chunks. */
    uint8_t buf[100000];
    size_t got = 0;
    for (uint64_t off = 0; off < RAW_LEN; off += 777777) {
        assert_int_equal(ev_read(img, off, buf, sizeof buf, &got, &err), 0);
        size_t want = RAW_LEN - off < sizeof buf ? RAW_LEN - off : sizeof buf;
        assert_int_equal(got, want);
        assert_memory_equal(buf, raw + off, got);
    }
    ev_close(img);
}

static void test_multi_segment(void **state)
{
    glob_t g;
    assert_int_equal(glob(at("multi.E*"), 0, NULL, &g), 0);
    assert_int_equal(g.gl_pathc, 4);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(at("multi.E01"), &img, &err))
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_int_equal(info->nsegments, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(info->segments[i], g.gl_pathv[i]);
    globfree(&g);
    assert_int_equal(info->media_size, RAW_LEN);
    assert_string_equal(info->stored_md5, want_md5);
    cmp_ctx c = {0, {0, 0}, 0, 1};
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 9;
    assert_int_equal(ev_hash_media(img, compare, &c, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(c.mismatches, 0);
    assert_int_equal(nbad, 0);
    free(bad);
    assert_string_equal(d.md5, want_md5);
    assert_string_equal(d.sha256, want_sha256);
    ev_close(img);

    /* A later segment given first is refused, pointing at the first. */
    img = (ev_image *)0x1;
    assert_int_equal(ev_open(at("multi.E03"), &img, &err), TRAWL_EUSAGE);
    assert_ptr_equal(img, (ev_image *)0x1);
    char want[300];
    snprintf(want, sizeof want, "%s: is segment 3 of an EnCase set; open %s instead",
             at("multi.E03"), at("multi.E01"));
    assert_string_equal(err.msg, want);
}

typedef struct reader_arg {
    ev_image *img;
    uint32_t seed;
    int bad;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *a = p;
    uint32_t x = a->seed;
    size_t cap = 70000;
    uint8_t *buf = malloc(cap);
    for (int i = 0; i < 300; i++) {
        x = x * 1103515245u + 12345u;
        uint64_t off = x % RAW_LEN;
        size_t n = 1 + (x >> 8) % cap;
        size_t want = off + n > RAW_LEN ? RAW_LEN - off : n, got = 0;
        trawl_err err;
        if (ev_read(a->img, off, buf, n, &got, &err) != 0 || got != want ||
            memcmp(buf, raw + off, got) != 0)
            a->bad++;
    }
    free(buf);
    return NULL;
}

/* Four threads reading one libewf handle at once get the right bytes. */
static void test_threads(void **state)
{
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(at("multi.E01"), &img, &err), 0);
    pthread_t t[4];
    reader_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (reader_arg){img, (uint32_t)i * 31337u + 1u, 0};
        assert_int_equal(pthread_create(&t[i], NULL, reader, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].bad, 0);
    }
    ev_close(img);
}

/* A byte flipped inside chunk data: the chunk's range is reported as
 * unreadable, hashed as zeros, and the computed MD5 no longer matches the
 * stored one, so verification fails.  Everything else still reads. */
static void flipped(const char *set, int nseg)
{
    for (int i = 1; i <= nseg; i++)
        sh("cp %s/%s.E%02d %s/bad%s.E%02d", dir, set, i, dir, set, i);
    sh("printf '\\252' | dd of=%s/bad%s.E01 bs=1 seek=600000 conv=notrunc 2>/dev/null", dir, set);
    char name[64];
    snprintf(name, sizeof name, "bad%s.E01", set);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(at(name), &img, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(ev_describe(img)->stored_md5, want_md5);
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 0;
    /* First pass: find the bad range; second: check the bytes around it. */
    assert_int_equal(ev_hash_media(img, NULL, NULL, NULL, NULL, &d, &bad, &nbad, &err), 0);
    assert_int_equal(nbad, 1);
    assert_int_equal(bad[0].length, CHUNK);
    assert_int_equal(bad[0].start % CHUNK, 0);
    assert_true(bad[0].start < 600000);
    assert_string_not_equal(d.md5, want_md5);
    assert_string_not_equal(d.md5, ev_describe(img)->stored_md5);

    /* ev_read names the range. */
    uint8_t buf[16];
    size_t got = 0;
    assert_int_equal(ev_read(img, bad[0].start + 5, buf, sizeof buf, &got, &err), TRAWL_EIO);
    assert_non_null(strstr(err.msg, name));
    char range[64];
    snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)bad[0].start,
             (unsigned long long)(bad[0].start + CHUNK - 1));
    assert_non_null(strstr(err.msg, range));

    cmp_ctx c = {0, bad[0], 0, 1};
    ev_range *bad2 = NULL;
    size_t nbad2 = 0;
    assert_int_equal(ev_hash_media(img, compare, &c, NULL, NULL, &d, &bad2, &nbad2, &err), 0);
    assert_int_equal(c.mismatches, 0);
    assert_true(c.zeros_ok);
    assert_int_equal(nbad2, 1);
    assert_memory_equal(&bad2[0], &bad[0], sizeof bad[0]);
    /* The zero-filled hash is exactly the raw data with that chunk zeroed. */
    uint8_t *copy = malloc(RAW_LEN);
    memcpy(copy, raw, RAW_LEN);
    memset(copy + bad[0].start, 0, CHUNK);
    ev_image *mem = NULL;
    ev_digests dm;
    ev_range *bm = NULL;
    size_t nbm = 0;
    assert_int_equal(ev_open_mem(copy, RAW_LEN, &mem, &err), 0);
    assert_int_equal(ev_hash_media(mem, NULL, NULL, NULL, NULL, &dm, &bm, &nbm, &err), 0);
    assert_string_equal(d.md5, dm.md5);
    assert_string_equal(d.sha256, dm.sha256);
    ev_close(mem);
    free(copy);
    free(bm);
    free(bad);
    free(bad2);
    ev_close(img);
}

static void test_flipped_uncompressed(void **state)
{
    flipped("multi", 4);
}

static void test_flipped_compressed(void **state)
{
    flipped("one", 1);
}

static void expect_refused(const char *path, const char *needle)
{
    ev_image *img = (ev_image *)0x1;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), TRAWL_EFORMAT);
    assert_ptr_equal(img, (ev_image *)0x1);
    if (!strstr(err.msg, needle) || !strstr(err.msg, path) || strchr(err.msg, '\n'))
        fail_msg("message \"%s\" lacks \"%s\" or the path, or is not one line", err.msg, needle);
}

static void test_incomplete_sets(void **state)
{
    /* The last two segments missing. */
    sh("mkdir %s/short && cp %s/multi.E01 %s/multi.E02 %s/short/", dir, dir, dir, dir);
    expect_refused(at("short/multi.E01"), "multi.E03 is missing");
    /* A hole: E02 missing, E03 and E04 present. */
    sh("mkdir %s/hole && cp %s/multi.E01 %s/multi.E03 %s/multi.E04 %s/hole/", dir, dir, dir, dir,
       dir);
    expect_refused(at("hole/multi.E01"), "multi.E02 is missing");
    /* A truncated single segment. */
    sh("head -c 300000 %s/one.E01 > %s/cut.E01", dir, dir);
    expect_refused(at("cut.E01"), "incomplete");
    /* Cut inside the file header: libewf's own reason, on one line. */
    sh("head -c 40 %s/one.E01 > %s/stub.E01", dir, dir);
    expect_refused(at("stub.E01"), "stub.E01");
}

/* The ranges an acquisition could not read (EnCase "error2" section),
 * written here with libewf's own writer since no tool makes them on
 * demand: they come back in bytes, in order, clamped to the media. */
static void test_acquiry_errors(void **state)
{
    libewf_handle_t *h = NULL;
    assert_int_equal(libewf_handle_initialize(&h, NULL), 1);
    char *names[] = {at("acq")};
    assert_int_equal(libewf_handle_open(h, names, 1, LIBEWF_OPEN_WRITE, NULL), 1);
    assert_int_equal(libewf_handle_set_format(h, LIBEWF_FORMAT_ENCASE6, NULL), 1);
    size_t len = 1 << 20;
    assert_int_equal(libewf_handle_set_media_size(h, len, NULL), 1);
    for (size_t off = 0; off < len; off += 65536)
        assert_int_equal(libewf_handle_write_buffer(h, raw + off, 65536, NULL), 65536);
    assert_int_equal(libewf_handle_append_acquiry_error(h, 100, 32, NULL), 1);
    assert_int_equal(libewf_handle_append_acquiry_error(h, 2040, 100, NULL), 1);
    assert_true(libewf_handle_write_finalize(h, NULL) >= 0);
    assert_int_equal(libewf_handle_close(h, NULL), 0);
    libewf_handle_free(&h, NULL);

    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(at("acq.E01"), &img, &err))
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_int_equal(info->media_size, len);
    assert_int_equal(info->nerrors, 2);
    assert_int_equal(info->errors[0].start, 100 * 512);
    assert_int_equal(info->errors[0].length, 32 * 512);
    /* Sectors 2040-2139 run past the media's 2048 sectors: cut at its end. */
    assert_int_equal(info->errors[1].start, 2040 * 512);
    assert_int_equal(info->errors[1].length, 8 * 512);
    ev_close(img);
}

int main(void)
{
    if (system("command -v ewfacquire >/dev/null 2>&1") != 0) {
        if (getenv("CI")) {
            fprintf(stderr, "test_ev_ewf: ewfacquire missing in CI\n");
            return 1;
        }
        fprintf(stderr, "test_ev_ewf: skipped, ewfacquire not installed\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_segment),
        cmocka_unit_test(test_multi_segment),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_flipped_uncompressed),
        cmocka_unit_test(test_flipped_compressed),
        cmocka_unit_test(test_incomplete_sets),
        cmocka_unit_test(test_acquiry_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
