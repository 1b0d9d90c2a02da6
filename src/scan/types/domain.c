/* domain.c: bare host names in text ("www.example.com", "example.al").
 * E-mail addresses and URLs report their own domains; this type finds the
 * rest, conservatively: a name starting with "www." may end in any real TLD,
 * any other only in a common one (VAL_TLD_COMMON) and with a com, net,
 * org or gov label after its first, which keeps
 * "setup.py", "README.md" and "libc.so" out.  Anchors: "www." and a label
 * character followed by one of those labels.  The extractor takes the whole run of host
 * characters around the anchor, so every anchor inside the name gives the
 * same bounds as url.c and email.c do.  Feature: the name lower-cased. */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

/* Labels the second anchor looks for; see domain_patterns. */
static const char *const anchor_labels[] = {"com", "net", "org", "gov"};

/* Does a label after the first of buf[s..e) equal one of anchor_labels? */
static int has_anchor_label(const uint8_t *buf, size_t s, size_t e)
{
    size_t i = s;
    while (i < e && buf[i] != '.')
        i++;
    while (i < e) {
        size_t ls = ++i;
        while (i < e && buf[i] != '.')
            i++;
        for (size_t k = 0; k < sizeof anchor_labels / sizeof anchor_labels[0]; k++) {
            size_t n = strlen(anchor_labels[k]);
            if (i - ls == n && tu_has_ci(buf, ls, i, anchor_labels[k]))
                return 1;
        }
    }
    return 0;
}

static int domain_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                          const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    size_t s = at, e = at;
    while (s > lo && tu_is_host(buf[s - 1]) && e - s <= 260)
        s--;
    while (e < hi && tu_is_host(buf[e]) && e - s <= 260)
        e++;
    if (e - s > 260)
        return 0;
    /* A leading dot is a cookie domain (".facebook.com"); trailing dots and
     * dashes end a sentence. */
    while (s < e && (buf[s] == '.' || buf[s] == '-'))
        s++;
    while (e > s && (buf[e - 1] == '.' || buf[e - 1] == '-'))
        e--;
    if (e - s < 4)
        return 0;
    int before = s > lo ? buf[s - 1] : -1;
    int after = e < hi ? buf[e] : -1;
    if (before == '_' || after == '_' || after == '@')
        return 0;
    /* Only what the anchors can find: "www." + any real TLD, or a common
     * TLD with an anchor label after the first.  (E-mail addresses and URLs
     * report their hosts themselves.) */
    int which = VAL_TLD_ANY;
    if (!tu_has_ci(buf, s, e, "www.")) {
        if (!has_anchor_label(buf, s, e))
            return 0;
        which = VAL_TLD_COMMON;
    }
    int url_host = s >= lo + 3 && buf[s - 3] == ':' && buf[s - 2] == '/' && buf[s - 1] == '/';
    if (before == '\\' || before == '%' || (before == '/' && !url_host))
        return 0; /* a file in a path ("C:\WINDOWS\COMMAND.COM") or an escape */
    return tu_add_domain(out, buf, s, e, which);
}

/* Two-letter TLD literals (".al", ".de") made this anchor the slowest of
 * all, and each longer label (.info, .onion, .edu) still cost about a fifth
 * of the scan rate, so bare names are anchored on com, net, org and gov
 * only; "example.com.al", "www.example.al" and every host in a URL or an
 * e-mail address are still found. */
static const scan_pattern domain_patterns[] = {
    {"www\\.[a-z0-9]", SCAN_PAT_CASELESS},
    {"[a-z0-9]\\.(?:com|net|org|gov)", SCAN_PAT_CASELESS},
};

const scan_type scan_type_domain = {
    "domain",
    domain_patterns,
    sizeof domain_patterns / sizeof domain_patterns[0],
    domain_extract,
};
