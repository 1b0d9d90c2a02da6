/* case_fs.h: glue between the file-system stage (fs/fs.h) and the case
 * database: stores what fs_walk reports (volumes, files, byte runs, YARA
 * hits, problems, logical hits), attributes the raw scan's hits to files,
 * marks files found in imported hash sets, and writes files.dfxml.  All of
 * it runs inside the caller's transaction (case_begin/case_commit). */
#ifndef TRAWL_CASE_CASE_FS_H
#define TRAWL_CASE_CASE_FS_H

#include <stdint.h>

#include "case/case.h"
#include "fs/fs.h"
#include "util/err.h"

/* Fill *out with callbacks that store into c for device_id: volumes, files
 * (with their runs; the key is files.id), logical hits (case_hit_insert with
 * the file id), YARA hits and problems (stage 'fs').  The sink borrows c. */
int case_fs_sink(case_db *c, int64_t device_id, fs_sink *out);

/* Attribute the device's identifiers rows that have no file_id yet through
 * map: a row whose position lies in logically scanned content is deleted
 * (the logical scan reported it), the others get file_id and area.  A hit
 * inside decoded data is placed by its pos (its container's start). */
int case_attribute(case_db *c, int64_t device_id, const fs_map *map, trawl_err *err);

/* Mark the device's files whose MD5, SHA-1 or SHA-256 is in an imported
 * hash set: files.known = 'known' or 'notable' (notable wins), files.hashset
 * = the set's name. */
int case_mark_known(case_db *c, int64_t device_id, trawl_err *err);

/* Write the device's files as DFXML to path (normally
 * CASE/devices/NAME/files.dfxml), ordered by path, then inode. */
int case_write_dfxml(case_db *c, int64_t device_id, const char *path, trawl_err *err);

/* --- Hash sets (store_hashset.c) ------------------------------------------ */

/* Import the hashes of file (NSRL RDS v3 SQLite, NSRLFile.txt CSV, hashdeep,
 * md5sum/sha1sum/sha256sum lists: detected by content) as set name of kind
 * "known" or "notable": writes CASE/hashsets/NAME.bin and a hashsets row.
 * *count gets the number of distinct hashes.  A set of that name that
 * exists already is TRAWL_EEXISTS. */
int case_hashset_import(case_db *c, const char *name, const char *kind, const char *file,
                        uint64_t *count, trawl_err *err);

#endif
