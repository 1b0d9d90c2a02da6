/* engine.c: building the scan engine (scan.h): the one matcher database of
 * every type's anchors plus the container signatures, the keyword matcher,
 * the stop lists and the settings extractors read.  The engine is read-only
 * once built and shared by every worker.
 *
 * Containers the engine opens, and the names forensic paths give them
 * ("OFFSET-NAME-N-NAME-M...": the container's media offset, then for each
 * level the decoder and the offset in its decoded data, as bulk_extractor):
 *   GZIP    1f 8b 08 (zlib, gzip mode; one member)
 *   ZLIB    78 01/5e/9c/da with a valid check (PDF FlateDecode and others);
 *           a stream that breaks within 64 bytes is taken for noise
 *   ZIP     a PK\3\4 local header with method 8 (raw deflate): docx, xlsx,
 *           odt, apk, jar...; stored entries are scanned where they lie
 *   BZIP2   "BZh[1-9]" + block magic (libbz2)
 *   XZ      fd "7zXZ" 00 (liblzma, memory limit SCAN_XZ_MEMLIMIT)
 *   BASE64  a run of at least SCAN_MIN_BASE64 base64 characters, with line
 *           breaks as in MIME bodies; a blank line or '=' padding ends it
 *   QP      quoted-printable: lines joined by soft breaks ("=\n") and =XX
 *           escapes; only hits that touch a decoded escape or a join are kept
 *   PCT     percent-encoding (%40...) in a URL-like run; bulk_extractor has no
 *           name for it; as for QP, only hits that touch a decoded escape
 *   PDFTEXT no signature: a decoded stream with text-showing operators (a PDF
 *           content stream) gives the text they show, kerned pieces joined
 *           (decode.h, dec_pdf_text); only hits across a join are kept
 *   SQLITE  no signature: SQLite b-tree pages (scan/sqlite_rec.h) found on
 *           512-byte boundaries; each field of each record is scanned on its
 *           own ("OFFSET-SQLITE-N": OFFSET where the field lies, N in it)
 * --max-depth (scan_options.max_depth, 0..SCAN_MAX_DEPTH) is how many
 * container levels are opened: 0 opens none, 1 opens containers in the
 * media but none inside them.  Each decoded stream stops at
 * SCAN_MAX_EXPANDED bytes (all levels of one worker together), or when it
 * yields more than SCAN_MAX_RATIO bytes per compressed byte past 1 MiB; hits
 * in a stream cut so carry SCAN_HIT_AT_LIMIT.  Once a page has decoded
 * SCAN_MAX_PAGE_EXPANDED bytes in all, its remaining containers stay shut
 * (a page of bombs costs seconds, not hours).  A damaged stream gives what
 * decoded before the damage. */
#include "scan/scan_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan/sqlite_rules.h"
#include "util/limits.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* Container kinds.  Each signature is either fixed-length (the container
 * starts at the match end minus its length) or the anchor of a run that the
 * decoder walks back from (BASE64, QP, PCT); either way the container's
 * start does not depend on which match the backend reports. */
const scan_container_kind scan_containers[CONT_COUNT] = {
    [CONT_GZIP] = {"GZIP", "\\x1f\\x8b\\x08", 3, 0},
    [CONT_ZLIB] = {"ZLIB", "\\x78[\\x01\\x5e\\x9c\\xda]", 2, 0},
    [CONT_ZIP] = {"ZIP", "PK\\x03\\x04", 4, 0},
    [CONT_BZIP2] = {"BZIP2", "BZh[1-9]1AY&SY", 10, 0},
    [CONT_XZ] = {"XZ", "\\xfd7zXZ\\x00", 6, 0},
    [CONT_BASE64] = {"BASE64", "[A-Za-z0-9+/]{" STR(SCAN_MIN_BASE64) "}", 0, 1},
    [CONT_QP] = {"QP", "=(\\r?\\n|[0-9A-F]{2})", 0, 1},
    [CONT_PCT] = {"PCT", "%[0-9A-Fa-f]{2}", 0, 1},
    [CONT_PDFTEXT] = {"PDFTEXT", NULL, 0, 0}, /* a zlib stream with text operators */
    [CONT_SQLITE] = {"SQLITE", NULL, 0, 0},   /* b-tree pages on 512-byte boundaries */
};

/* ISO 3166 alpha-2 -> calling code, for national phone numbers. */
static const struct {
    const char *iso, *code;
} calling_codes[] = {
    {"AL", "355"}, {"AR", "54"},  {"AT", "43"},  {"AU", "61"},  {"BA", "387"}, {"BE", "32"},
    {"BG", "359"}, {"BR", "55"},  {"CA", "1"},   {"CH", "41"},  {"CN", "86"},  {"CY", "357"},
    {"CZ", "420"}, {"DE", "49"},  {"DK", "45"},  {"EE", "372"}, {"EG", "20"},  {"ES", "34"},
    {"FI", "358"}, {"FR", "33"},  {"GB", "44"},  {"GR", "30"},  {"HR", "385"}, {"HU", "36"},
    {"IE", "353"}, {"IL", "972"}, {"IN", "91"},  {"IS", "354"}, {"IT", "39"},  {"JP", "81"},
    {"KR", "82"},  {"LT", "370"}, {"LU", "352"}, {"LV", "371"}, {"MA", "212"}, {"ME", "382"},
    {"MK", "389"}, {"MT", "356"}, {"MX", "52"},  {"NG", "234"}, {"NL", "31"},  {"NO", "47"},
    {"NZ", "64"},  {"PK", "92"},  {"PL", "48"},  {"PT", "351"}, {"RO", "40"},  {"RS", "381"},
    {"RU", "7"},   {"SA", "966"}, {"SE", "46"},  {"SG", "65"},  {"SI", "386"}, {"SK", "421"},
    {"TR", "90"},  {"UA", "380"}, {"US", "1"},   {"XK", "383"}, {"ZA", "27"},  {"AD", "376"},
    {"AE", "971"}, {"AM", "374"}, {"AZ", "994"}, {"BD", "880"}, {"BY", "375"}, {"CL", "56"},
    {"CO", "57"},  {"DZ", "213"}, {"EC", "593"}, {"ET", "251"}, {"FO", "298"}, {"GE", "995"},
    {"GH", "233"}, {"GI", "350"}, {"GL", "299"}, {"HK", "852"}, {"ID", "62"},  {"IQ", "964"},
    {"IR", "98"},  {"JO", "962"}, {"KE", "254"}, {"KW", "965"}, {"KZ", "7"},   {"LB", "961"},
    {"LI", "423"}, {"MC", "377"}, {"MD", "373"}, {"MY", "60"},  {"PE", "51"},  {"PH", "63"},
    {"QA", "974"}, {"SM", "378"}, {"TH", "66"},  {"TN", "216"}, {"TW", "886"}, {"UY", "598"},
    {"UZ", "998"}, {"VA", "39"},  {"VE", "58"},  {"VN", "84"},
};

void scan_options_default(scan_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threads = 0;
    opt->max_depth = SCAN_DEFAULT_DEPTH;
}

static size_t registry_count(const scan_type *const *types)
{
    size_t n = 0;
    while (types[n])
        n++;
    return n;
}

void scan_engine_free(scan_engine *eng)
{
    if (!eng)
        return;
    for (int i = 0; i < eng->npool; i++)
        scan_worker_free(eng->pool[i]);
    pthread_mutex_destroy(&eng->pool_mu);
    matcher_free(eng->m);
    matcher_free(eng->km);
    keywords_free(eng->kw, eng->nkw);
    stop_list_free(eng->stop);
    sq_rules_free(eng->rules);
    free(eng->anchors);
    free(eng);
}

static int set_country(scan_engine *eng, const char *country, trawl_err *err)
{
    if (!country || !*country)
        return 0;
    size_t n = strlen(country);
    if (n != 2 || !isalpha((unsigned char)country[0]) || !isalpha((unsigned char)country[1]))
        return trawl_fail(err, TRAWL_EUSAGE,
                          "--country %s: expected an ISO 3166 alpha-2 code such as AL", country);
    eng->country[0] = (char)toupper((unsigned char)country[0]);
    eng->country[1] = (char)toupper((unsigned char)country[1]);
    eng->country[2] = 0;
    eng->tctx.country = eng->country;
    for (size_t i = 0; i < sizeof calling_codes / sizeof calling_codes[0]; i++)
        if (!strcmp(calling_codes[i].iso, eng->country))
            eng->tctx.calling_code = calling_codes[i].code;
    if (!eng->tctx.calling_code)
        return trawl_fail(err, TRAWL_EUSAGE, "--country %s: no calling code known for it", country);
    return 0;
}

int scan_engine_new_types(const scan_options *opt, const scan_type *const *types, scan_engine **out,
                          trawl_err *err)
{
    if (opt->threads < 0 || opt->threads > SCAN_MAX_THREADS)
        return trawl_fail(err, TRAWL_EUSAGE, "-j %d: threads must be 0..%d", opt->threads,
                          SCAN_MAX_THREADS);
    if (opt->max_depth < 0 || opt->max_depth > SCAN_MAX_DEPTH)
        return trawl_fail(err, TRAWL_EUSAGE, "--max-depth %d: must be 0..%d", opt->max_depth,
                          SCAN_MAX_DEPTH);
    scan_engine *eng = calloc(1, sizeof *eng);
    if (!eng)
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    pthread_mutex_init(&eng->pool_mu, NULL);
    eng->types = types;
    eng->ntypes = registry_count(types);
    eng->max_depth = opt->max_depth;
    eng->default_stop = !opt->no_default_stop_list;
    int threads = opt->threads;
    if (threads == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        threads = nc < 1 ? 1 : nc > SCAN_MAX_THREADS ? SCAN_MAX_THREADS : (int)nc;
    }
    eng->threads = threads;
    int rc = set_country(eng, opt->country, err);
    if (rc) {
        scan_engine_free(eng);
        return rc;
    }

    size_t n = 0;
    for (size_t c = 0; c < CONT_COUNT; c++)
        n += scan_containers[c].regex != NULL;
    for (size_t t = 0; t < eng->ntypes; t++)
        n += types[t]->npatterns;
    matcher_pat *pats = calloc(n, sizeof *pats);
    eng->anchors = calloc(n, sizeof *eng->anchors);
    if (!pats || !eng->anchors) {
        free(pats);
        scan_engine_free(eng);
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    }
    size_t k = 0;
    for (size_t t = 0; t < eng->ntypes; t++) {
        for (size_t p = 0; p < types[t]->npatterns; p++, k++) {
            const scan_pattern *sp = &types[t]->patterns[p];
            pats[k].regex = sp->regex;
            pats[k].flags = ((sp->flags & SCAN_PAT_CASELESS) ? MATCHER_CASELESS : 0) |
                            ((sp->flags & SCAN_PAT_DOTALL) ? MATCHER_DOTALL : 0) |
                            ((sp->flags & SCAN_PAT_NATIVE) ? MATCHER_NATIVE : 0);
            pats[k].id = (unsigned)k;
            eng->anchors[k] = (anchor_def){ANCHOR_TYPE, (unsigned)t, (unsigned)p};
        }
    }
    for (size_t c = 0; c < CONT_COUNT; c++) {
        if (!scan_containers[c].regex)
            continue;
        pats[k].regex = scan_containers[c].regex;
        pats[k].flags = 0;
        pats[k].id = (unsigned)k;
        eng->anchors[k] = (anchor_def){ANCHOR_CONTAINER, (unsigned)c, 0};
        k++;
    }
    eng->nanchors = n;
    size_t bad;
    rc = matcher_new(pats, n, 0, &eng->m, &bad, err);
    if (rc) {
        if (bad < n && eng->anchors[bad].kind == ANCHOR_TYPE)
            trawl_wrap(err, "type %s, pattern %u (%s)", types[eng->anchors[bad].index]->name,
                       eng->anchors[bad].pat, pats[bad].regex);
        free(pats);
        scan_engine_free(eng);
        return rc;
    }
    free(pats);
    if (opt->keywords &&
        (rc = keywords_load(opt->keywords, &eng->kw, &eng->nkw, &eng->km, err)) != 0) {
        scan_engine_free(eng);
        return rc;
    }
    if (opt->stop_list && (rc = stop_list_load(opt->stop_list, &eng->stop, err)) != 0) {
        scan_engine_free(eng);
        return rc;
    }
    if ((rc = sq_rules_load(opt->columns, &eng->rules, err)) != 0) {
        scan_engine_free(eng);
        return rc;
    }
    *out = eng;
    return 0;
}

int scan_engine_new(const scan_options *opt, scan_engine **out, trawl_err *err)
{
    return scan_engine_new_types(opt, scan_type_registry, out, err);
}

/* The name list is built once from the registry (which is constant), so the
 * write-once table below is not state that functions talk through. */
#define MAX_NAMES 128
static const char *type_names[MAX_NAMES + 2];
static pthread_once_t type_names_once = PTHREAD_ONCE_INIT;

static void build_type_names(void)
{
    size_t n = 0;
    for (size_t i = 0; scan_type_registry[i] && n < MAX_NAMES; i++) {
        const char *name = scan_type_registry[i]->name;
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= !strcmp(type_names[j], name);
        if (!dup)
            type_names[n++] = name;
    }
    type_names[n++] = "keyword";
    type_names[n] = NULL;
}

const char *const *scan_type_names(void)
{
    pthread_once(&type_names_once, build_type_names);
    return type_names;
}
