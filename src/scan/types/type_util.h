/* type_util.h: helpers shared by the identifier types in this folder (not a
 * public header): emitting lower-cased features and host names, so that an
 * e-mail address, a URL and a bare host name report the same domain with the
 * same bounds. */
#ifndef TRAWL_SCAN_TYPES_TYPE_UTIL_H
#define TRAWL_SCAN_TYPES_TYPE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "scan/scan_type.h"

/* A byte that may appear in a host name run: [A-Za-z0-9.-]. */
int tu_is_host(int c);

/* Report buf[s..e) lower-cased as a feature of `type` (e - s must be at
 * most SCAN_MAX_FEATURE). */
void tu_add_lower(scan_out *out, const char *type, const uint8_t *buf, size_t s, size_t e);

/* Validate buf[s..e) as a host name (val_hostname with `which`) and report it
 * as a "domain", lower-cased.  Returns 1 if reported. */
int tu_add_domain(scan_out *out, const uint8_t *buf, size_t s, size_t e, int which);

/* Case-insensitive: does buf[i..) (within hi) start with the ASCII lit? */
int tu_has_ci(const uint8_t *buf, size_t i, size_t hi, const char *lit);

/* The run of bytes for which in() holds around buf[at], within [lo, hi):
 * sets [*s, *e) and returns 1, or returns 0 when the run reaches max bytes
 * (too long to be the identifier, e.g. a hex dump). */
int tu_run(const uint8_t *buf, size_t at, size_t lo, size_t hi, int (*in)(int), size_t max,
           size_t *s, size_t *e);

#endif
