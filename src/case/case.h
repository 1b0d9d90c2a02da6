/* case.h: the case folder, trawl's contract with other tools and people.
 *
 *   CASE/case.db                 SQLite (WAL): devices, images, files, identifiers,
 *                                links, audit chain head; schema_version + migrations
 *   CASE/audit.log               JSON lines, each with `prev`, the SHA-256 of the
 *                                previous line (64 zeros on the first)
 *   CASE/devices/NAME/TYPE.txt   bulk_extractor feature files
 *   CASE/devices/NAME/TYPE_histogram.txt
 *   CASE/devices/NAME/files.dfxml
 *   CASE/links.csv, CASE/accounts.csv
 *   CASE/index/ID.idx            the link stage's per-device feature index
 *   CASE/hashsets/NAME.bin       imported hash sets, sorted binary tables
 *
 * Other stages read and write the case only through the functions of
 * src/case named for what they do (q_*.h, link_store.h, case_fs.h, ...):
 * no SQL and no SQLite outside src/case, so that a second engine is new
 * files in this folder.  The SQLite side is case_int.h; the schema lives
 * in schema*.c (one string per stage, applied as migrations). */
#ifndef TRAWL_CASE_CASE_H
#define TRAWL_CASE_CASE_H

#include <stdint.h>

#include "scan/scan.h"
#include "util/err.h"

#define CASE_SCHEMA_VERSION 4

typedef struct case_db case_db;

/* How case_open opens a case. */
enum {
    CASE_WRITE = 0,  /* read and write: migrates, recovers the audit log */
    CASE_CREATE = 1, /* CASE_WRITE, making the case when it does not exist */
    CASE_READ = 2,   /* read only: never migrates, never writes a byte of the
                        folder (immutable where the folder is write-protected) */
};

/* Open the case folder dir in mode (CASE_READ, CASE_WRITE, CASE_CREATE).
 * With CASE_CREATE, make it (and case.db, audit.log) when it does not exist.
 * Refuses a folder that is not a case, a case.db from a newer schema, and a
 * case whose audit log is missing; with CASE_READ also a case that needs
 * migrating.  A writer holds the case's writer lock until case_close, and
 * first waits, without a time limit, for any other trawl process holding
 * it: writers run one after the other.  *out is set only on success. */
int case_open(const char *dir, int mode, case_db **out, trawl_err *err);

/* 1 when another process holds dir's writer lock now, so that opening it
 * for writing will wait (for a command to say so first). */
int case_writer_busy(const char *dir);

/* 1 when this process may write the case folder, case.db and audit.log
 * (so that a command that records itself can open it CASE_WRITE). */
int case_can_write(const char *dir);

/* 1 when c was opened for writing. */
int case_writable(const case_db *c);

/* Put the device folders in order after a scan that did not finish its
 * rename: a committed device whose folder is still devices/.NAME.partial gets
 * it moved into place; a .partial of a device case.db does not hold is
 * removed.  case_open does it for every command that writes. */
void case_reconcile_devices(case_db *c);

/* Close; NULL is a no-op. */
void case_close(case_db *c);

/* The folder path (borrowed). */
const char *case_dir(const case_db *c);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK). */
int case_begin(case_db *c, trawl_err *err);
int case_commit(case_db *c, trawl_err *err);
void case_rollback(case_db *c);

/* Device id by name; *found is 0 when there is none. */
int case_device_id(case_db *c, const char *name, int64_t *id, int *found, trawl_err *err);

/* Path of CASE/devices/NAME (malloc'd), created when mkdir is set. */
char *case_device_dir(case_db *c, const char *name, int mkdir, trawl_err *err);

#endif
