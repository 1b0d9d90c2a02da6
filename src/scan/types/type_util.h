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
 * most SCAN_MAX_FEATURE).  Returns what out->add returns (0 or an error). */
int tu_add_lower(scan_out *out, const char *type, const uint8_t *buf, size_t s, size_t e);

/* Validate buf[s..e) as a host name (val_hostname with `which`) and report it
 * as a "domain", lower-cased.  Returns 0 (reported or not valid) or the
 * error out->add returned. */
int tu_add_domain(scan_out *out, const uint8_t *buf, size_t s, size_t e, int which);

/* Case-insensitive: does buf[i..) (within hi) start with the ASCII lit? */
int tu_has_ci(const uint8_t *buf, size_t i, size_t hi, const char *lit);

/* The run of bytes for which in() holds around buf[at], within [lo, hi):
 * sets [*s, *e) and returns 1, or returns 0 when the run reaches max bytes
 * (too long to be the identifier, e.g. a hex dump). */
int tu_run(const uint8_t *buf, size_t at, size_t lo, size_t hi, int (*in)(int), size_t max,
           size_t *s, size_t *e);

/* Is buf[a..b) a hex word: at least `min` hex digits, with both a digit and
 * a letter a-f? */
int tu_hex_word(const uint8_t *buf, size_t a, size_t b, size_t min);

/* Is there a hex word next to buf[s..e) (skipping at most 3 spaces or ':'):
 * a run of at least `min` hex digits holding both a digit and a letter a-f
 * ("191B1D", "1F2123")?  With `both`, on each side; otherwise on either.
 * Numbers in a hex dump or among hashes are not phone or card numbers. */
int tu_hex_neighbour(const uint8_t *buf, size_t lo, size_t hi, size_t s, size_t e, size_t min,
                     int both);

/* The word before buf[start], skipping one to `gap` bytes of " \t:.#=\"'":
 * does it (case-insensitive) equal one of `words` (NULL-terminated), or, with
 * `suffix`, end with one after a '_' or as a capitalized part
 * ("session_id", "reqNonce")?  Returns 1 if so. */
int tu_word_before(const uint8_t *buf, size_t lo, size_t start, size_t gap,
                   const char *const *words, int suffix);

#endif
