/* q_devices.h: reading the case's devices and images (info, verify,
 * hash sets).  Rows come through case_row.h. */
#ifndef TRAWL_CASE_Q_DEVICES_H
#define TRAWL_CASE_Q_DEVICES_H

#include "case/case.h"
#include "case/case_row.h"

/* One image of a device, with its device's fields repeated on each. */
typedef struct case_device_image {
    case_val name, size, state, exhibit, custodian, examiner;
    case_val path, format, media_size, md5, sha1, sha256, verification;
    case_val acquisition;   /* a JSON object, or NULL */
    case_val identifiers;   /* the device's identifier count */
    case_val scan_finished; /* the device's scan end time */
} case_device_image;

/* Every image of every device, by device name then image order, into *row. */
int case_device_images(case_db *c, case_device_image *row, case_rows **out, trawl_err *err);

/* An image with the hashes verify checks it against. */
typedef struct case_image_hashes {
    case_val image_id, device, path, md5, sha1, sha256;
    case_val stored_md5, stored_sha1; /* the hashes the image itself stores, or NULL */
} case_image_hashes;

/* Every image, by device name then image order, into *row. */
int case_images_to_verify(case_db *c, case_image_hashes *row, case_rows **out, trawl_err *err);

/* One segment file of an image and its recorded SHA-256. */
typedef struct case_segment {
    case_val path, sha256;
} case_segment;

/* The segment files of image_id in order, into *row. */
int case_image_segments(case_db *c, int64_t image_id, case_segment *row, case_rows **out,
                        trawl_err *err);

/* A device id. */
typedef struct case_device_ref {
    case_val id, name;
} case_device_ref;

/* Every device by id, into *row. */
int case_devices_by_id(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err);

/* Every device by name (byte order), into *row. */
int case_devices_by_name(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err);

/* One imported hash set. */
typedef struct case_hashset_row {
    case_val name, kind, count, imported, source;
} case_hashset_row;

/* The case's hash sets by name, into *row. */
int case_hashsets(case_db *c, case_hashset_row *row, case_rows **out, trawl_err *err);

/* The storage engine and its version, for the audit log ("sqlite", "3.40.1"). */
const char *case_engine_name(void);
const char *case_engine_version(void);

#endif
