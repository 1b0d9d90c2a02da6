/* test_case_audit.c: the case folder and its hash-chained audit log
 * (src/case/case.c, src/case/audit.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/audit.h"
#include "case/case.h"
#include "case/case_int.h"
#include "util/digest.h"

#include "case_tmp.h"

static void add(case_db *c, const char *action)
{
    char *argv[] = {"trawl", "test", "a\"quote"};
    case_audit_entry e = {.action = action,
                          .examiner = "tester",
                          .argc = 3,
                          .argv = argv,
                          .outcome = "ok",
                          .detail = "d\n1"};
    trawl_err err = {0};
    assert_int_equal(case_audit(c, &e, &err), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static void spew(const char *path, const char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(buf, 1, len, f);
    fclose(f);
}

/* Build a case with three audit lines; return the log's path. */
static char *three_lines(char **dir)
{
    *dir = tmpcase_tagged("case");
    case_db *c = NULL;
    trawl_err err = {0};
    assert_int_equal(case_open(*dir, 1, &c, &err), 0);
    add(c, "one");
    add(c, "two");
    add(c, "three");
    size_t n = 0;
    assert_int_equal(case_audit_check(c, &n, &err), 0);
    assert_int_equal(n, 3);
    case_close(c);
    char *log = malloc(strlen(*dir) + 16);
    sprintf(log, "%s/audit.log", *dir);
    return log;
}

static int check(const char *dir)
{
    case_db *c = NULL;
    trawl_err err = {0};
    assert_int_equal(case_open(dir, 0, &c, &err), 0);
    size_t n = 0;
    int rc = case_audit_check(c, &n, &err);
    case_close(c);
    return rc;
}

static void test_chain_links_lines(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    size_t len;
    char *buf = slurp(log, &len);
    /* First line's prev is 64 zeros; the second's is the SHA-256 of the first. */
    char *nl = strchr(buf, '\n');
    assert_non_null(nl);
    assert_non_null(strstr(
        buf, "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\"}\n"));
    char h[65];
    digest_sha256_hex(buf, (size_t)(nl - buf), h);
    char want[100];
    snprintf(want, sizeof want, "\"prev\":\"%s\"}", h);
    assert_non_null(strstr(nl + 1, want));
    assert_non_null(strstr(buf, "\"argv\":[\"trawl\",\"test\",\"a\\\"quote\"]"));
    assert_non_null(strstr(buf, "\"detail\":\"d\\n1\""));
    free(buf);
    free(log);
    rmcase(dir);
}

static void test_edit_breaks_chain(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    size_t len;
    char *buf = slurp(log, &len);
    char *p = strstr(buf, "\"two\"");
    assert_non_null(p);
    p[1] = 'T';
    spew(log, buf, len);
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    free(buf);
    free(log);
    rmcase(dir);
}

static void test_edit_last_line_breaks_chain(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    size_t len;
    char *buf = slurp(log, &len);
    char *p = strstr(buf, "\"three\"");
    p[1] = 'T';
    spew(log, buf, len);
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    free(buf);
    free(log);
    rmcase(dir);
}

static void test_delete_and_truncate_break_chain(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    size_t len;
    char *buf = slurp(log, &len);
    /* Remove the middle line. */
    char *l2 = strchr(buf, '\n') + 1;
    char *l3 = strchr(l2, '\n') + 1;
    char *cut = malloc(len);
    size_t n1 = (size_t)(l2 - buf);
    memcpy(cut, buf, n1);
    memcpy(cut + n1, l3, len - (size_t)(l3 - buf));
    spew(log, cut, len - (size_t)(l3 - l2));
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    /* Drop the last line. */
    spew(log, buf, (size_t)(l3 - buf));
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    /* Cut inside the last line. */
    spew(log, buf, len - 10);
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    /* Put it back: holds again. */
    spew(log, buf, len);
    assert_int_equal(check(dir), 0);
    free(cut);
    free(buf);
    free(log);
    rmcase(dir);
}

/* A line appended (with its pending hash) whose transaction never
 * committed, as a kill leaves it: the next open keeps it and appends a
 * "recover" line; without the pending hash the same line is a forgery. */
static void torn_line(const char *dir, const char *log, int with_pending)
{
    size_t len;
    char *buf = slurp(log, &len);
    char *last = buf + len - 1;
    while (last > buf && last[-1] != '\n')
        last--;
    char h[65], line[200];
    digest_sha256_hex(last, (size_t)(buf + len - 1 - last), h);
    snprintf(line, sizeof line, "{\"action\":\"scan\",\"outcome\":\"ok\",\"prev\":\"%s\"}", h);
    FILE *f = fopen(log, "ab");
    fprintf(f, "%s\n", line);
    fclose(f);
    if (with_pending) {
        char p[512], lh[65];
        snprintf(p, sizeof p, "%s/audit.pending", dir);
        digest_sha256_hex(line, strlen(line), lh);
        spew(p, lh, 64);
    }
    free(buf);
}

static void test_recover_torn_line(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    torn_line(dir, log, 1);
    assert_int_equal(check(dir), 0);
    size_t len;
    char *buf = slurp(log, &len);
    assert_non_null(strstr(buf, "\"action\":\"recover\""));
    free(buf);
    free(log);
    rmcase(dir);

    log = three_lines(&dir);
    torn_line(dir, log, 0);
    assert_int_equal(check(dir), TRAWL_EINTEGRITY);
    free(log);
    rmcase(dir);
}

/* A full disk or a power loss in the middle of an append leaves half a
 * line after lines case.db chains to: the next writer cuts it off and
 * says so; the lines before it are kept byte for byte. */
static void test_recover_half_line(void **state)
{
    (void)state;
    char *dir;
    char *log = three_lines(&dir);
    size_t len;
    char *before = slurp(log, &len);
    FILE *f = fopen(log, "ab");
    fputs("{\"action\":\"scan\",\"outco", f);
    fclose(f);
    assert_int_equal(check(dir), 0);
    size_t after_len;
    char *after = slurp(log, &after_len);
    assert_true(after_len > len);
    assert_memory_equal(after, before, len);
    assert_non_null(strstr(after + len, "\"action\":\"recover\""));
    assert_non_null(strstr(after + len, "cut short (23 bytes"));
    assert_null(strstr(after + len, "outco\n"));
    free(after);
    free(before);
    free(log);
    rmcase(dir);
}

static void test_refuses_foreign_and_newer(void **state)
{
    (void)state;
    trawl_err err = {0};
    case_db *c = NULL;
    /* A folder that is not a case. */
    char tmpl[] = "/tmp/trawl-notcase-XXXXXX";
    char *d = mkdtemp(tmpl);
    char f[256];
    snprintf(f, sizeof f, "%s/something", d);
    spew(f, "x", 1);
    assert_int_equal(case_open(d, 1, &c, &err), TRAWL_ECASE);
    assert_non_null(strstr(err.msg, "not a trawl case"));
    assert_null(c);
    /* Missing case without create. */
    snprintf(f, sizeof f, "%s/nope", d);
    assert_int_equal(case_open(f, 0, &c, &err), TRAWL_ECASE);
    /* A newer schema. */
    char *dir = tmpcase_tagged("case");
    assert_int_equal(case_open(dir, 1, &c, &err), 0);
    assert_int_equal(case_exec(c, "UPDATE schema_version SET version=999", &err), 0);
    case_close(c);
    c = NULL;
    assert_int_equal(case_open(dir, 0, &c, &err), TRAWL_ECASE);
    assert_non_null(strstr(err.msg, "schema version 999"));
    rmcase(dir);
    rmtree(d);
}

/* CASE/audit.pending names the line of a transaction not yet known to
 * have committed: it is gone once the transaction commits (its own, or the
 * caller's), and stays when it rolls back, for the next writer to settle. */
static void test_pending_gone_after_commit(void **state)
{
    (void)state;
    char *dir = tmpcase_tagged("case");
    case_db *c = NULL;
    trawl_err err = {0};
    assert_int_equal(case_open(dir, 1, &c, &err), 0);
    char pending[600];
    snprintf(pending, sizeof pending, "%s/audit.pending", dir);
    add(c, "own");
    assert_int_not_equal(access(pending, F_OK), 0);
    assert_int_equal(case_begin(c, &err), 0);
    add(c, "inside");
    assert_int_equal(access(pending, F_OK), 0);
    assert_int_equal(case_commit(c, &err), 0);
    assert_int_not_equal(access(pending, F_OK), 0);
    assert_int_equal(case_begin(c, &err), 0);
    add(c, "rolled-back");
    case_rollback(c);
    assert_int_equal(access(pending, F_OK), 0);
    case_close(c);
    /* The next writer settles it: a recover line, the chain holds. */
    assert_int_equal(check(dir), 0);
    assert_int_not_equal(access(pending, F_OK), 0);
    rmcase(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_links_lines),
        cmocka_unit_test(test_edit_breaks_chain),
        cmocka_unit_test(test_edit_last_line_breaks_chain),
        cmocka_unit_test(test_delete_and_truncate_break_chain),
        cmocka_unit_test(test_recover_torn_line),
        cmocka_unit_test(test_recover_half_line),
        cmocka_unit_test(test_refuses_foreign_and_newer),
        cmocka_unit_test(test_pending_gone_after_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
