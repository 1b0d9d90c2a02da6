/* link_store.h: what the link stage (src/link) reads from and writes to
 * the case: the identifiers and file hashes it indexes, the link_index
 * bookkeeping, each device's accounts, and its results (links, features,
 * groups, the accounts view).  Writes run inside the caller's transaction
 * (case_begin / case_commit). */
#ifndef TRAWL_CASE_LINK_STORE_H
#define TRAWL_CASE_LINK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/case_row.h"

/* A second, read-only connection to c's case.db, for another thread (each
 * thread its own).  With map set, pages are read through a memory mapping
 * (for reading one device); without, copied (for a long range).  Close it
 * with case_close. */
int case_open_reader(case_db *c, int map, case_db **out, trawl_err *err);

/* A device as the link stage sees it. */
typedef struct case_link_device {
    case_val id, name;
    case_val scan_finished; /* NULL when its scan never finished */
} case_link_device;

/* Every device by name (bytewise), into *row. */
int case_devices_for_link(case_db *c, case_link_device *row, case_rows **out, trawl_err *err);

/* An identifier row, read for indexing.  type and value are NULL for a
 * NULL column; borrowed until the next row. */
typedef struct case_ident {
    int64_t id, device_id;
    const char *type, *value;
    size_t value_len;
} case_ident;

/* The identifiers of device_id in table order, into *row. */
int case_device_identifiers(case_db *c, int64_t device_id, case_ident *row, case_rows **out,
                            trawl_err *err);

/* The identifiers with from <= id < to in id order, into *row. */
int case_identifiers_between(case_db *c, int64_t from, int64_t to, case_ident *row, case_rows **out,
                             trawl_err *err);

/* The smallest and largest identifier id; *any is 0 when there is none. */
int case_identifier_id_bounds(case_db *c, int64_t *lo, int64_t *hi, int *any, trawl_err *err);

/* A file's SHA-256 (lower case), read for indexing. */
typedef struct case_file_hash {
    int64_t id;
    const char *sha256; /* NULL for NULL */
    size_t len;
} case_file_hash;

/* The files of device_id that are user content worth linking on: non-empty,
 * hashed, in no known-good set, and not file-system structure (TSK's
 * virtual files, the NTFS system files), into *row. */
int case_device_file_hashes(case_db *c, int64_t device_id, case_file_hash *row, case_rows **out,
                            trawl_err *err);

/* Type and value (malloc'd) of identifiers.id ref, or with file set of the
 * lower-case SHA-256 of files.id ref (type "file"); *found is 0 when the
 * row is gone or a column is NULL. */
int case_link_resolve(case_db *c, int file, int64_t ref, char **type, char **value,
                      size_t *value_len, int *found, trawl_err *err);

/* Devices with a link_index row but no longer in the case: their ids in *row. */
int case_link_index_orphans(case_db *c, case_val *row, case_rows **out, trawl_err *err);

/* Forget the link_index rows and the accounts of devices no longer in the case. */
int case_link_index_drop_orphans(case_db *c, trawl_err *err);

/* The link_index row of device_id: *current is 1 when it exists and was
 * built from the scan stamp (not NULL); *entries its entry count. */
int case_link_index_get(case_db *c, int64_t device_id, const char *stamp, int *current,
                        int64_t *entries, trawl_err *err);

/* Record that device_id's index was built from scan stamp (may be NULL)
 * with entries entries. */
int case_link_index_put(case_db *c, int64_t device_id, const char *stamp, uint64_t entries,
                        trawl_err *err);

/* Replace the account values ("service:id") device_id holds. */
int case_device_accounts_put(case_db *c, int64_t device_id, char *const *values, size_t n,
                             trawl_err *err);

/* The account values device_id holds, into *row. */
int case_device_accounts(case_db *c, int64_t device_id, case_val *row, case_rows **out,
                         trawl_err *err);

/* Empty the accounts view (accounts, account_devices). */
int case_accounts_clear(case_db *c, trawl_err *err);

/* One account of the accounts view: devices joined with ';', flags too. */
int case_account_put(case_db *c, const char *service, const char *account, const char *devices,
                     int64_t ndevices, const char *flags, trawl_err *err);

/* How many accounts of service device holds, and whether that is flagged. */
int case_account_device_put(case_db *c, const char *service, const char *device, int64_t accounts,
                            int flagged, trawl_err *err);

/* Empty the link results (links, groups, group_bindings, link_features,
 * link_occurrences). */
int case_link_results_clear(case_db *c, trawl_err *err);

/* One link: top and explain as link_write builds them. */
int case_link_put(case_db *c, const char *device_a, const char *device_b, double score,
                  int64_t shared, const char *top, const char *explain, trawl_err *err);

/* One shared feature; *id gets its row id for case_link_occurrence_put. */
int case_link_feature_put(case_db *c, const char *type, const char *value, int64_t dc,
                          double weight, int stopped, int64_t *id, trawl_err *err);

/* How often feature_id occurs on device. */
int case_link_occurrence_put(case_db *c, int64_t feature_id, const char *device, int64_t count,
                             trawl_err *err);

/* device is in group group_id by method ("components", "louvain"). */
int case_group_put(case_db *c, const char *method, int group_id, const char *device,
                   trawl_err *err);

/* A feature binding a group: its rank, how many members hold it, its DC
 * and weight. */
int case_group_binding_put(case_db *c, const char *method, int64_t group_id, int rank,
                           const char *type, const char *value, int members, int64_t dc,
                           double weight, trawl_err *err);

#endif
