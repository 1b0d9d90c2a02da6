/* link_store.c: see link_store.h.  The inserts use the case's statement
 * cache: each is run once per row of the results. */
#include "case/link_store.h"

#include <stdlib.h>
#include <string.h>

#include "case/case_int.h"

static void fill_link_device(sqlite3_stmt *st, void *p)
{
    case_link_device *r = p;
    r->id = case_col(st, 0);
    r->name = case_col(st, 1);
    r->scan_finished = case_col(st, 2);
}

int case_devices_for_link(case_db *c, case_link_device *row, case_rows **out, trawl_err *err)
{
    return case_query(c, "SELECT id, name, scan_finished FROM devices ORDER BY name COLLATE BINARY",
                      fill_link_device, row, "reading devices", out, err);
}

/* Only what the index needs, without conversions: this runs per identifier. */
static void fill_ident(sqlite3_stmt *st, void *p)
{
    case_ident *r = p;
    r->id = sqlite3_column_int64(st, 0);
    r->device_id = sqlite3_column_int64(st, 1);
    r->type = (const char *)sqlite3_column_text(st, 2);
    r->value = (const char *)sqlite3_column_text(st, 3);
    r->value_len = (size_t)sqlite3_column_bytes(st, 3);
}

int case_device_identifiers(case_db *c, int64_t device_id, case_ident *row, case_rows **out,
                            trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT id, device_id, type, value FROM identifiers WHERE device_id = ?",
                     &st, err))
        return case_db_fail(c, err, "reading identifiers");
    sqlite3_bind_int64(st, 1, device_id);
    return case_rows_start(c, st, fill_ident, row, "reading identifiers", out, err);
}

int case_identifiers_between(case_db *c, int64_t from, int64_t to, case_ident *row, case_rows **out,
                             trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT id, device_id, type, value FROM identifiers "
                     "WHERE id >= ? AND id < ?",
                     &st, err))
        return case_db_fail(c, err, "reading identifiers");
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    return case_rows_start(c, st, fill_ident, row, "reading identifiers", out, err);
}

int case_identifier_id_bounds(case_db *c, int64_t *lo, int64_t *hi, int *any, trawl_err *err)
{
    sqlite3_stmt *st;
    /* Two subqueries: SQLite answers a lone min() or max() from the b-tree's
     * ends, but both in one SELECT scan the whole table. */
    if (case_prepare(c,
                     "SELECT (SELECT min(id) FROM identifiers), (SELECT max(id) FROM "
                     "identifiers)",
                     &st, err))
        return err->code;
    *any = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (*any) {
        *lo = sqlite3_column_int64(st, 0);
        *hi = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

static void fill_file_hash(sqlite3_stmt *st, void *p)
{
    case_file_hash *r = p;
    r->id = sqlite3_column_int64(st, 0);
    r->sha256 = (const char *)sqlite3_column_text(st, 1);
    r->len = (size_t)sqlite3_column_bytes(st, 1);
}

int case_device_file_hashes(case_db *c, int64_t device_id, case_file_hash *row, case_rows **out,
                            trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT id, lower(sha256) FROM files WHERE device_id = ? AND sha256 IS "
                     "NOT NULL AND size > 0 AND (known IS NULL OR known <> 'known') AND "
                     "(meta_type IS NULL OR meta_type <> 'virt') AND path NOT IN ('/$MFT', "
                     "'/$MFTMirr', '/$LogFile', '/$Volume', '/$AttrDef', '/$Bitmap', "
                     "'/$Boot', '/$BadClus', '/$Secure', '/$UpCase') AND path NOT LIKE "
                     "'/$Extend/%'",
                     &st, err))
        return case_db_fail(c, err, "reading files");
    sqlite3_bind_int64(st, 1, device_id);
    return case_rows_start(c, st, fill_file_hash, row, "reading files", out, err);
}

int case_link_resolve(case_db *c, int file, int64_t ref, char **type, char **value,
                      size_t *value_len, int *found, trawl_err *err)
{
    static const char file_sql[] = "SELECT 'file', lower(sha256) FROM files WHERE id = ?";
    static const char ident_sql[] = "SELECT type, value FROM identifiers WHERE id = ?";
    sqlite3_stmt *st;
    *found = 0;
    if (case_stmt(c, file ? file_sql : ident_sql, &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, ref);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        size_t vlen = (size_t)sqlite3_column_bytes(st, 1);
        if (t && v) {
            *type = strdup(t);
            *value = malloc(vlen + 1);
            if (!*type || !*value) {
                free(*type);
                free(*value);
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            } else {
                memcpy(*value, v, vlen + 1);
                *value_len = vlen;
                *found = 1;
            }
        }
    }
    sqlite3_reset(st);
    return rc;
}

static void fill_id(sqlite3_stmt *st, void *p)
{
    *(case_val *)p = case_col(st, 0);
}

int case_link_index_orphans(case_db *c, case_val *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT device_id FROM link_index WHERE device_id NOT IN "
                      "(SELECT id FROM devices)",
                      fill_id, row, "link_index", out, err);
}

int case_link_index_drop_orphans(case_db *c, trawl_err *err)
{
    return case_exec(c,
                     "DELETE FROM link_index WHERE device_id NOT IN (SELECT id FROM devices);"
                     "DELETE FROM link_device_accounts WHERE device_id NOT IN "
                     "(SELECT id FROM devices);",
                     err);
}

int case_link_index_get(case_db *c, int64_t device_id, const char *stamp, int *current,
                        int64_t *entries, trawl_err *err)
{
    sqlite3_stmt *st;
    *current = 0;
    if (case_stmt(c, "SELECT stamp, entries FROM link_index WHERE device_id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        *current = s && stamp && strcmp(s, stamp) == 0;
        *entries = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return 0;
}

int case_link_index_put(case_db *c, int64_t device_id, const char *stamp, uint64_t entries,
                        trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, "INSERT OR REPLACE INTO link_index(device_id, stamp, entries) VALUES(?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    if (stamp)
        sqlite3_bind_text(st, 2, stamp, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)entries);
    return case_step_done(c, st, "link_index", NULL, err);
}

int case_device_accounts_put(case_db *c, int64_t device_id, char *const *values, size_t n,
                             trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, "DELETE FROM link_device_accounts WHERE device_id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    int rc = case_step_done(c, st, "link_device_accounts", NULL, err);
    for (size_t a = 0; !rc && a < n; a++) {
        if ((rc = case_stmt(c,
                            "INSERT OR IGNORE INTO link_device_accounts(device_id, value) "
                            "VALUES(?, ?)",
                            &st, err)))
            break;
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_text(st, 2, values[a], -1, SQLITE_STATIC);
        rc = case_step_done(c, st, "link_device_accounts", NULL, err);
    }
    return rc;
}

int case_device_accounts(case_db *c, int64_t device_id, case_val *row, case_rows **out,
                         trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT value FROM link_device_accounts WHERE device_id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    return case_rows_start(c, st, fill_id, row, "reading accounts", out, err);
}

int case_accounts_clear(case_db *c, trawl_err *err)
{
    return case_exec(c, "DELETE FROM accounts; DELETE FROM account_devices;", err);
}

int case_account_put(case_db *c, const char *service, const char *account, const char *devices,
                     int64_t ndevices, const char *flags, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO accounts(service, account, devices, ndevices, flags) "
                  "VALUES(?, ?, ?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, devices, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, ndevices);
    sqlite3_bind_text(st, 5, flags, -1, SQLITE_STATIC);
    return case_step_done(c, st, "accounts", NULL, err);
}

int case_account_device_put(case_db *c, const char *service, const char *device, int64_t accounts,
                            int flagged, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO account_devices(service, device, accounts, flagged) "
                  "VALUES(?, ?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, accounts);
    sqlite3_bind_int(st, 4, flagged);
    return case_step_done(c, st, "account_devices", NULL, err);
}

int case_link_results_clear(case_db *c, trawl_err *err)
{
    return case_exec(c,
                     "DELETE FROM links; DELETE FROM groups; DELETE FROM group_bindings;"
                     "DELETE FROM link_occurrences; DELETE FROM link_features;",
                     err);
}

int case_link_put(case_db *c, const char *device_a, const char *device_b, double score,
                  int64_t shared, const char *top, const char *explain, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO links(device_a, device_b, score, shared, top, explain) "
                  "VALUES(?, ?, ?, ?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, device_a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, device_b, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, score);
    sqlite3_bind_int64(st, 4, shared);
    sqlite3_bind_text(st, 5, top, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, explain, -1, SQLITE_STATIC);
    return case_step_done(c, st, "links", NULL, err);
}

int case_link_feature_put(case_db *c, const char *type, const char *value, int64_t dc,
                          double weight, int stopped, int64_t *id, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO link_features(type, value, dc, weight, stopped) "
                  "VALUES(?, ?, ?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, dc);
    sqlite3_bind_double(st, 4, weight);
    sqlite3_bind_int(st, 5, stopped);
    int rc = case_step_done(c, st, "link_features", NULL, err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(case_sqlite(c));
    return rc;
}

int case_link_occurrence_put(case_db *c, int64_t feature_id, const char *device, int64_t count,
                             trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, "INSERT INTO link_occurrences(feature_id, device, count) VALUES(?, ?, ?)", &st,
                  err))
        return err->code;
    sqlite3_bind_int64(st, 1, feature_id);
    sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, count);
    return case_step_done(c, st, "link_occurrences", NULL, err);
}

int case_group_put(case_db *c, const char *method, int group_id, const char *device, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c, "INSERT INTO groups(method, group_id, device) VALUES(?, ?, ?)", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, method, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, group_id);
    sqlite3_bind_text(st, 3, device, -1, SQLITE_STATIC);
    return case_step_done(c, st, "groups", NULL, err);
}

int case_group_binding_put(case_db *c, const char *method, int64_t group_id, int rank,
                           const char *type, const char *value, int members, int64_t dc,
                           double weight, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_stmt(c,
                  "INSERT INTO group_bindings(method, group_id, rank, type, value, members, "
                  "dc, weight) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                  &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, method, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, group_id);
    sqlite3_bind_int(st, 3, rank);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, value, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, members);
    sqlite3_bind_int64(st, 7, dc);
    sqlite3_bind_double(st, 8, weight);
    return case_step_done(c, st, "group_bindings", NULL, err);
}
