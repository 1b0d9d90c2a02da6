/* test_scan_ipv4.c: src/scan/types/ipv4.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_ipv4;
#define T (&scan_type_ipv4)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "192.168.1.254", "192.168.1.254");
    th_one(T, "8.8.8.8", "8.8.8.8");
    const char *in = "from 10.0.0.1:443 to [172.16.254.1], then 1.2.3.4.";
    th_want w[] = {{"ipv4", 5, 13, "10.0.0.1"},
                   {"ipv4", th_at(in, "172"), th_at(in, "]"), "172.16.254.1"},
                   {"ipv4", th_at(in, "1.2.3.4"), strlen(in) - 1, "1.2.3.4"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    th_want h[] = {{"ipv4", 6, 17, "203.0.113.7"}, {NULL, 0, 0, NULL}};
    th_check(T, "Host: 203.0.113.7", NULL, h);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "01.02.03.04"); /* leading zeros */
    th_none(T, "1.2.3.4.5");   /* five parts: a version or an OID */
    th_none(T, "10.0.0.1.2");
    th_none(T, "256.1.1.1");
    th_none(T, "0.0.0.0");
    th_none(T, "0.9.8.1");
    th_none(T, "v1.2.3.4");
    th_none(T, "version 5.1.2.3");
    th_none(T, "Version: 5.1.2.3");
    th_none(T, "ver 10.2.3.4");
    th_none(T, "abc1.2.3.4");
    th_none(T, "1.2.3.4a");
    th_none(T, ".1.2.3.4");
    th_none(T, "1.2.3.4444");
    th_none(T, "2.5.29.32"); /* an X.509 OID */
    th_none(T, "see Section 19.1.2.20 of");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
