/* test_case_open.c: opening a case to read (src/case/case.c CASE_READ,
 * case_open_reader) and reading it through the named queries
 * (src/case/q_devices.c, link_store.c): a reader changes no byte of the
 * folder, even where a writer would migrate or recover. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case/audit.h"
#include "case/case.h"
#include "case/case_int.h"
#include "case/link_store.h"
#include "case/q_devices.h"
#include "util/digest.h"
#include "util/strbuf.h"

#include "case_tmp.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb.buf ? sb_detach(&sb) : strdup("");
}

/* "NAME SHA256\n" for every file of dir, sorted by name. */
static char *snapshot(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char p[600], h[65];
            size_t len;
            snprintf(p, sizeof p, "%s/%s", dir, names[i]->d_name);
            char *data = slurp(p, &len);
            digest_sha256_hex(data, len, h);
            free(data);
            sb_addf(&sb, "%s %s\n", names[i]->d_name, h);
        }
        free(names[i]);
    }
    free(names);
    return sb_detach(&sb);
}

/* A case with one device and image, two audit lines, and a third line
 * torn from its commit (with its pending hash): what a killed scan leaves,
 * which a writer would answer with a "recover" line. */
static char *make_case(void)
{
    char *dir = tmpcase_tagged("open");
    case_db *c = NULL;
    trawl_err err = {0};
    assert_int_equal(case_open(dir, CASE_CREATE, &c, &err), 0);
    assert_int_equal(
        case_exec(c,
                  "INSERT INTO devices(id, name, size, state) VALUES(7, 'dev1', 512, 'ok');"
                  "INSERT INTO images(device_id, seq, path, format, media_size, base, sha256,"
                  " verification) VALUES(7, 0, '/x/dev1.raw', 'raw', 512, 0, 'ab', 'computed');",
                  &err),
        0);
    char *argv[] = {"trawl", "test"};
    case_audit_entry e = {
        .action = "scan", .examiner = "t", .argc = 2, .argv = argv, .outcome = "ok"};
    assert_int_equal(case_audit(c, &e, &err), 0);
    assert_int_equal(case_audit(c, &e, &err), 0);
    case_close(c);

    char log[600], pending[600], h[65], lh[65], line[200];
    snprintf(log, sizeof log, "%s/audit.log", dir);
    snprintf(pending, sizeof pending, "%s/audit.pending", dir);
    size_t len;
    char *buf = slurp(log, &len);
    char *last = buf + len - 1;
    while (last > buf && last[-1] != '\n')
        last--;
    digest_sha256_hex(last, (size_t)(buf + len - 1 - last), h);
    free(buf);
    snprintf(line, sizeof line, "{\"action\":\"scan\",\"outcome\":\"ok\",\"prev\":\"%s\"}", h);
    FILE *f = fopen(log, "ab");
    fprintf(f, "%s\n", line);
    fclose(f);
    digest_sha256_hex(line, strlen(line), lh);
    f = fopen(pending, "wb");
    fwrite(lh, 1, 64, f);
    fclose(f);
    return dir;
}

static void test_read_changes_nothing(void **state)
{
    (void)state;
    char *dir = make_case();
    char *before = snapshot(dir);
    char dbpath[600];
    snprintf(dbpath, sizeof dbpath, "%s/case.db", dir);
    struct stat st0, st1;
    assert_int_equal(stat(dbpath, &st0), 0);
    trawl_err err = {0};
    case_db *c = NULL;
    assert_int_equal(case_open(dir, CASE_READ, &c, &err), 0);
    assert_int_equal(case_writable(c), 0);
    case_device_image row;
    case_rows *rows;
    int more;
    assert_int_equal(case_device_images(c, &row, &rows, &err), 0);
    assert_int_equal(case_rows_next(rows, &more, &err), 0);
    assert_int_equal(more, 1);
    assert_string_equal(row.name.s, "dev1");
    assert_int_equal(row.size.i, 512);
    assert_int_equal(row.identifiers.i, 0);
    assert_int_equal(row.md5.type, CASE_NULL);
    assert_string_equal(row.sha256.s, "ab");
    assert_int_equal(case_rows_next(rows, &more, &err), 0);
    assert_int_equal(more, 0);
    case_rows_close(rows);
    /* It cannot write even if asked. */
    assert_int_not_equal(case_exec(c, "DELETE FROM devices", &err), 0);
    case_close(c);
    char *after = snapshot(dir);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(stat(dbpath, &st1), 0);
    assert_int_equal(st0.st_mtim.tv_sec, st1.st_mtim.tv_sec);
    assert_int_equal(st0.st_mtim.tv_nsec, st1.st_mtim.tv_nsec);

    /* A writer does recover the torn line: the reader really left it. */
    assert_int_equal(case_open(dir, CASE_WRITE, &c, &err), 0);
    assert_int_equal(case_writable(c), 1);
    case_close(c);
    size_t len;
    char log[600];
    snprintf(log, sizeof log, "%s/audit.log", dir);
    char *buf = slurp(log, &len);
    assert_non_null(strstr(buf, "\"action\":\"recover\""));
    free(buf);
    free(before);
    rmcase(dir);
}

static void test_reader_connection(void **state)
{
    (void)state;
    char *dir = make_case();
    trawl_err err = {0};
    case_db *c = NULL, *r = NULL;
    assert_int_equal(case_open(dir, CASE_WRITE, &c, &err), 0);
    for (int map = 0; map < 2; map++) {
        assert_int_equal(case_open_reader(c, map, &r, &err), 0);
        assert_int_equal(case_writable(r), 0);
        case_link_device d;
        case_rows *rows;
        int more;
        assert_int_equal(case_devices_for_link(r, &d, &rows, &err), 0);
        assert_int_equal(case_rows_next(rows, &more, &err), 0);
        assert_int_equal(more, 1);
        assert_int_equal(d.id.i, 7);
        assert_string_equal(d.name.s, "dev1");
        assert_int_equal(d.scan_finished.type, CASE_NULL);
        case_rows_close(rows);
        case_close(r);
    }
    case_close(c);
    rmcase(dir);
}

static void test_read_refuses_missing(void **state)
{
    (void)state;
    trawl_err err = {0};
    case_db *c = NULL;
    char *dir = tmpcase_tagged("open");
    assert_int_equal(case_open(dir, CASE_READ, &c, &err), TRAWL_ECASE);
    assert_null(c);
    assert_non_null(strstr(err.msg, "no such case folder"));
    rmcase(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_changes_nothing),
        cmocka_unit_test(test_reader_connection),
        cmocka_unit_test(test_read_refuses_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
