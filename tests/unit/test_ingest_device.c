/* test_ingest_device.c: the ingest library (src/ingest) driven with no CLI
 * on the fs fixture's FAT image (tests/fixtures/fs.fixture): a device is
 * stored with its image, files and identifiers, each planted value
 * attributed where fs.fixture's `expected` says; progress reports bytes and
 * identifiers; the same image again is a no-op; a missing image is refused
 * and audited.  The stored rows are read back with SQLite directly, as an
 * examiner's own tool would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case/case.h"
#include "ingest/ingest.h"

typedef struct seen {
    int nprogress, nread, nfs, nwarn, ndone;
    uint64_t last_done, last_ids, total, fs_files; /* fs_files: the last count of the walk */
    int ids_monotonic;
    ingest_result result;
    char warning[512];
} seen;

static void on_progress(void *ctx, const ingest_progress *p)
{
    seen *s = ctx;
    s->nprogress++;
    assert_string_equal(p->device, "fat");
    if (!strcmp(p->phase, "read")) {
        s->nread++;
        if (p->identifiers < s->last_ids)
            s->ids_monotonic = 0;
        s->last_done = p->done;
        s->last_ids = p->identifiers;
        s->total = p->total;
    } else {
        assert_string_equal(p->phase, "fs");
        s->nfs++;
        assert_true(p->files >= s->fs_files);
        s->fs_files = p->files;
    }
}

static void on_warning(void *ctx, const char *device, const char *msg)
{
    seen *s = ctx;
    s->nwarn++;
    snprintf(s->warning, sizeof s->warning, "%s", msg);
}

static void on_done(void *ctx, const char *device, const ingest_result *r, const trawl_err *err)
{
    seen *s = ctx;
    s->ndone++;
    s->result = *r;
}

static char casedir[256];
static char image[1024], expected[1024];

static int setup(void **state)
{
    const char *fx = getenv("TRAWL_FIXTURES");
    if (!fx)
        return -1;
    snprintf(image, sizeof image, "%s/fs/fat.img", fx);
    snprintf(expected, sizeof expected, "%s/fs/expected", fx);
    if (access(image, R_OK) != 0)
        return -1;
    snprintf(casedir, sizeof casedir, "/tmp/test_ingest_device.XXXXXX");
    if (!mkdtemp(casedir))
        return -1;
    strcat(casedir, "/case");
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    char *slash = strrchr(casedir, '/');
    *slash = 0;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", casedir);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t q_int(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static ingest_options options(scan_engine *eng, const char **paths, size_t n, seen *s)
{
    static char *argv[] = {"test_ingest_device", NULL};
    ingest_options o = {
        .name = "fat",
        .paths = paths,
        .npaths = n,
        .exhibit = "EX-1",
        .eng = eng,
        .options_json = "{}",
        .audit = {"tester", 1, argv, NULL},
        .cb = {s, on_progress, on_warning, on_done},
    };
    return o;
}

static void test_ingest_fat(void **state)
{
    case_db *c = NULL;
    trawl_err err = {0};
    assert_int_equal(case_open(casedir, 1, &c, &err), 0);
    scan_options so;
    scan_options_default(&so);
    so.threads = 2;
    scan_engine *eng = NULL;
    assert_int_equal(scan_engine_new(&so, &eng, &err), 0);

    seen s = {.ids_monotonic = 1};
    const char *paths[] = {image};
    ingest_options o = options(eng, paths, 1, &s);
    ingest_result r;
    assert_int_equal(ingest_device(c, &o, &r, &err), INGEST_ADDED);
    assert_int_equal(s.ndone, 1);
    assert_int_equal(s.result.outcome, INGEST_ADDED);
    assert_true(r.device_id > 0);
    struct stat st;
    assert_int_equal(stat(image, &st), 0);
    assert_int_equal(r.bytes, (uint64_t)st.st_size);
    /* progress: a start and an fs phase at least, the last read report
     * within the image, identifiers never going down */
    assert_true(s.nread >= 1);
    assert_true(s.nfs >= 2); /* the phase's start, then files listed */
    assert_true(s.fs_files > 0);
    assert_int_equal(s.total, (uint64_t)st.st_size);
    assert_true(s.last_done <= s.total);
    assert_true(s.ids_monotonic);
    assert_int_equal(s.nwarn, 0);

    /* the stored device, image, files, identifiers */
    char db_path[300];
    snprintf(db_path, sizeof db_path, "%s/case.db", casedir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(q_int(db,
                           "SELECT count(*) FROM devices WHERE name='fat' AND exhibit='EX-1'"
                           " AND state='ok' AND scan_finished IS NOT NULL",
                           NULL),
                     1);
    assert_int_equal(
        q_int(db, "SELECT count(*) FROM images WHERE path=? AND length(sha256)=64", image), 1);
    assert_int_equal(q_int(db,
                           "SELECT count(*) FROM files WHERE path='/live.txt' AND alloc=1"
                           " AND length(md5)=32",
                           NULL),
                     1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM identifiers", NULL), (int64_t)r.identifiers);
    /* the walk's progress counted every file it stored */
    assert_int_equal(q_int(db, "SELECT count(*) FROM files", NULL), (int64_t)s.fs_files);
    assert_true(r.identifiers >= 5);

    /* every planted value of fat.img, once, where fs.fixture put it */
    FILE *f = fopen(expected, "r");
    assert_non_null(f);
    char line[1024];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        char img[64], value[256], where[256], form[64];
        if (sscanf(line, "%63[^\t]\t%255[^\t]\t%255[^\t]\t%63s", img, value, where, form) != 4 ||
            strcmp(img, "fat.img") != 0)
            continue;
        assert_int_equal(
            q_int(db, "SELECT count(*) FROM identifiers WHERE type='email' AND value=?", value), 1);
        char sql[512];
        if (!strncmp(where, "file:", 5))
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM identifiers i JOIN files f ON f.id=i.file_id"
                     " WHERE i.value=? AND f.path='%s'",
                     where + 5);
        else
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM identifiers WHERE value=? AND area='%s'"
                     " AND file_id IS NULL",
                     where + 5);
        if (q_int(db, sql, value) != 1)
            fail_msg("%s is not attributed to %s", value, where);
        checked++;
    }
    fclose(f);
    assert_int_equal(checked, 5);
    sqlite3_close(db);

    /* the feature file holds the live value */
    char feat[400];
    snprintf(feat, sizeof feat, "%s/devices/fat/email.txt", casedir);
    f = fopen(feat, "r");
    assert_non_null(f);
    int found = 0;
    while (fgets(line, sizeof line, f))
        found += strstr(line, "\talice.live@trawl-test.org\t") != NULL;
    fclose(f);
    assert_int_equal(found, 1);

    /* the same image again: nothing to do */
    seen s2 = {.ids_monotonic = 1};
    o = options(eng, paths, 1, &s2);
    assert_int_equal(ingest_device(c, &o, NULL, &err), INGEST_NOOP);
    assert_non_null(strstr(err.msg, "already in the case"));
    assert_int_equal(s2.ndone, 1);

    /* a missing image: refused, audited, nothing stored */
    const char *missing[] = {"/nonexistent/trawl-test.img"};
    seen s3 = {.ids_monotonic = 1};
    o = options(eng, missing, 1, &s3);
    o.name = "gone";
    assert_int_equal(ingest_device(c, &o, NULL, &err), INGEST_REFUSED);
    assert_int_equal(s3.result.outcome, INGEST_REFUSED);
    assert_null(strstr(err.msg, "audit line failed"));
    int64_t id;
    int there = 1;
    assert_int_equal(case_device_id(c, "gone", &id, &there, &err), 0);
    assert_int_equal(there, 0);
    char logp[300];
    snprintf(logp, sizeof logp, "%s/audit.log", casedir);
    f = fopen(logp, "r");
    assert_non_null(f);
    int refused = 0;
    static char big[65536];
    while (fgets(big, sizeof big, f))
        refused += strstr(big, "\"refused\"") && strstr(big, "\"gone\"");
    fclose(f);
    assert_int_equal(refused, 1);

    scan_engine_free(eng);
    case_close(c);
}

int main(void)
{
    const char *fx = getenv("TRAWL_FIXTURES");
    char p[1024];
    snprintf(p, sizeof p, "%s/fs/fat.img", fx ? fx : "");
    if (!fx || access(p, R_OK) != 0) {
        fprintf(stderr, "test_ingest_device: no fs fixture (TRAWL_FIXTURES)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ingest_fat, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
