/* walk.c: fs_walk, the file-system stage's one pass over an image.
 *
 * libtsk reads the image through ev_read (tsk_img_open_external), finds the
 * volume system and the file systems, and walks every directory, deleted
 * names and orphans included.  Each name entry (and on NTFS each data
 * attribute of it) becomes one fs_file record: its byte runs on the device,
 * its hashes and MIME type from one read of its content, and, for content the
 * raw scan cannot see whole (fragmented, resident in an MFT record, NTFS-
 * compressed), a scan of the logical content.  The runs go into the fs_map
 * builder as they are found.
 *
 * TSK's error state is thread-local and sticky: it is read right after each
 * call that fails and reset. */
#include <magic.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <tsk/libtsk.h>

#include "fs/fs_int.h"
#include "fs/tz.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/limits.h"
#include "util/strbuf.h"

#define WIN_SIZE SCAN_PAGE_SIZE
#define WIN_MARGIN SCAN_MARGIN

void fs_options_default(fs_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->hash = 1;
    opt->magic = 1;
    opt->logical = 1;
    opt->yara_unalloc = 1;
}

/* --- libtsk over ev_read ------------------------------------------------- */

typedef struct tsk_ev {
    TSK_IMG_INFO info; /* first: TSK casts */
    ev_image *ev;
    uint64_t nbad, first_bad;
} tsk_ev;

/* A failed read is zero-filled and counted, as ev_hash_media does, so one bad
 * sector does not lose the whole file system; the walk reports the count. */
static ssize_t tsk_ev_read(TSK_IMG_INFO *info, TSK_OFF_T off, char *buf, size_t len)
{
    tsk_ev *t = (tsk_ev *)info;
    size_t got = 0;
    trawl_err e;
    if (off < 0 || (uint64_t)off >= (uint64_t)info->size)
        return -1;
    if (len > (uint64_t)info->size - (uint64_t)off)
        len = (size_t)((uint64_t)info->size - (uint64_t)off);
    if (ev_read(t->ev, (uint64_t)off, buf, len, &got, &e) != 0) {
        if (t->nbad++ == 0)
            t->first_bad = (uint64_t)off;
        memset(buf, 0, len);
        got = len;
    }
    return (ssize_t)got;
}

/* Exported by libtsk (C linkage) but declared only in its internal headers;
 * tsk_img_open_external initialized the lock, so closing must undo it. */
extern void tsk_deinit_lock(tsk_lock_t *lock);

static void tsk_ev_close(TSK_IMG_INFO *info)
{
    tsk_deinit_lock(&info->cache_lock);
    free(info);
}

static void tsk_ev_stat(TSK_IMG_INFO *info, FILE *f)
{
    (void)info;
    (void)f;
}

/* --- Walk state ---------------------------------------------------------- */

typedef struct hitrec {                  /* a logical hit kept until its file has a key */
    size_t type, feature, path, context; /* offsets into the arena */
    size_t feature_len, context_len;
    uint64_t offset;
    unsigned flags;
    int64_t time; /* scan_hit.time */
} hitrec;

typedef struct walk {
    ev_image *ev;
    uint64_t base;
    scan_engine *eng;
    const fs_options *opt;
    const fs_rules *rules;
    const fs_sink *sink;
    trawl_err *err;
    tsk_ev *timg;
    fs_mapb *mb;
    magic_t magic;
    magic_t magic_text; /* libmagic without its soft (regex) rules, for text */
    uint8_t *chunk;

    /* the file system being walked */
    TSK_FS_INFO *fs;
    int64_t vol_key;
    uint64_t vol_len; /* bytes of the volume being walked */
    uint64_t fs_dev;  /* device offset of the file system's first byte */
    int is_ntfs;
    int is_fat;      /* FAT or exFAT: times are local (see fat_time) */
    const fs_tz *tz; /* the zone they were written in */
    fs_run *mft;     /* NTFS: $MFT data runs (device offsets) */
    size_t nmft;
    uint32_t mft_rsize;
    uint64_t nfiles;
    int rc; /* first error that stops the walk */

    /* unallocated ranges of the file system being walked (device offsets),
     * for YARA */
    fs_run *unalloc;
    size_t nunalloc, ucap;

    /* the file being recorded */
    fs_run *runs;
    size_t nruns, cap;
    int64_t data_start;
    strbuf path;

    /* logical scan of the current file */
    uint8_t *win;
    size_t win_len;     /* bytes in win */
    uint64_t win_start; /* file offset of win[0] */
    uint64_t rep_start; /* file offset where the report region starts */
    uint64_t rep_end;   /* and ends (exclusive) for the current scan */
    hitrec *hits;
    size_t nhits, hcap;
    strbuf arena;
} walk;

static int problem(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int problem(walk *w, const char *fmt, ...)
{
    if (!w->sink->problem)
        return 0;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return w->sink->problem(w->sink->ctx, msg, w->err);
}

static const char *tsk_msg(void)
{
    const char *m = tsk_error_get();
    return m ? m : "unknown error";
}

static void fmt_time(time_t t, char out[32], const char **res)
{
    struct tm tm;
    if (t == 0 || !gmtime_r(&t, &tm)) {
        *res = NULL;
        return;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    *res = out;
}

/* FAT keeps local wall-clock times.  TSK turns them into time_t with
 * mktime, that is in the process's zone, which trawl never changes (a
 * library that set TZ for a walk would change it for every thread): take
 * the wall clock back with localtime_r in that same zone, then convert it
 * with the device's zone (w->tz, read from its TZif file).  Exact wherever
 * the process zone has no change of offset at that wall-clock time (always,
 * in UTC). */
static time_t fat_time(const walk *w, time_t t)
{
    struct tm tm;
    if (t == 0 || !w->is_fat || !localtime_r(&t, &tm))
        return t;
    time_t local = timegm(&tm);
    if (local == (time_t)-1)
        return t;
    return (time_t)fs_tz_to_utc(w->tz, (int64_t)local);
}

static const char *meta_type_name(const TSK_FS_META *m)
{
    if (!m)
        return NULL;
    switch (m->type) {
    case TSK_FS_META_TYPE_REG:
        return "reg";
    case TSK_FS_META_TYPE_DIR:
        return "dir";
    case TSK_FS_META_TYPE_FIFO:
        return "fifo";
    case TSK_FS_META_TYPE_CHR:
        return "chr";
    case TSK_FS_META_TYPE_BLK:
        return "blk";
    case TSK_FS_META_TYPE_LNK:
        return "lnk";
    case TSK_FS_META_TYPE_SHAD:
        return "shad";
    case TSK_FS_META_TYPE_SOCK:
        return "sock";
    case TSK_FS_META_TYPE_WHT:
        return "wht";
    case TSK_FS_META_TYPE_VIRT:
        return "virt";
    case TSK_FS_META_TYPE_VIRT_DIR:
        return "vdir";
    default:
        return "undef";
    }
}

/* --- Byte runs ----------------------------------------------------------- */

static int push_run(walk *w, uint64_t fo, uint64_t dev, uint64_t len, unsigned flags)
{
    if (len == 0)
        return 0;
    if (w->nruns) { /* TSK splits runs that are contiguous on disk: join them */
        fs_run *p = &w->runs[w->nruns - 1];
        int both_sparse = (p->flags & FS_RUN_SPARSE) && (flags & FS_RUN_SPARSE);
        if (p->flags == flags && p->file_offset + p->length == fo &&
            (both_sparse || p->dev_offset + p->length == dev)) {
            p->length += len;
            return 0;
        }
    }
    if (w->nruns >= FS_MAX_RUNS_PER_FILE)
        return trawl_fail(w->err, TRAWL_ELIMIT, "more than %u byte runs in one file",
                          (unsigned)FS_MAX_RUNS_PER_FILE);
    if (w->nruns == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        fs_run *r = realloc(w->runs, cap * sizeof *r);
        if (!r)
            return trawl_fail(w->err, TRAWL_ENOMEM, "out of memory for byte runs");
        w->runs = r;
        w->cap = cap;
    }
    w->runs[w->nruns++] = (fs_run){fo, (flags & FS_RUN_SPARSE) ? 0 : dev, len, flags};
    return 0;
}

/* Device offset and length of the resident content of attribute a of MFT
 * entry inode, found by reading the record (fixups applied) and its
 * attribute headers; 0 when it cannot be placed. */
static int resident_place(walk *w, uint64_t inode, const TSK_FS_ATTR *a, uint64_t *dev,
                          uint64_t *len)
{
    uint32_t rs = w->mft_rsize;
    if (!w->nmft || rs < 512 || rs > 65536)
        return 0;
    uint64_t fo = inode * rs;
    const fs_run *r = NULL;
    for (size_t i = 0; i < w->nmft; i++)
        if (fo >= w->mft[i].file_offset && fo + rs <= w->mft[i].file_offset + w->mft[i].length)
            r = &w->mft[i];
    if (!r)
        return 0;
    uint64_t rec_dev = r->dev_offset + (fo - r->file_offset);
    uint8_t rec[65536];
    if (tsk_img_read(&w->timg->info, (TSK_OFF_T)(rec_dev - w->base), (char *)rec, rs) !=
        (ssize_t)rs) {
        tsk_error_reset();
        return 0;
    }
    if (memcmp(rec, "FILE", 4) != 0)
        return 0;
    uint16_t usa_off = (uint16_t)(rec[4] | rec[5] << 8), usa_n = (uint16_t)(rec[6] | rec[7] << 8);
    if (usa_n < 1 || usa_off + 2u * usa_n > rs || (usa_n - 1u) * 512u > rs)
        return 0;
    for (unsigned i = 1; i < usa_n; i++) { /* undo the update-sequence fixups */
        rec[i * 512 - 2] = rec[usa_off + 2 * i];
        rec[i * 512 - 1] = rec[usa_off + 2 * i + 1];
    }
    uint32_t off = (uint32_t)(rec[0x14] | rec[0x15] << 8);
    while (off + 24 <= rs) {
        uint32_t type = (uint32_t)rec[off] | (uint32_t)rec[off + 1] << 8 |
                        (uint32_t)rec[off + 2] << 16 | (uint32_t)rec[off + 3] << 24;
        uint32_t alen = (uint32_t)rec[off + 4] | (uint32_t)rec[off + 5] << 8 |
                        (uint32_t)rec[off + 6] << 16 | (uint32_t)rec[off + 7] << 24;
        if (type == 0xffffffffu || alen < 24 || alen > rs - off)
            break;
        uint16_t id = (uint16_t)(rec[off + 14] | rec[off + 15] << 8);
        if (type == 0x80 && rec[off + 8] == 0 && id == a->id) {
            uint32_t clen = (uint32_t)rec[off + 16] | (uint32_t)rec[off + 17] << 8 |
                            (uint32_t)rec[off + 18] << 16 | (uint32_t)rec[off + 19] << 24;
            uint16_t coff = (uint16_t)(rec[off + 20] | rec[off + 21] << 8);
            if ((uint64_t)coff + clen > alen)
                return 0;
            *dev = rec_dev + off + coff;
            *len = clen;
            return 1;
        }
        off += alen;
    }
    return 0;
}

/* Collect a's runs into w->runs (device offsets, clipped to the file size
 * unless compressed); set *flags (FS_FILE_*) and w->data_start. */
static int collect_runs(walk *w, uint64_t inode, const TSK_FS_ATTR *a, unsigned *flags)
{
    w->nruns = 0;
    w->data_start = -1;
    *flags = 0;
    if (!a)
        return 0;
    uint64_t size = a->size > 0 ? (uint64_t)a->size : 0;
    if (a->flags & TSK_FS_ATTR_RES) {
        uint64_t dev, len;
        *flags |= FS_FILE_RESIDENT;
        if (w->is_ntfs && resident_place(w, inode, a, &dev, &len)) {
            w->data_start = (int64_t)dev;
            return push_run(w, 0, dev, len < size ? len : size, FS_RUN_RESIDENT);
        }
        return 0;
    }
    if (!(a->flags & TSK_FS_ATTR_NONRES))
        return 0;
    int comp = (a->flags & TSK_FS_ATTR_COMP) != 0;
    if (comp)
        *flags |= FS_FILE_COMPRESSED;
    uint64_t bs = w->fs->block_size, skip = a->nrd.skiplen;
    for (const TSK_FS_ATTR_RUN *r = a->nrd.run; r; r = r->next) {
        if (r->flags & TSK_FS_ATTR_RUN_FLAG_FILLER)
            continue;
        uint64_t fo = (uint64_t)r->offset * bs, len = (uint64_t)r->len * bs;
        uint64_t dev = w->fs_dev + (uint64_t)r->addr * bs;
        if (skip) { /* the first bytes of the first run are not content */
            uint64_t s = skip < len ? skip : len;
            if (fo == 0) {
                dev += s;
                len -= s;
            } else {
                fo -= s;
            }
        }
        unsigned rf = comp ? FS_RUN_COMPRESSED : 0;
        if (r->flags & TSK_FS_ATTR_RUN_FLAG_SPARSE) {
            rf |= FS_RUN_SPARSE;
            *flags |= FS_FILE_SPARSE;
        }
        if (!comp) { /* past the size is slack, not content */
            if (fo >= size)
                continue;
            if (len > size - fo)
                len = size - fo;
        }
        int rc = push_run(w, fo, dev, len, rf);
        if (rc)
            return rc;
    }
    size_t ndata = 0;
    for (size_t i = 0; i < w->nruns; i++) {
        if (w->runs[i].flags & FS_RUN_SPARSE)
            continue;
        if (w->data_start < 0)
            w->data_start = (int64_t)w->runs[i].dev_offset;
        ndata++;
    }
    if (ndata >= 2)
        *flags |= FS_FILE_FRAGMENTED;
    return 0;
}

/* Slack of an uncompressed non-resident attribute: the allocated bytes of its
 * runs past the file size. */
static int add_slack(walk *w, const TSK_FS_ATTR *a, int64_t key)
{
    if (!a || !(a->flags & TSK_FS_ATTR_NONRES) || (a->flags & TSK_FS_ATTR_COMP))
        return 0;
    uint64_t size = a->size > 0 ? (uint64_t)a->size : 0, bs = w->fs->block_size;
    for (const TSK_FS_ATTR_RUN *r = a->nrd.run; r; r = r->next) {
        if (r->flags & (TSK_FS_ATTR_RUN_FLAG_FILLER | TSK_FS_ATTR_RUN_FLAG_SPARSE))
            continue;
        uint64_t fo = (uint64_t)r->offset * bs, len = (uint64_t)r->len * bs;
        uint64_t dev = w->fs_dev + (uint64_t)r->addr * bs;
        if (fo + len <= size)
            continue;
        uint64_t cut = fo >= size ? 0 : size - fo;
        int rc = fs_mapb_add(w->mb, dev + cut, len - cut, FS_PRIO_SLACK, key, FS_AREA_SLACK_ID, 0,
                             w->err);
        if (rc)
            return rc;
    }
    return 0;
}

/* --- Logical hits -------------------------------------------------------- */

/* Bytes the hit occupies in the buffer: from its context when the context is
 * not cut by the buffer's end, else from the feature. */
static uint64_t hit_raw_len(const scan_hit *h, uint64_t off_in_buf, size_t buf_len)
{
    uint64_t est = h->feature_len * ((h->flags & SCAN_HIT_UTF16) ? 2 : 1);
    uint64_t pre = off_in_buf < SCAN_CONTEXT ? off_in_buf : SCAN_CONTEXT;
    if (h->context_len > pre + SCAN_CONTEXT) {
        uint64_t raw = h->context_len - pre - SCAN_CONTEXT;
        if (off_in_buf + raw + SCAN_CONTEXT < buf_len && raw > est)
            est = raw;
    }
    return est ? est : 1;
}

/* The device offset of file bytes [fo, fo+len) when they lie inside one
 * plain run (uncompressed, not resident, not sparse); else 0. */
static int plain_place(const walk *w, uint64_t fo, uint64_t len, uint64_t *dev)
{
    size_t lo = 0, hi = w->nruns;
    while (lo < hi) { /* runs are in file order */
        size_t mid = lo + (hi - lo) / 2;
        if (w->runs[mid].file_offset + w->runs[mid].length <= fo)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == w->nruns)
        return 0;
    const fs_run *r = &w->runs[lo];
    if (r->flags || fo < r->file_offset || fo + len > r->file_offset + r->length)
        return 0;
    *dev = r->dev_offset + (fo - r->file_offset);
    return 1;
}

static size_t arena_add(walk *w, const void *p, size_t len)
{
    size_t at = w->arena.len;
    sb_add(&w->arena, p, len);
    sb_addc(&w->arena, 0);
    return at;
}

/* scan_buffer's sink for a window of the current file. */
static int on_logical_hit(void *ctx, const scan_hit *h, trawl_err *err)
{
    walk *w = ctx;
    uint64_t fo = w->win_start + h->offset;
    if (fo < w->rep_start || fo >= w->rep_end)
        return 0; /* another window reports it */
    const char *rest = h->path;
    while (*rest >= '0' && *rest <= '9')
        rest++;
    char path[64];
    uint64_t dev, pos;
    strbuf full = STRBUF_INIT;
    if (*rest == 0 && plain_place(w, fo, hit_raw_len(h, h->offset, w->win_len), &dev)) {
        snprintf(path, sizeof path, "%llu", (unsigned long long)dev);
        sb_adds(&full, path);
        pos = dev;
    } else {
        pos = w->data_start >= 0 ? (uint64_t)w->data_start : w->fs_dev;
        sb_addf(&full, "%llu-FILE-%llu%s", (unsigned long long)pos, (unsigned long long)fo, rest);
    }
    if (w->nhits == w->hcap) {
        size_t cap = w->hcap ? w->hcap * 2 : 256;
        hitrec *n = realloc(w->hits, cap * sizeof *n);
        if (!n) {
            sb_free(&full);
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory for logical hits");
        }
        w->hits = n;
        w->hcap = cap;
    }
    hitrec *r = &w->hits[w->nhits++];
    r->type = arena_add(w, h->type, strlen(h->type));
    r->feature = arena_add(w, h->feature, h->feature_len);
    r->feature_len = h->feature_len;
    r->path = arena_add(w, sb_cstr(&full), full.len);
    r->context = arena_add(w, h->context, h->context_len);
    r->context_len = h->context_len;
    r->offset = pos;
    r->flags = h->flags;
    r->time = h->time;
    int oom = full.oom || w->arena.oom;
    sb_free(&full);
    return oom ? trawl_fail(err, TRAWL_ENOMEM, "out of memory for logical hits") : 0;
}

/* Scan the window and slide it: report region [rep_start, rep_end). */
static int win_scan(walk *w, int last)
{
    uint64_t end = w->win_start + w->win_len;
    w->rep_end = last ? end : w->rep_start + WIN_SIZE;
    int rc = scan_buffer(w->eng, w->win, w->win_len, on_logical_hit, w, w->err);
    if (rc || last)
        return rc;
    /* keep WIN_MARGIN bytes before the next report region */
    uint64_t keep_from = w->rep_end - WIN_MARGIN;
    size_t drop = (size_t)(keep_from - w->win_start);
    memmove(w->win, w->win + drop, w->win_len - drop);
    w->win_len -= drop;
    w->win_start = keep_from;
    w->rep_start = w->rep_end;
    return 0;
}

static int win_feed(walk *w, const uint8_t *p, size_t n)
{
    while (n) {
        size_t room = WIN_SIZE + 2 * WIN_MARGIN - w->win_len;
        size_t take = n < room ? n : room;
        memcpy(w->win + w->win_len, p, take);
        w->win_len += take;
        p += take;
        n -= take;
        if (w->win_start + w->win_len >= w->rep_start + WIN_SIZE + WIN_MARGIN) {
            int rc = win_scan(w, 0);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* --- Content: hashes, MIME, logical scan --------------------------------- */

typedef struct content {
    char md5[33], sha1[41], sha256[65];
    const char *mime;
    char mime_buf[128];
    char why[300]; /* why the content could not be read */
    int read_ok;
} content;

/* Whether the first bytes look like text: no NUL, no other C0 control but
 * tab, CR, LF, FF, ESC, and valid UTF-8. */
static int looks_text(const uint8_t *p, size_t n)
{
    if (n > FS_TEXT_PROBE)
        n = FS_TEXT_PROBE;
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
                return 0;
            i++;
            continue;
        }
        size_t k = utf8_seq_len(p + i, n - i);
        if (k == 0)
            return i + 4 > n; /* a sequence cut by the probe's end is fine */
        i += k;
    }
    return 1;
}

/* Read a's content once: hashes, MIME type and (logical) the scan. */
static int read_content(walk *w, const TSK_FS_ATTR *a, int logical, content *c)
{
    uint64_t size = a->size > 0 ? (uint64_t)a->size : 0;
    EVP_MD_CTX *h[3] = {EVP_MD_CTX_new(), EVP_MD_CTX_new(), EVP_MD_CTX_new()};
    int rc = 0;
    c->read_ok = 0;
    c->mime = NULL;
    if (!h[0] || !h[1] || !h[2]) {
        rc = trawl_fail(w->err, TRAWL_ENOMEM, "out of memory for hashes");
        goto out;
    }
    EVP_DigestInit_ex(h[0], EVP_md5(), NULL);
    EVP_DigestInit_ex(h[1], EVP_sha1(), NULL);
    EVP_DigestInit_ex(h[2], EVP_sha256(), NULL);
    w->win_len = 0;
    w->win_start = w->rep_start = 0;
    int ok = 1;
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < FS_READ_CHUNK ? (size_t)(size - off) : FS_READ_CHUNK;
        ssize_t got =
            tsk_fs_attr_read(a, (TSK_OFF_T)off, (char *)w->chunk, n, TSK_FS_FILE_READ_FLAG_NONE);
        if (got != (ssize_t)n) {
            snprintf(c->why, sizeof c->why, "%s at offset %llu", tsk_msg(),
                     (unsigned long long)off);
            tsk_error_reset();
            ok = 0;
            break;
        }
        for (int i = 0; i < 3; i++)
            EVP_DigestUpdate(h[i], w->chunk, n);
        if (off == 0 && w->magic && w->opt->magic) {
            size_t mn = n < FS_MAGIC_BYTES ? n : FS_MAGIC_BYTES;
            /* libmagic 5.44 compiles each regex rule anew for every buffer, some
             * 2 ms a text file; text is typed by its built-in tests only (plain,
             * CSV, JSON, encodings), binary content by all the rules. */
            magic_t mg = w->magic_text && looks_text(w->chunk, mn) ? w->magic_text : w->magic;
            const char *m = magic_buffer(mg, w->chunk, mn);
            if (m) {
                snprintf(c->mime_buf, sizeof c->mime_buf, "%s", m);
                c->mime = c->mime_buf;
            }
        }
        if (logical && (rc = win_feed(w, w->chunk, n)) != 0)
            goto out;
        off += n;
    }
    if (ok && size == 0 && w->magic && w->opt->magic)
        c->mime = "inode/x-empty";
    if (ok && logical && w->win_len && (rc = win_scan(w, 1)) != 0)
        goto out;
    if (ok) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len;
        EVP_DigestFinal_ex(h[0], md, &len);
        digest_hex(md, len, c->md5);
        EVP_DigestFinal_ex(h[1], md, &len);
        digest_hex(md, len, c->sha1);
        EVP_DigestFinal_ex(h[2], md, &len);
        digest_hex(md, len, c->sha256);
        c->read_ok = 1;
    }
out:
    for (int i = 0; i < 3; i++)
        EVP_MD_CTX_free(h[i]);
    return rc;
}

/* Extensions whose content type is certain enough to flag a disagreement. */
static int ext_mismatch(const char *name, const char *mime)
{
    static const struct {
        const char *ext, *mimes;
    } tab[] = {
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"png", "image/png"},
        {"gif", "image/gif"},
        {"bmp", "image/bmp image/x-ms-bmp"},
        {"pdf", "application/pdf"},
        {"zip", "application/zip"},
        {"gz", "application/gzip application/x-gzip"},
        {"exe", "application/x-dosexec application/vnd.microsoft.portable-executable"},
        {"dll", "application/x-dosexec application/vnd.microsoft.portable-executable"},
        {"mp3", "audio/mpeg"},
        {"mp4", "video/mp4"},
        {"html", "text/html"},
        {"htm", "text/html"},
        {"txt", "text/"},
        {"csv", "text/ application/csv"},
        {"doc", "application/msword application/x-ole-storage application/CDFV2"},
        {"xls", "application/vnd.ms-excel application/x-ole-storage application/CDFV2"},
        {"docx", "application/vnd.openxmlformats application/zip application/octet-stream"},
        {"xlsx", "application/vnd.openxmlformats application/zip application/octet-stream"},
        {"sqlite", "application/vnd.sqlite3 application/x-sqlite3"},
        {"db", "application/vnd.sqlite3 application/x-sqlite3 application/"},
    };
    const char *dot = strrchr(name, '.');
    if (!mime || !dot || !strcmp(mime, "inode/x-empty") || !strcmp(mime, "application/x-empty") ||
        !strcmp(mime, "application/octet-stream"))
        return 0;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        if (strcasecmp(dot + 1, tab[i].ext) != 0)
            continue;
        const char *p = tab[i].mimes;
        while (*p) { /* space-separated prefixes */
            size_t n = strcspn(p, " ");
            if (strncmp(mime, p, n) == 0)
                return 0;
            p += n;
            while (*p == ' ')
                p++;
        }
        return 1;
    }
    return 0;
}

/* --- YARA over one file -------------------------------------------------- */

typedef struct yctx {
    walk *w;
    const TSK_FS_ATTR *a;
    int64_t key;
} yctx;

static int yara_read(void *ctx, uint64_t off, uint8_t *buf, size_t len, size_t *got)
{
    yctx *y = ctx;
    ssize_t r =
        tsk_fs_attr_read(y->a, (TSK_OFF_T)off, (char *)buf, len, TSK_FS_FILE_READ_FLAG_NONE);
    if (r < 0) {
        tsk_error_reset();
        return -1;
    }
    *got = (size_t)r;
    return 0;
}

static int yara_match(void *ctx, const char *rule, const char *tags, uint64_t off, trawl_err *err)
{
    yctx *y = ctx;
    walk *w = y->w;
    char path[96];
    uint64_t dev, pos;
    if (plain_place(w, off, 1, &dev)) {
        snprintf(path, sizeof path, "%llu", (unsigned long long)dev);
        pos = dev;
    } else {
        pos = w->data_start >= 0 ? (uint64_t)w->data_start : w->fs_dev;
        snprintf(path, sizeof path, "%llu-FILE-%llu", (unsigned long long)pos,
                 (unsigned long long)off);
    }
    fs_yara_hit yh = {rule, tags, y->key, NULL, pos, path};
    return w->sink->yara ? w->sink->yara(w->sink->ctx, &yh, err) : 0;
}

/* --- One file record ----------------------------------------------------- */

static int is_ntfs_system(const walk *w, uint64_t inode, const char *path)
{
    return w->is_ntfs && (inode < 16 || strncmp(path, "/$Extend/", 9) == 0);
}

static int record(walk *w, TSK_FS_FILE *f, const char *dir, const TSK_FS_ATTR *a,
                  const char *stream)
{
    const TSK_FS_META *m = f->meta;
    const TSK_FS_NAME *nm = f->name;
    if (++w->nfiles > FS_MAX_FILES)
        return trawl_fail(w->err, TRAWL_ELIMIT, "more than %u files in one device",
                          (unsigned)FS_MAX_FILES);
    sb_reset(&w->path);
    sb_addc(&w->path, '/');
    sb_adds(&w->path, dir);
    sb_adds(&w->path, nm->name);
    if (stream) {
        sb_addc(&w->path, ':');
        sb_adds(&w->path, stream);
    }
    if (w->path.oom)
        return trawl_fail(w->err, TRAWL_ENOMEM, "out of memory for a path");
    const char *path = sb_cstr(&w->path);
    int name_unalloc = (nm->flags & TSK_FS_NAME_FLAG_UNALLOC) != 0;
    int meta_unalloc = m && (m->flags & TSK_FS_META_FLAG_UNALLOC);
    int realloc_ = name_unalloc && m && (m->flags & TSK_FS_META_FLAG_ALLOC);

    fs_file rec;
    memset(&rec, 0, sizeof rec);
    char tb[4][32];
    rec.volume_key = w->vol_key;
    rec.path = path;
    rec.name = nm->name;
    rec.inode = m ? (uint64_t)m->addr : (uint64_t)nm->meta_addr;
    rec.attr = stream;
    rec.meta_type = meta_type_name(m);
    rec.alloc = !name_unalloc && !meta_unalloc;
    rec.orphan = strncmp(dir, "$OrphanFiles", 12) == 0;
    rec.size = a ? (uint64_t)a->size : m ? (uint64_t)m->size : 0;
    if (m) {
        fmt_time(fat_time(w, m->mtime), tb[0], &rec.mtime);
        fmt_time(fat_time(w, m->atime), tb[1], &rec.atime);
        fmt_time(fat_time(w, m->ctime), tb[2], &rec.ctime);
        fmt_time(fat_time(w, m->crtime), tb[3], &rec.crtime);
    }
    /* A reallocated name points at metadata that now belongs to another
     * file: its runs and content are not this name's. */
    const TSK_FS_ATTR *da = realloc_ ? NULL : a;
    unsigned flags;
    int rc = collect_runs(w, rec.inode, da, &flags);
    if (rc)
        return rc;
    int has_data = (flags & FS_FILE_RESIDENT) != 0;
    for (size_t i = 0; i < w->nruns; i++)
        if (!(w->runs[i].flags & FS_RUN_SPARSE))
            has_data = 1;
    int is_dir = m && TSK_FS_IS_DIR_META(m->type);
    /* all-sparse content ($BadClus:$Bad) is not stored anywhere: not read */
    int readable =
        da && m && !is_dir && (has_data || rec.size == 0) && !(da->flags & TSK_FS_ATTR_ENC);
    int logical = readable && w->eng && w->opt->logical && !is_ntfs_system(w, rec.inode, path) &&
                  da->type != TSK_FS_ATTR_TYPE_NTFS_IDXROOT &&
                  (flags & (FS_FILE_FRAGMENTED | FS_FILE_RESIDENT | FS_FILE_COMPRESSED));
    /* A file larger than its whole volume is all holes or runs that repeat
     * blocks: reading it would cost time by a size the evidence chose (a
     * 20 KB ext2 can claim terabytes).  Not read; the raw scan has the bytes. */
    if (readable && rec.size > w->vol_len) {
        if ((rc = problem(w,
                          "%s (inode %llu): claims %llu bytes, more than its volume (%llu "
                          "bytes); content not read",
                          path, (unsigned long long)rec.inode, (unsigned long long)rec.size,
                          (unsigned long long)w->vol_len)) != 0)
            return rc;
        readable = logical = 0;
        flags |= FS_FILE_UNREADABLE;
    }
    content c;
    memset(&c, 0, sizeof c);
    w->nhits = 0;
    sb_reset(&w->arena);
    if (readable && (w->opt->hash || w->opt->magic || logical)) {
        if ((rc = read_content(w, da, logical, &c)) != 0)
            return rc;
        if (!c.read_ok) {
            flags |= FS_FILE_UNREADABLE;
            logical = 0;
            w->nhits = 0;
            if (rec.alloc && (rc = problem(w, "%s (inode %llu): content could not be read: %s",
                                           path, (unsigned long long)rec.inode, c.why)))
                return rc;
        }
    }
    if (logical)
        flags |= FS_FILE_LOGICAL;
    if (c.read_ok && w->opt->hash) {
        rec.md5 = c.md5;
        rec.sha1 = c.sha1;
        rec.sha256 = c.sha256;
    }
    rec.mime = c.mime;
    rec.ext_mismatch = ext_mismatch(nm->name, c.mime);
    rec.data_start = w->data_start;
    rec.runs = w->runs;
    rec.nruns = w->nruns;
    rec.flags = flags;
    int64_t key = 0;
    if (w->sink->file && (rc = w->sink->file(w->sink->ctx, &rec, &key, w->err)) != 0)
        return rc;

    /* the map: virtual files (FAT tables, $MBR) stay fs-metadata */
    if (m && m->type != TSK_FS_META_TYPE_VIRT && m->type != TSK_FS_META_TYPE_VIRT_DIR) {
        for (size_t i = 0; i < w->nruns; i++) {
            const fs_run *r = &w->runs[i];
            if (r->flags & FS_RUN_SPARSE)
                continue;
            int prio = (r->flags & FS_RUN_RESIDENT) ? FS_PRIO_RESIDENT
                       : rec.alloc                  ? FS_PRIO_ALLOC
                                                    : FS_PRIO_DELETED;
            if ((rc = fs_mapb_add(w->mb, r->dev_offset, r->length, prio, key, FS_AREA_NONE, logical,
                                  w->err)) != 0)
                return rc;
        }
        if (rec.alloc && (rc = add_slack(w, da, key)) != 0)
            return rc;
    }
    /* logical hits, now that the file has a key */
    for (size_t i = 0; i < w->nhits && w->sink->hit; i++) {
        const hitrec *r = &w->hits[i];
        const char *ar = w->arena.buf;
        scan_hit h = {ar + r->type,   ar + r->feature, r->feature_len,
                      ar + r->path,   r->offset,       (const uint8_t *)ar + r->context,
                      r->context_len, r->flags,        r->time};
        if ((rc = w->sink->hit(w->sink->ctx, key, &h, w->err)) != 0)
            return rc;
    }
    w->nhits = 0;
    if (readable && w->rules && !(flags & FS_FILE_UNREADABLE)) {
        yctx y = {w, da, key};
        if ((rc = fs_rules_scan(w->rules, rec.size, yara_read, &y, yara_match, &y, w->err)) != 0)
            return rc;
    }
    return 0;
}

static int do_name(walk *w, TSK_FS_FILE *f, const char *dir)
{
    if (w->is_ntfs && f->meta) {
        int n = tsk_fs_file_attr_getsize(f), done = 0;
        for (int i = 0; i < n; i++) {
            const TSK_FS_ATTR *a = tsk_fs_file_attr_get_idx(f, i);
            /* as fls: one record per $DATA stream and per index root */
            if (!a ||
                (a->type != TSK_FS_ATTR_TYPE_NTFS_DATA && a->type != TSK_FS_ATTR_TYPE_NTFS_IDXROOT))
                continue;
            const char *stream = (a->name && a->name[0] && strcmp(a->name, "$Data") != 0 &&
                                  strcmp(a->name, "$I30") != 0)
                                     ? a->name
                                     : NULL;
            done = 1;
            int rc = record(w, f, dir, a, stream);
            if (rc)
                return rc;
        }
        tsk_error_reset();
        if (done)
            return 0;
        return record(w, f, dir, NULL, NULL);
    }
    const TSK_FS_ATTR *a = f->meta ? tsk_fs_file_attr_get(f) : NULL;
    tsk_error_reset();
    return record(w, f, dir, a, NULL);
}

static TSK_WALK_RET_ENUM dir_cb(TSK_FS_FILE *f, const char *path, void *ptr)
{
    walk *w = ptr;
    if (!f->name || !f->name->name || TSK_FS_ISDOT(f->name->name))
        return TSK_WALK_CONT;
    int rc = do_name(w, f, path ? path : "");
    if (rc) {
        w->rc = rc;
        return TSK_WALK_STOP;
    }
    return TSK_WALK_CONT;
}

/* --- Unallocated blocks -------------------------------------------------- */

typedef struct ublk {
    walk *w;
    uint64_t start, n; /* current range of blocks */
    int rc;
} ublk;

static int ublk_flush(ublk *u)
{
    if (!u->n)
        return 0;
    walk *w = u->w;
    uint64_t bs = w->fs->block_size, dev = w->fs_dev + u->start * bs, len = u->n * bs;
    u->n = 0;
    int rc = fs_mapb_add(w->mb, dev, len, FS_PRIO_UNALLOC, 0, FS_AREA_UNALLOC, 0, w->err);
    if (rc || !w->rules || !w->opt->yara_unalloc)
        return rc;
    if (w->nunalloc == w->ucap) {
        size_t cap = w->ucap ? w->ucap * 2 : 256;
        fs_run *r = realloc(w->unalloc, cap * sizeof *r);
        if (!r)
            return trawl_fail(w->err, TRAWL_ENOMEM, "out of memory for unallocated ranges");
        w->unalloc = r;
        w->ucap = cap;
    }
    w->unalloc[w->nunalloc++] = (fs_run){0, dev, len, 0};
    return 0;
}

static TSK_WALK_RET_ENUM ublk_cb(const TSK_FS_BLOCK *b, void *ptr)
{
    ublk *u = ptr;
    if (u->n && b->addr == u->start + u->n) {
        u->n++;
        return TSK_WALK_CONT;
    }
    if ((u->rc = ublk_flush(u)) != 0)
        return TSK_WALK_STOP;
    u->start = b->addr;
    u->n = 1;
    return TSK_WALK_CONT;
}

/* --- YARA over unallocated space ---------------------------------------- */

typedef struct uctx {
    walk *w;
    uint64_t dev; /* device offset of the range */
} uctx;

static int unalloc_read(void *ctx, uint64_t off, uint8_t *buf, size_t len, size_t *got)
{
    uctx *u = ctx;
    ssize_t r =
        tsk_img_read(&u->w->timg->info, (TSK_OFF_T)(u->dev - u->w->base + off), (char *)buf, len);
    if (r < 0) {
        tsk_error_reset();
        return -1;
    }
    *got = (size_t)r;
    return 0;
}

static int unalloc_match(void *ctx, const char *rule, const char *tags, uint64_t off,
                         trawl_err *err)
{
    uctx *u = ctx;
    char path[32];
    snprintf(path, sizeof path, "%llu", (unsigned long long)(u->dev + off));
    fs_yara_hit yh = {rule, tags, 0, FS_AREA_UNALLOCATED, u->dev + off, path};
    return u->w->sink->yara ? u->w->sink->yara(u->w->sink->ctx, &yh, err) : 0;
}

/* Each unallocated range is one YARA subject (filesize is its length). */
static int yara_unalloc(walk *w)
{
    for (size_t i = 0; i < w->nunalloc; i++) {
        uctx u = {w, w->unalloc[i].dev_offset};
        int rc = fs_rules_scan(w->rules, w->unalloc[i].length, unalloc_read, &u, unalloc_match, &u,
                               w->err);
        if (rc)
            return rc;
    }
    w->nunalloc = 0;
    return 0;
}

/* --- Volumes ------------------------------------------------------------- */

static int ntfs_prepare(walk *w)
{
    uint8_t bs[512];
    w->nmft = 0;
    w->mft_rsize = 0;
    if (tsk_fs_read(w->fs, 0, (char *)bs, sizeof bs) != (ssize_t)sizeof bs) {
        tsk_error_reset();
        return 0;
    }
    uint32_t cluster = (uint32_t)(bs[0x0b] | bs[0x0c] << 8) * bs[0x0d];
    int8_t c = (int8_t)bs[0x40];
    w->mft_rsize = c > 0 ? (uint32_t)c * cluster : (c > -31 && c < 0) ? 1u << -c : 0;
    TSK_FS_FILE *mf = tsk_fs_file_open_meta(w->fs, NULL, 0);
    const TSK_FS_ATTR *a =
        mf ? tsk_fs_file_attr_get_type(mf, TSK_FS_ATTR_TYPE_NTFS_DATA, 0, 0) : NULL;
    unsigned flags;
    int rc = 0;
    if (a && (rc = collect_runs(w, 0, a, &flags)) == 0 && w->nruns) {
        free(w->mft);
        w->mft = malloc(w->nruns * sizeof *w->mft);
        if (!w->mft)
            rc = trawl_fail(w->err, TRAWL_ENOMEM, "out of memory for $MFT runs");
        else {
            memcpy(w->mft, w->runs, w->nruns * sizeof *w->mft);
            w->nmft = w->nruns;
        }
    }
    tsk_error_reset();
    tsk_fs_file_close(mf);
    return rc;
}

/* What sits at a volume TSK cannot read, for its status line. */
static const char *unreadable_kind(walk *w, uint64_t off, uint64_t len)
{
    uint8_t b[8];
    if (len >= 0x10048 &&
        tsk_img_read(&w->timg->info, (TSK_OFF_T)(off + 0x10040), (char *)b, 8) == 8 &&
        memcmp(b, "_BHRfS_M", 8) == 0)
        return "btrfs";
    if (len >= 40 && tsk_img_read(&w->timg->info, (TSK_OFF_T)(off + 32), (char *)b, 4) == 4 &&
        memcmp(b, "NXSB", 4) == 0)
        return "apfs";
    tsk_error_reset();
    return NULL;
}

static int walk_volume(walk *w, uint64_t off, uint64_t len, const char *desc)
{
    int rc;
    fs_volume v = {w->base + off, len, desc ? desc : "", NULL, "ok"};
    char status[600];
    w->vol_len = len;
    w->fs = tsk_fs_open_img(&w->timg->info, (TSK_OFF_T)off, TSK_FS_TYPE_DETECT);
    if (!w->fs) {
        snprintf(status, sizeof status, "no file system TSK can read: %s", tsk_msg());
        tsk_error_reset();
        const char *kind = unreadable_kind(w, off, len);
        if (kind && !strcmp(kind, "btrfs"))
            snprintf(status, sizeof status,
                     "btrfs: not readable by TSK 4.11 (raw scan only, hits unattributed)");
        else if (kind)
            snprintf(status, sizeof status,
                     "APFS: not readable by TSK 4.11 without its pool API (raw scan only, hits "
                     "unattributed)");
        v.fs_type = NULL; /* none was read; the status names what is there */
        v.status = status;
        int64_t key = 0;
        if (w->sink->volume && (rc = w->sink->volume(w->sink->ctx, &v, &key, w->err)) != 0)
            return rc;
        if ((rc = problem(w, "volume at offset %llu (%s): %s", (unsigned long long)v.offset,
                          v.description, status)) != 0)
            return rc;
        return fs_mapb_add(w->mb, v.offset, len, FS_PRIO_VOLUME, 0, FS_AREA_UNKNOWN, 0, w->err);
    }
    v.fs_type = tsk_fs_type_toname(w->fs->ftype);
    w->vol_key = 0;
    if (w->sink->volume && (rc = w->sink->volume(w->sink->ctx, &v, &w->vol_key, w->err)) != 0)
        goto out;
    w->fs_dev = w->base + (uint64_t)w->fs->offset;
    w->is_ntfs = TSK_FS_TYPE_ISNTFS(w->fs->ftype) != 0;
    w->is_fat = TSK_FS_TYPE_ISFAT(w->fs->ftype) != 0;
    if ((rc = fs_mapb_add(w->mb, v.offset, len, FS_PRIO_VOLUME, 0, FS_AREA_META, 0, w->err)) != 0)
        goto out;
    if (w->is_ntfs && (rc = ntfs_prepare(w)) != 0)
        goto out;
    ublk u = {w, 0, 0, 0};
    if (tsk_fs_block_walk(w->fs, w->fs->first_block, w->fs->last_block,
                          TSK_FS_BLOCK_WALK_FLAG_UNALLOC | TSK_FS_BLOCK_WALK_FLAG_AONLY, ublk_cb,
                          &u)) {
        if (u.rc) {
            rc = u.rc;
            goto out;
        }
        if ((rc = problem(w, "volume at offset %llu: unallocated blocks: %s",
                          (unsigned long long)v.offset, tsk_msg())) != 0)
            goto out;
        tsk_error_reset();
    }
    if ((rc = u.rc ? u.rc : ublk_flush(&u)) != 0)
        goto out;
    w->rc = 0;
    if (tsk_fs_dir_walk(w->fs, w->fs->root_inum,
                        TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_UNALLOC |
                            TSK_FS_DIR_WALK_FLAG_RECURSE,
                        dir_cb, w)) {
        if (w->rc) {
            rc = w->rc;
            goto out;
        }
        if ((rc = problem(w, "volume at offset %llu: directory walk stopped: %s",
                          (unsigned long long)v.offset, tsk_msg())) != 0)
            goto out;
        tsk_error_reset();
    }
    rc = w->rc;
    if (!rc && w->nunalloc)
        rc = yara_unalloc(w);
out:
    w->nunalloc = 0;
    tsk_fs_close(w->fs);
    w->fs = NULL;
    w->is_ntfs = 0;
    w->nmft = 0;
    return rc;
}

/* TSK refuses a whole DOS partition table when one entry starts past the
 * end of the media, and the media is then walked as one volume.  Say why:
 * read the four primary entries of sector 0 (0x55AA signature) and record
 * each that starts past the end. */
static int mbr_past_end(walk *w, uint64_t size)
{
    uint8_t s[512];
    size_t got = 0;
    trawl_err e;
    if (size < sizeof s || ev_read(w->ev, 0, s, sizeof s, &got, &e) != 0 || got != sizeof s ||
        s[510] != 0x55 || s[511] != 0xaa)
        return 0;
    for (int i = 0; i < 4; i++) {
        const uint8_t *p = s + 446 + 16 * i;
        uint64_t start =
            (uint64_t)p[8] | (uint64_t)p[9] << 8 | (uint64_t)p[10] << 16 | (uint64_t)p[11] << 24;
        if (p[4] == 0 || start * 512 < size)
            continue;
        int rc = problem(w,
                         "partition table: entry %d starts at sector %llu, past the end of the "
                         "media (%llu sectors); the table is not used, the media is walked as one "
                         "volume",
                         i + 1, (unsigned long long)start, (unsigned long long)(size / 512));
        if (rc)
            return rc;
    }
    return 0;
}

static int walk_image(walk *w)
{
    uint64_t size = ev_size(w->ev);
    int rc = fs_mapb_add(w->mb, w->base, size, FS_PRIO_DEVICE, 0, FS_AREA_UNPART, 0, w->err);
    if (rc)
        return rc;
    TSK_VS_INFO *vs = tsk_vs_open(&w->timg->info, 0, TSK_VS_TYPE_DETECT);
    size_t nalloc = 0;
    if (vs) {
        for (TSK_PNUM_T i = 0; i < vs->part_count; i++) {
            const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
            if (p && (p->flags & TSK_VS_PART_FLAG_ALLOC))
                nalloc++;
        }
    }
    tsk_error_reset();
    if (!nalloc) {
        tsk_vs_close(vs);
        if (!vs && (rc = mbr_past_end(w, size)) != 0)
            return rc;
        return walk_volume(w, 0, size, "");
    }
    /* Hostile tables: a partition past the end is clipped (or skipped), and
     * one that repeats an earlier partition's range is not walked twice;
     * each is recorded as a problem. */
    uint64_t seen_off[64], seen_len[64];
    size_t nseen = 0;
    for (TSK_PNUM_T i = 0; i < vs->part_count && !rc; i++) {
        const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
        if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
            continue;
        uint64_t off = (uint64_t)p->start * vs->block_size, len = (uint64_t)p->len * vs->block_size;
        if (off >= size) {
            rc = problem(w,
                         "partition at offset %llu (%s) starts past the end of the media "
                         "(%llu bytes); skipped",
                         (unsigned long long)(w->base + off), p->desc, (unsigned long long)size);
            continue;
        }
        if (len > size - off) {
            if ((rc = problem(w,
                              "partition at offset %llu (%s) claims %llu bytes, %llu past the "
                              "end of the media; read up to the end",
                              (unsigned long long)(w->base + off), p->desc, (unsigned long long)len,
                              (unsigned long long)(len - (size - off)))) != 0)
                break;
            len = size - off;
        }
        int dup = 0;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = seen_off[k] == off && seen_len[k] == len;
        if (dup) {
            rc = problem(w,
                         "partition at offset %llu (%s) repeats an earlier partition's range; "
                         "walked once",
                         (unsigned long long)(w->base + off), p->desc);
            continue;
        }
        if (nseen < sizeof seen_off / sizeof *seen_off) {
            seen_off[nseen] = off;
            seen_len[nseen++] = len;
        }
        rc = walk_volume(w, off, len, p->desc);
    }
    tsk_vs_close(vs);
    return rc;
}

int fs_walk(ev_image *img, uint64_t base, scan_engine *eng, const fs_options *opt,
            const fs_rules *rules, const fs_sink *sink, fs_map **map_out, trawl_err *err)
{
    fs_options defopt;
    fs_sink nosink;
    if (!opt) {
        fs_options_default(&defopt);
        opt = &defopt;
    }
    if (!sink) {
        memset(&nosink, 0, sizeof nosink);
        sink = &nosink;
    }
    walk w;
    memset(&w, 0, sizeof w);
    w.ev = img;
    w.base = base;
    w.eng = eng;
    w.opt = opt;
    w.rules = rules;
    w.sink = sink;
    w.err = err;
    fs_tz *tz = NULL;
    int rc = fs_tz_open(opt->tz, &tz, err);
    if (rc)
        return rc;
    w.tz = tz;
    w.mb = fs_mapb_new();
    w.chunk = malloc(FS_READ_CHUNK);
    w.win = eng ? malloc(WIN_SIZE + 2 * WIN_MARGIN) : NULL;
    w.timg = calloc(1, sizeof *w.timg);
    if (!w.mb || !w.chunk || (eng && !w.win) || !w.timg) {
        free(w.timg);
        w.timg = NULL;
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        goto out;
    }
    w.timg->ev = img;
    if (!tsk_img_open_external(w.timg, (TSK_OFF_T)ev_size(img), 512, tsk_ev_read, tsk_ev_close,
                               tsk_ev_stat)) { /* fails only on its argument checks */
        rc = trawl_fail(err, TRAWL_EFORMAT, "libtsk: cannot open image: %s", tsk_msg());
        tsk_error_reset();
        free(w.timg);
        w.timg = NULL;
        goto out;
    }
    if (opt->magic) {
        w.magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (w.magic && magic_load(w.magic, NULL) != 0) {
            magic_close(w.magic);
            w.magic = NULL;
        }
        w.magic_text = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_SOFT);
        if (w.magic_text && magic_load(w.magic_text, NULL) != 0) {
            magic_close(w.magic_text);
            w.magic_text = NULL;
        }
        if (!w.magic && (rc = problem(&w, "libmagic: cannot load its database: no MIME types")))
            goto out;
    }
    rc = walk_image(&w);
    if (!rc && w.timg->nbad)
        rc = problem(&w, "%llu reads from the image failed (first at %llu); zero-filled",
                     (unsigned long long)w.timg->nbad, (unsigned long long)w.timg->first_bad);
    if (!rc && map_out)
        rc = fs_mapb_finish(w.mb, map_out, err);
out:
    fs_tz_free(tz);
    if (w.timg)
        tsk_img_close(&w.timg->info);
    if (w.magic)
        magic_close(w.magic);
    if (w.magic_text)
        magic_close(w.magic_text);
    fs_mapb_free(w.mb);
    free(w.chunk);
    free(w.win);
    free(w.runs);
    free(w.mft);
    free(w.unalloc);
    free(w.hits);
    sb_free(&w.path);
    sb_free(&w.arena);
    return rc;
}
