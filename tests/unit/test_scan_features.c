/* test_scan_features.c: the feature-file and histogram writer
 * (src/scan/features.c): exact bytes of the header, rows and escaping, and
 * histogram order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan/features.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void test_feature_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/trawl-ff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    scan_ffile *f;
    trawl_err err;
    assert_int_equal(scan_ffile_open(dir, "email", "disk.E01", &f, &err), 0);
    const uint8_t ctx1[] = "to: a@b.com\tx\x01\xff\\";
    assert_int_equal(scan_ffile_row(f, "1048576", "a@b.com", 7, ctx1, sizeof ctx1 - 1, &err), 0);
    const uint8_t ctx2[] = "caf\xc3\xa9 z@y.org";
    assert_int_equal(
        scan_ffile_row(f, "512-GZIP-120-BASE64-40", "z@y.org", 7, ctx2, sizeof ctx2 - 1, &err), 0);
    assert_int_equal(scan_ffile_close(f, &err), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/email.txt", dir);
    assert_string_equal(slurp(path), "# BANNER FILE NOT PROVIDED (-b option)\n"
                                     "# TRAWL-Version: " TRAWL_VERSION "\n"
                                     "# Feature-Recorder: email\n"
                                     "# Filename: disk.E01\n"
                                     "# Feature-File-Version: 1.1\n"
                                     "1048576\ta@b.com\tto: a@b.com\\x09x\\x01\\xFF\\x5C\n"
                                     "512-GZIP-120-BASE64-40\tz@y.org\tcaf\xc3\xa9 z@y.org\n");
    unlink(path);

    scan_histogram *h;
    assert_int_equal(scan_histogram_open(dir, "email", "disk.E01", &h, &err), 0);
    const char *feats[] = {"b@x.com", "a@x.com", "c@x.com", "b@x.com", "c@x.com", "c@x.com"};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(scan_histogram_add(h, feats[i], strlen(feats[i]), 1, &err), 0);
    assert_int_equal(scan_histogram_add(h, "d@x.com", 7, 2, &err), 0);
    assert_int_equal(scan_histogram_close(h, &err), 0);
    snprintf(path, sizeof path, "%s/email_histogram.txt", dir);
    assert_string_equal(slurp(path), "# BANNER FILE NOT PROVIDED (-b option)\n"
                                     "# TRAWL-Version: " TRAWL_VERSION "\n"
                                     "# Feature-Recorder: email\n"
                                     "# Filename: disk.E01\n"
                                     "# Histogram-File-Version: 1.1\n"
                                     "n=3\tc@x.com\n"
                                     "n=2\tb@x.com\n"
                                     "n=2\td@x.com\n"
                                     "n=1\ta@x.com\n");
    unlink(path);
    rmdir(dir);
}

static void test_write_errors(void **state)
{
    (void)state;
    scan_ffile *f = NULL;
    trawl_err err;
    assert_int_not_equal(scan_ffile_open("/nonexistent/dir", "email", "x", &f, &err), 0);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/email.txt"));
    assert_int_equal(scan_ffile_close(NULL, &err), 0);
    assert_int_not_equal(scan_ffile_open("/tmp", "../etc", "x", &f, &err), 0); /* bad type */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_file),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
