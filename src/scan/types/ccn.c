/* ccn.c: payment card numbers.  Anchors: a run of 13 digits, and a digit,
 * a space or dash and three digits.  The extractor takes the whole
 * run of digits and single separators around the anchor, so a number inside
 * a longer digit run is never cut out of it, and accepts it when the
 * grouping is one that cards are printed with, the issuer prefix and length
 * agree (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro, UnionPay,
 * Mir) and the Luhn check holds.  A run glued to a word by '-' or '_'
 * ("fuzzer-5390364397928448"), among hex words, or after the name of an id
 * ("reqNonce: 3843061514398340071") is not a card.  Feature: the digits
 * without separators. */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

#define CCN_MAX_RUN 40

static int is_sep(int c)
{
    return c == ' ' || c == '-';
}

static unsigned prefix(const char *d, int k)
{
    unsigned v = 0;
    for (int i = 0; i < k; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* Issuer identification number and length rules. */
static int ccn_brand_ok(const char *d, size_t n)
{
    unsigned p1 = prefix(d, 1), p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4),
             p6 = prefix(d, 6);
    if (p1 == 4) /* Visa */
        return n == 13 || n == 16 || n == 19;
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) /* Mastercard */
        return n == 16;
    if (p2 == 34 || p2 == 37) /* American Express */
        return n == 15;
    if (p4 >= 2200 && p4 <= 2204) /* Mir */
        return n >= 16 && n <= 19;
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 ||
        (p6 >= 622126 && p6 <= 622925)) /* Discover */
        return n >= 16 && n <= 19;
    if (p4 >= 3528 && p4 <= 3589) /* JCB */
        return n >= 16 && n <= 19;
    if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) /* Diners */
        return n >= 14 && n <= 19;
    if (p2 == 62) /* UnionPay */
        return n >= 16 && n <= 19;
    if (p2 == 50 || (p2 >= 56 && p2 <= 58) || p2 == 63 || p2 == 67 || p2 == 69) /* Maestro */
        return n >= 12 && n <= 19;
    return 0;
}

/* Groupings cards are printed with: 4-4-4-4(-1..3), 4-4-4-1..4, 4-4-4
 * (12-digit Maestro), 4-6-4, 4-6-5; or no separators at all. */
static int grouping_ok(const size_t *g, size_t ng)
{
    if (ng == 1)
        return 1;
    if (ng == 3)
        return g[0] == 4 && ((g[1] == 6 && (g[2] == 4 || g[2] == 5)) || (g[1] == 4 && g[2] == 4));
    if (ng == 4)
        return g[0] == 4 && g[1] == 4 && g[2] == 4 && g[3] >= 1 && g[3] <= 4;
    if (ng == 5)
        return g[0] == 4 && g[1] == 4 && g[2] == 4 && g[3] == 4 && g[4] >= 1 && g[4] <= 3;
    return 0;
}

/* Names after which a number is an identifier of something else. */
static const char *const id_words[] = {
    "id",       "uid",       "uuid",  "guid",  "nonce", "serial",   "hash",   "token",
    "seed",     "pid",       "tid",   "ino",   "inode", "seq",      "key",    "crc",
    "checksum", "timestamp", "ts",    "build", "rev",   "revision", "commit", "issue",
    "bug",      "ticket",    "crbug", "oss",   NULL,
};

static int ccn_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                       const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t s = at, e = at;
    while (s > lo && e - s <= CCN_MAX_RUN) {
        if (val_is_digit(buf[s - 1]))
            s--;
        else if (is_sep(buf[s - 1]) && s - 1 > lo && val_is_digit(buf[s - 2]) && s < hi &&
                 val_is_digit(buf[s]))
            s--;
        else
            break;
    }
    while (e < hi && e - s <= CCN_MAX_RUN) {
        if (val_is_digit(buf[e]))
            e++;
        else if (is_sep(buf[e]) && e + 1 < hi && val_is_digit(buf[e + 1]) && e > lo &&
                 val_is_digit(buf[e - 1]))
            e++;
        else
            break;
    }
    if (e - s > CCN_MAX_RUN)
        return 0;
    while (s < e && !val_is_digit(buf[s]))
        s++;
    while (e > s && !val_is_digit(buf[e - 1]))
        e--;
    if (e - s < 12)
        return 0;
    /* bounded: no letter, digit or '_' next to it, nor a decimal point or
     * thousands separator that makes it part of a bigger number (the right
     * side is checked below, per candidate) */
    if (s > lo) {
        int c = buf[s - 1];
        if (val_is_alnum(c) || c == '_' || c == '/' ||
            ((c == '.' || c == ',') && s - 1 > lo && val_is_digit(buf[s - 2])))
            return 0; /* '/': an id in a URL path ("/feature/5068609911521280") */
        /* glued to a word by '-' ("fuzzer-5390364397928448", a file name) */
        if (c == '-' && s - 1 > lo && (val_is_alnum(buf[s - 2]) || buf[s - 2] == '_'))
            return 0;
    }
    /* among hex words (a dump, hashes) or after an id's name ("reqNonce:
     * 3843061514398340071", "session_id=..."): an identifier, not a card */
    if (tu_hex_neighbour(buf, lo, hi, s, e, 4, 1) || tu_word_before(buf, lo, s, 4, id_words, 1))
        return 0;
    char d[CCN_MAX_RUN];
    size_t n = 0, g[CCN_MAX_RUN], gend[CCN_MAX_RUN], ng = 0, cur = 0;
    int sep[CCN_MAX_RUN];
    for (size_t i = s; i < e; i++) {
        int c = buf[i];
        if (val_is_digit(c)) {
            d[n++] = (char)c;
            cur++;
            continue;
        }
        g[ng] = cur, gend[ng] = i, sep[ng] = c, ng++;
        cur = 0;
    }
    g[ng] = cur, gend[ng] = e, sep[ng] = 0, ng++;
    /* The whole run, or the run without one short trailing group: an expiry
     * date or a CVV written after the number ("4111 1111 1111 1111 123"). */
    for (size_t drop = 0; drop <= 1; drop++) {
        size_t k = ng - drop, nd = 0;
        if (drop && (ng < 4 || g[ng - 1] > 4))
            break;
        if (!drop && e < hi) { /* the same bound on the right */
            int c = buf[e];
            if (val_is_alnum(c) || c == '_' ||
                ((c == '.' || c == ',') && e + 1 < hi && val_is_digit(buf[e + 1])) ||
                ((c == '-' || c == '_') && e + 1 < hi && val_is_alnum(buf[e + 1])))
                continue;
        }
        int same = 1;
        for (size_t j = 0; j < k; j++) {
            nd += g[j];
            if (j + 1 < k && sep[j] != sep[0])
                same = 0;
        }
        if (!same || nd < (k == 1 ? 13u : 12u) || nd > 19 || !grouping_ok(g, k) ||
            !ccn_brand_ok(d, nd) || !val_luhn(d, nd))
            continue;
        return out->add(out, "ccn", s, gend[k - 1], d, nd);
    }
    return 0;
}

/* Both anchors are shared, expression for expression, with other types
 * (the digit run with iban.c, the grouped shape with phone.c), so the
 * matcher runs each once: a bare digit-class pattern is among the most
 * expensive things to give Hyperscan, so the digit run is SCAN_PAT_NATIVE
 * (a SIMD first stage outside it, same ends).  Every printed grouping (4-4-4-4,
 * 4-6-5, 4-6-4, 4-4-4) contains "digit, separator, three digits". */
static const scan_pattern ccn_patterns[] = {
    {"[0-9A-Z]{2}[0-9]{2}[0-9A-Z]{9}", SCAN_PAT_NATIVE},
    {"[0-9][ -][0-9]{3}", 0},
};

const scan_type scan_type_ccn = {
    "ccn",
    ccn_patterns,
    sizeof ccn_patterns / sizeof ccn_patterns[0],
    ccn_extract,
};
