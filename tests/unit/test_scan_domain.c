/* test_scan_domain.c: src/scan/types/domain.c (bare host names). */
#include "scan_type_harness.h"

extern const scan_type scan_type_domain;
#define T (&scan_type_domain)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "www.Example.co", "www.example.co"); /* www. allows any real TLD */
    th_one(T, "shqiperia.com.al", "shqiperia.com.al");
    th_one(T, "punetebrendshme.gov.al", "punetebrendshme.gov.al");
    th_one(T, "Mail.Google.COM", "mail.google.com");
    th_one(T, "www.bank-x.onion", "www.bank-x.onion");
    th_one(T, "x.com", "x.com");
    const char *in = "visit news.example.org, or www.site.info.";
    th_want w[] = {{"domain", 6, 22, "news.example.org"},
                   {"domain", th_at(in, "www"), strlen(in) - 1, "www.site.info"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_cookie_domain(void **state)
{
    (void)state;
    /* the leading dot of a cookie domain is not part of the name */
    th_want w[] = {{"domain", 1, 13, "facebook.com"}, {NULL, 0, 0, NULL}};
    th_check(T, ".facebook.com", NULL, w);
}

static void test_from_email_and_url(void **state)
{
    (void)state;
    /* the same bounds as email.c and url.c report */
    const char *in = "x@mail.example.com http://code.example.org/";
    th_want w[] = {{"domain", 2, 18, "mail.example.com"},
                   {"domain", th_at(in, "code"), strlen(in) - 1, "code.example.org"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    /* uncommon TLDs are left to email.c and url.c, which know the context */
    th_none(T, "x@mail.example.py http://code.example.sh/");
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "setup.py"); /* a real TLD, but a file name */
    th_none(T, "README.md");
    th_none(T, "libc.so.6");
    th_none(T, "file.txt");
    th_none(T, "foo.dll");
    th_none(T, "java.io.File");
    th_none(T, "org.apache.commons");
    th_none(T, "C:\\WINDOWS\\COMMAND.COM");
    th_none(T, "/usr/share/example.com");
    th_none(T, "info.net@x.zz"); /* local part of an address */
    th_none(T, "my_site.com");
    th_none(T, "example.community");
    th_none(T, "shqiperia.al"); /* no anchor label: found only in URLs, e-mail, www. */
    th_none(T, "com.al");
    th_none(T, "bank-x.onion"); /* bare .onion: only in URLs, e-mail, www. (speed) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_cookie_domain),
        cmocka_unit_test(test_from_email_and_url),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
