/* ingest_hits.c: a device's hits from the engine's stream to the case and
 * the feature files, in one pass (see ingest_int.h).
 *
 * The feature files list each type's hits by position, then forensic path
 * (fpath order), then value.  The engine delivers the raw hits in exactly
 * that order (by page, and within a page by offset, type, path, value), so
 * they are written as they come.  The file-system walk runs first: its map
 * attributes each raw hit to a file or an area as it streams, and drops the
 * raw hits inside content the walk scanned logically (the logical scan
 * reported them, whole); its logical hits are kept, sorted per type, and
 * merged into the stream at their place.  Histograms count as the rows go
 * by.  Each hit is stored in the case (store_hits.h) in the same order. */
#include <stdlib.h>
#include <string.h>

#include "case/store_hits.h"
#include "ingest/ingest_int.h"
#include "scan/features.h"
#include "util/fpath.h"

/* A logical hit, kept until its place in the stream; strings in the arena. */
typedef struct lhit {
    uint64_t pos;
    int64_t file_id;
    size_t path, feat, ctx; /* arena offsets */
    size_t path_len, feat_len, ctx_len;
    int64_t time; /* scan_hit.time */
    unsigned flags;
    unsigned type;
} lhit;

typedef struct type_out {
    const char *name;
    scan_ffile *ff;
    scan_histogram *hg;
    size_t *order; /* indexes of its logical hits, sorted */
    size_t norder, next;
    uint64_t last_pos; /* of the last raw hit: the stream's order, checked */
} type_out;

struct ingest_hits {
    case_hits *store;
    fs_map *const *maps;
    size_t nmaps;
    type_out *t;
    size_t nt;
    lhit *l;
    size_t nl, lcap;
    char *arena;
    size_t alen, acap;
};

static int type_index(const ingest_hits *h, const char *type, size_t *i)
{
    for (size_t k = 0; k < h->nt; k++)
        if (h->t[k].name == type || !strcmp(h->t[k].name, type)) {
            *i = k;
            return 0;
        }
    return -1;
}

int ingest_hits_open(case_db *c, int64_t device_id, const char *dir, const char *name,
                     ingest_hits **out, trawl_err *err)
{
    ingest_hits *h = calloc(1, sizeof *h);
    if (!h)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    const char *const *names = scan_type_names();
    while (names[h->nt])
        h->nt++;
    int rc = 0;
    if (!(h->t = calloc(h->nt, sizeof *h->t)))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < h->nt; i++) {
        h->t[i].name = names[i];
        rc = scan_ffile_open(dir, names[i], name, &h->t[i].ff, err);
        if (!rc)
            rc = scan_histogram_open(dir, names[i], name, &h->t[i].hg, err);
    }
    if (!rc)
        rc = case_hits_open(c, device_id, &h->store, err);
    if (rc) {
        ingest_hits_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void ingest_hits_free(ingest_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->t && i < h->nt; i++) {
        scan_ffile_close(h->t[i].ff, NULL);
        scan_histogram_abort(h->t[i].hg);
        free(h->t[i].order);
    }
    free(h->t);
    case_hits_close(h->store);
    free(h->l);
    free(h->arena);
    free(h);
}

void ingest_hits_set_maps(ingest_hits *h, fs_map *const *maps, size_t n)
{
    h->maps = maps;
    h->nmaps = n;
}

uint64_t ingest_hits_count(const ingest_hits *h)
{
    return case_hits_count(h->store);
}

static size_t put(ingest_hits *h, const void *p, size_t len, int *oom)
{
    if (h->alen + len + 1 > h->acap) {
        size_t nc = h->acap ? h->acap * 2 : 1 << 16;
        while (nc < h->alen + len + 1)
            nc *= 2;
        char *na = realloc(h->arena, nc);
        if (!na) {
            *oom = 1;
            return 0;
        }
        h->arena = na, h->acap = nc;
    }
    size_t at = h->alen;
    if (len)
        memcpy(h->arena + at, p, len);
    h->arena[at + len] = 0;
    h->alen += len + 1;
    return at;
}

int ingest_hits_logical(ingest_hits *h, int64_t file_id, const scan_hit *hit, trawl_err *err)
{
    size_t t;
    if (type_index(h, hit->type, &t))
        return trawl_fail(err, TRAWL_EUSAGE, "unknown identifier type '%s'", hit->type);
    if (h->nl == h->lcap) {
        size_t nc = h->lcap ? h->lcap * 2 : 256;
        lhit *nl = realloc(h->l, nc * sizeof *nl);
        if (!nl)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        h->l = nl, h->lcap = nc;
    }
    int oom = 0;
    size_t plen = strlen(hit->path);
    lhit r = {
        .pos = hit->offset,
        .file_id = file_id,
        .path = put(h, hit->path, plen, &oom),
        .feat = put(h, hit->feature, hit->feature_len, &oom),
        .ctx = put(h, hit->context, hit->context_len, &oom),
        .path_len = plen,
        .feat_len = hit->feature_len,
        .ctx_len = hit->context_len,
        .time = hit->time,
        .flags = hit->flags,
        .type = (unsigned)t,
    };
    if (oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    h->l[h->nl++] = r;
    h->t[t].norder++;
    return 0;
}

/* The feature files' order: position, forensic path, value (bytes). */
static int key_cmp(uint64_t pa, const char *a, size_t la, const char *va, size_t lva, uint64_t pb,
                   const char *b, size_t lb, const char *vb, size_t lvb)
{
    if (pa != pb)
        return pa < pb ? -1 : 1;
    int c = fpath_cmp(a, la, b, lb);
    if (c)
        return c;
    c = memcmp(va, vb, lva < lvb ? lva : lvb);
    return c ? c : (lva > lvb) - (lva < lvb);
}

static int lhit_cmp(const void *x, const void *y, void *ctx)
{
    const ingest_hits *h = ctx;
    const lhit *a = &h->l[*(const size_t *)x], *b = &h->l[*(const size_t *)y];
    int c = key_cmp(a->pos, h->arena + a->path, a->path_len, h->arena + a->feat, a->feat_len,
                    b->pos, h->arena + b->path, b->path_len, h->arena + b->feat, b->feat_len);
    if (c)
        return c;
    /* equal keys keep the walk's order */
    return (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

int ingest_hits_ready(ingest_hits *h, trawl_err *err)
{
    for (size_t t = 0; t < h->nt; t++) {
        if (!h->t[t].norder)
            continue;
        if (!(h->t[t].order = malloc(h->t[t].norder * sizeof *h->t[t].order)))
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        h->t[t].norder = 0;
    }
    for (size_t i = 0; i < h->nl; i++) {
        type_out *o = &h->t[h->l[i].type];
        o->order[o->norder++] = i;
    }
    for (size_t t = 0; t < h->nt; t++)
        if (h->t[t].norder > 1)
            qsort_r(h->t[t].order, h->t[t].norder, sizeof *h->t[t].order, lhit_cmp, h);
    return 0;
}

/* Write one row, count it, store it. */
static int emit(ingest_hits *h, type_out *o, const scan_hit *hit, int64_t file_id, const char *area,
                trawl_err *err)
{
    int rc = scan_ffile_row(o->ff, hit->path, hit->feature, hit->feature_len, hit->context,
                            hit->context_len, err);
    if (!rc)
        rc = scan_histogram_add(o->hg, hit->feature, hit->feature_len, 1, err);
    if (!rc)
        rc = case_hits_add(h->store, hit, file_id, area, err);
    return rc;
}

static int emit_logical(ingest_hits *h, type_out *o, size_t i, trawl_err *err)
{
    const lhit *l = &h->l[i];
    scan_hit hit = {
        .type = o->name,
        .feature = h->arena + l->feat,
        .feature_len = l->feat_len,
        .path = h->arena + l->path,
        .offset = l->pos,
        .context = (const uint8_t *)h->arena + l->ctx,
        .context_len = l->ctx_len,
        .flags = l->flags,
        .time = l->time,
    };
    return emit(h, o, &hit, l->file_id, NULL, err);
}

int ingest_hits_raw(void *ctx, const scan_hit *hit, trawl_err *err)
{
    ingest_hits *h = ctx;
    size_t t;
    if (type_index(h, hit->type, &t))
        return trawl_fail(err, TRAWL_EUSAGE, "unknown identifier type '%s'", hit->type);
    type_out *o = &h->t[t];
    if (hit->offset < o->last_pos)
        return trawl_fail(err, TRAWL_EUSAGE,
                          "%s hit at %llu after one at %llu: the scan's order is broken", o->name,
                          (unsigned long long)hit->offset, (unsigned long long)o->last_pos);
    o->last_pos = hit->offset;
    int64_t file_id = 0;
    const char *area = NULL;
    for (size_t m = 0; m < h->nmaps; m++) {
        int covered = 0;
        if (fs_map_lookup(h->maps[m], hit->offset, &file_id, &area, &covered)) {
            if (covered)
                return 0; /* the logical scan of that file reported it */
            break;
        }
    }
    /* The logical hits that come first. */
    size_t plen = o->next < o->norder ? strlen(hit->path) : 0;
    while (o->next < o->norder) {
        const lhit *l = &h->l[o->order[o->next]];
        if (key_cmp(l->pos, h->arena + l->path, l->path_len, h->arena + l->feat, l->feat_len,
                    hit->offset, hit->path, plen, hit->feature, hit->feature_len) >= 0)
            break;
        int rc = emit_logical(h, o, o->order[o->next++], err);
        if (rc)
            return rc;
    }
    return emit(h, o, hit, file_id, area, err);
}

int ingest_hits_finish(ingest_hits *h, trawl_err *err)
{
    int rc = 0;
    for (size_t t = 0; t < h->nt; t++) {
        type_out *o = &h->t[t];
        while (!rc && o->next < o->norder)
            rc = emit_logical(h, o, o->order[o->next++], err);
        int crc = scan_ffile_close(o->ff, rc ? NULL : err);
        o->ff = NULL;
        if (!rc)
            rc = crc;
        crc = rc ? (scan_histogram_abort(o->hg), 0) : scan_histogram_close(o->hg, err);
        o->hg = NULL;
        if (!rc)
            rc = crc;
    }
    if (!rc)
        rc = case_hits_flush(h->store, err);
    return rc;
}
