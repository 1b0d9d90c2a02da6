/* test_scan_sqlite.c: SQLite records (src/scan/sqlite_rec.c, sqlite_rules.c
 * and their use in worker.c), through the real engine and types:
 * - hostile pages from the fuzz seed corpus end cleanly, and what is sound
 *   in them is still decoded;
 * - rows deleted without VACUUM are recovered and flagged;
 * - column rules give accounts from cookie tables in Chrome's and Firefox's
 *   column orders, and hits carry their record's time in Unix seconds;
 * - a raw hit across two fields is not reported; the field's own is, once,
 *   at the field's offset, with the field as its context.
 * Databases are made by Python's sqlite3 module, as the fixtures are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan/scan.h"
#include "scan/sqlite_rec.h"

typedef struct got {
    char type[16], feature[256], path[64];
    unsigned flags;
    int64_t time;
    uint64_t offset;
    size_t ctx_len;
    char ctx[64];
} got;

typedef struct hits {
    got *v;
    size_t n;
} hits;

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)err;
    hits *hs = ctx;
    hs->v = realloc(hs->v, (hs->n + 1) * sizeof *hs->v);
    assert_non_null(hs->v);
    got *g = &hs->v[hs->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->type, sizeof g->type, "%s", h->type);
    snprintf(g->feature, sizeof g->feature, "%.*s", (int)h->feature_len, h->feature);
    snprintf(g->path, sizeof g->path, "%s", h->path);
    g->flags = h->flags;
    g->time = h->time;
    g->offset = h->offset;
    g->ctx_len = h->context_len < sizeof g->ctx ? h->context_len : sizeof g->ctx - 1;
    memcpy(g->ctx, h->context, g->ctx_len);
    return 0;
}

static scan_engine *engine(void)
{
    scan_options opt;
    scan_options_default(&opt);
    opt.threads = 1;
    scan_engine *e = NULL;
    trawl_err err = {0};
    assert_int_equal(scan_engine_new(&opt, &e, &err), 0);
    return e;
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)sz + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return b;
}

/* Run python3 with the script (which writes the database to argv[1]) and
 * return the file's bytes. */
static uint8_t *make_db(const char *script, size_t *n)
{
    char dir[] = "/tmp/trawl-sqlite-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], py[128], cmd[512];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(py, sizeof py, "%s/make.py", dir);
    FILE *f = fopen(py, "w");
    assert_non_null(f);
    fprintf(f,
            "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
            "c.execute('pragma secure_delete=off')\n%s\nc.commit()\nc.close()\n",
            script);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s %s", py, path);
    assert_int_equal(system(cmd), 0);
    uint8_t *b = slurp(path, n);
    unlink(path);
    unlink(py);
    rmdir(dir);
    return b;
}

static const got *find(const hits *h, const char *type, const char *feature)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->v[i].type, type) && !strcmp(h->v[i].feature, feature))
            return &h->v[i];
    return NULL;
}

static size_t count(const hits *h, const char *type, const char *feature)
{
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++)
        k += !strcmp(h->v[i].type, type) && !strcmp(h->v[i].feature, feature);
    return k;
}

static hits scan(scan_engine *e, const uint8_t *b, size_t n)
{
    hits h = {0};
    trawl_err err = {0};
    assert_int_equal(scan_buffer(e, b, n, sink, &h, &err), 0);
    return h;
}

static void test_hostile_pages(void **state)
{
    (void)state;
    const char *src = getenv("TRAWL_SRC");
    if (!src)
        skip();
    scan_engine *e = engine();
    static const char *const seeds[] = {"ptr_out_of_range", "endless_varint", "huge_serial",
                                        "self_parent",      "overflow_loop",  "real_small",
                                        "deleted_rows"};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/tests/fuzz/sqlite_record_corpus/%s", src, seeds[i]);
        size_t n;
        uint8_t *b = slurp(p, &n);
        sq_doc *d;
        assert_int_equal(sq_doc_new(&d), 0);
        assert_int_equal(sq_find(d, b, n, 0), 0);
        sq_doc_free(d);
        hits h = scan(e, b, n);
        if (!strcmp(seeds[i], "self_parent")) {
            /* the loop ends the walk; the leaves are still decoded */
            const got *g = find(&h, "email", "user7@fuzz-test.org");
            assert_non_null(g);
            assert_non_null(strstr(g->path, "-SQLITE-"));
        }
        if (!strcmp(seeds[i], "huge_serial") || !strcmp(seeds[i], "ptr_out_of_range"))
            assert_int_equal(h.n, 0);
        free(h.v);
        free(b);
    }
    scan_engine_free(e);
}

static void test_deleted_rows(void **state)
{
    (void)state;
    size_t n;
    uint8_t *b = make_db("c.execute('create table contacts(id integer primary key, name text, "
                         "email text, url text)')\n"
                         "for i in range(30):\n"
                         "    c.execute('insert into contacts(name, email, url) values(?,?,?)', "
                         "('Name %d' % i, 'who%d@records-unit.org' % i, "
                         "'https://records-unit.org/%d' % i))\n"
                         "c.commit()\n"
                         "c.execute('delete from contacts where id % 3 = 0')",
                         &n);
    scan_engine *e = engine();
    hits h = scan(e, b, n);
    for (int i = 0; i < 30; i++) {
        char v[64];
        snprintf(v, sizeof v, "who%d@records-unit.org", i);
        const got *g = find(&h, "email", v);
        assert_non_null(g);
        assert_int_equal(count(&h, "email", v), 1);
        /* rowid i + 1 deleted when it is a multiple of 3 */
        assert_int_equal(!!(g->flags & SCAN_HIT_DELETED), (i + 1) % 3 == 0);
        /* the context is the field: nothing of the next column */
        assert_null(memchr(g->ctx, ':', g->ctx_len));
        assert_non_null(strstr(g->path, "-SQLITE-0"));
    }
    /* nothing glued across the e-mail and URL columns */
    for (size_t i = 0; i < h.n; i++)
        assert_null(strstr(h.v[i].feature, "orghttps"));
    free(h.v);
    free(b);
    scan_engine_free(e);
}

/* Many pages, two tables interleaved, one row in three deleted: every
 * deleted value whose bytes are still in the file is recovered (flagged),
 * and every live value is reported unflagged. */
static void test_deleted_many_pages(void **state)
{
    (void)state;
    size_t n;
    uint8_t *b = make_db(
        "c.execute('create table urls(id integer primary key, url text, title text, "
        "visit_count int, last_visit_time int)')\n"
        "c.execute('create table contacts(name text, email text, phone text)')\n"
        "for i in range(300):\n"
        "    c.execute('insert into urls(url, title, visit_count, last_visit_time) "
        "values(?,?,?,?)', ('http://en.site%d.com/download-%d.htm' % (i, i), 'Download', i, "
        "13300000000000000 + i))\n"
        "    c.execute('insert into contacts values(?,?,?)', ('name%d' % i, "
        "'hank%d@records-unit.org' % i, '447790555555'))\n"
        "c.commit()\n"
        "c.execute('delete from contacts where rowid % 3 = 0')",
        &n);
    scan_engine *e = engine();
    hits h = scan(e, b, n);
    size_t present = 0;
    for (int i = 0; i < 300; i++) {
        char v[64];
        snprintf(v, sizeof v, "hank%d@records-unit.org", i);
        int live = (i + 1) % 3 != 0, in_file = memmem(b, n, v, strlen(v)) != NULL;
        int any = 0, unflagged = 0;
        for (size_t k = 0; k < h.n; k++)
            if (!strcmp(h.v[k].type, "email") && !strcmp(h.v[k].feature, v)) {
                any = 1;
                unflagged |= !(h.v[k].flags & SCAN_HIT_DELETED);
            }
        if (live) {
            assert_true(unflagged);
        } else if (in_file) {
            present++;
            assert_true(any);
        }
    }
    assert_true(present >= 50); /* most deleted rows are still there to find */
    free(h.v);
    free(b);
    scan_engine_free(e);
}

static void test_cookies_and_times(void **state)
{
    (void)state;
    size_t n1, n2;
    /* Chrome: creation_utc in microseconds since 1601 */
    uint8_t *chrome = make_db(
        "c.execute('create table cookies(creation_utc INTEGER NOT NULL, host_key TEXT, name TEXT, "
        "value TEXT, path TEXT, expires_utc INTEGER, is_secure INTEGER, is_httponly INTEGER, "
        "last_access_utc INTEGER)')\n"
        "c.execute(\"insert into cookies values(13300000000000000, '.facebook.com', 'c_user', "
        "'100012345678902', '/', 0, 1, 0, 13300000000000000)\")\n"
        "c.execute(\"insert into cookies values(13300000001000000, '.x.com', 'twid', "
        "'u%3D1234567890', '/', 0, 1, 0, 0)\")\n"
        "c.execute('create table urls(id integer primary key, url text, title text, "
        "visit_count int, typed_count int, last_visit_time int, hidden int)')\n"
        "c.execute(\"insert into urls(url, title, visit_count, typed_count, last_visit_time, "
        "hidden) values('https://x.com/somename', 'X', 1, 0, 13300000002000000, 0)\")",
        &n1);
    /* Firefox: creationTime in microseconds since 1970, another column order */
    uint8_t *firefox = make_db(
        "c.execute('CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, baseDomain TEXT, "
        "originAttributes TEXT NOT NULL DEFAULT \"\", name TEXT, value TEXT, host TEXT, path "
        "TEXT, expiry INTEGER, lastAccessed INTEGER, creationTime INTEGER, isSecure INTEGER, "
        "isHttpOnly INTEGER)')\n"
        "c.execute(\"insert into moz_cookies(baseDomain, name, value, host, path, expiry, "
        "lastAccessed, creationTime, isSecure, isHttpOnly) values('facebook.com', 'c_user', "
        "'100012345678903', '.facebook.com', '/', 0, 1700000000000000, 1700000000000000, 1, 0)\")",
        &n2);
    scan_engine *e = engine();
    hits h = scan(e, chrome, n1);
    const got *g = find(&h, "account", "facebook:100012345678902");
    assert_non_null(g);
    assert_int_equal(g->time, 13300000000ll - 11644473600ll);
    g = find(&h, "account", "x:1234567890");
    assert_non_null(g);
    assert_int_equal(g->time, 13300000001ll - 11644473600ll);
    g = find(&h, "url", "https://x.com/somename");
    assert_non_null(g);
    assert_int_equal(g->time, 13300000002ll - 11644473600ll);
    /* the title column "X" is not glued to the handle */
    assert_non_null(find(&h, "account", "x:somename"));
    assert_null(find(&h, "account", "x:somenamex"));
    free(h.v);
    h = scan(e, firefox, n2);
    g = find(&h, "account", "facebook:100012345678903");
    assert_non_null(g);
    assert_int_equal(g->time, 1700000000ll);
    free(h.v);
    free(chrome);
    free(firefox);
    scan_engine_free(e);
}

/* Chrome's downloads.start_time: Unix seconds in old History files (as in
 * the corpus's artifacts/chrome/History), WebKit microseconds later. */
static void test_download_times(void **state)
{
    (void)state;
    size_t n1, n2;
    uint8_t *old = make_db(
        "c.execute('CREATE TABLE downloads (id INTEGER PRIMARY KEY,full_path LONGVARCHAR NOT "
        "NULL,url LONGVARCHAR NOT NULL,start_time INTEGER NOT NULL,received_bytes INTEGER NOT "
        "NULL,total_bytes INTEGER NOT NULL,state INTEGER NOT NULL)')\n"
        "c.execute(\"insert into downloads(full_path, url, start_time, received_bytes, "
        "total_bytes, state) values('C:\\\\x.exe', 'http://old.records-test.org/x.exe', "
        "1306139730, 1, 1, 1)\")",
        &n1);
    uint8_t *new = make_db(
        "c.execute('CREATE TABLE downloads (id INTEGER PRIMARY KEY,guid VARCHAR NOT "
        "NULL,current_path LONGVARCHAR NOT NULL,target_path LONGVARCHAR NOT NULL,start_time "
        "INTEGER NOT NULL,received_bytes INTEGER NOT NULL,total_bytes INTEGER NOT NULL,"
        "tab_url VARCHAR NOT NULL)')\n"
        "c.execute(\"insert into downloads(guid, current_path, target_path, start_time, "
        "received_bytes, total_bytes, tab_url) values('g', 'C:\\\\y.exe', 'C:\\\\y.exe', "
        "13161017393900399, 1, 1, 'http://new.records-test.org/y.exe')\")",
        &n2);
    scan_engine *e = engine();
    hits h = scan(e, old, n1);
    const got *g = find(&h, "url", "http://old.records-test.org/x.exe");
    assert_non_null(g);
    assert_int_equal(g->time, 1306139730ll);
    free(h.v);
    h = scan(e, new, n2);
    g = find(&h, "url", "http://new.records-test.org/y.exe");
    assert_non_null(g);
    assert_int_equal(g->time, 13161017393ll - 11644473600ll);
    free(h.v);
    free(old);
    free(new);
    scan_engine_free(e);
}

static void test_phone_and_whatsapp(void **state)
{
    (void)state;
    size_t n;
    uint8_t *b = make_db(
        "c.execute('create table wa_contacts(_id integer primary key, jid text, is_whatsapp_user "
        "int, status text, number text, display_name text)')\n"
        "c.execute(\"insert into wa_contacts(jid, is_whatsapp_user, status, number, display_name) "
        "values('447790555555@s.whatsapp.net', 1, 'hi', '07790 555555', 'Someone')\")\n"
        "c.execute('create table sms(_id integer primary key, address text, date integer, body "
        "text)')\n"
        "c.execute(\"insert into sms(address, date, body) values('+355692123456', "
        "1700000000123, 'hello')\")",
        &n);
    scan_engine *e = engine();
    hits h = scan(e, b, n);
    assert_non_null(find(&h, "account", "whatsapp:447790555555"));
    assert_non_null(find(&h, "phone", "+447790555555"));
    const got *g = find(&h, "phone", "+355692123456");
    assert_non_null(g);
    assert_int_equal(g->time, 1700000000ll);
    free(h.v);
    free(b);
    scan_engine_free(e);
}

/* A Chrome 68 cookies page carved without its database's first page: the
 * schema is gone, the known column order of the built-in rules stands in. */
static void test_carved_cookies(void **state)
{
    (void)state;
    size_t n;
    uint8_t *b = make_db(
        "c.execute(\"CREATE TABLE cookies (creation_utc INTEGER NOT NULL,host_key TEXT NOT "
        "NULL,name TEXT NOT NULL,value TEXT NOT NULL,path TEXT NOT NULL,expires_utc INTEGER NOT "
        "NULL,is_secure INTEGER NOT NULL,is_httponly INTEGER NOT NULL,last_access_utc INTEGER NOT "
        "NULL, has_expires INTEGER NOT NULL DEFAULT 1, is_persistent INTEGER NOT NULL DEFAULT "
        "1,priority INTEGER NOT NULL DEFAULT 1,encrypted_value BLOB DEFAULT '',firstpartyonly "
        "INTEGER NOT NULL DEFAULT 0,UNIQUE (host_key, name, path))\")\n"
        "c.execute(\"insert into cookies(creation_utc, host_key, name, value, path, expires_utc, "
        "is_secure, is_httponly, last_access_utc) values(13300000000000000, '.facebook.com', "
        "'c_user', '100012345678904', '/', 0, 1, 1, 0)\")",
        &n);
    assert_true(n > 4096);
    memset(b, 0, 4096); /* page 1: the header and sqlite_master */
    scan_engine *e = engine();
    hits h = scan(e, b, n);
    const got *g = find(&h, "account", "facebook:100012345678904");
    assert_non_null(g);
    assert_int_equal(g->time, 13300000000ll - 11644473600ll);
    free(h.v);
    free(b);
    scan_engine_free(e);
}

/* Hits of type and feature not flagged deleted (an old copy of a cell left
 * in a page's gap when the page split is a deleted record's). */
static size_t count_live(const hits *h, const char *type, const char *feature)
{
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++)
        k += !strcmp(h->v[i].type, type) && !strcmp(h->v[i].feature, feature) &&
             !(h->v[i].flags & SCAN_HIT_DELETED);
    return k;
}

/* A URL in an indexed column is reported once, from its table's record,
 * not again from the index's copy of it; and so in a database whose header
 * keeps no page count (SQLite before 3.7.0) followed by another database,
 * whose pages are its own, not the first's. */
static void test_index_copies(void **state)
{
    (void)state;
    size_t n1, n2;
    const char *script =
        "c.execute('pragma page_size=1024')\n"
        "c.execute('create table urls(id integer primary key, url text, title text)')\n"
        "c.execute('create index urls_url on urls(url)')\n"
        "for i in range(200):\n"
        "    c.execute('insert into urls(url, title) values(?, ?)', "
        "('https://%s.records-test.org/page/%d' % (DB, i), 'Title %d' % i))\n";
    char sa[1024], sb[1024];
    snprintf(sa, sizeof sa, "DB = 'old'\n%s", script);
    snprintf(sb, sizeof sb, "DB = 'new'\n%s", script);
    uint8_t *a = make_db(sa, &n1), *b = make_db(sb, &n2);
    assert_int_equal(n1 % 1024, 0);
    memset(a + 28, 0, 4); /* no page count in the header */
    uint8_t *both = malloc(n1 + n2);
    assert_non_null(both);
    memcpy(both, a, n1);
    memcpy(both + n1, b, n2);
    scan_engine *e = engine();
    hits h = scan(e, both, n1 + n2);
    char url[128];
    for (int i = 0; i < 200; i++) {
        snprintf(url, sizeof url, "https://old.records-test.org/page/%d", i);
        assert_int_equal(count_live(&h, "url", url), 1);
        snprintf(url, sizeof url, "https://new.records-test.org/page/%d", i);
        assert_int_equal(count_live(&h, "url", url), 1);
    }
    free(h.v);
    free(a);
    free(b);
    free(both);
    scan_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_pages),     cmocka_unit_test(test_deleted_rows),
        cmocka_unit_test(test_cookies_and_times), cmocka_unit_test(test_phone_and_whatsapp),
        cmocka_unit_test(test_carved_cookies),    cmocka_unit_test(test_deleted_many_pages),
        cmocka_unit_test(test_download_times),    cmocka_unit_test(test_index_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
