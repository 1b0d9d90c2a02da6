/* iban.c: International Bank Account Numbers.  Anchor: a country that
 * issues IBANs, two check digits and four BBAN characters (the first group
 * may be followed by a space).  The extractor walks left from the anchor over
 * upper-case letters, digits and spaces, tries each place where a country
 * code and check digits start at a word boundary, and reads exactly that
 * country's length, either compact or in groups of four separated by single
 * spaces.  The number must end at a word boundary and pass mod-97.  Feature:
 * upper case without spaces. */
#include "scan/scan_type.h"
#include "scan/validate.h"

#define IBAN_SPAN 50 /* 34 characters plus spaces between groups */

static int is_upper_alnum(int c)
{
    return val_is_digit(c) || (c >= 'A' && c <= 'Z');
}

static int iban_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                        const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t p = at;
    while (p > lo && at - p < IBAN_SPAN && (is_upper_alnum(buf[p - 1]) || buf[p - 1] == ' '))
        p--;
    for (size_t s = p; s < at && s + 15 <= hi; s++) {
        if (s > lo && val_is_alnum(buf[s - 1]))
            continue;
        if (!(buf[s] >= 'A' && buf[s] <= 'Z' && buf[s + 1] >= 'A' && buf[s + 1] <= 'Z' &&
              val_is_digit(buf[s + 2]) && val_is_digit(buf[s + 3])))
            continue;
        char cc[2] = {(char)buf[s], (char)buf[s + 1]};
        size_t want = (size_t)val_iban_length(cc);
        if (want == 0)
            continue;
        char f[34];
        size_t n = 0, i = s;
        while (n < want && i < hi) {
            int c = buf[i];
            if (is_upper_alnum(c)) {
                f[n++] = (char)c;
                i++;
            } else if (c == ' ' && n % 4 == 0 && n > 0 && i + 1 < hi &&
                       is_upper_alnum(buf[i + 1]) && buf[i - 1] != ' ') {
                i++;
            } else {
                break;
            }
        }
        if (n != want || (i < hi && val_is_alnum(buf[i])))
            continue;
        if (!val_iban(f, n))
            continue;
        int rc = out->add(out, "iban", s, i, f, n);
        if (rc)
            return rc;
    }
    return 0;
}

/* Both anchors are shared, expression for expression, with other types
 * (the compact run with ccn.c, the grouped shape with phone.c and ccn.c), so
 * the matcher runs each once.  An alternation of the 89 country codes as
 * two-letter literals ran at a quarter of the speed.  A grouped IBAN has a
 * "digit, space, three digits" somewhere in nearly every country's format
 * (the tests check the registry's examples). */
static const scan_pattern iban_patterns[] = {
    {"[0-9A-Z]{2}[0-9]{2}[0-9A-Z]{9}", SCAN_PAT_NATIVE},
    {"[0-9][ -][0-9]{3}", 0},
};

const scan_type scan_type_iban = {
    "iban",
    iban_patterns,
    sizeof iban_patterns / sizeof iban_patterns[0],
    iban_extract,
};
