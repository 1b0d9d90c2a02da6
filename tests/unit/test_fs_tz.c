/* test_fs_tz.c: src/fs/tz.c, the zone rules read from TZif files: Berlin's
 * summer and winter offsets, both sides of its 2023 changes (a wall-clock
 * time that occurs twice, one that never occurs), a half-hour zone, three
 * zones used in turn (no shared state), UTC without a file, and names that
 * are refused (escaping the zoneinfo folder, unknown zones).  The expected
 * values are the zones' published offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "fs/tz.h"

/* Seconds since the epoch of a wall-clock time, read as UTC. */
static int64_t wall(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm);
}

static fs_tz *open_zone(const char *name)
{
    fs_tz *z = NULL;
    trawl_err err = {0};
    if (fs_tz_open(name, &z, &err))
        fail_msg("%s: %s", name ? name : "(UTC)", err.msg);
    return z;
}

static void test_berlin(void **state)
{
    fs_tz *z = open_zone("Europe/Berlin");
    /* CEST, UTC+2; CET, UTC+1 */
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 7, 1, 12, 0)), wall(2023, 7, 1, 10, 0));
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 1, 15, 12, 0)), wall(2023, 1, 15, 11, 0));
    assert_int_equal(fs_tz_offset(z, wall(2023, 7, 1, 10, 0)), 7200);
    assert_int_equal(fs_tz_offset(z, wall(2023, 1, 15, 11, 0)), 3600);
    /* 29 Oct 2023, 03:00 CEST -> 02:00 CET: 02:30 happens twice; read as CET */
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 10, 29, 2, 30)), wall(2023, 10, 29, 1, 30));
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 10, 29, 1, 59)), wall(2023, 10, 28, 23, 59));
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 10, 29, 3, 0)), wall(2023, 10, 29, 2, 0));
    /* 26 Mar 2023, 02:00 CET -> 03:00 CEST: 02:30 never happens; read as CET */
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 3, 26, 2, 30)), wall(2023, 3, 26, 1, 30));
    assert_int_equal(fs_tz_to_utc(z, wall(2023, 3, 26, 3, 0)), wall(2023, 3, 26, 1, 0));
    /* FAT's first year, and past 2037 (the last offset holds) */
    assert_int_equal(fs_tz_to_utc(z, wall(1980, 1, 1, 0, 0)), wall(1979, 12, 31, 23, 0));
    assert_int_equal(fs_tz_to_utc(z, wall(2100, 1, 1, 0, 0)), wall(2099, 12, 31, 23, 0));
    fs_tz_free(z);
}

static void test_zones_in_turn(void **state)
{
    fs_tz *b = open_zone("Europe/Berlin"), *k = open_zone("Asia/Kolkata"),
          *n = open_zone("America/New_York"), *u = open_zone(NULL);
    int64_t t = wall(2024, 6, 15, 8, 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fs_tz_to_utc(b, t), t - 7200);
        assert_int_equal(fs_tz_to_utc(k, t), t - 19800);
        assert_int_equal(fs_tz_to_utc(n, t), t + 4 * 3600);
        assert_int_equal(fs_tz_to_utc(u, t), t);
    }
    fs_tz_free(b), fs_tz_free(k), fs_tz_free(n), fs_tz_free(u);
    fs_tz *utc = open_zone("UTC");
    assert_int_equal(fs_tz_to_utc(utc, t), t);
    fs_tz_free(utc);
    fs_tz_free(NULL);
}

static void test_refused(void **state)
{
    const char *bad[] = {"../../etc/passwd",
                         "/etc/localtime",
                         "Europe/../../etc/passwd",
                         "Nowhere/Atlantis",
                         "",
                         "UTC+2",
                         "Europe/Berlin\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fs_tz *z = NULL;
        trawl_err err = {0};
        assert_int_equal(fs_tz_open(bad[i], &z, &err), TRAWL_EUSAGE);
        assert_null(z);
        assert_true(err.msg[0] != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin),
        cmocka_unit_test(test_zones_in_turn),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
