/* test_util_fault.c: the fault table (src/util/fault.c): what TRAWL_FAULT
 * accepts, and that the wrapped calls of this very program (linked like
 * trawl, with --wrap) fail at the Nth call: an allocation alone (alloc:N),
 * and a full disk (write:N+: the Nth write is short, every later one fails
 * with ENOSPC).  The table is one per process: the tests run in order and
 * arm it relative to the counts so far. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/fault.h"

static void test_specs(void **state)
{
    (void)state;
    trawl_err err = {0};
    int on = 1;
    assert_int_equal(fault_arm(NULL, &on, &err), 0);
    assert_int_equal(on, 0);
    assert_int_equal(fault_arm("", &on, &err), 0);
    assert_int_equal(on, 0);
    const char *bad[] = {"alloc",  "alloc:",    "alloc:0",  "alloc:x", "alloc:3x",
                         "disk:3", "write:3++", "write:-1", "count:1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(fault_arm(bad[i], &on, &err), TRAWL_EUSAGE);
        assert_non_null(strstr(err.msg, "TRAWL_FAULT"));
        assert_int_equal(on, 0);
    }
    assert_int_equal(fault_armed(), 0);
}

/* The Nth allocation from now fails, the ones around it do not. */
static void test_alloc_nth(void **state)
{
    (void)state;
    trawl_err err = {0};
    int on = 0;
    /* Nothing counts before fault_start. */
    assert_int_equal(fault_arm("alloc:3", &on, &err), 0);
    assert_int_equal(on, 1);
    free(malloc(1));
    fault_start();
    assert_int_equal(fault_armed(), 1);
    void *a = malloc(16), *b = calloc(1, 16);
    assert_non_null(a);
    assert_non_null(b);
    errno = 0;
    char *c = strdup("three");
    assert_null(c);
    assert_int_equal(errno, ENOMEM);
    void *d = realloc(NULL, 32);
    assert_non_null(d);
    unsigned long n[FAULT_KINDS];
    fault_counts(n);
    assert_int_equal(n[FAULT_ALLOC], 4);
    free(a), free(b), free(d);
}

/* write:N+ counted from now: a full disk at the 2nd write. */
static void test_disk_fills(void **state)
{
    (void)state;
    unsigned long n[FAULT_KINDS];
    fault_counts(n);
    char spec[64];
    snprintf(spec, sizeof spec, "write:%lu+", n[FAULT_WRITE] + 2);
    trawl_err err = {0};
    int on = 0;
    assert_int_equal(fault_arm(spec, &on, &err), 0);
    fault_start();
    char path[] = "/tmp/trawl-test-fault.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd > 2);
    assert_int_equal(write(fd, "abcdefgh", 8), 8);
    assert_int_equal(write(fd, "12345678", 8), 4); /* the disk fills */
    errno = 0;
    assert_int_equal(write(fd, "x", 1), -1);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(fsync(fd), -1);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fwrite("y", 1, 1, f), 0);
    assert_int_equal(fclose(f), EOF); /* closed all the same */
    assert_int_equal(rename(path, "/tmp/trawl-test-fault.renamed"), -1);
    /* Standard error is never failed. */
    assert_true(fprintf(stderr, "test_util_fault: stderr still written\n") > 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_alloc_nth),
        cmocka_unit_test(test_disk_fills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
