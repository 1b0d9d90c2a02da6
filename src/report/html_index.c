/* html_index.c: the Identifier index (a searchable, sortable table: the
 * identifiers on two or more devices, strongest first, then the top N
 * values of each device and type from the histograms, saying what was left
 * out) and the Watch list section. */
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"
#include "util/limits.h"

typedef struct ix_entry {
    char *type, *value;
    strbuf devs; /* ';'-separated device names */
    size_t ndev;
    int64_t dc;            /* devices holding it (link stage), or 0 */
    const char *first_dev; /* a device to look the first occurrence up on, or NULL */
} ix_entry;

typedef struct ix {
    rep *r;
    ix_entry *v;
    size_t n, cap;
    size_t *slot; /* open addressing over (type, value): index + 1 */
    size_t nslot;
    const char *cur_dev, *cur_type;
    int oom;
} ix;

static uint64_t fnv2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ull;
    h = h * 1099511628211ull;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ull;
    return h;
}

static int grow(ix *x)
{
    size_t ns = x->nslot ? x->nslot * 2 : 4096;
    size_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < x->n; i++) {
        size_t k = (size_t)fnv2(x->v[i].type, x->v[i].value) & (ns - 1);
        while (s[k])
            k = (k + 1) & (ns - 1);
        s[k] = i + 1;
    }
    free(x->slot);
    x->slot = s, x->nslot = ns;
    return 0;
}

/* The entry for (type, value), made when missing. */
static ix_entry *entry(ix *x, const char *type, size_t tlen, const char *value, size_t vlen)
{
    if ((x->n + 1) * 2 > x->nslot && grow(x))
        return NULL;
    char *t = strndup(type, tlen), *v = strndup(value, vlen);
    if (!t || !v) {
        free(t), free(v);
        return NULL;
    }
    size_t k = (size_t)fnv2(t, v) & (x->nslot - 1);
    for (; x->slot[k]; k = (k + 1) & (x->nslot - 1)) {
        ix_entry *e = &x->v[x->slot[k] - 1];
        if (!strcmp(e->type, t) && !strcmp(e->value, v)) {
            free(t), free(v);
            return e;
        }
    }
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 1024;
        ix_entry *nv = realloc(x->v, nc * sizeof *nv);
        if (!nv) {
            free(t), free(v);
            return NULL;
        }
        x->v = nv, x->cap = nc;
    }
    ix_entry *e = &x->v[x->n];
    memset(e, 0, sizeof *e);
    e->type = t, e->value = v;
    x->slot[k] = ++x->n;
    return e;
}

static int shared_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    ix *x = ctx;
    ix_entry *e = entry(x, row[0].s, row[0].len, row[1].s, row[1].len);
    if (!e)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    e->dc = row[2].i;
    sb_add(&e->devs, row[4].s, row[4].len);
    e->ndev = (size_t)row[2].i;
    return 0;
}

static int top_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    ix *x = ctx;
    ix_entry *e = entry(x, x->cur_type, strlen(x->cur_type), row[0].s, row[0].len);
    if (!e)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (e->dc)
        return 0; /* already listed with all its devices */
    if (e->ndev)
        sb_addc(&e->devs, ';');
    else
        e->first_dev = x->cur_dev;
    sb_adds(&e->devs, x->cur_dev);
    e->ndev++;
    return 0;
}

int html_index(rep *r, trawl_err *err)
{
    ix x = {.r = r};
    int64_t total = 0;
    int rc = case_q_shared(r->c, REPORT_MAX_INDEX_SHARED, &total, shared_cb, &x, err);
    size_t nshared = x.n;
    for (size_t i = 0; !rc && i < r->ndev; i++)
        for (size_t t = 0; !rc && t < r->dev[i].ntypes; t++) {
            x.cur_dev = r->dev[i].name;
            x.cur_type = r->dev[i].types[t].type;
            rc = case_q_histogram(r->c, x.cur_dev, x.cur_type, r->o->top, top_cb, &x, err);
        }
    if (rc)
        goto out;
    h_raw(r, "<section id=\"index\">\n<h2>Identifier index</h2>\n<p class=\"note\">");
    h_f(r, "%zu identifiers: ", x.n);
    if ((int64_t)nshared < total)
        h_f(r,
            "the %zu strongest of the %lld identifiers and files found on two or more "
            "devices (%lld left out)",
            nshared, (long long)total, (long long)(total - (int64_t)nshared));
    else
        h_f(r, "every identifier and file found on two or more devices (%zu)", nshared);
    h_f(r,
        ", and the %d most frequent values of each device and type. Values found less often "
        "on a single device are left out of this index: <code>trawl find CASE VALUE</code> "
        "lists every occurrence of a value, <code>trawl find --list FILE CASE</code> a whole "
        "list, and <code>trawl export --format csv CASE</code> every occurrence in the "
        "case.</p>\n",
        r->o->top);
    h_raw(r, "<div class=\"search\"><label for=\"q\">Search</label> <input id=\"q\" "
             "type=\"search\" placeholder=\"value, type, device or file\" autocomplete=\"off\"> "
             "<span id=\"q-count\" class=\"dim\"></span></div>\n"
             "<table class=\"data sortable\" id=\"ix\"><thead><tr><th data-sort=\"text\">Value"
             "</th><th data-sort=\"text\">Type</th><th data-sort=\"num\">Devices</th>"
             "<th>First found (device, forensic path, file or area, context)</th></tr></thead>"
             "<tbody>\n");
    for (size_t i = 0; !rc && i < x.n; i++) {
        ix_entry *e = &x.v[i];
        h_raw(r, "<tr id=\"");
        h_anchor(r, e->type, e->value);
        h_f(r, "\"><td class=\"val\">");
        h_str(r, e->value);
        h_raw(r, "</td><td>");
        h_str(r, e->type);
        h_f(r, "</td><td class=\"num\" data-v=\"%zu\"><b>%zu</b> ", e->ndev, e->ndev);
        h_raw(r, "<span class=\"devs\">");
        const char *s = sb_cstr(&e->devs);
        while (*s) {
            const char *z = strchr(s, ';');
            size_t len = z ? (size_t)(z - s) : strlen(s);
            h_txt(r, s, len);
            if (z)
                h_raw(r, ", ");
            s = z ? z + 1 : s + len;
        }
        h_raw(r, "</span></td><td class=\"loc\">");
        h_loc fc = {r, e->value, 1};
        rc = case_q_locations(r->c, e->type, e->value, e->first_dev, h_loc_cb, &fc, err);
        if (rc == 1)
            rc = 0;
        h_raw(r, "</td></tr>\n");
        if (!rc && r->sb.len > (4u << 20))
            rc = h_flush(r, err);
    }
    if (!rc)
        h_raw(r, "</tbody></table>\n</section>\n");
out:
    for (size_t i = 0; i < x.n; i++)
        free(x.v[i].type), free(x.v[i].value), sb_free(&x.v[i].devs);
    free(x.v);
    free(x.slot);
    return rc;
}

int html_watch(rep *r, trawl_err *err)
{
    (void)err;
    const report_watch *w = r->o->watch;
    if (!w)
        return 0;
    size_t nfound = 0;
    for (size_t i = 0; i < w->n; i++)
        nfound += w->found[i] > 0;
    h_raw(r, "<section id=\"watch\">\n<h2>Watch list</h2>\n<p class=\"note\">");
    h_f(r, "%zu values from <code>", w->n);
    h_str(r, r->o->watch_name);
    h_f(r,
        "</code>, each normalized as <code>trawl find</code> normalizes a value: %zu found, "
        "%zu found nowhere.</p>\n",
        nfound, w->n - nfound);
    if (w->nhits) {
        h_raw(r, "<table class=\"data\"><thead><tr><th>Listed value</th><th>Device</th>"
                 "<th>Found as</th><th>Hits</th><th>First occurrence</th></tr></thead><tbody>\n");
        for (size_t k = 0; k < w->nhits; k++) {
            const report_watch_hit *h = &w->hits[k];
            int first = k == 0 || h[-1].entry != h->entry;
            h_raw(r, first ? "<tr class=\"grp\"><td class=\"val\">" : "<tr><td class=\"val\">");
            if (first)
                h_str(r, w->values[h->entry]);
            h_raw(r, "</td><td class=\"dev\">");
            h_str(r, h->device);
            h_raw(r, "</td><td class=\"val\">");
            h_str(r, h->type);
            h_raw(r, ": ");
            h_str(r, h->value);
            h_f(r, "</td><td class=\"num\">%llu</td><td class=\"loc\"><code class=\"fp\">",
                (unsigned long long)h->count);
            h_str(r, h->path);
            h_raw(r, "</code> ");
            if (h->file) {
                h_raw(r, "<span class=\"path\">");
                h_str(r, h->file);
                h_raw(r, "</span>");
            } else if (h->area) {
                h_raw(r, "<span class=\"area\">");
                h_str(r, h->area);
                h_raw(r, "</span>");
            }
            h_raw(r, "</td></tr>\n");
        }
        h_raw(r, "</tbody></table>\n");
    }
    h_raw(r, "<h3>Found nowhere</h3>\n");
    if (nfound == w->n) {
        h_raw(r, "<p>Every listed value was found.</p>\n");
    } else {
        h_raw(r, "<ul class=\"nowhere\">");
        for (size_t i = 0; i < w->n; i++)
            if (!w->found[i]) {
                h_raw(r, "<li class=\"val\">");
                h_str(r, w->values[i]);
                h_raw(r, "</li>");
            }
        h_raw(r, "</ul>\n");
    }
    h_raw(r, "</section>\n");
    return 0;
}
