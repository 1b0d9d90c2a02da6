/* tz.h: a time zone's rules, read from its TZif file under
 * /usr/share/zoneinfo (RFC 8536), to turn the local wall-clock times FAT
 * keeps into UTC.  Each walk holds its own zone: nothing is process-global
 * (no TZ variable, no tzset), so walks in different zones can run at once
 * in one process. */
#ifndef TRAWL_FS_TZ_H
#define TRAWL_FS_TZ_H

#include <stdint.h>

#include "util/err.h"

typedef struct fs_tz fs_tz;

/* Load zone name ("Europe/Berlin"); NULL, "UTC" or "UTC0" is UTC.  A name
 * that is not a zone file (or escapes the zoneinfo folder) is TRAWL_EUSAGE;
 * a damaged file TRAWL_EFORMAT.  *out is set only on success. */
int fs_tz_open(const char *name, fs_tz **out, trawl_err *err);

/* Free; NULL is a no-op. */
void fs_tz_free(fs_tz *z);

/* Seconds east of UTC in effect at UTC time t. */
int32_t fs_tz_offset(const fs_tz *z, int64_t t);

/* UTC time of local wall-clock time local (given as seconds since the epoch
 * as if it were UTC, i.e. timegm of the fields).  Around a change of offset
 * a wall-clock time that occurs twice is read with the offset after the
 * change, one that never occurs with the offset before it.  Past the last
 * transition in the file the last offset holds (Debian's files list them
 * up to 2037). */
int64_t fs_tz_to_utc(const fs_tz *z, int64_t local);

#endif
