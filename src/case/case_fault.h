/* case_fault.h: SQLite's allocations and file writes through trawl's fault
 * table (util/fault.h), for tests. */
#ifndef TRAWL_CASE_CASE_FAULT_H
#define TRAWL_CASE_CASE_FAULT_H

#include "util/err.h"

/* For the fault table (called when TRAWL_FAULT asks for it): give SQLite an allocator that calls
 * trawl's (wrapped) malloc, realloc and free, and point the unix VFS's
 * write, pwrite, pwrite64 and ftruncate at trawl's wrapped ones, so the
 * table counts and fails them with trawl's own.  Must run before any other
 * SQLite call (main does it first, then fault_start). */
int case_fault_hooks(trawl_err *err);

#endif
