/* test_scan_btc.c: src/scan/types/btc.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_btc;
#define T (&scan_type_btc)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
    th_one(T, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
    th_one(T, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    th_one(T, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
           "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    th_one(T, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
           "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    th_one(T, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
           "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
    th_one(T, "BC1SW50QGDZ25J", "bc1sw50qgdz25j");
    const char *in = "pay bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=0.1 or "
                     "\"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\"";
    th_want w[] = {
        {"btc", th_at(in, "1Bv"), th_at(in, "?amount"), "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"},
        {"btc", th_at(in, "bc1"), strlen(in) - 1, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"); /* checksum */
    th_none(T, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVn2"); /* case changed */
    th_none(T, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLY");
    th_none(T, "x1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"); /* glued to a word */
    th_none(T, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2x");
    th_none(T, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr");
    th_none(T, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdQ"); /* mixed case */
    th_none(T, "abc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    th_none(T, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"); /* testnet */
    /* BIP-173's v1 example in bech32: invalid since BIP-350 */
    th_none(T, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx");
    th_none(T, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"); /* v0 in bech32m */
    /* a Litecoin-style version byte with a valid checksum */
    th_none(T, "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
