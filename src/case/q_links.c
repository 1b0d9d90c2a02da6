/* q_links.c: see q_links.h. */
#include "case/q_links.h"

#include "case/case_int.h"

static void fill_link(sqlite3_stmt *st, void *p)
{
    case_link *r = p;
    r->device_a = case_col(st, 0);
    r->device_b = case_col(st, 1);
    r->score = case_col(st, 2);
    r->shared = case_col(st, 3);
    r->top = case_col(st, 4);
    r->explain = case_col(st, 5);
}

int case_links(case_db *c, const char *device, int64_t limit, case_link *row, case_rows **out,
               trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT device_a, device_b, score, shared, top, explain FROM links "
                     "WHERE ?1 IS NULL OR device_a = ?1 OR device_b = ?1 "
                     "ORDER BY score DESC, device_a, device_b LIMIT ?2",
                     &st, err))
        return err->code;
    if (device)
        sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit);
    return case_rows_start(c, st, fill_link, row, "links", out, err);
}

static void fill_contrib(sqlite3_stmt *st, void *p)
{
    case_link_contrib *r = p;
    r->type = case_col(st, 0);
    r->value = case_col(st, 1);
    r->weight = case_col(st, 2);
    r->devices = case_col(st, 3);
    r->contribution = case_col(st, 4);
}

int case_link_contributors(case_db *c, const char *explain, case_link_contrib *row, case_rows **out,
                           trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT json_extract(e.value,'$.type'), "
                     "json_extract(e.value,'$.value'), "
                     "json_extract(e.value,'$.weight'), "
                     "json_extract(e.value,'$.devices'), "
                     "json_extract(e.value,'$.contribution') "
                     "FROM json_each(?) e ORDER BY e.key",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, explain, -1, SQLITE_TRANSIENT);
    return case_rows_start(c, st, fill_contrib, row, "links", out, err);
}

static void fill_account_device(sqlite3_stmt *st, void *p)
{
    case_account_device *r = p;
    r->device = case_col(st, 0);
    r->service = case_col(st, 1);
    r->accounts = case_col(st, 2);
}

int case_account_devices_flagged(case_db *c, const char *service, case_account_device *row,
                                 case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT device, service, accounts FROM account_devices WHERE flagged "
                     "AND (?1 IS NULL OR service = ?1) ORDER BY service, device",
                     &st, err))
        return err->code;
    if (service)
        sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    return case_rows_start(c, st, fill_account_device, row, "accounts", out, err);
}
