/* case_fs.h: glue between the file-system stage (fs/fs.h) and the case
 * database: stores what fs_walk reports (volumes, files, byte runs, YARA
 * hits, problems), marks files found in imported hash sets, and writes
 * files.dfxml.  All of it runs inside the caller's transaction
 * (case_begin/case_commit).  Hits, logical or raw, are stored through
 * store_hits.h by the ingest stage, which attributes them as they stream. */
#ifndef TRAWL_CASE_CASE_FS_H
#define TRAWL_CASE_CASE_FS_H

#include <stdint.h>

#include "case/case.h"
#include "fs/fs.h"
#include "util/err.h"

/* Fill *out with callbacks that store into c for device_id: volumes, files
 * (with their runs; the key is files.id), YARA hits and problems (stage
 * 'fs'); the hit callback is NULL, for the caller to set.  The sink borrows c and
 * owns a small context: release it with case_fs_sink_free.  TRAWL_ENOMEM is
 * the only failure. */
int case_fs_sink(case_db *c, int64_t device_id, fs_sink *out);

/* Free what case_fs_sink allocated; NULL or a freed sink is a no-op. */
void case_fs_sink_free(fs_sink *sink);

/* Mark the device's files whose MD5, SHA-1 or SHA-256 is in an imported
 * hash set: files.known = 'known' or 'notable' (notable wins), files.hashset
 * = the set's name. */
int case_mark_known(case_db *c, int64_t device_id, trawl_err *err);

/* Number of the device's volumes in which a file system was read. */
int case_fs_count(case_db *c, int64_t device_id, int64_t *n, trawl_err *err);

/* Write the device's files as DFXML to path (normally
 * CASE/devices/NAME/files.dfxml), ordered by path, then inode. */
int case_write_dfxml(case_db *c, int64_t device_id, const char *path, trawl_err *err);

/* --- Hash sets (hashset.c) ------------------------------------------ */

/* Import the hashes of file (NSRL RDS v3 SQLite, NSRLFile.txt CSV, hashdeep,
 * md5sum/sha1sum/sha256sum lists: detected by content) as set name of kind
 * "known" or "notable": writes CASE/hashsets/NAME.bin and a hashsets row.
 * *count gets the number of distinct hashes.  A set of that name that
 * exists already is TRAWL_EEXISTS. */
int case_hashset_import(case_db *c, const char *name, const char *kind, const char *file,
                        uint64_t *count, trawl_err *err);

/* case_hashset_import with at most chunk hashes of a type sorted in memory
 * at a time (0: the default, HS_CHUNK in hashset.c); beyond that, sorted runs
 * are spilled to the hashsets folder and merged.  For tests and benchmarks. */
int case_hashset_import_chunked(case_db *c, const char *name, const char *kind, const char *file,
                                uint64_t chunk, uint64_t *count, trawl_err *err);

/* An imported hash set, opened for look-ups (memory-mapped, binary search). */
typedef struct case_hashset case_hashset;

/* Open CASE/hashsets/NAME.bin; *out set only on success. */
int case_hashset_open(case_db *c, const char *name, case_hashset **out, trawl_err *err);

/* 1 when hex (32, 40 or 64 hex digits: MD5, SHA-1, SHA-256) is in the set. */
int case_hashset_has(const case_hashset *h, const char *hex);

/* Hashes of each type in the set. */
void case_hashset_counts(const case_hashset *h, uint64_t *md5, uint64_t *sha1, uint64_t *sha256);

/* Close; NULL is a no-op. */
void case_hashset_close(case_hashset *h);

#endif
