/* store_device.h: a device's own records in case.db, for the ingest stage:
 * the device row, its images and their segment files, its outcome, and the
 * inputs its audit line records.  All of it runs inside the caller's
 * transaction (case_begin / case_commit), so a device that fails leaves no
 * row behind. */
#ifndef TRAWL_CASE_STORE_DEVICE_H
#define TRAWL_CASE_STORE_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "case/audit.h"
#include "case/case.h"
#include "util/err.h"

/* A device as the examiner names it.  Optional strings may be NULL. */
typedef struct case_device_rec {
    const char *name;
    const char *exhibit, *custodian, *examiner;
    uint64_t size;            /* bytes in all its images */
    const char *options_json; /* the scan options, JSON */
} case_device_rec;

/* One image of a device.  JSON strings are complete JSON values; stored_*
 * may be NULL. */
typedef struct case_image_rec {
    int seq;
    const char *path, *format;
    uint64_t media_size, base;
    const char *md5, *sha1, *sha256;
    const char *stored_md5, *stored_sha1, *stored_sha256;
    const char *verification; /* "match", "mismatch", "computed" */
    const char *acquisition;  /* JSON object */
    const char *acq_errors;   /* JSON [[start,length],...] */
    const char *unreadable;   /* JSON [[start,length],...] */
} case_image_rec;

/* One segment file of an image; size -1 when it could not be stat'ed. */
typedef struct case_segment_rec {
    int seq;
    const char *path;
    int64_t size;
    const char *md5, *sha1, *sha256;
} case_segment_rec;

/* Begin the device's transaction (BEGIN IMMEDIATE) with SQLite's
 * foreign-key checks off: every row the device stores refers to the device
 * row and dictionary ids inserted in the same transaction, and the checks
 * (two B-tree probes per hit) cost about a tenth of storing the hits.
 * Call case_device_end after the commit or on failure. */
int case_device_begin(case_db *c, trawl_err *err);

/* Roll back what case_device_begin started if it is still open, and turn
 * the foreign-key checks back on. */
void case_device_end(case_db *c);

/* The name of the device that already holds the image at path (malloc'd,
 * the caller frees), or *owner = NULL when none does. */
int case_image_owner(case_db *c, const char *path, char **owner, trawl_err *err);

/* Insert the device row (state 'ok', scan_started now, this trawl's
 * version); *id gets its id. */
int case_device_add(case_db *c, const case_device_rec *d, int64_t *id, trawl_err *err);

/* Insert an image of device_id; *image_id gets its id. */
int case_image_add(case_db *c, int64_t device_id, const case_image_rec *im, int64_t *image_id,
                   trawl_err *err);

/* Insert a segment file of image_id. */
int case_segment_add(case_db *c, int64_t image_id, const case_segment_rec *s, trawl_err *err);

/* Mark the device finished now, in state 'integrity' or 'ok'. */
int case_device_finish(case_db *c, int64_t device_id, int integrity, trawl_err *err);

/* Number of devices in the case. */
int case_device_count(case_db *c, int64_t *n, trawl_err *err);

/* Number of identifiers stored for the device. */
int case_device_identifier_count(case_db *c, int64_t device_id, uint64_t *n, trawl_err *err);

/* The device's audit inputs: every segment of every image, in image then
 * segment order, with its SHA-256.  *out is one allocation (the strings
 * live in it): free it with free().  Set only on success. */
int case_device_audit_inputs(case_db *c, int64_t device_id, case_audit_input **out, size_t *n,
                             trawl_err *err);

#endif
