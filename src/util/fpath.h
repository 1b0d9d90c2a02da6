/* fpath.h: the natural order of forensic paths ("1048576-GZIP-120-BASE64-40"),
 * numbers compared as numbers, so that "98304-GZIP-20" sorts before
 * "98304-GZIP-110".  The same order as case.db's "fpath" collation, which
 * the feature files follow (position, then forensic path, then value). */
#ifndef TRAWL_UTIL_FPATH_H
#define TRAWL_UTIL_FPATH_H

#include <stddef.h>

/* <0, 0, >0 as a sorts before, with or after b.  Total and deterministic:
 * 0 only when the bytes are equal. */
int fpath_cmp(const char *a, size_t la, const char *b, size_t lb);

#endif
