/* html_case.c: the Case section (devices, images, hashes, verification,
 * acquisition metadata, versions, examiners, the audit chain) and the
 * Method section (what was run, with which options and limits). */
#include <stdlib.h>
#include <string.h>

#include "case/json_read.h"
#include "report/html_int.h"
#include "util/limits.h"

/* --- A small reader for the flat JSON trawl itself wrote (options,
 * acquisition metadata, library versions, argv), its strings read by
 * case_json_string.  Anything it does not understand is shown as the raw
 * text instead. */

static void ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

/* A JSON string at *p (its opening quote) into out, as esc_json wrote it
 * (case_json_string); 0 on success. */
static int jstr(const char **p, strbuf *out)
{
    if (**p != '"')
        return -1;
    (*p)++;
    return case_json_string(p, out);
}

/* A scalar or string value at *p as text into out. */
static int jval(const char **p, strbuf *out)
{
    ws(p);
    if (**p == '"')
        return jstr(p, out);
    const char *s = *p;
    while (*s && *s != ',' && *s != '}' && *s != ']' && *s != ' ' && *s != '{' && *s != '[')
        s++;
    if (s == *p)
        return -1;
    sb_add(out, *p, (size_t)(s - *p));
    *p = s;
    return 0;
}

/* Render a flat JSON object as a definition list; raw text if it is not
 * one. */
static void h_jobject(rep *r, const case_cell *x)
{
    if (x->null || !x->len) {
        h_raw(r, "<span class=\"dim\">none recorded</span>");
        return;
    }
    strbuf out = STRBUF_INIT, k = STRBUF_INIT, v = STRBUF_INIT;
    const char *p = x->s;
    int ok = 0;
    ws(&p);
    if (*p == '{') {
        p++;
        sb_adds(&out, "<dl class=\"kv\">");
        ws(&p);
        ok = 1;
        while (*p && *p != '}') {
            sb_reset(&k), sb_reset(&v);
            ws(&p);
            if (jstr(&p, &k)) {
                ok = 0;
                break;
            }
            ws(&p);
            if (*p++ != ':' || jval(&p, &v)) {
                ok = 0;
                break;
            }
            sb_adds(&out, "<dt>");
            rep tmp = {.sb = out};
            h_txt(&tmp, k.buf ? k.buf : "", k.len);
            h_raw(&tmp, "</dt><dd>");
            h_txt(&tmp, v.buf ? v.buf : "", v.len);
            h_raw(&tmp, "</dd>");
            out = tmp.sb;
            ws(&p);
            if (*p == ',')
                p++;
        }
        sb_adds(&out, "</dl>");
    }
    if (ok && !out.oom)
        sb_add(&r->sb, out.buf, out.len);
    else {
        h_raw(r, "<code>");
        h_cell(r, x);
        h_raw(r, "</code>");
    }
    sb_free(&out), sb_free(&k), sb_free(&v);
}

/* A JSON array of strings (a command line) as one escaped, space-separated
 * line; arguments with spaces are quoted. */
static void h_argv(rep *r, const case_cell *x)
{
    if (x->null)
        return;
    const char *p = x->s;
    strbuf a = STRBUF_INIT;
    ws(&p);
    if (*p != '[') {
        h_cell(r, x);
        return;
    }
    p++;
    int first = 1;
    for (;;) {
        ws(&p);
        if (*p == ']' || !*p)
            break;
        sb_reset(&a);
        if (jstr(&p, &a))
            break;
        if (!first)
            h_raw(r, " ");
        first = 0;
        int q = a.len == 0 || memchr(a.buf, ' ', a.len) != NULL;
        if (q)
            h_raw(r, "'");
        h_txt(r, a.buf ? a.buf : "", a.len);
        if (q)
            h_raw(r, "'");
        ws(&p);
        if (*p == ',')
            p++;
    }
    sb_free(&a);
}

/* --- Case ------------------------------------------------------------------- */

static int dev_row(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    long i = rep_dev_index(r, row[1].s);
    h_raw(r, "<tr><td class=\"dev\"><a href=\"#dev-");
    h_f(r, "%ld", i);
    h_raw(r, "\">");
    h_cell(r, &row[1]);
    h_raw(r, "</a></td><td>");
    h_cell(r, &row[2]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[3]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[4]);
    h_raw(r, "</td><td class=\"num\">");
    h_size(r, row[5].i);
    h_raw(r, "</td><td>");
    if (row[6].len == 2 && !memcmp(row[6].s, "ok", 2))
        h_raw(r, "<span class=\"ok\">ok</span>");
    else {
        h_raw(r, "<span class=\"bad\">");
        h_cell(r, &row[6]);
        h_raw(r, "</span>");
    }
    h_raw(r, "</td><td class=\"time\">");
    h_cell(r, &row[7]);
    h_raw(r, "<br>");
    h_cell(r, &row[8]);
    h_raw(r, "</td><td class=\"num\">");
    h_num(r, i >= 0 ? r->dev[i].total : 0);
    h_raw(r, "</td></tr>\n");
    return 0;
}

static void hash_line(rep *r, const char *name, const case_cell *got, const case_cell *stored)
{
    if (got->null && stored->null)
        return;
    h_f(r, "<div class=\"hash\"><span class=\"hn\">%s</span> <code>", name);
    h_cell(r, got);
    h_raw(r, "</code>");
    if (!stored->null) {
        int same = got->len == stored->len && !strncasecmp(got->s, stored->s, got->len);
        h_raw(r, same ? " <span class=\"ok\">= stored in image</span>"
                      : " <span class=\"bad\">stored in image: <code>");
        if (!same) {
            h_cell(r, stored);
            h_raw(r, "</code></span>");
        }
    }
    h_raw(r, "</div>");
}

static int img_row(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    h_raw(r, "<tr><td class=\"dev\">");
    h_cell(r, &row[0]);
    h_f(r, "</td><td>%lld</td><td class=\"path\">", (long long)row[1].i);
    h_cell(r, &row[2]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[3]);
    h_raw(r, "</td><td class=\"num\">");
    h_size(r, row[4].i);
    h_raw(r, "</td><td class=\"hashes\">");
    hash_line(r, "MD5", &row[5], &row[8]);
    hash_line(r, "SHA-1", &row[6], &row[9]);
    hash_line(r, "SHA-256", &row[7], &row[10]);
    h_raw(r, "</td><td>");
    const case_cell *v = &row[11];
    int match = v->len == 5 && !memcmp(v->s, "match", 5);
    int computed = v->len == 8 && !memcmp(v->s, "computed", 8);
    h_raw(r, match ? "<span class=\"ok\">" : computed ? "<span>" : "<span class=\"bad\">");
    h_cell(r, v);
    h_raw(r, "</span>");
    if (computed)
        h_raw(r, "<div class=\"dim\">the image stores no hash</div>");
    if (!row[13].null && row[13].len > 2) {
        h_raw(r, "<div class=\"bad\">unreadable ranges: <code>");
        h_cell(r, &row[13]);
        h_raw(r, "</code></div>");
    }
    if (!row[14].null) {
        h_raw(r, "<div class=\"dim\">re-verified ");
        h_cell(r, &row[14]);
        h_raw(r, ": ");
        h_cell(r, &row[15]);
        h_raw(r, "</div>");
    }
    h_raw(r, "</td></tr>\n");
    if (!row[12].null && row[12].len > 2) {
        h_raw(r, "<tr class=\"sub\"><td></td><td colspan=\"6\"><div class=\"acq\">"
                 "Acquisition metadata stored in the image:");
        h_jobject(r, &row[12]);
        h_raw(r, "</div></td></tr>\n");
    }
    return 0;
}

typedef struct case_info {
    rep *r;
    char *head;
    strbuf libraries, versions, examiners;
} case_info;

static int meta_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    case_info *ci = ctx;
    if (row[0].len == 10 && !memcmp(row[0].s, "audit_last", 10)) {
        free(ci->head);
        ci->head = rep_dup(&row[1]);
    }
    return 0;
}

/* Add s to a ';'-separated set (kept in first-seen order, no repeats). */
static void set_add(strbuf *set, const char *s, size_t len)
{
    if (!len)
        return;
    const char *p = set->buf;
    for (size_t at = 0; p && at < set->len;) {
        const char *e = memchr(p + at, '\n', set->len - at);
        size_t l = e ? (size_t)(e - (p + at)) : set->len - at;
        if (l == len && !memcmp(p + at, s, len))
            return;
        at += l + 1;
    }
    sb_add(set, s, len);
    sb_addc(set, '\n');
}

static int audit_info_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    case_info *ci = ctx;
    if (row[1].len == 4 && !memcmp(row[1].s, "scan", 4) && !row[7].null && row[7].len > 2) {
        sb_reset(&ci->libraries);
        sb_add(&ci->libraries, row[7].s, row[7].len);
    }
    if (!row[8].null)
        set_add(&ci->versions, row[8].s, row[8].len);
    if (!row[2].null)
        set_add(&ci->examiners, row[2].s, row[2].len);
    return 0;
}

static void h_lines(rep *r, strbuf *set)
{
    const char *p = set->buf;
    int first = 1;
    for (size_t at = 0; p && at < set->len;) {
        const char *e = memchr(p + at, '\n', set->len - at);
        size_t l = e ? (size_t)(e - (p + at)) : set->len - at;
        if (!first)
            h_raw(r, ", ");
        first = 0;
        h_txt(r, p + at, l);
        at += l + 1;
    }
    if (first)
        h_raw(r, "<span class=\"dim\">none recorded</span>");
}

static int problem_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    h_raw(r, "<tr><td class=\"dev\">");
    h_cell(r, &row[0]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[1]);
    h_raw(r, "</td><td class=\"ctx\">");
    h_cell(r, &row[2]);
    h_raw(r, "</td></tr>\n");
    return 0;
}

int html_case(rep *r, trawl_err *err)
{
    case_info ci = {.r = r};
    int rc = case_q_meta(r->c, meta_cb, &ci, err);
    if (!rc)
        rc = case_q_audit_lines(r->c, audit_info_cb, &ci, err);
    if (rc)
        goto out;
    h_raw(r, "<section id=\"case\">\n<h2>Case</h2>\n");
    h_raw(r, "<div class=\"facts\">");
    h_raw(r, "<div><span class=\"k\">Audit chain, checked when this report was written</span>");
    if (r->o->audit_ok)
        h_raw(r, "<span class=\"v ok\">intact</span>");
    else {
        h_raw(r, "<span class=\"v bad\">BROKEN</span><span class=\"why\">");
        h_str(r, r->o->audit_msg);
        h_raw(r, "</span>");
    }
    h_raw(r, "</div><div><span class=\"k\">Audit log lines</span><span class=\"v\">");
    h_f(r, "%zu", r->o->audit_lines);
    h_raw(r, "</span></div><div><span class=\"k\">Chain head (SHA-256 of the last line)</span>"
             "<span class=\"v\"><code>");
    h_str(r, ci.head);
    h_raw(r, "</code></span></div><div><span class=\"k\">Examiners</span><span class=\"v\">");
    h_lines(r, &ci.examiners);
    h_raw(r, "</span></div><div><span class=\"k\">trawl versions that worked on the case</span>"
             "<span class=\"v\">");
    h_lines(r, &ci.versions);
    h_raw(r, "</span></div></div>\n");

    h_raw(r, "<h3>Devices</h3>\n<table class=\"data\"><thead><tr><th>Device</th><th>Exhibit</th>"
             "<th>Custodian</th><th>Examiner</th><th>Size</th><th>State</th>"
             "<th>Scan started / finished (UTC)</th><th>Identifiers</th></tr></thead><tbody>\n");
    if ((rc = case_q_devices(r->c, dev_row, r, err)))
        goto out;
    h_raw(r, "</tbody></table>\n");
    h_raw(r, "<h3>Images and their hashes</h3>\n<p class=\"note\">Hashes are of the media as "
             "read (one pass, MD5, SHA-1 and SHA-256), compared with the hashes the image "
             "stores where it stores them (EnCase E01).</p>\n"
             "<table class=\"data\"><thead><tr><th>Device</th><th>#</th><th>Image</th>"
             "<th>Format</th><th>Media size</th><th>Hashes</th><th>Verification</th></tr>"
             "</thead><tbody>\n");
    if ((rc = case_q_images(r->c, img_row, r, err)))
        goto out;
    h_raw(r, "</tbody></table>\n");
    h_raw(r, "<h3>Libraries that read the evidence</h3>\n<p class=\"note\">As recorded by the "
             "last scan in the audit log.</p>");
    case_cell lib = {.s = ci.libraries.buf ? ci.libraries.buf : "",
                     .len = ci.libraries.len,
                     .null = ci.libraries.len == 0};
    h_jobject(r, &lib);
    if ((rc = h_flush(r, err)))
        goto out;
    size_t mark = r->sb.len;
    h_raw(r, "<h3>Problems met while scanning</h3>\n<table class=\"data\"><thead><tr>"
             "<th>Device</th><th>Stage</th><th>Message</th></tr></thead><tbody>\n");
    size_t before = r->sb.len;
    if ((rc = case_q_problems(r->c, problem_cb, r, err)))
        goto out;
    if (r->sb.len == before) {
        r->sb.len = mark;
        h_raw(r, "<h3>Problems met while scanning</h3>\n<p>None recorded.</p>\n");
    } else {
        h_raw(r, "</tbody></table>\n");
    }
    h_raw(r, "</section>\n");
out:
    free(ci.head);
    sb_free(&ci.libraries), sb_free(&ci.versions), sb_free(&ci.examiners);
    return rc;
}

/* --- Method ----------------------------------------------------------------- */

static int opt_row(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    h_raw(r, "<tr><td class=\"dev\">");
    h_cell(r, &row[1]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[9]);
    h_raw(r, "</td><td>");
    h_jobject(r, &row[10]);
    h_raw(r, "</td></tr>\n");
    return 0;
}

static int audit_row(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    if (row[1].null) {
        h_raw(r, "<tr><td colspan=\"5\" class=\"bad\">a line that is not JSON</td></tr>\n");
        return 0;
    }
    h_raw(r, "<tr><td class=\"time\">");
    h_cell(r, &row[0]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[1]);
    if (!row[3].null) {
        h_raw(r, " <span class=\"dev\">");
        h_cell(r, &row[3]);
        h_raw(r, "</span>");
    }
    h_raw(r, "</td><td>");
    h_cell(r, &row[2]);
    h_raw(r, "</td><td>");
    int ok = row[4].len == 2 && !memcmp(row[4].s, "ok", 2);
    h_raw(r, ok ? "<span class=\"ok\">" : "<span class=\"bad\">");
    h_cell(r, &row[4]);
    h_raw(r, "</span>");
    if (!row[5].null) {
        h_raw(r, "<div class=\"dim\">");
        h_cell(r, &row[5]);
        h_raw(r, "</div>");
    }
    h_raw(r, "</td><td class=\"cmd\"><code>");
    h_argv(r, &row[6]);
    h_raw(r, "</code></td></tr>\n");
    return 0;
}

static int hs_row(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    rep *r = ctx;
    h_raw(r, "<tr><td>");
    h_cell(r, &row[0]);
    h_raw(r, "</td><td>");
    h_cell(r, &row[1]);
    h_raw(r, "</td><td class=\"path\">");
    h_cell(r, &row[2]);
    h_raw(r, "</td><td class=\"num\">");
    h_num(r, row[3].i);
    h_raw(r, "</td><td class=\"time\">");
    h_cell(r, &row[4]);
    h_raw(r, "</td></tr>\n");
    return 0;
}

int html_method(rep *r, trawl_err *err)
{
    h_raw(r, "<section id=\"method\">\n<h2>Method</h2>\n<p>What was run on this case, in "
             "order, as the hash-chained audit log records it (every action, refused ones "
             "included), so that another examiner can reproduce it with the same version of "
             "trawl.</p>\n<h3>Actions</h3>\n<table class=\"data\"><thead><tr><th>Time (UTC)</th>"
             "<th>Action</th><th>Examiner</th><th>Outcome</th><th>Command line</th></tr>"
             "</thead><tbody>\n");
    int rc = case_q_audit_lines(r->c, audit_row, r, err);
    if (rc)
        return rc;
    h_raw(r, "</tbody></table>\n<h3>Scan options per device</h3>\n<table class=\"data\"><thead>"
             "<tr><th>Device</th><th>trawl</th><th>Options (depth, stop lists, country, "
             "keywords, rules, time zone)</th></tr></thead><tbody>\n");
    if ((rc = case_q_devices(r->c, opt_row, r, err)))
        return rc;
    h_raw(r, "</tbody></table>\n<h3>Hash sets</h3>\n");
    size_t mark = r->sb.len;
    h_raw(r, "<table class=\"data\"><thead><tr><th>Name</th><th>Kind</th><th>Source</th>"
             "<th>Hashes</th><th>Imported</th></tr></thead><tbody>\n");
    size_t before = r->sb.len;
    if ((rc = case_q_hashsets(r->c, hs_row, r, err)))
        return rc;
    if (r->sb.len == before) {
        r->sb.len = mark;
        h_raw(r, "<p>None imported: no file was marked known or notable.</p>\n");
    } else {
        h_raw(r, "</tbody></table>\n");
    }
    h_raw(r, "<h3>How devices are linked</h3>\n<p>A <em>feature</em> is a normalized "
             "identifier (type and value), or the SHA-256 of a non-empty file that no "
             "known-good hash set holds. The score of two devices is the sum, over the "
             "features both hold, of the weight of the feature's type divided by the number "
             "of devices holding it (after Garfinkel's cross-drive analysis). Weights: wallets "
             "and IBANs 10; card numbers, accounts and shared files 8; e-mail addresses and "
             "phone numbers 4; URLs and IP addresses 1; domains 0.5; keywords 0. Once the case "
             "holds six devices or more, features on more than two thirds of them are stopped "
             "as noise unless <code>trawl link</code> was given other limits (its command "
             "line is in the table above).</p>\n");
    h_raw(r, "<h3>This report</h3>\n<ul>");
    h_f(r, "<li>Top values per device and type: %d (<code>--top</code>).</li>", r->o->top);
    h_f(r,
        "<li>Identifier index: identifiers on two or more devices (at most %d, strongest "
        "first), and the top %d values of each device and type.</li>",
        REPORT_MAX_INDEX_SHARED, r->o->top);
    h_f(r,
        "<li>Strongest links explained: %d; links drawn in the graph: at most %d; account "
        "rows per service: at most %d; files of interest per device and kind: at most "
        "%d.</li>",
        REPORT_LINKS_SHOWN, REPORT_MAX_GRAPH_EDGES, REPORT_ACCOUNTS_PER_SERVICE,
        REPORT_FILES_PER_KIND);
    h_raw(r, "<li>The graph's layout is force-directed (Fruchterman-Reingold) from a fixed "
             "seed: its positions carry no meaning beyond closeness of linked devices.</li>"
             "</ul>\n</section>\n");
    return 0;
}
