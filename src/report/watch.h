/* watch.h: watch lists.  A watch list is a file of values, one a line (for
 * example the account ids a platform disclosed); each is normalized as
 * `trawl find` normalizes one value (scan_type_normalize, the value as
 * typed, and a bare handle under every service) and all are looked up in
 * one query.  Used by `trawl find --list` and the report's watch-list
 * section, so both show the same table. */
#ifndef TRAWL_REPORT_WATCH_H
#define TRAWL_REPORT_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct case_db case_db;

/* Where one listed value was found on one device: the first occurrence by
 * offset, and how many there are. */
typedef struct report_watch_hit {
    size_t entry;                /* index into report_watch.values */
    char *device, *type, *value; /* value: as stored (normalized) */
    char *path;                  /* forensic path of the first occurrence */
    char *file;                  /* its file path, or NULL */
    char *area;                  /* its area, or NULL */
    uint64_t count;              /* occurrences of the listed value on the device */
} report_watch_hit;

typedef struct report_watch {
    char **values; /* the list as read (blank lines and '#' comments dropped) */
    size_t n;
    report_watch_hit *hits; /* by entry, then device (after report_watch_run) */
    size_t nhits;
    size_t *found; /* per entry: devices holding it */
} report_watch;

/* One stored value a typed value can match. */
typedef struct report_cand {
    char *value;  /* as stored: a normalized form, the value as typed, or service:handle */
    size_t entry; /* index of the typed value it came from */
} report_cand;

/* The candidates of each of the n typed values, as `trawl find` and the
 * watch lists look them up: the features scan_type_normalize finds spanning
 * the most of the value, the value as typed, and for a bare handle ("name",
 * "@name": no ':', '@' or '/' after a leading '@') "SERVICE:name" and
 * "SERVICE:" + name in lower case under the case's own services (its
 * accounts view) and a built-in list of services.  At most
 * CLI_FIND_MAX_CANDIDATES per value, no repeats within a value; in order of
 * the values.  *out is freed with report_candidates_free. */
int report_candidates(case_db *c, char *const *values, size_t n, report_cand **out, size_t *nout,
                      trawl_err *err);

/* Free candidates; NULL is a no-op. */
void report_candidates_free(report_cand *v, size_t n);

/* Read the list FILE (one value a line, UTF-8; CR LF accepted; at most
 * REPORT_WATCH_MAX values of at most SCAN_MAX_FEATURE bytes each). */
int report_watch_load(const char *path, report_watch **out, trawl_err *err);

/* Look every value up in the case (read-only). */
int report_watch_run(case_db *c, report_watch *w, trawl_err *err);

/* Free; NULL is a no-op. */
void report_watch_free(report_watch *w);

#endif
