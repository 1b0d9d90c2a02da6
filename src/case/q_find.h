/* q_find.h: looking up identifiers' occurrences (find, the CSV export). */
#ifndef TRAWL_CASE_Q_FIND_H
#define TRAWL_CASE_Q_FIND_H

#include <stddef.h>

#include "case/case.h"
#include "case/case_row.h"

/* One occurrence of an identifier. */
typedef struct case_occurrence {
    case_val device; /* the device's name */
    case_val type, value;
    case_val pos;     /* device offset */
    case_val path;    /* forensic path */
    case_val file;    /* path of the file it was attributed to, or NULL */
    case_val area;    /* "unallocated", "slack" ... or NULL */
    case_val context; /* the bytes around it, escaped as in the feature files */
    case_val time;    /* the time of its record, ISO 8601 UTC (2011-04-07T12:03:11Z), or NULL */
    case_val flags;   /* SCAN_HIT_* (integer) */
} case_occurrence;

/* The occurrences of any of the n values (exact bytes), by device name,
 * offset, path, type, into *row. */
int case_find_values(case_db *c, char *const *values, size_t n, case_occurrence *row,
                     case_rows **out, trawl_err *err);

/* Every occurrence in the case, by device name, offset, path, type, value,
 * into *row. */
int case_all_occurrences(case_db *c, case_occurrence *row, case_rows **out, trawl_err *err);

#endif
