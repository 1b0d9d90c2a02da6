/* ipv4.c: dotted-quad IPv4 addresses.  Anchor: four dot-separated runs of
 * one to three digits.  The extractor takes the whole run of digits and dots
 * around the anchor and accepts it only when it is exactly four parts
 * (so "1.2.3.4.5" and "10.0.0.1.2" are not addresses), without leading
 * zeros ("01.02.03.04"), not 0.x.x.x, not glued to letters, and not a version
 * ("v1.2.3.4", "version 1.2.3.4").  Feature: the address as written (which is
 * then canonical). */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

static int is_v4(int c)
{
    return val_is_digit(c) || c == '.';
}

/* Is buf[s..) preceded by a version or numbering word ("v", "ver",
 * "version", "rev", "release", "build", "section", "chapter"), then maybe
 * ':', '=' or blanks? */
static int after_version_word(const uint8_t *buf, size_t lo, size_t s)
{
    static const char *const words[] = {"v",       "ver",   "version", "rev",
                                        "release", "build", "section", "chapter"};
    size_t p = s, gap = 0;
    while (p > lo && gap < 3 &&
           (buf[p - 1] == ' ' || buf[p - 1] == ':' || buf[p - 1] == '=' || buf[p - 1] == '\t'))
        p--, gap++;
    size_t w = p;
    while (w > lo && val_is_alpha(buf[w - 1]) && p - w <= 7)
        w--;
    if (p - w == 0 || p - w > 7 || (w > lo && val_is_alpha(buf[w - 1])))
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (n != p - w)
            continue;
        size_t k = 0;
        while (k < n && val_lower(buf[w + k]) == words[i][k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static int ipv4_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                        const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t s, e;
    if (!tu_run(buf, at, lo, hi, is_v4, 64, &s, &e))
        return 0;
    while (e > s && buf[e - 1] == '.')
        e--;
    if (e - s < 7 || buf[s] == '.')
        return 0;
    uint8_t a[4];
    if (!val_ipv4((const char *)buf + s, e - s, a) || a[0] == 0)
        return 0;
    /* X.509 attribute and extension OIDs (2.5.4.3, 2.5.29.17) fill every
     * certificate store and TLS library */
    if (a[0] == 2 && a[1] == 5 && (a[2] == 4 || a[2] == 29))
        return 0;
    if (s > lo && (val_is_alpha(buf[s - 1]) || buf[s - 1] == '_'))
        return 0;
    if (e < hi && (val_is_alnum(buf[e]) || buf[e] == '_'))
        return 0;
    if (after_version_word(buf, lo, s))
        return 0;
    return out->add(out, "ipv4", s, e, (const char *)buf + s, e - s);
}

static const scan_pattern ipv4_patterns[] = {
    {"[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]", 0},
};

const scan_type scan_type_ipv4 = {
    "ipv4",
    ipv4_patterns,
    sizeof ipv4_patterns / sizeof ipv4_patterns[0],
    ipv4_extract,
};
