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
 * Later stages read and write the database through case_sqlite(); the
 * schema lives in schema*.c (one string per stage, applied as migrations). */
#ifndef TRAWL_CASE_CASE_H
#define TRAWL_CASE_CASE_H

#include <sqlite3.h>
#include <stdint.h>

#include "scan/scan.h"
#include "util/err.h"

#define CASE_SCHEMA_VERSION 2

typedef struct case_db case_db;

/* Open the case folder dir.  With create, make it (and case.db, audit.log)
 * when it does not exist.  Refuses a folder that is not a case, a case.db
 * from a newer schema, and a case whose audit log is missing.  *out is set
 * only on success. */
int case_open(const char *dir, int create, case_db **out, trawl_err *err);

/* Close; NULL is a no-op. */
void case_close(case_db *c);

/* The folder path and the SQLite handle (borrowed). */
const char *case_dir(const case_db *c);
sqlite3 *case_sqlite(case_db *c);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK). */
int case_begin(case_db *c, trawl_err *err);
int case_commit(case_db *c, trawl_err *err);
void case_rollback(case_db *c);

/* Run one statement with no result rows; message names the case on error. */
int case_exec(case_db *c, const char *sql, trawl_err *err);

/* Prepare a statement, with the error in err. */
int case_prepare(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err);

/* A prepared statement cached for the case's lifetime, reset and with its
 * bindings cleared: for hot inserts.  The case owns it (do not finalize);
 * sql must be a string literal (it is the cache key). */
int case_stmt(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err);

/* Device id by name; *found is 0 when there is none. */
int case_device_id(case_db *c, const char *name, int64_t *id, int *found, trawl_err *err);

/* Path of CASE/devices/NAME (malloc'd), created when mkdir is set. */
char *case_device_dir(case_db *c, const char *name, int mkdir, trawl_err *err);

#endif
