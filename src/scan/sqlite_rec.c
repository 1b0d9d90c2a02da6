/* sqlite_rec.c: see sqlite_rec.h.  The on-disk format is SQLite's own
 * (https://www.sqlite.org/fileformat2.html): a b-tree page starts with a type
 * byte (2 interior index, 5 interior table, 10 leaf index, 13 leaf table),
 * the first freeblock, the cell count, the start of the cell content area
 * and the fragmented byte count; the cell pointer array follows the 8- or
 * 12-byte header.  Numbers read from the media stay in variables named
 * u_* until they are checked against the page and a limit. */
#include "scan/sqlite_rec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct sq_page {
    size_t start;    /* buffer offset of the page */
    uint32_t pgsz;   /* page size */
    uint32_t usable; /* page size minus the reserved bytes */
    uint32_t hdr;    /* offset of the b-tree header in the page (100 on page 1) */
    int db;          /* database whose header places the page, or -1 */
    uint32_t pgno;   /* page number in that database (or WAL frame), 0 if unknown */
    int enc;         /* SQ_ENC_* */
    int table;       /* schema table, or -1 */
    int reached;     /* a walk from a root page of the schema reached it */
    int orphan;      /* a table leaf of a whole database that no walk reaches (freelist) */
    size_t width;    /* the column count of all its live records (0: none, or mixed) */
    int in_index;    /* a walk from an index's root (not a table's) reached it */
} sq_page;

typedef struct sq_db {
    size_t start; /* buffer offset of page 1 */
    uint32_t pgsz, usable, npages;
    int enc;
    int whole; /* the header's page count is valid and all its pages are in the buffer */
} sq_db;

typedef struct sq_span {
    size_t lo, hi;
} sq_span;

typedef struct sq_tab {
    sq_table t;
    uint32_t root;
    int db;
} sq_tab;

struct sq_doc {
    const uint8_t *buf;
    size_t len;
    sq_page *pages;
    size_t np, pcap;
    sq_db *dbs;
    size_t ndb, dbcap;
    sq_span *spans;
    size_t ns, scap;
    sq_tab *tabs;
    size_t nt, tcap;
    uint8_t *scratch; /* an overflowing payload, assembled */
    size_t xcap;
    uint8_t *seen; /* walk bitmap */
    size_t seencap;
    uint32_t *stack; /* walk stack */
    size_t stcap;
    struct sq_root {
        uint32_t root;
        int db;
        int index; /* an index's root (else a table's) */
    } * roots;     /* every b-tree root the schemas name (tables and indexes) */
    size_t nroots, rcap;
    size_t ncols_kept;                   /* column names kept by tabs, all tables */
    size_t walked;                       /* pages visited by all walks of this buffer */
    int guess[SCAN_SQLITE_MAX_COLS + 1]; /* guess_table's answers + 2 (0: not asked yet) */
    int collect;                         /* sq_find's pass: record spans and schema, no callbacks */
    int oom;
    sq_record rec;
};

/* --- Small readers ------------------------------------------------------ */

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An SQLite varint at p (at most 9 bytes, none past end); returns its
 * length, or 0 if it runs past end. */
static size_t varint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < 9; i++) {
        if (p + i >= end)
            return 0;
        if (i == 8) {
            *v = x << 8 | p[i];
            return 9;
        }
        x = x << 7 | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

/* Bytes of the value a serial type stands for; -1 for the reserved 10, 11. */
static int64_t serial_size(uint64_t t)
{
    static const int8_t fixed[12] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1};
    if (t < 12)
        return fixed[t];
    if (t > ((uint64_t)1 << 40))
        return -1; /* a terabyte field: never a record */
    return (int64_t)((t - 12) / 2);
}

static int is_pow2_page(uint32_t v)
{
    return v >= SCAN_SQLITE_MIN_PAGE && v <= SCAN_SQLITE_MAX_PAGE && (v & (v - 1)) == 0;
}

/* Bytes of a payload of P bytes kept on the page (the rest overflows). */
static uint64_t local_size(uint32_t usable, int table_leaf, uint64_t P)
{
    uint64_t X = table_leaf ? usable - 35 : (uint64_t)(usable - 12) * 64 / 255 - 23;
    if (P <= X)
        return P;
    uint64_t M = (uint64_t)(usable - 12) * 32 / 255 - 23;
    uint64_t K = M + (P - M) % (usable - 4);
    return K <= X ? K : M;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 64;
    void *nv = realloc(*v, nc * size);
    if (!nv)
        return 0;
    *v = nv;
    *cap = nc;
    return 1;
}

static void add_span(sq_doc *d, size_t lo, size_t hi)
{
    if (!d->collect || lo >= hi)
        return;
    if (!grow((void **)&d->spans, &d->scap, d->ns, sizeof *d->spans)) {
        d->oom = 1;
        return;
    }
    d->spans[d->ns++] = (sq_span){lo, hi};
}

/* --- Records ---------------------------------------------------------------- */

/* Text that a deleted record's field must be to count as decoded cleanly:
 * valid UTF-8 (or, with even length, UTF-16 with mostly ASCII) and no
 * control bytes but tab and line ends. */
static int clean_text(const uint8_t *p, size_t n)
{
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++)
        zeros += p[i] == 0;
    if (zeros && n % 2 == 0 && zeros * 4 >= n && zeros * 4 <= 3 * n)
        return 1; /* UTF-16 (about one zero in two): checked no further */
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 0;
            i++;
            continue;
        }
        size_t k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : 0;
        if (!k || c > 0xf4 || i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* The values of serial types types[0..n), whose bodies start at pl[off]
 * (pl holds avail bytes); see decode_record.  Returns the record's end in
 * pl, or 0 when a recovered text field is not clean. */
static size_t fill_values(const uint64_t *types, size_t n, const uint8_t *pl, size_t off,
                          size_t avail, int strict, size_t pl_at, size_t local, size_t cell,
                          sq_record *r)
{
    r->ncols = n;
    for (size_t i = 0; i < n; i++) {
        uint64_t t = types[i];
        size_t sz = (size_t)serial_size(t);
        sq_value *v = &r->col[i];
        memset(v, 0, sizeof *v);
        v->at = off < local ? pl_at + off : cell;
        v->whole = off + sz <= avail;
        if (t == 0) {
            v->kind = SQ_NULL;
        } else if (t <= 6 || t == 8 || t == 9) {
            v->kind = SQ_INT;
            if (t == 9)
                v->i = 1;
            else if (t != 8 && v->whole) {
                uint64_t x = (pl[off] & 0x80) ? ~(uint64_t)0 : 0;
                for (size_t j = 0; j < sz; j++)
                    x = x << 8 | pl[off + j];
                v->i = (int64_t)x;
            }
        } else if (t == 7) {
            v->kind = SQ_REAL;
            if (v->whole) {
                uint64_t x = 0;
                for (size_t j = 0; j < 8; j++)
                    x = x << 8 | pl[off + j];
                memcpy(&v->r, &x, sizeof v->r);
            }
        } else {
            v->kind = (t & 1) ? SQ_TEXT : SQ_BLOB;
            v->p = off < avail ? pl + off : NULL;
            v->n = off >= avail ? 0 : off + sz <= avail ? sz : avail - off;
            if (!strict && v->kind == SQ_TEXT && !clean_text(v->p, v->n))
                return 0;
        }
        off += sz;
    }
    return off;
}

/* Decode the record in pl[0..avail) of a payload of P bytes (avail < P
 * when overflow pages are missing).  strict: the serial types must account
 * for exactly P bytes (a live cell; 2: sq_find's validation, which needs
 * the values of 5-column records only, sqlite_master's); else they must fit in avail and every
 * field decode cleanly (a recovered one).  at_of maps a payload offset to
 * a buffer offset (fields past `local` map to `cell`).  Returns the
 * record's length, or 0 when it is not one. */
static size_t decode_record(const uint8_t *pl, size_t avail, uint64_t P, int strict, size_t pl_at,
                            size_t local, size_t cell, sq_record *r)
{
    const uint8_t *end = pl + avail;
    uint64_t u_h;
    size_t k = varint(pl, end, &u_h);
    if (!k || u_h < 2 || u_h > avail || u_h > P)
        return 0;
    size_t h = (size_t)u_h;
    uint64_t body = 0;
    size_t n = 0, pos = k;
    uint64_t types[SCAN_SQLITE_MAX_COLS];
    while (pos < h) {
        uint64_t t;
        size_t tk = varint(pl + pos, pl + h, &t);
        if (!tk || n == SCAN_SQLITE_MAX_COLS)
            return 0;
        int64_t sz = serial_size(t);
        if (sz < 0)
            return 0;
        body += (uint64_t)sz;
        if (body > P)
            return 0;
        types[n++] = t;
        pos += tk;
    }
    if (n == 0)
        return 0;
    if (strict ? h + body != P : h + body > avail)
        return 0;
    if (strict == 2 && n != 5) { /* validating a live cell: only schema rows' values */
        r->ncols = n;
        return (size_t)(h + body);
    }
    return fill_values(types, n, pl, h, avail, strict, pl_at, local, cell, r);
}

/* Assemble the payload of an overflowing cell into the scratch buffer:
 * the local part, then each overflow page's content, for as long as the
 * pages lie in the buffer.  Returns the bytes assembled. */
static size_t assemble(sq_doc *d, const sq_page *pg, const uint8_t *local, size_t nlocal,
                       uint32_t u_first, uint64_t P)
{
    size_t want = P > SCAN_SQLITE_MAX_PAYLOAD ? SCAN_SQLITE_MAX_PAYLOAD : (size_t)P;
    if (want > d->xcap) {
        uint8_t *nx = realloc(d->scratch, want);
        if (!nx) {
            d->oom = 1;
            return 0;
        }
        d->scratch = nx;
        d->xcap = want;
    }
    size_t have = nlocal < want ? nlocal : want;
    memcpy(d->scratch, local, have);
    if (pg->db < 0)
        return have;
    const sq_db *db = &d->dbs[pg->db];
    uint32_t u_next = u_first;
    /* A chain is at most the pages its payload needs; a loop ends there. */
    size_t steps = (size_t)((P - nlocal) / (db->usable - 4)) + 2;
    while (have < want && u_next && steps--) {
        if (u_next > db->npages)
            break;
        size_t at = db->start + (size_t)(u_next - 1) * db->pgsz;
        if (at + db->pgsz > d->len || at + db->pgsz < at)
            break;
        const uint8_t *op = d->buf + at;
        size_t n = db->usable - 4;
        if (n > want - have)
            n = want - have;
        memcpy(d->scratch + have, op + 4, n);
        add_span(d, at, at + db->pgsz);
        have += n;
        u_next = be32(op);
    }
    return have;
}

/* Parse the cell at page offset c of a leaf-table (13), leaf-index (10) or
 * interior-index (2) page into r.  Returns the cell's end (page offset), or
 * 0 when it is not a valid cell. */
static size_t parse_cell(sq_doc *d, const sq_page *pg, uint8_t type, size_t c, sq_record *r)
{
    const uint8_t *page = d->buf + pg->start;
    const uint8_t *end = page + pg->usable;
    const uint8_t *p = page + c;
    uint64_t P, rowid = 0;
    size_t k;
    if (type == 2)
        p += 4; /* left child */
    if (p >= end || !(k = varint(p, end, &P)))
        return 0;
    p += k;
    if (type == 13) {
        if (!(k = varint(p, end, &rowid)))
            return 0;
        p += k;
    }
    if (P == 0 || P > ((uint64_t)1 << 40))
        return 0;
    uint64_t local = local_size(pg->usable, type == 13, P);
    size_t pl_off = (size_t)(p - page);
    size_t cell_end = pl_off + (size_t)local + (local < P ? 4 : 0);
    if (cell_end > pg->usable)
        return 0;
    r->rowid = (int64_t)rowid;
    r->cell = pg->start + c;
    size_t used;
    if (local == P) {
        used = decode_record(p, (size_t)P, P, d->collect ? 2 : 1, pg->start + pl_off, (size_t)P,
                             r->cell, r);
    } else {
        size_t have = assemble(d, pg, p, (size_t)local, be32(page + pl_off + (size_t)local), P);
        if (d->oom)
            return 0;
        /* Check the header against the whole payload when it is all here,
         * else only that the serial types fit the payload's size. */
        used = decode_record(d->scratch, have, P, have == P, pg->start + pl_off, (size_t)local,
                             r->cell, r);
    }
    if (!used)
        return 0;
    add_span(d, pg->start + c, pg->start + cell_end);
    return cell_end;
}

/* --- Pages ------------------------------------------------------------------ */

static void schema_row(sq_doc *d, const sq_page *pg, const sq_record *r);

/* What a page's validation added (spans, schema rows), to take back when
 * the page turns out not to be one. */
typedef struct sq_mark {
    size_t ns, nt, nroots;
} sq_mark;

static sq_mark doc_mark(const sq_doc *d)
{
    return (sq_mark){d->ns, d->nt, d->nroots};
}

static void doc_rollback(sq_doc *d, sq_mark m)
{
    d->ns = m.ns;
    while (d->nt > m.nt) {
        d->nt--;
        d->ncols_kept -= d->tabs[d->nt].t.ncols;
        free(d->tabs[d->nt].t.cols);
    }
    d->nroots = m.nroots;
}

/* Check the page header and cell pointers of pg; if cells is set, parse
 * every cell (all must be valid) and set pg->width.  *max_end is the
 * largest end of a cell or freeblock.  Returns the cell count, or -1 if pg
 * is not a b-tree page. */
static long check_page(sq_doc *d, sq_page *pg, int cells, size_t *max_end)
{
    const uint8_t *page = d->buf + pg->start;
    const uint8_t *h = page + pg->hdr;
    uint8_t type = h[0];
    if (type != 2 && type != 5 && type != 10 && type != 13)
        return -1;
    size_t hl = type == 2 || type == 5 ? 12 : 8;
    uint32_t u_fb = be16(h + 1), u_n = be16(h + 3), u_cs = be16(h + 5);
    if (u_cs == 0)
        u_cs = 65536;
    if (h[7] > 60) /* SQLite defragments before 60 fragmented bytes */
        return -1;
    size_t ptr_end = pg->hdr + hl + 2 * (size_t)u_n;
    if (ptr_end > pg->usable || u_cs < ptr_end || u_cs > pg->usable)
        return -1;
    if (u_fb && (u_fb < ptr_end || u_fb + 4 > pg->usable))
        return -1;
    size_t mx = 0, width = 0;
    int mixed = 0;
    /* Freeblocks: ascending offsets, each inside the page. */
    for (uint32_t fb = u_fb, steps = 0; fb; steps++) {
        if (fb + 4 > pg->usable || steps > pg->usable / 4)
            return -1;
        uint32_t u_next = be16(page + fb), u_size = be16(page + fb + 2);
        if (u_size < 4 || fb + u_size > pg->usable || (u_next && u_next <= fb))
            return -1;
        if (fb + u_size > mx)
            mx = fb + u_size;
        fb = u_next;
    }
    for (size_t i = 0; i < u_n; i++) {
        uint32_t u_c = be16(h + hl + 2 * i);
        if (u_c < u_cs || u_c + 4 > pg->usable)
            return -1;
        size_t e;
        if (type == 5) {
            uint64_t rowid;
            size_t k = varint(page + u_c + 4, page + pg->usable, &rowid);
            if (!k)
                return -1;
            e = u_c + 4 + k;
        } else if (cells) {
            e = parse_cell(d, pg, type, u_c, &d->rec);
            if (!e)
                return -1;
            if (type == 13) /* sqlite_master rows: the schema */
                schema_row(d, pg, &d->rec);
            mixed |= width && width != d->rec.ncols;
            width = d->rec.ncols;
        } else {
            e = u_c + 4;
        }
        if (e > mx)
            mx = e;
    }
    *max_end = mx;
    if (cells)
        pg->width = mixed ? 0 : width;
    return (long)u_n;
}

static int add_page(sq_doc *d, const sq_page *pg)
{
    if (!grow((void **)&d->pages, &d->pcap, d->np, sizeof *d->pages)) {
        d->oom = 1;
        return 0;
    }
    d->pages[d->np++] = *pg;
    return 1;
}

/* A page whose size is known (a database, WAL frame or journal record). */
static void try_known(sq_doc *d, size_t start, uint32_t pgsz, uint32_t usable, uint32_t hdr, int db,
                      uint32_t pgno, int enc)
{
    if (start + pgsz > d->len || start + pgsz < start)
        return;
    sq_page pg = {start, pgsz, usable, hdr, db, pgno, enc, -1, 0, 0, 0, 0};
    size_t mx;
    sq_mark m = doc_mark(d);
    long n = check_page(d, &pg, 1, &mx);
    if (n < 0 || (n == 0 && d->buf[start + hdr] != 13)) {
        doc_rollback(d, m);
        return;
    }
    add_page(d, &pg);
}

/* A bare page: try each page size from the smallest its pointers allow,
 * and take the first whose cells all parse and reach past its half (the
 * content area grows down from the page's end). */
static uint32_t try_bare(sq_doc *d, size_t start)
{
    const uint8_t *h = d->buf + start;
    uint8_t type = h[0];
    if (type != 13 && type != 10)
        return 0;
    if (d->len - start < SCAN_SQLITE_MIN_PAGE || h[7] > 60)
        return 0;
    uint32_t u_n = be16(h + 3), u_cs = be16(h + 5);
    if (u_n == 0)
        return 0;
    for (uint32_t size = SCAN_SQLITE_MIN_PAGE; size <= SCAN_SQLITE_MAX_PAGE; size <<= 1) {
        if (start + size > d->len)
            break;
        if ((u_cs ? u_cs : 65536) > size)
            continue;
        sq_page pg = {start, size, size, 0, -1, 0, SQ_ENC_UNKNOWN, -1, 0, 0, 0, 0};
        size_t mx = 0;
        if (check_page(d, &pg, 0, &mx) < 0)
            continue; /* pointers out of range for this size: try a bigger one */
        if (mx <= size / 2)
            continue;
        sq_mark m = doc_mark(d);
        if (check_page(d, &pg, 1, &mx) < 0) {
            doc_rollback(d, m);
            continue;
        }
        add_page(d, &pg);
        return size;
    }
    return 0;
}

static int page_cmp(const void *a, const void *b)
{
    const sq_page *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static int span_cmp(const void *a, const void *b)
{
    const sq_span *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return (x->hi > y->hi) - (x->hi < y->hi);
}

static sq_page *find_page(sq_doc *d, size_t start)
{
    size_t lo = 0, hi = d->np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->pages[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->np && d->pages[lo].start == start ? &d->pages[lo] : NULL;
}

/* --- Headers: databases, WAL, journals --------------------------------------- */

static void find_db(sq_doc *d, size_t at)
{
    const uint8_t *h = d->buf + at;
    if (d->len - at < 100 || memcmp(h, "SQLite format 3", 16) != 0)
        return;
    uint32_t pgsz = be16(h + 16);
    if (pgsz == 1)
        pgsz = 65536;
    if (!is_pow2_page(pgsz) || h[20] > 64)
        return;
    uint32_t usable = pgsz - h[20];
    uint32_t u_enc = be32(h + 56), u_np = be32(h + 28);
    int enc = u_enc >= 1 && u_enc <= 3 ? (int)u_enc : SQ_ENC_UTF8;
    /* The in-header size is valid when its version stamp matches. */
    size_t fit = (d->len - at) / pgsz;
    int whole = 1;
    if (u_np == 0 || be32(h + 92) != be32(h + 24) || u_np > fit) {
        /* No valid size (SQLite before 3.7.0 kept none): the pages up to
         * the next database's header, else the end of the buffer. */
        size_t o = SCAN_SQLITE_MIN_PAGE, end = fit * pgsz;
        while (o < end && memcmp(d->buf + at + o, "SQLite format 3", 16) != 0)
            o += SCAN_SQLITE_MIN_PAGE;
        size_t k = o < end && o >= pgsz ? o / pgsz : o < end ? 1 : fit;
        u_np = (uint32_t)(k > 0x7fffffff ? 0x7fffffff : k);
        whole = 0;
    }
    if (!grow((void **)&d->dbs, &d->dbcap, d->ndb, sizeof *d->dbs)) {
        d->oom = 1;
        return;
    }
    int db = (int)d->ndb;
    d->dbs[d->ndb++] = (sq_db){at, pgsz, usable, u_np, enc, whole};
    for (uint32_t n = 1; n <= u_np && !d->oom; n++)
        try_known(d, at + (size_t)(n - 1) * pgsz, pgsz, usable, n == 1 ? 100 : 0, db, n, enc);
}

static void find_wal(sq_doc *d, size_t at)
{
    const uint8_t *h = d->buf + at;
    if (d->len - at < 32)
        return;
    uint32_t magic = be32(h), pgsz = be32(h + 8);
    if ((magic != 0x377f0682 && magic != 0x377f0683) || be32(h + 4) != 3007000 ||
        !is_pow2_page(pgsz))
        return;
    int enc = SQ_ENC_UNKNOWN;
    size_t fr = at + 32;
    for (size_t k = 0; k < SCAN_SQLITE_MAX_FRAMES && fr + 24 + pgsz <= d->len && !d->oom; k++) {
        uint32_t pgno = be32(d->buf + fr);
        if (pgno == 0)
            break;
        const uint8_t *pp = d->buf + fr + 24;
        if (pgno == 1 && memcmp(pp, "SQLite format 3", 16) == 0) {
            uint32_t e = be32(pp + 56);
            if (e >= 1 && e <= 3)
                enc = (int)e;
        }
        try_known(d, fr + 24, pgsz, pgsz, pgno == 1 ? 100 : 0, -1, pgno, enc);
        fr += 24 + (size_t)pgsz;
    }
}

/* A rollback journal: a header (magic, record count, sector and page
 * size), its records (page number, page, checksum), then, after each sync,
 * another header on the next sector boundary with more records. */
static void find_journal(sq_doc *d, size_t at)
{
    static const uint8_t magic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
    const uint8_t *h = d->buf + at;
    if (d->len - at < 28 || memcmp(h, magic, 8) != 0)
        return;
    uint32_t sector = be32(h + 20), pgsz = be32(h + 24);
    if (!is_pow2_page(pgsz) || sector < 512 || sector > 65536 || (sector & (sector - 1)))
        return;
    size_t hdr = at, total = 0;
    /* A later header still being written has its magic zeroed: its sizes
     * must then match the first header's. */
    static const uint8_t zero[8] = {0};
    while (hdr + 28 <= d->len && !d->oom &&
           (hdr == at ||
            ((memcmp(d->buf + hdr, magic, 8) == 0 || memcmp(d->buf + hdr, zero, 8) == 0) &&
             memcmp(d->buf + hdr + 20, h + 20, 8) == 0))) {
        uint32_t u_nrec = be32(d->buf + hdr + 8);
        /* 0 (or -1): the count was not written; read while records look sound */
        size_t count = u_nrec == 0 || u_nrec == 0xffffffff ? SCAN_SQLITE_MAX_FRAMES : u_nrec;
        size_t r = hdr + sector;
        for (size_t k = 0;
             k < count && total < SCAN_SQLITE_MAX_FRAMES && r + 8 + pgsz <= d->len && !d->oom;
             k++, total++) {
            uint32_t pgno = be32(d->buf + r);
            if (pgno == 0)
                break;
            try_known(d, r + 4, pgsz, pgsz, pgno == 1 ? 100 : 0, -1, pgno, SQ_ENC_UNKNOWN);
            r += 8 + (size_t)pgsz;
        }
        size_t next = at + (r - at + sector - 1) / sector * sector;
        if (next <= hdr || total >= SCAN_SQLITE_MAX_FRAMES)
            break;
        hdr = next;
    }
}

/* --- Schema ------------------------------------------------------------------- */

static int ci_prefix(const uint8_t *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (n < l)
        return 0;
    for (size_t i = 0; i < l; i++)
        if (tolower(p[i]) != lit[i])
            return 0;
    return 1;
}

/* Copy an identifier (bare, "quoted", `quoted` or [bracketed]) from s,
 * lower case; returns the bytes taken. */
static size_t ident(const uint8_t *s, size_t n, char *out)
{
    size_t i = 0, o = 0;
    while (i < n && isspace(s[i]))
        i++;
    if (i < n && (s[i] == '"' || s[i] == '`' || s[i] == '[' || s[i] == '\'')) {
        uint8_t close = s[i] == '[' ? ']' : s[i];
        for (i++; i < n && s[i] != close; i++)
            if (o + 1 < SCAN_SQLITE_MAX_NAME)
                out[o++] = (char)tolower(s[i]);
        i++;
    } else {
        for (; i < n && (isalnum(s[i]) || s[i] == '_' || s[i] >= 0x80); i++)
            if (o + 1 < SCAN_SQLITE_MAX_NAME)
                out[o++] = (char)tolower(s[i]);
    }
    out[o] = 0;
    return i;
}

/* Column names of a CREATE TABLE statement: each top-level definition in
 * the parentheses that is not a table constraint. */
static void add_table(sq_doc *d, const uint8_t *name, size_t nlen, int64_t root, int db,
                      const uint8_t *sql, size_t n)
{
    if (d->nt >= SCAN_SQLITE_MAX_TABLES || d->ncols_kept >= SCAN_SQLITE_MAX_SCHEMA_COLS ||
        root < 1 || root > 0x7fffffff)
        return;
    const uint8_t *open = memchr(sql, '(', n);
    if (!open)
        return;
    char(*cols)[SCAN_SQLITE_MAX_NAME] = calloc(SCAN_SQLITE_MAX_COLS, sizeof *cols);
    if (!cols) {
        d->oom = 1;
        return;
    }
    size_t nc = 0, i = (size_t)(open - sql) + 1;
    int ipk = -1;
    while (i < n && nc < SCAN_SQLITE_MAX_COLS) {
        size_t s = i;
        int depth = 0;
        for (; i < n; i++) {
            if (sql[i] == '(')
                depth++;
            else if (sql[i] == ')' && depth-- == 0)
                break;
            else if (sql[i] == ',' && depth == 0)
                break;
        }
        const uint8_t *def = sql + s;
        size_t dl = i - s;
        while (dl && isspace(*def))
            def++, dl--;
        static const char *const constraints[] = {"primary", "unique", "check", "foreign",
                                                  "constraint"};
        int is_con = 0;
        for (size_t c = 0; c < 5; c++)
            if (ci_prefix(def, dl, constraints[c]) &&
                (dl == strlen(constraints[c]) || !isalnum(def[strlen(constraints[c])])))
                is_con = 1;
        if (!is_con && dl) {
            size_t used = ident(def, dl, cols[nc]);
            /* "x INTEGER PRIMARY KEY" is the rowid: stored as NULL */
            const uint8_t *rest = def + used;
            size_t rl = dl - used;
            while (rl && isspace(*rest))
                rest++, rl--;
            if (ci_prefix(rest, rl, "integer primary key"))
                ipk = (int)nc;
            if (cols[nc][0])
                nc++;
        }
        if (i >= n || sql[i] == ')')
            break;
        i++;
    }
    if (nc == 0 || !grow((void **)&d->tabs, &d->tcap, d->nt, sizeof *d->tabs)) {
        free(cols);
        d->oom |= nc != 0;
        return;
    }
    /* Many small databases in one buffer: keep only the names there are. */
    char(*fit)[SCAN_SQLITE_MAX_NAME] = realloc(cols, nc * sizeof *cols);
    if (fit)
        cols = fit;
    d->ncols_kept += nc;
    sq_tab *t = &d->tabs[d->nt++];
    memset(t, 0, sizeof *t);
    size_t l = nlen < SCAN_SQLITE_MAX_NAME - 1 ? nlen : SCAN_SQLITE_MAX_NAME - 1;
    for (size_t j = 0; j < l; j++)
        t->t.name[j] = (char)tolower(name[j]);
    t->t.ncols = nc;
    t->t.cols = cols;
    t->t.ipk = ipk;
    t->root = (uint32_t)root;
    t->db = db;
}

/* sqlite_master rows: (type, name, tbl_name, rootpage, sql). */
static void schema_row(sq_doc *d, const sq_page *pg, const sq_record *r)
{
    if (r->ncols != 5 || r->col[0].kind != SQ_TEXT || r->col[1].kind != SQ_TEXT ||
        r->col[3].kind != SQ_INT || (r->col[4].kind != SQ_TEXT && r->col[4].kind != SQ_NULL))
        return;
    char type[8];
    size_t tn = 0, step = 1, o = 0;
    if (pg->enc == SQ_ENC_UTF16LE || pg->enc == SQ_ENC_UTF16BE)
        step = 2, o = pg->enc == SQ_ENC_UTF16BE;
    for (size_t i = o; i < r->col[0].n && tn < sizeof type - 1; i += step)
        type[tn++] = (char)r->col[0].p[i];
    type[tn] = 0;
    int is_table = !strcmp(type, "table");
    if (!is_table && strcmp(type, "index") != 0)
        return;
    /* Every root, whatever its statement says, so that no live tree is
     * taken for a freelist page. */
    if (pg->db >= 0 && r->col[3].i >= 1 && r->col[3].i <= 0x7fffffff &&
        d->nroots < SCAN_SQLITE_MAX_TABLES * 4) {
        if (!grow((void **)&d->roots, &d->rcap, d->nroots, sizeof *d->roots)) {
            d->oom = 1;
            return;
        }
        d->roots[d->nroots++] = (struct sq_root){(uint32_t)r->col[3].i, pg->db, !is_table};
    }
    if (!is_table || r->col[4].kind != SQ_TEXT)
        return;
    /* UTF-16 schemas hold their names in UTF-16: narrow the ASCII of both. */
    uint8_t name[SCAN_SQLITE_MAX_NAME], *sql = NULL;
    const uint8_t *np = r->col[1].p, *sp = r->col[4].p;
    size_t nn = r->col[1].n, sn = r->col[4].n;
    if (pg->enc == SQ_ENC_UTF16LE || pg->enc == SQ_ENC_UTF16BE) {
        size_t o = pg->enc == SQ_ENC_UTF16LE ? 0 : 1, k = 0;
        for (size_t i = o; i < nn && k < sizeof name; i += 2)
            name[k++] = np[i];
        nn = k;
        np = name;
        sql = malloc(sn / 2 + 1);
        if (!sql) {
            d->oom = 1;
            return;
        }
        k = 0;
        for (size_t i = o; i < sn; i += 2)
            sql[k++] = sp[i];
        sp = sql;
        sn = k;
    }
    if (d->nt < SCAN_SQLITE_MAX_TABLES &&
        (ci_prefix(sp, sn, "create table") || ci_prefix(sp, sn, "create virtual table")))
        add_table(d, np, nn, r->col[3].i, pg->db, sp, sn);
    free(sql);
}

/* Walk the b-tree from root page `root` of database db, marking each page
 * reached (and, index set, as an index's) and each table page with table t
 * (-1: none, as for sqlite_master's own tree and indexes).  Each
 * page is visited once (a page that is its own parent, or any loop, ends
 * there), and at most SCAN_SQLITE_MAX_TREE pages in all, and
 * SCAN_SQLITE_MAX_WALKED for all walks of the buffer (thousands of roots
 * naming one big tree). */
static void walk_tree(sq_doc *d, int dbi, uint32_t root, int t, int index)
{
    const sq_db *db = &d->dbs[dbi];
    size_t bytes = (size_t)db->npages / 8 + 1;
    if (bytes > d->seencap) {
        uint8_t *ns = realloc(d->seen, bytes);
        if (!ns) {
            d->oom = 1;
            return;
        }
        d->seen = ns, d->seencap = bytes;
    }
    memset(d->seen, 0, bytes);
    size_t sp = 0, visits = 0;
    if (d->walked >= SCAN_SQLITE_MAX_WALKED)
        return;
    if (!grow((void **)&d->stack, &d->stcap, sp, sizeof *d->stack)) {
        d->oom = 1;
        return;
    }
    d->stack[sp++] = root;
    while (sp && visits++ < SCAN_SQLITE_MAX_TREE && d->walked++ < SCAN_SQLITE_MAX_WALKED) {
        uint32_t n = d->stack[--sp];
        if (n < 1 || n > db->npages || (d->seen[n / 8] & (1u << (n % 8))))
            continue; /* out of the file, or visited: a loop ends here */
        d->seen[n / 8] |= (uint8_t)(1u << (n % 8));
        sq_page *pg = find_page(d, db->start + (size_t)(n - 1) * db->pgsz);
        if (!pg)
            continue;
        pg->reached = 1;
        pg->in_index |= index;
        const uint8_t *h = d->buf + pg->start + pg->hdr;
        /* An interior page's gap may keep cells from when it was a leaf
         * of the same tree: they are read as the table's too. */
        if ((h[0] == 13 || h[0] == 5) && t >= 0)
            pg->table = t;
        if (h[0] != 5 && h[0] != 2)
            continue;
        uint32_t nc = be16(h + 3); /* checked against the page by check_page */
        /* Children: each cell's left pointer, then the right-most. */
        for (uint32_t i = 0; i <= nc; i++) {
            if (!grow((void **)&d->stack, &d->stcap, sp, sizeof *d->stack)) {
                d->oom = 1;
                return;
            }
            d->stack[sp++] =
                i == nc ? be32(h + 8) : be32(d->buf + pg->start + be16(h + 12 + 2 * i));
        }
    }
}

/* Mark the pages of each table's b-tree with the table.  In a database
 * wholly in the buffer whose schema was read, a table leaf no walk reaches
 * is a freelist page (or an orphan): its rows are deleted ones. */
static void walk_tables(sq_doc *d)
{
    for (size_t t = 0; t < d->nt && !d->oom; t++)
        if (d->tabs[t].db >= 0)
            walk_tree(d, d->tabs[t].db, d->tabs[t].root, (int)t, 0);
    for (size_t k = 0; k < d->nroots && !d->oom; k++)
        if (d->roots[k].index)
            walk_tree(d, d->roots[k].db, d->roots[k].root, -1, 1);
    for (size_t i = 0; i < d->ndb && !d->oom; i++) {
        int schema = 0;
        for (size_t t = 0; t < d->nt; t++)
            schema |= d->tabs[t].db == (int)i;
        if (!schema || !d->dbs[i].whole)
            continue;
        walk_tree(d, (int)i, 1, -1, 0);
        for (size_t k = 0; k < d->nroots && !d->oom; k++)
            if (d->roots[k].db == (int)i && !d->roots[k].index)
                walk_tree(d, (int)i, d->roots[k].root, -1, 0);
        for (size_t k = 0; k < d->np; k++) {
            sq_page *pg = &d->pages[k];
            if (pg->db == (int)i && !pg->reached && d->buf[pg->start + pg->hdr] == 13)
                pg->orphan = 1;
        }
    }
}

/* --- The doc ------------------------------------------------------------------- */

int sq_doc_new(sq_doc **out)
{
    sq_doc *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    *out = d;
    return 0;
}

static void clear_tables(sq_doc *d)
{
    for (size_t i = 0; i < d->nt; i++)
        free(d->tabs[i].t.cols);
    d->nt = 0;
    d->ncols_kept = 0;
}

void sq_doc_free(sq_doc *d)
{
    if (!d)
        return;
    clear_tables(d);
    free(d->pages);
    free(d->dbs);
    free(d->spans);
    free(d->tabs);
    free(d->scratch);
    free(d->seen);
    free(d->stack);
    free(d->roots);
    free(d);
}

/* The free space of a page (its gap and freeblocks) holds what is left of
 * deleted cells: the records recovered from it are scanned field by field,
 * and the rest is remnants whose field boundaries are unknown (a URL glued
 * to the next column's text, or to serial types), so no raw hit may touch
 * it either. */
static void free_spans(sq_doc *d, const sq_page *pg)
{
    const uint8_t *page = d->buf + pg->start;
    const uint8_t *h = page + pg->hdr;
    uint32_t u_n = be16(h + 3), u_cs = be16(h + 5); /* checked by check_page */
    size_t lo = pg->hdr + (h[0] == 5 || h[0] == 2 ? 12 : 8) + 2 * (size_t)u_n;
    add_span(d, pg->start + lo, pg->start + (u_cs ? u_cs : 65536));
    size_t steps = 0;
    for (uint32_t fb = be16(h + 1); fb && fb + 4 <= pg->usable && steps++ < pg->usable / 4;
         fb = be16(page + fb)) {
        uint32_t sz = be16(page + fb + 2);
        if (fb + sz > pg->usable)
            break;
        add_span(d, pg->start + fb, pg->start + fb + sz);
    }
}

static int iter_page(sq_doc *d, sq_page *pg, sq_record_fn fn, void *ctx);
static int recover(sq_doc *d, sq_page *pg, sq_record_fn fn, void *ctx);

int sq_find(sq_doc *d, const uint8_t *buf, size_t len, size_t align)
{
    d->buf = buf;
    d->len = len;
    d->np = d->ndb = d->ns = d->nroots = 0;
    d->oom = 0;
    clear_tables(d);
    if (d->xcap > SCAN_SQLITE_MAX_PAYLOAD / 4) { /* give back a big payload's copy */
        free(d->scratch);
        d->scratch = NULL;
        d->xcap = 0;
    }
    d->collect = 1;
    memset(d->guess, 0, sizeof d->guess);
    d->walked = 0;
    const size_t step = SCAN_SQLITE_MIN_PAGE;
    /* Files first: their headers say the page size. */
    for (size_t at = align; at + 32 <= len && !d->oom; at += step) {
        uint8_t c = buf[at];
        if (c == 'S')
            find_db(d, at);
        else if (c == 0x37)
            find_wal(d, at);
        else if (c == 0xd9)
            find_journal(d, at);
    }
    size_t known = d->np;
    if (d->np > 1)
        qsort(d->pages, d->np, sizeof *d->pages, page_cmp);
    /* Then bare pages, on the boundaries no known page covers. */
    size_t k = 0, covered = 0;
    for (size_t at = align; at + SCAN_SQLITE_MIN_PAGE <= len && !d->oom; at += step) {
        while (k < known && d->pages[k].start + d->pages[k].pgsz <= at)
            k++;
        if (at < covered || (k < known && d->pages[k].start <= at))
            continue;
        uint8_t c = buf[at];
        if (c != 13 && c != 10)
            continue;
        uint32_t size = try_bare(d, at);
        if (size)
            covered = at + size;
    }
    if (d->np > known && d->np > 1)
        qsort(d->pages, d->np, sizeof *d->pages, page_cmp);
    /* Validation read the schema and the live cells' spans; now which
     * table each page holds, and the pages' free space (where the deleted
     * records that sq_records recovers lie). */
    walk_tables(d);
    for (size_t i = 0; i < d->np && !d->oom; i++)
        free_spans(d, &d->pages[i]);
    if (d->ns > 1)
        qsort(d->spans, d->ns, sizeof *d->spans, span_cmp);
    size_t m = 0; /* merge overlapping spans */
    for (size_t i = 0; i < d->ns; i++) {
        if (m && d->spans[i].lo <= d->spans[m - 1].hi) {
            if (d->spans[i].hi > d->spans[m - 1].hi)
                d->spans[m - 1].hi = d->spans[i].hi;
        } else {
            d->spans[m++] = d->spans[i];
        }
    }
    d->ns = m;
    d->collect = 0;
    return d->oom ? -1 : 0;
}

void sq_blank(const sq_doc *d, const uint8_t *src, uint8_t *out, size_t len)
{
    size_t at = 0; /* spans are sorted and merged: each byte is written once */
    for (size_t i = 0; i < d->ns && at < len; i++) {
        size_t lo = d->spans[i].lo < len ? d->spans[i].lo : len;
        size_t hi = d->spans[i].hi < len ? d->spans[i].hi : len;
        if (lo > at)
            memcpy(out + at, src + at, lo - at);
        if (hi > lo)
            memset(out + lo, 0, hi - lo);
        at = hi > at ? hi : at;
    }
    if (at < len)
        memcpy(out + at, src + at, len - at);
}

int sq_any(const sq_doc *d)
{
    return d->ns > 0;
}

int sq_in_record(const sq_doc *d, size_t lo, size_t hi)
{
    size_t a = 0, b = d->ns; /* first span with hi > lo */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (d->spans[mid].hi <= lo)
            a = mid + 1;
        else
            b = mid;
    }
    return a < d->ns && d->spans[a].lo < hi;
}

const sq_table *sq_doc_table(const sq_doc *d, int table)
{
    return table >= 0 && (size_t)table < d->nt ? &d->tabs[table].t : NULL;
}

/* The table a record of a page no walk reached belongs to: the only known
 * table with its column count. */
static int guess_table(sq_doc *d, size_t ncols)
{
    if (ncols <= SCAN_SQLITE_MAX_COLS && d->guess[ncols])
        return d->guess[ncols] - 2;
    int found = -1;
    for (size_t t = 0; t < d->nt; t++) {
        if (d->tabs[t].t.ncols != ncols)
            continue;
        if (found >= 0 && strcmp(d->tabs[found].t.name, d->tabs[t].t.name) != 0) {
            found = -1;
            break;
        }
        found = (int)t;
    }
    if (ncols <= SCAN_SQLITE_MAX_COLS)
        d->guess[ncols] = found + 2;
    return found;
}

static int deliver(sq_doc *d, sq_page *pg, sq_record_fn fn, void *ctx, sq_record *r)
{
    if (d->collect)
        return 0;
    r->page = pg->start;
    r->enc = pg->enc;
    r->table = pg->table >= 0 ? pg->table : guess_table(d, r->ncols);
    if (r->nameless || (pg->table >= 0 && r->ncols > d->tabs[pg->table].t.ncols))
        r->table = -1;
    return fn(ctx, r);
}

/* The serial type of a first column whose type was lost, from the bytes
 * left for it: none (NULL), clean UTF-8 text (names and URLs), an integer
 * of a size SQLite stores (Chrome's creation_utc), UTF-16 text, else not
 * a record. */
static int lost_type(const uint8_t *p, size_t n, uint64_t *t)
{
    static const uint8_t int_type[9] = {0, 1, 2, 3, 4, 0, 5, 0, 6};
    int text = clean_text(p, n);
    if (n == 0)
        *t = 0;
    else if (text && !memchr(p, 0, n))
        *t = 2 * (uint64_t)n + 13;
    else if (n <= 8 && int_type[n])
        *t = int_type[n];
    else if (text)
        *t = 2 * (uint64_t)n + 13;
    else
        return 0;
    return 1;
}

/* A deleted record whose header lost its start to the freeblock's own 4
 * bytes (the payload size, the rowid, the header length and, for small
 * rowids, the first serial type): the serial types of the last want -
 * missing columns start at page[s]; a missing first column is what the
 * freeblock's size leaves for it (lost_type). */
static size_t headless(const uint8_t *page, size_t s, size_t hi, size_t want, size_t missing,
                       size_t page_start, sq_record *r)
{
    uint64_t types[SCAN_SQLITE_MAX_COLS];
    size_t p = s;
    uint64_t known = 0;
    if (want < 2 || want > SCAN_SQLITE_MAX_COLS)
        return 0;
    for (size_t i = missing; i < want; i++) {
        size_t k = varint(page + p, page + hi, &types[i]);
        int64_t sz = k ? serial_size(types[i]) : -1;
        if (sz < 0)
            return 0;
        known += (uint64_t)sz;
        p += k;
    }
    if (known == 0 || known > hi - p)
        return 0; /* the fields read hold nothing: zeros, or a stale pointer */
    size_t rest = hi - p - (size_t)known;
    if (missing && !lost_type(page + p, rest, &types[0]))
        return 0;
    size_t end =
        fill_values(types, want, page + p, 0, hi - p, 0, page_start + p, hi - p, page_start + s, r);
    return end ? p - s + end : 0;
}

/* Deleted records of a leaf-table page: in each freeblock, a record header
 * a few bytes after its start (the freeblock's own 4 bytes overwrote the
 * cell's payload size and rowid, and perhaps more), then cells that follow
 * it whole; in the gap between the pointer array and the content area,
 * whole cells (payload size, rowid and a header that accounts for it). */
static int recover(sq_doc *d, sq_page *pg, sq_record_fn fn, void *ctx)
{
    const uint8_t *page = d->buf + pg->start;
    const uint8_t *h = page + pg->hdr;
    sq_record *r = &d->rec;
    /* The record's width: its table's, else that of the page's live ones
     * (a carved page: a known schema of that width names its columns). */
    size_t want = pg->table >= 0 ? d->tabs[pg->table].t.ncols : pg->width;
    uint32_t u_n = be16(h + 3), u_cs = be16(h + 5);
    size_t gap_lo = pg->hdr + (h[0] == 5 ? 12 : 8) + 2 * (size_t)u_n, gap_hi = u_cs ? u_cs : 65536;
    int rc = 0;
    /* Whole cells in [lo, hi). */
    for (int pass = 0; pass < (h[0] == 13 ? 2 : 1) && !rc; pass++) {
        uint32_t fb = be16(h + 1);
        size_t steps = 0;
        size_t lo, hi;
        for (;;) {
            if (pass == 0) {
                lo = gap_lo, hi = gap_hi;
            } else {
                if (!fb || fb + 4 > pg->usable || steps++ > pg->usable / 4)
                    break;
                lo = fb, hi = fb + be16(page + fb + 2);
                fb = be16(page + fb);
                if (hi > pg->usable)
                    break;
                /* The header, SCAN_SQLITE_RECOVER_SLACK bytes at most in,
                 * with the record's width when it is known; else one with
                 * its first serial types lost (headless); else, fewer
                 * columns than the width, whose names are then unknown. */
                size_t got = 0;
                for (int tries = 0; tries < 4 && !got && !rc; tries++) {
                    if (tries == 1 || tries == 2) {
                        if (want < 2)
                            continue;
                        got = headless(page, lo + 4, hi, want, (size_t)(tries - 1), pg->start, r);
                        if (got) {
                            r->cell = pg->start + lo;
                            r->rowid = 0;
                            r->deleted = 1;
                            add_span(d, pg->start + lo + 4, pg->start + lo + 4 + got);
                            rc = deliver(d, pg, fn, ctx, r);
                            lo = lo + 4 + got;
                        }
                        continue;
                    }
                    if (tries == 3 && !want)
                        break;
                    for (size_t s = lo + 4; s < lo + 4 + SCAN_SQLITE_RECOVER_SLACK && s < hi; s++) {
                        got = decode_record(page + s, hi - s, hi - s, 0, pg->start + s, hi - s,
                                            pg->start + s, r);
                        if (got && r->ncols >= 2 &&
                            (!want || (tries == 0 ? r->ncols == want : r->ncols < want))) {
                            r->cell = pg->start + s;
                            r->rowid = 0;
                            r->deleted = 1;
                            r->nameless = tries == 3;
                            add_span(d, pg->start + s, pg->start + s + got);
                            rc = deliver(d, pg, fn, ctx, r);
                            r->nameless = 0;
                            lo = s + got;
                            break;
                        }
                        got = 0;
                    }
                }
                if (rc)
                    break;
            }
            for (size_t p = lo; p + 3 < hi && !rc;) {
                /* Neither a cell (its payload size is not 0) nor a stale
                 * freeblock header (its size is not 0) starts in a run of
                 * zeros more than 3 bytes before its end. */
                if (!page[p]) {
                    size_t q = p + 1;
                    while (q < hi && !page[q])
                        q++;
                    if (q >= hi)
                        break;
                    if (q > p + 3) {
                        p = q - 3;
                        continue;
                    }
                }
                uint64_t P, rowid;
                size_t k1 = varint(page + p, page + hi, &P), k2 = 0;
                if (k1 && P >= 2 && P <= hi - p)
                    k2 = varint(page + p + k1, page + hi, &rowid);
                size_t got = 0;
                if (k2 && P <= hi - p - k1 - k2) {
                    size_t s = p + k1 + k2;
                    got = decode_record(page + s, (size_t)P, P, 1, pg->start + s, (size_t)P,
                                        pg->start + p, r);
                    if (got && got == P && r->ncols >= 2 && (!want || r->ncols <= want)) {
                        int clean = 1;
                        for (size_t i = 0; i < r->ncols && clean; i++)
                            if (r->col[i].kind == SQ_TEXT)
                                clean = clean_text(r->col[i].p, r->col[i].n);
                        if (clean) {
                            r->cell = pg->start + p;
                            r->rowid = (int64_t)rowid;
                            r->deleted = 1;
                            add_span(d, pg->start + p, pg->start + s + got);
                            rc = deliver(d, pg, fn, ctx, r);
                            p = s + got;
                            continue;
                        }
                    }
                }
                /* A freeblock absorbed into the gap (or merged with a
                 * neighbour) keeps its 4-byte header before a headless record. */
                uint32_t u_fsz = be16(page + p + 2);
                if (want >= 2 && u_fsz >= 8 && p + u_fsz <= hi) {
                    for (size_t m = 0; m < 2 && !got; m++)
                        got = headless(page, p + 4, p + u_fsz, want, m, pg->start, r);
                    if (got) {
                        r->cell = pg->start + p;
                        r->rowid = 0;
                        r->deleted = 1;
                        add_span(d, pg->start + p + 4, pg->start + p + 4 + got);
                        rc = deliver(d, pg, fn, ctx, r);
                        p = p + 4 + got;
                        continue;
                    }
                }
                p++;
            }
            if (pass == 0)
                break;
        }
    }
    r->deleted = 0;
    return rc;
}

/* Every record of pg: live cells, then (leaf-table pages) deleted ones. */
static int iter_page(sq_doc *d, sq_page *pg, sq_record_fn fn, void *ctx)
{
    const uint8_t *page = d->buf + pg->start;
    const uint8_t *h = page + pg->hdr;
    uint8_t type = h[0];
    if (type == 5) /* no records, but a leaf's old cells may lie in its gap */
        return recover(d, pg, fn, ctx);
    /* A page of a live index (reached from an index's root in a whole
     * database) holds copies of its table's live columns: their hits are
     * the table's, so its keys are not scanned a second time. */
    if ((type == 10 || type == 2) && pg->in_index)
        return 0;
    size_t hl = type == 2 ? 12 : 8;
    uint32_t n = be16(h + 3);
    sq_record *r = &d->rec;
    r->deleted = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = be16(h + hl + 2 * i);
        if (!parse_cell(d, pg, type, c, r))
            continue;
        r->deleted = pg->orphan;
        int rc = deliver(d, pg, fn, ctx, r);
        if (rc)
            return rc;
    }
    if (type == 13)
        return recover(d, pg, fn, ctx);
    return 0;
}

int sq_records(sq_doc *d, size_t lo, size_t hi, sq_record_fn fn, void *ctx)
{
    for (size_t i = 0; i < d->np; i++) {
        sq_page *pg = &d->pages[i];
        if (pg->start < lo || pg->start >= hi)
            continue;
        int rc = iter_page(d, pg, fn, ctx);
        if (rc)
            return rc;
    }
    return 0;
}
