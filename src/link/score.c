/* score.c: merge the device indexes and score every device pair.
 *
 * All index files are sorted by feature hash, so one k-way merge (a heap
 * of the devices' current entries) meets every feature once together with
 * every device holding it: DC(f) is the number of devices met.  A feature
 * on two or more devices that is not stopped adds weight(type)/DC(f) to
 * each pair of those devices (link.h has the formula) and competes for the
 * pair's LINK_TOP strongest contributors.  Memory is one link_pair per
 * device pair plus the shared features, never the whole index. */
#include <stdlib.h>
#include <string.h>

#include "case/link_store.h"
#include "link/link_int.h"

int link_top_cmp(const link_top *a, const link_top *b)
{
    if (a->c != b->c)
        return a->c > b->c ? -1 : 1;
    if (a->h1 != b->h1)
        return a->h1 < b->h1 ? -1 : 1;
    if (a->h2 != b->h2)
        return a->h2 < b->h2 ? -1 : 1;
    return 0;
}

static void top_add(link_pair *p, const link_top *t)
{
    size_t i;
    if (p->ntop < LINK_TOP) {
        i = p->ntop++;
    } else if (link_top_cmp(t, &p->top[LINK_TOP - 1]) < 0) {
        i = LINK_TOP - 1;
    } else {
        return;
    }
    while (i > 0 && link_top_cmp(t, &p->top[i - 1]) < 0) {
        p->top[i] = p->top[i - 1];
        i--;
    }
    p->top[i] = *t;
}

/* Min-heap of device indexes ordered by their current entry's hash (then
 * by device index, so that equal features pop in device order). */
typedef struct merge {
    link_entry *head;
    size_t *heap;
    size_t n;
} merge;

static int head_less(const merge *m, size_t a, size_t b)
{
    const link_entry *x = &m->head[a], *y = &m->head[b];
    if (x->h1 != y->h1)
        return x->h1 < y->h1;
    if (x->h2 != y->h2)
        return x->h2 < y->h2;
    return a < b;
}

static void sift_down(merge *m, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, s = i;
        if (l < m->n && head_less(m, m->heap[l], m->heap[s]))
            s = l;
        if (r < m->n && head_less(m, m->heap[r], m->heap[s]))
            s = r;
        if (s == i)
            return;
        size_t t = m->heap[i];
        m->heap[i] = m->heap[s];
        m->heap[s] = t;
        i = s;
    }
}

static int feat_add(link_result *r, const link_feat *f, const uint32_t *dev, const uint32_t *cnt)
{
    if (r->nfeats == r->capfeats) {
        size_t cap = r->capfeats ? r->capfeats * 2 : 4096;
        link_feat *v = realloc(r->feats, cap * sizeof *v);
        if (!v)
            return -1;
        r->feats = v, r->capfeats = cap;
    }
    if (r->nocc + f->dc > r->capocc) {
        size_t cap = r->capocc ? r->capocc * 2 : 16384;
        while (cap < r->nocc + f->dc)
            cap *= 2;
        uint32_t *d = realloc(r->occ_dev, cap * sizeof *d);
        if (!d)
            return -1;
        r->occ_dev = d;
        uint32_t *c = realloc(r->occ_count, cap * sizeof *c);
        if (!c)
            return -1;
        r->occ_count = c;
        r->capocc = cap;
    }
    link_feat *nf = &r->feats[r->nfeats++];
    *nf = *f;
    nf->occ = r->nocc;
    memcpy(r->occ_dev + r->nocc, dev, f->dc * sizeof *dev);
    memcpy(r->occ_count + r->nocc, cnt, f->dc * sizeof *cnt);
    r->nocc += f->dc;
    return 0;
}

void link_result_free(link_result *r)
{
    free(r->pairs);
    free(r->feats);
    free(r->occ_dev);
    free(r->occ_count);
    memset(r, 0, sizeof *r);
}

int link_score(case_db *c, const link_dev *devs, size_t n, const link_options *opt, link_result *r,
               trawl_err *err)
{
    memset(r, 0, sizeof *r);
    r->ndev = n;
    size_t npairs = n > 1 ? n * (n - 1) / 2 : 1;
    r->pairs = calloc(npairs, sizeof *r->pairs);
    link_reader **rd = calloc(n ? n : 1, sizeof *rd);
    merge m = {calloc(n ? n : 1, sizeof(link_entry)), calloc(n ? n : 1, sizeof(size_t)), 0};
    uint32_t *dev = calloc(n ? n : 1, sizeof *dev), *cnt = calloc(n ? n : 1, sizeof *cnt);
    int rc = 0;
    if (!r->pairs || !rd || !m.head || !m.heap || !dev || !cnt)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory scoring %zu devices", n);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = link_reader_open(c, devs[i].id, &rd[i], err);
        int done = 0;
        if (!rc)
            rc = link_reader_next(rd[i], &m.head[i], &done, err);
        if (!rc && !done)
            m.heap[m.n++] = i;
    }
    if (!rc)
        for (size_t i = m.n; i-- > 0;)
            sift_down(&m, i);

    int stop_active = n >= (size_t)opt->stop_min_devices;
    double stop_at = opt->stop_share * (double)n;
    while (!rc && m.n > 0) {
        /* Pop every device whose current entry is this feature. */
        size_t first = m.heap[0];
        link_entry e = m.head[first];
        uint32_t dc = 0;
        while (m.n > 0) {
            size_t d = m.heap[0];
            if (m.head[d].h1 != e.h1 || m.head[d].h2 != e.h2)
                break;
            dev[dc] = (uint32_t)d;
            cnt[dc] = m.head[d].count;
            dc++;
            int done = 0;
            rc = link_reader_next(rd[d], &m.head[d], &done, err);
            if (rc)
                break;
            if (done)
                m.heap[0] = m.heap[--m.n];
            sift_down(&m, 0);
        }
        if (rc)
            break;
        r->distinct++;
        if (dc < 2)
            continue;
        double w = link_type_code_weight(e.type);
        link_feat f = {.h1 = e.h1, .h2 = e.h2, .ref = e.ref, .dc = dc, .type = e.type};
        if (stop_active && (double)dc > stop_at) {
            f.stopped = 1;
            r->stopped++;
        } else if (w > 0) {
            link_top t = {
                .c = w / dc, .h1 = e.h1, .h2 = e.h2, .ref = e.ref, .dc = dc, .type = e.type};
            for (uint32_t a = 0; a < dc; a++)
                for (uint32_t b = a + 1; b < dc; b++) {
                    link_pair *p = &r->pairs[link_pair_index(n, dev[a], dev[b])];
                    p->score += t.c;
                    p->shared++;
                    top_add(p, &t);
                }
        } else {
            continue; /* a weightless type (keywords) shares nothing */
        }
        if (feat_add(r, &f, dev, cnt))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory: %zu shared features", r->nfeats);
    }
    for (size_t i = 0; rd && i < n; i++)
        link_reader_close(rd[i]);
    free(rd);
    free(m.head);
    free(m.heap);
    free(dev);
    free(cnt);
    if (rc)
        link_result_free(r);
    return rc;
}

int link_resolve(case_db *c, uint8_t type, int64_t ref, uint64_t h1, uint64_t h2, char **tname,
                 char **value, trawl_err *err)
{
    char *t = NULL, *v = NULL;
    size_t vlen = 0;
    int found;
    if (case_link_resolve(c, type == LT_FILE, ref, &t, &v, &vlen, &found, err))
        return err->code;
    if (!found)
        return trawl_fail(err, TRAWL_EINTEGRITY,
                          "%s/case.db: %s %lld named by the link index is gone (run 'trawl link "
                          "--rebuild')",
                          case_dir(c), type == LT_FILE ? "file" : "identifier", (long long)ref);
    uint64_t x1 = 0, x2 = 0;
    link_hash(t, v, vlen, &x1, &x2);
    if (x1 != h1 || x2 != h2) {
        free(t);
        free(v);
        return trawl_fail(err, TRAWL_EINTEGRITY,
                          "%s/case.db: %s %lld no longer matches the link index (run 'trawl link "
                          "--rebuild')",
                          case_dir(c), type == LT_FILE ? "file" : "identifier", (long long)ref);
    }
    *tname = t;
    *value = v;
    return 0;
}
