/* q_report.h: the read-only queries behind `trawl report` and
 * `trawl find --list` (src/report, src/cli).  Each function runs one
 * SELECT on case.db and hands the rows, in a fixed order, to a callback as
 * an array of cells; nothing here writes to the case.  Kept apart from the
 * link and scan stores so the report's SQL lives in src/case without
 * touching them. */
#ifndef TRAWL_CASE_Q_REPORT_H
#define TRAWL_CASE_Q_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct case_db case_db;

/* One column of a result row.  s/len are the column as text (borrowed until
 * the callback returns; "" with null set when SQL NULL); i and d are the
 * column as an integer and as a double. */
typedef struct case_cell {
    const char *s;
    size_t len;
    int64_t i;
    double d;
    int null;
} case_cell;

/* Called once per row; a non-zero return stops the query and is returned
 * (with err left as the callback set it). */
typedef int (*case_row_fn)(void *ctx, const case_cell *row, int ncol, trawl_err *err);

/* Devices by name: id, name, exhibit, custodian, examiner, size, state,
 * scan_started, scan_finished, tool_version, options (JSON). */
int case_q_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* Images by device name, seq: device, seq, path, format, media_size, md5,
 * sha1, sha256, stored_md5, stored_sha1, stored_sha256, verification,
 * acquisition (JSON), unreadable (JSON), last_verified, last_verify_result. */
int case_q_images(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* One pass over every identifier row (a case can hold hundreds of
 * millions): device, type, area (NULL inside a file), deleted_file (the
 * files.id when the hit is in a deleted file, else NULL), count; in device,
 * type, area, deleted_file order.  The report derives its counts by type,
 * its areas and its deleted files holding identifiers from it. */
int case_q_census(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* The files with the n ids file_ids (in any order, repeats ignored), at
 * most per_device per device: device, path, size, sha256, id; by device,
 * path, id. */
int case_q_files_by_id(case_db *c, const int64_t *file_ids, size_t n, int64_t per_device,
                       case_row_fn fn, void *ctx, trawl_err *err);

/* The strongest links, best first (at most limit): device_a, device_b,
 * score, shared, explain (JSON as `trawl link` stored it). */
int case_q_links(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err);

/* The contributors of the strongest `limit` links: device_a, device_b,
 * rank, type, value, devices (DC), contribution. */
int case_q_link_contributors(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err);

/* Number of rows in the links table, in *n. */
int case_q_link_count(case_db *c, int64_t *n, trawl_err *err);

/* Device groups of method ("louvain" or "components"): group_id, device. */
int case_q_groups(case_db *c, const char *method, case_row_fn fn, void *ctx, trawl_err *err);

/* Accounts worth a matrix: on two or more devices or flagged, at most
 * per_service per service (most devices first): service, account, devices
 * (';'-separated names), ndevices, flags, first_seen, last_seen (the first
 * and last time of the account's occurrences, ISO 8601 UTC; NULL where none
 * has a time). */
int case_q_accounts(case_db *c, int64_t per_service, case_row_fn fn, void *ctx, trawl_err *err);

/* Per service: accounts in the view, and accounts left out of the matrix
 * by case_q_accounts: service, total, shown. */
int case_q_account_totals(case_db *c, int64_t per_service, case_row_fn fn, void *ctx,
                          trawl_err *err);

/* Devices holding many accounts of a service: service, device, accounts,
 * flagged. */
int case_q_account_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* Files of interest of every device, at most per_device of each kind:
 * device, kind ("ext-mismatch", "notable", "yara"), path, detail (MIME
 * type, hash set or rule), size, sha256.  (Deleted files holding
 * identifiers come from case_q_census.) */
int case_q_files_of_interest(case_db *c, int64_t per_device, case_row_fn fn, void *ctx,
                             trawl_err *err);

/* Identifiers on two or more devices that are not stop-listed, strongest
 * first, at most limit: type, value, dc, weight, devices (';'-separated).
 * *total (when not NULL) gets how many there are. */
int case_q_shared(case_db *c, int64_t limit, int64_t *total, case_row_fn fn, void *ctx,
                  trawl_err *err);

/* Where (type, value) was first found on device (by name; NULL = any
 * device): device, forensic path, file path, area, context.  For type
 * "file" value is a SHA-256 and the row is the file: device, "", path,
 * NULL, NULL.  At most one row per device, in device name order. */
int case_q_locations(case_db *c, const char *type, const char *value, const char *device,
                     case_row_fn fn, void *ctx, trawl_err *err);

/* Every occurrence of any of the n values (exact match on the stored value):
 * value, device, type, forensic path, file path, area, context; ordered by
 * value, device, offset. */
int case_q_occurrences(case_db *c, const char *const *values, size_t n, case_row_fn fn, void *ctx,
                       trawl_err *err);

/* The distinct services of the accounts view. */
int case_q_services(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* The audit log, one row per line in log order: time, action, examiner,
 * device, outcome, detail, argv (JSON array), libraries (JSON object),
 * version.  Lines that are not JSON give a row of NULLs. */
int case_q_audit_lines(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* Imported hash sets: name, kind, source, count, imported. */
int case_q_hashsets(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* The top `limit` lines of CASE/devices/DEVICE/TYPE_histogram.txt: value
 * (as the file has it: bytes outside UTF-8 as \xHH), count.  No rows when
 * the file is missing (a case built without feature files). */
int case_q_histogram(case_db *c, const char *device, const char *type, int64_t limit,
                     case_row_fn fn, void *ctx, trawl_err *err);

/* All of the meta table: key, value (key order): schema_version, audit_last
 * (the audit chain's head hash), audit_lines, ... */
int case_q_meta(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

/* Problems met while scanning: device, stage, message. */
int case_q_problems(case_db *c, case_row_fn fn, void *ctx, trawl_err *err);

#endif
