/* html_devices.c: the Per device section: for each device its counts by
 * identifier type, the top values of each type (from the histograms the
 * scan wrote), its files of interest (notable hash-set hits, YARA matches,
 * extension mismatches, deleted files holding identifiers) and the areas
 * (unallocated, slack, ...) holding identifiers. */
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"
#include "util/limits.h"

typedef struct per_dev {
    rep *r;
    strbuf *foi, *areas; /* pre-rendered rows, one buffer per device */
} per_dev;

static const char *kind_label(const char *k)
{
    if (!strcmp(k, "notable"))
        return "notable hash-set hit";
    if (!strcmp(k, "yara"))
        return "YARA match";
    if (!strcmp(k, "ext-mismatch"))
        return "extension does not match content";
    if (!strcmp(k, "deleted"))
        return "deleted, holds identifiers";
    return k;
}

static int foi_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    per_dev *p = ctx;
    long i = rep_dev_index(p->r, row[0].s);
    if (i < 0)
        return 0;
    rep tmp = {.sb = p->foi[i]};
    h_raw(&tmp, "<tr><td>");
    h_str(&tmp, kind_label(row[1].s));
    h_raw(&tmp, "</td><td class=\"path\">");
    h_cell(&tmp, &row[2]);
    h_raw(&tmp, "</td><td>");
    if (!strcmp(row[1].s, "deleted"))
        h_f(&tmp, "%lld identifier%s", (long long)row[3].i, row[3].i == 1 ? "" : "s");
    else
        h_cell(&tmp, &row[3]);
    h_raw(&tmp, "</td><td class=\"num\">");
    if (!row[4].null)
        h_f(&tmp, "%lld", (long long)row[4].i);
    h_raw(&tmp, "</td><td class=\"hashes\"><code>");
    h_cell(&tmp, &row[5]);
    h_raw(&tmp, "</code></td></tr>\n");
    p->foi[i] = tmp.sb;
    return 0;
}

static int area_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    per_dev *p = ctx;
    long i = rep_dev_index(p->r, row[0].s);
    if (i < 0)
        return 0;
    rep tmp = {.sb = p->areas[i]};
    h_raw(&tmp, "<tr><td>");
    h_cell(&tmp, &row[1]);
    h_f(&tmp, "</td><td class=\"num\">%lld</td></tr>\n", (long long)row[2].i);
    p->areas[i] = tmp.sb;
    return 0;
}

static int hist_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    h_raw(r, "<li><span class=\"val\">");
    h_cell(r, &row[0]);
    h_f(r, "</span> <span class=\"cnt\">&times;%lld</span></li>", (long long)row[1].i);
    return 0;
}

int html_devices(rep *r, trawl_err *err)
{
    per_dev p = {.r = r};
    p.foi = calloc(r->ndev + 1, sizeof *p.foi);
    p.areas = calloc(r->ndev + 1, sizeof *p.areas);
    int rc = p.foi && p.areas ? 0 : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc)
        rc = case_q_files_of_interest(r->c, REPORT_FILES_PER_KIND, foi_cb, &p, err);
    if (!rc)
        rc = case_q_area_counts(r->c, area_cb, &p, err);
    if (!rc)
        h_raw(r, "<section id=\"devices\">\n<h2>Per device</h2>\n");
    for (size_t i = 0; !rc && i < r->ndev; i++) {
        const rep_dev *d = &r->dev[i];
        h_f(r, "<article class=\"device\" id=\"dev-%zu\"><h3>", i);
        h_str(r, d->name);
        h_raw(r, " <span class=\"dim\">");
        h_num(r, d->total);
        h_f(r, " identifier hit%s</span></h3>\n", d->total == 1 ? "" : "s");
        if (d->ntypes == 0) {
            h_raw(r, "<p>No identifier was found on this device.</p>\n");
        } else {
            h_raw(r, "<table class=\"data types\"><thead><tr><th>Type</th><th>Hits</th>"
                     "<th>Most frequent values (from the histogram)</th></tr></thead><tbody>\n");
            for (size_t t = 0; !rc && t < d->ntypes; t++) {
                h_raw(r, "<tr><td>");
                h_str(r, d->types[t].type);
                h_raw(r, "</td><td class=\"num\">");
                h_num(r, d->types[t].n);
                h_raw(r, "</td><td><ol class=\"top\">");
                size_t before = r->sb.len;
                rc = case_q_histogram(r->c, d->name, d->types[t].type, r->o->top, hist_cb, r, err);
                if (!rc && r->sb.len == before)
                    h_raw(r, "<li class=\"dim\">no histogram file</li>");
                h_raw(r, "</ol></td></tr>\n");
            }
            h_raw(r, "</tbody></table>\n");
        }
        if (p.foi[i].len) {
            h_raw(r, "<h4>Files of interest</h4>\n<table class=\"data\"><thead><tr><th>Why</th>"
                     "<th>File</th><th>Detail</th><th>Size</th><th>SHA-256</th></tr></thead>"
                     "<tbody>\n");
            sb_add(&r->sb, p.foi[i].buf, p.foi[i].len);
            h_raw(r, "</tbody></table>\n");
        } else {
            h_raw(r, "<p class=\"dim\">No file of interest (no notable hash-set hit, YARA "
                     "match, extension mismatch, or deleted file holding identifiers).</p>\n");
        }
        if (p.areas[i].len) {
            h_raw(r, "<h4>Areas outside files holding identifiers</h4>\n<table class=\"data "
                     "narrow\"><thead><tr><th>Area</th><th>Hits</th></tr></thead><tbody>\n");
            sb_add(&r->sb, p.areas[i].buf, p.areas[i].len);
            h_raw(r, "</tbody></table>\n");
        }
        h_raw(r, "</article>\n");
        r->sb.oom |= p.foi[i].oom | p.areas[i].oom;
        if (!rc)
            rc = h_flush(r, err);
    }
    if (!rc)
        h_raw(r, "</section>\n");
    for (size_t i = 0; p.foi && p.areas && i < r->ndev; i++)
        sb_free(&p.foi[i]), sb_free(&p.areas[i]);
    free(p.foi), free(p.areas);
    return rc;
}
