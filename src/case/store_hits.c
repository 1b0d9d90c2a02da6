/* store_hits.c: see store_hits.h. */
#include "case/store_hits.h"
#include "case/case_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "util/strbuf.h"

/* One distinct (type, value) of the device: its dictionary id.  The map is
 * open addressing over an array of entries whose strings live in one
 * growing arena (offsets, so that growing it moves nothing that matters). */
typedef struct dict_entry {
    uint64_t hash;
    int64_t id;
    size_t off; /* type NUL value, in the arena */
    size_t type_len, value_len;
} dict_entry;

/* Occurrences go in HITS_BATCH rows per INSERT statement: one statement
 * step per row costs as much again as the row (statement start and end,
 * VDBE set-up).  A batch's strings are copied into its own arena, since a
 * hit's are borrowed only for the call.  The statement is INSERT OR FAIL:
 * a plain INSERT of several rows may abort half-way (a NOT NULL), so SQLite
 * copied every page it touched into a statement journal first, a temporary
 * file: 320,000 page writes for a million hits, most of the system time of
 * storing them.  No row of ours can fail, and a device that fails is rolled
 * back whole. */
#define HITS_BATCH 64
#define HITS_COLS 9

typedef struct occ {
    int64_t value_id, file_id;
    uint64_t pos;
    size_t path, ctx, path_len, ctx_len; /* batch arena offsets; path_len 0: NULL */
    unsigned flags;
    int area;
    int64_t time; /* SCAN_NO_TIME: NULL */
} occ;

struct case_hits {
    case_db *c;
    int64_t device_id;
    uint64_t count;
    occ batch[HITS_BATCH];
    size_t nbatch;
    char *barena;
    size_t blen, bcap;
    sqlite3_stmt *multi; /* INSERT of HITS_BATCH rows, owned */
    dict_entry *v;
    size_t n, cap;
    uint32_t *slots; /* index + 1; 0 = empty */
    size_t nslots;
    char *arena;
    size_t alen, acap;
};

static const char insert_occ_sql[] =
    "INSERT INTO occurrences(device_id, value_id, pos, path, context, flags, file_id, area, time)"
    " VALUES(?,?,?,?,?,?,?,?,?)";
static const char find_value_sql[] = "SELECT id FROM ident_values WHERE value=?1 AND type=?2";
static const char insert_value_sql[] = "INSERT INTO ident_values(type, value) VALUES(?2, ?1)";

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int db_fail(case_hits *h, const char *what, trawl_err *err)
{
    return trawl_fail(err, TRAWL_ECASE, "%s/case.db: %s: %s", case_dir(h->c), what,
                      sqlite3_errmsg(case_sqlite(h->c)));
}

int case_hits_open(case_db *c, int64_t device_id, case_hits **out, trawl_err *err)
{
    case_hits *h = calloc(1, sizeof *h);
    if (!h)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    h->c = c;
    h->device_id = device_id;
    strbuf sql = STRBUF_INIT;
    sb_adds(&sql, "INSERT OR FAIL INTO occurrences(device_id, value_id, pos, path, context, flags, "
                  "file_id, area, time) VALUES");
    for (int i = 0; i < HITS_BATCH; i++)
        sb_adds(&sql, i ? ",(?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?)");
    int rc = sql.oom ? trawl_fail(err, TRAWL_ENOMEM, "out of memory")
                     : case_prepare(c, sb_cstr(&sql), &h->multi, err);
    sb_free(&sql);
    if (rc) {
        free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void case_hits_close(case_hits *h)
{
    if (!h)
        return;
    sqlite3_finalize(h->multi);
    free(h->v);
    free(h->slots);
    free(h->arena);
    free(h->barena);
    free(h);
}

uint64_t case_hits_count(const case_hits *h)
{
    return h->count;
}

static int grow_slots(case_hits *h)
{
    size_t ns = h->nslots ? h->nslots * 2 : 4096;
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < h->n; i++) {
        size_t k = (size_t)h->v[i].hash & (ns - 1);
        while (s[k])
            k = (k + 1) & (ns - 1);
        s[k] = (uint32_t)(i + 1);
    }
    free(h->slots);
    h->slots = s;
    h->nslots = ns;
    return 0;
}

/* The dictionary id of (type, value): from the map, else from ident_values
 * (added there when new). */
static int value_id(case_hits *h, const char *type, const char *value, size_t vlen, int64_t *id,
                    trawl_err *err)
{
    size_t tlen = strlen(type);
    uint64_t hv = hash_bytes(hash_bytes(1469598103934665603ull, type, tlen + 1), value, vlen);
    if ((h->n + 1) * 2 > h->nslots && grow_slots(h))
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    size_t k = (size_t)hv & (h->nslots - 1);
    for (; h->slots[k]; k = (k + 1) & (h->nslots - 1)) {
        const dict_entry *e = &h->v[h->slots[k] - 1];
        if (e->hash == hv && e->value_len == vlen && e->type_len == tlen &&
            !memcmp(h->arena + e->off + tlen + 1, value, vlen) &&
            !memcmp(h->arena + e->off, type, tlen)) {
            *id = e->id;
            return 0;
        }
    }
    if (h->n >= UINT32_MAX - 1)
        return trawl_fail(err, TRAWL_ELIMIT, "too many distinct identifiers in one device");
    /* New to this device: the dictionary. */
    sqlite3_stmt *st;
    if (case_stmt(h->c, find_value_sql, &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, value, (int)vlen, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, type, (int)tlen, SQLITE_STATIC);
    int s = sqlite3_step(st);
    int64_t vid = 0;
    if (s == SQLITE_ROW) {
        vid = sqlite3_column_int64(st, 0);
    } else if (s != SQLITE_DONE) {
        return db_fail(h, "looking up an identifier", err);
    } else {
        if (case_stmt(h->c, insert_value_sql, &st, err))
            return err->code;
        sqlite3_bind_text(st, 1, value, (int)vlen, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, type, (int)tlen, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            return db_fail(h, "storing an identifier", err);
        vid = sqlite3_last_insert_rowid(case_sqlite(h->c));
    }
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 4096;
        dict_entry *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        h->v = nv, h->cap = nc;
    }
    size_t need = tlen + 1 + vlen + 1;
    if (h->alen + need > h->acap) {
        size_t nc = h->acap ? h->acap * 2 : 1 << 16;
        while (nc < h->alen + need)
            nc *= 2;
        char *na = realloc(h->arena, nc);
        if (!na)
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        h->arena = na, h->acap = nc;
    }
    memcpy(h->arena + h->alen, type, tlen + 1);
    memcpy(h->arena + h->alen + tlen + 1, value, vlen);
    h->arena[h->alen + tlen + 1 + vlen] = 0;
    h->v[h->n] = (dict_entry){hv, vid, h->alen, tlen, vlen};
    h->alen += need;
    h->slots[k] = (uint32_t)++h->n;
    *id = vid;
    return 0;
}

/* Area codes in occurrences.area (the view turns them back into names). */
static int area_code(const char *area)
{
    if (!area)
        return 0;
    if (!strcmp(area, FS_AREA_UNALLOCATED))
        return 1;
    if (!strcmp(area, FS_AREA_SLACK))
        return 2;
    if (!strcmp(area, FS_AREA_METADATA))
        return 3;
    if (!strcmp(area, FS_AREA_UNPARTITIONED))
        return 4;
    return -1;
}

/* Is path just offset in decimal (the common case of a hit in raw bytes)? */
static int path_is_offset(const char *path, uint64_t offset)
{
    char buf[24];
    size_t n = 0;
    do {
        buf[n++] = (char)('0' + offset % 10);
        offset /= 10;
    } while (offset);
    for (size_t i = 0; i < n; i++)
        if (path[i] != buf[n - 1 - i])
            return 0;
    return path[n] == 0;
}

/* Bind occurrence o as the row starting at parameter base + 1. */
static void bind_occ(case_hits *h, sqlite3_stmt *st, int base, const occ *o)
{
    sqlite3_bind_int64(st, base + 1, h->device_id);
    sqlite3_bind_int64(st, base + 2, o->value_id);
    sqlite3_bind_int64(st, base + 3, (sqlite3_int64)o->pos);
    if (o->path_len)
        sqlite3_bind_text(st, base + 4, h->barena + o->path, (int)o->path_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, base + 4);
    sqlite3_bind_blob(st, base + 5, h->barena + o->ctx, (int)o->ctx_len, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 6, (int)o->flags);
    if (o->file_id)
        sqlite3_bind_int64(st, base + 7, o->file_id);
    else
        sqlite3_bind_null(st, base + 7);
    if (o->area)
        sqlite3_bind_int(st, base + 8, o->area);
    else
        sqlite3_bind_null(st, base + 8);
    if (o->time != SCAN_NO_TIME)
        sqlite3_bind_int64(st, base + 9, o->time);
    else
        sqlite3_bind_null(st, base + 9);
}

int case_hits_flush(case_hits *h, trawl_err *err)
{
    if (h->nbatch == HITS_BATCH) {
        sqlite3_reset(h->multi);
        for (size_t i = 0; i < HITS_BATCH; i++)
            bind_occ(h, h->multi, (int)i * HITS_COLS, &h->batch[i]);
        if (sqlite3_step(h->multi) != SQLITE_DONE)
            return db_fail(h, "storing hits", err);
    } else {
        for (size_t i = 0; i < h->nbatch; i++) {
            sqlite3_stmt *st;
            if (case_stmt(h->c, insert_occ_sql, &st, err))
                return err->code;
            bind_occ(h, st, 0, &h->batch[i]);
            if (sqlite3_step(st) != SQLITE_DONE)
                return db_fail(h, "storing a hit", err);
        }
    }
    h->nbatch = 0;
    h->blen = 0;
    return 0;
}

static size_t bput(case_hits *h, const void *p, size_t len, int *oom)
{
    if (h->blen + len > h->bcap) {
        size_t nc = h->bcap ? h->bcap * 2 : 1 << 14;
        while (nc < h->blen + len)
            nc *= 2;
        char *na = realloc(h->barena, nc);
        if (!na) {
            *oom = 1;
            return 0;
        }
        h->barena = na, h->bcap = nc;
    }
    size_t at = h->blen;
    if (len)
        memcpy(h->barena + at, p, len);
    h->blen += len;
    return at;
}

int case_hits_add(case_hits *h, const scan_hit *hit, int64_t file_id, const char *area,
                  trawl_err *err)
{
    int64_t vid = 0;
    int rc = value_id(h, hit->type, hit->feature, hit->feature_len, &vid, err);
    if (rc)
        return rc;
    int code = area_code(area);
    if (code < 0)
        return trawl_fail(err, TRAWL_EUSAGE, "unknown area '%s'", area);
    int oom = 0;
    occ *o = &h->batch[h->nbatch];
    *o = (occ){.value_id = vid,
               .file_id = file_id,
               .pos = hit->offset,
               .flags = hit->flags,
               .area = code,
               .time = hit->time};
    if (!path_is_offset(hit->path, hit->offset)) {
        o->path_len = strlen(hit->path);
        o->path = bput(h, hit->path, o->path_len, &oom);
    }
    o->ctx_len = hit->context_len;
    o->ctx = bput(h, hit->context, hit->context_len, &oom);
    if (oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    h->count++;
    if (++h->nbatch == HITS_BATCH)
        return case_hits_flush(h, err);
    return 0;
}
