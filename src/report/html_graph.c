/* html_graph.c: the link graph as an inline SVG picture: devices as nodes
 * (area by identifier count, colour by group), links as lines (width by
 * score), laid out in C (layout.c) so the picture is fixed in the file and
 * prints without the script.  The script adds pan, zoom and a details
 * panel from the JSON block written here. */
#include <math.h>
#include <string.h>

#include "report/html_int.h"
#include "util/limits.h"

/* Sober, print-safe colours for groups (Okabe-Ito, then greys). */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#7F6A00", "#882255",
                                      "#117733", "#332288", "#AA4499", "#44AA99"};
#define NPAL (sizeof palette / sizeof palette[0])
#define GRAPH_W 1000.0
#define GRAPH_H 700.0
#define GRAPH_PAD 48.0

static const char *colour(int group)
{
    return group > 0 ? palette[(size_t)(group - 1) % NPAL] : "#8a8f98";
}

typedef struct why_ctx {
    rep *r;
    size_t k; /* current link index */
    int open; /* a "k":[ list is open */
    int any;
} why_ctx;

static int why_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    why_ctx *w = ctx;
    rep *r = w->r;
    long a = rep_dev_index(r, row[0].s), b = rep_dev_index(r, row[1].s);
    size_t k = w->k;
    while (k < r->nlink && !(r->link[k].a == (uint32_t)a && r->link[k].b == (uint32_t)b))
        k++;
    if (k == r->nlink)
        return 0;
    if (k != w->k || !w->open) {
        if (w->open)
            h_raw(r, "]");
        h_f(r, "%s\"%zu\":[", w->any ? "," : "", k);
        w->any = 1;
        w->open = 1;
        w->k = k;
    } else {
        h_raw(r, ",");
    }
    h_raw(r, "[");
    h_json(r, row[3].s, row[3].len);
    h_raw(r, ",");
    h_json(r, row[4].s, row[4].len);
    h_f(r, ",%lld,%.4f]", (long long)row[5].i, row[6].d);
    return 0;
}

int html_graph(rep *r, trawl_err *err)
{
    h_raw(r, "<section id=\"graph\">\n<h2>Link graph</h2>\n");
    if (r->ndev == 0) {
        h_raw(r, "<p>The case holds no device.</p></section>\n");
        return 0;
    }
    h_raw(r, "<p class=\"note\">");
    h_num(r, (int64_t)r->ndev);
    h_raw(r, " devices; ");
    h_num(r, r->nlink_total);
    h_raw(r, " links");
    if ((int64_t)r->nlink < r->nlink_total) {
        h_raw(r, " (the ");
        h_num(r, (int64_t)r->nlink);
        h_raw(r, " strongest drawn)");
    }
    h_raw(r, ". A circle is a device (its area grows with the identifiers found on it; its "
             "colour is its group); a line is a link (thicker for a higher score).<span "
             "class=\"screen-only\"> Click a device or a line for what it holds or shares; "
             "scroll to zoom, drag to move.</span></p>\n");
    h_raw(r, "<div class=\"graphwrap\"><div class=\"tools\"><button type=\"button\" "
             "id=\"g-reset\">Reset view</button> <label><input type=\"checkbox\" id=\"g-labels\" "
             "checked> names</label></div>\n");
    h_f(r,
        "<svg id=\"g\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Link graph\" "
        "xmlns=\"http://www.w3.org/2000/svg\">\n<g id=\"g-view\">\n<g class=\"edges\">\n",
        GRAPH_W, GRAPH_H);
    double smax = 0, tmax = 1;
    for (size_t k = 0; k < r->nlink; k++)
        smax = fmax(smax, r->link[k].score);
    for (size_t i = 0; i < r->ndev; i++)
        tmax = fmax(tmax, (double)r->dev[i].total);
    double sx = GRAPH_W - 2 * GRAPH_PAD, sy = GRAPH_H - 2 * GRAPH_PAD;
    /* Weakest first, so strong links are drawn on top. */
    for (size_t kk = r->nlink; kk-- > 0;) {
        const rep_link *l = &r->link[kk];
        const rep_dev *a = &r->dev[l->a], *b = &r->dev[l->b];
        double f = smax > 0 ? sqrt(l->score / smax) : 0;
        h_f(r,
            "<line class=\"e\" data-i=\"%zu\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke-width=\"%.2f\" stroke-opacity=\"%.2f\"/>\n",
            kk, GRAPH_PAD + a->x * sx, GRAPH_PAD + a->y * sy, GRAPH_PAD + b->x * sx,
            GRAPH_PAD + b->y * sy, 0.4 + 4.1 * f, 0.08 + 0.8 * f);
    }
    h_raw(r, "</g>\n<g class=\"nodes\">\n");
    /* Smaller circles when there are many devices, so they stay apart. */
    double rmax = fmax(6.0, fmin(18.0, 60.0 / sqrt((double)r->ndev)));
    for (size_t i = 0; i < r->ndev; i++) {
        const rep_dev *d = &r->dev[i];
        double rad = 3 + rmax * sqrt((double)d->total / tmax);
        h_f(r,
            "<g class=\"n\" data-i=\"%zu\" transform=\"translate(%.1f %.1f)\"><circle r=\"%.1f\" "
            "fill=\"%s\"/><text y=\"%.1f\">",
            i, GRAPH_PAD + d->x * sx, GRAPH_PAD + d->y * sy, rad, colour(d->group), rad + 11);
        h_str(r, d->name);
        h_raw(r, "</text></g>\n");
    }
    h_raw(r, "</g>\n</g>\n</svg>\n<aside id=\"detail\" aria-live=\"polite\"><p class=\"dim\">"
             "Click a device or a link.</p></aside></div>\n");
    if (r->ngroups > 0) {
        h_raw(r, "<p class=\"legend\">Groups (Louvain communities, else linked components): ");
        for (int g = 1; g <= r->ngroups; g++) {
            size_t members = 0;
            for (size_t i = 0; i < r->ndev; i++)
                members += r->dev[i].group == g;
            if (members)
                h_f(r, "<span class=\"sw\" style=\"background:%s\"></span>&nbsp;%d (%zu) ",
                    colour(g), g, members);
        }
        h_raw(r, "<span class=\"sw\" style=\"background:#8a8f98\"></span>&nbsp;in no group</p>\n");
    }
    /* The data behind the details panel: JSON that cannot close its
     * element (h_json escapes < > & U+2028 U+2029). */
    h_raw(r, "<script type=\"application/json\" id=\"g-data\">{\"dev\":[");
    for (size_t i = 0; i < r->ndev; i++) {
        const rep_dev *d = &r->dev[i];
        h_raw(r, i ? ",[" : "[");
        h_json(r, d->name, strlen(d->name));
        h_f(r, ",%d,%lld,[", d->group, (long long)d->total);
        for (size_t t = 0; t < d->ntypes; t++) {
            h_raw(r, t ? ",[" : "[");
            h_json(r, d->types[t].type, strlen(d->types[t].type));
            h_f(r, ",%lld]", (long long)d->types[t].n);
        }
        h_raw(r, "]]");
    }
    h_raw(r, "],\"links\":[");
    for (size_t k = 0; k < r->nlink; k++)
        h_f(r, "%s[%u,%u,%.4f,%lld]", k ? "," : "", r->link[k].a, r->link[k].b, r->link[k].score,
            (long long)r->link[k].shared);
    h_raw(r, "],\"why\":{");
    why_ctx w = {.r = r};
    int rc = case_q_link_contributors(r->c, REPORT_EXPLAIN_EDGES, why_cb, &w, err);
    if (rc)
        return rc;
    if (w.open)
        h_raw(r, "]");
    h_raw(r, "}}</script>\n</section>\n");
    return 0;
}
