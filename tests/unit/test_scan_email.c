/* test_scan_email.c: src/scan/types/email.c through its anchors. */
#include "scan_type_harness.h"

extern const scan_type scan_type_email;
#define T (&scan_type_email)

static void test_plain(void **state)
{
    (void)state;
    th_want w[] = {{"email", 0, 22, "john.smith@example.com"},
                   {"domain", 11, 22, "example.com"},
                   {NULL, 0, 0, NULL}};
    th_check(T, "john.smith@example.com", NULL, w);
}

static void test_case_and_punctuation(void **state)
{
    (void)state;
    const char *in = "Contact: John.Doe+tag@Mail.Example.AL. Thanks";
    th_want w[] = {{"email", 9, 37, "john.doe+tag@mail.example.al"},
                   {"domain", 22, 37, "mail.example.al"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_in_markup(void **state)
{
    (void)state;
    const char *in = "<a href=\"mailto:troll_farm-01@proton.me\">x</a> <ops@gov.al>";
    th_want w[] = {{"email", th_at(in, "troll"), th_at(in, "\">x"), "troll_farm-01@proton.me"},
                   {"domain", th_at(in, "proton"), th_at(in, "\">x"), "proton.me"},
                   {"email", th_at(in, "ops"), strlen(in) - 1, "ops@gov.al"},
                   {"domain", th_at(in, "gov.al"), strlen(in) - 1, "gov.al"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_leading_dot_trimmed(void **state)
{
    (void)state;
    th_want w[] = {
        {"email", 1, 17, "john@example.com"}, {"domain", 6, 17, "example.com"}, {NULL, 0, 0, NULL}};
    th_check(T, ".john@example.com", NULL, w);
}

/* '_' in the domain: the address as written (bulk_extractor reports it
 * too), but no domain feature: it is no host name. */
static void test_underscore_domain(void **state)
{
    (void)state;
    const char *in = "cell: xlsx_cell@microsoft_excel.com.";
    th_want w[] = {{"email", 6, strlen(in) - 1, "xlsx_cell@microsoft_excel.com"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    th_want w2[] = {{"email", 0, 22, "me@bad_host.mail.co.uk"}, {NULL, 0, 0, NULL}};
    th_check(T, "me@bad_host.mail.co.uk", NULL, w2);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "icon@2x.png");           /* not a TLD */
    th_none(T, "user@localhost");        /* no dot */
    th_none(T, "a@b.c");                 /* one-letter TLD */
    th_none(T, "foo@bar.txt");           /* file extension */
    th_none(T, "john..doe@example.com"); /* empty atom */
    th_none(T, "john.@example.com");     /* dot before @ */
    th_none(T, "@example.com");          /* no local part */
    th_none(T, "...@example.com");       /* nothing left of the dots */
    th_none(T, "me@-bad.com");           /* label starts with '-' */
    th_none(T, "me@_bad.com");           /* '_' starts a label */
    th_none(T, "me@bad.c_om");           /* '_' in the top-level domain */
    th_none(T, "me@bad_.com");
    th_none(T, "0123456789012345678901234567890123456789012345678901234567890123456789@x.com");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),     cmocka_unit_test(test_case_and_punctuation),
        cmocka_unit_test(test_in_markup), cmocka_unit_test(test_leading_dot_trimmed),
        cmocka_unit_test(test_rejects),   cmocka_unit_test(test_underscore_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
