/* worker.c: scanning one page (or one buffer) on one thread.
 *
 * For a buffer the worker (1) runs the matcher and hands each type anchor to
 * its extractor, (2) narrows the buffer's UTF-16 runs into a scratch buffer
 * and does the same there, mapping hits back to raw offsets, (3) runs the
 * keyword matcher over both, and (4) opens the containers whose start lies
 * in the buffer's own range and scans what comes out, recursively, up to the
 * engine's depth.  Before (1), SQLite b-tree pages are looked for
 * (sqlite_rec.h): the matcher then sees their records' bytes as zeros, and
 * the records' fields are scanned on their own instead (all of a buffer's
 * fields joined for one matcher call, each hit mapped back to its field),
 * with the column rules (sqlite_rules.h) adding identifiers and times.  A
 * decoded zlib stream with text operators is also scanned as the text it
 * shows (PDFTEXT).  Hits go into the page's hit_list with their forensic
 * path; the stop lists are applied here, before the sink.
 *
 * Memory per worker is bounded: one decoded buffer per depth, and all of
 * them together never hold more than SCAN_MAX_EXPANDED bytes. */
#include "scan/scan_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan/decode.h"
#include "scan/sqlite_rec.h"
#include "scan/sqlite_rules.h"
#include "util/limits.h"

typedef struct cont_anchor {
    size_t to;
    unsigned kind; /* CONT_* */
} cont_anchor;

typedef struct cont_vec {
    cont_anchor *v;
    size_t n, cap;
} cont_vec;

/* One UTF-16 run narrowed into the scratch buffer. */
typedef struct u16_run {
    size_t nstart, nchars; /* where it is in the narrow buffer */
    size_t raw;            /* raw offset of its first code unit */
} u16_run;

/* The fields of one buffer's SQLite records, joined for one matcher call:
 * each field's bytes (UTF-16 ones as UTF-8) then two zero bytes, which no
 * identifier and no UTF-16 run crosses. */
typedef struct jfield {
    size_t j, len;  /* where the field is in the joined buffer */
    size_t at;      /* buffer offset of the field in its page (sq_value.at) */
    unsigned flags; /* SCAN_HIT_DELETED, SCAN_HIT_UTF16 */
    int64_t time;
    uint64_t id; /* its frame id (de-duplication is per field) */
} jfield;

typedef struct jbatch {
    uint8_t *buf;
    size_t len, cap;
    jfield *v;
    size_t n, vcap;
    cont_vec conts; /* container anchors in buf */
} jbatch;

struct scan_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int free_slots;
};

int scan_gate_new(scan_gate **out)
{
    scan_gate *g = calloc(1, sizeof *g);
    if (!g)
        return -1;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->free_slots = SCAN_BIG_DECODERS;
    *out = g;
    return 0;
}

void scan_gate_free(scan_gate *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    free(g);
}

/* Per hit of the page: what makes it the same as another (de-duplication
 * at insertion keeps the many anchors of one identifier from piling up). */
typedef struct dd_key {
    uint64_t hash, frame, raw;
} dd_key;

struct scan_worker {
    const scan_engine *eng;
    scan_gate *gate;
    int gate_held;
    uint32_t *dd; /* open addressing: hit index + 1 */
    size_t ddcap, ddn;
    dd_key *dk; /* parallel to out->v */
    size_t dkcap;
    uint64_t next_frame;
    uint64_t page_expanded; /* decoded bytes so far on this page (all depths) */
    matcher_scratch *ms, *ks;
    cont_vec conts[SCAN_MAX_DEPTH + 1];
    dec_buf dec[SCAN_MAX_DEPTH + 1]; /* dec[d]: data at depth d + 1 */
    dec_marks marks[SCAN_MAX_DEPTH + 1];
    uint8_t *narrow;
    size_t ncap;
    u16_run *runs;
    size_t nruns, rcap;
    uint8_t *rbuf; /* reads past the page */
    dec_state *ds;
    sq_doc *sq[SCAN_MAX_DEPTH + 1]; /* SQLite pages of the buffer at each depth */
    uint8_t *blank;                 /* a buffer with its records' bytes zeroed, for the matcher */
    size_t bcap;
    char rt_name[SCAN_SQLITE_MAX_NAME]; /* the table whose rules rt_idx lists */
    uint16_t *rt_idx;                   /* indexes of its rules in eng->rules */
    size_t rt_n;
    jbatch jb[SCAN_MAX_DEPTH + 1];        /* record fields of the buffer at each depth */
    dec_buf pdf[SCAN_MAX_DEPTH + 1];      /* the text of a PDF content stream, per depth */
    dec_marks pmarks[SCAN_MAX_DEPTH + 1]; /* its joins */
    hit_list *out;
    int rc;
    trawl_err *err;
};

/* Where the buffer being scanned sits. */
typedef struct frame {
    uint64_t id; /* unique within the page */
    const uint8_t *buf;
    size_t len, lo, hi; /* keep hits that start in [lo, hi) */
    int depth;          /* containers above this buffer */
    unsigned flags;     /* SCAN_HIT_AT_LIMIT when the buffer was cut */
    uint64_t offset;    /* depth 0: reported offset of buf[0]; else the outermost container's */
    const char *prefix; /* depth > 0: "OFFSET-GZIP-...-" */
    size_t plen;
    const dec_marks *marks; /* QP/PCT: a hit must touch a decoded escape */
    size_t held;            /* decoded bytes held by this frame and its ancestors */
    scan_read_fn read;      /* depth 0: continues the media after buf */
    void *read_ctx;
    uint64_t read_after;
    const sq_doc *sq; /* SQLite records in buf: raw hits touching one are theirs */
    size_t shift;     /* subtracted from a buffer offset to give the offset in the path */
    int field;        /* buf is one field of a record (no records looked for in it) */
    int zlib;         /* buf was inflated from a zlib stream (PDF FlateDecode) */
    int64_t time;     /* the record's time, or SCAN_NO_TIME */
} frame;

typedef struct collector {
    scan_out out;
    scan_worker *w;
    const frame *f;
    const uint8_t *buf; /* the buffer extractors see (raw or narrow) */
    size_t len;
    const u16_run *runs; /* narrow buffer: its runs, else NULL */
    size_t nruns;
    const uint8_t *cbuf; /* where contexts are taken from (buf, or the bytes buf blanks) */
    const jfield *jf;    /* buf joins these fields (a hit belongs to one), or NULL */
    size_t njf;
    size_t jlast; /* the field of the last hit: anchors come mostly in order */
} collector;

void scan_worker_free(scan_worker *w)
{
    if (!w)
        return;
    matcher_scratch_free(w->ms);
    matcher_scratch_free(w->ks);
    for (int d = 0; d <= SCAN_MAX_DEPTH; d++) {
        free(w->conts[d].v);
        dec_buf_free(&w->dec[d]);
        free(w->marks[d].v);
        sq_doc_free(w->sq[d]);
        dec_buf_free(&w->pdf[d]);
        free(w->pmarks[d].v);
        bigbuf_free(&w->jb[d].buf, &w->jb[d].cap);
        free(w->jb[d].v);
        free(w->jb[d].conts.v);
    }
    bigbuf_free(&w->narrow, &w->ncap);
    bigbuf_free(&w->blank, &w->bcap);
    free(w->rt_idx);
    free(w->runs);
    free(w->dd);
    free(w->dk);
    free(w->rbuf);
    dec_state_free(w->ds);
    free(w);
}

int scan_worker_new(const scan_engine *eng, scan_worker **out, trawl_err *err)
{
    scan_worker *w = calloc(1, sizeof *w);
    if (!w)
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    w->eng = eng;
    int rc = matcher_scratch_new(eng->m, &w->ms, err);
    if (!rc && eng->km)
        rc = matcher_scratch_new(eng->km, &w->ks, err);
    if (!rc && dec_state_new(&w->ds))
        rc = trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    if (rc) {
        scan_worker_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

void scan_worker_set_gate(scan_worker *w, scan_gate *gate)
{
    w->gate = gate;
}

/* dec_buf's hook: take a slot before holding a big buffer (kept to the end
 * of the page). */
static void gate_enter(void *ctx)
{
    scan_worker *w = ctx;
    if (!w->gate || w->gate_held)
        return;
    pthread_mutex_lock(&w->gate->mu);
    while (w->gate->free_slots == 0)
        pthread_cond_wait(&w->gate->cv, &w->gate->mu);
    w->gate->free_slots--;
    pthread_mutex_unlock(&w->gate->mu);
    w->gate_held = 1;
}

static void gate_leave(scan_worker *w)
{
    if (!w->gate_held)
        return;
    pthread_mutex_lock(&w->gate->mu);
    w->gate->free_slots++;
    pthread_cond_signal(&w->gate->cv);
    pthread_mutex_unlock(&w->gate->mu);
    w->gate_held = 0;
}

static void fail_nomem(scan_worker *w)
{
    if (!w->rc)
        w->rc = trawl_fail(w->err, TRAWL_ENOMEM, "scan: out of memory");
}

/* --- Recording hits ---------------------------------------------------------- */

/* Append data[0..copy), room up to len, and a NUL; returns the offset.
 * The caller fills bytes copy..len. */
static size_t arena_add_n(scan_worker *w, const void *data, size_t copy, size_t len);

static size_t arena_add(scan_worker *w, const void *data, size_t len)
{
    return arena_add_n(w, data, len, len);
}

static size_t arena_add_n(scan_worker *w, const void *data, size_t copy, size_t len)
{
    hit_list *h = w->out;
    if (h->alen + len + 1 > h->acap) {
        size_t nc = h->acap ? h->acap : 4096;
        while (nc < h->alen + len + 1)
            nc *= 2;
        char *na = realloc(h->arena, nc);
        if (!na) {
            h->oom = 1;
            return 0;
        }
        h->arena = na, h->acap = nc;
    }
    size_t at = h->alen;
    if (copy)
        memcpy(h->arena + at, data, copy);
    h->arena[at + len] = 0;
    h->alen += len + 1;
    return at;
}

/* A quick hash, 8 bytes a step (only ever compared within one run). */
static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        h = (h ^ v) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* Decimal digits of v into out (no NUL); returns their count. */
static size_t u64_dec(char *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static int dd_grow(scan_worker *w)
{
    size_t nc = w->ddcap ? w->ddcap * 2 : 4096;
    uint32_t *nd = calloc(nc, sizeof *nd);
    if (!nd)
        return 0;
    for (size_t i = 0; i < w->out->n; i++) {
        size_t k = (size_t)w->dk[i].hash & (nc - 1);
        while (nd[k])
            k = (k + 1) & (nc - 1);
        nd[k] = (uint32_t)(i + 1);
    }
    free(w->dd);
    w->dd = nd, w->ddcap = nc;
    return 1;
}

static int touches_mark(const dec_marks *m, size_t start, size_t end)
{
    size_t lo = 0, hi = m->n; /* first mark >= start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid] < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->v[lo] < end;
}

/* The path prefix of a field at buffer offset at of frame f's buffer:
 * "OFFSET-SQLITE-" (OFFSET the field's device offset), or f's prefix then
 * "AT-SQLITE-"; built by hand, as it is built per field.  Returns its
 * length (out holds 512 bytes), 0 if it does not fit. */
static size_t field_prefix(const frame *f, size_t at, char *out)
{
    const char *name = scan_containers[CONT_SQLITE].name;
    size_t nl = strlen(name), n = 0;
    if (f->plen + 24 + nl + 3 > 512)
        return 0;
    if (f->depth > 0) {
        memcpy(out, f->prefix, f->plen);
        n = f->plen;
    }
    n += u64_dec(out + n, f->depth == 0 ? f->offset + at : (uint64_t)at);
    out[n++] = '-';
    memcpy(out + n, name, nl);
    n += nl;
    out[n++] = '-';
    out[n] = 0;
    return n;
}

static void record(collector *c, const char *type, size_t start, size_t end, const char *feature,
                   size_t flen, unsigned flags)
{
    scan_worker *w = c->w;
    const frame *f = c->f;
    if (w->rc || start >= end || end > c->len || flen == 0 || flen > SCAN_MAX_FEATURE)
        return;
    size_t raw = start, raw_end = end;
    size_t cmin = 0, cmax = c->len; /* context bounds */
    if (c->runs) {
        size_t lo = 0, hi = c->nruns; /* last run with nstart <= start */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->runs[mid].nstart <= start)
                lo = mid;
            else
                hi = mid;
        }
        const u16_run *r = &c->runs[lo];
        if (start < r->nstart || start >= r->nstart + r->nchars)
            return;
        raw = r->raw + 2 * (start - r->nstart);
        raw_end = raw + 2 * (end - start);
        cmin = r->nstart;
        cmax = r->nstart + r->nchars;
        flags |= SCAN_HIT_UTF16;
    }
    /* Joined record fields: the hit belongs to the field it starts in, and
     * must end there too; it is that field's (frame, path, context). */
    frame ff;
    const jfield *fl = NULL;
    if (c->jf) {
        size_t lo = c->jlast < c->njf ? c->jlast : 0;
        if (raw < c->jf[lo].j || raw >= c->jf[lo].j + c->jf[lo].len) {
            size_t hi = c->njf; /* last field with j <= raw */
            lo = 0;
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (c->jf[mid].j <= raw)
                    lo = mid;
                else
                    hi = mid;
            }
            c->jlast = lo;
        }
        fl = &c->jf[lo];
        if (raw < fl->j || raw_end > fl->j + fl->len)
            return;
        ff = (frame){
            .id = fl->id,
            .lo = fl->j,
            .hi = fl->j + fl->len,
            .shift = fl->j,
            .depth = f->depth + 1,
            .flags = f->flags | fl->flags,
            .offset = f->depth == 0 ? f->offset + fl->at : f->offset,
            .field = 1,
            .time = fl->time,
        };
        if (!c->runs)
            cmin = fl->j, cmax = fl->j + fl->len;
        f = &ff;
    }
    if (raw < f->lo || raw >= f->hi)
        return;
    if (f->marks && !touches_mark(f->marks, raw, raw_end))
        return;
    /* Bytes of a decoded SQLite record: its fields report what is in them. */
    if (f->sq && sq_in_record(f->sq, raw, raw_end))
        return;
    const scan_engine *eng = w->eng;
    size_t c0 = start - cmin > SCAN_CONTEXT ? start - SCAN_CONTEXT : cmin;
    size_t c1 = cmax - end > SCAN_CONTEXT ? end + SCAN_CONTEXT : cmax;
    if (c1 > cmax)
        c1 = cmax;

    hit_list *h = w->out;
    uint64_t hash = hash_bytes(feature, flen, 1469598103934665603ull);
    hash = hash_bytes(type, strlen(type), hash);
    hash ^= (f->id * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)raw * 0xc2b2ae3d27d4eb4full);
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 29;
    if ((w->ddn + 1) * 2 > w->ddcap && !dd_grow(w)) {
        fail_nomem(w);
        return;
    }
    size_t mask = w->ddcap - 1, k = (size_t)hash & mask;
    for (; w->dd[k]; k = (k + 1) & mask) {
        size_t i = w->dd[k] - 1;
        hit_rec *o = &h->v[i];
        if (w->dk[i].hash != hash || w->dk[i].frame != f->id || w->dk[i].raw != raw ||
            o->feat_len != flen || (o->type != type && strcmp(o->type, type)) ||
            memcmp(h->arena + o->feat, feature, flen))
            continue;
        /* The same hit again: keep the smaller context, as the sort would. */
        o->flags |= flags | f->flags;
        size_t nl = c1 - c0;
        int cmp = memcmp(c->cbuf + c0, h->arena + o->ctx, nl < o->ctx_len ? nl : o->ctx_len);
        if (cmp < 0 || (cmp == 0 && nl < o->ctx_len)) {
            size_t at = arena_add(w, c->cbuf + c0, nl);
            if (h->oom) {
                fail_nomem(w);
                return;
            }
            o = &h->v[i];
            o->ctx = at;
            o->ctx_len = (uint32_t)nl;
        }
        return;
    }
    /* Not seen on this page: now the stop lists (a stopped hit is not
     * remembered, so its other anchors ask again; they are rare). */
    if (eng->default_stop && stop_default(type, feature, flen))
        return;
    if (eng->stop && stop_list_has(eng->stop, feature, flen, c->cbuf + c0, c1 - c0))
        return;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        hit_rec *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv) {
            fail_nomem(w);
            return;
        }
        h->v = nv, h->cap = nc;
    }
    if (h->n >= w->dkcap) {
        size_t nc = h->cap;
        dd_key *nk = realloc(w->dk, nc * sizeof *nk);
        if (!nk) {
            fail_nomem(w);
            return;
        }
        w->dk = nk, w->dkcap = nc;
    }
    uint64_t offset = f->depth == 0 ? f->offset + raw : f->offset;
    char num[24];
    size_t nlen = u64_dec(num, f->depth == 0 ? offset : (uint64_t)(raw - f->shift));
    const char *prefix = f->prefix;
    size_t plen = f->plen;
    char pbuf[512];
    if (fl) { /* built only now: most fields have no hit */
        plen = field_prefix(c->f, fl->at, pbuf);
        if (!plen)
            return;
        prefix = pbuf;
    }
    hit_rec *r = &h->v[h->n];
    r->offset = offset;
    r->type = type;
    /* prefix (nested only) + number, as one string */
    size_t at = arena_add_n(w, prefix, plen, plen + nlen);
    if (!h->oom)
        memcpy(h->arena + at + plen, num, nlen);
    r->path = at;
    r->path_len = (uint32_t)(plen + nlen);
    r->feat = arena_add(w, feature, flen);
    r->feat_len = (uint32_t)flen;
    r->ctx = arena_add(w, c->cbuf + c0, c1 - c0);
    r->ctx_len = (uint32_t)(c1 - c0);
    r->flags = flags | f->flags;
    r->time = f->time;
    if (h->oom) {
        fail_nomem(w);
        return;
    }
    w->dk[h->n] = (dd_key){hash, f->id, raw};
    w->dd[k] = (uint32_t)(h->n + 1);
    w->ddn++;
    h->n++;
}

/* Returns the worker's error (set by record on an allocation failure), so
 * that the extractor stops at once. */
static int collector_add(scan_out *self, const char *type, size_t start, size_t end,
                         const char *feature, size_t feature_len)
{
    collector *c = (collector *)self;
    record(c, type, start, end, feature, feature_len, 0);
    return c->w->rc;
}

/* --- Matching ------------------------------------------------------------------ */

typedef struct match_ctx {
    collector *c;
    cont_vec *conts; /* NULL: ignore containers (narrow buffer) */
    size_t last_run[CONT_COUNT];
} match_ctx;

static int is_run_kind(unsigned kind)
{
    return scan_containers[kind].run;
}

static int on_anchor(void *ctx, unsigned id, size_t from, size_t to)
{
    (void)from;
    match_ctx *m = ctx;
    collector *c = m->c;
    const scan_engine *eng = c->w->eng;
    if (c->w->rc)
        return 1;
    const anchor_def *a = &eng->anchors[id];
    if (a->kind == ANCHOR_TYPE) {
        const scan_type *t = eng->types[a->index];
        /* non-zero: an error, already in c->w->rc; stop matching */
        return t->extract(c->buf, c->len, to, a->pat, &eng->tctx, &c->out) != 0;
    }
    if (!m->conts)
        return 0;
    unsigned kind = a->index;
    /* A long run reports an anchor at every byte: keep the first of each
     * stretch of consecutive ends (the same stretches in both backends). */
    if (is_run_kind(kind)) {
        size_t last = m->last_run[kind];
        m->last_run[kind] = to;
        if (last && to == last + 1)
            return 0;
    }
    cont_vec *v = m->conts;
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 64;
        cont_anchor *nv = realloc(v->v, nc * sizeof *nv);
        if (!nv) {
            fail_nomem(c->w);
            return 1;
        }
        v->v = nv, v->cap = nc;
    }
    v->v[v->n++] = (cont_anchor){to, kind};
    return 0;
}

static int on_keyword(void *ctx, unsigned id, size_t from, size_t to)
{
    collector *c = ctx;
    const keyword *k = &c->w->eng->kw[id];
    if (c->w->rc)
        return 1;
    record(c, "keyword", from, to, k->term, k->len, 0);
    return 0;
}

static void match_buffer(scan_worker *w, collector *c, cont_vec *conts)
{
    match_ctx m;
    memset(&m, 0, sizeof m);
    m.c = c;
    m.conts = conts;
    int rc = matcher_scan(w->eng->m, w->ms, c->buf, c->len, on_anchor, &m, w->err);
    if (!rc && w->eng->km)
        rc = matcher_scan(w->eng->km, w->ks, c->buf, c->len, on_keyword, c, w->err);
    if (rc && !w->rc)
        w->rc = rc;
}

/* --- UTF-16 ---------------------------------------------------------------------- */

static inline int u16_char(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* Does this 4-byte group look like two ASCII code units (either byte order)? */
static inline int u16_group(uint32_t h)
{
    return ((h & 0xff00ff00u) == 0 && (h & 0x000000ffu) && (h & 0x00ff0000u)) ||
           ((h & 0x00ff00ffu) == 0 && (h & 0x0000ff00u) && (h & 0xff000000u));
}

static int add_run(scan_worker *w, size_t *nlen, const uint8_t *buf, size_t s, size_t nchars,
                   size_t raw)
{
    if (w->nruns == w->rcap) {
        size_t nc = w->rcap ? w->rcap * 2 : 256;
        u16_run *nv = realloc(w->runs, nc * sizeof *nv);
        if (!nv)
            return 0;
        w->runs = nv, w->rcap = nc;
    }
    w->runs[w->nruns++] = (u16_run){*nlen, nchars, raw};
    uint8_t *o = w->narrow + *nlen;
    for (size_t i = 0; i < nchars; i++)
        o[i] = buf[s + 2 * i];
    o[nchars] = 0; /* a separator no identifier crosses */
    *nlen += nchars + 1;
    return 1;
}

/* Find the UTF-16 runs of buf and narrow them into w->narrow.  A run is
 * printable ASCII bytes alternating with 0x00: little-endian when the zero
 * follows each char, big-endian when it precedes (then the last char may
 * lack a following zero).  Each run is read once, whatever the order. */
static int find_utf16(scan_worker *w, const uint8_t *buf, size_t len, size_t *nlen_out)
{
    size_t need = len / 2 + len / (2 * SCAN_UTF16_MIN) + 16;
    if (need > w->ncap) {
        if (!bigbuf_grow(&w->narrow, &w->ncap, need))
            return 0;
    }
    w->nruns = 0;
    size_t nlen = 0, i = 0;
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, buf + i, 8);
        /* Most words hold no zero byte at all (text) or only zeros: skip them
         * with the cheap test first. */
        uint64_t zero = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
        if (zero == 0 || x == 0 || (!u16_group((uint32_t)x) && !u16_group((uint32_t)(x >> 32)))) {
            i += 8;
            continue;
        }
        /* The group at q holds two code units; find the run through it. */
        size_t q = u16_group((uint32_t)x) ? i : i + 4;
        size_t s = buf[q + 1] == 0 ? q : q + 1; /* a char position */
        while (s >= 2 && u16_char(buf[s - 2]) && buf[s - 1] == 0)
            s -= 2;
        int be = s >= 1 && buf[s - 1] == 0;
        size_t e = s, n = 0;
        while (e + 1 < len && u16_char(buf[e]) && buf[e + 1] == 0)
            e += 2, n++;
        if (be && e < len && u16_char(buf[e]))
            e += 1, n++; /* big-endian: the last unit's zero came before it */
        if (n >= SCAN_UTF16_MIN && !add_run(w, &nlen, buf, s, n, be ? s - 1 : s))
            return 0;
        size_t next = e & ~(size_t)3;
        i = next > i + 4 ? next : i + 4;
        if (i & 3) /* keep the 4-byte grid */
            i &= ~(size_t)3;
    }
    *nlen_out = nlen;
    return 1;
}

/* --- Containers --------------------------------------------------------------------- */

static void scan_frame(scan_worker *w, const frame *f);

static int anchor_cmp(const void *a, const void *b)
{
    const cont_anchor *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

static size_t sig_len(unsigned kind)
{
    return scan_containers[kind].sig_len;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Where the deflate data of the gzip member at buf[at] starts (RFC 1952),
 * or 0 when its header is damaged or runs past the buffer. */
static size_t gzip_body(const uint8_t *buf, size_t len, size_t at)
{
    if (len - at < 18)
        return 0;
    unsigned flg = buf[at + 3];
    if (flg & 0xe0) /* reserved bits set: not gzip */
        return 0;
    size_t p = at + 10;
    if (flg & 0x04) { /* FEXTRA */
        if (len - p < 2)
            return 0;
        p += 2 + (size_t)le16(buf + p);
    }
    for (unsigned bit = 0x08; bit <= 0x10; bit <<= 1) { /* FNAME, FCOMMENT */
        if (!(flg & bit))
            continue;
        const uint8_t *z = p < len ? memchr(buf + p, 0, len - p) : NULL;
        if (!z)
            return 0;
        p = (size_t)(z - buf) + 1;
    }
    if (flg & 0x02) /* FHCRC */
        p += 2;
    return p < len ? p : 0;
}

/* Scan a decoded child buffer. */
static void scan_child(scan_worker *w, const frame *f, size_t at, unsigned kind, const dec_buf *d,
                       int status, const dec_marks *marks)
{
    char prefix[512];
    int n;
    if (f->depth == 0)
        n = snprintf(prefix, sizeof prefix, "%" PRIu64 "-%s-", f->offset + at,
                     scan_containers[kind].name);
    else
        n = snprintf(prefix, sizeof prefix, "%.*s%zu-%s-", (int)f->plen, f->prefix, at,
                     scan_containers[kind].name);
    if (n < 0 || (size_t)n >= sizeof prefix)
        return; /* deeper than any path we print; SCAN_MAX_DEPTH keeps us far from it */
    frame c = {
        .id = ++w->next_frame,
        .buf = d->p,
        .len = d->len,
        .lo = 0,
        .hi = d->len,
        .depth = f->depth + 1,
        .flags = f->flags | (status == DEC_CUT ? SCAN_HIT_AT_LIMIT : 0),
        .offset = f->depth == 0 ? f->offset + at : f->offset,
        .prefix = prefix,
        .plen = (size_t)n,
        .marks = marks,
        .held = f->held + d->len,
        .time = f->time,
        .zlib = kind == CONT_ZLIB,
    };
    scan_frame(w, &c);
}

static void open_containers(scan_worker *w, const frame *f)
{
    cont_vec *v = &w->conts[f->depth];
    if (v->n == 0)
        return;
    qsort(v->v, v->n, sizeof *v->v, anchor_cmp);
    dec_buf *d = &w->dec[f->depth];
    dec_marks *mk = &w->marks[f->depth];
    size_t budget = SCAN_MAX_EXPANDED > f->held ? SCAN_MAX_EXPANDED - f->held : 0;
    size_t covered[CONT_COUNT] = {0}; /* runs already taken, per kind */
    size_t b64_cut = 0;               /* where a base64 run was cut at a limit */
    const uint8_t *buf = f->buf;
    size_t len = f->len;
    for (size_t i = 0; i < v->n && !w->rc; i++) {
        /* A page of bombs must not cost hours: past SCAN_MAX_PAGE_EXPANDED
         * decoded bytes, the rest of the page's containers stay shut. */
        if (w->page_expanded >= SCAN_MAX_PAGE_EXPANDED)
            break;
        unsigned kind = v->v[i].kind;
        size_t to = v->v[i].to;
        if (covered[kind] && to <= covered[kind])
            continue;
        size_t at;
        dec_src src = {.mem = buf, .memlen = len};
        if (f->depth == 0 && f->read) {
            src.read = f->read;
            src.read_ctx = f->read_ctx;
            src.next = f->read_after;
            src.rbuf = w->rbuf;
            src.rcap = SCAN_READ_CHUNK;
            src.max_extra = SCAN_MAX_EXPANDED;
        }
        d->len = 0;
        d->cap = 0; /* regrows within its mapping, up to this container's budget */
        mk->n = 0;
        /* The slot covers every depth's buffer: count what ancestors hold. */
        d->big_at = f->held < SCAN_BIG_DECODE ? SCAN_BIG_DECODE - f->held : 0;
        d->big = w->gate_held ? NULL : gate_enter;
        d->big_ctx = w;
        int status;
        const dec_marks *marks = NULL;
        if (!is_run_kind(kind)) {
            at = to - sig_len(kind);
            if (at < f->lo || at >= f->hi)
                continue;
            if (f->sq && sq_in_record(f->sq, at, at + 1))
                continue; /* the record's field opens it */
            if (src.read && !w->rbuf && !(w->rbuf = malloc(SCAN_READ_CHUNK))) {
                fail_nomem(w);
                return;
            }
            src.rbuf = w->rbuf;
            src.pos = at;
            switch (kind) {
            case CONT_GZIP: {
                /* Skip the header ourselves and inflate raw: zlib's gzip mode
                 * would spend its time on a CRC we have no use for. */
                size_t p = gzip_body(buf, len, at);
                if (p) {
                    src.pos = p;
                    status = dec_inflate(w->ds, &src, -15, d, budget);
                } else {
                    status = dec_inflate(w->ds, &src, 31, d, budget);
                }
                break;
            }
            case CONT_ZLIB:
                if ((((unsigned)buf[at] << 8) | buf[at + 1]) % 31 != 0)
                    continue;
                status = dec_inflate(w->ds, &src, 15, d, budget);
                /* A weak signature: damage after a few bytes is noise. */
                if (status == DEC_DAMAGED && d->len < 64)
                    continue;
                break;
            case CONT_ZIP: {
                if (len - at < 30)
                    continue;
                const uint8_t *h = buf + at;
                size_t data = at + 30 + (size_t)le16(h + 26) + le16(h + 28);
                if (le16(h + 8) != 8)
                    continue; /* stored entries are scanned as they lie */
                if (data < len) {
                    src.pos = data;
                } else if (src.read) { /* a long name or extra field: data past the page */
                    src.pos = len;
                    src.next += data - len;
                } else {
                    continue;
                }
                status = dec_inflate(w->ds, &src, -15, d, budget);
                break;
            }
            case CONT_BZIP2:
                status = dec_bzip2(&src, d, budget);
                break;
            default:
                status = dec_xz(&src, d, budget);
                break;
            }
        } else if (kind == CONT_BASE64) {
            /* The run starts after a blank line or a non-base64 byte. */
            size_t s = to - SCAN_MIN_BASE64;
            /* Never walk back into a run already taken (one cut at a limit
             * goes on past its covered end): that would be quadratic. */
            size_t stop = covered[kind];
            while (s > stop) {
                uint8_t ch = buf[s - 1];
                if (dec_b64_value[ch] >= 0 || ch == '\r') {
                    s--;
                } else if (ch == '\n') {
                    size_t k = s - 1;
                    while (k > 0 && buf[k - 1] == '\r')
                        k--;
                    if (k > 0 && buf[k - 1] == '\n')
                        break;
                    s--;
                } else {
                    break;
                }
            }
            size_t used = 0;
            if (stop && s == stop && stop == b64_cut) {
                /* The rest of a run cut at a limit: skip to its end. */
                dec_src dry = {.mem = buf, .memlen = len, .pos = s};
                dec_base64(&dry, NULL, 0, &used);
                covered[kind] = s + (used ? used : 1);
                continue;
            }
            while (s < to && (buf[s] == '\r' || buf[s] == '\n'))
                s++;
            at = s;
            src.pos = s;
            if (at < f->lo || at >= f->hi) {
                dec_src dry = {.mem = buf, .memlen = len, .pos = s};
                dec_base64(&dry, NULL, 0, &used);
                covered[kind] = at + used;
                continue;
            }
            if (src.read && !w->rbuf && !(w->rbuf = malloc(SCAN_READ_CHUNK))) {
                fail_nomem(w);
                return;
            }
            src.rbuf = w->rbuf;
            status = dec_base64(&src, d, budget, &used);
            covered[kind] = at + used;
            if (status == DEC_CUT)
                b64_cut = covered[kind];
        } else if (kind == CONT_QP) {
            size_t a = to - 2, s = a;
            size_t floor = a > 1024 ? a - 1024 : 0;
            while (s > floor && buf[s - 1] != '\n')
                s--;
            at = s;
            size_t n = len - s;
            if (n > SCAN_MAX_TEXT_RUN)
                n = SCAN_MAX_TEXT_RUN;
            size_t used = 0;
            int qp_like = 0;
            status = dec_qp(buf + s, n, d, budget, mk, &used, &qp_like);
            covered[kind] = s + used;
            if (at < f->lo || at >= f->hi || mk->n == 0 || !qp_like)
                continue;
            marks = mk;
        } else { /* CONT_PCT */
            size_t a = to - 3, s = a, e = a;
            size_t floor = a > SCAN_MAX_TEXT_RUN ? a - SCAN_MAX_TEXT_RUN : 0;
            if (floor < covered[kind])
                floor = covered[kind];
            while (s > floor && dec_url_char(buf[s - 1]))
                s--;
            while (e < len && e - s < SCAN_MAX_TEXT_RUN && dec_url_char(buf[e]))
                e++;
            covered[kind] = e;
            at = s;
            if (at < f->lo || at >= f->hi)
                continue;
            status = dec_pct(buf + s, e - s, d, budget, mk);
            marks = mk;
        }
        if (status == DEC_NOMEM) {
            fail_nomem(w);
            return;
        }
        w->page_expanded += d->len;
        if (d->len == 0)
            continue;
        if (f->sq && is_run_kind(kind) && sq_in_record(f->sq, at, at + 1))
            continue; /* the record's field decodes it */
        /* Text decoded from QP or PCT mostly repeats its source: do not
         * look for containers in it again. */
        scan_child(w, f, at, kind, d, status, marks);
        /* Give back a big buffer rather than hold it for the next page. */
        if (d->map > SCAN_BIG_DECODE)
            dec_buf_free(d);
    }
}

/* --- SQLite records ------------------------------------------------------------------ */

/* The encoding of a text field whose database header was not found: UTF-16
 * when most of its odd (LE) or even (BE) bytes are zero. */
static int guess_enc(const uint8_t *p, size_t n)
{
    if (n < 4 || n % 2)
        return SQ_ENC_UTF8;
    size_t z0 = 0, z1 = 0;
    for (size_t i = 0; i < n; i += 2) {
        z0 += p[i] == 0;
        z1 += p[i + 1] == 0;
    }
    if (z1 * 4 >= n / 2 * 3 && z0 == 0)
        return SQ_ENC_UTF16LE;
    if (z0 * 4 >= n / 2 * 3 && z1 == 0)
        return SQ_ENC_UTF16BE;
    return SQ_ENC_UTF8;
}

/* UTF-16 p[0..n) as UTF-8 into o (room for n / 2 * 3 bytes); returns its
 * length. */
static size_t utf16_to_utf8(uint8_t *o, const uint8_t *p, size_t n, int be)
{
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint32_t u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];
        if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) { /* a surrogate pair */
            uint32_t l =
                be ? (uint32_t)p[i + 2] << 8 | p[i + 3] : (uint32_t)p[i + 3] << 8 | p[i + 2];
            if (l >= 0xdc00 && l < 0xe000) {
                u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
                i += 2;
            }
        }
        if (u < 0x80) {
            o[k++] = (uint8_t)u;
        } else if (u < 0x800) {
            o[k++] = (uint8_t)(0xc0 | u >> 6);
            o[k++] = (uint8_t)(0x80 | (u & 0x3f));
        } else if (u < 0x10000) {
            o[k++] = (uint8_t)(0xe0 | u >> 12);
            o[k++] = (uint8_t)(0x80 | ((u >> 6) & 0x3f));
            o[k++] = (uint8_t)(0x80 | (u & 0x3f));
        } else {
            o[k++] = (uint8_t)(0xf0 | u >> 18);
            o[k++] = (uint8_t)(0x80 | ((u >> 12) & 0x3f));
            o[k++] = (uint8_t)(0x80 | ((u >> 6) & 0x3f));
            o[k++] = (uint8_t)(0x80 | (u & 0x3f));
        }
    }
    return k;
}

/* The frame of a record's field at buffer offset at, holding data[0..len):
 * its hits have the path "OFFSET-SQLITE-N" (OFFSET the field's device
 * offset, N the hit's offset in the field) and the field as their context.
 * prefix must hold 512 bytes; 0 when the path would not fit. */
static int field_frame(scan_worker *w, const frame *f, size_t at, const uint8_t *data, size_t len,
                       unsigned flags, int64_t time, size_t held, char *prefix, frame *c)
{
    size_t n = field_prefix(f, at, prefix);
    if (!n)
        return 0;
    *c = (frame){
        .id = ++w->next_frame,
        .buf = data,
        .len = len,
        .lo = 0,
        .hi = len,
        .depth = f->depth + 1,
        .flags = f->flags | flags,
        .offset = f->depth == 0 ? f->offset + at : f->offset,
        .prefix = prefix,
        .plen = n,
        .held = f->held + held,
        .field = 1,
        .time = time,
    };
    return 1;
}

/* Report feature as a hit covering the whole field data[0..len). */
static void field_feature(scan_worker *w, const frame *f, size_t at, const uint8_t *data,
                          size_t len, const char *type, const char *feature, size_t flen,
                          unsigned flags, int64_t time)
{
    char prefix[512];
    frame c;
    if (!field_frame(w, f, at, data, len, flags, time, 0, prefix, &c))
        return;
    collector col = {{collector_add}, w, &c, data, len, NULL, 0, data, NULL, 0, 0};
    record(&col, type, 0, len, feature, flen, 0);
}

/* The text of a value for a rule: TEXT as it is (UTF-16 narrowed to its
 * ASCII), INTEGER in decimal.  Returns its length (0: none). */
static size_t rule_text(const sq_value *v, int enc, char *out, size_t cap)
{
    if (v->kind == SQ_INT) {
        int n = snprintf(out, cap, "%lld", (long long)v->i);
        return n > 0 && (size_t)n < cap ? (size_t)n : 0;
    }
    if (v->kind != SQ_TEXT || v->n == 0)
        return 0;
    if (enc == SQ_ENC_UNKNOWN)
        enc = guess_enc(v->p, v->n);
    size_t k = 0;
    if (enc == SQ_ENC_UTF16LE || enc == SQ_ENC_UTF16BE) {
        for (size_t i = enc == SQ_ENC_UTF16LE ? 0 : 1; i < v->n && k + 1 < cap; i += 2)
            out[k++] = (char)v->p[i];
    } else {
        if (v->n >= cap)
            return 0;
        memcpy(out, v->p, v->n);
        k = v->n;
    }
    out[k] = 0;
    return k;
}

/* The id of an account value: facebook, instagram and x keep the digits of
 * a numeric id (a twid cookie holds "u=ID", escaped or not); whatsapp the
 * number of a JID; other services the value, lower case. */
static size_t account_id(const char *service, const char *v, size_t n, char *out, size_t cap)
{
    if (!strcmp(service, "facebook") || !strcmp(service, "instagram") || !strcmp(service, "x")) {
        const char *p = v, *e = v + n;
        for (const char *q = v; q + 1 <= e; q++) /* after the last '=' or "%3D" */
            if (*q == '=')
                p = q + 1;
            else if (q + 3 <= e && !strncasecmp(q, "%3D", 3))
                p = q + 3;
        size_t k = (size_t)(e - p);
        if (k < 5 || k > 20 || k >= cap)
            return 0;
        for (size_t i = 0; i < k; i++)
            if (p[i] < '0' || p[i] > '9')
                return 0;
        memcpy(out, p, k);
        return k;
    }
    if (!strcmp(service, "whatsapp")) {
        const char *at = memchr(v, '@', n);
        if (!at || (size_t)(v + n - at) != strlen("@s.whatsapp.net") ||
            memcmp(at, "@s.whatsapp.net", strlen("@s.whatsapp.net")) != 0)
            return 0;
        size_t k = (size_t)(at - v);
        if (k < 7 || k > 15 || k >= cap)
            return 0;
        for (size_t i = 0; i < k; i++)
            if (v[i] < '0' || v[i] > '9')
                return 0;
        memcpy(out, v, k);
        return k;
    }
    if (n == 0 || n > 64 || n >= cap)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch <= 0x20 || ch == 0x7f)
            return 0;
        out[i] = (char)tolower(ch);
    }
    return n;
}

/* A bare phone value as text the phone extractor reads: "+DIGITS" when it
 * is international (a '+', a JID, or 11 digits and more without a trunk
 * 0), else "tel DIGITS".  Returns its length (0: not a phone value). */
static size_t phone_text(const char *v, size_t n, char *out, size_t cap)
{
    const char *at = memchr(v, '@', n);
    int plus = 0;
    if (at) {
        if ((size_t)(v + n - at) != strlen("@s.whatsapp.net") ||
            memcmp(at, "@s.whatsapp.net", strlen("@s.whatsapp.net")) != 0)
            return 0;
        n = (size_t)(at - v);
        plus = 1;
    }
    char d[20];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = v[i];
        if (ch >= '0' && ch <= '9') {
            if (k == sizeof d)
                return 0;
            d[k++] = ch;
        } else if (ch == '+' && k == 0) {
            plus = 1;
        } else if (ch != ' ' && ch != '-' && ch != '(' && ch != ')' && ch != '.') {
            return 0;
        }
    }
    if (k < 7 || k > 15)
        return 0;
    plus |= k >= 11 && d[0] != '0';
    int len = snprintf(out, cap, "%s%.*s", plus ? "+" : "tel ", (int)k, d);
    return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

typedef struct rec_ctx {
    scan_worker *w;
    const frame *f;
    jbatch *b;
} rec_ctx;

/* Append a field to the batch: data[0..len) as it is, or (enc UTF-16)
 * as UTF-8. */
static void jb_add(scan_worker *w, jbatch *b, const uint8_t *data, size_t len, int enc, size_t at,
                   unsigned flags, int64_t time)
{
    int wide = enc == SQ_ENC_UTF16LE || enc == SQ_ENC_UTF16BE;
    size_t room = (wide ? len / 2 * 3 : len) + 2;
    if (b->len + room > b->cap && !bigbuf_grow(&b->buf, &b->cap, (b->len + room) * 2)) {
        fail_nomem(w);
        return;
    }
    if (b->n == b->vcap) {
        size_t nc = b->vcap ? b->vcap * 2 : 256;
        jfield *nv = realloc(b->v, nc * sizeof *nv);
        if (!nv) {
            fail_nomem(w);
            return;
        }
        b->v = nv, b->vcap = nc;
    }
    size_t n = len;
    if (wide)
        n = utf16_to_utf8(b->buf + b->len, data, len, enc == SQ_ENC_UTF16BE);
    else
        memcpy(b->buf + b->len, data, len);
    if (n == 0)
        return;
    b->v[b->n++] =
        (jfield){b->len, n, at, flags | (wide ? SCAN_HIT_UTF16 : 0), time, ++w->next_frame};
    b->len += n;
    b->buf[b->len++] = 0;
    b->buf[b->len++] = 0;
}

/* The column rules of the record's table: its time, then identifiers made
 * of bare values. */
static int64_t apply_rules(scan_worker *w, const frame *f, jbatch *b, const sq_record *r,
                           unsigned flags, int emit, int64_t time)
{
    const sq_rules *rs = w->eng->rules;
    if (!rs || r->nameless)
        return time;
    /* The database's own schema, else a known one with the record's width
     * (a page carved without its database's first page). */
    const sq_table *t =
        r->table >= 0 ? sq_doc_table(w->sq[f->depth], r->table) : sq_rules_schema(rs, r->ncols);
    if (!t)
        return time;
    if (strcmp(w->rt_name, t->name) != 0) { /* the rules of t's table, once per table */
        if (!w->rt_idx && !(w->rt_idx = malloc(SCAN_SQLITE_MAX_RULES * sizeof *w->rt_idx))) {
            fail_nomem(w);
            return time;
        }
        w->rt_n = 0;
        for (size_t i = 0; i < rs->n && i < SCAN_SQLITE_MAX_RULES; i++)
            if (rs->v[i].what != SQR_COLUMNS && !strcmp(rs->v[i].table, t->name))
                w->rt_idx[w->rt_n++] = (uint16_t)i;
        snprintf(w->rt_name, sizeof w->rt_name, "%s", t->name);
    }
    for (size_t k = 0; k < w->rt_n && !w->rc; k++) {
        const sq_rule *rule = &rs->v[w->rt_idx[k]];
        if ((rule->what == SQR_TIME) == emit)
            continue;
        int c = sq_column(t, rule->column);
        if (c < 0 || (size_t)c >= r->ncols || !sq_rule_when(rule, t, r))
            continue;
        const sq_value *v = &r->col[c];
        if (rule->what == SQR_TIME) {
            if (time == SCAN_NO_TIME)
                sq_time(rule->epoch, v, &time);
            continue;
        }
        char text[256], buf[128];
        size_t n = rule_text(v, r->enc, text, sizeof text);
        if (!n)
            continue;
        const uint8_t *data = v->kind == SQ_TEXT ? v->p : (const uint8_t *)text;
        size_t dlen = v->kind == SQ_TEXT ? v->n : n;
        if (rule->what == SQR_ACCOUNT) {
            size_t sl = strlen(rule->service);
            memcpy(buf, rule->service, sl);
            buf[sl] = ':';
            size_t k = account_id(rule->service, text, n, buf + sl + 1, sizeof buf - sl - 1);
            if (k)
                field_feature(w, f, v->at, data, dlen, "account", buf, sl + 1 + k, flags, time);
        } else {
            size_t k = phone_text(text, n, buf, sizeof buf);
            if (k) /* the phone type validates and normalizes it */
                jb_add(w, b, (const uint8_t *)buf, k, SQ_ENC_UTF8, v->at, flags, time);
        }
    }
    return time;
}

/* A record: its time, its fields into the batch, identifiers from its
 * column rules. */
static int on_record(void *ctx, const sq_record *r)
{
    rec_ctx *rc = ctx;
    scan_worker *w = rc->w;
    const frame *f = rc->f;
    unsigned flags = r->deleted ? SCAN_HIT_DELETED : 0;
    int64_t time = apply_rules(w, f, rc->b, r, flags, 0, SCAN_NO_TIME);
    /* No identifier is shorter than SCAN_SQLITE_MIN_FIELD bytes (keywords
     * may be). */
    size_t min = w->eng->km ? 1 : SCAN_SQLITE_MIN_FIELD;
    for (size_t i = 0; i < r->ncols && !w->rc; i++) {
        const sq_value *v = &r->col[i];
        if ((v->kind != SQ_TEXT && v->kind != SQ_BLOB) || v->n < min)
            continue;
        int enc = v->kind == SQ_BLOB ? SQ_ENC_UTF8 : r->enc;
        if (enc == SQ_ENC_UNKNOWN)
            enc = guess_enc(v->p, v->n);
        jb_add(w, rc->b, v->p, v->n, enc, v->at, flags, time);
    }
    apply_rules(w, f, rc->b, r, flags, 1, time);
    return w->rc;
}

static int janchor_cmp(const void *a, const void *b)
{
    const cont_anchor *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Scan the fields of f's records (whose pages start in f's own range): all
 * joined in one buffer for one matcher call, then each field's containers
 * opened in a frame of its own. */
static void scan_records(scan_worker *w, const frame *f)
{
    jbatch *b = &w->jb[f->depth];
    b->len = b->n = 0;
    rec_ctx rc = {w, f, b};
    sq_records(w->sq[f->depth], f->lo, f->hi, on_record, &rc);
    if (w->rc || b->n == 0)
        return;
    int open = f->depth + 1 < w->eng->max_depth;
    collector c = {{collector_add}, w, f, b->buf, b->len, NULL, 0, b->buf, b->v, b->n, 0};
    b->conts.n = 0;
    match_buffer(w, &c, open ? &b->conts : NULL);
    if (w->rc)
        return;
    size_t nlen = 0;
    if (!find_utf16(w, b->buf, b->len, &nlen)) {
        fail_nomem(w);
        return;
    }
    if (w->nruns) {
        collector n = {{collector_add}, w,         f,    w->narrow, nlen, w->runs,
                       w->nruns,        w->narrow, b->v, b->n,      0};
        match_buffer(w, &n, NULL);
        if (w->rc)
            return;
    }
    if (!open || b->conts.n == 0)
        return;
    /* Each field with container anchors: its anchors, in its own frame. */
    qsort(b->conts.v, b->conts.n, sizeof *b->conts.v, janchor_cmp);
    size_t k = 0;
    for (size_t i = 0; i < b->conts.n && !w->rc;) {
        size_t to = b->conts.v[i].to;
        while (k + 1 < b->n && b->v[k + 1].j < to)
            k++;
        const jfield *fl = &b->v[k];
        cont_vec *v = &w->conts[f->depth + 1];
        v->n = 0;
        for (; i < b->conts.n && b->conts.v[i].to <= fl->j + fl->len; i++) {
            if (b->conts.v[i].to <= fl->j)
                continue;
            if (v->n == v->cap) {
                size_t nc = v->cap ? v->cap * 2 : 64;
                cont_anchor *nv = realloc(v->v, nc * sizeof *nv);
                if (!nv) {
                    fail_nomem(w);
                    return;
                }
                v->v = nv, v->cap = nc;
            }
            v->v[v->n++] = (cont_anchor){b->conts.v[i].to - fl->j, b->conts.v[i].kind};
        }
        if (v->n == 0) {
            if (i < b->conts.n && b->conts.v[i].to <= fl->j)
                i++; /* an anchor on a separator */
            continue;
        }
        char prefix[512];
        frame ff;
        if (field_frame(w, f, fl->at, b->buf + fl->j, fl->len, fl->flags, fl->time, 0, prefix,
                        &ff)) {
            ff.id = fl->id;
            open_containers(w, &ff);
        }
    }
}

/* --- One buffer ---------------------------------------------------------------------- */

static void scan_frame(scan_worker *w, const frame *fin)
{
    const scan_engine *eng = w->eng;
    frame fr = *fin;
    const frame *f = &fr;
    int open = f->depth < eng->max_depth && !f->marks;
    /* SQLite records first, so that raw hits across their fields are known
     * for what they are. */
    if (open && !f->field && f->len >= SCAN_SQLITE_MIN_PAGE) {
        sq_doc **sd = &w->sq[f->depth];
        if (!*sd && sq_doc_new(sd)) {
            fail_nomem(w);
            return;
        }
        size_t align = f->depth == 0
                           ? (size_t)((SCAN_SQLITE_MIN_PAGE - f->offset % SCAN_SQLITE_MIN_PAGE) %
                                      SCAN_SQLITE_MIN_PAGE)
                           : 0;
        if (sq_find(*sd, f->buf, f->len, align)) {
            fail_nomem(w);
            return;
        }
        if (sq_any(*sd))
            fr.sq = *sd;
    }
    /* The matcher sees the records' bytes as zeros: their fields are
     * scanned on their own below, and nothing found in the raw bytes may
     * run into them (contexts still show the real bytes). */
    const uint8_t *mbuf = f->buf;
    if (fr.sq) {
        if (f->len > w->bcap && !bigbuf_grow(&w->blank, &w->bcap, f->len)) {
            fail_nomem(w);
            return;
        }
        sq_blank(fr.sq, f->buf, w->blank, f->len);
        mbuf = w->blank;
    }
    collector c = {{collector_add}, w, f, mbuf, f->len, NULL, 0, f->buf, NULL, 0, 0};
    cont_vec *conts = &w->conts[f->depth];
    conts->n = 0;
    match_buffer(w, &c, open ? conts : NULL);
    if (w->rc)
        return;
    size_t nlen = 0;
    if (!find_utf16(w, mbuf, f->len, &nlen)) {
        fail_nomem(w);
        return;
    }
    if (w->nruns) {
        collector n = {{collector_add}, w,         f,    w->narrow, nlen, w->runs,
                       w->nruns,        w->narrow, NULL, 0,         0};
        match_buffer(w, &n, NULL);
        if (w->rc)
            return;
    }
    if (f->sq) {
        /* The fields re-use the narrow buffer: scan_frame's own use of it is
         * over by now. */
        scan_records(w, f);
        if (w->rc)
            return;
    }
    /* A decoded PDF content stream: its shown text, pieces joined.  Its
     * first text object starts early: only the head is searched (zlib also
     * carries PNG data and much else, where the search would be wasted). */
    size_t head = f->len < 16384 ? f->len : 16384;
    if (open && f->zlib && memmem(f->buf, head, "BT", 2) &&
        (memmem(f->buf, head, "Tj", 2) || memmem(f->buf, head, "TJ", 2))) {
        dec_buf *d = &w->pdf[f->depth];
        dec_marks *mk = &w->pmarks[f->depth];
        size_t budget = SCAN_MAX_EXPANDED > f->held ? SCAN_MAX_EXPANDED - f->held : 0;
        d->len = 0;
        d->cap = 0;
        mk->n = 0;
        int status = dec_pdf_text(f->buf, f->len, d, budget < f->len ? budget : f->len, mk);
        if (status == DEC_NOMEM) {
            fail_nomem(w);
            return;
        }
        if (d->len && mk->n)
            scan_child(w, f, 0, CONT_PDFTEXT, d, status, mk);
        if (w->rc)
            return;
    }
    if (open)
        open_containers(w, f);
}

int scan_worker_page(scan_worker *w, const uint8_t *buf, size_t len, size_t lo, size_t hi,
                     uint64_t report_off, scan_read_fn read, void *read_ctx, uint64_t read_after,
                     hit_list *out, trawl_err *err)
{
    w->out = out;
    w->err = err;
    w->rc = 0;
    w->next_frame = 0;
    w->page_expanded = 0;
    if (w->ddcap > (64u << 10)) {
        /* A big table (from a page dense with hits) makes every look-up a
         * cache miss on the pages after: start small again. */
        free(w->dd);
        w->dd = NULL;
        w->ddcap = 0;
    } else if (w->ddn) {
        memset(w->dd, 0, w->ddcap * sizeof *w->dd);
    }
    w->ddn = 0;
    frame f = {
        .prefix = "",
        .buf = buf,
        .len = len,
        .lo = lo,
        .hi = hi,
        .offset = report_off,
        .read = read,
        .read_ctx = read_ctx,
        .read_after = read_after,
        .time = SCAN_NO_TIME,
    };
    scan_frame(w, &f);
    gate_leave(w);
    /* Hand back what a page full of UTF-16 made us take. */
    if (w->ncap > (1u << 20))
        bigbuf_free(&w->narrow, &w->ncap);
    /* The record buffers of the page's own depth are kept for the next page
     * (mapping them again costs a page fault per 4 KiB); deeper ones, and
     * any grown past a page, are given back. */
    if (w->bcap > SCAN_PAGE_SIZE + 2 * SCAN_MARGIN)
        bigbuf_free(&w->blank, &w->bcap);
    for (int d = 0; d <= SCAN_MAX_DEPTH; d++)
        if (w->jb[d].cap > (d == 0 ? 2 * (size_t)SCAN_PAGE_SIZE : (size_t)1 << 20))
            bigbuf_free(&w->jb[d].buf, &w->jb[d].cap);
    for (int d = 0; d <= SCAN_MAX_DEPTH; d++)
        if (w->dec[d].map > SCAN_BIG_DECODE)
            dec_buf_free(&w->dec[d]);
    if (!w->rc)
        hit_list_sort(out);
    return w->rc;
}
