/* phone.c: telephone numbers, normalized to E.164 ("+355691234567").
 *
 * International numbers start with '+' or "00" and a known calling code;
 * national numbers start with the trunk prefix 0 (or, when the scan's
 * country is in the North American plan, are written NXX-NXX-XXXX) and are
 * turned into E.164 with the scan's calling code, or kept as their digits
 * when there is none.  Digits come in groups separated by single spaces,
 * dashes or dots, or in parentheses ("(069) 123-4567",
 * "+44 (0)20 7946 0958").
 *
 * To be conservative, a number must be bounded by characters that are not
 * letters or digits, have a plausible length (E.164 at most 15 digits, a
 * national number 9..11 with the trunk 0 written next to the area code and,
 * in two groups, a subscriber group of five digits or more), and a national
 * or "00" number must contain a separator: a bare run of digits is not
 * reported.  Dates (01.02.2019 ...), ZIP+4 codes (02110-1301) and byte dumps
 * (01 23 45 67 89, 66 00 68 00 ...) are rejected.  When a run of groups is
 * too long, the longest leading groups that make a number are taken, so
 * numbers in a list or followed by a year are found.
 *
 * Every number with a calling code (international, or national with the
 * scan's country) is checked against the numbering plan of that code, from
 * Google's libphonenumber metadata (scan/phone_lib.h): it must lie in a range
 * the plan assigns, or, written as people write international numbers ('+',
 * the calling code as a group of its own: "+44 7700 900123"), at least have a
 * length the plan allows.  A bare run of digits is a number only after a
 * label ("tel 0691234567", "Tel.:", "phone", "mob", "cel", "nr. tel").
 * Number runs of PDF and PostScript drawing ("0 0 468 35.866 re",
 * "/MediaBox [0 0 595.276 841.89]": decimals among space-separated groups,
 * a "00" written as "0 0", an operator after the run) and time stamps glued
 * to other digits by ':' are not numbers.
 *
 * Anchors: '+' and a digit, "(0", digit groups around a separator, and a
 * label followed by digits.  The extractor takes the whole run of phone
 * characters around the anchor and parses it left to right, so the result
 * does not depend on which anchor fired. */
#include <string.h>

#include "scan/phone_lib.h"
#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

#define PHONE_MAX_RUN 128
#define PHONE_MAX_GROUPS 8

static int is_phone_char(int c)
{
    return val_is_digit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+';
}

static int is_sep(int c)
{
    return c == ' ' || c == '-' || c == '.';
}

typedef struct phone_cand {
    size_t start, end;
    char digits[24];
    size_t n;
    size_t group_len[PHONE_MAX_GROUPS];
    int ngroups;
    int plus, seps;
    /* per group k: where the number would end after it, the digits and
     * separators up to it, and whether its parentheses are balanced there */
    size_t group_end[PHONE_MAX_GROUPS], digits_to[PHONE_MAX_GROUPS];
    int seps_to[PHONE_MAX_GROUPS], balanced[PHONE_MAX_GROUPS];
} phone_cand;

/* Parse groups of digits from buf[i..r1), at most PHONE_MAX_GROUPS and 17
 * digits.  Returns 1 with *c filled (at least one group), or 0. */
static int parse(const uint8_t *buf, size_t i, size_t r1, phone_cand *c)
{
    size_t pos = i;
    int open = 0;
    memset(c, 0, sizeof *c);
    c->start = i;
    if (pos < r1 && buf[pos] == '(')
        open = 1, pos++, c->seps++;
    if (pos < r1 && buf[pos] == '+')
        c->plus = 1, pos++;
    if (pos >= r1 || !val_is_digit(buf[pos]))
        return 0;
    for (;;) {
        size_t g = pos;
        while (pos < r1 && val_is_digit(buf[pos]))
            pos++;
        if (c->ngroups == PHONE_MAX_GROUPS || c->n + (pos - g) > 17)
            break;
        memcpy(c->digits + c->n, buf + g, pos - g);
        c->n += pos - g;
        int closed = 0;
        if (open && pos < r1 && buf[pos] == ')')
            open = 0, closed = 1, pos++, c->seps++;
        int k = c->ngroups++;
        c->group_len[k] = pos - g - (size_t)closed;
        c->group_end[k] = pos;
        c->digits_to[k] = c->n;
        c->seps_to[k] = c->seps;
        c->balanced[k] = open == 0;
        size_t q = pos;
        if (q < r1 && is_sep(buf[q]))
            q++;
        int opened = 0;
        if (q < r1 && buf[q] == '(' && !open)
            q++, opened = 1;
        if ((q == pos && !closed) || q >= r1 || !val_is_digit(buf[q]))
            break;
        if (opened)
            open = 1;
        c->seps += (int)(q - pos);
        pos = q;
    }
    return c->ngroups > 0;
}

/* The candidate cut after its first k groups. */
static phone_cand prefix(const phone_cand *c, int k)
{
    phone_cand t = *c;
    t.ngroups = k;
    t.end = c->group_end[k - 1];
    t.n = c->digits_to[k - 1];
    t.seps = c->seps_to[k - 1];
    return t;
}

/* Does the candidate look like a date: d.m.yyyy or yyyy-mm-dd? */
static int date_like(const phone_cand *c)
{
    if (c->ngroups < 3)
        return 0;
    const size_t *g = c->group_len;
    return (g[0] <= 2 && g[1] <= 2 && g[2] == 4) || (g[0] == 4 && g[1] <= 2 && g[2] <= 2);
}

static int neighbour_ok(const uint8_t *buf, size_t lo, size_t hi, const phone_cand *c)
{
    if (c->start > lo) {
        int b = buf[c->start - 1];
        if (val_is_alnum(b) || b == '_' || b == '+')
            return 0;
        /* a decimal or a longer number ("1.069"), a word glued by '-' or '/'
         * ("R-03371-37637"), a time or a device number ("08:01 2142121") */
        if (c->start - 1 > lo) {
            int bb = buf[c->start - 2];
            if ((b == '.' || b == ',' || b == '-' || b == '/' || b == ':') && val_is_digit(bb))
                return 0;
            if ((b == '-' || b == '/') && val_is_alpha(bb))
                return 0;
        }
    }
    if (c->end < hi) {
        int a = buf[c->end];
        if (val_is_alnum(a) || a == '_')
            return 0;
        if ((a == '.' || a == ',' || a == '-' || a == '/' || a == ':') && c->end + 1 < hi &&
            val_is_digit(buf[c->end + 1]))
            return 0;
    }
    return 1;
}

/* Words that say the number that follows is a telephone number ("Tel.:",
 * "nr. tel", "phone", "mob", "cel"), and words that say it is not one. */
static const char *const phone_labels[] = {
    "tel", "tele",      "telephone", "telefon",  "telefono", "telefone",  "phone",
    "mob", "mobile",    "mobil",     "cel",      "cell",     "cellphone", "celular",
    "gsm", "cellulare", "handy",     "whatsapp", "viber",    NULL,
};
static const char *const not_phone_labels[] = {"isbn", "issn", NULL};

/* Operators of PDF content streams and PostScript that take numbers: a run
 * of numbers followed by one of them is drawing, not a telephone number. */
static const char *const drawing_ops[] = {
    "re",          "cm",      "m",       "l",       "c",       "v",        "y",         "Td",
    "TD",          "Tm",      "Tc",      "Tw",      "Tz",      "TL",       "Ts",        "Tf",
    "d",           "w",       "i",       "g",       "G",       "rg",       "RG",        "k",
    "K",           "sc",      "SC",      "scn",     "SCN",     "d0",       "d1",        "gs",
    "moveto",      "lineto",  "rlineto", "rmoveto", "curveto", "rcurveto", "translate", "scale",
    "setrgbcolor", "setgray", NULL,
};

/* Is the run of phone characters [r0, r1) a run of drawing numbers: inside
 * '[' ... ']' (a PDF array such as /MediaBox) or followed by an operator? */
static int drawing_run(const uint8_t *buf, size_t lo, size_t hi, size_t r0, size_t r1)
{
    size_t p = r0, q = r1;
    while (p > lo && (buf[p - 1] == ' ' || buf[p - 1] == '\n' || buf[p - 1] == '\r'))
        p--;
    while (q < hi && (buf[q] == ' ' || buf[q] == '\n' || buf[q] == '\r'))
        q++;
    if (p > lo && buf[p - 1] == '[' && q < hi && buf[q] == ']')
        return 1;
    size_t w = q;
    while (w < hi && w - q < 12 && val_is_alpha(buf[w]))
        w++;
    if (w == q || (w < hi && !(buf[w] == ' ' || buf[w] == '\n' || buf[w] == '\r')))
        return 0;
    for (const char *const *o = drawing_ops; *o; o++)
        if (strlen(*o) == w - q && memcmp(buf + q, *o, w - q) == 0)
            return 1;
    return 0;
}

/* A decimal among space-separated groups ("468 35.866", "595.276 841.89"). */
static int decimal_like(const uint8_t *buf, const phone_cand *c)
{
    int dot = 0, space = 0;
    for (size_t i = c->start; i < c->end; i++) {
        dot |= buf[i] == '.';
        space |= buf[i] == ' ';
    }
    return dot && space;
}

/* Are dots the only separators?  ("069.1234567": no anchor reaches
 * two dot-separated groups, so the extractor does not take them either.) */
static int only_dots(const uint8_t *buf, const phone_cand *c)
{
    int dots = 0;
    for (size_t i = c->start; i < c->end; i++) {
        if (!val_is_digit(buf[i]) && buf[i] != '.')
            return 0;
        dots += buf[i] == '.';
    }
    return dots > 0;
}

/* Pairs of digits all the way ("01 23 45 67 89") read like a byte dump when
 * hex digits sit next to them. */
static int dump_like(const uint8_t *buf, size_t lo, size_t hi, const phone_cand *c)
{
    for (int k = 0; k < c->ngroups; k++)
        if (c->group_len[k] != 2)
            return 0;
    size_t p = c->start;
    while (p > lo && buf[p - 1] == ' ')
        p--;
    if (p > lo && p < c->start && val_is_hex(buf[p - 1]))
        return 1;
    size_t q = c->end;
    while (q < hi && buf[q] == ' ')
        q++;
    return q < hi && q > c->end && val_is_hex(buf[q]);
}

/* Build the E.164 form of calling code + national number into f (24 bytes);
 * returns its length, or 0 when too long. */
static size_t e164(char f[24], const char *cc, size_t ccl, const char *nat, size_t natl)
{
    if (1 + ccl + natl >= 24)
        return 0;
    f[0] = '+';
    memcpy(f + 1, cc, ccl);
    memcpy(f + 1 + ccl, nat, natl);
    f[1 + ccl + natl] = 0;
    return 1 + ccl + natl;
}

/* Report cc + nat if the numbering plan of cc has it: a range it assigns,
 * or, when `possible_ok`, a length it allows.  Returns 1 if reported, with
 * what out->add returned in *rc. */
static int emit(scan_out *out, const phone_cand *c, const char *cc, size_t ccl, const char *nat,
                size_t natl, int possible_ok, int *rc)
{
    char f[24];
    size_t fl = e164(f, cc, ccl, nat, natl);
    if (fl == 0)
        return 0;
    int plan = scan_phone_check(f);
    if (plan != SCAN_PHONE_VALID && !(possible_ok && plan == SCAN_PHONE_POSSIBLE))
        return 0;
    *rc = out->add(out, "phone", c->start, c->end, f, fl);
    return 1;
}

/* Does the text around the candidate let it be a number: not glued to other
 * digits or words, not drawing, not after "ISBN", not beside a hex word?
 * (Checked last, only for candidates whose shape is a number.) */
static int context_ok(const uint8_t *buf, size_t lo, size_t hi, size_t r0, size_t r1,
                      const phone_cand *c)
{
    return neighbour_ok(buf, lo, hi, c) && !decimal_like(buf, c) &&
           !drawing_run(buf, lo, hi, r0, r1) &&
           !tu_word_before(buf, lo, c->start, 4, not_phone_labels, 0) &&
           !tu_hex_neighbour(buf, lo, hi, c->start, c->end, 4, 0);
}

/* Is the candidate after a label ("tel", "phone"...)?  *memo caches the
 * answer (-1: not asked yet). */
static int labelled(const uint8_t *buf, size_t lo, const phone_cand *c, int *memo)
{
    if (*memo < 0)
        *memo = tu_word_before(buf, lo, c->start, 4, phone_labels, 0);
    return *memo;
}

/* Validate a parsed candidate and report it; returns 1 if reported, with
 * what out->add returned in *rc.
 * [r0, r1) is the whole run of phone characters it was parsed from. */
static int check(const uint8_t *buf, size_t lo, size_t hi, size_t r0, size_t r1,
                 const phone_cand *c, const scan_type_ctx *ctx, scan_out *out, int *rc)
{
    const char *d = c->digits;
    size_t n = c->n;
    int singles = 0;
    for (int k = 0; k < c->ngroups; k++)
        singles += c->group_len[k] == 1;
    int label = -1;
    if (c->plus || (n > 2 && d[0] == '0' && d[1] == '0')) {
        /* "+", the calling code as a group of its own, then the rest: how
         * people write an international number */
        int written = c->plus && c->ngroups > 1 && c->seps > 0;
        if (!c->plus) {
            /* "00" written together ("0 0 468 ..." is a row of numbers),
             * with separators (or a label), and not pairs of digits all the
             * way: a byte dump ("66 00 68 00 71 00 77 00 68") */
            int pairs = 1;
            for (int k = 0; k < c->ngroups; k++)
                pairs &= c->group_len[k] == 2;
            if ((c->seps == 0 && !labelled(buf, lo, c, &label)) || pairs || c->group_len[0] < 2 ||
                date_like(c) || (c->ngroups < 3 && only_dots(buf, c)))
                return 0;
            d += 2, n -= 2;
        }
        int ccl = val_calling_code(d, n);
        if (ccl == 0 || n > 15)
            return 0;
        const char *nat = d + ccl;
        size_t natl = n - (size_t)ccl;
        int keep_zero = ccl == 2 && d[0] == '3' && d[1] == '9'; /* Italy dials the 0 */
        if (natl > 0 && nat[0] == '0' && !keep_zero)
            nat++, natl--;
        int mn, mx;
        val_national_lengths(d, (size_t)ccl, &mn, &mx);
        if ((int)natl < mn || (int)natl > mx || singles > 2)
            return 0;
        written = written && c->group_len[0] == (size_t)ccl;
        return context_ok(buf, lo, hi, r0, r1, c) &&
               emit(out, c, d, (size_t)ccl, nat, natl, written, rc);
    }
    if ((c->seps == 0 && !labelled(buf, lo, c, &label)) || singles > 1 || date_like(c) ||
        (c->ngroups < 3 && only_dots(buf, c)))
        return 0;
    const char *cc = ctx ? ctx->calling_code : NULL;
    size_t ccl = cc ? strlen(cc) : 0;
    int nanp = ccl == 1 && cc[0] == '1';
    if (d[0] == '0') {
        /* the trunk 0 is written with the area code ("069", "04"): a lone
         * "0" starts a row of numbers ("0 128 255 255"), not a number */
        if (n < 9 || n > 11 || d[1] == '0' || c->group_len[0] < 2 || dump_like(buf, lo, hi, c))
            return 0;
        /* two groups: the second is the subscriber number, five digits or
         * more ("069 1234567"); 5+4 is a US ZIP+4 code ("02110-1301") */
        if (c->ngroups == 2 && c->group_len[1] < 5)
            return 0;
        if (ccl == 0 || ccl > 3 || nanp) { /* no plan to check; no trunk 0 in North America */
            /* a row of a hex dump ("191B1D 01 050505 01 910505 00") */
            size_t a = r0, b = r1;
            while (a < b && !val_is_digit(buf[a]))
                a++;
            while (b > a && !val_is_digit(buf[b - 1]))
                b--;
            size_t w0 = a, w1 = b;
            while (w0 > lo && val_is_alnum(buf[w0 - 1]))
                w0--;
            while (w1 < hi && val_is_alnum(buf[w1]))
                w1++;
            size_t x0 = a, x1 = b; /* the words the run's ends are glued into */
            while (x0 < b && val_is_alnum(buf[x0]))
                x0++;
            while (x1 > a && val_is_alnum(buf[x1 - 1]))
                x1--;
            if (!context_ok(buf, lo, hi, r0, r1, c) ||
                (!labelled(buf, lo, c, &label) && (tu_hex_neighbour(buf, lo, hi, a, b, 4, 0) ||
                                                   (w0 < a && tu_hex_word(buf, w0, x0, 4)) ||
                                                   (w1 > b && tu_hex_word(buf, x1, w1, 4)))))
                return 0;
            *rc = out->add(out, "phone", c->start, c->end, d, n);
            return 1;
        }
        int keep_zero = ccl == 2 && cc[0] == '3' && cc[1] == '9';
        return context_ok(buf, lo, hi, r0, r1, c) &&
               emit(out, c, cc, ccl, keep_zero ? d : d + 1, keep_zero ? n : n - 1, 0, rc);
    }
    if (nanp && n == 10 && d[0] >= '2' && d[3] >= '2' &&
        ((c->ngroups == 3 && c->group_len[0] == 3 && c->group_len[1] == 3) ||
         labelled(buf, lo, c, &label)))
        return context_ok(buf, lo, hi, r0, r1, c) && emit(out, c, cc, ccl, d, n, 0, rc);
    return 0;
}

static int phone_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                         const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t r0 = at, r1 = at;
    while (r0 > lo && is_phone_char(buf[r0 - 1]) && r1 - r0 <= PHONE_MAX_RUN)
        r0--;
    while (r1 < hi && is_phone_char(buf[r1]) && r1 - r0 <= PHONE_MAX_RUN)
        r1++;
    if (r1 - r0 > PHONE_MAX_RUN)
        return 0;
    size_t i = r0;
    while (i < r1) {
        int ch = buf[i];
        int startable =
            ch == '+' || ch == '(' || (val_is_digit(ch) && (i == r0 || !val_is_digit(buf[i - 1])));
        phone_cand c;
        size_t next = i + 1;
        /* the longest run of groups that is a number: a year or a second
         * number may follow after a space ("069 123 4567 068 765 4321") */
        if (startable && parse(buf, i, r1, &c)) {
            for (int k = c.ngroups; k >= 1; k--) {
                phone_cand t = prefix(&c, k);
                int rc = 0;
                if (c.balanced[k - 1] && check(buf, lo, hi, r0, r1, &t, ctx, out, &rc)) {
                    if (rc)
                        return rc;
                    next = t.end;
                    break;
                }
            }
        }
        i = next;
    }
    return 0;
}

/* Hyperscan runs patterns that start with a literal '0' slowly (a '0' is
 * everywhere); shapes of digit classes around a space or dash are cheap.
 * Any anchor inside the number will do, since the extractor reads the
 * whole run. */
static const scan_pattern phone_patterns[] = {
    {"\\+[1-9][0-9 .()-]{4}", 0},                     /* +355 69..., +1 (212)... */
    {"\\(0[1-9][0-9]{0,3}\\)", 0},                    /* (069) */
    {"[0-9][ -][0-9]{3}", 0},                         /* 069 123 4567, 212-555-1234 */
    {"[0-9]\\.[0-9]{3}\\.[0-9]{3}", 0},               /* 069.123.4567 */
    {"[0-9][ -][0-9]{2}[ -][0-9]{2}[ -][0-9]{2}", 0}, /* 06 12 34 56 78 */
    {"[0-9]\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}", 0},    /* 06.12.34.56.78 */
    /* a label, then a bare number: "tel 0691234567", "Tel.: 0691234567",
     * "nr. tel 0691234567", "phone: 2125551234" */
    {"(tel|phone|mob|cel|gsm|handy|whatsapp|viber)[a-z]{0,6}[ :.#=\\t]{1,4}[0-9]{6}",
     SCAN_PAT_CASELESS},
};

const scan_type scan_type_phone = {
    "phone",
    phone_patterns,
    sizeof phone_patterns / sizeof phone_patterns[0],
    phone_extract,
};
