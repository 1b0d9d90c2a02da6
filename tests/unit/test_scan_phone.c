/* test_scan_phone.c: src/scan/types/phone.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_phone;
#define T (&scan_type_phone)

static const scan_type_ctx al = {"AL", "355"};
static const scan_type_ctx fr = {"FR", "33"};
static const scan_type_ctx us = {"US", "1"};

/* input must be one phone number spanning all of it, with this feature */
static void one(const char *input, const scan_type_ctx *ctx, const char *feature)
{
    th_want w[] = {{"phone", 0, strlen(input), feature}, {NULL, 0, 0, NULL}};
    th_check(T, input, ctx, w);
}

static void none(const char *input, const scan_type_ctx *ctx)
{
    th_want w[] = {{NULL, 0, 0, NULL}};
    th_check(T, input, ctx, w);
}

static void test_international(void **state)
{
    (void)state;
    one("+355 69 123 4567", NULL, "+355691234567");
    one("+355691234567", NULL, "+355691234567");
    one("+355-69-123-4567", &fr, "+355691234567"); /* the scan's country does not matter */
    one("00355 69 123 4567", NULL, "+355691234567");
    one("0035569 123 4567", NULL, "+355691234567");
    one("+355 (0)69 123 4567", NULL, "+355691234567");
    one("+355 4 222 3333", NULL, "+35542223333");
    one("+44 (0)20 7946 0958", NULL, "+442079460958");
    one("+1 (212) 555-1234", NULL, "+12125551234");
    one("+49 30 12345678", NULL, "+493012345678");
    one("+33 6 12 34 56 78", NULL, "+33612345678");
    one("+39 06 1234 5678", NULL, "+390612345678"); /* Italy keeps the 0 */
    one("+30 210 123 4567", NULL, "+302101234567");
    one("(+355) 69 123 4567", NULL, "+355691234567");
}

static void test_national(void **state)
{
    (void)state;
    one("069 123 4567", &al, "+355691234567");
    one("069 123 4567", NULL, "0691234567");
    one("069 123 4567", &us, "0691234567"); /* no trunk 0 to drop in North America */
    one("(069) 123-4567", &al, "+355691234567");
    one("069.123.4567", &al, "+355691234567");
    one("069 1234567", &al, "+355691234567");
    one("0552 12345", &al, "+35555212345"); /* 0691 23456 is no number in the plan */
    one("04 222 3333", &al, "+35542223333");
    one("06 12 34 56 78", &fr, "+33612345678");
    one("06.12.34.56.78", &fr, "+33612345678");
    one("06-12-34-56-78", &fr, "+33612345678");
    one("030-1234567", NULL, "0301234567");
    one("(212) 555-1234", &us, "+12125551234");
    one("212-555-1234", &us, "+12125551234");
    none("212-555-1234", &al); /* no trunk prefix outside the North American plan */
    /* an unbalanced parenthesis is not part of the number */
    th_want w[] = {{"phone", 1, 13, "+355691234567"}, {NULL, 0, 0, NULL}};
    th_check(T, "(069 123 4567", &al, w);
}

static void test_in_text(void **state)
{
    (void)state;
    const char *in = "Call 069 123 4567 or +355 68 765 4321, not 2019.";
    th_want w[] = {{"phone", 5, 17, "+355691234567"},
                   {"phone", th_at(in, "+355"), th_at(in, ", not"), "+355687654321"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, &al, w);
    const char *tel = "tel:+355691234567\nTel. (069) 123 4567";
    th_want w2[] = {{"phone", 4, 17, "+355691234567"},
                    {"phone", th_at(tel, "(069)"), strlen(tel), "+355691234567"},
                    {NULL, 0, 0, NULL}};
    th_check(T, tel, &al, w2);
    /* numbers in a list, and a year after a number */
    const char *list = "069 123 4567 068 765 4321 2019";
    th_want w3[] = {
        {"phone", 0, 12, "+355691234567"}, {"phone", 13, 25, "+355687654321"}, {NULL, 0, 0, NULL}};
    th_check(T, list, &al, w3);
}

static void test_rejects(void **state)
{
    (void)state;
    none("0691234567", &al); /* a bare run of digits */
    none("1234567890", &al);
    none("12345678901234567890", &al);
    none("+3556912345678901234", &al); /* too long */
    none("+355 69 123", &al);          /* too short for Albania */
    none("+999 123 456 789", &al);     /* no such calling code */
    none("x+355691234567", &al);       /* glued to a word */
    none("ID069 123 4567", &al);
    none("069 123 4567x", &al);
    none("01.02.2019 12:30", &al); /* a date */
    none("2019-05-12", &al);
    none("0a 01 23 45 67 89 ff", &fr); /* a byte dump */
    none("1.069 123 4567", &al);       /* a decimal */
    none("0 1 2 3 4 5 6 7 8 9", &al);
    none("0 128 255 255", &al);             /* a row of numbers */
    none("Boston, MA 02110-1301 USA", &al); /* a ZIP+4 code */
    none("<Buffer 66 00 68 00 71 00 77 00 68 00 67>", &al);
    none("0 100 200 300", NULL);
    none("00355691234567", &al); /* 00 without any separator */
    none("069.1234567", &al);    /* dots: only with three groups */
    none("030/1234567", NULL);   /* slashes are not separators */
}

/* Numbers are checked against the numbering plan of their calling code. */
static void test_plan(void **state)
{
    (void)state;
    none("+355 69 123", NULL);     /* too short */
    none("+20191229111838", NULL); /* a date and time after '+' (a version string) */
    none("1:10~+20191229111838+6991d5728f1", NULL);
    none("069 123 4567", &fr);         /* no such French number */
    none("00 33 0002 00 00 B4", NULL); /* a hex dump */
    none("0035 0002 00 00", NULL);
    /* written as people write international numbers, a length the plan
     * allows is enough: the UK's drama range is in no assigned range */
    one("+44 7700 900123", NULL, "+447700900123");
    one("+355 68 111 2222", NULL, "+355681112222");
    none("+447700900123x", NULL);
    none("0044 7700 900123", NULL); /* "00": the number must be assigned */
}

/* PDF and PostScript drawing: rows of numbers, not telephone numbers. */
static void test_drawing(void **state)
{
    (void)state;
    none("1 0 0 1 72 501.654 cm\n0 0 468 35.866 re f\nQ", &al);
    none("0 0 468 35.866 re", NULL);
    none("/MediaBox [0 0 595.276 841.89]\n", NULL);
    none("[0 0 609.714 789.041]", &fr);
    none("0 0 0 468 1 0 m", NULL);
    none("sys_enter     1 00840.847582083     7506 perf", NULL); /* a time stamp */
    none("00000000 08:01 2142121    /bin/cat", NULL);            /* /proc/PID/maps */
    none("/* IMP: R-03371-37637 */", NULL);                      /* an id glued by '-' */
    none("ISBN 0387 98618 9", NULL);
    none("01 00000000:00000001 01:000", NULL);
}

/* A bare national number is one after a label. */
static void test_labels(void **state)
{
    (void)state;
    const char *in[] = {"tel 0691234567",   "Tel.: 0691234567",   "TEL:0691234567",
                        "phone 0691234567", "mob 0691234567",     "Mobile: 0691234567",
                        "cel 0691234567",   "nr. tel 0691234567", "Tel. 069 1234567"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        size_t at = strcspn(in[i], "0123456789");
        th_want w[] = {{"phone", at, strlen(in[i]), "+355691234567"}, {NULL, 0, 0, NULL}};
        th_check(T, in[i], &al, w);
    }
    const char *us_in = "Phone: 2125551234";
    th_want w[] = {{"phone", 7, strlen(us_in), "+12125551234"}, {NULL, 0, 0, NULL}};
    th_check(T, us_in, &us, w);
    none("hotel 0691234567", &al);  /* not a label: part of a word */
    none("tel 0691234567", &fr);    /* a label, but no French number */
    none("total 0691234567", &al);  /* no label */
    none("tel 0691234567890", &al); /* too long */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_international), cmocka_unit_test(test_national),
        cmocka_unit_test(test_in_text),       cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_plan),          cmocka_unit_test(test_drawing),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
