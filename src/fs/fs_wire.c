/* fs_wire.c: the file-system stage's results as a byte stream (see
 * fs_wire.h).
 *
 * Format: messages of a u32 length (little-endian) then that many bytes: a
 * type byte and fields.  Integers are little-endian u32/u64; strings are a
 * u32 length then the bytes with their NUL (length 0xffffffff for NULL);
 * byte strings (hit context) a u32 length then the bytes.  The writer
 * numbers volumes and files 1, 2, ... in the order it reports them; the
 * reader translates those keys to its sink's. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs_wire.h"
#include "util/limits.h"

enum {
    M_VOLUME = 'V',
    M_FILE = 'F',
    M_HIT = 'H',
    M_YARA = 'Y',
    M_PROBLEM = 'P',
    M_MAP = 'M',   /* u32 image, u32 n, n segments */
    M_IMAGE = 'I', /* u32 image: its map is complete */
    M_ERROR = 'E', /* u32 code, string message: fs_walk failed */
    M_DONE = 'D',  /* every image walked */
};

#define NULL_STR 0xffffffffu

/* --- Writing ------------------------------------------------------------ */

struct fs_wire {
    int fd;
    uint8_t *b;
    size_t len, cap, msg; /* msg: where the current message's length goes */
    int open;             /* a message is begun and not ended */
    int oom;
    int64_t nvol, nfile;
};

typedef struct fs_wire wire;

static void w_need(wire *w, size_t n)
{
    if (w->oom || w->len + n <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : 1 << 16;
    while (cap < w->len + n)
        cap *= 2;
    uint8_t *b = realloc(w->b, cap);
    if (!b) {
        w->oom = 1;
        return;
    }
    w->b = b;
    w->cap = cap;
}

static void w_raw(wire *w, const void *p, size_t n)
{
    w_need(w, n);
    if (w->oom)
        return;
    memcpy(w->b + w->len, p, n);
    w->len += n;
}

static void w_u32(wire *w, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    w_raw(w, b, 4);
}

static void w_u64(wire *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    w_raw(w, b, 8);
}

static void w_u8(wire *w, unsigned v)
{
    uint8_t b = (uint8_t)v;
    w_raw(w, &b, 1);
}

static void w_str(wire *w, const char *s)
{
    if (!s) {
        w_u32(w, NULL_STR);
        return;
    }
    size_t n = strlen(s) + 1;
    w_u32(w, (uint32_t)n);
    w_raw(w, s, n);
}

static void w_bytes(wire *w, const void *p, size_t n)
{
    w_u32(w, (uint32_t)n);
    w_raw(w, p, n);
}

static int w_flush(wire *w)
{
    size_t off = 0;
    while (off < w->len) {
        ssize_t n = write(w->fd, w->b + off, w->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    w->len = 0;
    return 0;
}

static void w_begin(wire *w, int type)
{
    w->msg = w->len;
    w->open = 1;
    w_u32(w, 0);
    w_u8(w, (unsigned)type);
}

/* Finish the message; flush past 1 MiB.  A message the parent would refuse
 * (too long) is the child's failure, not something to send. */
static int w_end(wire *w, trawl_err *err)
{
    if (w->oom)
        return trawl_fail(err, TRAWL_ENOMEM, "file-system stage: out of memory");
    size_t n = w->len - w->msg - 4;
    if (n > FS_CHILD_MAX_MSG)
        return trawl_fail(err, TRAWL_ELIMIT, "file-system stage: a message of %zu bytes", n);
    for (int i = 0; i < 4; i++)
        w->b[w->msg + (size_t)i] = (uint8_t)(n >> (8 * i));
    w->open = 0;
    if (w->len >= (1u << 20) && w_flush(w))
        return trawl_fail(err, TRAWL_EIO, "file-system stage: write: %s", strerror(errno));
    return 0;
}

static int c_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    wire *w = ctx;
    w_begin(w, M_VOLUME);
    w_u64(w, v->offset);
    w_u64(w, v->length);
    w_str(w, v->description);
    w_str(w, v->fs_type);
    w_str(w, v->status);
    *key = ++w->nvol;
    return w_end(w, err);
}

static int c_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    wire *w = ctx;
    w_begin(w, M_FILE);
    w_u64(w, (uint64_t)f->volume_key);
    w_str(w, f->path);
    w_str(w, f->name);
    w_u64(w, f->inode);
    w_str(w, f->attr);
    w_str(w, f->meta_type);
    w_u64(w, f->size);
    w_u8(w, f->alloc != 0);
    w_u8(w, f->orphan != 0);
    const char *s[] = {f->mtime, f->atime, f->ctime,  f->crtime,
                       f->md5,   f->sha1,  f->sha256, f->mime};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        w_str(w, s[i]);
    w_u8(w, f->ext_mismatch != 0);
    w_u64(w, (uint64_t)f->data_start);
    w_u32(w, f->flags);
    w_u64(w, f->nruns);
    for (size_t i = 0; i < f->nruns; i++) {
        w_u64(w, f->runs[i].file_offset);
        w_u64(w, f->runs[i].dev_offset);
        w_u64(w, f->runs[i].length);
        w_u32(w, f->runs[i].flags);
    }
    *key = ++w->nfile;
    return w_end(w, err);
}

static int c_hit(void *ctx, int64_t file_key, const scan_hit *h, trawl_err *err)
{
    wire *w = ctx;
    w_begin(w, M_HIT);
    w_u64(w, (uint64_t)file_key);
    w_str(w, h->type);
    w_u32(w, (uint32_t)h->feature_len + 1);
    w_raw(w, h->feature, h->feature_len);
    w_u8(w, 0);
    w_str(w, h->path);
    w_u64(w, h->offset);
    w_bytes(w, h->context, h->context ? h->context_len : 0);
    w_u32(w, h->flags);
    w_u64(w, (uint64_t)h->time);
    return w_end(w, err);
}

static int c_yara(void *ctx, const fs_yara_hit *y, trawl_err *err)
{
    wire *w = ctx;
    w_begin(w, M_YARA);
    w_str(w, y->rule);
    w_str(w, y->tags);
    w_u64(w, (uint64_t)y->file_key);
    w_str(w, y->area);
    w_u64(w, y->pos);
    w_str(w, y->path);
    return w_end(w, err);
}

static int c_problem(void *ctx, const char *msg, trawl_err *err)
{
    wire *w = ctx;
    w_begin(w, M_PROBLEM);
    w_str(w, msg);
    return w_end(w, err);
}

int fs_wire_map(fs_wire *w, uint32_t img, const fs_map *m, trawl_err *err)
{
    size_t n = fs_map_size(m);
    for (size_t i = 0; i < n; i += FS_CHILD_MAP_CHUNK) {
        size_t k = n - i < FS_CHILD_MAP_CHUNK ? n - i : FS_CHILD_MAP_CHUNK;
        w_begin(w, M_MAP);
        w_u32(w, img);
        w_u32(w, (uint32_t)k);
        for (size_t j = i; j < i + k; j++) {
            fs_map_seg s;
            fs_map_get(m, j, &s);
            w_u64(w, s.start);
            w_u64(w, s.end);
            w_u64(w, (uint64_t)s.key);
            w_u8(w, s.area);
            w_u8(w, s.covered);
        }
        int rc = w_end(w, err);
        if (rc)
            return rc;
    }
    w_begin(w, M_IMAGE);
    w_u32(w, img);
    return w_end(w, err);
}

fs_wire *fs_wire_new(int fd)
{
    fs_wire *w = calloc(1, sizeof *w);
    if (w)
        w->fd = fd;
    return w;
}

fs_sink fs_wire_sink(fs_wire *w)
{
    return (fs_sink){w, c_volume, c_file, c_hit, c_yara, c_problem};
}

int fs_wire_end(fs_wire *w, int code, const char *msg)
{
    if (w->open) /* drop a message cut short by an error */
        w->len = w->msg;
    w->oom = 0;
    if (code) {
        w_begin(w, M_ERROR);
        w_u32(w, (uint32_t)code);
        w_str(w, msg ? msg : "");
    } else {
        w_begin(w, M_DONE);
    }
    trawl_err e;
    return w_end(w, &e) || w_flush(w) ? -1 : 0;
}

void fs_wire_free(fs_wire *w)
{
    if (!w)
        return;
    free(w->b);
    free(w);
}

/* --- Reading ------------------------------------------------------------ */

typedef struct rd {
    const uint8_t *p;
    size_t n, i;
    int bad;
} rd;

static uint64_t r_uint(rd *r, int bytes)
{
    if (r->bad || r->n - r->i < (size_t)bytes) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++)
        v |= (uint64_t)r->p[r->i + (size_t)k] << (8 * k);
    r->i += (size_t)bytes;
    return v;
}

#define r_u8(r) ((unsigned)r_uint(r, 1))
#define r_u32(r) ((uint32_t)r_uint(r, 4))
#define r_u64(r) r_uint(r, 8)

/* A NUL-terminated string with no NUL inside; NULL for the NULL marker
 * (nullable) or on a bad stream. */
static const char *r_str(rd *r, int nullable, size_t *len)
{
    uint32_t n = r_u32(r);
    if (r->bad)
        return NULL;
    if (n == NULL_STR) {
        if (!nullable)
            r->bad = 1;
        return NULL;
    }
    if (n == 0 || r->n - r->i < n || r->p[r->i + n - 1] != 0 ||
        memchr(r->p + r->i, 0, n - 1) != NULL) {
        r->bad = 1;
        return NULL;
    }
    const char *s = (const char *)r->p + r->i;
    r->i += n;
    if (len)
        *len = n - 1;
    return s;
}

static const uint8_t *r_bytes(rd *r, size_t *len)
{
    uint32_t n = r_u32(r);
    if (r->bad || r->n - r->i < n) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *p = r->p + r->i;
    r->i += n;
    *len = n;
    return p;
}

static int known_type(const char *type)
{
    for (const char *const *t = scan_type_names(); *t; t++)
        if (strcmp(*t, type) == 0)
            return 1;
    return 0;
}

/* Where a replay is: the keys the sink gave, the maps being rebuilt. */
typedef struct replay {
    const fs_sink *sink; /* NULL: check only */
    size_t nimgs;
    int64_t *vol, *file; /* sink keys by child key - 1 */
    int64_t nvol, nfile;
    size_t cap_vol, cap_file;
    uint32_t img;      /* the image whose map comes next */
    uint64_t last_end; /* end of its last segment */
    fs_map_seg *segs;  /* its segments so far (replay only) */
    size_t nsegs, cap_segs;
    fs_map **maps; /* replay only */
    fs_wire_result *res;
} replay;

static int push_key(int64_t **v, size_t *cap, int64_t n, int64_t key)
{
    if ((size_t)n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        int64_t *p = realloc(*v, c * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = c;
    }
    (*v)[n] = key;
    return 0;
}

/* Child key k (0: none) to the sink's, or -1 when out of range. */
static int64_t map_key(const replay *p, uint64_t k, int64_t n, const int64_t *keys)
{
    if (k > (uint64_t)n)
        return -1;
    if (k == 0)
        return 0;
    return p->sink ? keys[k - 1] : (int64_t)k;
}

#define BAD(...)                                                                                   \
    do {                                                                                           \
        snprintf(p->res->why, sizeof p->res->why, __VA_ARGS__);                                    \
        return 1;                                                                                  \
    } while (0)

void fs_wire_count(fs_wire_counter *k, const uint8_t *b, size_t n)
{
    while (n > 0) {
        if (k->skip > 0) {
            size_t m = k->skip < n ? (size_t)k->skip : n;
            k->skip -= m;
            b += m;
            n -= m;
            continue;
        }
        k->hdr[k->have++] = *b++;
        n--;
        if (k->have < 5)
            continue;
        uint32_t len = (uint32_t)k->hdr[0] | (uint32_t)k->hdr[1] << 8 | (uint32_t)k->hdr[2] << 16 |
                       (uint32_t)k->hdr[3] << 24;
        if (k->hdr[4] == M_FILE)
            k->files++;
        k->skip = len > 0 ? len - 1 : 0; /* the type byte is counted in len */
        k->have = 0;
    }
}

/* One message.  Returns 0, 1 for a bad stream (p->why says why), or -1 with
 * err set for a failure of the sink or of memory. */
static int one_message(replay *p, const uint8_t *b, size_t n, trawl_err *err)
{
    rd r = {b, n, 0, 0};
    unsigned type = r_u8(&r);
    const fs_sink *s = p->sink;
    int rc = 0;
    if (p->res->done)
        BAD("a message after the end");
    switch (type) {
    case M_VOLUME: {
        fs_volume v;
        v.offset = r_u64(&r);
        v.length = r_u64(&r);
        v.description = r_str(&r, 0, NULL);
        v.fs_type = r_str(&r, 1, NULL);
        v.status = r_str(&r, 1, NULL);
        if (r.bad || r.i != r.n)
            break;
        int64_t key = ++p->nvol;
        if (s && s->volume && (rc = s->volume(s->ctx, &v, &key, err)) != 0)
            return -1;
        if (s && push_key(&p->vol, &p->cap_vol, p->nvol - 1, key))
            goto oom;
        return 0;
    }
    case M_FILE: {
        fs_file f;
        uint64_t vk = r_u64(&r);
        f.path = r_str(&r, 0, NULL);
        f.name = r_str(&r, 0, NULL);
        f.inode = r_u64(&r);
        f.attr = r_str(&r, 1, NULL);
        f.meta_type = r_str(&r, 1, NULL);
        f.size = r_u64(&r);
        f.alloc = (int)r_u8(&r);
        f.orphan = (int)r_u8(&r);
        const char **str[] = {&f.mtime, &f.atime, &f.ctime,  &f.crtime,
                              &f.md5,   &f.sha1,  &f.sha256, &f.mime};
        for (size_t i = 0; i < sizeof str / sizeof *str; i++)
            *str[i] = r_str(&r, 1, NULL);
        f.ext_mismatch = (int)r_u8(&r);
        f.data_start = (int64_t)r_u64(&r);
        f.flags = r_u32(&r);
        uint64_t nruns = r_u64(&r);
        if (r.bad || nruns > FS_MAX_RUNS_PER_FILE || nruns > (r.n - r.i) / 28 ||
            r.n - r.i != nruns * 28 || f.alloc > 1 || f.orphan > 1 || f.ext_mismatch > 1)
            break;
        if ((f.volume_key = map_key(p, vk, p->nvol, p->vol)) < 0)
            BAD("a file of volume %" PRIu64 ", of %" PRId64, vk, p->nvol);
        fs_run *runs = NULL;
        if (s && nruns && !(runs = malloc(nruns * sizeof *runs)))
            goto oom;
        for (uint64_t i = 0; i < nruns; i++) {
            fs_run x;
            x.file_offset = r_u64(&r);
            x.dev_offset = r_u64(&r);
            x.length = r_u64(&r);
            x.flags = r_u32(&r);
            if (runs)
                runs[i] = x;
        }
        f.runs = runs;
        f.nruns = (size_t)nruns;
        int64_t key = ++p->nfile;
        if (s && s->file && (rc = s->file(s->ctx, &f, &key, err)) != 0) {
            free(runs);
            return -1;
        }
        free(runs);
        if (s && push_key(&p->file, &p->cap_file, p->nfile - 1, key))
            goto oom;
        return 0;
    }
    case M_HIT: {
        scan_hit h;
        uint64_t fk = r_u64(&r);
        h.type = r_str(&r, 0, NULL);
        h.feature = r_str(&r, 0, &h.feature_len);
        h.path = r_str(&r, 0, NULL);
        h.offset = r_u64(&r);
        h.context = r_bytes(&r, &h.context_len);
        h.flags = r_u32(&r);
        h.time = (int64_t)r_u64(&r);
        if (r.bad || r.i != r.n)
            break;
        if (!known_type(h.type))
            BAD("a hit of unknown type");
        int64_t key = map_key(p, fk, p->nfile, p->file);
        if (key < 0)
            BAD("a hit in file %" PRIu64 ", of %" PRId64, fk, p->nfile);
        if (s && s->hit && s->hit(s->ctx, key, &h, err) != 0)
            return -1;
        return 0;
    }
    case M_YARA: {
        fs_yara_hit y;
        y.rule = r_str(&r, 0, NULL);
        y.tags = r_str(&r, 0, NULL);
        uint64_t fk = r_u64(&r);
        y.area = r_str(&r, 1, NULL);
        y.pos = r_u64(&r);
        y.path = r_str(&r, 0, NULL);
        if (r.bad || r.i != r.n)
            break;
        if ((y.file_key = map_key(p, fk, p->nfile, p->file)) < 0)
            BAD("a YARA hit in file %" PRIu64 ", of %" PRId64, fk, p->nfile);
        if (s && s->yara && s->yara(s->ctx, &y, err) != 0)
            return -1;
        return 0;
    }
    case M_PROBLEM: {
        const char *m = r_str(&r, 0, NULL);
        if (r.bad || r.i != r.n)
            break;
        if (s && s->problem && s->problem(s->ctx, m, err) != 0)
            return -1;
        return 0;
    }
    case M_MAP: {
        uint32_t img = r_u32(&r), k = r_u32(&r);
        if (r.bad || img != p->img || img >= p->nimgs || (r.n - r.i) / 26 != k || (r.n - r.i) % 26)
            break;
        if (s && p->nsegs + k > p->cap_segs) {
            size_t c = p->cap_segs ? p->cap_segs : 1024;
            while (c < p->nsegs + k)
                c *= 2;
            fs_map_seg *v = realloc(p->segs, c * sizeof *v);
            if (!v)
                goto oom;
            p->segs = v;
            p->cap_segs = c;
        }
        for (uint32_t i = 0; i < k; i++) {
            fs_map_seg g;
            g.start = r_u64(&r);
            g.end = r_u64(&r);
            uint64_t fk = r_u64(&r);
            g.area = r_u8(&r);
            g.covered = r_u8(&r);
            if (g.start >= g.end || g.start < p->last_end || g.area >= FS_MAP_AREAS ||
                g.covered > 1)
                BAD("image %" PRIu32 ": map segment %" PRIu64 "-%" PRIu64 " out of order", img,
                    g.start, g.end);
            if ((g.key = map_key(p, fk, p->nfile, p->file)) < 0)
                BAD("a map segment of file %" PRIu64 ", of %" PRId64, fk, p->nfile);
            p->last_end = g.end;
            if (s)
                p->segs[p->nsegs++] = g;
        }
        return 0;
    }
    case M_IMAGE: {
        uint32_t img = r_u32(&r);
        if (r.bad || r.i != r.n || img != p->img || img >= p->nimgs)
            break;
        if (s && fs_map_from_segs(p->segs, p->nsegs, &p->maps[img], err))
            return -1;
        p->img++;
        p->nsegs = 0;
        p->last_end = 0;
        return 0;
    }
    case M_ERROR: {
        uint32_t code = r_u32(&r);
        const char *m = r_str(&r, 0, NULL);
        if (r.bad || r.i != r.n)
            break;
        p->res->walk_code = code == 0 || code > 100 ? TRAWL_EIO : (int)code;
        snprintf(p->res->walk_msg, sizeof p->res->walk_msg, "%s", m);
        p->res->done = 1;
        return 0;
    }
    case M_DONE:
        if (r.n != 1 || p->img != p->nimgs)
            break;
        p->res->done = 1;
        return 0;
    default:
        BAD("a message of unknown type %u", type);
    }
    BAD("a malformed message of type '%c' (%zu bytes)", type >= 32 && type < 127 ? type : '?', n);
oom:
    trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    return -1;
}

/* Read the spooled stream from its start through one_message.  0 when
 * every message was sound (p->res->done says whether the end was seen), 1 with
 * p->why on a bad stream, -1 with err on a failure of the parent. */
static int read_stream(FILE *f, replay *p, trawl_err *err)
{
    if (fseeko(f, 0, SEEK_SET) != 0)
        return trawl_fail(err, TRAWL_EIO, "file-system stream: %s", strerror(errno)), -1;
    uint8_t *buf = NULL;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        uint8_t h[4];
        size_t got = fread(h, 1, 4, f);
        if (got == 0 && feof(f))
            break;
        if (got != 4) {
            snprintf(p->res->why, sizeof p->res->why, "a message cut short");
            rc = 1;
            break;
        }
        uint32_t n =
            (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        if (n == 0 || n > FS_CHILD_MAX_MSG) {
            snprintf(p->res->why, sizeof p->res->why, "a message of %" PRIu32 " bytes", n);
            rc = 1;
            break;
        }
        if (n > cap) {
            uint8_t *b = realloc(buf, n);
            if (!b) {
                rc = -1;
                trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
            buf = b;
            cap = n;
        }
        if (fread(buf, 1, n, f) != n) {
            snprintf(p->res->why, sizeof p->res->why, "a message cut short");
            rc = 1;
            break;
        }
        if ((rc = one_message(p, buf, n, err)) != 0)
            break;
    }
    if (!rc && ferror(f))
        rc = -1, trawl_fail(err, TRAWL_EIO, "file-system stream: read failed");
    free(buf);
    return rc;
}

static void replay_free(replay *p)
{
    free(p->vol);
    free(p->file);
    free(p->segs);
}

int fs_wire_read(FILE *f, size_t nimgs, const fs_sink *sink, fs_map **maps, fs_wire_result *res,
                 trawl_err *err)
{
    memset(res, 0, sizeof *res);
    replay p = {.sink = sink, .nimgs = nimgs, .maps = maps, .res = res};
    int rc = read_stream(f, &p, err);
    replay_free(&p);
    if (rc > 0)
        return FS_WIRE_BAD;
    return rc < 0 ? (err->code ? err->code : TRAWL_EIO) : 0;
}
