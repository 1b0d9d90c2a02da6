/* test_fs_walk.c: src/fs/walk.c through its contract, on images held in
 * memory (ev_open_mem): a FAT image the test builds with mkfs.vfat and
 * mtools, a buffer of noise with no file system, and a sink that fails.
 * The planted-value checks on NTFS, ext4 and real evidence are end-to-end
 * tests (tests/e2e/fs_*.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs/fs.h"

typedef struct rec {
    int nvol, nfile, nprob, fail_at;
    char paths[64][128];
    uint64_t sizes[64];
    int alloc[64];
    char md5[64][33];
    int64_t start[64];
    char status[256];
} rec;

static int on_vol(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    rec *r = ctx;
    snprintf(r->status, sizeof r->status, "%s", v->status);
    *key = 1000 + r->nvol++;
    return 0;
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    rec *r = ctx;
    if (r->fail_at && r->nfile + 1 == r->fail_at)
        return trawl_fail(err, TRAWL_ECASE, "sink refuses file %d", r->fail_at);
    assert_true(r->nfile < 64);
    snprintf(r->paths[r->nfile], sizeof r->paths[0], "%s", f->path);
    r->sizes[r->nfile] = f->size;
    r->alloc[r->nfile] = f->alloc;
    snprintf(r->md5[r->nfile], 33, "%s", f->md5 ? f->md5 : "");
    r->start[r->nfile] = f->data_start;
    *key = ++r->nfile;
    return 0;
}

static int on_problem(void *ctx, const char *msg, trawl_err *err)
{
    ((rec *)ctx)->nprob++;
    return 0;
}

static int find(const rec *r, const char *path)
{
    for (int i = 0; i < r->nfile; i++)
        if (!strcmp(r->paths[i], path))
            return i;
    return -1;
}

/* Build a 4 MiB FAT12 image with mtools; NULL (test skipped) without them. */
static uint8_t *make_fat(size_t *len)
{
    char dir[] = "/tmp/test_fs_walk.XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd %s && printf 'hello walk\\n' >a.txt && printf 'gone\\n' >b.txt &&"
             " mkfs.vfat -C -n WALK img 4096 >/dev/null 2>&1 &&"
             " MTOOLS_SKIP_CHECK=1 mcopy -i img a.txt b.txt ::/ &&"
             " MTOOLS_SKIP_CHECK=1 mdel -i img ::/b.txt",
             dir);
    uint8_t *buf = NULL;
    if (system(cmd) == 0) {
        char path[256];
        snprintf(path, sizeof path, "%s/img", dir);
        FILE *f = fopen(path, "rb");
        if (f) {
            buf = malloc(4u << 20);
            *len = fread(buf, 1, 4u << 20, f);
            fclose(f);
        }
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return buf;
}

static void test_fat_in_memory(void **state)
{
    (void)state;
    size_t len = 0;
    uint8_t *img = make_fat(&len);
    if (!img)
        skip();
    assert_int_equal(len, 4u << 20);
    ev_image *ev;
    trawl_err err = {0};
    assert_int_equal(ev_open_mem(img, len, &ev, &err), 0);
    rec r;
    memset(&r, 0, sizeof r);
    fs_sink sink = {&r, on_vol, on_file, NULL, NULL, on_problem};
    fs_map *map = NULL;
    const uint64_t base = 1u << 30; /* the image as the second of a device */
    assert_int_equal(fs_walk(ev, base, NULL, NULL, NULL, &sink, &map, &err), 0);
    assert_int_equal(r.nvol, 1);
    assert_string_equal(r.status, "ok");
    int a = find(&r, "/a.txt"), b = find(&r, "/_.txt");
    assert_true(a >= 0);
    assert_true(b >= 0); /* the deleted b.txt, its first byte overwritten */
    assert_int_equal(r.alloc[b], 0);
    assert_string_equal(r.md5[b], "b1304b81a2e029bff466f2c245f1dbfd"); /* "gone\n" */
    assert_int_equal(r.sizes[a], 11);
    assert_int_equal(r.alloc[a], 1);
    assert_string_equal(r.md5[a], "e8e176f33c7c1c292c720b3131138002"); /* md5 of "hello walk\n" */
    assert_true(r.start[a] > (int64_t)base);
    /* the data start maps back to the file; 10 bytes on is still it (covered 0:
     * contiguous files are left to the raw scan); the boot sector is metadata */
    int64_t key;
    const char *area;
    int covered;
    assert_int_equal(fs_map_lookup(map, (uint64_t)r.start[a] + 10, &key, &area, &covered), 1);
    assert_int_equal(key, a + 1);
    assert_null(area);
    assert_int_equal(covered, 0);
    assert_int_equal(fs_map_lookup(map, (uint64_t)r.start[a] + 100, &key, &area, &covered), 1);
    assert_string_equal(area, FS_AREA_SLACK);
    assert_int_equal(fs_map_lookup(map, base + 10, &key, &area, &covered), 1);
    assert_string_equal(area, FS_AREA_METADATA);
    assert_int_equal(fs_map_lookup(map, base + len - 512, &key, &area, &covered), 1);
    assert_string_equal(area, FS_AREA_UNALLOCATED);
    assert_int_equal(fs_map_lookup(map, 10, &key, &area, &covered), 0); /* before the image */
    fs_map_free(map);

    /* a sink error stops the walk with the sink's code */
    memset(&r, 0, sizeof r);
    r.fail_at = 2;
    assert_int_equal(fs_walk(ev, 0, NULL, NULL, NULL, &sink, NULL, &err), TRAWL_ECASE);
    assert_int_equal(r.nfile, 1);
    ev_close(ev);
    free(img);
}

static void test_noise_is_not_fatal(void **state)
{
    (void)state;
    size_t len = 1u << 20;
    uint8_t *img = malloc(len);
    srand(3);
    for (size_t i = 0; i < len; i++)
        img[i] = (uint8_t)rand();
    ev_image *ev;
    trawl_err err = {0};
    assert_int_equal(ev_open_mem(img, len, &ev, &err), 0);
    rec r;
    memset(&r, 0, sizeof r);
    fs_sink sink = {&r, on_vol, on_file, NULL, NULL, on_problem};
    fs_map *map = NULL;
    assert_int_equal(fs_walk(ev, 0, NULL, NULL, NULL, &sink, &map, &err), 0);
    assert_int_equal(r.nvol, 1);
    assert_int_equal(r.nfile, 0);
    assert_int_equal(r.nprob, 1);
    assert_non_null(strstr(r.status, "no file system TSK can read"));
    /* nothing known there: unattributed, not an area */
    int64_t key;
    const char *area;
    int covered;
    assert_int_equal(fs_map_lookup(map, 4096, &key, &area, &covered), 1);
    assert_int_equal(key, 0);
    assert_null(area);
    fs_map_free(map);
    ev_close(ev);
    free(img);
}

static void test_rules(void **state)
{
    (void)state;
    char path[] = "/tmp/test_fs_rules.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *bad = "rule a { condition: true }\n\nrule b { condition: nope }\n";
    assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    fs_rules *rules = NULL;
    trawl_err err = {0};
    assert_int_equal(fs_rules_compile(path, &rules, &err), TRAWL_EFORMAT);
    assert_null(rules);
    char want[64];
    snprintf(want, sizeof want, "%s:3:", path);
    assert_non_null(strstr(err.msg, want));
    FILE *f = fopen(path, "w");
    fputs("rule ok : t1 t2 { strings: $a = \"x\" condition: $a }\n", f);
    fclose(f);
    assert_int_equal(fs_rules_compile(path, &rules, &err), 0);
    fs_rules_free(rules);
    fs_rules_free(NULL);
    unlink(path);
    assert_int_not_equal(fs_rules_compile("/nonexistent/rules.yar", &rules, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fat_in_memory),
        cmocka_unit_test(test_noise_is_not_fatal),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
