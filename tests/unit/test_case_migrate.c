/* test_case_migrate.c: schema migrations 2 and 3 (src/case/schema.c): a
 * case.db of version 1, built here from version 1's own scripts with hits of
 * every kind (raw offset path, container path, logical path, file, area,
 * flags, empty and binary context), opens as the current version with the
 * same rows under the view `identifiers` (same ids, columns and values, and
 * a time column, NULL for them), and the view still takes inserts the way
 * the table did, the time included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case/case.h"
#include "case/schema.h"

static char dir[64];

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static const char rows_sql[] =
    "SELECT id, device_id, type, value, pos, path, quote(context), flags, quote(file_id),"
    " quote(area) FROM identifiers ORDER BY id";

static void dump(sqlite3 *db, char *out, size_t cap)
{
    sqlite3_stmt *st;
    size_t n = 0;
    out[0] = 0;
    assert_int_equal(sqlite3_prepare_v2(db, rows_sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < 10; i++) {
            const char *t = (const char *)sqlite3_column_text(st, i);
            n += (size_t)snprintf(out + n, cap - n, "%s%c", t ? t : "NULL", i == 9 ? '\n' : '|');
            assert_true(n < cap);
        }
    sqlite3_finalize(st);
}

static void test_v1_to_v2(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/test_case_migrate.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/case.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "CREATE TABLE schema_version(version INTEGER NOT NULL);"
             "INSERT INTO schema_version VALUES(1);");
    exec(db, case_schema_core);
    exec(db, case_schema_fs);
    exec(db, case_schema_link);
    exec(db, "INSERT INTO meta VALUES('audit_last', "
             "'0000000000000000000000000000000000000000000000000000000000000000');"
             "INSERT INTO meta VALUES('audit_lines', '0');"
             "INSERT INTO devices(id, name, size, state) VALUES(1, 'a', 100, 'ok'), "
             "(2, 'b', 100, 'ok');"
             "INSERT INTO files(id, device_id, path, inode, size, alloc, orphan) "
             "VALUES(7, 1, '/x.txt', 5, 10, 1, 0);"
             "INSERT INTO problems VALUES(2, 'fs', 'second'), (1, 'fs', 'first'),"
             " (2, 'read', 'third');");
    exec(db, "INSERT INTO identifiers(id, device_id, type, value, pos, path, context, flags,"
             " file_id, area) VALUES"
             "(3, 1, 'email', 'a@b.org', 4096, '4096', x'00ff41', 0, 7, NULL),"
             "(4, 1, 'email', 'a@b.org', 8192, '8192-GZIP-20', 'ctx', 1, NULL, 'unallocated'),"
             "(9, 2, 'email', 'a@b.org', 512, '512-FILE-3', '', 2, NULL, 'slack'),"
             "(10, 2, 'url', 'http://a@b.org', 77, '77', NULL, 0, NULL, 'fs-metadata'),"
             "(11, 2, 'domain', 'b.org', 0, '0', 'z', 0, NULL, 'unpartitioned'),"
             "(12, 2, 'domain', 'b.org', 5, '005', 'z', 0, NULL, NULL)");
    static char before[8192], after[8192];
    dump(db, before, sizeof before);
    sqlite3_close(db);
    char log[128];
    snprintf(log, sizeof log, "%s/audit.log", dir);
    FILE *f = fopen(log, "w");
    assert_non_null(f);
    fclose(f);

    case_db *c = NULL;
    trawl_err err = {0};
    if (case_open(dir, 0, &c, &err))
        fail_msg("case_open: %s", err.msg);
    case_close(c);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), CASE_SCHEMA_VERSION);
    assert_int_equal(CASE_SCHEMA_VERSION, 4);
    sqlite3_finalize(st);
    dump(db, after, sizeof after);
    assert_string_equal(before, after);
    /* three distinct values, six occurrences; '005' kept as written */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM ident_values),"
                                        " (SELECT count(*) FROM occurrences),"
                                        " (SELECT count(*) FROM occurrences WHERE path IS NULL)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    assert_int_equal(sqlite3_column_int(st, 1), 6);
    assert_int_equal(sqlite3_column_int(st, 2), 3);
    sqlite3_finalize(st);

    /* migrated hits have no time */
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*), count(time) FROM identifiers", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 6);
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    sqlite3_finalize(st);

    /* the view takes an insert as the table did, and a time */
    exec(db, "INSERT INTO identifiers(device_id, type, value, pos, path, time)"
             " VALUES(1, 'url', 'http://t.example/', 3, '3', 1302177791)");
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT o.time FROM occurrences o JOIN ident_values v ON "
                                        "v.id = o.value_id WHERE v.value='http://t.example/'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1302177791);
    sqlite3_finalize(st);

    exec(db, "INSERT INTO identifiers(device_id, type, value, pos, path, area)"
             " VALUES(2, 'email', 'new@b.org', 9, '9', 'slack')");
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT id, path, area, flags, context IS NULL FROM "
                                        "identifiers WHERE value='new@b.org'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 14);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "9");
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "slack");
    assert_int_equal(sqlite3_column_int(st, 3), 0);
    assert_int_equal(sqlite3_column_int(st, 4), 1);
    sqlite3_finalize(st);

    /* version 4: problems keep their rows in their order, now with an id */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(id || ':' || message, ',') FROM "
                                        "(SELECT id, message FROM problems ORDER BY id)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "1:second,2:first,3:third");
    sqlite3_finalize(st);
    /* and first/last seen of accounts reads the timed hits' index */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT o.value_id, o.device_id, "
                                        "min(o.time) FROM occurrences o WHERE o.time IS NOT NULL "
                                        "GROUP BY o.value_id, o.device_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int timed = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        timed |= strstr((const char *)sqlite3_column_text(st, 3), "occurrences_timed") != NULL;
    sqlite3_finalize(st);
    assert_true(timed);
    sqlite3_close(db);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_to_v2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
