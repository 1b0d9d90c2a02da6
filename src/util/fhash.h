/* fhash.h: SHA-256 of files on disk, for the outputs the audit chain
 * records (a device's feature files, exports) and `trawl verify` checks. */
#ifndef TRAWL_UTIL_FHASH_H
#define TRAWL_UTIL_FHASH_H

#include <stddef.h>

#include "util/err.h"

/* SHA-256 of the file at path as 64 hex digits plus NUL in out.
 * TRAWL_EIO when it cannot be opened or read (err names the path and
 * errno: ENOENT for a missing file). */
int fhash_file(const char *path, char out[65], trawl_err *err);

/* One regular file of a folder: its name (prefixed) and SHA-256. */
typedef struct fhash_entry {
    char *path; /* prefix "/" name */
    char sha256[65];
} fhash_entry;

/* Hash every regular file directly in dir (dot files included, sub-folders
 * skipped), sorted by name; each path is prefix/NAME.  *out (freed with
 * fhash_list_free) and *n are set only on success. */
int fhash_dir(const char *dir, const char *prefix, fhash_entry **out, size_t *n, trawl_err *err);

void fhash_list_free(fhash_entry *v, size_t n);

#endif
