/* case_int.h: the SQLite side of the case store, for src/case only.  No
 * other stage includes this: they call the functions named for what they
 * do (q_*.h, link_store.h ...), so that a second engine means new files in
 * src/case and nothing else. */
#ifndef TRAWL_CASE_INT_H
#define TRAWL_CASE_INT_H

#include <sqlite3.h>

#include "case/case.h"
#include "case/case_row.h"
#include "case/json_read.h" /* case_json_string for the JSON trawl stored */
#include "util/strbuf.h"

/* The case handle (case.c owns its life; open.c fills it). */
#define CASE_STMT_CACHE 64

struct case_db {
    char *dir;
    sqlite3 *db;
    int readonly; /* opened with CASE_READ */
    int lockfd;   /* the folder, flock()ed while a writer has it open; -1 */
    int in_tx;    /* case_begin succeeded, no case_commit or case_rollback since */
    struct {
        const char *sql; /* the literal, compared by address */
        sqlite3_stmt *st;
    } cache[CASE_STMT_CACHE];
};

/* The SQLite handle (borrowed). */
sqlite3 *case_sqlite(case_db *c);

/* Run one statement with no result rows; message names the case on error. */
int case_exec(case_db *c, const char *sql, trawl_err *err);

/* Inside a case_begin transaction (not yet committed or rolled back)? */
int case_in_tx(const case_db *c);

/* TRAWL_ECASE (and the transaction forgotten) when a case_begin transaction
 * is no longer open in SQLite: SQLite rolled it back itself after an error
 * (out of memory, a full disk) that a caller may not have seen.  Whatever
 * is written after that must not commit as the transaction's. */
int case_tx_lost(case_db *c, trawl_err *err);

/* Prepare a statement, with the error in err. */
int case_prepare(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err);

/* A prepared statement cached for the case's lifetime, reset and with its
 * bindings cleared: for hot inserts.  The case owns it (do not finalize);
 * sql must be a string literal (it is the cache key). */
int case_stmt(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err);

/* The error of the last call on c's handle, as "CASE/case.db: what: msg". */
int case_db_fail(case_db *c, trawl_err *err, const char *what);

/* Column i of the current row of st. */
case_val case_col(sqlite3_stmt *st, int i);

/* Fills a query's row struct from the current row of st. */
typedef void (*case_fill_fn)(sqlite3_stmt *st, void *row);

/* Step st, an insert, update or delete, to its end and reset it; on failure
 * the error reads "CASE/case.db: what[ name]: message" (name may be NULL). */
int case_step_done(case_db *c, sqlite3_stmt *st, const char *what, const char *name,
                   trawl_err *err);

/* Step st, a bound one-row count (SELECT count(*) ...), into *n and
 * finalize it; on failure the error reads "CASE/case.db: what: message". */
int case_step_count(case_db *c, sqlite3_stmt *st, const char *what, int64_t *n, trawl_err *err);

/* Prepare sql (no parameters) and start reading its rows into row by fill,
 * as case_rows_start. */
int case_query(case_db *c, const char *sql, case_fill_fn fill, void *row, const char *what,
               case_rows **out, trawl_err *err);

/* Wrap a prepared (and bound) st as rows read into row by fill; takes st
 * (finalized by case_rows_close, or now on failure).  what names the query
 * in errors. */
int case_rows_start(case_db *c, sqlite3_stmt *st, case_fill_fn fill, void *row, const char *what,
                    case_rows **out, trawl_err *err);

/* Start reading the rows of st (prepared and bound; taken as by
 * case_rows_start) into row, an array of n case_val: column i into row[i].
 * With CASE_VALS a query's row struct (case_val fields only) is filled
 * field by field in declaration order, so the query selects its columns in
 * that order; a column count other than n is refused. */
int case_rows_start_vals(case_db *c, sqlite3_stmt *st, case_val *row, size_t n, const char *what,
                         case_rows **out, trawl_err *err);

/* Prepare sql (no parameters) and read its rows as case_rows_start_vals. */
int case_query_vals(case_db *c, const char *sql, case_val *row, size_t n, const char *what,
                    case_rows **out, trawl_err *err);

/* A row struct made of case_val fields only, as the (row, n) pair of
 * case_query_vals: such a struct has no padding between its fields. */
#define CASE_VALS(row) ((case_val *)(row)), (sizeof *(row) / sizeof(case_val))

/* Called by case_commit once a transaction committed: the audit line it
 * appended took effect, so CASE/audit.pending (which holds that line's hash
 * until then, see audit.c) is removed when it names the chain's head. */
void case_audit_committed(case_db *c);

#endif
