/* features.h: bulk_extractor-style feature files and histograms, the scan
 * stage's report for an examiner who uses bulk_extractor's tools.
 *
 * A feature file DIR/TYPE.txt starts with comment lines that never change
 * from run to run (no times, no thread counts):
 *     # BANNER FILE NOT PROVIDED (-b option)
 *     # TRAWL-Version: 0.1.0
 *     # Feature-Recorder: email
 *     # Filename: disk.E01
 *     # Feature-File-Version: 1.1
 * then one line per hit: forensic path TAB feature TAB context, with bytes
 * that are not printable ASCII or valid UTF-8 (and tab, newline, backslash)
 * written as \xHH (esc_feature).  The writer does not sort: the caller gives
 * rows in the order they should appear (trawl reads them back from the case
 * sorted by offset and path).
 *
 * A histogram file DIR/TYPE_histogram.txt has the same header (with
 * "# Histogram-File-Version: 1.1") and lines "n=COUNT TAB feature", most
 * frequent first, ties by feature bytes; the writer counts and sorts. */
#ifndef TRAWL_SCAN_FEATURES_H
#define TRAWL_SCAN_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct scan_ffile scan_ffile;

/* Create DIR/TYPE.txt (replacing it) and write the header.  image_name is
 * printed as given (escaped). */
int scan_ffile_open(const char *dir, const char *type, const char *image_name, scan_ffile **out,
                    trawl_err *err);

/* Append one row. */
int scan_ffile_row(scan_ffile *f, const char *path, const char *feature, size_t feature_len,
                   const uint8_t *context, size_t context_len, trawl_err *err);

/* Flush and close; fails if any write failed (a full disk must not pass
 * silently).  NULL is a no-op that succeeds. */
int scan_ffile_close(scan_ffile *f, trawl_err *err);

typedef struct scan_histogram scan_histogram;

/* Start DIR/TYPE_histogram.txt (written on close). */
int scan_histogram_open(const char *dir, const char *type, const char *image_name,
                        scan_histogram **out, trawl_err *err);

/* Count a feature count times (1 per hit, or a pre-counted total). */
int scan_histogram_add(scan_histogram *h, const char *feature, size_t feature_len, uint64_t count,
                       trawl_err *err);

/* Sort, write, close.  NULL is a no-op that succeeds. */
int scan_histogram_close(scan_histogram *h, trawl_err *err);

/* Free without writing (after an error elsewhere). */
void scan_histogram_abort(scan_histogram *h);

#endif
