/* domain.c: bare host names in text ("www.example.com", "example.al").
 * E-mail addresses and URLs report their own domains; this type finds the
 * rest, conservatively: a name starting with "www." may end in any real TLD,
 * any other only in a common one (VAL_TLD_COMMON), which keeps "setup.py",
 * "README.md" and "libc.so" out.  Anchors: "www." and a label character
 * followed by a common TLD.  The extractor takes the whole run of host
 * characters around the anchor, so every anchor inside the name gives the
 * same bounds as url.c and email.c do.  Feature: the name lower-cased. */
#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

static void domain_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                           const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return;
    size_t s = at, e = at;
    while (s > lo && tu_is_host(buf[s - 1]) && e - s <= 260)
        s--;
    while (e < hi && tu_is_host(buf[e]) && e - s <= 260)
        e++;
    if (e - s > 260)
        return;
    /* A leading dot is a cookie domain (".facebook.com"); trailing dots and
     * dashes end a sentence. */
    while (s < e && (buf[s] == '.' || buf[s] == '-'))
        s++;
    while (e > s && (buf[e - 1] == '.' || buf[e - 1] == '-'))
        e--;
    if (e - s < 4)
        return;
    int before = s > lo ? buf[s - 1] : -1;
    int after = e < hi ? buf[e] : -1;
    if (before == '_' || after == '_' || after == '@')
        return;
    /* Only what the anchors can find: "www." + any real TLD, or a common
     * TLD.  (E-mail addresses and URLs report their hosts themselves.) */
    int which = tu_has_ci(buf, s, e, "www.") ? VAL_TLD_ANY : VAL_TLD_COMMON;
    int url_host = s >= lo + 3 && buf[s - 3] == ':' && buf[s - 2] == '/' && buf[s - 1] == '/';
    if (before == '\\' || before == '%' || (before == '/' && !url_host))
        return; /* a file in a path ("C:\WINDOWS\COMMAND.COM") or an escape */
    tu_add_domain(out, buf, s, e, which);
}

static const scan_pattern domain_patterns[] = {
    {"www\\.[a-z0-9]", SCAN_PAT_CASELESS},
    {"[a-z0-9]\\.(?:al|at|au|be|bg|biz|br|ca|ch|cn|com|cz|de|dk|edu|es|eu|fi|fr|gov|gr|hr|hu|"
     "ie|info|int|it|jp|mil|mk|net|nl|no|onion|online|org|pt|ro|ru|se|site|sk|top|tr|ua|uk|us|"
     "xk|xyz)",
     SCAN_PAT_CASELESS},
};

const scan_type scan_type_domain = {
    "domain", domain_patterns, sizeof domain_patterns / sizeof domain_patterns[0],
    domain_extract,
};
