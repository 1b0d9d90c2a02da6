/* html_page.c: the report's frame (see html.h): loads the devices and
 * links every section needs, writes the head (Content-Security-Policy,
 * style), the table of contents, each section in turn, and the script. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/html_int.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/limits.h"

/* --- Escaping and output helpers ------------------------------------------ */

void h_raw(rep *r, const char *s)
{
    sb_adds(&r->sb, s);
}

void h_txt(rep *r, const char *s, size_t len)
{
    esc_xml(&r->sb, s, len);
}

void h_str(rep *r, const char *s)
{
    if (s)
        esc_xml(&r->sb, s, strlen(s));
}

void h_cell(rep *r, const case_cell *x)
{
    if (!x->null)
        esc_xml(&r->sb, x->s, x->len);
}

/* Escape s[0..len), runs of NUL bytes as one dim marker. */
static void ctx_part(rep *r, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != 0)
            j++;
        esc_xml(&r->sb, s + i, j - i);
        size_t k = j;
        while (k < len && s[k] == 0)
            k++;
        if (k > j)
            h_f(r, "<span class=\"nul\" title=\"%zu NUL bytes\">\\x00&times;%zu</span>", k - j,
                k - j);
        i = k;
    }
}

void h_ctx(rep *r, const case_cell *x, const char *value)
{
    /* The value itself, where the context holds it as stored (ASCII case
     * aside), is marked; a value normalized away from its bytes (an IBAN
     * written with spaces) is left unmarked. */
    size_t vl = value ? strlen(value) : 0, at = x->len;
    for (size_t i = 0; vl && i + vl <= x->len && at == x->len; i++)
        if (!strncasecmp(x->s + i, value, vl))
            at = i;
    if (at == x->len) {
        ctx_part(r, x->s, x->len);
        return;
    }
    ctx_part(r, x->s, at);
    h_raw(r, "<mark>");
    ctx_part(r, x->s + at, vl);
    h_raw(r, "</mark>");
    ctx_part(r, x->s + at + vl, x->len - at - vl);
}

int h_loc_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    const h_loc *lc = ctx;
    rep *r = lc->r;
    if (lc->with_device) {
        h_raw(r, "<span class=\"dev\">");
        h_cell(r, &row[0]);
        h_raw(r, "</span> ");
    }
    if (row[1].len) {
        h_raw(r, "<code class=\"fp\">");
        h_cell(r, &row[1]);
        h_raw(r, "</code> ");
    }
    if (!row[2].null) {
        h_raw(r, "<span class=\"path\">");
        h_cell(r, &row[2]);
        h_raw(r, "</span>");
    } else if (!row[3].null) {
        h_raw(r, "<span class=\"area\">");
        h_cell(r, &row[3]);
        h_raw(r, "</span>");
    }
    if (!row[4].null && row[4].len) {
        h_raw(r, "<div class=\"ctx\">");
        h_ctx(r, &row[4], lc->value);
        h_raw(r, "</div>");
    }
    return 1;
}

void h_f(rep *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= 0)
        sb_add(&r->sb, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void h_json(rep *r, const char *s, size_t len)
{
    strbuf t = STRBUF_INIT;
    esc_json(&t, s, len);
    sb_addc(&r->sb, '"');
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.buf[i];
        if (c == '<')
            sb_adds(&r->sb, "\\u003c");
        else if (c == '>')
            sb_adds(&r->sb, "\\u003e");
        else if (c == '&')
            sb_adds(&r->sb, "\\u0026");
        else if (c == 0xe2 && i + 2 < t.len && (unsigned char)t.buf[i + 1] == 0x80 &&
                 ((unsigned char)t.buf[i + 2] == 0xa8 || (unsigned char)t.buf[i + 2] == 0xa9)) {
            sb_adds(&r->sb, (unsigned char)t.buf[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
            i += 2;
        } else
            sb_addc(&r->sb, (char)c);
    }
    sb_addc(&r->sb, '"');
    r->sb.oom |= t.oom;
    sb_free(&t);
}

void h_num(rep *r, int64_t n)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%lld", (long long)(n < 0 ? -n : n));
    if (n < 0)
        sb_addc(&r->sb, '-');
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            sb_addc(&r->sb, ',');
        sb_addc(&r->sb, d[i]);
    }
}

void h_size(rep *r, int64_t n)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1024 && u < 5)
        v /= 1024, u++;
    if (u == 0) {
        h_num(r, n);
        h_raw(r, " bytes");
    } else {
        h_f(r, "%.1f %s <span class=\"dim\">(", v, unit[u]);
        h_num(r, n);
        h_raw(r, " bytes)</span>");
    }
}

void h_anchor(rep *r, const char *type, const char *value)
{
    /* FNV-1a of type NUL value: short, stable and free of evidence bytes. */
    uint64_t h = 1469598103934665603ull;
    for (const char *p = type; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0) * 1099511628211ull;
    for (const char *p = value; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h_f(r, "v-%016llx", (unsigned long long)h);
}

int h_flush(rep *r, trawl_err *err)
{
    if (r->sb.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "report: out of memory");
    if (r->sb.len && fwrite(r->sb.buf, 1, r->sb.len, r->out) != r->sb.len)
        return trawl_fail(err, TRAWL_EIO, "report: write failed: %s", strerror(errno));
    sb_reset(&r->sb);
    return 0;
}

long rep_dev_index(const rep *r, const char *name)
{
    size_t lo = 0, hi = r->ndev;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        int c = strcmp(r->dev[m].name, name);
        if (!c)
            return (long)m;
        if (c < 0)
            lo = m + 1;
        else
            hi = m;
    }
    return -1;
}

char *rep_dup(const case_cell *x)
{
    if (x->null)
        return NULL;
    char *d = strndup(x->s, x->len);
    return d ? d : strdup("");
}

/* --- Loading ---------------------------------------------------------------- */

static int dev_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    rep *r = ctx;
    rep_dev *nv = realloc(r->dev, (r->ndev + 1) * sizeof *nv);
    if (!nv)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    r->dev = nv;
    rep_dev *d = &r->dev[r->ndev++];
    memset(d, 0, sizeof *d);
    d->id = row[0].i;
    d->name = strndup(row[1].s, row[1].len);
    d->size = row[5].i;
    if (!d->name)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    return 0;
}

static int add_count(rep_count **v, size_t *n, const case_cell *key, int64_t k)
{
    for (size_t i = *n; i-- > 0;)
        if (strlen((*v)[i].type) == key->len && !memcmp((*v)[i].type, key->s, key->len)) {
            (*v)[i].n += k;
            return 0;
        }
    rep_count *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n].type = strndup(key->s, key->len)))
        return -1;
    nv[*n].n = k;
    (*n)++;
    return 0;
}

/* One row of the census: device, type, area, deleted file, count. */
static int census_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    rep *r = ctx;
    long i = rep_dev_index(r, row[0].s);
    if (i < 0)
        return 0;
    rep_dev *d = &r->dev[i];
    int64_t n = row[4].i;
    d->total += n;
    /* Rows come in type order: a type continues the last entry. */
    if (add_count(&d->types, &d->ntypes, &row[1], n) ||
        (!row[2].null && add_count(&d->areas, &d->nareas, &row[2], n)))
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!row[3].null) {
        rep_del *nv = realloc(d->del, (d->ndel + 1) * sizeof *nv);
        if (!nv)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        d->del = nv;
        d->del[d->ndel++] = (rep_del){row[3].i, n};
    }
    return 0;
}

static int del_cmp(const void *pa, const void *pb)
{
    const rep_del *a = pa, *b = pb;
    return (a->file_id > b->file_id) - (a->file_id < b->file_id);
}

static int count_name_cmp(const void *pa, const void *pb)
{
    return strcmp(((const rep_count *)pa)->type, ((const rep_count *)pb)->type);
}

/* Sort the areas by name; merge the per-type rows of each deleted file. */
static void merge_deleted(rep_dev *d)
{
    if (d->nareas > 1)
        qsort(d->areas, d->nareas, sizeof *d->areas, count_name_cmp);
    if (!d->ndel)
        return;
    qsort(d->del, d->ndel, sizeof *d->del, del_cmp);
    size_t u = 0;
    for (size_t k = 0; k < d->ndel; k++) {
        if (u && d->del[u - 1].file_id == d->del[k].file_id)
            d->del[u - 1].n += d->del[k].n;
        else
            d->del[u++] = d->del[k];
    }
    d->ndel = u;
}

static int group_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    long i = rep_dev_index(r, row[1].s);
    if (i >= 0 && !r->dev[i].group) {
        r->dev[i].group = row[0].i >= 1 ? (int)row[0].i : 1; /* group ids start at 1 */
        if (r->dev[i].group > r->ngroups)
            r->ngroups = r->dev[i].group;
    }
    return 0;
}

static int link_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    rep *r = ctx;
    long a = rep_dev_index(r, row[0].s), b = rep_dev_index(r, row[1].s);
    if (a < 0 || b < 0)
        return 0;
    rep_link *nv = realloc(r->link, (r->nlink + 1) * sizeof *nv);
    if (!nv)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    r->link = nv;
    r->link[r->nlink++] = (rep_link){(uint32_t)a, (uint32_t)b, row[2].d, row[3].i};
    return 0;
}

static int dev_name_cmp(const void *pa, const void *pb)
{
    return strcmp(((const rep_dev *)pa)->name, ((const rep_dev *)pb)->name);
}

static int load(rep *r, trawl_err *err)
{
    int rc = case_q_devices(r->c, dev_cb, r, err);
    /* SQLite sorted by its collation (BINARY = bytewise), as strcmp. */
    if (!rc && r->ndev)
        qsort(r->dev, r->ndev, sizeof *r->dev, dev_name_cmp);
    if (!rc)
        rc = case_q_census(r->c, census_cb, r, err);
    for (size_t i = 0; !rc && i < r->ndev; i++)
        merge_deleted(&r->dev[i]);
    if (!rc)
        rc = case_q_groups(r->c, "louvain", group_cb, r, err);
    if (!rc && r->ngroups == 0)
        rc = case_q_groups(r->c, "components", group_cb, r, err);
    if (!rc)
        rc = case_q_link_count(r->c, &r->nlink_total, err);
    if (!rc)
        rc = case_q_links(r->c, REPORT_MAX_GRAPH_EDGES, link_cb, r, err);
    if (rc)
        return rc;
    uint32_t *ea = malloc((r->nlink + 1) * sizeof *ea), *eb = malloc((r->nlink + 1) * sizeof *eb);
    double *w = malloc((r->nlink + 1) * sizeof *w), *x = malloc((r->ndev + 1) * sizeof *x),
           *y = malloc((r->ndev + 1) * sizeof *y);
    if (ea && eb && w && x && y) {
        for (size_t k = 0; k < r->nlink; k++)
            ea[k] = r->link[k].a, eb[k] = r->link[k].b, w[k] = r->link[k].score;
        report_layout(r->ndev, ea, eb, w, r->nlink, x, y);
        for (size_t i = 0; i < r->ndev; i++)
            r->dev[i].x = x[i], r->dev[i].y = y[i];
    } else {
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    free(ea), free(eb), free(w), free(x), free(y);
    return rc;
}

/* --- The page --------------------------------------------------------------- */

/* The CSP source for the page's one script: 'sha256-BASE64' of exactly
 * the text between <script> and </script>, so that the browser runs that
 * script and nothing else, not even if a value slipped through escaping as
 * an inline handler or a <script>. */
static void script_hash(rep *r)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    strbuf js = STRBUF_INIT;
    sb_addc(&js, '\n');
    sb_adds(&js, html_js);
    char hex[65];
    digest_sha256_hex(js.buf ? js.buf : "", js.len, hex);
    r->sb.oom |= js.oom;
    sb_free(&js);
    unsigned char bin[33] = {0};
    for (int i = 0; i < 32; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        bin[i] = (unsigned char)(hi << 4 | lo);
    }
    h_raw(r, "'sha256-");
    for (int i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)bin[i] << 16 | (i + 1 < 32 ? (unsigned)bin[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? bin[i + 2] : 0);
        char q[5] = {b64[v >> 18 & 63], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63], 0};
        if (i + 2 >= 32)
            q[3] = '='; /* 32 bytes: the last group holds 2 */
        h_raw(r, q);
    }
    h_raw(r, "'");
}

static void head(rep *r)
{
    h_raw(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             /* Nothing may leave the page: no fetch, image, font, frame or
              * form target; inline style and script only. */
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "script-src ");
    script_hash(r);
    h_raw(r, "; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; font-src 'none'; "
             "frame-src 'none'; form-action 'none'; base-uri 'none'\">\n"
             "<meta name=\"referrer\" content=\"no-referrer\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"trawl ");
    h_str(r, r->o->version);
    h_raw(r, "\">\n<title>Examiner's report: ");
    h_str(r, r->o->title);
    h_raw(r, "</title>\n<style>\n");
    h_raw(r, html_css);
    h_raw(r, "</style>\n</head>\n<body>\n<header class=\"top\">\n<div class=\"kicker\">"
             "Examiner's report &middot; trawl ");
    h_str(r, r->o->version);
    h_raw(r, "</div>\n<h1>Case ");
    h_str(r, r->o->title);
    h_raw(r, "</h1>\n");
    /* At a glance: the figures a reader wants before the detail. */
    int64_t hits = 0;
    for (size_t i = 0; i < r->ndev; i++)
        hits += r->dev[i].total;
    int groups = 0;
    for (int g = 1; g <= r->ngroups; g++) {
        size_t m = 0;
        for (size_t i = 0; i < r->ndev; i++)
            m += r->dev[i].group == g;
        groups += m >= 2;
    }
    h_raw(r, "<div class=\"glance\"><div><b>");
    h_num(r, (int64_t)r->ndev);
    h_f(r, "</b> device%s</div><div><b>", r->ndev == 1 ? "" : "s");
    h_num(r, hits);
    h_raw(r, "</b> identifier hits</div><div><b>");
    h_num(r, r->nlink_total);
    h_f(r, "</b> link%s between devices</div><div><b>%d</b> group%s of linked devices</div>",
        r->nlink_total == 1 ? "" : "s", groups, groups == 1 ? "" : "s");
    if (r->nlink) {
        h_raw(r, "<div>strongest link <b>");
        h_str(r, r->dev[r->link[0].a].name);
        h_raw(r, " &harr; ");
        h_str(r, r->dev[r->link[0].b].name);
        h_f(r, "</b> (score %.2f)</div>", r->link[0].score);
    }
    h_raw(r, "</div>\n<p class=\"lede\">Every value below is shown as found in the evidence, "
             "with the place it was found (device, forensic path: the device offset first, and "
             "the file or area); <code>trawl find</code> on the case folder lists every "
             "occurrence.</p>\n");
    h_raw(r, "<nav class=\"toc\"><ol>"
             "<li><a href=\"#case\">Case</a></li>"
             "<li><a href=\"#graph\">Link graph</a></li>"
             "<li><a href=\"#links\">Strongest links</a></li>"
             "<li><a href=\"#accounts\">Accounts</a></li>"
             "<li><a href=\"#devices\">Per device</a></li>"
             "<li><a href=\"#index\">Identifier index</a></li>");
    if (r->o->watch)
        h_raw(r, "<li><a href=\"#watch\">Watch list</a></li>");
    h_raw(r, "<li><a href=\"#method\">Method</a></li></ol></nav>\n</header>\n<main>\n");
}

int report_html(case_db *c, const report_html_opts *o, FILE *out, trawl_err *err)
{
    rep r = {.c = c, .o = o, .out = out};
    int rc = load(&r, err);
    if (!rc) {
        head(&r);
        rc = h_flush(&r, err);
    }
    int (*const sections[])(rep *, trawl_err *) = {html_case,     html_graph,   html_links,
                                                   html_accounts, html_devices, html_index,
                                                   html_watch,    html_method};
    for (size_t i = 0; !rc && i < sizeof sections / sizeof sections[0]; i++) {
        rc = sections[i](&r, err);
        if (!rc)
            rc = h_flush(&r, err);
    }
    if (!rc) {
        h_raw(&r, "</main>\n<footer>Written by trawl ");
        h_str(&r, o->version);
        h_raw(&r, " from the case folder <code>");
        h_str(&r, o->title);
        h_raw(&r, "</code>. The same case gives the same report, byte for byte.</footer>\n"
                  "<script>\n");
        h_raw(&r, html_js);
        h_raw(&r, "</script>\n</body>\n</html>\n");
        rc = h_flush(&r, err);
    }
    if (!rc && fflush(out) != 0)
        rc = trawl_fail(err, TRAWL_EIO, "report: write failed: %s", strerror(errno));
    for (size_t i = 0; i < r.ndev; i++) {
        for (size_t k = 0; k < r.dev[i].ntypes; k++)
            free(r.dev[i].types[k].type);
        free(r.dev[i].types);
        for (size_t k = 0; k < r.dev[i].nareas; k++)
            free(r.dev[i].areas[k].type);
        free(r.dev[i].areas);
        free(r.dev[i].del);
        free(r.dev[i].name);
    }
    free(r.dev);
    free(r.link);
    sb_free(&r.sb);
    return rc;
}
