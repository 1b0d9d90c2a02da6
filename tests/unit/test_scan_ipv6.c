/* test_scan_ipv6.c: src/scan/types/ipv6.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_ipv6;
#define T (&scan_type_ipv6)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
    th_one(T, "2001:DB8::1", "2001:db8::1");
    th_one(T, "fe80::1", "fe80::1");
    th_one(T, "::1", "::1");
    th_one(T, "::ffff:192.0.2.1", "::ffff:192.0.2.1");
    th_one(T, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
    const char *in = "addr:fe80::a00:27ff:fe4e:66a1, via [2a02:4780:9::1]:443.";
    th_want w[] = {{"ipv6", 5, th_at(in, ","), "fe80::a00:27ff:fe4e:66a1"},
                   {"ipv6", th_at(in, "2a02"), th_at(in, "]"), "2a02:4780:9::1"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "::");
    th_none(T, "x[1::2]"); /* Python slices */
    th_none(T, "a[10::3]");
    th_none(T, ">4::<");
    th_none(T, "::8");
    th_none(T, "::DB7,B/");
    th_none(T, "12:34:56");                /* a time */
    th_none(T, "00:1a:2b:3c:4d:5e");       /* a MAC address */
    th_none(T, "de:ad:be:ef:00:11:22:33"); /* eight byte pairs: a dump */
    th_none(T, "01:23:45:67:89:01:23:45");
    th_none(T, "std::abc");
    th_none(T, "Foo::Bar1");
    th_none(T, "a::b");          /* no digit: C++ more likely than an address */
    th_none(T, "1:2:3:4:5:6:7"); /* seven groups, no :: */
    th_none(T, "1:2:3:4:5:6:7:8:9");
    th_none(T, "1::2::3");
    th_none(T, "fe80::1g");
    th_none(T, "0000:1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
