/* index.c: the per-device feature index (CASE/index/ID.idx).
 *
 * File layout: a 32-byte header ("TRAWLIX1", entry count, device id,
 * entry size) then the device's distinct features as link_entry records
 * sorted by (h1, h2).  The link_index table records which scan of the device
 * (devices.scan_finished) each file was built from, so a device is read
 * again only when it was scanned again, or on --rebuild. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/link_store.h"
#include "link/link_int.h"
#include "util/strbuf.h"
#include "util/limits.h"

static const char magic[8] = {'T', 'R', 'A', 'W', 'L', 'I', 'X', '1'};

typedef struct idx_header {
    char magic[8];
    uint64_t entries;
    int64_t device_id;
    uint64_t entry_size;
} idx_header;

char *link_index_path(case_db *c, int64_t device_id)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/index/%lld.idx", case_dir(c), (long long)device_id);
    return sb_detach(&sb);
}

typedef struct entry_vec {
    link_entry *v;
    size_t n, cap;
} entry_vec;

static int vec_push(entry_vec *ev, const link_entry *e)
{
    if (ev->n == ev->cap) {
        size_t cap = ev->cap ? ev->cap * 2 : 65536;
        link_entry *v = realloc(ev->v, cap * sizeof *v);
        if (!v)
            return -1;
        ev->v = v, ev->cap = cap;
    }
    ev->v[ev->n++] = *e;
    return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const link_entry *a = pa, *b = pb;
    if (a->h1 != b->h1)
        return a->h1 < b->h1 ? -1 : 1;
    if (a->h2 != b->h2)
        return a->h2 < b->h2 ? -1 : 1;
    return a->ref < b->ref ? -1 : a->ref > b->ref;
}

/* Sort by (h1, h2, ref): one counting pass on the top 16 bits of h1 (the
 * hashes are uniform, so buckets hold a handful of entries each), then each
 * bucket on its own.  Several times faster than qsort on the whole array,
 * which matters at a million entries a device. */
#define RADIX_BITS 16
static int sort_entries(entry_vec *ev)
{
    size_t n = ev->n;
    size_t *start = calloc(((size_t)1 << RADIX_BITS) + 1, sizeof *start);
    link_entry *tmp = malloc(n * sizeof *tmp);
    if (!start || !tmp) {
        free(start);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        start[(ev->v[i].h1 >> (64 - RADIX_BITS)) + 1]++;
    for (size_t b = 1; b <= ((size_t)1 << RADIX_BITS); b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        tmp[start[ev->v[i].h1 >> (64 - RADIX_BITS)]++] = ev->v[i];
    /* start[b] is now the end of bucket b. */
    size_t lo = 0;
    for (size_t b = 0; b < ((size_t)1 << RADIX_BITS); b++) {
        size_t hi = start[b];
        if (hi - lo > 32) {
            qsort(tmp + lo, hi - lo, sizeof *tmp, entry_cmp);
        } else {
            for (size_t i = lo + 1; i < hi; i++) {
                link_entry e = tmp[i];
                size_t j = i;
                while (j > lo && entry_cmp(&e, &tmp[j - 1]) < 0) {
                    tmp[j] = tmp[j - 1];
                    j--;
                }
                tmp[j] = e;
            }
        }
        lo = hi;
    }
    free(ev->v);
    ev->v = tmp;
    ev->cap = n;
    free(start);
    return 0;
}

/* Sort, then fold duplicates into the first (lowest ref) with the counts
 * summed. */
static int sort_unique(entry_vec *ev)
{
    if (ev->n == 0)
        return 0;
    if (sort_entries(ev))
        return -1;
    size_t w = 0;
    for (size_t i = 1; i < ev->n; i++) {
        link_entry *last = &ev->v[w];
        if (ev->v[i].h1 == last->h1 && ev->v[i].h2 == last->h2) {
            uint64_t sum = (uint64_t)last->count + ev->v[i].count;
            last->count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        } else {
            ev->v[++w] = ev->v[i];
        }
    }
    ev->n = w + 1;
    return 0;
}

/* The distinct account values of one device, for the accounts view. */
typedef struct str_vec {
    char **v;
    size_t n, cap;
} str_vec;

static int str_push(str_vec *sv, const char *s, size_t len)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 256;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (!v)
            return -1;
        sv->v = v, sv->cap = cap;
    }
    if (!(sv->v[sv->n] = strndup(s, len)))
        return -1;
    sv->n++;
    return 0;
}

static void str_free(str_vec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

/* Reading runs on worker threads, each with its own read-only connection
 * to case.db (WAL lets readers run beside the case's own connection). */
typedef struct reader_db {
    case_db *db;
    case_db *c; /* the case it reads (only its folder is used) */
} reader_db;

static int read_identifiers(const reader_db *r, int64_t device_id, entry_vec *ev, str_vec *acc,
                            trawl_err *err)
{
    case_ident row;
    case_rows *rows;
    if (case_device_identifiers(r->db, device_id, &row, &rows, err))
        return err->code;
    char last_type[64] = "";
    int code = LT_OTHER;
    int rc, more;
    while (!(rc = case_rows_next(rows, &more, err)) && more) {
        const char *type = row.type;
        const void *value = row.value;
        size_t len = row.value_len;
        if (!type || !value)
            continue;
        if (strcmp(type, last_type) != 0) {
            code = link_type_code(type);
            snprintf(last_type, sizeof last_type, "%s", type);
        }
        link_entry e = {.ref = row.id, .count = 1, .type = (uint8_t)code};
        link_hash(type, value, len, &e.h1, &e.h2);
        if (vec_push(ev, &e) || (code == LT_ACCOUNT && str_push(acc, value, len))) {
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory indexing device %lld",
                            (long long)device_id);
            break;
        }
    }
    case_rows_close(rows);
    return rc;
}

/* Non-empty files with a SHA-256 that no known-good hash set holds, and
 * that are user content, not file-system structure: TSK's virtual files
 * ($FAT1, $MBR, $OrphanFiles ...) and the NTFS system files are the same on
 * many volumes by construction and would link devices for being formatted
 * alike.  ($RECYCLE.BIN holds user files and counts.) */
static int read_files(const reader_db *r, int64_t device_id, entry_vec *ev, trawl_err *err)
{
    case_file_hash row;
    case_rows *rows;
    if (case_device_file_hashes(r->db, device_id, &row, &rows, err))
        return err->code;
    int rc, more;
    while (!(rc = case_rows_next(rows, &more, err)) && more) {
        if (!row.sha256 || row.len == 0)
            continue;
        link_entry e = {.ref = row.id, .count = 1, .type = LT_FILE};
        link_hash("file", row.sha256, row.len, &e.h1, &e.h2);
        if (vec_push(ev, &e)) {
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory indexing device %lld",
                            (long long)device_id);
            break;
        }
    }
    case_rows_close(rows);
    return rc;
}

/* Write an index file (or, with durable 0, a piece that bulk_finish will
 * sync or rewrite). */
static int write_index_file(const char *path, int64_t device_id, const entry_vec *ev, int durable,
                            trawl_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    if (tmp.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    FILE *f = fopen(tmp.buf, "wb");
    if (!f) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: %s", tmp.buf, strerror(errno));
        sb_free(&tmp);
        return rc;
    }
    idx_header h = {.entries = ev->n, .device_id = device_id, .entry_size = sizeof(link_entry)};
    memcpy(h.magic, magic, sizeof magic);
    int ok = fwrite(&h, sizeof h, 1, f) == 1 &&
             (ev->n == 0 || fwrite(ev->v, sizeof *ev->v, ev->n, f) == ev->n);
    ok = (fflush(f) == 0) && ok;
    if (durable)
        ok = (fsync(fileno(f)) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp.buf, path) != 0)
        ok = 0;
    int rc =
        ok ? 0 : trawl_fail(err, TRAWL_EIO, "%s: writing the index: %s", path, strerror(errno));
    if (!ok)
        unlink(tmp.buf);
    sb_free(&tmp);
    return rc;
}

static int write_index(const char *path, int64_t device_id, const entry_vec *ev, trawl_err *err)
{
    return write_index_file(path, device_id, ev, 1, err);
}

static int build_device(const reader_db *r, int64_t device_id, uint64_t *entries, str_vec *acc,
                        trawl_err *err)
{
    entry_vec ev = {0};
    int rc = read_identifiers(r, device_id, &ev, acc, err);
    if (!rc)
        rc = read_files(r, device_id, &ev, err);
    if (!rc && sort_unique(&ev))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory sorting device %lld",
                        (long long)device_id);
    if (!rc) {
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/index/%lld.idx", case_dir(r->c), (long long)device_id);
        rc = path.oom ? trawl_fail(err, TRAWL_ENOMEM, "out of memory")
                      : write_index(path.buf, device_id, &ev, err);
        sb_free(&path);
    }
    if (!rc)
        *entries = ev.n;
    free(ev.v);
    return rc;
}

/* Does the index file of device id hold `entries` entries, whole? */
static int index_ok(case_db *c, int64_t id, int64_t entries)
{
    char *path = link_index_path(c, id);
    if (!path)
        return 0;
    struct stat sb;
    int ok = stat(path, &sb) == 0 &&
             (uint64_t)sb.st_size == sizeof(idx_header) + (uint64_t)entries * sizeof(link_entry);
    free(path);
    return ok;
}

/* The work shared by the index threads: devices to build, taken in order. */
typedef struct build_job {
    case_db *c;
    const char *dir;
    const link_dev *devs;
    const size_t *todo; /* indexes into devs */
    size_t ntodo;
    size_t next; /* under lock */
    pthread_mutex_t lock;
    int progress;
    uint64_t *entries; /* per todo item */
    str_vec *acc;      /* per todo item: account values read */
    int *rc;           /* per todo item */
    trawl_err *errs;   /* per todo item */
} build_job;

static void *build_worker(void *arg)
{
    build_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t k = job->next < job->ntodo ? job->next++ : job->ntodo;
        pthread_mutex_unlock(&job->lock);
        if (k == job->ntodo)
            break;
        const link_dev *d = &job->devs[job->todo[k]];
        if (job->progress)
            fprintf(stderr, "link: indexing %s\n", d->name);
        /* Pages are read through a memory mapping rather than copied; the
         * connection (and so the mapping) lasts one device, so the mapped
         * pages do not pile up in the process. */
        reader_db r = {NULL, job->c};
        job->rc[k] = case_open_reader(job->c, 1, &r.db, &job->errs[k]);
        if (!job->rc[k])
            job->rc[k] = build_device(&r, d->id, &job->entries[k], &job->acc[k], &job->errs[k]);
        if (job->rc[k])
            trawl_wrap(&job->errs[k], "device %s", d->name);
        case_close(r.db);
    }
    return NULL;
}

static int worker_count(const link_options *opt, size_t ntodo)
{
    long n = opt->threads;
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if ((size_t)n > ntodo)
        n = (long)ntodo;
    return (int)n;
}

/* --- Bulk build: many devices at once ---------------------------------
 *
 * Reading device after device through the identifiers_device index visits
 * each device's rows once per type, in position order: on a case larger
 * than memory that is many passes over the disk.  When most devices need
 * building (a first `trawl link`, or --rebuild), the table is instead read
 * once in row order, cut into one row range per thread.  Each thread keeps
 * a buffer per device and, past LINK_BULK_BUDGET entries, writes the buffers of
 * the devices it is not reading any more as sorted pieces (same format as
 * an index file).  Rows of one device are normally contiguous, so most
 * devices end as one piece, which simply becomes the index file; the others
 * (a device cut by a range boundary, interleaved rows, file hashes) are
 * merged at the end.  The result is the same set of entries either way. */

typedef struct dev_slot {
    int64_t id;
    size_t slot; /* index into todo */
} dev_slot;

static int dev_slot_cmp(const void *pa, const void *pb)
{
    const dev_slot *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

typedef struct bulk_job {
    build_job *job;
    dev_slot *map; /* sorted by id */
    int64_t lo, hi;
    int nthreads, next_thread;
    unsigned *npieces; /* per slot, under job->lock */
    int rc;            /* first failure, under job->lock */
    trawl_err err;
} bulk_job;

static void bulk_fail(bulk_job *bj, int rc, const trawl_err *err)
{
    pthread_mutex_lock(&bj->job->lock);
    if (!bj->rc) {
        bj->rc = rc;
        bj->err = *err;
    }
    pthread_mutex_unlock(&bj->job->lock);
}

static char *piece_path(const char *dir, int64_t id, unsigned k)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/index/%lld.piece%u", dir, (long long)id, k);
    return sb_detach(&sb);
}

/* Write buffer slot as its next piece; hand its accounts over. */
static int bulk_flush(bulk_job *bj, size_t slot, entry_vec *ev, str_vec *acc, trawl_err *err)
{
    build_job *job = bj->job;
    int64_t id = job->devs[job->todo[slot]].id;
    if (sort_unique(ev))
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory sorting device %lld", (long long)id);
    pthread_mutex_lock(&job->lock);
    unsigned k = bj->npieces[slot]++;
    str_vec *to = &job->acc[slot];
    int rc = 0;
    for (size_t i = 0; i < acc->n; i++) {
        if (to->n == to->cap) {
            size_t cap = to->cap ? to->cap * 2 : 256;
            char **v = realloc(to->v, cap * sizeof *v);
            if (!v) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
            to->v = v, to->cap = cap;
        }
        to->v[to->n++] = acc->v[i];
        acc->v[i] = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    str_free(acc);
    char *path = piece_path(job->dir, id, k);
    if (!rc)
        rc = path ? write_index_file(path, id, ev, 0, err)
                  : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    free(path);
    free(ev->v);
    memset(ev, 0, sizeof *ev);
    return rc;
}

static void *bulk_scan(void *arg)
{
    bulk_job *bj = arg;
    build_job *job = bj->job;
    pthread_mutex_lock(&job->lock);
    int t = bj->next_thread++;
    pthread_mutex_unlock(&job->lock);
    int64_t span = (bj->hi - bj->lo) / bj->nthreads + 1;
    int64_t from = bj->lo + span * t, to = from + span; /* [from, to) */
    entry_vec *buf = calloc(job->ntodo, sizeof *buf);
    str_vec *acc = calloc(job->ntodo, sizeof *acc);
    case_db *db = NULL;
    trawl_err err = {0};
    case_ident row;
    case_rows *rows = NULL;
    int rc = (!buf || !acc) ? trawl_fail(&err, TRAWL_ENOMEM, "out of memory") : 0;
    /* This connection reads a whole range: copy pages rather than map them,
     * or the mapped pages would count against the process. */
    if (!rc)
        rc = case_open_reader(job->c, 0, &db, &err);
    if (!rc)
        rc = case_identifiers_between(db, from, to, &row, &rows, &err);
    size_t total = 0, slot = (size_t)-1;
    int64_t last_dev = INT64_MIN;
    char last_type[64] = "";
    int code = LT_OTHER, more = 0;
    while (!rc && !(rc = case_rows_next(rows, &more, &err)) && more) {
        int64_t dev = row.device_id;
        if (dev != last_dev) {
            dev_slot key = {dev, 0};
            const dev_slot *m = bsearch(&key, bj->map, job->ntodo, sizeof key, dev_slot_cmp);
            slot = m ? m->slot : (size_t)-1;
            last_dev = dev;
        }
        if (slot == (size_t)-1)
            continue; /* a device whose index is current */
        const char *type = row.type;
        const void *value = row.value;
        size_t len = row.value_len;
        if (!type || !value)
            continue;
        if (strcmp(type, last_type) != 0) {
            code = link_type_code(type);
            snprintf(last_type, sizeof last_type, "%s", type);
        }
        link_entry e = {.ref = row.id, .count = 1, .type = (uint8_t)code};
        link_hash(type, value, len, &e.h1, &e.h2);
        if (vec_push(&buf[slot], &e) || (code == LT_ACCOUNT && str_push(&acc[slot], value, len))) {
            rc = trawl_fail(&err, TRAWL_ENOMEM, "out of memory");
            break;
        }
        if (++total >= LINK_BULK_BUDGET) {
            /* The devices this range has moved past are most likely whole. */
            for (size_t k = 0; !rc && k < job->ntodo; k++)
                if (k != slot && buf[k].n)
                    rc = bulk_flush(bj, k, &buf[k], &acc[k], &err);
            total = buf[slot].n;
        }
    }
    case_rows_close(rows);
    for (size_t k = 0; !rc && k < job->ntodo; k++)
        if (buf[k].n)
            rc = bulk_flush(bj, k, &buf[k], &acc[k], &err);
    for (size_t k = 0; buf && acc && k < job->ntodo; k++) {
        free(buf[k].v);
        str_free(&acc[k]);
    }
    free(buf);
    free(acc);
    case_close(db);
    if (rc)
        bulk_fail(bj, rc, &err);
    return NULL;
}

/* Read a piece's entries onto ev. */
static int read_piece(const char *path, int64_t id, entry_vec *ev, trawl_err *err)
{
    FILE *f = fopen(path, "rb");
    idx_header h;
    int rc = 0;
    if (!f)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    if (fread(&h, sizeof h, 1, f) != 1 || memcmp(h.magic, magic, sizeof magic) != 0 ||
        h.device_id != id)
        rc = trawl_fail(err, TRAWL_EIO, "%s: not an index piece", path);
    for (uint64_t i = 0; !rc && i < h.entries; i++) {
        link_entry e;
        if (fread(&e, sizeof e, 1, f) != 1)
            rc = trawl_fail(err, TRAWL_EIO, "%s: short", path);
        else if (vec_push(ev, &e))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    fclose(f);
    return rc;
}

/* Turn a device's pieces and file hashes into its index file. */
static int bulk_finish(bulk_job *bj, const reader_db *r, size_t slot, trawl_err *err)
{
    build_job *job = bj->job;
    int64_t id = job->devs[job->todo[slot]].id;
    entry_vec files = {0};
    int rc = read_files(r, id, &files, err);
    char *final = NULL;
    strbuf fp = STRBUF_INIT;
    sb_addf(&fp, "%s/index/%lld.idx", job->dir, (long long)id);
    final = sb_detach(&fp);
    if (!rc && !final)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    unsigned np = bj->npieces[slot];
    if (!rc && np == 1 && files.n == 0) {
        char *p = piece_path(job->dir, id, 0);
        struct stat sb;
        int fd = p ? open(p, O_RDONLY | O_CLOEXEC) : -1;
        if (fd < 0 || fsync(fd) != 0 || stat(p, &sb) != 0 || rename(p, final) != 0)
            rc = trawl_fail(err, TRAWL_EIO, "%s: %s", final, strerror(errno));
        else
            job->entries[slot] = ((uint64_t)sb.st_size - sizeof(idx_header)) / sizeof(link_entry);
        if (fd >= 0)
            close(fd);
        free(p);
    } else if (!rc) {
        entry_vec ev = files;
        memset(&files, 0, sizeof files);
        for (unsigned k = 0; !rc && k < np; k++) {
            char *p = piece_path(job->dir, id, k);
            rc = p ? read_piece(p, id, &ev, err) : trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            if (p)
                unlink(p);
            free(p);
        }
        if (!rc && sort_unique(&ev))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        if (!rc)
            rc = write_index(final, id, &ev, err);
        if (!rc)
            job->entries[slot] = ev.n;
        free(ev.v);
    }
    free(files.v);
    free(final);
    return rc;
}

static void *bulk_finisher(void *arg)
{
    bulk_job *bj = arg;
    build_job *job = bj->job;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t k = job->next < job->ntodo ? job->next++ : job->ntodo;
        pthread_mutex_unlock(&job->lock);
        if (k == job->ntodo)
            break;
        reader_db r = {NULL, job->c};
        job->rc[k] = case_open_reader(job->c, 1, &r.db, &job->errs[k]);
        if (!job->rc[k])
            job->rc[k] = bulk_finish(bj, &r, k, &job->errs[k]);
        if (job->rc[k])
            trawl_wrap(&job->errs[k], "device %s", job->devs[job->todo[k]].name);
        case_close(r.db);
    }
    return NULL;
}

static int run_threads(int n, void *(*fn)(void *), void *arg)
{
    pthread_t tid[64];
    int started = 0;
    for (int w = 0; w < n; w++)
        if (pthread_create(&tid[started], NULL, fn, arg) == 0)
            started++;
    if (!started)
        fn(arg);
    for (int w = 0; w < started; w++)
        pthread_join(tid[w], NULL);
    return started;
}

static int bulk_build(case_db *c, build_job *job, int nthreads, trawl_err *err)
{
    bulk_job bj = {.job = job, .nthreads = nthreads};
    bj.map = malloc(job->ntodo * sizeof *bj.map);
    bj.npieces = calloc(job->ntodo, sizeof *bj.npieces);
    if (!bj.map || !bj.npieces) {
        free(bj.map);
        free(bj.npieces);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < job->ntodo; k++)
        bj.map[k] = (dev_slot){job->devs[job->todo[k]].id, k};
    qsort(bj.map, job->ntodo, sizeof *bj.map, dev_slot_cmp);
    int any = 0;
    int rc = case_identifier_id_bounds(c, &bj.lo, &bj.hi, &any, err);
    if (!rc && !any)
        bj.lo = 1, bj.hi = 0; /* no rows: every range is empty */
    if (!rc) {
        if (job->progress)
            fprintf(stderr, "link: indexing %zu devices in one pass\n", job->ntodo);
        run_threads(nthreads, bulk_scan, &bj);
        if (bj.rc) {
            *err = bj.err;
            rc = bj.rc;
        }
    }
    if (!rc) {
        if (job->progress)
            fprintf(stderr, "link: writing %zu device indexes\n", job->ntodo);
        job->next = 0;
        run_threads(nthreads, bulk_finisher, &bj);
    }
    free(bj.map);
    free(bj.npieces);
    return rc;
}

int link_index_update(case_db *c, const link_dev *devs, size_t n, const link_options *opt,
                      size_t *rebuilt, trawl_err *err)
{
    *rebuilt = 0;
    strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/index", case_dir(c));
    if (dir.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (mkdir(dir.buf, 0777) != 0 && errno != EEXIST) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: %s", dir.buf, strerror(errno));
        sb_free(&dir);
        return rc;
    }
    sb_free(&dir);

    /* Forget devices that left the case. */
    case_val gone;
    case_rows *rows;
    int more;
    if (case_link_index_orphans(c, &gone, &rows, err))
        return err->code;
    while (case_rows_next(rows, &more, err) == 0 && more) {
        char *path = link_index_path(c, gone.i);
        if (path)
            unlink(path);
        free(path);
    }
    case_rows_close(rows);
    if (case_link_index_drop_orphans(c, err))
        return err->code;

    /* Which devices need (re)building: new, scanned again, never finished,
     * or with a missing or partial file. */
    build_job job = {.c = c, .dir = case_dir(c), .devs = devs, .progress = opt->progress};
    size_t *todo = malloc((n ? n : 1) * sizeof *todo);
    job.entries = calloc(n ? n : 1, sizeof *job.entries);
    job.acc = calloc(n ? n : 1, sizeof *job.acc);
    job.rc = calloc(n ? n : 1, sizeof *job.rc);
    job.errs = calloc(n ? n : 1, sizeof *job.errs);
    int rc = 0;
    if (!todo || !job.entries || !job.acc || !job.rc || !job.errs)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        const link_dev *d = &devs[i];
        int fresh = 0;
        if (!opt->rebuild && d->stamp) {
            int64_t entries = 0;
            rc = case_link_index_get(c, d->id, d->stamp, &fresh, &entries, err);
            fresh = !rc && fresh && index_ok(c, d->id, entries);
        }
        if (!fresh)
            todo[job.ntodo++] = i;
    }

    if (!rc && job.ntodo) {
        job.todo = todo;
        pthread_mutex_init(&job.lock, NULL);
        int nw = worker_count(opt, job.ntodo);
        /* Most of the case to (re)build: one pass over the table. */
        if (job.ntodo >= 4 && 2 * job.ntodo >= n)
            rc = bulk_build(c, &job, nw, err);
        else
            run_threads(nw, build_worker, &job);
        pthread_mutex_destroy(&job.lock);
        /* Report the first failure in device order, whatever the timing. */
        for (size_t k = 0; !rc && k < job.ntodo; k++)
            if (job.rc[k]) {
                *err = job.errs[k];
                rc = job.rc[k];
            }
    }
    if (!rc && job.ntodo) {
        rc = case_begin(c, err);
        for (size_t k = 0; !rc && k < job.ntodo; k++) {
            const link_dev *d = &devs[todo[k]];
            rc = case_link_index_put(c, d->id, d->stamp, job.entries[k], err);
        }
        /* The accounts each device holds, for the accounts view. */
        for (size_t k = 0; !rc && k < job.ntodo; k++)
            rc = case_device_accounts_put(c, devs[todo[k]].id, job.acc[k].v, job.acc[k].n, err);
        if (!rc)
            rc = case_commit(c, err);
        if (rc)
            case_rollback(c);
        else
            *rebuilt = job.ntodo;
    }
    for (size_t k = 0; job.acc && k < n; k++)
        str_free(&job.acc[k]);
    free(job.acc);
    free(todo);
    free(job.entries);
    free(job.rc);
    free(job.errs);
    return rc;
}

#define READER_BUF 8192

struct link_reader {
    FILE *f;
    char *path;
    uint64_t left;
    link_entry buf[READER_BUF];
    size_t pos, len;
};

void link_reader_close(link_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->path);
    free(r);
}

int link_reader_open(case_db *c, int64_t device_id, link_reader **out, trawl_err *err)
{
    link_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = link_index_path(c, device_id))) {
        free(r);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    r->f = fopen(r->path, "rb");
    idx_header h;
    struct stat sb;
    int rc = 0;
    if (!r->f)
        rc = trawl_fail(err, TRAWL_EIO, "%s: %s", r->path, strerror(errno));
    else if (fread(&h, sizeof h, 1, r->f) != 1 || memcmp(h.magic, magic, sizeof magic) != 0 ||
             h.device_id != device_id || h.entry_size != sizeof(link_entry) ||
             fstat(fileno(r->f), &sb) != 0 ||
             (uint64_t)sb.st_size != sizeof h + h.entries * sizeof(link_entry))
        rc = trawl_fail(err, TRAWL_EINTEGRITY,
                        "%s: not a whole link index of device %lld (run 'trawl link --rebuild')",
                        r->path, (long long)device_id);
    if (rc) {
        link_reader_close(r);
        return rc;
    }
    r->left = h.entries;
    *out = r;
    return 0;
}

int link_reader_next(link_reader *r, link_entry *e, int *done, trawl_err *err)
{
    if (r->pos == r->len) {
        if (r->left == 0) {
            *done = 1;
            return 0;
        }
        size_t want = r->left < READER_BUF ? (size_t)r->left : READER_BUF;
        if (fread(r->buf, sizeof(link_entry), want, r->f) != want)
            return trawl_fail(err, TRAWL_EIO, "%s: read error", r->path);
        r->left -= want;
        r->pos = 0;
        r->len = want;
    }
    *e = r->buf[r->pos++];
    *done = 0;
    return 0;
}
