/* test_scan_ccn.c: src/scan/types/ccn.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_ccn;
#define T (&scan_type_ccn)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "4111111111111111", "4111111111111111");
    th_one(T, "4111 1111 1111 1111", "4111111111111111");
    th_one(T, "4111-1111-1111-1111", "4111111111111111");
    th_one(T, "5555555555554444", "5555555555554444");
    th_one(T, "2223003122003222", "2223003122003222"); /* Mastercard 2-series */
    th_one(T, "378282246310005", "378282246310005");
    th_one(T, "3782 822463 10005", "378282246310005");
    th_one(T, "6011111111111117", "6011111111111117");
    th_one(T, "4532 0151 1283 0366", "4532015112830366");
    th_one(T, "3530111333300000", "3530111333300000"); /* JCB */
    th_one(T, "30569309025904", "30569309025904");     /* Diners, 14 digits */
    th_one(T, "3056 930902 5904", "30569309025904");
    th_one(T, "6200000000000005", "6200000000000005"); /* UnionPay */
    th_one(T, "4222222222222", "4222222222222");       /* Visa, 13 digits */
    th_one(T, "5018 0000 0009", "501800000009");       /* Maestro, 12 digits */
    const char *in = "card: 4532 0151 1283 0366, exp 12/27; amex 3782-822463-10005.";
    th_want w[] = {{"ccn", 6, 25, "4532015112830366"},
                   {"ccn", th_at(in, "3782"), strlen(in) - 1, "378282246310005"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    /* an expiry date or a CVV right after the number is not part of it */
    const char *cvv = "4111 1111 1111 1111 123";
    th_want w2[] = {{"ccn", 0, 19, "4111111111111111"}, {NULL, 0, 0, NULL}};
    th_check(T, cvv, NULL, w2);
    th_check(T, "4111 1111 1111 1111 1225", NULL, w2);
    th_check(T, "4111 1111 1111 1111 12ab", NULL, w2);
    /* a label before it, or one hex word beside it, is no id context */
    const char *lab = "Card number: 4111111111111111 paid";
    th_want w3[] = {{"ccn", 13, 29, "4111111111111111"}, {NULL, 0, 0, NULL}};
    th_check(T, lab, NULL, w3);
    const char *one_hex = "ref 0a3f 4111111111111111 ok";
    th_want w4[] = {{"ccn", 9, 25, "4111111111111111"}, {NULL, 0, 0, NULL}};
    th_check(T, one_hex, NULL, w4);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "4111111111111112"); /* Luhn */
    th_none(T, "4111 1111 1111 1112");
    th_none(T, "41111111111111111"); /* 17 digits: no Visa length */
    th_none(T, "94111111111111111"); /* inside a longer digit run */
    th_none(T, "41111111111111110000");
    th_none(T, "12 4111 1111 1111 1111");
    th_none(T, "4111 1111-1111 1111"); /* mixed separators */
    th_none(T, "4111 11111111 1111");  /* not a printed grouping */
    th_none(T, "x4111111111111111");
    th_none(T, "4111111111111111_");
    th_none(T, "1.4111111111111111");                   /* a decimal */
    th_none(T, "example.com/feature/4111111111111111"); /* an id in a URL path */
    th_none(T, "4111111111111111,5");
    th_none(T, "1234567812345670");  /* Luhn-valid, no issuer */
    th_none(T, "378282246310005 0"); /* fine alone, but not with a digit group after */
    th_none(T, "501800000009");      /* 12-digit Maestro: only when grouped */
    /* glued to a word by '-' or '_': a file name, an id */
    th_none(T, "repacker-fuzzer-5390364397928448 | Bin 0 -> 423 bytes");
    th_none(T, "clusterfuzz-testcase-minimized-hb-fuzzer-6264625609834496");
    th_none(T, "crash_5390364397928448");
    th_none(T, "5390364397928448-fuzzer");
    th_none(T, "5390364397928448_x");
    /* in a hex dump, after the name of an id */
    th_none(T, "00a0 1f2b 4111111111111111 c0de 0f1e");
    th_none(T, "reqNonce: 3843061514398340071");
    th_none(T, "session_id=4111111111111111");
    th_none(T, "\"uuid\": \"4111111111111111\"");
    th_none(T, "Serial 4111 1111 1111 1111");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
