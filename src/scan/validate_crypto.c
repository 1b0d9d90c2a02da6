/* validate_crypto.c: the wallet checksums: Base58Check (double SHA-256 from
 * OpenSSL), bech32/bech32m (BIP-173, BIP-350) and EIP-55, which needs
 * Keccak-256.  OpenSSL 3.0's SHA3-256 uses the FIPS-202 padding (0x06), not
 * Keccak's 0x01, so a small Keccak-f[1600] lives here. */
#include "scan/validate.h"

#include <string.h>

#include <openssl/sha.h>

/* --- Base58Check --------------------------------------------------------- */

static int b58_value(int c)
{
    static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

int val_base58check(const char *s, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t num[64]; /* big-endian, fixed width */
    size_t zeros = 0;
    if (n == 0 || n > 80)
        return 0;
    memset(num, 0, sizeof num);
    while (zeros < n && s[zeros] == '1')
        zeros++;
    for (size_t i = 0; i < n; i++) {
        int v = b58_value((unsigned char)s[i]);
        if (v < 0)
            return 0;
        unsigned carry = (unsigned)v;
        for (size_t j = sizeof num; j-- > 0;) {
            carry += 58u * num[j];
            num[j] = (uint8_t)carry;
            carry >>= 8;
        }
        if (carry)
            return 0;
    }
    size_t first = 0;
    while (first < sizeof num && num[first] == 0)
        first++;
    size_t total = zeros + (sizeof num - first);
    if (total < 5 || total - 4 > cap)
        return 0;
    uint8_t raw[80 + sizeof num]; /* leading zero bytes plus the number */
    memset(raw, 0, zeros);
    memcpy(raw + zeros, num + first, sizeof num - first);
    uint8_t h1[SHA256_DIGEST_LENGTH], h2[SHA256_DIGEST_LENGTH];
    SHA256(raw, total - 4, h1);
    SHA256(h1, sizeof h1, h2);
    if (memcmp(h2, raw + total - 4, 4) != 0)
        return 0;
    memcpy(out, raw, total - 4);
    *out_len = total - 4;
    return 1;
}

/* --- Bech32 / bech32m ---------------------------------------------------- */

static uint32_t bech32_polymod_step(uint32_t pre)
{
    uint8_t b = (uint8_t)(pre >> 25);
    return ((pre & 0x1FFFFFFu) << 5) ^ (-((b >> 0) & 1u) & 0x3b6a57b2u) ^
           (-((b >> 1) & 1u) & 0x26508e6du) ^ (-((b >> 2) & 1u) & 0x1ea119fau) ^
           (-((b >> 3) & 1u) & 0x3d4233ddu) ^ (-((b >> 4) & 1u) & 0x2a1462b3u);
}

static int bech32_charset_value(int c)
{
    static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const char *p = c ? strchr(charset, c) : NULL;
    return p ? (int)(p - charset) : -1;
}

int val_bech32_decode(const char *s, size_t n, char *hrp, size_t hrp_cap, uint8_t *data,
                      size_t data_cap, size_t *data_len)
{
    int lower = 0, upper = 0;
    size_t sep = 0;
    if (n < 8 || n > 90)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c < 33 || c > 126)
            return 0;
        if (c >= 'a' && c <= 'z')
            lower = 1;
        if (c >= 'A' && c <= 'Z')
            upper = 1;
        if (c == '1')
            sep = i;
    }
    if (lower && upper)
        return 0;
    /* hrp is 1..83 chars, then '1', then at least 6 checksum characters */
    if (sep < 1 || sep + 7 > n || sep + 1 > hrp_cap || n - sep - 7 > data_cap)
        return 0;
    uint32_t chk = 1;
    for (size_t i = 0; i < sep; i++)
        chk = bech32_polymod_step(chk) ^ ((unsigned)val_lower((unsigned char)s[i]) >> 5);
    chk = bech32_polymod_step(chk);
    for (size_t i = 0; i < sep; i++)
        chk = bech32_polymod_step(chk) ^ ((unsigned)val_lower((unsigned char)s[i]) & 0x1f);
    size_t nd = 0;
    for (size_t i = sep + 1; i < n; i++) {
        int v = bech32_charset_value(val_lower((unsigned char)s[i]));
        if (v < 0)
            return 0;
        chk = bech32_polymod_step(chk) ^ (uint32_t)v;
        if (i + 6 < n)
            data[nd++] = (uint8_t)v;
    }
    int kind;
    if (chk == 1)
        kind = VAL_BECH32;
    else if (chk == 0x2bc830a3u)
        kind = VAL_BECH32M;
    else
        return 0;
    for (size_t i = 0; i < sep; i++)
        hrp[i] = (char)val_lower((unsigned char)s[i]);
    hrp[sep] = '\0';
    *data_len = nd;
    return kind;
}

int val_segwit(const char *want_hrp, const char *s, size_t n, int *version, uint8_t *prog,
               size_t *prog_len)
{
    char hrp[84];
    uint8_t data[90], out[64];
    size_t nd = 0, no = 0;
    int kind = val_bech32_decode(s, n, hrp, sizeof hrp, data, sizeof data, &nd);
    if (!kind || strcmp(hrp, want_hrp) != 0 || nd < 1)
        return 0;
    int ver = data[0];
    if (ver > 16)
        return 0;
    if ((ver == 0 && kind != VAL_BECH32) || (ver != 0 && kind != VAL_BECH32M))
        return 0;
    /* regroup 5-bit groups into bytes; no padding beyond 4 bits, all zero */
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 1; i < nd; i++) {
        acc = ((acc << 5) | data[i]) & 0xfffu;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (no >= sizeof out)
                return 0;
            out[no++] = (uint8_t)(acc >> bits);
        }
    }
    if (bits >= 5 || ((acc << (8 - bits)) & 0xffu))
        return 0;
    if (no < 2 || no > 40 || (ver == 0 && no != 20 && no != 32))
        return 0;
    if (version)
        *version = ver;
    if (prog)
        memcpy(prog, out, no);
    if (prog_len)
        *prog_len = no;
    return 1;
}

/* --- Keccak-256 ---------------------------------------------------------- */

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};
static const unsigned keccak_rot[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                        27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned keccak_pi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                       15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static uint64_t rotl64(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

static void keccak_f1600(uint64_t st[25])
{
    for (int round = 0; round < 24; round++) {
        uint64_t bc[5];
        for (int i = 0; i < 5; i++)
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (int i = 0; i < 5; i++) {
            uint64_t t = bc[(i + 4) % 5] ^ rotl64(bc[(i + 1) % 5], 1);
            for (int j = 0; j < 25; j += 5)
                st[j + i] ^= t;
        }
        uint64_t t = st[1];
        for (int i = 0; i < 24; i++) {
            unsigned j = keccak_pi[i];
            uint64_t tmp = st[j];
            st[j] = rotl64(t, keccak_rot[i]);
            t = tmp;
        }
        for (int j = 0; j < 25; j += 5) {
            for (int i = 0; i < 5; i++)
                bc[i] = st[j + i];
            for (int i = 0; i < 5; i++)
                st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        st[0] ^= keccak_rc[round];
    }
}

void val_keccak256(const void *data, size_t n, uint8_t out[32])
{
    enum { RATE = 136 };
    uint64_t st[25];
    uint8_t block[RATE];
    const uint8_t *p = data;
    memset(st, 0, sizeof st);
    for (;;) {
        size_t take = n < RATE ? n : RATE;
        memset(block, 0, sizeof block);
        memcpy(block, p, take);
        if (take < RATE) {
            block[take] ^= 0x01;
            block[RATE - 1] ^= 0x80;
        }
        for (int i = 0; i < RATE / 8; i++) {
            uint64_t w = 0;
            for (int b = 7; b >= 0; b--)
                w = (w << 8) | block[i * 8 + b];
            st[i] ^= w;
        }
        keccak_f1600(st);
        if (take < RATE)
            break;
        p += take;
        n -= take;
    }
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++)
            out[i * 8 + b] = (uint8_t)(st[i] >> (8 * b));
}

int val_eip55(const char *hex40)
{
    int lower = 0, upper = 0;
    char low[40];
    for (int i = 0; i < 40; i++) {
        int c = (unsigned char)hex40[i];
        if (!val_is_hex(c))
            return 0;
        if (c >= 'a' && c <= 'f')
            lower = 1;
        if (c >= 'A' && c <= 'F')
            upper = 1;
        low[i] = (char)val_lower(c);
    }
    if (!(lower && upper))
        return 1;
    uint8_t h[32];
    val_keccak256(low, sizeof low, h);
    for (int i = 0; i < 40; i++) {
        int c = (unsigned char)hex40[i];
        if (val_is_digit(c))
            continue;
        int nib = (i & 1) ? (h[i / 2] & 0x0f) : (h[i / 2] >> 4);
        int want_upper = nib >= 8;
        if (want_upper != (c >= 'A' && c <= 'F'))
            return 0;
    }
    return 1;
}
