/* test_ev_open.c: detection, refusals and the raw and in-memory backends
 * (src/evidence/ev.c, ev_raw.c, ev_mem.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence/ev.h"

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/trawl-ev-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void spew(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Deterministic bytes: a simple LCG, so that every offset differs. */
static uint8_t *pattern(size_t len, uint32_t seed)
{
    uint8_t *p = malloc(len ? len : 1);
    uint32_t x = seed;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
    return p;
}

static void test_mem_reads(void **state)
{
    uint8_t data[1000];
    for (int i = 0; i < 1000; i++)
        data[i] = (uint8_t)(i * 7);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open_mem(data, sizeof data, &img, &err), 0);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "mem");
    assert_int_equal(info->media_size, 1000);
    assert_int_equal(ev_size(img), 1000);
    assert_int_equal(info->nsegments, 0);
    assert_null(info->stored_md5);

    uint8_t buf[64];
    size_t got = 99;
    assert_int_equal(ev_read(img, 10, buf, 20, &got, &err), 0);
    assert_int_equal(got, 20);
    assert_memory_equal(buf, data + 10, 20);
    /* Short only at the end of the media; nothing past it. */
    assert_int_equal(ev_read(img, 990, buf, 64, &got, &err), 0);
    assert_int_equal(got, 10);
    assert_memory_equal(buf, data + 990, 10);
    assert_int_equal(ev_read(img, 1000, buf, 64, &got, &err), 0);
    assert_int_equal(got, 0);
    assert_int_equal(ev_read(img, UINT64_MAX, buf, 64, &got, &err), 0);
    assert_int_equal(got, 0);
    ev_close(img);
    ev_close(NULL);

    assert_int_equal(ev_open_mem(NULL, 5, &img, &err), TRAWL_EUSAGE);
    assert_int_equal(ev_open_mem(NULL, 0, &img, &err), 0);
    assert_int_equal(ev_size(img), 0);
    ev_close(img);
}

static void test_raw(void **state)
{
    char *dir = tmpdir();
    char *path = join(dir, "disk.dd");
    size_t len = 3 * 1024 * 1024 + 17;
    uint8_t *data = pattern(len, 1);
    spew(path, data, len);

    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), 0);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "raw");
    assert_int_equal(info->media_size, len);
    assert_int_equal(info->nsegments, 1);
    assert_string_equal(info->segments[0], path);
    assert_int_equal(info->nmeta, 0);
    assert_int_equal(info->nerrors, 0);

    uint8_t *buf = malloc(len + 100);
    size_t got = 0;
    assert_int_equal(ev_read(img, 0, buf, len + 100, &got, &err), 0);
    assert_int_equal(got, len);
    assert_memory_equal(buf, data, len);
    assert_int_equal(ev_read(img, len - 5, buf, 100, &got, &err), 0);
    assert_int_equal(got, 5);
    assert_memory_equal(buf, data + len - 5, 5);
    ev_close(img);

    /* A raw file is never written: its bytes and mtime stay as they were. */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, len);

    free(buf);
    free(data);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

typedef struct reader_arg {
    ev_image *img;
    const uint8_t *data;
    size_t len;
    uint32_t seed;
    int bad;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *a = p;
    uint32_t x = a->seed;
    uint8_t buf[5000];
    for (int i = 0; i < 2000; i++) {
        x = x * 1103515245u + 12345u;
        uint64_t off = x % a->len;
        size_t n = 1 + (x >> 8) % sizeof buf;
        size_t got = 0;
        trawl_err err;
        size_t want = off + n > a->len ? a->len - off : n;
        if (ev_read(a->img, off, buf, n, &got, &err) != 0 || got != want ||
            memcmp(buf, a->data + off, got) != 0)
            a->bad++;
    }
    return NULL;
}

/* Four threads read random ranges at once; every byte must match. */
static void run_threads(ev_image *img, const uint8_t *data, size_t len)
{
    pthread_t t[4];
    reader_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (reader_arg){img, data, len, (uint32_t)(i + 1) * 7919u, 0};
        assert_int_equal(pthread_create(&t[i], NULL, reader, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].bad, 0);
    }
}

static void test_raw_threads(void **state)
{
    char *dir = tmpdir();
    char *path = join(dir, "disk.raw");
    size_t len = 1 << 20;
    uint8_t *data = pattern(len, 2);
    spew(path, data, len);
    ev_image *img = NULL;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), 0);
    run_threads(img, data, len);
    ev_close(img);
    free(data);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void expect_refusal(const char *path, int code, const char *needle)
{
    ev_image *img = (ev_image *)0x1;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(path, &img, &err), code);
    assert_ptr_equal(img, (ev_image *)0x1); /* *out untouched on failure */
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, needle) || !strstr(err.msg, path))
        fail_msg("message \"%s\" lacks \"%s\" or the path", err.msg, needle);
    assert_null(strchr(err.msg, '\n'));
}

static void test_refusals(void **state)
{
    char *dir = tmpdir();
    char *missing = join(dir, "nothere.dd");
    expect_refusal(missing, TRAWL_EIO, "no such file");
    expect_refusal(dir, TRAWL_EUSAGE, "is a directory");

    char *empty = join(dir, "empty.E01");
    spew(empty, "", 0);
    expect_refusal(empty, TRAWL_EFORMAT, "empty file");

    /* EnCase 7 Ex01 (EWF2) and logical evidence are named and refused. */
    char *ex01 = join(dir, "disk.Ex01");
    uint8_t sig[600] = "EVF2\r\n\x81\x00";
    spew(ex01, sig, sizeof sig);
    expect_refusal(ex01, TRAWL_EUNSUPPORTED, "EnCase 7 Ex01 (EWF2) is not supported");
    char *l01 = join(dir, "files.L01");
    uint8_t lsig[600] = "LVF\x09\x0d\x0a\xff\x00";
    spew(l01, lsig, sizeof lsig);
    expect_refusal(l01, TRAWL_EUNSUPPORTED, "logical evidence");

    /* The signature decides, not the name: EWF1 bytes in a .dd file go to
     * libewf, which refuses this stub. */
    char *fake = join(dir, "fake.dd");
    uint8_t esig[2048] = "EVF\x09\x0d\x0a\xff\x00";
    spew(fake, esig, sizeof esig);
    ev_image *img;
    trawl_err err = {0, ""};
    assert_int_equal(ev_open(fake, &img, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, fake));
    assert_null(strchr(err.msg, '\n'));

    /* An E01 name on raw bytes is raw. */
    char *rawe01 = join(dir, "notreally.E01");
    spew(rawe01, "just some bytes", 15);
    assert_int_equal(ev_open(rawe01, &img, &err), 0);
    assert_string_equal(ev_describe(img)->format, "raw");
    assert_int_equal(ev_size(img), 15);
    ev_close(img);

    /* Unreadable: only meaningful when not running as root. */
    char *locked = join(dir, "locked.dd");
    spew(locked, "secret", 6);
    chmod(locked, 0);
    if (geteuid() != 0)
        expect_refusal(locked, TRAWL_EIO, "permission denied");

    /* A FIFO is refused at once, not waited on for a writer. */
    char *fifo = join(dir, "pipe.img");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_refusal(fifo, TRAWL_EUSAGE, "not a regular file or block device");
    unlink(fifo);
    free(fifo);

    assert_int_equal(ev_open(NULL, &img, &err), TRAWL_EUSAGE);
    const char *paths[] = {empty, ex01, l01, fake, rawe01, locked};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        unlink(paths[i]);
        free((void *)paths[i]);
    }
    rmdir(dir);
    free(missing);
    free(dir);
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* A fixed VHD is the raw disk followed by a 512-byte footer and nothing at
 * the start: it is found by the footer, and the media excludes it. */
static void test_fixed_vhd(void **state)
{
    char *dir = tmpdir();
    char *path = join(dir, "fixed.bin");
    size_t len = 1 << 20;
    uint8_t *file = malloc(len + 512);
    uint8_t *data = pattern(len, 3);
    memcpy(file, data, len);
    uint8_t *f = file + len;
    memset(f, 0, 512);
    memcpy(f, "conectix", 8);
    put_be(f + 8, 2, 4);
    put_be(f + 12, 0x00010000, 4);
    put_be(f + 16, UINT64_MAX, 8); /* no dynamic header */
    memcpy(f + 28, "trwl", 4);
    put_be(f + 32, 0x00010000, 4);
    memcpy(f + 36, "Wi2k", 4);
    put_be(f + 40, len, 8);
    put_be(f + 48, len, 8);
    put_be(f + 56, (30u << 16) | (4u << 8) | 17u, 4); /* C/H/S */
    put_be(f + 60, 2, 4);                             /* fixed */
    uint32_t sum = 0;
    for (int i = 0; i < 512; i++)
        sum += f[i];
    put_be(f + 64, ~sum, 4);
    spew(path, file, len + 512);

    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(path, &img, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(ev_describe(img)->format, "vhd");
    assert_int_equal(ev_size(img), len);
    uint8_t *buf = malloc(len);
    size_t got = 0;
    assert_int_equal(ev_read(img, 0, buf, len, &got, &err), 0);
    assert_int_equal(got, len);
    assert_memory_equal(buf, data, len);
    run_threads(img, data, len);
    ev_close(img);
    free(buf);
    free(data);
    free(file);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

/* A VMDK text descriptor is found by its first line, and its flat extent
 * next to it is listed as the second segment. */
static void test_vmdk_descriptor(void **state)
{
    char *dir = tmpdir();
    char *desc = join(dir, "disk.vmdk");
    char *flat = join(dir, "disk-flat.vmdk");
    size_t len = 1 << 20;
    uint8_t *data = pattern(len, 4);
    spew(flat, data, len);
    const char *text = "# Disk DescriptorFile\n"
                       "version=1\n"
                       "CID=fffffffe\n"
                       "parentCID=ffffffff\n"
                       "createType=\"monolithicFlat\"\n"
                       "\n"
                       "# Extent description\n"
                       "RW 2048 FLAT \"disk-flat.vmdk\" 0\n"
                       "\n"
                       "# The Disk Data Base\n"
                       "ddb.virtualHWVersion = \"4\"\n";
    spew(desc, text, strlen(text));

    ev_image *img = NULL;
    trawl_err err = {0, ""};
    if (ev_open(desc, &img, &err))
        fail_msg("%s", err.msg);
    const ev_info *info = ev_describe(img);
    assert_string_equal(info->format, "vmdk");
    assert_int_equal(info->media_size, len);
    assert_int_equal(info->nsegments, 2);
    assert_string_equal(info->segments[0], desc);
    assert_string_equal(info->segments[1], flat);
    uint8_t *buf = malloc(len);
    size_t got = 0;
    assert_int_equal(ev_read(img, 0, buf, len, &got, &err), 0);
    assert_int_equal(got, len);
    assert_memory_equal(buf, data, len);
    ev_close(img);

    /* Without its extent the descriptor is refused, naming the file. */
    unlink(flat);
    assert_int_equal(ev_open(desc, &img, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, desc));
    assert_null(strchr(err.msg, '\n'));
    free(buf);
    free(data);
    unlink(desc);
    rmdir(dir);
    free(desc);
    free(flat);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_reads),   cmocka_unit_test(test_raw),
        cmocka_unit_test(test_raw_threads), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_fixed_vhd),   cmocka_unit_test(test_vmdk_descriptor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
