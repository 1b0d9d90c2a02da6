/* html_links.c: the Strongest links section (each link explained by its
 * top shared identifiers and files, each with where it was found on both
 * devices) and the Accounts section (per service, the account by device
 * matrix with the link stage's flags). */
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"
#include "util/limits.h"

/* --- Strongest links ---------------------------------------------------------- */

typedef struct links_ctx {
    rep *r;
    char *a, *b; /* the link whose table is open */
    size_t n;    /* links written */
} links_ctx;

static void close_link(links_ctx *x)
{
    if (x->a)
        h_raw(x->r, "</tbody></table></article>\n");
    free(x->a), free(x->b);
    x->a = x->b = NULL;
}

static int where(rep *r, const case_cell *type, const case_cell *value, const char *dev,
                 trawl_err *err)
{
    h_loc lc = {r, value->s, 0};
    int rc = case_q_locations(r->c, type->s, value->s, dev, h_loc_cb, &lc, err);
    return rc == 1 ? 0 : rc;
}

static int contrib_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    links_ctx *x = ctx;
    rep *r = x->r;
    if (!x->a || strcmp(x->a, row[0].s) || strcmp(x->b, row[1].s)) {
        close_link(x);
        x->a = strndup(row[0].s, row[0].len);
        x->b = strndup(row[1].s, row[1].len);
        if (!x->a || !x->b)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        long ia = rep_dev_index(r, x->a), ib = rep_dev_index(r, x->b);
        const rep_link *l = NULL;
        for (size_t k = 0; k < r->nlink && !l; k++)
            if (r->link[k].a == (uint32_t)ia && r->link[k].b == (uint32_t)ib)
                l = &r->link[k];
        x->n++;
        h_f(r, "<article class=\"link\"><h3><span class=\"rank\">%zu.</span> ", x->n);
        h_f(r, "<a href=\"#dev-%ld\">", ia);
        h_str(r, x->a);
        h_raw(r, "</a> &harr; ");
        h_f(r, "<a href=\"#dev-%ld\">", ib);
        h_str(r, x->b);
        h_raw(r, "</a></h3>\n");
        if (l)
            h_f(r,
                "<p class=\"score\">score <b>%.2f</b> from %lld shared feature%s; the "
                "strongest:</p>\n",
                l->score, (long long)l->shared, l->shared == 1 ? "" : "s");
        h_raw(r, "<table class=\"data contrib\"><colgroup><col class=\"c-type\"><col "
                 "class=\"c-val\"><col class=\"c-n\"><col class=\"c-n\"><col class=\"c-loc\">"
                 "<col class=\"c-loc\"></colgroup><thead><tr><th>Type</th><th>Value</th>"
                 "<th>Devices</th><th>Adds to score</th><th>Found on ");
        h_str(r, x->a);
        h_raw(r, "</th><th>Found on ");
        h_str(r, x->b);
        h_raw(r, "</th></tr></thead><tbody>\n");
    }
    h_raw(r, "<tr><td>");
    h_cell(r, &row[3]);
    h_raw(r, "</td><td class=\"val\"><a href=\"#");
    h_anchor(r, row[3].s, row[4].s);
    h_raw(r, "\">");
    h_cell(r, &row[4]);
    h_f(r, "</a></td><td class=\"num\">%lld</td><td class=\"num\">%.2f</td><td class=\"loc\">",
        (long long)row[5].i, row[6].d);
    int rc = where(r, &row[3], &row[4], x->a, err);
    if (!rc) {
        h_raw(r, "</td><td class=\"loc\">");
        rc = where(r, &row[3], &row[4], x->b, err);
    }
    h_raw(r, "</td></tr>\n");
    return rc;
}

int html_links(rep *r, trawl_err *err)
{
    h_raw(r, "<section id=\"links\">\n<h2>Strongest links</h2>\n");
    if (r->nlink_total == 0) {
        h_raw(r, "<p>No two devices share an identifier or a file (or <code>trawl link</code> "
                 "has not run on this case).</p>\n</section>\n");
        return 0;
    }
    h_f(r,
        "<p class=\"note\">The %lld strongest of %lld links, each with the identifiers and "
        "files that weigh most in its score. Each value links to its entry in the "
        "identifier index; the last two columns give its first occurrence on each device "
        "(forensic path, then file or area, then the bytes around it).</p>\n",
        (long long)(r->nlink_total < REPORT_LINKS_SHOWN ? r->nlink_total : REPORT_LINKS_SHOWN),
        (long long)r->nlink_total);
    links_ctx x = {.r = r};
    int rc = case_q_link_contributors(r->c, REPORT_LINKS_SHOWN, contrib_cb, &x, err);
    close_link(&x);
    h_raw(r, "</section>\n");
    return rc;
}

/* --- Accounts ----------------------------------------------------------------- */

typedef struct acct_row {
    char *account, *devices, *flags, *first, *last;
    int64_t ndev;
} acct_row;

typedef struct acct_ctx {
    rep *r;
    char *service;
    acct_row *v;
    size_t n, cap;
    /* service, total, shown (case_q_account_totals) */
    char **tsvc;
    int64_t *ttotal, *tshown;
    size_t nt;
} acct_ctx;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void emit_service(acct_ctx *x)
{
    rep *r = x->r;
    if (!x->service)
        return;
    /* Columns: the devices of the rows shown. */
    char **cols = NULL;
    size_t nc = 0, cc = 0;
    int seen = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (x->v[i].first || x->v[i].last)
            seen = 1;
        char *s = x->v[i].devices;
        while (s && *s) {
            char *e = strchr(s, ';');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (nc == cc) {
                cc = cc ? cc * 2 : 16;
                char **nv = realloc(cols, cc * sizeof *nv);
                if (!nv)
                    break;
                cols = nv;
            }
            cols[nc] = strndup(s, len);
            if (cols[nc])
                nc++;
            s = e ? e + 1 : NULL;
        }
    }
    if (nc)
        qsort(cols, nc, sizeof *cols, name_cmp);
    size_t u = 0;
    for (size_t i = 0; i < nc; i++) {
        if (u && !strcmp(cols[u - 1], cols[i]))
            free(cols[i]);
        else
            cols[u++] = cols[i];
    }
    nc = u;
    int64_t total = 0, shown = 0;
    for (size_t i = 0; i < x->nt; i++)
        if (!strcmp(x->tsvc[i], x->service))
            total = x->ttotal[i], shown = x->tshown[i];
    h_raw(r, "<h3>Service: ");
    h_str(r, x->service);
    h_f(r,
        "</h3>\n<p class=\"note\">%lld account%s in the case; shown: the %zu on two or more "
        "devices or flagged",
        (long long)total, total == 1 ? "" : "s", x->n);
    if (shown < total)
        h_f(r,
            " (%lld left out: each on one device and not flagged; <code>trawl accounts "
            "--service ",
            (long long)(total - shown));
    if (shown < total) {
        h_str(r, x->service);
        h_raw(r, " CASE</code> lists them)");
    }
    h_raw(r, ".</p>\n<div class=\"scroll\"><table class=\"data matrix\"><thead><tr>"
             "<th>Account</th>");
    for (size_t i = 0; i < nc; i++) {
        h_raw(r, "<th class=\"devcol\"><span>");
        h_str(r, cols[i]);
        h_raw(r, "</span></th>");
    }
    h_raw(r, "<th>Devices</th><th>Flags</th>");
    if (seen)
        h_raw(r, "<th>First seen</th><th>Last seen</th>");
    h_raw(r, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < x->n; i++) {
        acct_row *a = &x->v[i];
        h_raw(r, a->flags && *a->flags ? "<tr class=\"flag\"><td class=\"val\">"
                                       : "<tr><td class=\"val\">");
        h_str(r, a->account);
        h_raw(r, "</td>");
        for (size_t k = 0; k < nc; k++) {
            /* Is cols[k] in the ';'-list? */
            int has = 0;
            size_t cl = strlen(cols[k]);
            for (char *s = a->devices; s && *s && !has;) {
                char *e = strchr(s, ';');
                size_t len = e ? (size_t)(e - s) : strlen(s);
                has = len == cl && !memcmp(s, cols[k], cl);
                s = e ? e + 1 : NULL;
            }
            h_raw(r, has ? "<td class=\"dot\" title=\"held\">&#9679;</td>" : "<td></td>");
        }
        h_f(r, "<td class=\"num\">%lld</td><td>", (long long)a->ndev);
        for (char *s = a->flags; s && *s;) {
            char *e = strchr(s, ';');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            h_raw(r, "<span class=\"tag\">");
            h_txt(r, s, len);
            h_raw(r, "</span> ");
            s = e ? e + 1 : NULL;
        }
        h_raw(r, "</td>");
        if (seen) {
            h_raw(r, "<td class=\"time\">");
            h_str(r, a->first);
            h_raw(r, "</td><td class=\"time\">");
            h_str(r, a->last);
            h_raw(r, "</td>");
        }
        h_raw(r, "</tr>\n");
    }
    h_raw(r, "</tbody></table></div>\n");
    for (size_t i = 0; i < nc; i++)
        free(cols[i]);
    free(cols);
    for (size_t i = 0; i < x->n; i++) {
        acct_row *a = &x->v[i];
        free(a->account), free(a->devices), free(a->flags), free(a->first), free(a->last);
    }
    x->n = 0;
    free(x->service);
    x->service = NULL;
}

static int acct_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    acct_ctx *x = ctx;
    if (x->service && strcmp(x->service, row[0].s))
        emit_service(x);
    if (!x->service && !(x->service = strndup(row[0].s, row[0].len)))
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 64;
        acct_row *nv = realloc(x->v, nc * sizeof *nv);
        if (!nv)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        x->v = nv, x->cap = nc;
    }
    x->v[x->n++] = (acct_row){rep_dup(&row[1]), rep_dup(&row[2]), rep_dup(&row[4]),
                              rep_dup(&row[5]), rep_dup(&row[6]), row[3].i};
    return 0;
}

static int total_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    acct_ctx *x = ctx;
    char **s = realloc(x->tsvc, (x->nt + 1) * sizeof *s);
    if (s)
        x->tsvc = s;
    int64_t *t = realloc(x->ttotal, (x->nt + 1) * sizeof *t);
    if (t)
        x->ttotal = t;
    int64_t *h = realloc(x->tshown, (x->nt + 1) * sizeof *h);
    if (h)
        x->tshown = h;
    if (!s || !t || !h)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    x->tsvc[x->nt] = rep_dup(&row[0]);
    x->ttotal[x->nt] = row[1].i;
    x->tshown[x->nt] = row[2].i;
    x->nt++;
    return 0;
}

static int many_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    if (!row[3].i)
        return 0;
    h_raw(r, "<tr><td>");
    h_cell(r, &row[0]);
    h_raw(r, "</td><td class=\"dev\">");
    h_cell(r, &row[1]);
    h_f(r, "</td><td class=\"num\">%lld</td></tr>\n", (long long)row[2].i);
    return 0;
}

int html_accounts(rep *r, trawl_err *err)
{
    h_raw(r, "<section id=\"accounts\">\n<h2>Accounts</h2>\n<p class=\"note\">Social-media "
             "and other service accounts, by service: which device holds which account. "
             "Flagged: <span class=\"tag\">many-accounts-device</span> an account on a device "
             "that holds many accounts of the service (one person rarely runs that many); "
             "<span class=\"tag\">multi-device</span> an account found on several devices. "
             "First and last seen are shown where the case records times.</p>\n");
    acct_ctx x = {.r = r};
    int rc = case_q_account_totals(r->c, REPORT_ACCOUNTS_PER_SERVICE, total_cb, &x, err);
    size_t before = r->sb.len;
    if (!rc)
        rc = case_q_accounts(r->c, REPORT_ACCOUNTS_PER_SERVICE, acct_cb, &x, err);
    if (!rc)
        emit_service(&x);
    if (!rc && r->sb.len == before)
        h_raw(r, x.nt ? "<p>No account is on two or more devices, and none is flagged.</p>\n"
                      : "<p>No account was found (or <code>trawl link</code> has not run).</p>\n");
    if (!rc) {
        size_t mark = r->sb.len;
        h_raw(r,
              "<h3>Devices holding many accounts of one service</h3>\n<table class=\"data\">"
              "<thead><tr><th>Service</th><th>Device</th><th>Accounts</th></tr></thead><tbody>\n");
        size_t b2 = r->sb.len;
        rc = case_q_account_devices(r->c, many_cb, r, err);
        if (!rc && r->sb.len == b2)
            r->sb.len = mark;
        else if (!rc)
            h_raw(r, "</tbody></table>\n");
    }
    h_raw(r, "</section>\n");
    /* emit_service freed what it wrote; free what an error left. */
    for (size_t i = 0; i < x.n; i++) {
        acct_row *a = &x.v[i];
        free(a->account), free(a->devices), free(a->flags), free(a->first), free(a->last);
    }
    free(x.v);
    free(x.service);
    for (size_t i = 0; i < x.nt; i++)
        free(x.tsvc[i]);
    free(x.tsvc), free(x.ttotal), free(x.tshown);
    return rc;
}
