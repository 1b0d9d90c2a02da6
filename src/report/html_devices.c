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
    strbuf *foi; /* pre-rendered rows, one buffer per device */
} per_dev;

static int del_id_cmp(const void *pa, const void *pb)
{
    const rep_del *a = pa, *b = pb;
    return (a->file_id > b->file_id) - (a->file_id < b->file_id);
}

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
    h_cell(&tmp, &row[3]);
    h_raw(&tmp, "</td><td class=\"num\">");
    if (!row[4].null)
        h_num(&tmp, row[4].i);
    h_raw(&tmp, "</td><td class=\"hashes\"><code>");
    h_cell(&tmp, &row[5]);
    h_raw(&tmp, "</code></td></tr>\n");
    p->foi[i] = tmp.sb;
    return 0;
}

/* A deleted file holding identifiers (case_q_files_by_id): device, path,
 * size, sha256, id. */
static int deleted_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    per_dev *p = ctx;
    long i = rep_dev_index(p->r, row[0].s);
    if (i < 0)
        return 0;
    const rep_dev *d = &p->r->dev[i];
    rep_del key = {row[4].i, 0};
    const rep_del *hit = bsearch(&key, d->del, d->ndel, sizeof *d->del, del_id_cmp);
    rep tmp = {.sb = p->foi[i]};
    h_raw(&tmp, "<tr><td>");
    h_str(&tmp, kind_label("deleted"));
    h_raw(&tmp, "</td><td class=\"path\">");
    h_cell(&tmp, &row[1]);
    h_raw(&tmp, "</td><td>");
    int64_t n = hit ? hit->n : 0;
    h_num(&tmp, n);
    h_f(&tmp, " identifier%s</td><td class=\"num\">", n == 1 ? "" : "s");
    if (!row[2].null)
        h_num(&tmp, row[2].i);
    h_raw(&tmp, "</td><td class=\"hashes\"><code>");
    h_cell(&tmp, &row[3]);
    h_raw(&tmp, "</code></td></tr>\n");
    p->foi[i] = tmp.sb;
    return 0;
}

/* The deleted files of every device, their ids in one list. */
static int deleted_files(per_dev *p, trawl_err *err)
{
    rep *r = p->r;
    size_t n = 0;
    for (size_t i = 0; i < r->ndev; i++)
        n += r->dev[i].ndel;
    if (!n)
        return 0;
    int64_t *ids = malloc(n * sizeof *ids);
    if (!ids)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    n = 0;
    for (size_t i = 0; i < r->ndev; i++)
        for (size_t k = 0; k < r->dev[i].ndel; k++)
            ids[n++] = r->dev[i].del[k].file_id;
    int rc = case_q_files_by_id(r->c, ids, n, REPORT_FILES_PER_KIND, deleted_cb, p, err);
    free(ids);
    return rc;
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
    int rc = p.foi ? 0 : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    /* Deleted files first, then the other kinds (in kind order). */
    if (!rc)
        rc = deleted_files(&p, err);
    if (!rc)
        rc = case_q_files_of_interest(r->c, REPORT_FILES_PER_KIND, foi_cb, &p, err);
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
        if (d->nareas) {
            h_raw(r, "<h4>Areas outside files holding identifiers</h4>\n<table class=\"data "
                     "narrow\"><thead><tr><th>Area</th><th>Hits</th></tr></thead><tbody>\n");
            for (size_t k = 0; k < d->nareas; k++) {
                h_raw(r, "<tr><td>");
                h_str(r, d->areas[k].type);
                h_raw(r, "</td><td class=\"num\">");
                h_num(r, d->areas[k].n);
                h_raw(r, "</td></tr>\n");
            }
            h_raw(r, "</tbody></table>\n");
        }
        h_raw(r, "</article>\n");
        r->sb.oom |= p.foi[i].oom;
        if (!rc)
            rc = h_flush(r, err);
    }
    if (!rc)
        h_raw(r, "</section>\n");
    for (size_t i = 0; p.foi && i < r->ndev; i++)
        sb_free(&p.foi[i]);
    free(p.foi);
    return rc;
}
