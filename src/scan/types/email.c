/* email.c: e-mail addresses.  Anchor: a local-part character, '@' and the
 * first character of the domain.  The extractor
 * walks left from the anchor's end to the '@', then takes the local part to
 * its left and the domain to its right, so any anchor end inside the domain
 * yields the same address.  A domain may hold '_' inside its labels (not in
 * its top-level domain): "xlsx_cell@microsoft_excel.com" is reported as
 * written, as bulk_extractor does.  Feature: the address lower-cased; the
 * domain, when it is a host name, is also reported as a "domain" feature. */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

#define EMAIL_MAX_LOCAL 64

static int is_local(int c)
{
    return val_is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* A byte of a domain as written in addresses: a host name byte, or '_'
 * ("xlsx_cell@microsoft_excel.com", as bulk_extractor reports it). */
static int is_domain(int c)
{
    return tu_is_host(c) || c == '_';
}

static int email_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                         const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    size_t p = at;
    while (p > lo && is_domain(buf[p - 1]))
        p--;
    if (p == lo || buf[p - 1] != '@')
        return 0;
    size_t amp = p - 1, ds = p, de = p;
    while (de < hi && is_domain(buf[de]) && de - ds <= 253)
        de++;
    while (de > ds && (buf[de - 1] == '.' || buf[de - 1] == '-' || buf[de - 1] == '_'))
        de--;
    /* '_' is checked as '-' is (inside a label only), and never in the
     * top-level domain; the rest as a host name */
    char dom[254];
    size_t dl = de - ds, under = 0, last_dot = 0;
    if (dl == 0 || dl >= sizeof dom)
        return 0;
    for (size_t i = 0; i < dl; i++) {
        dom[i] = buf[ds + i] == '_' ? '-' : (char)buf[ds + i];
        under += buf[ds + i] == '_';
        if (buf[ds + i] == '.')
            last_dot = i;
    }
    if (under && memchr(buf + ds + last_dot, '_', dl - last_dot))
        return 0;
    if (!val_hostname(dom, dl, VAL_TLD_ANY))
        return 0;
    size_t ls = amp;
    while (ls > lo && is_local(buf[ls - 1]) && amp - ls <= EMAIL_MAX_LOCAL)
        ls--;
    if (amp - ls > EMAIL_MAX_LOCAL)
        return 0;
    while (ls < amp && (buf[ls] == '.' || buf[ls] == '-' || buf[ls] == '+' || buf[ls] == '%'))
        ls++;
    if (ls == amp || buf[amp - 1] == '.')
        return 0;
    for (size_t i = ls; i + 1 < amp; i++)
        if (buf[i] == '.' && buf[i + 1] == '.')
            return 0;
    int rc = tu_add_lower(out, "email", buf, ls, de);
    if (rc == 0 && !under) /* "microsoft_excel.com" is no host name */
        rc = tu_add_domain(out, buf, ds, de, VAL_TLD_ANY);
    return rc;
}

/* Short on purpose: with the domain in the anchor ("@x+\\.[a-z]{2}") the
 * whole database scanned text at half the rate; the extractor checks the
 * domain anyway. */
static const scan_pattern email_patterns[] = {
    {"[A-Za-z0-9._%+-]@[A-Za-z0-9]", 0},
};

const scan_type scan_type_email = {
    "email",
    email_patterns,
    sizeof email_patterns / sizeof email_patterns[0],
    email_extract,
};
