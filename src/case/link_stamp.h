/* link_stamp.h: whether the case's links were built over its current
 * devices.  `trawl scan` rebuilds the links after adding devices; if it is
 * killed after a device committed but before the links were rebuilt, the
 * same command run again adds nothing, and must still rebuild them.  The
 * stamp is a hash of every device's id and scan_finished, kept in meta
 * (key links_stamp) once a link run has completed. */
#ifndef TRAWL_CASE_LINK_STAMP_H
#define TRAWL_CASE_LINK_STAMP_H

#include "case/case.h"

/* *current = 1 when the stamp matches the devices of the case now. */
int case_links_current(case_db *c, int *current, trawl_err *err);

/* Record the stamp of the devices of the case now (after a link run). */
int case_links_stamp(case_db *c, trawl_err *err);

#endif
