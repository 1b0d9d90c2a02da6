/* fs_map.c: the interval index that attributes raw hits to files and areas.
 *
 * The walk adds overlapping intervals (file runs, slack, unallocated blocks,
 * volumes, the whole device) with a priority; finishing cuts the device at
 * every interval boundary and gives each elementary segment the label of the
 * best interval that covers it.  Painting goes best interval first and skips
 * painted segments with a "next unpainted" pointer chain (path-compressed),
 * so the build is O(n log n) however much the intervals overlap.  Lookups
 * are one binary search. */
#include <stdlib.h>
#include <string.h>

#include "fs/fs_int.h"

typedef struct ival {
    uint64_t start, end;
    int64_t key;
    uint32_t seq;
    uint8_t prio, area, covered;
} ival;

struct fs_mapb {
    ival *v;
    size_t n, cap;
};

typedef struct seg {
    uint64_t start, end;
    int64_t key;
    uint8_t area, covered;
} seg;

struct fs_map {
    seg *s;
    size_t n;
};

static const char *const area_names[] = {
    NULL, FS_AREA_UNALLOCATED, FS_AREA_SLACK, FS_AREA_METADATA, FS_AREA_UNPARTITIONED, NULL};

fs_mapb *fs_mapb_new(void)
{
    return calloc(1, sizeof(fs_mapb));
}

void fs_mapb_free(fs_mapb *b)
{
    if (!b)
        return;
    free(b->v);
    free(b);
}

int fs_mapb_add(fs_mapb *b, uint64_t start, uint64_t len, int prio, int64_t key, int area,
                int covered, trawl_err *err)
{
    if (len == 0 || start + len < start)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        ival *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return trawl_fail(err, TRAWL_ENOMEM, "file map: out of memory at %zu intervals", b->n);
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = (ival){start,
                          start + len,
                          key,
                          (uint32_t)b->n,
                          (uint8_t)prio,
                          (uint8_t)area,
                          (uint8_t)(covered != 0)};
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_prio(const void *a, const void *b)
{
    const ival *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Index of c in the sorted, unique coordinates. */
static size_t coord_idx(const uint64_t *c, size_t n, uint64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Next unpainted segment at or after i (nxt[k] == k when unpainted). */
static size_t find_next(size_t *nxt, size_t i)
{
    size_t r = i;
    while (nxt[r] != r)
        r = nxt[r];
    while (nxt[i] != r) {
        size_t t = nxt[i];
        nxt[i] = r;
        i = t;
    }
    return r;
}

int fs_mapb_finish(fs_mapb *b, fs_map **out, trawl_err *err)
{
    fs_map *m = calloc(1, sizeof *m);
    uint64_t *c = malloc((2 * b->n + 1) * sizeof *c);
    size_t *nxt = NULL;
    int32_t *lab = NULL;
    if (!m || !c)
        goto oom;
    size_t nc = 0;
    for (size_t i = 0; i < b->n; i++) {
        c[nc++] = b->v[i].start;
        c[nc++] = b->v[i].end;
    }
    if (nc)
        qsort(c, nc, sizeof *c, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < nc; i++)
        if (u == 0 || c[i] != c[u - 1])
            c[u++] = c[i];
    nc = u;
    size_t nseg = nc ? nc - 1 : 0;
    nxt = malloc((nseg + 1) * sizeof *nxt);
    lab = malloc((nseg + 1) * sizeof *lab);
    if (!nxt || !lab)
        goto oom;
    for (size_t i = 0; i <= nseg; i++) {
        nxt[i] = i;
        lab[i] = -1;
    }
    if (b->n)
        qsort(b->v, b->n, sizeof *b->v, cmp_prio);
    for (size_t k = 0; k < b->n; k++) {
        size_t lo = coord_idx(c, nc, b->v[k].start), hi = coord_idx(c, nc, b->v[k].end);
        for (size_t i = find_next(nxt, lo); i < hi; i = find_next(nxt, i)) {
            lab[i] = (int32_t)k;
            nxt[i] = i + 1;
        }
    }
    m->s = malloc((nseg ? nseg : 1) * sizeof *m->s);
    if (!m->s)
        goto oom;
    for (size_t i = 0; i < nseg; i++) {
        if (lab[i] < 0)
            continue;
        const ival *v = &b->v[lab[i]];
        seg *last = m->n ? &m->s[m->n - 1] : NULL;
        if (last && last->end == c[i] && last->key == v->key && last->area == v->area &&
            last->covered == v->covered) {
            last->end = c[i + 1];
            continue;
        }
        m->s[m->n++] = (seg){c[i], c[i + 1], v->key, v->area, v->covered};
    }
    free(c);
    free(nxt);
    free(lab);
    *out = m;
    return 0;
oom:
    free(c);
    free(nxt);
    free(lab);
    fs_map_free(m);
    return trawl_fail(err, TRAWL_ENOMEM, "file map: out of memory building %zu intervals", b->n);
}

int fs_map_lookup(const fs_map *m, uint64_t off, int64_t *file_key, const char **area, int *covered)
{
    *file_key = 0;
    *area = NULL;
    *covered = 0;
    if (!m || m->n == 0)
        return 0;
    size_t lo = 0, hi = m->n;
    while (lo < hi) { /* first segment with end > off */
        size_t mid = lo + (hi - lo) / 2;
        if (m->s[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == m->n || m->s[lo].start > off)
        return 0;
    const seg *s = &m->s[lo];
    *file_key = s->key;
    *area = area_names[s->area];
    *covered = s->covered;
    return 1;
}

size_t fs_map_size(const fs_map *m)
{
    return m ? m->n : 0;
}

void fs_map_free(fs_map *m)
{
    if (!m)
        return;
    free(m->s);
    free(m);
}

_Static_assert(FS_AREA_UNKNOWN + 1 == FS_MAP_AREAS, "FS_MAP_AREAS counts the area codes");

void fs_map_get(const fs_map *m, size_t i, fs_map_seg *out)
{
    const seg *s = &m->s[i];
    *out = (fs_map_seg){s->start, s->end, s->key, s->area, s->covered};
}

int fs_map_from_segs(const fs_map_seg *segs, size_t n, fs_map **out, trawl_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const fs_map_seg *s = &segs[i];
        if (s->start >= s->end || s->area >= FS_MAP_AREAS || s->covered > 1 ||
            (i && s->start < segs[i - 1].end))
            return trawl_fail(err, TRAWL_EFORMAT, "file map: segment %zu is out of order", i);
    }
    fs_map *m = calloc(1, sizeof *m);
    if (m)
        m->s = malloc((n ? n : 1) * sizeof *m->s);
    if (!m || !m->s) {
        fs_map_free(m);
        return trawl_fail(err, TRAWL_ENOMEM, "file map: out of memory at %zu segments", n);
    }
    for (size_t i = 0; i < n; i++)
        m->s[i] = (seg){segs[i].start, segs[i].end, segs[i].key, (uint8_t)segs[i].area,
                        (uint8_t)segs[i].covered};
    m->n = n;
    *out = m;
    return 0;
}
