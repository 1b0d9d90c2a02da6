/* scan.h: the extraction stage.  Finds every identifier an investigator
 * cares about (e-mail addresses, URLs, domains, IP addresses, phone numbers,
 * card numbers, IBANs, wallets, social-media accounts, keywords) in a stream
 * of media bytes, in UTF-8 and UTF-16, and inside compressed and encoded data,
 * and validates each before it is reported.
 *
 * One scan_engine holds the compiled patterns, stop list and keywords; it is
 * read-only once built and shared by all threads.  A scan_run scans one
 * device: the caller feeds the media in order (ev_hash_media's consumer),
 * the run cuts it into pages with margins, scans the pages on worker
 * threads and hands the hits to the sink in a deterministic order (by page,
 * then by offset), whatever the thread count. */
#ifndef TRAWL_SCAN_SCAN_H
#define TRAWL_SCAN_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/ev.h"
#include "util/err.h"

/* Hit flags. */
#define SCAN_HIT_UTF16 0x1u    /* found in UTF-16 text (LE or BE) */
#define SCAN_HIT_AT_LIMIT 0x2u /* inside a container cut at a depth or size limit */
#define SCAN_HIT_DELETED 0x4u  /* in a deleted SQLite record (freeblock, unallocated gap) */

/* scan_hit.time when the hit has no time of its own. */
#define SCAN_NO_TIME INT64_MIN

/* One identifier found.  All pointers are borrowed until the sink returns. */
typedef struct scan_hit {
    const char *type;    /* "email", "url", "domain", "ipv4", "ipv6", "phone", "ccn",
                            "iban", "btc", "eth", "account", "keyword" */
    const char *feature; /* normalized value, UTF-8, NUL-terminated */
    size_t feature_len;
    const char *path;       /* forensic path: "OFFSET" for a hit in the raw bytes, or
                               "OFFSET-GZIP-N[-BASE64-M...]" inside decoded data, or
                               "OFFSET-SQLITE-N" in a field of an SQLite record (OFFSET
                               the field's); NUL-terminated */
    uint64_t offset;        /* where the hit, or its outermost container, starts
                               (the first number of path) */
    const uint8_t *context; /* raw bytes around the hit (SCAN_CONTEXT each side) */
    size_t context_len;
    unsigned flags; /* SCAN_HIT_* */
    int64_t time;   /* Unix seconds UTC of the record the hit is in (a column rule's
                       time column: visit, cookie creation, message date), or
                       SCAN_NO_TIME */
} scan_hit;

/* The sink receives hits from the thread that calls scan_run_feed and
 * scan_run_finish (or scan_buffer).  A non-zero return stops the scan. */
typedef int (*scan_sink_fn)(void *ctx, const scan_hit *hit, trawl_err *err);

typedef struct scan_options {
    int threads;              /* worker threads, 1..SCAN_MAX_THREADS; 0 = all cores */
    int max_depth;            /* container recursion depth; 0 = no recursion */
    const char *country;      /* ISO 3166 code for national phone numbers, or NULL */
    const char *stop_list;    /* --stop-list FILE, or NULL */
    int no_default_stop_list; /* 1 to drop the built-in list of example values */
    const char *keywords;     /* --keywords FILE, or NULL */
    const char *columns;      /* --columns FILE: SQLite column rules added to the built-in
                                 data/sqlite-columns.tsv, or NULL */
} scan_options;

/* Defaults: all cores, SCAN_DEFAULT_DEPTH, no country, built-in stop list. */
void scan_options_default(scan_options *opt);

typedef struct scan_engine scan_engine;
typedef struct scan_run scan_run;

/* Compile patterns, load the stop list and keywords.  Errors name the file
 * and line of a bad stop-list or keyword entry. */
int scan_engine_new(const scan_options *opt, scan_engine **out, trawl_err *err);

/* Free the engine; NULL is a no-op. */
void scan_engine_free(scan_engine *eng);

/* Start scanning one device.  img (may be NULL) lets decoders read a
 * container that runs past the page; base is added to every offset (the
 * device offset of this image's first byte). */
int scan_run_start(scan_engine *eng, ev_image *img, uint64_t base, scan_sink_fn sink,
                   void *sink_ctx, scan_run **out, trawl_err *err);

/* Feed the next bytes of the media; offsets must be contiguous from 0.
 * The data is copied; it is borrowed only for the call. */
int scan_run_feed(scan_run *run, uint64_t offset, const uint8_t *data, size_t len, trawl_err *err);

/* Scan what is left, deliver the remaining hits, join the workers and free
 * the run (also on error).  scan_run_abort frees a run without finishing. */
int scan_run_finish(scan_run *run, trawl_err *err);
void scan_run_abort(scan_run *run);

/* Scan one buffer on the calling thread (a file's logical content, a test).
 * Hit offsets and paths are relative to the buffer's start. */
int scan_buffer(scan_engine *eng, const uint8_t *data, size_t len, scan_sink_fn sink,
                void *sink_ctx, trawl_err *err);

/* The identifier type names, in output order; NULL-terminated. */
const char *const *scan_type_names(void);

#endif
