/* q_links.c: see q_links.h. */
#include "case/q_links.h"

#include <stdlib.h>
#include <string.h>

#include "case/case_int.h"

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
    return case_rows_start_vals(c, st, CASE_VALS(row), "links", out, err);
}

static void skip_ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

/* The field of x named key, or NULL for a member we do not know. */
static case_val *contrib_field(case_link_contrib *x, const char *key)
{
    static const char *const names[] = {"type", "value", "weight", "devices", "contribution"};
    case_val *fields[] = {&x->type, &x->value, &x->weight, &x->devices, &x->contribution};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(key, names[i]) == 0)
            return fields[i];
    return NULL;
}

/* One {"key":value,...} of explain at *p: its strings into text[] (one per
 * field, so that they stay put until fn is called), its numbers into x. */
static int read_contrib(const char **p, case_link_contrib *x, strbuf text[5], strbuf *key)
{
    const char *s = *p;
    if (*s++ != '{')
        return -1;
    for (;;) {
        skip_ws(&s);
        sb_reset(key);
        if (*s++ != '"' || case_json_string(&s, key) != 0 || key->oom)
            return -1;
        skip_ws(&s);
        if (*s++ != ':')
            return -1;
        skip_ws(&s);
        case_val *v = contrib_field(x, sb_cstr(key));
        if (*s == '"') {
            s++;
            strbuf *dst = v ? &text[v - &x->type] : key;
            sb_reset(dst);
            if (case_json_string(&s, dst) != 0 || dst->oom)
                return -1;
            if (v)
                *v = (case_val){CASE_TEXT, 0, 0, sb_cstr(dst), dst->len};
        } else {
            char *end;
            double d = strtod(s, &end);
            if (end == s)
                return -1;
            s = end;
            if (v)
                *v = (case_val){CASE_REAL, (int64_t)d, d, "", 0};
        }
        skip_ws(&s);
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s++ != '}')
            return -1;
        *p = s;
        return 0;
    }
}

int case_link_contributors(const char *explain, case_link_contrib_fn fn, void *ctx, trawl_err *err)
{
    strbuf text[5] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
    strbuf key = STRBUF_INIT;
    const char *p = explain;
    int rc = 0, ok = 1;
    skip_ws(&p);
    if (*p == '[')
        p++;
    else
        ok = 0;
    skip_ws(&p);
    if (ok && *p == ']') {
        p++;
    } else {
        while (ok && !rc) {
            case_link_contrib x;
            case_val none = {CASE_NULL, 0, 0, "", 0};
            x = (case_link_contrib){none, none, none, none, none};
            skip_ws(&p);
            if (read_contrib(&p, &x, text, &key) != 0) {
                ok = 0;
                break;
            }
            rc = fn(ctx, &x);
            skip_ws(&p);
            if (*p == ',') {
                p++;
            } else if (*p == ']') {
                p++;
                break;
            } else {
                ok = 0;
            }
        }
    }
    if (ok)
        skip_ws(&p);
    if (!rc && (!ok || *p))
        rc = trawl_fail(err, TRAWL_ECASE, "a link's explanation is not what trawl link writes");
    for (int i = 0; i < 5; i++)
        sb_free(&text[i]);
    sb_free(&key);
    return rc;
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
    return case_rows_start_vals(c, st, CASE_VALS(row), "accounts", out, err);
}
