/* test_link_score.c: link_run on synthetic cases (rows inserted directly):
 * exact scores, order, the stop list, file-hash links, weightless types,
 * groups, the accounts flags and incremental indexing. */
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
#include "case/case_int.h"
#include "link/link.h"

typedef struct fx {
    char tmp[64];
    char dir[128];
    case_db *c;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->tmp, sizeof f->tmp, "/tmp/test_link_XXXXXX");
    assert_non_null(mkdtemp(f->tmp));
    snprintf(f->dir, sizeof f->dir, "%s/case", f->tmp);
    trawl_err err = {0};
    assert_int_equal(case_open(f->dir, 1, &f->c, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    case_close(f->c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->tmp);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void sql(fx *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    trawl_err err = {0};
    if (case_exec(f->c, buf, &err))
        fail_msg("%s: %s", buf, err.msg);
}

static void device(fx *f, int id, const char *name)
{
    sql(f,
        "INSERT INTO devices(id, name, size, state, scan_finished) "
        "VALUES(%d, '%s', 0, 'ok', '2026-01-01T00:00:0%dZ')",
        id, name, id % 10);
}

static void ident(fx *f, int dev, const char *type, const char *value)
{
    sql(f,
        "INSERT INTO identifiers(device_id, type, value, pos, path) VALUES(%d, '%s', '%s', 0, '0')",
        dev, type, value);
}

static void file_at(fx *f, int dev, const char *path, const char *meta_type, const char *sha,
                    int size, const char *known)
{
    char k[32] = "NULL";
    if (known)
        snprintf(k, sizeof k, "'%s'", known);
    sql(f,
        "INSERT INTO files(device_id, path, meta_type, size, alloc, sha256, known) "
        "VALUES(%d, '%s', '%s', %d, 1, '%s', %s)",
        dev, path, meta_type, size, sha, k);
}

static void file(fx *f, int dev, const char *sha, int size, const char *known)
{
    file_at(f, dev, "/f", "reg", sha, size, known);
}

static char *slurp(fx *f, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    return buf;
}

static void run(fx *f, link_summary *s)
{
    link_options o;
    link_options_default(&o);
    o.summary = s;
    trawl_err err = {0};
    if (link_run(f->c, &o, &err))
        fail_msg("link_run: %s", err.msg);
}

/* One text result of a query. */
static char *query(fx *f, const char *q)
{
    static char out[4096];
    sqlite3_stmt *st;
    trawl_err err = {0};
    assert_int_equal(case_prepare(f->c, q, &st, &err), 0);
    out[0] = 0;
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? "|" : "", v ? v : "");
    }
    sqlite3_finalize(st);
    return out;
}

/* Three devices: A and B share a wallet, all three an e-mail address and
 * a domain.  S2: btc 10/2, email 4/3, domain 0.5/3. */
static void test_scores(void **state)
{
    fx *f = *state;
    device(f, 1, "A");
    device(f, 2, "B");
    device(f, 3, "C");
    for (int d = 1; d <= 3; d++) {
        ident(f, d, "email", "boss@example.org");
        ident(f, d, "domain", "example.org");
    }
    ident(f, 1, "btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
    ident(f, 1, "btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"); /* twice: one feature */
    ident(f, 2, "btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
    ident(f, 3, "phone", "+15555550100"); /* C alone: nothing */
    link_summary s;
    run(f, &s);
    assert_int_equal(s.devices, 3);
    assert_int_equal(s.indexed, 3);
    assert_int_equal(s.features, 4);
    assert_int_equal(s.shared, 3);
    assert_int_equal(s.stopped, 0);
    assert_int_equal(s.links, 3);
    assert_string_equal(slurp(f, "links.csv"),
                        "device_a,device_b,score,shared,top\n"
                        "A,B,6.500000,3,btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT;email:boss@"
                        "example.org;domain:example.org\n"
                        "A,C,1.500000,2,email:boss@example.org;domain:example.org\n"
                        "B,C,1.500000,2,email:boss@example.org;domain:example.org\n");
    /* Explained with weights. */
    assert_string_equal(query(f, "SELECT explain FROM links WHERE device_a='A' AND device_b='C'"),
                        "[{\"type\":\"email\",\"value\":\"boss@example.org\",\"weight\":4.000000,"
                        "\"devices\":3,\"contribution\":1.333333},{\"type\":\"domain\",\"value\":"
                        "\"example.org\",\"weight\":0.500000,\"devices\":3,\"contribution\":0."
                        "166667}]");
    /* All three join one component (every link >= 1.0). */
    assert_string_equal(query(f, "SELECT device FROM groups WHERE method='components' ORDER BY "
                                 "device"),
                        "A|B|C");
    assert_string_equal(query(f, "SELECT type||':'||value FROM group_bindings WHERE "
                                 "method='components' ORDER BY rank"),
                        "btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT|email:boss@example.org|domain:"
                        "example.org");
}

/* Six devices: a domain on all six is stopped (6 > 2/3 * 6), one on four
 * is not (4 is not more than 4). */
static void test_stop_list(void **state)
{
    fx *f = *state;
    const char *names[] = {"d1", "d2", "d3", "d4", "d5", "d6"};
    for (int d = 1; d <= 6; d++) {
        device(f, d, names[d - 1]);
        ident(f, d, "domain", "google.com");
        ident(f, d, "email", "noreply@google.com");
    }
    for (int d = 1; d <= 4; d++)
        ident(f, d, "url", "https://shared.example/x");
    ident(f, 5, "phone", "+447700900123");
    ident(f, 6, "phone", "+447700900123");
    link_summary s;
    run(f, &s);
    assert_int_equal(s.stopped, 2);
    assert_int_equal(s.links, 7); /* 6 pairs among d1..d4, and d5-d6 */
    const char *csv = slurp(f, "links.csv");
    assert_non_null(strstr(csv, "\nd5,d6,2.000000,1,phone:+447700900123\n"));
    assert_non_null(strstr(csv, "\nd1,d2,0.250000,1,url:https://shared.example/x\n"));
    assert_null(strstr(csv, "google"));
    assert_string_equal(query(f, "SELECT type||':'||value||':'||dc FROM link_features WHERE "
                                 "stopped ORDER BY type"),
                        "domain:google.com:6|email:noreply@google.com:6");
    /* d1..d4 are linked below the threshold: no component; d5-d6 is one. */
    assert_string_equal(query(f, "SELECT group_concat(device) FROM groups WHERE "
                                 "method='components'"),
                        "d5,d6");
    /* Six new devices were indexed in one pass (bulk): a second run finds
     * every index current. */
    assert_string_equal(query(f, "SELECT sum(entries) FROM link_index"), "18");
    run(f, &s);
    assert_int_equal(s.indexed, 0);
}

/* A shared non-empty file links; a known (NSRL) file, an empty file and
 * file-system structure ($FAT1, $MFT) do not; keywords (weight 0) do not. */
static void test_files(void **state)
{
    fx *f = *state;
    const char *s1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const char *known = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    device(f, 1, "laptop");
    device(f, 2, "phone");
    device(f, 3, "usb");
    file(f, 1, s1, 100, NULL);
    file(f, 2, s1, 100, "notable");
    file(f, 2, known, 100, "known");
    file(f, 3, known, 100, "known");
    file(f, 2, empty, 0, NULL);
    file(f, 3, empty, 0, NULL);
    const char *fat = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    const char *mft = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
    file_at(f, 2, "/$FAT1", "virt", fat, 1024, NULL);
    file_at(f, 3, "/$FAT1", "virt", fat, 1024, NULL);
    file_at(f, 2, "/$MFT", "reg", mft, 1024, NULL);
    file_at(f, 3, "/$MFT", "reg", mft, 1024, NULL);
    ident(f, 2, "keyword", "cocaine");
    ident(f, 3, "keyword", "cocaine");
    link_summary s;
    run(f, &s);
    assert_string_equal(slurp(f, "links.csv"),
                        "device_a,device_b,score,shared,top\n"
                        "laptop,phone,4.000000,1,file:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaa\n");
}

/* Accounts: A holds five facebook accounts (flagged), one of them also on
 * B and C (multi-device at 3). */
static void test_accounts(void **state)
{
    fx *f = *state;
    device(f, 1, "A");
    device(f, 2, "B");
    device(f, 3, "C");
    char v[64];
    for (int i = 1; i <= 5; i++) {
        snprintf(v, sizeof v, "facebook:10001234567890%d", i);
        ident(f, 1, "account", v);
    }
    ident(f, 1, "account", "x:troll_one");
    ident(f, 2, "account", "facebook:100012345678901");
    ident(f, 3, "account", "facebook:100012345678901");
    ident(f, 3, "account", "telegram:=cmd");
    link_summary s;
    run(f, &s);
    assert_int_equal(s.accounts, 7);
    assert_string_equal(slurp(f, "accounts.csv"),
                        "service,account,devices,flags\n"
                        "facebook,100012345678901,A;B;C,many-accounts-device;multi-device\n"
                        "facebook,100012345678902,A,many-accounts-device\n"
                        "facebook,100012345678903,A,many-accounts-device\n"
                        "facebook,100012345678904,A,many-accounts-device\n"
                        "facebook,100012345678905,A,many-accounts-device\n"
                        "telegram,'=cmd,C,\n"
                        "x,troll_one,A,\n");
}

/* Adding a device indexes only that device; the result equals a rebuild. */
static void test_incremental(void **state)
{
    fx *f = *state;
    device(f, 1, "A");
    device(f, 2, "B");
    ident(f, 1, "iban", "GB82WEST12345698765432");
    ident(f, 2, "iban", "GB82WEST12345698765432");
    link_summary s;
    run(f, &s);
    assert_int_equal(s.indexed, 2);
    run(f, &s);
    assert_int_equal(s.indexed, 0);
    device(f, 3, "C");
    ident(f, 3, "iban", "GB82WEST12345698765432");
    run(f, &s);
    assert_int_equal(s.indexed, 1);
    char first[1024];
    const char *csv = slurp(f, "links.csv");
    assert_true(strlen(csv) < sizeof first);
    memcpy(first, csv, strlen(csv) + 1);
    assert_string_equal(first, "device_a,device_b,score,shared,top\n"
                               "A,B,3.333333,1,iban:GB82WEST12345698765432\n"
                               "A,C,3.333333,1,iban:GB82WEST12345698765432\n"
                               "B,C,3.333333,1,iban:GB82WEST12345698765432\n");
    link_options o;
    link_options_default(&o);
    o.rebuild = 1;
    o.summary = &s;
    trawl_err err = {0};
    assert_int_equal(link_run(f->c, &o, &err), 0);
    assert_int_equal(s.indexed, 3);
    assert_string_equal(slurp(f, "links.csv"), first);
}

/* Two tight triangles joined by one e-mail address: the components at the
 * default threshold merge them, Louvain keeps them apart. */
static void test_groups(void **state)
{
    fx *f = *state;
    const char *names[] = {"a1", "a2", "a3", "b1", "b2", "b3"};
    char v[64];
    for (int d = 1; d <= 6; d++) {
        device(f, d, names[d - 1]);
        for (int k = 0; k < 5; k++) {
            snprintf(v, sizeof v, "%s-wallet-%d", d <= 3 ? "a" : "b", k);
            ident(f, d, "btc", v);
        }
    }
    ident(f, 3, "email", "bridge@corp.net");
    ident(f, 4, "email", "bridge@corp.net");
    link_summary s;
    run(f, &s);
    assert_int_equal(s.groups, 1);
    assert_int_equal(s.communities, 2);
    assert_string_equal(query(f, "SELECT group_concat(device, ' ') FROM (SELECT device FROM "
                                 "groups WHERE method='components' ORDER BY device)"),
                        "a1 a2 a3 b1 b2 b3");
    assert_string_equal(query(f, "SELECT group_id || ':' || group_concat(device, ' ') FROM "
                                 "(SELECT group_id, device FROM groups WHERE method='louvain' "
                                 "ORDER BY group_id, device) GROUP BY group_id"),
                        "1:a1 a2 a3|2:b1 b2 b3");
    assert_string_equal(query(f, "SELECT score FROM links WHERE device_a='a3' AND device_b='b1'"),
                        "2.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scores, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
