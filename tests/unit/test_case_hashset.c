/* test_case_hashset.c: src/case/hashset.c.  A list with duplicates within
 * and across chunks, imported with a tiny in-memory chunk (so sorted runs are
 * spilled and merged) and with the default one, gives byte-identical tables
 * with the distinct count; every listed hash is found, others are not; the
 * md5sum, hashdeep and NSRL readers refuse bad lines with their number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/case_fs.h"

static char dir[64];

static void hex(char *out, size_t nbytes, unsigned seed)
{
    for (size_t i = 0; i < nbytes; i++) {
        seed = seed * 1103515245u + 12345u;
        sprintf(out + 2 * i, "%02x", (seed >> 16) & 0xff);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*len ? *len : 1);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static void test_chunked_equals_in_memory(void **state)
{
    (void)state;
    char list[128], casedir[128], p1[192], p2[192];
    snprintf(list, sizeof list, "%s/list.txt", dir);
    snprintf(casedir, sizeof casedir, "%s/case", dir);
    FILE *f = fopen(list, "w");
    assert_non_null(f);
    /* 3 x 700 distinct hashes, each written twice (once upper-case), and
     * some repeated far apart so duplicates land in different runs */
    static const size_t widths[3] = {16, 20, 32};
    char h[65];
    for (int rep = 0; rep < 2; rep++)
        for (unsigned i = 0; i < 700; i++)
            for (int t = 0; t < 3; t++) {
                hex(h, widths[t], i * 3 + (unsigned)t + 1);
                if (rep)
                    for (char *p = h; *p; p++)
                        if (*p >= 'a')
                            *p = (char)(*p - 'a' + 'A');
                fprintf(f, "%s  file%u\n", h, i);
            }
    fclose(f);
    case_db *c;
    trawl_err err = {0};
    assert_int_equal(case_open(casedir, 1, &c, &err), 0);
    uint64_t n1 = 0, n2 = 0;
    assert_int_equal(case_hashset_import_chunked(c, "small", "known", list, 100, &n1, &err), 0);
    assert_int_equal(case_hashset_import_chunked(c, "big", "notable", list, 0, &n2, &err), 0);
    assert_int_equal(n1, 2100);
    assert_int_equal(n2, 2100);
    snprintf(p1, sizeof p1, "%s/hashsets/small.bin", casedir);
    snprintf(p2, sizeof p2, "%s/hashsets/big.bin", casedir);
    size_t l1, l2;
    char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    assert_int_equal(l1, 64 + 700 * (16 + 20 + 32));
    assert_int_equal(l1, l2);
    assert_memory_equal(b1, b2, l1);
    free(b1);
    free(b2);
    /* no spill file is left behind */
    char spill[256];
    snprintf(spill, sizeof spill, "%s/hashsets/small.bin.tmp.spill0", casedir);
    assert_int_not_equal(access(spill, F_OK), 0);

    case_hashset *hs;
    assert_int_equal(case_hashset_open(c, "small", &hs, &err), 0);
    uint64_t m, s1, s2;
    case_hashset_counts(hs, &m, &s1, &s2);
    assert_int_equal(m, 700);
    assert_int_equal(s1, 700);
    assert_int_equal(s2, 700);
    for (unsigned i = 0; i < 700; i++)
        for (int t = 0; t < 3; t++) {
            hex(h, widths[t], i * 3 + (unsigned)t + 1);
            assert_true(case_hashset_has(hs, h));
            hex(h, widths[t], 100000 + i * 3 + (unsigned)t); /* not in the list */
            assert_false(case_hashset_has(hs, h));
        }
    assert_false(case_hashset_has(hs, "xyz"));
    assert_false(case_hashset_has(hs, NULL));
    case_hashset_close(hs);
    case_hashset_close(NULL);
    /* the same name again is refused */
    assert_int_equal(case_hashset_import(c, "small", "known", list, &n1, &err), TRAWL_EEXISTS);
    case_close(c);
}

static void test_refusals(void **state)
{
    (void)state;
    char casedir[128], path[128];
    snprintf(casedir, sizeof casedir, "%s/case2", dir);
    case_db *c;
    trawl_err err = {0};
    uint64_t n;
    assert_int_equal(case_open(casedir, 1, &c, &err), 0);
    snprintf(path, sizeof path, "%s/bad.md5", dir);
    FILE *f = fopen(path, "w");
    fputs("d41d8cd98f00b204e9800998ecf8427e  empty\n\n# comment\nd41d8cd98f  short\n", f);
    fclose(f);
    assert_int_equal(case_hashset_import(c, "bad", "known", path, &n, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, "bad.md5:4:"));
    snprintf(path, sizeof path, "%s/bad.hashdeep", dir);
    f = fopen(path, "w");
    fputs("%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n0,d41d8cd98f00b204e9800998ecf8427e,"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,/e\n1,zz,yy,/x\n",
          f);
    fclose(f);
    assert_int_equal(case_hashset_import(c, "bad", "known", path, &n, &err), TRAWL_EFORMAT);
    assert_non_null(strstr(err.msg, "bad.hashdeep:4:"));
    snprintf(path, sizeof path, "%s/empty.txt", dir);
    f = fopen(path, "w");
    fclose(f);
    assert_int_equal(case_hashset_import(c, "none", "known", path, &n, &err), TRAWL_EFORMAT);
    assert_int_equal(case_hashset_import(c, "../x", "known", path, &n, &err), TRAWL_EUSAGE);
    assert_int_equal(case_hashset_import(c, "x", "maybe", path, &n, &err), TRAWL_EUSAGE);
    case_close(c);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_case_hashset.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunked_equals_in_memory),
        cmocka_unit_test(test_refusals),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
