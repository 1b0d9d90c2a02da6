/* test_report_watch.c: report_candidates, the one expansion of a typed
 * value that `trawl find` and the watch lists share: the normalized forms
 * spanning the most of the value, the value as typed, and a bare handle
 * under the case's own services first, then the built-in list, as typed and
 * in lower case; no repeats within a value, entries kept apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/case.h"
#include "case/link_store.h"
#include "report/watch.h"

static size_t count(const report_cand *v, size_t n, size_t entry, const char *value)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].entry == entry && !strcmp(v[i].value, value);
    return k;
}

static void test_candidates(void **state)
{
    (void)state;
    char dir[64] = "/tmp/test_report_watch.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof path, "%s/case", dir);
    case_db *c = NULL;
    trawl_err err = {0};
    if (case_open(path, CASE_CREATE, &c, &err))
        fail_msg("case_open: %s", err.msg);
    /* a service only the case knows, as the link stage stores it: the
     * account and the count of the device holding it */
    assert_int_equal(case_account_put(c, "mastodon", "someone", "d", 1, "", &err), 0);
    assert_int_equal(case_account_device_put(c, "mastodon", "d", 1, 0, &err), 0);

    char *values[] = {"Boss@Example.ORG", "@Troll_One", "a/b", "troll_one"};
    report_cand *v = NULL;
    size_t n = 0;
    if (report_candidates(c, values, 4, &v, &n, &err))
        fail_msg("report_candidates: %s", err.msg);

    /* e-mail: the address normalized and as typed, not its domain, no handle */
    assert_int_equal(count(v, n, 0, "boss@example.org"), 1);
    assert_int_equal(count(v, n, 0, "Boss@Example.ORG"), 1);
    assert_int_equal(count(v, n, 0, "example.org"), 0);
    for (size_t i = 0; i < n; i++)
        if (v[i].entry == 0)
            assert_null(strchr(v[i].value, ':'));

    /* a bare handle: every service, as typed and lower case, the case's own too */
    assert_int_equal(count(v, n, 1, "@Troll_One"), 1);
    assert_int_equal(count(v, n, 1, "mastodon:Troll_One"), 1);
    assert_int_equal(count(v, n, 1, "mastodon:troll_one"), 1);
    assert_int_equal(count(v, n, 1, "x:Troll_One"), 1);
    assert_int_equal(count(v, n, 1, "x:troll_one"), 1);
    assert_int_equal(count(v, n, 1, "skype:troll_one"), 1);
    /* already lower case: each service once (no repeat within the value) */
    assert_int_equal(count(v, n, 3, "x:troll_one"), 1);
    assert_int_equal(count(v, n, 3, "mastodon:troll_one"), 1);

    /* a path-like value is no handle */
    size_t e2 = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].entry == 2) {
            e2++;
            assert_null(strchr(v[i].value, ':'));
        }
    assert_true(e2 >= 1);
    assert_int_equal(count(v, n, 2, "a/b"), 1);

    /* in order of the values */
    for (size_t i = 1; i < n; i++)
        assert_true(v[i - 1].entry <= v[i].entry);
    report_candidates_free(v, n);
    case_close(c);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
