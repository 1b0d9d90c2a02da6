/* case.c: the case handle: statements, transactions, closing, device folders
 * (opening, creating and migrating are in open.c). */
#include "case/case.h"
#include "case/case_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"

/* SQLite out of memory is trawl's TRAWL_ENOMEM: not a fault of the case. */
static int db_code(case_db *c)
{
    return sqlite3_errcode(c->db) == SQLITE_NOMEM ? TRAWL_ENOMEM : TRAWL_ECASE;
}

int case_db_fail(case_db *c, trawl_err *err, const char *what)
{
    return trawl_fail(err, db_code(c), "%s/case.db: %s: %s", c->dir, what, sqlite3_errmsg(c->db));
}

int case_exec(case_db *c, const char *sql, trawl_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = trawl_fail(err, db_code(c), "%s/case.db: %s", c->dir,
                              msg ? msg : sqlite3_errmsg(c->db));
        sqlite3_free(msg);
        return code;
    }
    return 0;
}

int case_prepare(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err)
{
    if (sqlite3_prepare_v2(c->db, sql, -1, out, NULL) != SQLITE_OK)
        return case_db_fail(c, err, "prepare");
    return 0;
}

int case_stmt(case_db *c, const char *sql, sqlite3_stmt **out, trawl_err *err)
{
    int i;
    for (i = 0; i < CASE_STMT_CACHE && c->cache[i].sql; i++)
        if (c->cache[i].sql == sql) {
            sqlite3_reset(c->cache[i].st);
            sqlite3_clear_bindings(c->cache[i].st);
            *out = c->cache[i].st;
            return 0;
        }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return case_db_fail(c, err, "prepare");
    if (i < CASE_STMT_CACHE) {
        c->cache[i].sql = sql;
        c->cache[i].st = st;
        *out = st;
        return 0;
    }
    sqlite3_finalize(st);
    return trawl_fail(err, TRAWL_ELIMIT, "case statement cache is full (raise CASE_STMT_CACHE)");
}

int case_begin(case_db *c, trawl_err *err)
{
    int rc = case_exec(c, "BEGIN IMMEDIATE", err);
    c->in_tx = rc == 0;
    return rc;
}

int case_tx_lost(case_db *c, trawl_err *err)
{
    if (!c->in_tx || !sqlite3_get_autocommit(c->db))
        return 0;
    c->in_tx = 0;
    return trawl_fail(err, TRAWL_ECASE,
                      "%s/case.db: the transaction was rolled back after an earlier error "
                      "(out of memory or a full disk); nothing of it was stored",
                      c->dir);
}

int case_in_tx(const case_db *c)
{
    return c->in_tx;
}

int case_commit(case_db *c, trawl_err *err)
{
    /* SQLite rolls a transaction back by itself on some errors (out of
     * memory, a full disk) and runs what follows in autocommit mode: a
     * COMMIT then must not pass for the transaction's. */
    if (case_tx_lost(c, err))
        return err->code;
    int rc = case_exec(c, "COMMIT", err);
    if (sqlite3_get_autocommit(c->db))
        c->in_tx = 0;
    if (!rc)
        case_audit_committed(c);
    return rc;
}

void case_rollback(case_db *c)
{
    c->in_tx = 0;
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

const char *case_dir(const case_db *c)
{
    return c->dir;
}

sqlite3 *case_sqlite(case_db *c)
{
    return c->db;
}

void case_close(case_db *c)
{
    if (!c)
        return;
    for (int i = 0; i < CASE_STMT_CACHE; i++)
        sqlite3_finalize(c->cache[i].st);
    if (c->db)
        sqlite3_close(c->db);
    if (c->lockfd >= 0)
        close(c->lockfd); /* after the last commit and checkpoint */
    free(c->dir);
    free(c);
}

int case_writable(const case_db *c)
{
    return !c->readonly;
}

int case_device_id(case_db *c, const char *name, int64_t *id, int *found, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT id FROM devices WHERE name=?", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return case_db_fail(c, err, "looking up device");
    return 0;
}

char *case_device_dir(case_db *c, const char *name, int mk, trawl_err *err)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/devices", c->dir);
    if (mk && mkdir(sb_cstr(&sb), 0777) != 0 && errno != EEXIST) {
        trawl_fail(err, TRAWL_EIO, "%s: %s", sb_cstr(&sb), strerror(errno));
        sb_free(&sb);
        return NULL;
    }
    sb_addf(&sb, "/%s", name);
    if (mk && mkdir(sb_cstr(&sb), 0777) != 0 && errno != EEXIST) {
        trawl_fail(err, TRAWL_EIO, "%s: %s", sb_cstr(&sb), strerror(errno));
        sb_free(&sb);
        return NULL;
    }
    char *p = sb_detach(&sb);
    if (!p)
        trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    return p;
}
