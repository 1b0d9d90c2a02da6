/* hits.c: one page's hits: collected by a worker, sorted into the order the
 * sink sees (offset, type, forensic path, feature), de-duplicated, then
 * delivered by the thread that feeds the run.  Strings live in one arena per
 * page so that a page's hits are one allocation to free. */
#include "scan/scan_internal.h"

#include <stdlib.h>
#include <string.h>

void hit_list_reset(hit_list *h)
{
    h->n = 0;
    h->alen = 0;
    h->oom = 0;
}

void hit_list_free(hit_list *h)
{
    free(h->v);
    free(h->arena);
    memset(h, 0, sizeof *h);
}

/* Compare forensic paths with their numbers compared as numbers, so that
 * "5-GZIP-99" sorts before "5-GZIP-120". */
static int path_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        int da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
        if (da && db) {
            size_t si = i, sj = j;
            while (i < na && a[i] >= '0' && a[i] <= '9')
                i++;
            while (j < nb && b[j] >= '0' && b[j] <= '9')
                j++;
            if (i - si != j - sj)
                return i - si < j - sj ? -1 : 1;
            int c = memcmp(a + si, b + sj, i - si);
            if (c)
                return c;
        } else {
            if (a[i] != b[j])
                return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
            i++, j++;
        }
    }
    return (i < na) - (j < nb);
}

static int bytes_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c)
        return c;
    return (na > nb) - (na < nb);
}

static int same_key(const hit_list *h, const hit_rec *x, const hit_rec *y)
{
    return (x->type == y->type || !strcmp(x->type, y->type)) &&
           !path_cmp(h->arena + x->path, x->path_len, h->arena + y->path, y->path_len) &&
           !bytes_cmp(h->arena + x->feat, x->feat_len, h->arena + y->feat, y->feat_len);
}

static int rec_cmp(const void *pa, const void *pb, void *ctx)
{
    const hit_list *h = ctx;
    const hit_rec *x = pa, *y = pb;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    int c = x->type == y->type ? 0 : strcmp(x->type, y->type);
    if (c)
        return c;
    c = path_cmp(h->arena + x->path, x->path_len, h->arena + y->path, y->path_len);
    if (c)
        return c;
    c = bytes_cmp(h->arena + x->feat, x->feat_len, h->arena + y->feat, y->feat_len);
    if (c)
        return c;
    /* Duplicates: keep a deterministic representative (the one with the
     * smaller context; contexts of one hit differ only if found twice). */
    c = bytes_cmp(h->arena + x->ctx, x->ctx_len, h->arena + y->ctx, y->ctx_len);
    if (c)
        return c;
    return (x->flags > y->flags) - (x->flags < y->flags);
}

void hit_list_sort(hit_list *h)
{
    if (h->n < 2)
        return;
    qsort_r(h->v, h->n, sizeof *h->v, rec_cmp, h);
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (k && same_key(h, &h->v[k - 1], &h->v[i]))
            h->v[k - 1].flags |= h->v[i].flags;
        else
            h->v[k++] = h->v[i];
    }
    h->n = k;
}

int hit_list_deliver(const hit_list *h, scan_sink_fn sink, void *ctx, trawl_err *err)
{
    for (size_t i = 0; i < h->n; i++) {
        const hit_rec *r = &h->v[i];
        scan_hit hit = {
            .type = r->type,
            .feature = h->arena + r->feat,
            .feature_len = r->feat_len,
            .path = h->arena + r->path,
            .offset = r->offset,
            .context = (const uint8_t *)h->arena + r->ctx,
            .context_len = r->ctx_len,
            .flags = r->flags,
            .time = r->time,
        };
        int rc = sink(ctx, &hit, err);
        if (rc)
            return rc;
    }
    return 0;
}
