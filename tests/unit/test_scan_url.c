/* test_scan_url.c: src/scan/types/url.c through its anchors. */
#include "scan_type_harness.h"

extern const scan_type scan_type_url;
#define T (&scan_type_url)

static void test_plain(void **state)
{
    (void)state;
    const char *in = "https://www.example.com/path?q=1#frag";
    th_want w[] = {{"url", 0, strlen(in), "https://www.example.com/path?q=1#frag"},
                   {"domain", 8, 23, "www.example.com"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_case_and_trailing_punctuation(void **state)
{
    (void)state;
    const char *in = "See HTTP://Paste.Example.AL/Raw/AbC.";
    th_want w[] = {{"url", 4, strlen(in) - 1, "http://paste.example.al/Raw/AbC"},
                   {"domain", 11, 27, "paste.example.al"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_parentheses(void **state)
{
    (void)state;
    const char *in = "(see http://en.wikipedia.org/wiki/Foo_(bar)) and (ftp://files.example.org)";
    th_want w[] = {{"url", 5, th_at(in, ")) and") + 1, "http://en.wikipedia.org/wiki/Foo_(bar)"},
                   {"domain", 12, 28, "en.wikipedia.org"},
                   {"url", th_at(in, "ftp"), strlen(in) - 1, "ftp://files.example.org"},
                   {"domain", th_at(in, "files"), strlen(in) - 1, "files.example.org"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_userinfo_port_ip(void **state)
{
    (void)state;
    const char *in = "ftp://admin:s3cret@Files.Example.COM:2121/x \"http://10.0.0.1:8080/admin\"";
    th_want w[] = {{"url", 0, th_at(in, " \""), "ftp://admin:s3cret@files.example.com:2121/x"},
                   {"domain", th_at(in, "Files"), th_at(in, ":2121"), "files.example.com"},
                   {"url", th_at(in, "http"), strlen(in) - 1, "http://10.0.0.1:8080/admin"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_ipv6_host(void **state)
{
    (void)state;
    th_one(T, "http://[2001:db8::1]:80/", "http://[2001:db8::1]:80/");
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "news://example.com/");  /* not a scheme we report */
    th_none(T, "xhttp://example.com/"); /* scheme glued to a word */
    th_none(T, "http://localhost/");    /* no TLD */
    th_none(T, "http://foo.exe/");      /* not a TLD */
    th_none(T, "http://");              /* nothing after */
    th_none(T, "http://.");             /* nothing left after trimming */
    th_none(T, "http://exa_mple.com/"); /* '_' in the host */
    th_none(T, "http://example.com:80a/");
    th_none(T, "C:\\x://y");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),       cmocka_unit_test(test_case_and_trailing_punctuation),
        cmocka_unit_test(test_parentheses), cmocka_unit_test(test_userinfo_port_ip),
        cmocka_unit_test(test_ipv6_host),   cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
