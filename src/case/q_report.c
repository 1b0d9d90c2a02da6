/* q_report.c: the report's queries (see q_report.h).  One helper runs a
 * statement and turns each row into cells; each public function is its
 * SQL.  Every ORDER BY ends on a unique key so the report is the same bytes
 * for the same case. */
#include "case/q_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "util/strbuf.h"

#define Q_MAX_COLS 16

/* Bind params (NULL = SQL NULL; a string starting with "#" followed by
 * digits is still text: only ints go through ibind), step, call fn. */
static int run(case_db *c, const char *sql, const char *const *text, int ntext, const int64_t *ints,
               int nints, case_row_fn fn, void *ctx, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, sql, &st, err))
        return err->code;
    int k = 1;
    for (int i = 0; i < ntext; i++, k++)
        if (text[i])
            sqlite3_bind_text(st, k, text[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nints; i++, k++)
        sqlite3_bind_int64(st, k, ints[i]);
    case_cell cells[Q_MAX_COLS];
    int n = sqlite3_column_count(st), s, rc = 0;
    if (n > Q_MAX_COLS)
        n = Q_MAX_COLS;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            case_cell *x = &cells[i];
            x->null = sqlite3_column_type(st, i) == SQLITE_NULL;
            x->i = sqlite3_column_int64(st, i);
            x->d = sqlite3_column_double(st, i);
            const unsigned char *t = sqlite3_column_text(st, i);
            x->s = t ? (const char *)t : "";
            x->len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
        }
        if ((rc = fn(ctx, cells, n, err)) != 0)
            break;
    }
    if (!rc && s != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: report query: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    return rc;
}

/* Does table name exist?  (A case scanned before the link or fs stage ran
 * has no links or files rows, but the tables exist; older cases may not.) */
static int has_table(case_db *c, const char *name)
{
    sqlite3_stmt *st;
    trawl_err e = {0};
    if (case_prepare(c, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", &st, &e))
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

int case_q_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT id, name, exhibit, custodian, examiner, size, state, scan_started, "
               "scan_finished, tool_version, options FROM devices ORDER BY name",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_images(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT d.name, i.seq, i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, "
               "i.stored_md5, i.stored_sha1, i.stored_sha256, i.verification, i.acquisition, "
               "i.unreadable, i.last_verified, i.last_verify_result "
               "FROM images i JOIN devices d ON d.id = i.device_id ORDER BY d.name, i.seq, i.id",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_type_counts(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT d.name, x.type, x.n FROM (SELECT device_id, type, count(*) AS n "
               "FROM identifiers GROUP BY device_id, type) x JOIN devices d ON d.id = x.device_id "
               "ORDER BY d.name, x.type",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_area_counts(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT d.name, x.area, x.n FROM (SELECT device_id, area, count(*) AS n "
               "FROM identifiers WHERE area IS NOT NULL GROUP BY device_id, area) x "
               "JOIN devices d ON d.id = x.device_id ORDER BY d.name, x.area",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_links(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "links"))
        return 0;
    return run(c,
               "SELECT device_a, device_b, score, shared, explain FROM links "
               "ORDER BY score DESC, device_a, device_b LIMIT ?",
               NULL, 0, &limit, 1, fn, ctx, err);
}

int case_q_link_contributors(case_db *c, int64_t limit, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "links"))
        return 0;
    return run(c,
               "SELECT l.device_a, l.device_b, j.key, json_extract(j.value, '$.type'), "
               "json_extract(j.value, '$.value'), json_extract(j.value, '$.devices'), "
               "json_extract(j.value, '$.contribution') "
               "FROM (SELECT * FROM links ORDER BY score DESC, device_a, device_b LIMIT ?) l, "
               "json_each(CASE WHEN json_valid(l.explain) THEN l.explain ELSE '[]' END) j "
               "ORDER BY l.score DESC, l.device_a, l.device_b, j.key",
               NULL, 0, &limit, 1, fn, ctx, err);
}

static int count_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err)
{
    (void)ncol, (void)err;
    *(int64_t *)ctx = row[0].i;
    return 0;
}

int case_q_link_count(case_db *c, int64_t *n, trawl_err *err)
{
    *n = 0;
    if (!has_table(c, "links"))
        return 0;
    return run(c, "SELECT count(*) FROM links", NULL, 0, NULL, 0, count_cb, n, err);
}

int case_q_groups(case_db *c, const char *method, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "groups"))
        return 0;
    return run(c, "SELECT group_id, device FROM groups WHERE method=? ORDER BY group_id, device",
               &method, 1, NULL, 0, fn, ctx, err);
}

int case_q_accounts(case_db *c, int64_t per_service, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "accounts"))
        return 0;
    return run(c,
               "SELECT service, account, devices, ndevices, flags, NULL, NULL FROM ("
               " SELECT *, row_number() OVER (PARTITION BY service "
               "  ORDER BY ndevices DESC, flags DESC, account) AS r "
               " FROM accounts WHERE ndevices >= 2 OR flags != '') "
               "WHERE r <= ? ORDER BY service, r",
               NULL, 0, &per_service, 1, fn, ctx, err);
}

int case_q_account_totals(case_db *c, int64_t per_service, case_row_fn fn, void *ctx,
                          trawl_err *err)
{
    if (!has_table(c, "accounts"))
        return 0;
    return run(c,
               "SELECT service, count(*), min(?, sum(ndevices >= 2 OR flags != '')) "
               "FROM accounts GROUP BY service ORDER BY service",
               NULL, 0, &per_service, 1, fn, ctx, err);
}

int case_q_account_devices(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "account_devices"))
        return 0;
    return run(c,
               "SELECT service, device, accounts, flagged FROM account_devices "
               "ORDER BY service, accounts DESC, device",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_files_of_interest(case_db *c, int64_t per_device, case_row_fn fn, void *ctx,
                             trawl_err *err)
{
    if (!has_table(c, "files"))
        return 0;
    /* The deleted files holding identifiers: the identifiers table has no
     * index on file_id, so it is read once as the outer loop (CROSS JOIN
     * keeps SQLite from looking it up per file). */
    return run(
        c,
        "WITH foi(device_id, kind, path, detail, size, sha256, fid) AS ("
        " SELECT device_id, 'notable', path, hashset, size, sha256, id FROM files"
        "  WHERE known = 'notable'"
        " UNION ALL SELECT y.device_id, 'yara', coalesce(f.path, y.area, y.path), y.rule,"
        "  f.size, f.sha256, coalesce(f.id, 0) FROM yara_hits y LEFT JOIN files f ON f.id = "
        "y.file_id"
        " UNION ALL SELECT device_id, 'ext-mismatch', path, mime, size, sha256, id FROM files"
        "  WHERE ext_mismatch = 1"
        " UNION ALL SELECT f.device_id, 'deleted', f.path, x.n, f.size, f.sha256, f.id FROM"
        "  (SELECT i.file_id AS fid, count(*) AS n FROM identifiers i CROSS JOIN files g"
        "   ON g.id = i.file_id WHERE g.alloc = 0 GROUP BY i.file_id) x"
        "  JOIN files f ON f.id = x.fid),"
        " ranked AS (SELECT *, row_number() OVER (PARTITION BY device_id, kind"
        "  ORDER BY path, detail, fid) AS r FROM foi)"
        "SELECT d.name, r.kind, r.path, r.detail, r.size, r.sha256 FROM ranked r"
        " JOIN devices d ON d.id = r.device_id WHERE r.r <= ?"
        " ORDER BY d.name, r.kind, r.path, r.detail, r.fid",
        NULL, 0, &per_device, 1, fn, ctx, err);
}

int case_q_shared(case_db *c, int64_t limit, int64_t *total, case_row_fn fn, void *ctx,
                  trawl_err *err)
{
    if (total)
        *total = 0;
    if (!has_table(c, "link_features"))
        return 0;
    if (total && run(c, "SELECT count(*) FROM link_features WHERE stopped = 0", NULL, 0, NULL, 0,
                     count_cb, total, err))
        return err->code;
    return run(c,
               "SELECT f.type, f.value, f.dc, f.weight, (SELECT group_concat(device, ';') FROM "
               " (SELECT device FROM link_occurrences o WHERE o.feature_id = f.id ORDER BY device))"
               " FROM (SELECT * FROM link_features WHERE stopped = 0"
               "  ORDER BY weight * dc DESC, dc DESC, type, value LIMIT ?) f"
               " ORDER BY f.weight * f.dc DESC, f.dc DESC, f.type, f.value",
               NULL, 0, &limit, 1, fn, ctx, err);
}

int case_q_locations(case_db *c, const char *type, const char *value, const char *device,
                     case_row_fn fn, void *ctx, trawl_err *err)
{
    const char *p[3] = {value, device, device};
    if (!strcmp(type, "file"))
        return run(c,
                   "SELECT d.name, '', min(f.path), NULL, NULL FROM files f"
                   " JOIN devices d ON d.id = f.device_id"
                   " WHERE f.sha256 = ? AND (?2 IS NULL OR d.name = ?3)"
                   " GROUP BY d.name ORDER BY d.name",
                   p, 3, NULL, 0, fn, ctx, err);
    const char *q[4] = {value, type, device, device};
    /* The first hit of each device by offset (the row with min(pos) gives
     * the bare columns, as SQLite documents for min()). */
    return run(c,
               "SELECT d.name, x.path, f.path, x.area, x.context FROM"
               " (SELECT device_id, path, file_id, area, context, min(pos) FROM identifiers"
               "  WHERE value = ? AND type = ? AND (?3 IS NULL OR device_id ="
               "   (SELECT id FROM devices WHERE name = ?4)) GROUP BY device_id) x"
               " JOIN devices d ON d.id = x.device_id LEFT JOIN files f ON f.id = x.file_id"
               " ORDER BY d.name",
               q, 4, NULL, 0, fn, ctx, err);
}

int case_q_occurrences(case_db *c, const char *const *values, size_t n, case_row_fn fn, void *ctx,
                       trawl_err *err)
{
    if (!n)
        return 0;
    /* The values go in as one JSON array (no statement per value and no
     * limit on bound parameters). */
    strbuf js = STRBUF_INIT;
    sb_addc(&js, '[');
    for (size_t i = 0; i < n; i++) {
        sb_adds(&js, i ? ",\"" : "\"");
        for (const char *s = values[i]; *s; s++) {
            unsigned char ch = (unsigned char)*s;
            if (ch == '"' || ch == '\\')
                sb_addf(&js, "\\%c", ch);
            else if (ch < 0x20)
                sb_addf(&js, "\\u%04x", ch);
            else
                sb_addc(&js, (char)ch);
        }
        sb_addc(&js, '"');
    }
    sb_addc(&js, ']');
    if (js.oom) {
        sb_free(&js);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    const char *p[1] = {js.buf};
    int rc = run(c,
                 "SELECT v.value, d.name, i.type, i.path, f.path, i.area, i.context"
                 " FROM (SELECT DISTINCT value FROM json_each(?)) v"
                 " JOIN identifiers i ON i.value = v.value"
                 " JOIN devices d ON d.id = i.device_id LEFT JOIN files f ON f.id = i.file_id"
                 " ORDER BY v.value, d.name, i.pos, i.path, i.type, i.id",
                 p, 1, NULL, 0, fn, ctx, err);
    sb_free(&js);
    return rc;
}

int case_q_services(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "accounts"))
        return 0;
    return run(c, "SELECT DISTINCT service FROM accounts ORDER BY service", NULL, 0, NULL, 0, fn,
               ctx, err);
}

int case_q_audit_lines(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/audit.log", case_dir(c));
    FILE *f = path.oom ? NULL : fopen(path.buf, "rb");
    if (!f) {
        int rc = trawl_fail(err, TRAWL_EIO, "%s: cannot open", sb_cstr(&path));
        sb_free(&path);
        return rc;
    }
    sqlite3_stmt *st;
    int rc = case_prepare(c,
                          "SELECT json_extract(?1, '$.time'), json_extract(?1, '$.action'),"
                          " json_extract(?1, '$.examiner'), json_extract(?1, '$.device'),"
                          " json_extract(?1, '$.outcome'), json_extract(?1, '$.detail'),"
                          " json_extract(?1, '$.argv'), json_extract(?1, '$.libraries'),"
                          " json_extract(?1, '$.version') WHERE json_valid(?1)",
                          &st, err);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (!rc && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, line, (int)len, SQLITE_STATIC);
        case_cell cells[9];
        int s = sqlite3_step(st);
        for (int i = 0; i < 9; i++) {
            int has = s == SQLITE_ROW && sqlite3_column_type(st, i) != SQLITE_NULL;
            const unsigned char *t = has ? sqlite3_column_text(st, i) : NULL;
            cells[i] = (case_cell){.s = t ? (const char *)t : "",
                                   .len = t ? (size_t)sqlite3_column_bytes(st, i) : 0,
                                   .i = has ? sqlite3_column_int64(st, i) : 0,
                                   .null = !t};
        }
        rc = fn(ctx, cells, 9, err);
    }
    free(line);
    sqlite3_finalize(st);
    fclose(f);
    sb_free(&path);
    return rc;
}

int case_q_hashsets(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    if (!has_table(c, "hashsets"))
        return 0;
    return run(c, "SELECT name, kind, source, count, imported FROM hashsets ORDER BY name", NULL, 0,
               NULL, 0, fn, ctx, err);
}

int case_q_meta(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c, "SELECT key, value FROM meta ORDER BY key", NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_problems(case_db *c, case_row_fn fn, void *ctx, trawl_err *err)
{
    return run(c,
               "SELECT coalesce(d.name, ''), p.stage, p.message FROM problems p"
               " LEFT JOIN devices d ON d.id = p.device_id ORDER BY d.name, p.rowid",
               NULL, 0, NULL, 0, fn, ctx, err);
}

int case_q_histogram(case_db *c, const char *device, const char *type, int64_t limit,
                     case_row_fn fn, void *ctx, trawl_err *err)
{
    /* Names come from the case, but a name or type with a '/' or a leading
     * '.' must not lead outside the device's folder. */
    if (strchr(device, '/') || strchr(type, '/') || device[0] == '.' || type[0] == '.')
        return 0;
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/devices/%s/%s_histogram.txt", case_dir(c), device, type);
    FILE *f = path.oom ? NULL : fopen(path.buf, "rb");
    sb_free(&path);
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    int64_t n = 0;
    while (!rc && n < limit && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        if (line[0] == '#' || strncmp(line, "n=", 2) != 0)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        case_cell cells[2] = {
            {.s = tab + 1, .len = (size_t)(line + len - (tab + 1))},
            {.s = line + 2, .len = (size_t)(tab - (line + 2)), .i = strtoll(line + 2, NULL, 10)},
        };
        cells[1].d = (double)cells[1].i;
        rc = fn(ctx, cells, 2, err);
        n++;
    }
    free(line);
    fclose(f);
    return rc;
}
