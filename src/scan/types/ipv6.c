/* ipv6.c: IPv6 addresses.  Anchors: "::" next to a hex digit, or eight
 * colon-separated hex groups.  The extractor takes the run of hex digits,
 * colons and dots around the anchor and keeps it only when it has "::" or
 * exactly eight groups, at least one decimal digit, three groups or a group
 * of three digits or more (or is "::1"; so not "::" nor a Python slice
 * "[1::2]"), is not
 * glued to other letters ("std::abc"), is not a byte dump or fingerprint
 * (eight two-digit groups), and parses (inet_pton).  Time stamps (12:34:56)
 * and MAC addresses fail the group rule.  Feature: RFC 5952 text. */
#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

static int is_v6(int c)
{
    return val_is_hex(c) || c == ':' || c == '.';
}

static int ipv6_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                        const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t s, e;
    if (!tu_run(buf, at, lo, hi, is_v6, 64, &s, &e))
        return 0;
    /* A single ':' at either end is punctuation ("addr:fe80::1", "at ::1:");
     * after that the neighbours must not be letters, digits or '_'. */
    while (e > s && buf[e - 1] == '.')
        e--;
    if (e - s >= 2 && buf[e - 1] == ':' && buf[e - 2] != ':')
        e--;
    if (e - s >= 2 && buf[s] == ':' && buf[s + 1] != ':')
        s++;
    if (s > lo && (val_is_alnum(buf[s - 1]) || buf[s - 1] == '_'))
        return 0;
    if (e < hi && (val_is_alnum(buf[e]) || buf[e] == '_'))
        return 0;
    if (e - s < 3 || e - s > 45)
        return 0;
    int colons = 0, dbl = 0, digit = 0, two_digit_groups = 1;
    size_t group = 0;
    for (size_t i = s; i < e; i++) {
        int c = buf[i];
        if (c == ':') {
            colons++;
            if (i + 1 < e && buf[i + 1] == ':')
                dbl = 1;
            if (group != 2)
                two_digit_groups = 0;
            group = 0;
        } else {
            group++;
            digit |= val_is_digit(c);
        }
    }
    if (group != 2)
        two_digit_groups = 0;
    if (colons < 2 || !digit || (!dbl && colons != 7) || (!dbl && two_digit_groups))
        return 0;
    /* Python slices ("[1::2]") and stray bytes ("4::", "::DB7") have one or
     * two tiny groups; an address has two groups or more, three or one of
     * three hex digits or more, or is the loopback "::1". */
    int groups = 0, long_group = 0;
    size_t g = 0;
    for (size_t i = s; i <= e; i++) {
        if (i == e || buf[i] == ':') {
            groups += g > 0;
            long_group |= g >= 3;
            g = 0;
        } else {
            g++;
        }
    }
    int loopback = e - s == 3 && buf[s] == ':' && buf[s + 1] == ':' && buf[s + 2] == '1';
    if ((groups < 3 && !long_group && !loopback) || (groups < 2 && !loopback))
        return 0;
    char text[46];
    if (!val_ipv6((const char *)buf + s, e - s, text))
        return 0;
    size_t n = 0;
    while (text[n])
        n++;
    return out->add(out, "ipv6", s, e, text, n);
}

static const scan_pattern ipv6_patterns[] = {
    {"[0-9A-Fa-f]::|::[0-9A-Fa-f]", 0},
    {"[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:"
     "[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}",
     0},
};

const scan_type scan_type_ipv6 = {
    "ipv6",
    ipv6_patterns,
    sizeof ipv6_patterns / sizeof ipv6_patterns[0],
    ipv6_extract,
};
