/* eth.c: Ethereum addresses: "0x" and 40 hex digits, not inside a longer hex
 * run (a 64-digit transaction hash is not an address) nor glued to a word.
 * Mixed case must satisfy the EIP-55 checksum; all lower or all upper case
 * carries no checksum and is accepted.  Anchor: "0x" + 40 hex digits; the
 * extractor finds the "0x" by walking left over hex digits.  Feature: lower
 * case with the "0x". */
#include "scan/scan_type.h"
#include "scan/validate.h"

static int eth_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                       const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t p = at;
    while (p > lo && val_is_hex(buf[p - 1]) && at - p <= 41)
        p--;
    /* p is the first hex digit after the 'x' */
    if (p < lo + 2 || buf[p - 1] != 'x' || buf[p - 2] != '0')
        return 0;
    size_t e = p;
    while (e < hi && val_is_hex(buf[e]) && e - p <= 40)
        e++;
    if (e - p != 40 || (e < hi && (val_is_alnum(buf[e]) || buf[e] == '_')))
        return 0;
    size_t s = p - 2;
    if (s > lo && (val_is_alnum(buf[s - 1]) || buf[s - 1] == '_'))
        return 0;
    if (!val_eip55((const char *)buf + p))
        return 0;
    char f[42] = {'0', 'x'};
    for (size_t i = 0; i < 40; i++)
        f[2 + i] = (char)val_lower(buf[p + i]);
    return out->add(out, "eth", s, e, f, sizeof f);
}

static const scan_pattern eth_patterns[] = {
    {"0x[0-9a-fA-F]{40}", 0},
};

const scan_type scan_type_eth = {
    "eth",
    eth_patterns,
    sizeof eth_patterns / sizeof eth_patterns[0],
    eth_extract,
};
