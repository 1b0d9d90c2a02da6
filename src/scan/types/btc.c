/* btc.c: Bitcoin addresses.  Legacy P2PKH ('1...') and P2SH ('3...') are
 * Base58Check with version byte 0x00 or 0x05 and a 20-byte hash; segwit
 * addresses are "bc1" + bech32 (witness version 0) or bech32m (versions
 * 1..16).  Anchors: a whole word of 26-35 Base58 characters starting with 1
 * or 3 (the word bounds keep base64 blobs from firing at every byte), and
 * "bc1" + six bech32 characters.  The extractor takes the whole alphanumeric
 * word around the anchor, so a candidate inside a longer word is never
 * reported.  Feature: Base58 as found, bech32 lower-case. */
#include "scan/scan_type.h"
#include "scan/validate.h"

static int btc_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                       const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    /* the Base58 anchor ends one past the word (its right boundary) */
    if (at > lo && !val_is_alnum(buf[at - 1]))
        at--;
    size_t s = at, e = at;
    while (s > lo && val_is_alnum(buf[s - 1]) && e - s <= 90)
        s--;
    while (e < hi && val_is_alnum(buf[e]) && e - s <= 90)
        e++;
    size_t n = e - s;
    if (n < 14 || n > 90)
        return 0;
    const char *w = (const char *)buf + s;
    if ((w[0] == '1' || w[0] == '3') && n >= 26 && n <= 35) {
        uint8_t payload[32];
        size_t pl = 0;
        if (!val_base58check(w, n, payload, sizeof payload, &pl) || pl != 21)
            return 0;
        if ((w[0] == '1' && payload[0] != 0x00) || (w[0] == '3' && payload[0] != 0x05))
            return 0;
        return out->add(out, "btc", s, e, w, n);
    }
    if (n <= 74 && val_lower(w[0]) == 'b' && val_lower(w[1]) == 'c' && w[2] == '1') {
        if (!val_segwit("bc", w, n, NULL, NULL, NULL))
            return 0;
        char f[74];
        for (size_t i = 0; i < n; i++)
            f[i] = (char)val_lower((unsigned char)w[i]);
        return out->add(out, "btc", s, e, f, n);
    }
    return 0;
}

/* The base58 word costs Hyperscan a state per alphanumeric byte: it runs in
 * a SIMD first stage of its own (SCAN_PAT_NATIVE, same ends). */
static const scan_pattern btc_patterns[] = {
    {"(?:^|[^A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?:[^A-Za-z0-9]|$)", SCAN_PAT_NATIVE},
    {"bc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6}", SCAN_PAT_CASELESS},
};

const scan_type scan_type_btc = {
    "btc",
    btc_patterns,
    sizeof btc_patterns / sizeof btc_patterns[0],
    btc_extract,
};
