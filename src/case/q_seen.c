/* q_seen.c: see q_seen.h. */
#include "case/q_seen.h"

#include "case/case_int.h"

/* An account "service:id" is stored as the identifier of type 'account'
 * whose value is the two joined with ':'. */
int case_accounts_seen(case_db *c, const char *service, case_account_seen *row, case_rows **out,
                       trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(
            c,
            "SELECT a.service, a.account, a.devices, a.flags, s.device,"
            " strftime('%Y-%m-%dT%H:%M:%SZ', s.first, 'unixepoch'),"
            " strftime('%Y-%m-%dT%H:%M:%SZ', s.last, 'unixepoch') "
            "FROM accounts a LEFT JOIN ("
            " SELECT v.value AS value, d.name AS device, min(o.time) AS first, max(o.time) AS last"
            " FROM ident_values v JOIN occurrences o ON o.value_id = v.id"
            " JOIN devices d ON d.id = o.device_id"
            " WHERE v.type = 'account' AND o.time IS NOT NULL GROUP BY v.id, d.id) s"
            " ON s.value = a.service || ':' || a.account "
            "WHERE ?1 IS NULL OR a.service = ?1 ORDER BY a.service, a.account, s.device",
            &st, err))
        return err->code;
    if (service)
        sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    return case_rows_start_vals(c, st, CASE_VALS(row), "accounts", out, err);
}
