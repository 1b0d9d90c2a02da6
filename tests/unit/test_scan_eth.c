/* test_scan_eth.c: src/scan/types/eth.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_eth;
#define T (&scan_type_eth)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
           "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    th_one(T, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
           "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359");
    th_one(T, "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
           "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb");
    th_one(T, "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
           "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb");
    th_one(T, "0x52908400098527886E0F7030069857D2E4169EE7",
           "0x52908400098527886e0f7030069857d2e4169ee7");
    th_one(T, "0xde709f2102306220921060314715629080e2fb77",
           "0xde709f2102306220921060314715629080e2fb77");
    const char *in = "to=\"0x27b1fdb04752bbc536007a920d24acb045561c26\", value";
    th_want w[] = {{"eth", 4, 46, "0x27b1fdb04752bbc536007a920d24acb045561c26"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"); /* EIP-55 */
    th_none(T, "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    th_none(T, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae");   /* 39 digits */
    th_none(T, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0"); /* 41 digits */
    /* a transaction hash: 64 digits */
    th_none(T, "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b");
    th_none(T, "a0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    th_none(T, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedz");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
