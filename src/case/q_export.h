/* q_export.h: what the exports (src/report) read from the case, one query
 * per kind of element, each in the order the export writes it. */
#ifndef TRAWL_CASE_Q_EXPORT_H
#define TRAWL_CASE_Q_EXPORT_H

#include "case/case.h"
#include "case/case_row.h"

/* An examiner named by some device. */
typedef struct case_examiner {
    case_val name;
} case_examiner;

/* The distinct examiners, sorted, into *row. */
int case_examiners(case_db *c, case_examiner *row, case_rows **out, trawl_err *err);

/* A device with its exhibit and custodian (either may be NULL). */
typedef struct case_device_desc {
    case_val id, name, exhibit, custodian;
} case_device_desc;

/* Every device by name, into *row. */
int case_devices_described(case_db *c, case_device_desc *row, case_rows **out, trawl_err *err);

/* An image. */
typedef struct case_image {
    case_val id, device_id, path, format, media_size, md5, sha1, sha256, verification;
} case_image;

/* Every image by device id and order, into *row. */
int case_images(case_db *c, case_image *row, case_rows **out, trawl_err *err);

/* A device's scan. */
typedef struct case_device_scan {
    case_val device_id, started, finished, examiner, tool_version;
    case_val image_ids; /* its images' ids in order, joined with ',' */
} case_device_scan;

/* Every device's scan by device name, into *row. */
int case_device_scans(case_db *c, case_device_scan *row, case_rows **out, trawl_err *err);

/* A distinct identifier. */
typedef struct case_identifier {
    case_val type, value;
} case_identifier;

/* The distinct identifiers by type and value, into *row. */
int case_distinct_identifiers(case_db *c, case_identifier *row, case_rows **out, trawl_err *err);

/* A file that holds identifiers. */
typedef struct case_file_desc {
    case_val id, device_id, path, size, md5, sha1, sha256;
} case_file_desc;

/* The files identifiers were attributed to, by id, into *row. */
int case_files_with_identifiers(case_db *c, case_file_desc *row, case_rows **out, trawl_err *err);

/* One occurrence, by ids. */
typedef struct case_occurrence_ref {
    case_val id, type, value, pos, path;
    case_val file_id; /* NULL when not attributed to a file */
    case_val device_id, area;
} case_occurrence_ref;

/* Every occurrence by device id, offset, id, into *row. */
int case_occurrence_refs(case_db *c, case_occurrence_ref *row, case_rows **out, trawl_err *err);

/* A feature of the link index on two or more devices, not stop-listed. */
typedef struct case_shared_feature {
    case_val id, type, value;
    case_val devices; /* how many devices hold it */
} case_shared_feature;

/* The shared features by type and value, into *row. */
int case_shared_features(case_db *c, case_shared_feature *row, case_rows **out, trawl_err *err);

/* How often a shared feature occurs on a device. */
typedef struct case_feature_count {
    case_val device_id, feature_id, count;
} case_feature_count;

/* The occurrence counts of the shared features by type, value, device
 * name, into *row. */
int case_shared_feature_counts(case_db *c, case_feature_count *row, case_rows **out,
                               trawl_err *err);

/* A link between two devices, by device id. */
typedef struct case_link_ids {
    case_val device_a, device_b, score, shared;
} case_link_ids;

/* The links by score (highest first), into *row. */
int case_links_by_id(case_db *c, case_link_ids *row, case_rows **out, trawl_err *err);

#endif
