/* account.c: social-media accounts, reported as "service:id".
 *
 * - facebook: the numeric user id of a c_user cookie, in any serialization
 *   we have seen ("c_user=1000...", JSON {"name":"c_user","value":"1000..."},
 *   or an SQLite cookie row where the name and value columns sit side by
 *   side: "c_user100012345678901.facebook.com"); profile.php?id=NUM;
 *   people/NAME/NUM; and vanity names from profile URLs (facebook.com/NAME).
 * - x (twitter.com and x.com), instagram, tiktok (tiktok.com/@NAME) and
 *   telegram (t.me/NAME, telegram.me/NAME): handles from profile URLs.
 *
 * Anchors are literals ("c_user", "facebook.com/", ...); the extractor
 * checks which literal ends exactly at the anchor end, then reads the first
 * path segment.  Paths that are site functions, not accounts (/sharer.php,
 * /groups/, /p/, /intent/, t.me/joinchat, t.me/+invite...) are rejected.
 * Only the sites themselves count, and their web, mobile and locale hosts
 * (www., m., fr-fr.): media, short-link and API hosts (pic.twitter.com,
 * graph.facebook.com) serve no profiles, and t.co, fb.me and such are
 * URLs, not accounts.  Handles are lower-cased; numeric ids are kept as
 * they are. */
#include <string.h>

#include "scan/scan_type.h"
#include "scan/types/type_util.h"
#include "scan/validate.h"

enum svc { SVC_FB, SVC_X, SVC_IG, SVC_TT, SVC_TG, SVC_COOKIE };

static const struct {
    const char *lit;
    enum svc svc;
} account_literals[] = {
    {"c_user", SVC_COOKIE}, {"facebook.com/", SVC_FB},  {"twitter.com/", SVC_X},
    {"x.com/", SVC_X},      {"instagram.com/", SVC_IG}, {"tiktok.com/@", SVC_TT},
    {"t.me/", SVC_TG},      {"telegram.me/", SVC_TG},
};

static const char *const svc_name[] = {"facebook", "x",        "instagram",
                                       "tiktok",   "telegram", "facebook"};

/* First path segments that are site functions, per service (lower case). */
static const char *const fb_reserved[] = {
    "about",  "ads",       "bookmarks", "business",    "careers", "checkpoint", "dialog",
    "events", "friends",   "gaming",    "groups",      "hashtag", "help",       "home",
    "legal",  "live",      "login",     "marketplace", "media",   "messages",   "notifications",
    "pages",  "permalink", "photo",     "photos",      "places",  "plugins",    "policies",
    "policy", "privacy",   "recover",   "reel",        "reels",   "search",     "settings",
    "share",  "sharer",    "signup",    "stories",     "terms",   "video",      "videos",
    "watch",  NULL};
static const char *const x_reserved[] = {
    "about",         "account", "compose",  "download", "explore", "hashtag",  "help",
    "home",          "i",       "intent",   "jobs",     "login",   "logout",   "messages",
    "notifications", "oauth",   "privacy",  "rules",    "search",  "settings", "share",
    "signup",        "status",  "statuses", "tos",      "widgets", NULL};
static const char *const ig_reserved[] = {"about",  "accounts", "ar",      "challenge", "developer",
                                          "direct", "emails",   "explore", "legal",     "locations",
                                          "p",      "privacy",  "reel",    "reels",     "stories",
                                          "tags",   "terms",    "tv",      "web",       NULL};
static const char *const tg_reserved[] = {
    "addemoji", "addlist", "addstickers", "addtheme",    "confirmphone", "contact", "iv",
    "joinchat", "login",   "proxy",       "setlanguage", "share",        "socks",   NULL};

static int reserved(const char *const *list, const char *seg, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, seg, n) == 0)
            return 1;
    return 0;
}

static int add_account(scan_out *out, enum svc svc, size_t s, size_t e, const char *id, size_t n)
{
    char f[96];
    if ((size_t)svc >= sizeof svc_name / sizeof svc_name[0])
        return 0;
    size_t sl = strlen(svc_name[svc]);
    if (n == 0 || sl + 1 + n > sizeof f)
        return 0;
    memcpy(f, svc_name[svc], sl);
    f[sl] = ':';
    memcpy(f + sl + 1, id, n);
    return out->add(out, "account", s, e, f, sl + 1 + n);
}

/* A run of digits at buf[p..), 5..20 long and not followed by a digit;
 * returns its end, or 0. */
static size_t digit_id(const uint8_t *buf, size_t p, size_t hi)
{
    size_t e = p;
    while (e < hi && val_is_digit(buf[e]) && e - p <= 20)
        e++;
    if (e - p < 5 || e - p > 20 || (e < hi && val_is_digit(buf[e])))
        return 0;
    return e;
}

static int cookie(const uint8_t *buf, size_t lo, size_t hi, size_t ls, size_t at, scan_out *out)
{
    if (ls > lo && ((buf[ls - 1] >= 'a' && buf[ls - 1] <= 'z') || buf[ls - 1] == '_'))
        return 0; /* "src_user=..." */
    size_t p = at;
    if (p >= hi || !strchr("=:\"'%0123456789", buf[p]) || buf[p] == 0)
        return 0; /* what the anchor requires after the name */
    for (int round = 0; round < 2; round++) {
        size_t skipped = 0;
        while (p < hi && skipped < 12) {
            if (strchr("=:\"' \t,", buf[p]) && buf[p]) {
                p++, skipped++;
            } else if (tu_has_ci(buf, p, hi, "%3D") || tu_has_ci(buf, p, hi, "%22")) {
                p += 3, skipped += 3;
            } else {
                break;
            }
        }
        if (round == 0 && tu_has_ci(buf, p, hi, "value"))
            p += 5;
        else
            break;
    }
    size_t e = digit_id(buf, p, hi);
    return e ? add_account(out, SVC_COOKIE, ls, e, (const char *)buf + p, e - p) : 0;
}

/* May c, followed by next, end a path segment? */
static int segment_end(const uint8_t *buf, size_t e, size_t hi)
{
    if (e >= hi)
        return 1;
    int c = buf[e], next = e + 1 < hi ? buf[e + 1] : -1;
    if (val_is_alnum(c) || c == '_')
        return 0;
    if (c == '.' || c == '-')
        return !(val_is_alnum(next) || next == '_');
    return c == 0 || !strchr("%@=&+~!$*", c);
}

/* Does the segment end in a file extension ("favicon.ico", "l.php")? */
static int file_like(const char *seg, size_t n)
{
    static const char *const ext[] = {".php", ".htm", ".html", ".ico", ".js",   ".css", ".png",
                                      ".jpg", ".gif", ".xml",  ".txt", ".json", NULL};
    for (const char *const *x = ext; *x; x++) {
        size_t l = strlen(*x);
        if (n > l && memcmp(seg + n - l, *x, l) == 0)
            return 1;
    }
    return 0;
}

static int profile(const uint8_t *buf, size_t hi, size_t ls, size_t at, enum svc svc, scan_out *out)
{
    char seg[64];
    size_t e = at, n;
    if (svc == SVC_FB) {
        if (tu_has_ci(buf, at, hi, "profile.php?id=")) {
            /* more query parameters may follow: "&sk=about" */
            size_t p = at + 15, de = digit_id(buf, p, hi);
            if (de && (de == hi || !(val_is_alnum(buf[de]) || buf[de] == '_')))
                return add_account(out, svc, ls, de, (const char *)buf + p, de - p);
            return 0;
        }
        if (tu_has_ci(buf, at, hi, "people/")) {
            size_t p = at + 7;
            while (p < hi && p - at < 128 && buf[p] != '/' && tu_is_host(buf[p]))
                p++;
            if (p >= hi || buf[p] != '/')
                return 0;
            size_t de = digit_id(buf, p + 1, hi);
            if (de && segment_end(buf, de, hi))
                return add_account(out, svc, ls, de, (const char *)buf + p + 1, de - p - 1);
            return 0;
        }
    }
    for (;;) {
        if (e >= hi || e - at >= sizeof seg)
            break;
        int c = buf[e];
        if (val_is_alnum(c) || (c == '_' && svc != SVC_FB) ||
            (c == '.' && (svc == SVC_FB || svc == SVC_IG || svc == SVC_TT)))
            e++;
        else
            break;
    }
    while (e > at && buf[e - 1] == '.')
        e--;
    n = e - at;
    if (n == 0 || n >= sizeof seg || !segment_end(buf, e, hi))
        return 0;
    for (size_t i = 0; i < n; i++)
        seg[i] = (char)val_lower(buf[at + i]);
    switch (svc) {
    case SVC_FB: {
        int digits = 1;
        for (size_t i = 0; i < n; i++)
            digits &= val_is_digit(seg[i]);
        if (digits) {
            if (n >= 5 && n <= 20)
                return add_account(out, svc, ls, e, (const char *)buf + at, n);
            return 0;
        }
        if (n < 5 || n > 50 || seg[0] == '.' || reserved(fb_reserved, seg, n) || file_like(seg, n))
            return 0;
        break;
    }
    case SVC_X:
        if (n > 15 || reserved(x_reserved, seg, n))
            return 0;
        break;
    case SVC_IG:
        if (n > 30 || seg[0] == '.' || reserved(ig_reserved, seg, n) || file_like(seg, n))
            return 0;
        break;
    case SVC_TT:
        if (n < 2 || n > 24 || seg[0] == '.')
            return 0;
        break;
    case SVC_TG:
        if (n < 5 || n > 32 || !val_is_alpha(seg[0]) || reserved(tg_reserved, seg, n))
            return 0;
        break;
    case SVC_COOKIE:
        return 0;
    }
    return add_account(out, svc, ls, e, seg, n);
}

/* Subdomains of the services that serve profile pages: the web and mobile
 * sites and locales ("fr-fr.facebook.com").  Others serve media, short links,
 * APIs or help pages (pic.twitter.com, pbs.twimg..., graph.facebook.com,
 * help.instagram.com), whose paths are no accounts. */
static int profile_host(const uint8_t *buf, size_t lo, size_t dot)
{
    static const char *const hosts[] = {"www",    "m",    "mobile", "web", "touch",
                                        "mbasic", "lite", "free",   NULL};
    size_t b = dot;
    while (b > lo && (val_is_alnum(buf[b - 1]) || buf[b - 1] == '-'))
        b--;
    size_t n = dot - b;
    for (const char *const *h = hosts; *h; h++)
        if (strlen(*h) == n && tu_has_ci(buf, b, dot, *h))
            return 1;
    /* a locale: "fr", "es-la", "de-de" */
    return (n == 2 || (n == 5 && buf[b + 2] == '-')) && val_is_alpha(buf[b]) &&
           val_is_alpha(buf[b + 1]) &&
           (n == 2 || (val_is_alpha(buf[b + 3]) && val_is_alpha(buf[b + 4])));
}

static int account_extract(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                           const scan_type_ctx *ctx, scan_out *out)
{
    size_t lo, hi;
    val_window(len, at, &lo, &hi);
    if (at > hi)
        return 0;
    for (size_t i = 0; i < sizeof account_literals / sizeof account_literals[0]; i++) {
        const char *lit = account_literals[i].lit;
        size_t l = strlen(lit);
        enum svc svc = account_literals[i].svc;
        if (at < lo + l)
            continue;
        size_t ls = at - l;
        if (svc == SVC_COOKIE) {
            /* the anchor ends one past the name */
            int rc = 0;
            if (memcmp(buf + ls, lit, l) == 0)
                rc = cookie(buf, lo, hi, ls, at, out);
            else if (ls > lo && memcmp(buf + ls - 1, lit, l) == 0)
                rc = cookie(buf, lo, hi, ls - 1, at - 1, out);
            if (rc)
                return rc;
            continue;
        }
        if (!tu_has_ci(buf, ls, at, lit))
            continue;
        /* the service's own domain, not "fox.com/"; or a subdomain that
         * serves profiles, not media or API hosts ("pic.twitter.com/...") */
        if (ls > lo && buf[ls - 1] != '.' && (val_is_alnum(buf[ls - 1]) || buf[ls - 1] == '-'))
            continue;
        if (ls > lo && buf[ls - 1] == '.' && !profile_host(buf, lo, ls - 1))
            continue;
        int rc = profile(buf, hi, ls, at, svc, out);
        if (rc)
            return rc;
    }
    return 0;
}

static const scan_pattern account_patterns[] = {
    {"c_user[=:\"'%0-9]", 0}, /* a bare "c_user" literal ran markedly slower */
    {"(?:facebook|twitter|instagram)\\.com/", SCAN_PAT_CASELESS},
    {"x\\.com/", SCAN_PAT_CASELESS},
    {"tiktok\\.com/@", SCAN_PAT_CASELESS},
    {"(?:t|telegram)\\.me/", SCAN_PAT_CASELESS},
};

const scan_type scan_type_account = {
    "account",
    account_patterns,
    sizeof account_patterns / sizeof account_patterns[0],
    account_extract,
};
