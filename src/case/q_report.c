/* q_report.c: the report's queries (see q_report.h).  One helper runs a
 * statement and turns each row into cells; each public function is its
 * SQL.  Every ORDER BY ends on a unique key so the report is the same bytes
 * for the same case. */
#include "case/q_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/case_int.h"
#include "case/q_links.h"
#include "util/strbuf.h"

#define Q_MAX_COLS 16

/* A row as cells, for case_rows: every column also as text and as a
 * number, as the report's callbacks read them. */
typedef struct cell_row {
    case_cell cells[Q_MAX_COLS];
    int n;
} cell_row;

static void fill_cells(sqlite3_stmt *st, void *p)
{
    cell_row *r = p;
    for (int i = 0; i < r->n; i++) {
        case_cell *x = &r->cells[i];
        x->null = sqlite3_column_type(st, i) == SQLITE_NULL;
        x->i = sqlite3_column_int64(st, i);
        x->d = sqlite3_column_double(st, i);
        const unsigned char *t = sqlite3_column_text(st, i);
        x->s = t ? (const char *)t : "";
        x->len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    }
}

/* Bind params (NULL = SQL NULL; a string starting with "#" followed by
 * digits is still text: only ints go through ibind), then call fn for each
 * row. */
static int run(case_db *c, const char *sql, const char *const *text, int ntext, const int64_t *ints,
               int nints, case_row_fn fn, void *ctx, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, sql, &st, err))
        return err->code;
    int k = 1;
    for (int i = 0; i < ntext; i++, k++)
        if (text[i])
            sqlite3_bind_text(st, k, text[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nints; i++, k++)
        sqlite3_bind_int64(st, k, ints[i]);
    cell_row row;
    row.n = sqlite3_column_count(st);
    if (row.n > Q_MAX_COLS)
        row.n = Q_MAX_COLS;
    case_rows *rows;
    if (case_rows_start(c, st, fill_cells, &row, "report query", &rows, err))
        return err->code;
    int more, rc;
    while ((rc = case_rows_next(rows, &more, err)) == 0 && more)
        if ((rc = fn(ctx, row.cells, row.n, err)) != 0)
            break;
    case_rows_close(rows);
    return rc;
}

/* Does table name exist?  (A case scanned before the link or fs stage ran
 * has no links or files rows, but the tables exist; older cases may not.) */
static int has_table(case_db *c, const char *name)
{
    sqlite3_stmt *st;
    trawl_err e = {0};
    if (case_prepare(c, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", &st, &e))
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

int case_q_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT id, name, exhibit, custodian, examiner, size, state, scan_started, "
               "scan_finished, tool_version, options FROM devices ORDER BY name",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_images(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT d.name, i.seq, i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, "
               "i.stored_md5, i.stored_sha1, i.stored_sha256, i.verification, i.acquisition, "
               "i.unreadable, i.last_verified, i.last_verify_result "
               "FROM images i JOIN devices d ON d.id = i.device_id ORDER BY d.name, i.seq, i.id",
               NULL, 0, NULL, 0, fn, ctx, err);
}

/* The census is counted here rather than by GROUP BY: SQLite would sort
 * every row (tens of seconds for 15 million), while the distinct keys
 * (device, type, area, deleted file) are few and fit a small hash table. */
typedef struct census_key {
    int64_t dev, del; /* del: deleted file id, or 0 */
    int type, area;   /* indexes into the name tables; area -1 = none */
    int64_t n;
} census_key;

typedef struct census {
    char *names[64]; /* types and areas (a few each), interned */
    int nnames;
    census_key *slot;
    size_t nslot, used;
} census;

static int intern(census *cs, const unsigned char *s, int len)
{
    for (int i = 0; i < cs->nnames; i++)
        if ((int)strlen(cs->names[i]) == len && !memcmp(cs->names[i], s, (size_t)len))
            return i;
    if (cs->nnames == 64)
        return -2;
    if (!(cs->names[cs->nnames] = strndup((const char *)s, (size_t)len)))
        return -2;
    return cs->nnames++;
}

static uint64_t key_hash(const census_key *k)
{
    uint64_t h =
        (uint64_t)k->dev * 0x9e3779b97f4a7c15ULL ^ (uint64_t)k->del * 0xbf58476d1ce4e5b9ULL;
    h ^= (uint64_t)(k->type * 131 + k->area + 7) * 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
}

static int census_add(census *cs, const census_key *k)
{
    if ((cs->used + 1) * 2 > cs->nslot) {
        size_t ns = cs->nslot ? cs->nslot * 2 : 1024;
        census_key *nv = calloc(ns, sizeof *nv);
        if (!nv)
            return -1;
        for (size_t i = 0; i < cs->nslot; i++)
            if (cs->slot[i].n) {
                size_t j = (size_t)key_hash(&cs->slot[i]) & (ns - 1);
                while (nv[j].n)
                    j = (j + 1) & (ns - 1);
                nv[j] = cs->slot[i];
            }
        free(cs->slot);
        cs->slot = nv, cs->nslot = ns;
    }
    size_t j = (size_t)key_hash(k) & (cs->nslot - 1);
    for (; cs->slot[j].n; j = (j + 1) & (cs->nslot - 1)) {
        census_key *x = &cs->slot[j];
        if (x->dev == k->dev && x->del == k->del && x->type == k->type && x->area == k->area) {
            x->n += k->n;
            return 0;
        }
    }
    cs->slot[j] = *k;
    cs->used++;
    return 0;
}

typedef struct dev_name {
    int64_t id;
    char *name;
} dev_name;

static int devname_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    struct {
        dev_name *v;
        size_t n;
    } *d = ctx;
    dev_name *nv = realloc(d->v, (d->n + 1) * sizeof *nv);
    if (!nv)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    d->v = nv;
    nv[d->n].id = row[0].i;
    if (!(nv[d->n].name = strndup(row[1].s, row[1].len)))
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    d->n++;
    return 0;
}

/* Keys sorted by device rank, then type and area by their names' rank
 * (set before sorting, so the comparison needs no context), then file. */
static int census_cmp(const void *pa, const void *pb)
{
    const census_key *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    return (a->del > b->del) - (a->del < b->del);
}

static int rank_of(const int *rank, int i)
{
    return rank[i];
}

static int devname_cmp(const void *pa, const void *pb)
{
    return strcmp(((const dev_name *)pa)->name, ((const dev_name *)pb)->name);
}

int case_q_census(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    struct {
        dev_name *v;
        size_t n;
    } devs = {NULL, 0};
    census cs = {.nnames = 0};
    sqlite3_stmt *st = NULL;
    int rc = run(c, "SELECT id, name FROM devices", NULL, 0, NULL, 0, devname_cb, &devs, err);
    if (!rc && devs.n)
        qsort(devs.v, devs.n, sizeof *devs.v, devname_cmp);
    if (!rc)
        rc = case_prepare(
            c,
            has_table(c, "files")
                ? "SELECT device_id, type, area, CASE WHEN file_id IN (SELECT id FROM"
                  " files WHERE alloc = 0) THEN file_id END FROM identifiers NOT INDEXED"
                : "SELECT device_id, type, area, NULL FROM identifiers NOT INDEXED",
            &st, err);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        census_key k = {
            .dev = sqlite3_column_int64(st, 0), .del = sqlite3_column_int64(st, 3), .n = 1};
        k.type = intern(&cs, sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
        k.area = sqlite3_column_type(st, 2) == SQLITE_NULL
                     ? -1
                     : intern(&cs, sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2));
        if (k.type < 0 || k.area < -1)
            rc = trawl_fail(err, TRAWL_ELIMIT,
                            "%s/case.db: more than 64 identifier types and areas", case_dir(c));
        else if (census_add(&cs, &k))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    if (!rc && s != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: census: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    /* Compact, replace device ids and names by their rank in name order
     * (bytewise, as SQLite's BINARY collation), sort, emit. */
    int rank[64], byrank[64];
    for (int i = 0; i < cs.nnames; i++) {
        rank[i] = 0;
        for (int j = 0; j < cs.nnames; j++)
            rank[i] += strcmp(cs.names[j], cs.names[i]) < 0;
        byrank[rank[i]] = i;
    }
    size_t m = 0;
    for (size_t i = 0; !rc && i < cs.nslot; i++) {
        if (!cs.slot[i].n)
            continue;
        census_key k = cs.slot[i];
        int64_t drank = -1;
        for (size_t d = 0; d < devs.n; d++)
            if (devs.v[d].id == k.dev)
                drank = (int64_t)d;
        if (drank < 0)
            continue; /* a row of no device */
        k.dev = drank;
        k.type = rank_of(rank, k.type);
        k.area = k.area < 0 ? -1 : rank_of(rank, k.area);
        cs.slot[m++] = k;
    }
    if (!rc && m)
        qsort(cs.slot, m, sizeof *cs.slot, census_cmp);
    for (size_t i = 0; !rc && i < m; i++) {
        const census_key *k = &cs.slot[i];
        const char *dn = devs.v[k->dev].name, *tn = cs.names[byrank[k->type]],
                   *an = k->area >= 0 ? cs.names[byrank[k->area]] : "";
        case_cell row[5] = {
            {.s = dn, .len = strlen(dn)},
            {.s = tn, .len = strlen(tn)},
            {.s = an, .len = strlen(an), .null = k->area < 0},
            {.s = "", .i = k->del, .d = (double)k->del, .null = k->del == 0},
            {.s = "", .i = k->n, .d = (double)k->n},
        };
        rc = fn(ctx, row, 5, err);
    }
    free(cs.slot);
    for (int i = 0; i < cs.nnames; i++)
        free(cs.names[i]);
    for (size_t i = 0; i < devs.n; i++)
        free(devs.v[i].name);
    free(devs.v);
    return rc;
}

/* A file of case_q_files_by_id, its columns copied out of the engine. */
typedef struct file_row {
    int64_t device_id, size, id;
    int size_null, sha_null;
    char *name, *path, *sha256;
    size_t name_len, path_len, sha_len;
} file_row;

typedef struct file_rows {
    file_row *v;
    size_t n, cap;
} file_rows;

static char *dup_cell(const case_cell *x)
{
    char *s = malloc(x->len + 1);
    if (s) {
        memcpy(s, x->s, x->len);
        s[x->len] = 0;
    }
    return s;
}

static int file_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    file_rows *fr = ctx;
    if (fr->n == fr->cap) {
        size_t nc = fr->cap ? fr->cap * 2 : 256;
        file_row *nv = realloc(fr->v, nc * sizeof *nv);
        if (!nv)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        fr->v = nv, fr->cap = nc;
    }
    file_row *f = &fr->v[fr->n];
    *f = (file_row){.device_id = row[0].i,
                    .size = row[3].i,
                    .id = row[5].i,
                    .size_null = row[3].null,
                    .sha_null = row[4].null,
                    .name = dup_cell(&row[1]),
                    .path = dup_cell(&row[2]),
                    .sha256 = dup_cell(&row[4]),
                    .name_len = row[1].len,
                    .path_len = row[2].len,
                    .sha_len = row[4].len};
    fr->n++;
    if (!f->name || !f->path || !f->sha256)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    return 0;
}

/* Text in SQLite's BINARY order: the bytes, then the shorter first. */
static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int d = memcmp(a, b, alen < blen ? alen : blen);
    return d ? d : (alen > blen) - (alen < blen);
}

/* By device, path, id: the order the report lists them in. */
static int cmp_file(const void *pa, const void *pb)
{
    const file_row *a = pa, *b = pb;
    int d = cmp_bytes(a->name, a->name_len, b->name, b->name_len);
    if (!d)
        d = (a->device_id > b->device_id) - (a->device_id < b->device_id);
    if (!d)
        d = cmp_bytes(a->path, a->path_len, b->path, b->path_len);
    return d ? d : (a->id > b->id) - (a->id < b->id);
}

static int cmp_id(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

int case_q_files_by_id(case_db *c, const int64_t *file_ids, size_t n, int64_t per_device,
                       case_row_fn fn, void *ctx, trawl_err *err)
{
    /* The ids go in as lists of bound integers, a chunk at a time; the
     * order and the per-device cut are made here. */
    enum { CHUNK = 500 };
    file_rows fr = {0};
    strbuf q = STRBUF_INIT;
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    memcpy(ids, file_ids, n * sizeof *ids);
    qsort(ids, n, sizeof *ids, cmp_id);
    size_t m = 0; /* each id once, as IN (...) has it */
    for (size_t i = 0; i < n; i++)
        if (!m || ids[i] != ids[m - 1])
            ids[m++] = ids[i];
    n = m;
    int rc = 0;
    for (size_t at = 0; !rc && at < n; at += CHUNK) {
        size_t k = n - at < CHUNK ? n - at : CHUNK;
        sb_reset(&q);
        sb_adds(&q, "SELECT d.id, d.name, f.path, f.size, f.sha256, f.id FROM files f"
                    " JOIN devices d ON d.id = f.device_id WHERE f.id IN (");
        for (size_t i = 0; i < k; i++)
            sb_adds(&q, i ? ",?" : "?");
        sb_addc(&q, ')');
        if (q.oom)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        else
            rc = run(c, q.buf, NULL, 0, ids + at, (int)k, file_cb, &fr, err);
    }
    sb_free(&q);
    if (!rc && fr.n)
        qsort(fr.v, fr.n, sizeof *fr.v, cmp_file);
    int64_t kept = 0;
    for (size_t i = 0; !rc && i < fr.n; i++) {
        const file_row *f = &fr.v[i];
        kept = i && f->device_id == fr.v[i - 1].device_id ? kept + 1 : 1;
        if (kept > per_device)
            continue;
        char size[24];
        snprintf(size, sizeof size, "%lld", (long long)f->size);
        case_cell row[5] = {
            {.s = f->name, .len = f->name_len},
            {.s = f->path, .len = f->path_len},
            {.s = f->size_null ? "" : size,
             .len = f->size_null ? 0 : strlen(size),
             .i = f->size,
             .d = (double)f->size,
             .null = f->size_null},
            {.s = f->sha256, .len = f->sha_len, .null = f->sha_null},
            {.s = "", .i = f->id, .d = (double)f->id},
        };
        rc = fn(ctx, row, 5, err);
    }
    for (size_t i = 0; i < fr.n; i++)
        free(fr.v[i].name), free(fr.v[i].path), free(fr.v[i].sha256);
    free(fr.v);
    free(ids);
    return rc;
}

int case_q_links(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "links"))
        return 0;
    return run(c,
               "SELECT device_a, device_b, score, shared, explain FROM links "
               "ORDER BY score DESC, device_a, device_b LIMIT ?",
               NULL, 0, &limit, 1, fn, ctx, err);
}

/* case_q_link_contributors: each link's explanation is read in C
 * (case_link_contributors), the same for every store engine. */
typedef struct contrib_walk {
    case_row_fn fn;
    void *ctx;
    trawl_err *err;
    const case_cell *link; /* device_a, device_b, explain */
    int64_t rank;
    int failed; /* fn returned non-zero */
} contrib_walk;

static int contrib_cells(void *ctx, const case_link_contrib *x)
{
    contrib_walk *w = ctx;
    case_cell cells[7] = {
        w->link[0],
        w->link[1],
        {.i = w->rank, .d = (double)w->rank, .s = ""},
        {.s = x->type.s, .len = x->type.len, .null = x->type.type == CASE_NULL},
        {.s = x->value.s, .len = x->value.len, .null = x->value.type == CASE_NULL},
        {.i = x->devices.i, .d = x->devices.d, .s = "", .null = x->devices.type == CASE_NULL},
        {.i = x->contribution.i,
         .d = x->contribution.d,
         .s = "",
         .null = x->contribution.type == CASE_NULL},
    };
    w->rank++;
    int rc = w->fn(w->ctx, cells, 7, w->err);
    w->failed = rc != 0;
    return rc;
}

static int link_contribs(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol;
    contrib_walk *w = ctx;
    w->link = row;
    w->rank = 0;
    w->failed = 0;
    trawl_err perr = {0};
    int rc = case_link_contributors(row[2].s, contrib_cells, w, &perr);
    if (rc && w->failed)
        return rc;
    /* An explanation that is not what trawl link writes shows nothing more
     * of its link (as json_valid did before). */
    (void)err;
    return 0;
}

int case_q_link_contributors(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "links"))
        return 0;
    contrib_walk w = {fn, ctx, err, NULL, 0, 0};
    return run(c,
               "SELECT device_a, device_b, explain FROM links "
               "ORDER BY score DESC, device_a, device_b LIMIT ?",
               NULL, 0, &limit, 1, link_contribs, &w, err);
}

static int count_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    *(int64_t *)ctx = row[0].i;
    return 0;
}

int case_q_link_count(case_db *c, int64_t *n, trawl_err *err)
{
    *n = 0;
    if (!has_table(c, "links"))
        return 0;
    return run(c, "SELECT count(*) FROM links", NULL, 0, NULL, 0, count_cb, n, err);
}

int case_q_groups(case_db *c, const char *method, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "groups"))
        return 0;
    return run(c, "SELECT group_id, device FROM groups WHERE method=? ORDER BY group_id, device",
               &method, 1, NULL, 0, fn, ctx, err);
}

int case_q_accounts(case_db *c, int64_t per_service, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "accounts"))
        return 0;
    return run(c,
               "SELECT service, account, devices, ndevices, flags,"
               " (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', min(o.time), 'unixepoch') FROM"
               "  ident_values v JOIN occurrences o ON o.value_id = v.id"
               "  WHERE v.type = 'account' AND v.value = a.service || ':' || a.account),"
               " (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(o.time), 'unixepoch') FROM"
               "  ident_values v JOIN occurrences o ON o.value_id = v.id"
               "  WHERE v.type = 'account' AND v.value = a.service || ':' || a.account) FROM ("
               " SELECT *, row_number() OVER (PARTITION BY service "
               "  ORDER BY ndevices DESC, flags DESC, account) AS r "
               " FROM accounts WHERE ndevices >= 2 OR flags != '') AS a "
               "WHERE r <= ? ORDER BY service, r",
               NULL, 0, &per_service, 1, fn, ctx, err);
}

int case_q_account_totals(case_db *c, int64_t per_service, case_row_fn fn, void *ctx,
                          trawl_err *err)
{
    if (!has_table(c, "accounts"))
        return 0;
    return run(c,
               "SELECT service, count(*), min(?, sum(ndevices >= 2 OR flags != '')) "
               "FROM accounts GROUP BY service ORDER BY service",
               NULL, 0, &per_service, 1, fn, ctx, err);
}

int case_q_account_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "account_devices"))
        return 0;
    return run(c,
               "SELECT service, device, accounts, flagged FROM account_devices "
               "ORDER BY service, accounts DESC, device",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_files_of_interest(case_db *c, int64_t per_device, case_row_fn fn, void *ctx,
                             trawl_err *err)
{
    if (!has_table(c, "files"))
        return 0;
    return run(
        c,
        "WITH foi(device_id, kind, path, detail, size, sha256, fid) AS ("
        " SELECT device_id, 'notable', path, hashset, size, sha256, id FROM files"
        "  WHERE known = 'notable'"
        " UNION ALL SELECT y.device_id, 'yara', coalesce(f.path, y.area, y.path), y.rule,"
        "  f.size, f.sha256, coalesce(f.id, 0) FROM yara_hits y LEFT JOIN files f ON f.id = "
        "y.file_id"
        " UNION ALL SELECT device_id, 'ext-mismatch', path, mime, size, sha256, id FROM files"
        "  WHERE ext_mismatch = 1),"
        " ranked AS (SELECT *, row_number() OVER (PARTITION BY device_id, kind"
        "  ORDER BY path, detail, fid) AS r FROM foi)"
        "SELECT d.name, r.kind, r.path, r.detail, r.size, r.sha256 FROM ranked r"
        " JOIN devices d ON d.id = r.device_id WHERE r.r <= ?"
        " ORDER BY d.name, r.kind, r.path, r.detail, r.fid",
        NULL, 0, &per_device, 1, fn, ctx, err);
}

int case_q_shared(case_db *c, int64_t limit, int64_t *total, case_row_fn fn, void *ctx,
                  trawl_err *err)
{
    if (total)
        *total = 0;
    if (!has_table(c, "link_features"))
        return 0;
    if (total && run(c, "SELECT count(*) FROM link_features WHERE stopped = 0", NULL, 0, NULL, 0,
                     count_cb, total, err))
        return err->code;
    return run(c,
               "SELECT f.type, f.value, f.dc, f.weight, (SELECT group_concat(device, ';') FROM "
               " (SELECT device FROM link_occurrences o WHERE o.feature_id = f.id ORDER BY device))"
               " FROM (SELECT * FROM link_features WHERE stopped = 0"
               "  ORDER BY weight * dc DESC, dc DESC, type, value LIMIT ?) f"
               " ORDER BY f.weight * f.dc DESC, f.dc DESC, f.type, f.value",
               NULL, 0, &limit, 1, fn, ctx, err);
}

int case_q_locations(case_db *c, const char *type, const char *value, const char *device,
                     case_row_fn fn, void *ctx, trawl_err *err)
{
    const char *p[3] = {value, device, device};
    if (!strcmp(type, "file"))
        return run(c,
                   "SELECT d.name, '', min(f.path), NULL, NULL FROM files f"
                   " JOIN devices d ON d.id = f.device_id"
                   " WHERE f.sha256 = ? AND (?2 IS NULL OR d.name = ?3)"
                   " GROUP BY d.name ORDER BY d.name",
                   p, 3, NULL, 0, fn, ctx, err);
    const char *q[4] = {value, type, device, device};
    /* The first hit of each device by offset (the row with min(pos) gives
     * the bare columns, as SQLite documents for min()). */
    return run(c,
               "SELECT d.name, x.path, f.path, x.area, x.context FROM"
               " (SELECT device_id, path, file_id, area, context, min(pos) FROM identifiers"
               "  WHERE value = ? AND type = ? AND (?3 IS NULL OR device_id ="
               "   (SELECT id FROM devices WHERE name = ?4)) GROUP BY device_id) x"
               " JOIN devices d ON d.id = x.device_id LEFT JOIN files f ON f.id = x.file_id"
               " ORDER BY d.name",
               q, 4, NULL, 0, fn, ctx, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int case_q_occurrences(case_db *c, const char *const *values, size_t n, case_row_fn fn, void *ctx,
                       trawl_err *err)
{
    if (!n)
        return 0;
    /* The distinct values in byte order, one look-up each (an index probe;
     * no engine's list type, no limit on bound parameters). */
    const char **v = malloc(n * sizeof *v);
    if (!v)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    memcpy(v, values, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_str);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (i && !strcmp(v[i], v[i - 1]))
            continue;
        rc = run(c,
                 "SELECT i.value, d.name, i.type, i.path, f.path, i.area, i.context"
                 " FROM identifiers i"
                 " JOIN devices d ON d.id = i.device_id LEFT JOIN files f ON f.id = i.file_id"
                 " WHERE i.value = ? ORDER BY d.name, i.pos, i.path, i.type, i.id",
                 &v[i], 1, NULL, 0, fn, ctx, err);
    }
    free(v);
    return rc;
}

int case_q_services(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    /* account_devices has a row for each service with an account on a
     * device (a few per device), accounts one per account (millions): the
     * same services, without reading every account on each `trawl find`. */
    if (!has_table(c, "account_devices"))
        return 0;
    return run(c, "SELECT DISTINCT service FROM account_devices ORDER BY service", NULL, 0, NULL, 0,
               fn, ctx, err);
}

/* A member of an audit line as json_extract gave it: a string decoded, an
 * object or array as its JSON text, a number as its digits, true and false
 * as 1 and 0; null, a missing member or a string trawl cannot have written
 * as NULL. */
static void audit_cell(const char *line, size_t len, const char *key, strbuf *sb, case_cell *x)
{
    const char *v;
    size_t vlen;
    *x = (case_cell){.s = "", .null = 1};
    sb_reset(sb);
    if (case_json_member(line, len, key, &v, &vlen) || (vlen == 4 && !memcmp(v, "null", 4)))
        return;
    if (*v == '"') {
        v++;
        if (case_json_string(&v, sb))
            return;
    } else if (vlen == 4 && !memcmp(v, "true", 4)) {
        sb_addc(sb, '1');
    } else if (vlen == 5 && !memcmp(v, "false", 5)) {
        sb_addc(sb, '0');
    } else {
        sb_add(sb, v, vlen);
    }
    if (sb->oom)
        return;
    x->s = sb_cstr(sb);
    x->len = sb->len;
    x->i = strtoll(x->s, NULL, 10); /* as SQLite reads a number from text */
    x->d = (double)x->i;
    x->null = 0;
}

int case_q_audit_lines(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/audit.log", case_dir(c));
    FILE *f = path.oom ? NULL : fopen(path.buf, "rb");
    if (!f) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: cannot open", sb_cstr(&path));
        sb_free(&path);
        return rc;
    }
    static const char *const keys[] = {"time",   "action", "examiner",  "device", "outcome",
                                       "detail", "argv",   "libraries", "version"};
    enum { NKEYS = sizeof keys / sizeof *keys };
    strbuf vals[NKEYS];
    for (int i = 0; i < NKEYS; i++)
        vals[i] = (strbuf)STRBUF_INIT;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (!rc && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        case_cell cells[NKEYS];
        int valid = case_json_valid(line, (size_t)len);
        for (int i = 0; i < NKEYS; i++) {
            if (valid)
                audit_cell(line, (size_t)len, keys[i], &vals[i], &cells[i]);
            else
                cells[i] = (case_cell){.s = "", .null = 1};
        }
        rc = fn(ctx, cells, NKEYS, err);
    }
    free(line);
    for (int i = 0; i < NKEYS; i++)
        sb_free(&vals[i]);
    fclose(f);
    sb_free(&path);
    return rc;
}

int case_q_hashsets(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "hashsets"))
        return 0;
    return run(c, "SELECT name, kind, source, count, imported FROM hashsets ORDER BY name", NULL, 0,
               NULL, 0, fn, ctx, err);
}

int case_q_meta(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c, "SELECT key, value FROM meta ORDER BY key", NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_problems(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT coalesce(d.name, ''), p.stage, p.message FROM problems p"
               " LEFT JOIN devices d ON d.id = p.device_id ORDER BY d.name, p.id",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_histogram(case_db *c, const char *device, const char *type, int64_t limit,
                     case_row_fn fn, void *ctx, trawl_err *err)
{
    /* Names come from the case, but a name or type with a '/' or a leading
     * '.' must not lead outside the device's folder. */
    if (strchr(device, '/') || strchr(type, '/') || device[0] == '.' || type[0] == '.')
        return 0;
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/devices/%s/%s_histogram.txt", case_dir(c), device, type);
    FILE *f = path.oom ? NULL : fopen(path.buf, "rb");
    sb_free(&path);
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    int64_t n = 0;
    while (!rc && n < limit && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        if (line[0] == '#' || strncmp(line, "n=", 2) != 0)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        case_cell cells[2] = {
            {.s = tab + 1, .len = (size_t)(line + len - (tab + 1))},
            {.s = line + 2, .len = (size_t)(tab - (line + 2)), .i = strtoll(line + 2, NULL, 10)},
        };
        cells[1].d = (double)cells[1].i;
        rc = fn(ctx, cells, 2, err);
        n++;
    }
    free(line);
    fclose(f);
    return rc;
}
