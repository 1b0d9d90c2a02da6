/* validate_net.c: IPv4/IPv6 parsing and formatting, top-level domains and
 * host names (see validate.h). */
#include "scan/validate.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int val_ipv4(const char *s, size_t n, uint8_t out[4])
{
    uint8_t a[4];
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t start = i;
        unsigned v = 0;
        while (i < n && val_is_digit((unsigned char)s[i]) && i - start < 4) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        size_t digits = i - start;
        if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[start] == '0'))
            return 0;
        a[part] = (uint8_t)v;
        if (part < 3) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
    }
    if (i != n)
        return 0;
    memcpy(out, a, 4);
    return 1;
}

int val_ipv6(const char *s, size_t n, char out[46])
{
    char tmp[46];
    unsigned char addr[16];
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET6, tmp, addr) != 1)
        return 0;
    if (!inet_ntop(AF_INET6, addr, out, 46))
        return 0;
    return 1;
}

/* Every delegated ccTLD, and the generic TLDs seen in the wild often enough
 * to matter.  Sorted for bsearch; lower case. */
static const char *const tld_any[] = {
    "ac",     "ad",        "ae",     "aero",    "af",     "ag",   "agency", "ai",       "al",
    "am",     "ao",        "app",    "aq",      "ar",     "arpa", "art",    "as",       "asia",
    "at",     "au",        "aw",     "ax",      "az",     "ba",   "bb",     "bd",       "be",
    "bf",     "bg",        "bh",     "bi",      "biz",    "bj",   "blog",   "bm",       "bn",
    "bo",     "br",        "bs",     "bt",      "bw",     "by",   "bz",     "ca",       "cat",
    "cc",     "cd",        "center", "cf",      "cg",     "ch",   "ci",     "ck",       "cl",
    "click",  "cloud",     "club",   "cm",      "cn",     "co",   "com",    "company",  "coop",
    "cr",     "cu",        "cv",     "cw",      "cx",     "cy",   "cz",     "de",       "design",
    "dev",    "digital",   "dj",     "dk",      "dm",     "do",   "dz",     "ec",       "edu",
    "ee",     "eg",        "email",  "er",      "es",     "et",   "eu",     "fi",       "fj",
    "fk",     "fm",        "fo",     "fr",      "fun",    "ga",   "gd",     "ge",       "gf",
    "gg",     "gh",        "gi",     "gl",      "global", "gm",   "gn",     "gov",      "gp",
    "gq",     "gr",        "group",  "gs",      "gt",     "gu",   "gw",     "gy",       "hk",
    "hm",     "hn",        "hr",     "ht",      "hu",     "icu",  "id",     "ie",       "il",
    "im",     "in",        "info",   "ink",     "int",    "io",   "iq",     "ir",       "is",
    "it",     "je",        "jm",     "jo",      "jobs",   "jp",   "ke",     "kg",       "kh",
    "ki",     "km",        "kn",     "kp",      "kr",     "kw",   "ky",     "kz",       "la",
    "lb",     "lc",        "li",     "life",    "link",   "live", "lk",     "lr",       "ls",
    "lt",     "lu",        "lv",     "ly",      "ma",     "mc",   "md",     "me",       "media",
    "mg",     "mh",        "mil",    "mk",      "ml",     "mm",   "mn",     "mo",       "mobi",
    "mp",     "mq",        "mr",     "ms",      "mt",     "mu",   "museum", "mv",       "mw",
    "mx",     "my",        "mz",     "na",      "name",   "nc",   "ne",     "net",      "network",
    "news",   "nf",        "ng",     "ni",      "nl",     "no",   "np",     "nr",       "nu",
    "nz",     "om",        "one",    "onion",   "online", "org",  "pa",     "page",     "pe",
    "pf",     "pg",        "ph",     "pk",      "pl",     "pm",   "pn",     "post",     "pr",
    "pro",    "ps",        "pt",     "pw",      "py",     "qa",   "re",     "ro",       "rs",
    "ru",     "rw",        "sa",     "sb",      "sc",     "sd",   "se",     "services", "sg",
    "sh",     "shop",      "si",     "site",    "sk",     "sl",   "sm",     "sn",       "so",
    "social", "solutions", "space",  "sr",      "ss",     "st",   "store",  "studio",   "su",
    "sv",     "sx",        "sy",     "sz",      "tc",     "td",   "tech",   "tel",      "tf",
    "tg",     "th",        "tj",     "tk",      "tl",     "tm",   "tn",     "to",       "today",
    "top",    "tr",        "travel", "tt",      "tv",     "tw",   "tz",     "ua",       "ug",
    "uk",     "us",        "uy",     "uz",      "va",     "vc",   "ve",     "vg",       "vi",
    "vip",    "vn",        "vu",     "website", "wf",     "work", "world",  "ws",       "xyz",
    "ye",     "yt",        "za",     "zm",      "zw",
};

/* TLDs that are not also common file extensions or code identifiers; a
 * bare "name.tld" is reported only with one of these. */
static const char *const tld_common[] = {
    "al", "at",   "au",  "be",  "bg",  "biz", "br",  "ca",    "ch",     "cn",  "com", "cz",   "de",
    "dk", "edu",  "es",  "eu",  "fi",  "fr",  "gov", "gr",    "hr",     "hu",  "ie",  "info", "int",
    "it", "jp",   "mil", "mk",  "net", "nl",  "no",  "onion", "online", "org", "pt",  "ro",   "ru",
    "se", "site", "sk",  "top", "tr",  "ua",  "uk",  "us",    "xk",     "xyz",
};

static int tld_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

int val_tld(const char *s, size_t n, int which)
{
    char low[25];
    if (n < 2 || n > 24)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!val_is_alpha((unsigned char)s[i]))
            return 0;
        low[i] = (char)val_lower((unsigned char)s[i]);
    }
    low[n] = '\0';
    if (which == VAL_TLD_COMMON)
        return bsearch(low, tld_common, sizeof tld_common / sizeof tld_common[0],
                       sizeof tld_common[0], tld_cmp) != NULL;
    return bsearch(low, tld_any, sizeof tld_any / sizeof tld_any[0], sizeof tld_any[0], tld_cmp) !=
           NULL;
}

int val_hostname(const char *s, size_t n, int which)
{
    size_t labels = 0, start = 0;
    if (n < 4 || n > 253)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            int c = (unsigned char)s[i];
            if (!val_is_alnum(c) && c != '-')
                return 0;
            continue;
        }
        size_t l = i - start;
        if (l < 1 || l > 63 || s[start] == '-' || s[i - 1] == '-')
            return 0;
        labels++;
        if (i == n && !val_tld(s + start, l, which))
            return 0;
        start = i + 1;
    }
    return labels >= 2;
}
