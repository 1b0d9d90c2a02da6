/* scan_internal.h: what the scan engine's own files share, and the seams the
 * unit tests use (an engine over a given type list, a run with an injected
 * page size and reader).  Not for other stages: they include scan.h. */
#ifndef TRAWL_SCAN_SCAN_INTERNAL_H
#define TRAWL_SCAN_SCAN_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/matcher.h"
#include "util/limits.h"
#include "scan/scan.h"
#include "scan/scan_type.h"

/* What an anchor id of the main matcher stands for. */
enum { ANCHOR_TYPE, ANCHOR_CONTAINER };

/* Containers the engine opens (the forensic path names them). */
enum {
    CONT_GZIP,
    CONT_ZLIB,
    CONT_ZIP,
    CONT_BZIP2,
    CONT_XZ,
    CONT_BASE64,
    CONT_QP,
    CONT_PCT,
    CONT_PDFTEXT, /* no signature: the text of a decoded PDF content stream */
    CONT_SQLITE,  /* no signature: a field of an SQLite record (scan/sqlite_rec.h) */
    CONT_COUNT
};
/* The container kinds, one row each, indexed by CONT_*: what the forensic
 * path calls it, the signature the matcher anchors it on (NULL: found
 * another way), and how the anchor places its start: a fixed-length
 * signature ends at the anchor (sig_len), a run's anchor is somewhere in the
 * run and the decoder walks back to its start (run). */
typedef struct scan_container_kind {
    const char *name;
    const char *regex;
    size_t sig_len;
    int run;
} scan_container_kind;
extern const scan_container_kind scan_containers[CONT_COUNT];

typedef struct anchor_def {
    int kind;       /* ANCHOR_* */
    unsigned index; /* type index, or CONT_* */
    unsigned pat;   /* pattern index within the type */
} anchor_def;

typedef struct keyword {
    char *term; /* as written in the file (the feature) */
    size_t len;
    int literal;
} keyword;

typedef struct stop_list stop_list;
struct sq_rules;

struct scan_engine {
    const scan_type *const *types;
    size_t ntypes;
    scan_type_ctx tctx;
    char country[8];
    int threads;
    int max_depth;
    matcher *m; /* type anchors and container signatures */
    anchor_def *anchors;
    size_t nanchors;
    matcher *km; /* keywords (start of match known); NULL without keywords */
    keyword *kw;
    size_t nkw;
    stop_list *stop;        /* --stop-list FILE, or NULL */
    struct sq_rules *rules; /* SQLite column rules (built in, plus --columns FILE) */
    int default_stop;
    /* Idle workers for scan_buffer, which callers make many small calls to
     * (one per file window): a worker's matcher scratch is costly to build.
     * The only part of an engine that changes after it is built; guarded. */
    pthread_mutex_t pool_mu;
    struct scan_worker *pool[SCAN_MAX_THREADS];
    int npool;
};

/* An engine over an explicit, NULL-terminated type list (tests). */
int scan_engine_new_types(const scan_options *opt, const scan_type *const *types, scan_engine **out,
                          trawl_err *err);

/* Reads media bytes past a page for a decoder (ev_read's shape). */
typedef int (*scan_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len, size_t *got);

/* scan_run_start with the reader, the page size and the margin given
 * (tests use small pages; margin must be at least SCAN_LOOKAROUND). */
int scan_run_start_ex(scan_engine *eng, scan_read_fn read, void *read_ctx, uint64_t base,
                      size_t page_size, size_t margin, scan_sink_fn sink, void *sink_ctx,
                      scan_run **out, trawl_err *err);

/* --- One page's hits ------------------------------------------------------ */
typedef struct hit_rec {
    uint64_t offset;
    const char *type;
    size_t path, feat, ctx; /* offsets into the page's arena */
    uint32_t path_len, feat_len, ctx_len;
    unsigned flags;
    int64_t time; /* scan_hit.time */
} hit_rec;

typedef struct hit_list {
    hit_rec *v;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
    int oom;
} hit_list;

void hit_list_reset(hit_list *h);
void hit_list_free(hit_list *h);
/* Sort by (offset, type, path, feature) and drop duplicates of (type, path,
 * feature), merging their flags. */
void hit_list_sort(hit_list *h);
/* Hand every hit to sink; stops at the first non-zero return. */
int hit_list_deliver(const hit_list *h, scan_sink_fn sink, void *ctx, trawl_err *err);

/* --- The worker: scans one page (or buffer) into a hit_list ---------------- */
typedef struct scan_worker scan_worker;

/* A run's gate on big decoded buffers: at most SCAN_BIG_DECODERS workers
 * hold more than SCAN_BIG_DECODE bytes of decoded data at once, so that
 * peak memory does not grow with the thread count.  Waiting changes only
 * when a page is scanned, never what it yields. */
typedef struct scan_gate scan_gate;
int scan_gate_new(scan_gate **out);
void scan_gate_free(scan_gate *g);

/* gate may be NULL (scan_buffer: one thread). */
int scan_worker_new(const scan_engine *eng, scan_worker **out, trawl_err *err);
void scan_worker_set_gate(scan_worker *w, scan_gate *gate);
void scan_worker_free(scan_worker *w);

/* Scan buf[0..len), whose first byte is media offset buf_off (before base is
 * added: base is added to reported offsets), keeping hits that start in
 * buf[lo..hi).  read (may be NULL) continues the media after buf for
 * containers that run past it. */
int scan_worker_page(scan_worker *w, const uint8_t *buf, size_t len, size_t lo, size_t hi,
                     uint64_t report_off, scan_read_fn read, void *read_ctx, uint64_t read_after,
                     hit_list *out, trawl_err *err);

/* --- Stop list -------------------------------------------------------------- */
int stop_list_load(const char *path, stop_list **out, trawl_err *err);
void stop_list_free(stop_list *s);
/* 1 if (feature, context) is stopped by the user's list. */
int stop_list_has(const stop_list *s, const char *feature, size_t flen, const uint8_t *ctx,
                  size_t clen);
/* 1 if the feature is a documentation value from the built-in list. */
int stop_default(const char *type, const char *feature, size_t flen);

/* --- Keywords ---------------------------------------------------------------- */
int keywords_load(const char *path, keyword **out, size_t *n, matcher **m, trawl_err *err);
void keywords_free(keyword *kw, size_t n);

#endif
