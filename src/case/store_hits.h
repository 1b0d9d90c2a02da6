/* store_hits.h: storing a device's identifiers in bulk.
 *
 * case.db keeps identifiers as a dictionary of distinct (type, value) pairs
 * (ident_values, unique on (value, type), so a look-up by value is one index
 * probe) plus one compact occurrence row per hit (occurrences: value id,
 * position, the forensic path only when it is not just the position, the
 * context, flags, file and area as small integers).  The view `identifiers`
 * shows them with the columns and meaning of schema version 1 (id,
 * device_id, type, value, pos, path, context, flags, file_id, area), so
 * readers need not know.
 *
 * A device's rows are written inside the device's transaction, in the order
 * the hits are given (the feature-file order), through one cached statement;
 * the device's distinct values are looked up in (or added to) the dictionary
 * once each, through an in-memory map.  Occurrences are indexed by device
 * (appended in order, nearly free) and by value id (for `trawl find`). */
#ifndef TRAWL_CASE_STORE_HITS_H
#define TRAWL_CASE_STORE_HITS_H

#include <stdint.h>

#include "case/case.h"
#include "scan/scan.h"
#include "util/err.h"

typedef struct case_hits case_hits;

/* Start storing device_id's identifiers; call inside the device's
 * transaction.  *out is set only on success. */
int case_hits_open(case_db *c, int64_t device_id, case_hits **out, trawl_err *err);

/* Store one hit, attributed to file_id (0: none) and area (NULL, or one of
 * the FS_AREA_* strings of fs/fs.h). */
int case_hits_add(case_hits *h, const scan_hit *hit, int64_t file_id, const char *area,
                  trawl_err *err);

/* Write the hits still held back (they go in batches); call before the
 * transaction commits. */
int case_hits_flush(case_hits *h, trawl_err *err);

/* Hits stored so far (those held back included). */
uint64_t case_hits_count(const case_hits *h);

/* Free the map and the statements; the rows flushed stay in the
 * transaction (those held back are dropped: flush first).  NULL is a no-op. */
void case_hits_close(case_hits *h);

#endif
