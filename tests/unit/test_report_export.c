/* test_report_export.c: the GraphML, CASE/UCO JSON-LD and CSV exports on a
 * synthetic case (rows inserted directly): exact content where it is
 * short, the mapping of identifier types, formula neutralization, and the
 * same bytes on every run. */
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
#include "report/report.h"

typedef struct fx {
    char tmp[64];
    char dir[128];
    case_db *c;
} fx;

static void sql(fx *f, const char *s)
{
    trawl_err err = {0};
    if (case_exec(f->c, s, &err))
        fail_msg("%s: %s", s, err.msg);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->tmp, sizeof f->tmp, "/tmp/test_report_XXXXXX");
    assert_non_null(mkdtemp(f->tmp));
    snprintf(f->dir, sizeof f->dir, "%s/case", f->tmp);
    trawl_err err = {0};
    assert_int_equal(case_open(f->dir, 1, &f->c, &err), 0);
    sql(f,
        "INSERT INTO devices(id, name, size, state, examiner, scan_started, scan_finished) VALUES"
        "(1, 'laptop', 1000, 'ok', 'kim', '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z'),"
        "(2, 'phone', 1000, 'ok', 'kim', '2026-01-01T11:00:00Z', '2026-01-01T11:01:00Z');"
        "INSERT INTO images(id, device_id, seq, path, format, media_size, base, md5, sha256,"
        " verification) VALUES"
        "(1, 1, 0, '/ev/laptop.E01', 'ewf', 1000, 0, 'aa', 'bb', 'match'),"
        "(2, 2, 0, '/ev/phone.raw', 'raw', 1000, 0, 'cc', 'dd', 'computed');"
        "INSERT INTO files(id, device_id, path, size, alloc, sha256) VALUES"
        "(7, 1, '/Users/kim/notes.txt', 10, 1, 'ee');"
        "INSERT INTO identifiers(id, device_id, type, value, pos, path, context, file_id, area)"
        " VALUES"
        "(1, 1, 'email', 'boss@corp.net', 100, '100', X'0a3c', 7, NULL),"
        "(2, 2, 'email', 'boss@corp.net', 50, '50-GZIP-3', NULL, NULL, 'unallocated'),"
        "(3, 1, 'account', 'x:=cmd', 200, '200', NULL, 7, NULL),"
        "(4, 2, 'account', 'x:=cmd', 60, '60', NULL, NULL, NULL),"
        "(5, 2, 'phone', '+447700900123', 70, '70', NULL, NULL, NULL),"
        "(6, 1, 'keyword', '=SUM(A1:A9)', 300, '300', NULL, NULL, 'slack');");
    link_options o;
    link_options_default(&o);
    assert_int_equal(link_run(f->c, &o, &err), 0);
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

/* Run an export into memory; the caller frees. */
static char *export(fx *f, int (*fn)(case_db *, FILE *, trawl_err *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    trawl_err err = {0};
    if (fn(f->c, m, &err))
        fail_msg("export: %s", err.msg);
    fclose(m);
    return buf;
}

static void test_csv(void **state)
{
    fx *f = *state;
    char *s = export(f, report_csv);
    assert_string_equal(s, "device,type,value,offset,path,file,area,context\n"
                           "laptop,email,boss@corp.net,100,100,/Users/kim/notes.txt,,\\x0A<\n"
                           "laptop,account,x:=cmd,200,200,/Users/kim/notes.txt,,\n"
                           "laptop,keyword,'=SUM(A1:A9),300,300,,slack,\n"
                           "phone,email,boss@corp.net,50,50-GZIP-3,,unallocated,\n"
                           "phone,account,x:=cmd,60,60,,,\n"
                           "phone,phone,'+447700900123,70,70,,,\n");
    free(s);
}

static void test_graphml(void **state)
{
    fx *f = *state;
    char *s = export(f, report_graphml);
    /* Two devices, two shared identifiers, four occurrence edges, one link
     * (x:=cmd 8/2 + email 4/2 = 6). */
    assert_non_null(strstr(s, "<node id=\"d1\"><data key=\"kind\">device</data><data "
                              "key=\"label\">laptop</data></node>"));
    assert_non_null(strstr(s, "<data key=\"type\">account</data><data key=\"label\">x:=cmd</data>"
                              "<data key=\"devices\">2</data>"));
    assert_non_null(strstr(s, "<edge source=\"d1\" target=\"d2\"><data key=\"ekind\">link</data>"
                              "<data key=\"weight\">6.000000</data><data key=\"shared\">2</data>"));
    size_t nodes = 0, edges = 0;
    for (const char *p = s; (p = strstr(p, "<node ")); p++)
        nodes++;
    for (const char *p = s; (p = strstr(p, "<edge ")); p++)
        edges++;
    assert_int_equal(nodes, 4);
    assert_int_equal(edges, 5);
    char *again = export(f, report_graphml);
    assert_string_equal(s, again);
    free(again);
    free(s);
}

static void test_jsonld(void **state)
{
    fx *f = *state;
    char *s = export(f, report_jsonld);
    static const char *const want[] = {
        "\"@type\":\"case-investigation:Investigation\"",
        "\"@id\":\"kb:device-1\",\"@type\":\"observable:Device\",\"core:name\":\"laptop\"",
        "\"@type\":\"observable:EmailAddress\"",
        "\"@type\":\"observable:EmailAddressFacet\",\"observable:addressValue\":\"boss@corp.net\"",
        "\"@type\":\"observable:ApplicationAccount\"",
        ("\"observable:accountIdentifier\":\"=cmd\"},{\"@id\":\"kb:identifier-"),
        ("-application\",\"@type\":\"observable:ApplicationAccountFacet\","
         "\"core:description\":\"x\"}"),
        "\"@type\":\"observable:PhoneAccountFacet\",\"observable:phoneNumber\":\"+447700900123\"",
        ("\"types:hashMethod\":{\"@type\":\"vocabulary:HashNameVocab\",\"@value\":\"SHA256\"},"
         "\"types:hashValue\":{\"@type\":\"xsd:hexBinary\",\"@value\":\"bb\"}"),
        "\"action:startTime\":{\"@type\":\"xsd:dateTime\",\"@value\":\"2026-01-01T10:00:00Z\"}",
        "\"core:target\":{\"@id\":\"kb:file-7\"},\"core:kindOfRelationship\":\"Contained_Within\"",
        "\"observable:rangeOffset\":100",
        "\"core:description\":\"forensic path 50-GZIP-3; area unallocated\"",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(s, want[i]))
            fail_msg("JSON-LD lacks %s", want[i]);
    char *again = export(f, report_jsonld);
    assert_string_equal(s, again);
    free(again);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graphml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonld, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
