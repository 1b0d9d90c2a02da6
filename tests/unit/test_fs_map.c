/* test_fs_map.c: src/fs/fs_map.c, the interval index behind attribution:
 * overlapping intervals are painted best priority first, adjacent equal
 * labels merge, and look-ups answer at every boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fs/fs_int.h"

typedef struct want {
    uint64_t off;
    int in;
    int64_t key;
    const char *area;
    int covered;
} want;

static void check(const fs_map *m, const want *w)
{
    for (; w->off != UINT64_MAX; w++) {
        int64_t key;
        const char *area;
        int cov;
        int in = fs_map_lookup(m, w->off, &key, &area, &cov);
        assert_int_equal(in, w->in);
        assert_int_equal(key, w->key);
        if (w->area)
            assert_string_equal(area, w->area);
        else
            assert_null(area);
        assert_int_equal(cov, w->covered);
    }
}

static void test_priorities(void **state)
{
    (void)state;
    trawl_err err = {0};
    fs_mapb *b = fs_mapb_new();
    assert_non_null(b);
    /* device 0..10000, a volume 1000..9000, unallocated 5000..8000, a live
     * file 2000..3000 (covered), its slack 3000..3512, a deleted file whose
     * runs overlap the live file (2500..2600) and unallocated (6000..6100),
     * a resident file inside the live one (2100..2150) */
    assert_int_equal(fs_mapb_add(b, 0, 10000, FS_PRIO_DEVICE, 0, FS_AREA_UNPART, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 1000, 8000, FS_PRIO_VOLUME, 0, FS_AREA_META, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 5000, 3000, FS_PRIO_UNALLOC, 0, FS_AREA_UNALLOC, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 2500, 100, FS_PRIO_DELETED, 9, FS_AREA_NONE, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 6000, 100, FS_PRIO_DELETED, 9, FS_AREA_NONE, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 2000, 1000, FS_PRIO_ALLOC, 7, FS_AREA_NONE, 1, &err), 0);
    assert_int_equal(fs_mapb_add(b, 3000, 512, FS_PRIO_SLACK, 7, FS_AREA_SLACK_ID, 0, &err), 0);
    assert_int_equal(fs_mapb_add(b, 2100, 50, FS_PRIO_RESIDENT, 8, FS_AREA_NONE, 1, &err), 0);
    assert_int_equal(fs_mapb_add(b, 100, 0, FS_PRIO_ALLOC, 5, FS_AREA_NONE, 0, &err),
                     0); /* empty */
    fs_map *m;
    assert_int_equal(fs_mapb_finish(b, &m, &err), 0);
    fs_mapb_free(b);
    want w[] = {
        {0, 1, 0, FS_AREA_UNPARTITIONED, 0},
        {999, 1, 0, FS_AREA_UNPARTITIONED, 0},
        {1000, 1, 0, FS_AREA_METADATA, 0},
        {1999, 1, 0, FS_AREA_METADATA, 0},
        {2000, 1, 7, NULL, 1},
        {2099, 1, 7, NULL, 1},
        {2100, 1, 8, NULL, 1},
        {2149, 1, 8, NULL, 1},
        {2150, 1, 7, NULL, 1},
        {2550, 1, 7, NULL, 1}, /* live wins */
        {2999, 1, 7, NULL, 1},
        {3000, 1, 7, FS_AREA_SLACK, 0},
        {3511, 1, 7, FS_AREA_SLACK, 0},
        {3512, 1, 0, FS_AREA_METADATA, 0},
        {5000, 1, 0, FS_AREA_UNALLOCATED, 0},
        {6000, 1, 9, NULL, 0}, /* deleted wins */
        {6099, 1, 9, NULL, 0},
        {6100, 1, 0, FS_AREA_UNALLOCATED, 0},
        {7999, 1, 0, FS_AREA_UNALLOCATED, 0},
        {8000, 1, 0, FS_AREA_METADATA, 0},
        {9000, 1, 0, FS_AREA_UNPARTITIONED, 0},
        {9999, 1, 0, FS_AREA_UNPARTITIONED, 0},
        {10000, 0, 0, NULL, 0},
        {UINT64_MAX, 0, 0, NULL, 0},
    };
    check(m, w);
    /* 0-1000 | 1000-2000 | 2000-2100 | 2100-2150 | 2150-3000 | slack | meta |
     * unalloc | deleted | unalloc | meta | unpart */
    assert_int_equal(fs_map_size(m), 12);
    fs_map_free(m);
}

static void test_unknown_volume_and_empty(void **state)
{
    (void)state;
    trawl_err err = {0};
    fs_mapb *b = fs_mapb_new();
    assert_int_equal(fs_mapb_add(b, 0, 4096, FS_PRIO_DEVICE, 0, FS_AREA_UNPART, 0, &err), 0);
    /* a volume TSK could not read: nothing known, hits stay unattributed */
    assert_int_equal(fs_mapb_add(b, 512, 1024, FS_PRIO_VOLUME, 0, FS_AREA_UNKNOWN, 0, &err), 0);
    fs_map *m;
    assert_int_equal(fs_mapb_finish(b, &m, &err), 0);
    fs_mapb_free(b);
    want w[] = {{511, 1, 0, FS_AREA_UNPARTITIONED, 0},
                {512, 1, 0, NULL, 0},
                {1535, 1, 0, NULL, 0},
                {1536, 1, 0, FS_AREA_UNPARTITIONED, 0},
                {UINT64_MAX, 0, 0, NULL, 0}};
    check(m, w);
    fs_map_free(m);
    /* an empty map answers "not inside" */
    b = fs_mapb_new();
    assert_int_equal(fs_mapb_finish(b, &m, &err), 0);
    fs_mapb_free(b);
    want none[] = {{0, 0, 0, NULL, 0}, {UINT64_MAX, 0, 0, NULL, 0}};
    check(m, none);
    assert_int_equal(fs_map_size(m), 0);
    fs_map_free(m);
    fs_map_free(NULL);
}

/* Many overlapping intervals: the result equals a brute-force painting. */
static void test_random_against_brute_force(void **state)
{
    (void)state;
    enum { N = 400, SPAN = 5000 };
    trawl_err err = {0};
    static int64_t brute_key[SPAN];
    static int brute_prio[SPAN];
    srand(7);
    fs_mapb *b = fs_mapb_new();
    for (int i = 0; i < SPAN; i++)
        brute_prio[i] = 99;
    for (int i = 0; i < N; i++) {
        uint64_t s = (uint64_t)(rand() % SPAN), len = (uint64_t)(1 + rand() % 300);
        if (s + len > SPAN)
            len = SPAN - s;
        int prio = rand() % 7;
        assert_int_equal(fs_mapb_add(b, s, len, prio, i + 1, FS_AREA_NONE, 0, &err), 0);
        for (uint64_t k = s; k < s + len; k++)
            if (prio < brute_prio[k]) { /* first added wins among equals */
                brute_prio[k] = prio;
                brute_key[k] = i + 1;
            }
    }
    fs_map *m;
    assert_int_equal(fs_mapb_finish(b, &m, &err), 0);
    fs_mapb_free(b);
    for (uint64_t k = 0; k < SPAN; k++) {
        int64_t key;
        const char *area;
        int cov;
        int in = fs_map_lookup(m, k, &key, &area, &cov);
        assert_int_equal(in, brute_prio[k] != 99);
        assert_int_equal(key, brute_prio[k] != 99 ? brute_key[k] : 0);
    }
    fs_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priorities),
        cmocka_unit_test(test_unknown_volume_and_empty),
        cmocka_unit_test(test_random_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
