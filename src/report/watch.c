/* watch.c: watch lists (see watch.h).  Each listed value becomes the set of
 * stored values it can match (its normalized forms, the value as typed,
 * and for a bare handle "service:handle" under every service), and all of
 * them are looked up in one query. */
#include "report/watch.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/q_report.h"
#include "scan/scan_type.h"
#include "util/limits.h"
#include "util/strbuf.h"

/* Services tried for a bare handle besides those the case's accounts view
 * holds. */
static const char *const services[] = {"facebook", "x",        "twitter",  "instagram", "tiktok",
                                       "telegram", "youtube",  "linkedin", "vk",        "github",
                                       "reddit",   "snapchat", "discord",  "skype",     NULL};

typedef struct cands {
    scan_out base;
    report_cand *v;
    size_t n, cap;
    size_t entry, first; /* candidates of the current entry start at first */
    size_t span;         /* widest feature span seen while normalizing */
    int oom;
} cands;

/* Add s unless the current entry has it already or its candidates are at
 * CLI_FIND_MAX_CANDIDATES. */
static void cand_add(cands *o, const char *s, size_t len)
{
    if (o->n - o->first >= CLI_FIND_MAX_CANDIDATES)
        return;
    for (size_t i = o->first; i < o->n; i++)
        if (strlen(o->v[i].value) == len && memcmp(o->v[i].value, s, len) == 0)
            return;
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 256;
        report_cand *nv = realloc(o->v, nc * sizeof *nv);
        if (!nv) {
            o->oom = 1;
            return;
        }
        o->v = nv, o->cap = nc;
    }
    char *d = strndup(s, len);
    if (!d) {
        o->oom = 1;
        return;
    }
    o->v[o->n++] = (report_cand){d, o->entry};
}

/* Normalization reports every feature in the value (an e-mail address also
 * yields its domain); keep those spanning the most of it, so that looking
 * for an address does not list every mention of its domain. */
static int on_feature(scan_out *self, const char *type, size_t start, size_t end,
                      const char *feature, size_t feature_len)
{
    (void)type;
    cands *o = (cands *)self;
    size_t span = end - start;
    if (span < o->span)
        return 0;
    if (span > o->span) {
        for (size_t i = o->first; i < o->n; i++)
            free(o->v[i].value);
        o->n = o->first;
        o->span = span;
    }
    cand_add(o, feature, feature_len);
    return o->oom ? TRAWL_ENOMEM : 0;
}

static void expand(cands *o, const char *value, char *const *svc, size_t nsvc)
{
    scan_type_ctx ctx = {0};
    o->first = o->n;
    o->span = 0;
    if (scan_type_normalize(value, strlen(value), &ctx, &o->base))
        o->oom = 1; /* its only error */
    cand_add(o, value, strlen(value));
    /* A bare handle: no ':', '@' or '/' past a leading '@'. */
    const char *handle = value[0] == '@' ? value + 1 : value;
    if (!*handle || strchr(handle, ':') || strchr(handle, '@') || strchr(handle, '/'))
        return;
    strbuf sb = STRBUF_INIT;
    for (int lower = 0; lower < 2; lower++)
        for (size_t i = 0; i < nsvc; i++) {
            sb_reset(&sb);
            sb_addf(&sb, "%s:", svc[i]);
            size_t at = sb.len;
            sb_adds(&sb, handle);
            if (lower)
                for (size_t k = at; k < sb.len; k++)
                    sb.buf[k] = (char)tolower((unsigned char)sb.buf[k]);
            if (!sb.oom)
                cand_add(o, sb.buf, sb.len);
        }
    o->oom |= sb.oom;
    sb_free(&sb);
}

typedef struct svc_list {
    char *v[CLI_FIND_MAX_CANDIDATES];
    size_t n;
} svc_list;

static int svc_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    svc_list *s = ctx;
    if (s->n < CLI_FIND_MAX_CANDIDATES / 4 && (s->v[s->n] = strdup(row[0].s)) != NULL)
        s->n++;
    return 0;
}

int report_candidates(case_db *c, char *const *values, size_t n, report_cand **out, size_t *nout,
                      trawl_err *err)
{
    /* The case's own services (from the accounts view), then the list. */
    svc_list svc = {.n = 0};
    int rc = case_q_services(c, svc_cb, &svc, err);
    for (size_t i = 0; services[i] && svc.n < CLI_FIND_MAX_CANDIDATES / 2; i++)
        if ((svc.v[svc.n] = strdup(services[i])) != NULL)
            svc.n++;
    cands cs = {.base = {.add = on_feature}};
    for (size_t i = 0; !rc && i < n && !cs.oom; i++) {
        cs.entry = i;
        expand(&cs, values[i], svc.v, svc.n);
    }
    for (size_t i = 0; i < svc.n; i++)
        free(svc.v[i]);
    if (!rc && cs.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory while normalizing the values");
    if (rc) {
        report_candidates_free(cs.v, cs.n);
        return rc;
    }
    *out = cs.v;
    *nout = cs.n;
    return 0;
}

void report_candidates_free(report_cand *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].value);
    free(v);
}

int report_watch_load(const char *path, report_watch **out, trawl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    report_watch *w = calloc(1, sizeof *w);
    size_t cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    int rc = w ? 0 : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    while (!rc && (len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        size_t s = 0;
        while (s < (size_t)len && (line[s] == ' ' || line[s] == '\t'))
            s++;
        while (len > 0 && (size_t)len > s && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = 0;
        if ((size_t)len == s || line[s] == '#')
            continue;
        if ((size_t)len - s > SCAN_MAX_FEATURE) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s: line %zu: longer than %d bytes", path, lineno,
                            SCAN_MAX_FEATURE);
            break;
        }
        if (memchr(line + s, 0, (size_t)len - s)) {
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s: line %zu: holds a NUL byte", path, lineno);
            break;
        }
        if (w->n == REPORT_WATCH_MAX) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s: more than %d values", path, REPORT_WATCH_MAX);
            break;
        }
        if (w->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nv = realloc(w->values, nc * sizeof *nv);
            if (!nv) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
            w->values = nv, cap = nc;
        }
        if (!(w->values[w->n] = strdup(line + s)))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        else
            w->n++;
    }
    if (!rc && ferror(f))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read failed", path);
    free(line);
    fclose(f);
    if (rc) {
        report_watch_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

static int cand_cmp(const void *pa, const void *pb)
{
    const report_cand *a = pa, *b = pb;
    int c = strcmp(a->value, b->value);
    return c ? c : (a->entry > b->entry) - (a->entry < b->entry);
}

typedef struct occ_ctx {
    report_watch *w;
    report_cand *c;
    size_t nc;
    size_t cap;
} occ_ctx;

static char *dup_cell(const case_cell *x, int *oom)
{
    if (x->null)
        return NULL;
    char *d = strndup(x->s, x->len);
    if (!d)
        *oom = 1;
    return d;
}

/* Rows come ordered by value, device, offset: the first row of a (value,
 * device) is its first occurrence. */
static int occ_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    occ_ctx *o = ctx;
    report_watch *w = o->w;
    /* The first candidate of the value (lower bound). */
    size_t a = 0, hi = o->nc;
    while (a < hi) {
        size_t m = (a + hi) / 2;
        if (strcmp(o->c[m].value, row[0].s) < 0)
            a = m + 1;
        else
            hi = m;
    }
    for (; a < o->nc && !strcmp(o->c[a].value, row[0].s); a++) {
        size_t e = o->c[a].entry;
        /* Rows of one value arrive together: look back over its hits. */
        report_watch_hit *h = NULL;
        for (size_t k = w->nhits; k-- > 0;) {
            report_watch_hit *x = &w->hits[k];
            if (strcmp(x->value, row[0].s) != 0)
                break;
            if (x->entry == e && !strcmp(x->device, row[1].s)) {
                h = x;
                break;
            }
        }
        if (h) {
            h->count++;
            continue;
        }
        if (w->nhits == o->cap) {
            size_t nc = o->cap ? o->cap * 2 : 64;
            report_watch_hit *nv = realloc(w->hits, nc * sizeof *nv);
            if (!nv)
                return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            w->hits = nv, o->cap = nc;
        }
        int oom = 0;
        report_watch_hit x = {.entry = e, .count = 1};
        x.value = dup_cell(&row[0], &oom);
        x.device = dup_cell(&row[1], &oom);
        x.type = dup_cell(&row[2], &oom);
        x.path = dup_cell(&row[3], &oom);
        x.file = dup_cell(&row[4], &oom);
        x.area = dup_cell(&row[5], &oom);
        w->hits[w->nhits++] = x;
        if (oom)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    return 0;
}

static int hit_cmp(const void *pa, const void *pb)
{
    const report_watch_hit *a = pa, *b = pb;
    if (a->entry != b->entry)
        return a->entry < b->entry ? -1 : 1;
    int c = strcmp(a->device, b->device);
    if (c)
        return c;
    if ((c = strcmp(a->type ? a->type : "", b->type ? b->type : "")))
        return c;
    return strcmp(a->value, b->value);
}

int report_watch_run(case_db *c, report_watch *w, trawl_err *err)
{
    report_cand *cs = NULL;
    size_t ncs = 0;
    int rc = report_candidates(c, w->values, w->n, &cs, &ncs, err);
    const char **vals = NULL;
    if (!rc) {
        qsort(cs, ncs, sizeof *cs, cand_cmp);
        vals = malloc((ncs ? ncs : 1) * sizeof *vals);
        if (!vals)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    if (!rc) {
        for (size_t i = 0; i < ncs; i++)
            vals[i] = cs[i].value;
        occ_ctx o = {w, cs, ncs, 0};
        rc = case_q_occurrences(c, vals, ncs, occ_cb, &o, err);
    }
    if (!rc && w->nhits)
        qsort(w->hits, w->nhits, sizeof *w->hits, hit_cmp);
    if (!rc && !(w->found = calloc(w->n ? w->n : 1, sizeof *w->found)))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < w->nhits; k++) {
        const report_watch_hit *h = &w->hits[k];
        if (k == 0 || h->entry != h[-1].entry || strcmp(h->device, h[-1].device))
            w->found[h->entry]++;
    }
    free(vals);
    report_candidates_free(cs, ncs);
    return rc;
}

void report_watch_free(report_watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->values[i]);
    free(w->values);
    for (size_t i = 0; i < w->nhits; i++) {
        report_watch_hit *h = &w->hits[i];
        free(h->device), free(h->type), free(h->value), free(h->path), free(h->file), free(h->area);
    }
    free(w->hits);
    free(w->found);
    free(w);
}
