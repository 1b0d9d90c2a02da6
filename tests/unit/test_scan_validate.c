/* test_scan_validate.c: the validators in src/scan/validate*.c against
 * published vectors (SWIFT IBAN registry examples, BIP-173/BIP-350, EIP-55,
 * Keccak) and near misses that must fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scan/validate.h"

#define S(x) (x), strlen(x)

static void test_luhn(void **state)
{
    (void)state;
    const char *good[] = {"4111111111111111", "5555555555554444", "378282246310005",
                          "6011111111111117", "79927398713",      "4532015112830366",
                          "371449635398431",  "3530111333300000", "30569309025904"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(val_luhn(S(good[i])), 1);
    const char *bad[] = {"4111111111111112", "5555555555554445", "378282246310006",
                         "79927398710",      "4111-1111",        ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(val_luhn(S(bad[i])), 0);
}

#include "iban_vectors.h"

static void test_iban(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ibans / sizeof ibans[0]; i++) {
        if (!val_iban(S(ibans[i])))
            fail_msg("valid IBAN rejected: %s", ibans[i]);
        /* every single-digit change breaks mod-97 */
        char m[40];
        size_t n = strlen(ibans[i]);
        memcpy(m, ibans[i], n);
        m[n - 1] = m[n - 1] == '9' ? '0' : (val_is_digit(m[n - 1]) ? m[n - 1] + 1 : 'A');
        if (m[n - 1] == ibans[i][n - 1])
            m[n - 1] = 'B';
        if (val_iban(m, n))
            fail_msg("changed IBAN accepted: %.*s", (int)n, m);
        /* one character short or long: wrong length for the country */
        assert_int_equal(val_iban(ibans[i], n - 1), 0);
    }
    assert_int_equal(val_iban_length("AL"), 28);
    assert_int_equal(val_iban_length("DE"), 22);
    assert_int_equal(val_iban_length("NO"), 15);
    assert_int_equal(val_iban_length("RU"), 33);
    assert_int_equal(val_iban_length("US"), 0);
    assert_int_equal(val_iban(S("AL47212110090000000235698742")), 0);
    assert_int_equal(val_iban(S("AL4721211009000000023569874")), 0);
    assert_int_equal(val_iban(S("AL47212110090000000235698741X")), 0);
    assert_int_equal(val_iban(S("GB82west12345698765432")), 0);      /* lower case */
    assert_int_equal(val_iban(S("US82WEST12345698765432")), 0);      /* no IBAN country */
    assert_int_equal(val_iban(S("GB00WEST12345698765432")), 0);      /* check digits 00 */
    assert_int_equal(val_iban(S("DE89 3704 0044 0532 0130 00")), 0); /* spaces: compact only */
}

static void test_base58check(void **state)
{
    (void)state;
    uint8_t out[32];
    size_t n = 0;
    assert_int_equal(val_base58check(S("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), out, 32, &n), 1);
    assert_int_equal(n, 21);
    assert_int_equal(out[0], 0x00);
    assert_int_equal(out[1], 0x77); /* hash160 77bff20c60e522dfaa3350c39b030a5d004e839a */
    assert_int_equal(out[20], 0x9a);
    assert_int_equal(val_base58check(S("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), out, 32, &n), 1);
    assert_int_equal(n, 21);
    assert_int_equal(out[0], 0x05);
    assert_int_equal(val_base58check(S("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"), out, 32, &n), 1);
    assert_int_equal(out[1], 0x62); /* genesis: 62e907b15cbf27d5425399ebf6f0fb50ebb88f18 */
    /* one character changed, case swapped, a character outside the alphabet */
    assert_int_equal(val_base58check(S("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"), out, 32, &n), 0);
    assert_int_equal(val_base58check(S("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVn2"), out, 32, &n), 0);
    assert_int_equal(val_base58check(S("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLY"), out, 32, &n), 0);
    assert_int_equal(val_base58check(S("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNV0"), out, 32, &n), 0);
    assert_int_equal(val_base58check(S("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNV"), out, 32, &n), 0);
}

/* Odd inputs at the limits: no crash, no false accept. */
static void test_limits(void **state)
{
    (void)state;
    char s[100];
    uint8_t out[32], data[90];
    char hrp[84], t[46];
    size_t n;
    memset(s, '1', sizeof s);
    assert_int_equal(val_base58check(s, 80, out, sizeof out, &n), 0);
    assert_int_equal(val_base58check(s, 81, out, sizeof out, &n), 0);
    memset(s, 'z', sizeof s);
    assert_int_equal(val_base58check(s, 80, out, sizeof out, &n), 0);
    assert_int_equal(val_bech32_decode(s, 90, hrp, sizeof hrp, data, sizeof data, &n), 0);
    assert_int_equal(val_bech32_decode(s, 100, hrp, sizeof hrp, data, sizeof data, &n), 0);
    assert_int_equal(val_ipv6(s, 46, t), 0);
    assert_int_equal(val_ipv6(s, 100, t), 0);
    assert_int_equal(val_iban(s, 100), 0);
    assert_int_equal(val_hostname(s, 100, VAL_TLD_ANY), 0);
    assert_int_equal(val_calling_code(s, 0), 0);
    assert_int_equal(val_eip55("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe\0"), 0);
}

static void test_bech32(void **state)
{
    (void)state;
    char hrp[84];
    uint8_t data[90];
    size_t n;
    /* BIP-173 valid bech32 */
    const char *b32[] = {"A12UEL5L",
                         "a12uel5l",
                         "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcha"
                         "ractersbio1tt5tgs",
                         "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                         "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
                         "qqqqqqqqqqqc8247j",
                         "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
                         "?1ezyfcl"};
    for (size_t i = 0; i < sizeof b32 / sizeof b32[0]; i++)
        if (val_bech32_decode(S(b32[i]), hrp, sizeof hrp, data, sizeof data, &n) != VAL_BECH32)
            fail_msg("bech32 rejected: %s", b32[i]);
    /* BIP-350 valid bech32m */
    const char *b32m[] = {"A1LQFN3A",
                          "a1lqfn3a",
                          "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbi"
                          "oandnumber11sg7hg6",
                          "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
                          "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll"
                          "llllllllllllludsr8",
                          "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
                          "?1v759aa"};
    for (size_t i = 0; i < sizeof b32m / sizeof b32m[0]; i++)
        if (val_bech32_decode(S(b32m[i]), hrp, sizeof hrp, data, sizeof data, &n) != VAL_BECH32M)
            fail_msg("bech32m rejected: %s", b32m[i]);
    assert_int_equal(val_bech32_decode(S("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"), hrp,
                                       sizeof hrp, data, sizeof data, &n),
                     VAL_BECH32);
    assert_string_equal(hrp, "abcdef");
    assert_int_equal(n, 32);
    assert_int_equal(data[0], 0);
    assert_int_equal(data[31], 31);
    /* BIP-173 / BIP-350 invalid strings */
    const char *bad[] = {" 1nwldj5",
                         "\x7f"
                         "1axkwrx",
                         "\x80"
                         "1eym55h",
                         "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedch"
                         "aractersbio1569pvx",
                         "pzry9x0s0muk",
                         "1pzry9x0s0muk",
                         "x1b4n0q5v",
                         "li1dgmt3",
                         "de1lg7wt\xff",
                         "A1G7SGD8",
                         "10a06t8",
                         "1qzzfhee",
                         "qyrz8wqd2c9m",
                         "1qyrz8wqd2c9m",
                         "y1b0jsk6g",
                         "lt1igcx5c0",
                         "in1muywd",
                         "mm1crxm3i",
                         "au1s5cgom",
                         "M1VUXWEZ",
                         "16plkw9",
                         "1p2gdwpf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (val_bech32_decode(S(bad[i]), hrp, sizeof hrp, data, sizeof data, &n) != 0)
            fail_msg("invalid bech32 accepted: %s", bad[i]);
}

static void test_segwit(void **state)
{
    (void)state;
    int ver;
    uint8_t prog[40];
    size_t pl;
    struct {
        const char *hrp, *addr;
        int ver;
        size_t len;
    } good[] = {
        {"bc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, 20},
        {"tb", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", 0, 32},
        {"bc", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", 1, 40},
        {"bc", "BC1SW50QGDZ25J", 16, 2},
        {"bc", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", 2, 16},
        {"tb", "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", 0, 32},
        {"tb", "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", 1, 32},
        {"bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", 1, 32},
        {"bc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 0, 20},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!val_segwit(good[i].hrp, S(good[i].addr), &ver, prog, &pl))
            fail_msg("segwit rejected: %s", good[i].addr);
        assert_int_equal(ver, good[i].ver);
        assert_int_equal(pl, good[i].len);
    }
    assert_int_equal(prog[0], 0xe8); /* bc1qar0s...: e8df018c7e326cc253faac7e46cdc51e68542c42 */
    const char *bad[] = {
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
        "bc1pw5dgrnzv",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
        "bc1gmk9yu",
        /* BIP-173 v1 address in bech32: invalid since BIP-350 */
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
        /* one character changed */
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (val_segwit("bc", S(bad[i]), &ver, prog, &pl))
            fail_msg("invalid segwit accepted: %s", bad[i]);
    const char *bad_tb[] = {
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    };
    for (size_t i = 0; i < sizeof bad_tb / sizeof bad_tb[0]; i++)
        if (val_segwit("tb", S(bad_tb[i]), &ver, prog, &pl))
            fail_msg("invalid segwit accepted: %s", bad_tb[i]);
    /* the right address under the wrong network */
    assert_int_equal(
        val_segwit("tb", S("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), NULL, NULL, NULL), 0);
}

static void hex32(const uint8_t h[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void test_keccak(void **state)
{
    (void)state;
    uint8_t h[32];
    char hex[65];
    char a[300];
    memset(a, 'a', sizeof a);
    struct {
        const char *in;
        size_t n;
        const char *want;
    } v[] = {
        {"", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
        {"abc", 3, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
        {"The quick brown fox jumps over the lazy dog", 43,
         "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
        /* around the 136-byte rate: one block, padding in a block of its own,
         * several blocks (computed with an independent implementation that
         * matches FIPS-202 SHA3-256 when given its padding) */
        {a, 135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"},
        {a, 136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"},
        {a, 300, "5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba0fc1babe1ef826"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        val_keccak256(v[i].in, v[i].n, h);
        hex32(h, hex);
        assert_string_equal(hex, v[i].want);
    }
}

static void test_eip55(void **state)
{
    (void)state;
    const char *good[] = {
        "52908400098527886E0F7030069857D2E4169EE7", "8617E340B3D01FA5F11F306F4090FD50E238070D",
        "de709f2102306220921060314715629080e2fb77", "27b1fdb04752bbc536007a920d24acb045561c26",
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!val_eip55(good[i]))
            fail_msg("EIP-55 rejected: %s", good[i]);
    /* one letter's case flipped, a non-hex character */
    const char *bad[] = {
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "fB6916095ca1df60bB79Ce92cE3Ea74c37c5D359", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (val_eip55(bad[i]))
            fail_msg("bad EIP-55 accepted: %s", bad[i]);
}

static void test_ip(void **state)
{
    (void)state;
    uint8_t a[4];
    assert_int_equal(val_ipv4(S("192.168.1.254"), a), 1);
    assert_int_equal(a[0], 192);
    assert_int_equal(a[3], 254);
    assert_int_equal(val_ipv4(S("0.0.0.0"), a), 1);
    assert_int_equal(val_ipv4(S("255.255.255.255"), a), 1);
    const char *bad4[] = {"256.1.1.1", "01.02.03.04", "1.2.3",      "1.2.3.4.5", "1..2.3",
                          "1.2.3.4 ",  "1.2.3.",      "1234.1.1.1", "a.b.c.d",   ""};
    for (size_t i = 0; i < sizeof bad4 / sizeof bad4[0]; i++)
        if (val_ipv4(S(bad4[i]), a))
            fail_msg("bad IPv4 accepted: %s", bad4[i]);
    char t[46];
    struct {
        const char *in, *want;
    } v6[] = {
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
        {"2001:DB8::1", "2001:db8::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        {"fe80:0:0:0:0:0:0:1", "fe80::1"},
        {"::1", "::1"},
        {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
        {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
    };
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        assert_int_equal(val_ipv6(S(v6[i].in), t), 1);
        assert_string_equal(t, v6[i].want);
    }
    const char *bad6[] = {"1:2:3:4:5:6:7", "1::2::3", "12345::1", "g::1", ":::", ""};
    for (size_t i = 0; i < sizeof bad6 / sizeof bad6[0]; i++)
        if (val_ipv6(S(bad6[i]), t))
            fail_msg("bad IPv6 accepted: %s", bad6[i]);
}

static void test_hostname(void **state)
{
    (void)state;
    assert_int_equal(val_tld(S("com"), VAL_TLD_ANY), 1);
    assert_int_equal(val_tld(S("AL"), VAL_TLD_COMMON), 1);
    assert_int_equal(val_tld(S("py"), VAL_TLD_ANY), 1);
    assert_int_equal(val_tld(S("py"), VAL_TLD_COMMON), 0);
    assert_int_equal(val_tld(S("txt"), VAL_TLD_ANY), 0);
    assert_int_equal(val_tld(S("dll"), VAL_TLD_ANY), 0);
    assert_int_equal(val_tld(S("c0m"), VAL_TLD_ANY), 0);
    assert_int_equal(val_hostname(S("mail.example.com"), VAL_TLD_COMMON), 1);
    assert_int_equal(val_hostname(S("gov.al"), VAL_TLD_COMMON), 1);
    assert_int_equal(val_hostname(S("xn--80ak6aa92e.com"), VAL_TLD_ANY), 1);
    const char *bad[] = {"file.txt", "foo.dll", "libc.so.6", "localhost", "-a.com", "a-.com",
                         "a..com",   ".com",    "a.com.",    "a_b.com",   "1.2.3.4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (val_hostname(S(bad[i]), VAL_TLD_ANY))
            fail_msg("bad host accepted: %s", bad[i]);
    assert_int_equal(val_hostname(S("setup.py"), VAL_TLD_ANY), 1);
    assert_int_equal(val_hostname(S("setup.py"), VAL_TLD_COMMON), 0);
}

static void test_calling_code(void **state)
{
    (void)state;
    assert_int_equal(val_calling_code(S("355691234567")), 3);
    assert_int_equal(val_calling_code(S("12125551234")), 1);
    assert_int_equal(val_calling_code(S("442079460958")), 2);
    assert_int_equal(val_calling_code(S("79161234567")), 1);
    assert_int_equal(val_calling_code(S("38344123456")), 3);
    assert_int_equal(val_calling_code(S("2101234")), 0);
    assert_int_equal(val_calling_code(S("999")), 0);
    assert_int_equal(val_calling_code(S("35")), 0);
    int mn, mx;
    val_national_lengths("355", 3, &mn, &mx);
    assert_int_equal(mn, 8);
    assert_int_equal(mx, 9);
    val_national_lengths("1", 1, &mn, &mx);
    assert_int_equal(mn, 10);
    assert_int_equal(mx, 10);
}

static void test_window(void **state)
{
    (void)state;
    size_t lo, hi;
    val_window(100, 50, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 100);
    val_window(10000, 5000, &lo, &hi);
    assert_int_equal(lo, 5000 - 2048);
    assert_int_equal(hi, 5000 + 2048);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),        cmocka_unit_test(test_iban),
        cmocka_unit_test(test_base58check), cmocka_unit_test(test_bech32),
        cmocka_unit_test(test_segwit),      cmocka_unit_test(test_keccak),
        cmocka_unit_test(test_eip55),       cmocka_unit_test(test_ip),
        cmocka_unit_test(test_hostname),    cmocka_unit_test(test_calling_code),
        cmocka_unit_test(test_window),      cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
