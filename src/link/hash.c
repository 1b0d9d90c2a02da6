/* hash.c: feature hashing and the type weights of the link stage.
 *
 * A feature is hashed to 128 bits (MurmurHash3 x64 128, seeded by the type
 * name), so that the index holds fixed-size entries whatever the values'
 * lengths.  With 150 million distinct features the chance that any two
 * collide is about 2^-73; the values behind every link's explanation are
 * read back and re-hashed anyway (link_resolve). */
#include <string.h>

#include "link/link_int.h"

static const struct {
    const char *name;
    double weight;
} types[LT_NTYPES] = {
    /* Weights: what one shared feature of the type says about two devices
     * belonging together, before dividing by how many devices hold it.
     * Wallets, IBANs, card numbers, accounts and files point to a person or
     * an operation; phone numbers and e-mail addresses less so (they leak
     * into contact lists and mail); network names are mostly browsing.
     * Keywords are the examiner's own search terms: sharing them says
     * something about the search, not about the devices. */
    [LT_EMAIL] = {"email", 4.0}, [LT_URL] = {"url", 1.0},         [LT_DOMAIN] = {"domain", 0.5},
    [LT_IPV4] = {"ipv4", 1.0},   [LT_IPV6] = {"ipv6", 1.0},       [LT_PHONE] = {"phone", 4.0},
    [LT_CCN] = {"ccn", 8.0},     [LT_IBAN] = {"iban", 10.0},      [LT_BTC] = {"btc", 10.0},
    [LT_ETH] = {"eth", 10.0},    [LT_ACCOUNT] = {"account", 8.0}, [LT_KEYWORD] = {"keyword", 0.0},
    [LT_FILE] = {"file", 8.0},   [LT_OTHER] = {NULL, 1.0},
};

int link_type_code(const char *type)
{
    for (int i = 0; i < LT_OTHER; i++)
        if (strcmp(type, types[i].name) == 0)
            return i;
    return LT_OTHER;
}

double link_type_code_weight(int code)
{
    return types[code].weight;
}

double link_type_weight(const char *type)
{
    return types[link_type_code(type)].weight;
}

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint32_t fnv1a32(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void link_hash(const char *type, const void *value, size_t len, uint64_t *out1, uint64_t *out2)
{
    const uint8_t *data = value;
    const size_t nblocks = len / 16;
    uint32_t seed = fnv1a32(type);
    uint64_t h1 = seed, h2 = seed;
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;

    for (size_t i = 0; i < nblocks; i++) {
        uint64_t k1, k2;
        memcpy(&k1, data + i * 16, 8);
        memcpy(&k2, data + i * 16 + 8, 8);
        k1 *= c1;
        k1 = rotl64(k1, 31);
        k1 *= c2;
        h1 ^= k1;
        h1 = rotl64(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;
        k2 *= c2;
        k2 = rotl64(k2, 33);
        k2 *= c1;
        h2 ^= k2;
        h2 = rotl64(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }

    const uint8_t *tail = data + nblocks * 16;
    uint64_t k1 = 0, k2 = 0;
    switch (len & 15) {
    case 15:
        k2 ^= (uint64_t)tail[14] << 48; /* fall through */
    case 14:
        k2 ^= (uint64_t)tail[13] << 40; /* fall through */
    case 13:
        k2 ^= (uint64_t)tail[12] << 32; /* fall through */
    case 12:
        k2 ^= (uint64_t)tail[11] << 24; /* fall through */
    case 11:
        k2 ^= (uint64_t)tail[10] << 16; /* fall through */
    case 10:
        k2 ^= (uint64_t)tail[9] << 8; /* fall through */
    case 9:
        k2 ^= (uint64_t)tail[8];
        k2 *= c2;
        k2 = rotl64(k2, 33);
        k2 *= c1;
        h2 ^= k2;
        /* fall through */
    case 8:
        k1 ^= (uint64_t)tail[7] << 56; /* fall through */
    case 7:
        k1 ^= (uint64_t)tail[6] << 48; /* fall through */
    case 6:
        k1 ^= (uint64_t)tail[5] << 40; /* fall through */
    case 5:
        k1 ^= (uint64_t)tail[4] << 32; /* fall through */
    case 4:
        k1 ^= (uint64_t)tail[3] << 24; /* fall through */
    case 3:
        k1 ^= (uint64_t)tail[2] << 16; /* fall through */
    case 2:
        k1 ^= (uint64_t)tail[1] << 8; /* fall through */
    case 1:
        k1 ^= (uint64_t)tail[0];
        k1 *= c1;
        k1 = rotl64(k1, 31);
        k1 *= c2;
        h1 ^= k1;
    }

    h1 ^= (uint64_t)len;
    h2 ^= (uint64_t)len;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    *out1 = h1;
    *out2 = h2;
}
