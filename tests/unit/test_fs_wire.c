/* test_fs_wire.c: fs_wire_count, the file counter behind the progress line
 * of the file-system walk, against the reader itself on real streams (the
 * fuzz seeds: streams of walks of the test fixtures), fed in pieces of
 * every size from 1 byte up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "fs/fs_wire.h"

static int on_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    (void)ctx, (void)v, (void)err;
    *key = 1;
    return 0;
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    (void)f, (void)err;
    *key = (int64_t)++ * (uint64_t *)ctx;
    return 0;
}

static int on_hit(void *ctx, int64_t k, const scan_hit *h, trawl_err *err)
{
    (void)ctx, (void)k, (void)h, (void)err;
    return 0;
}

static int on_yara(void *ctx, const fs_yara_hit *y, trawl_err *err)
{
    (void)ctx, (void)y, (void)err;
    return 0;
}

static int on_problem(void *ctx, const char *m, trawl_err *err)
{
    (void)ctx, (void)m, (void)err;
    return 0;
}

/* The files the reader replays from the stream in buf; -1 for a stream it
 * refuses (some seeds are cut short or damaged on purpose). */
static int64_t replayed(uint8_t *buf, size_t len)
{
    FILE *f = fmemopen(buf, len, "rb");
    assert_non_null(f);
    uint64_t files = 0;
    fs_sink sink = {&files, on_volume, on_file, on_hit, on_yara, on_problem};
    fs_map *maps[1] = {NULL};
    fs_wire_result res;
    trawl_err err = {0};
    int rc = fs_wire_read(f, 1, &sink, maps, &res, &err);
    fs_map_free(maps[0]);
    fclose(f);
    return rc == 0 && res.done ? (int64_t)files : -1;
}

static void test_count_equals_reader(void **state)
{
    (void)state;
    const char *src = getenv("TRAWL_SRC");
    assert_non_null(src);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/fs_stream_corpus", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int streams = 0;
    uint64_t all = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        FILE *f = fopen(p, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 22];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        int64_t want = replayed(buf, len);
        if (want < 0)
            continue;
        for (size_t step = 1; step <= 4099; step = step * 2 + 1) {
            fs_wire_counter k;
            memset(&k, 0, sizeof k);
            for (size_t off = 0; off < len; off += step)
                fs_wire_count(&k, buf + off, step < len - off ? step : len - off);
            assert_int_equal(k.files, (uint64_t)want);
        }
        streams++;
        all += (uint64_t)want;
    }
    closedir(d);
    assert_true(streams >= 3);
    assert_true(all > 10); /* the seeds list files: the count is not trivially 0 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_equals_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
