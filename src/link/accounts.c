/* accounts.c: the accounts view, for the fake-account-network pattern.
 *
 * For each service, which devices hold which accounts ("service:id" values
 * of the account type).  Two flags:
 *   many-accounts-device  the account is on a device holding at least
 *                         opt->many_accounts distinct accounts of the
 *                         service (default 5: one person rarely runs more)
 *   multi-device          the account is on at least opt->multi_device
 *                         devices (default 3: a phone and a laptop are
 *                         normal, a third device is worth a look)
 * Written to the accounts and account_devices tables and CASE/accounts.csv,
 * sorted by service, then account (bytewise), devices in name order.  The
 * accounts of each device are collected while its index is built
 * (link_device_accounts), so this reads no identifiers. */
#include <stdlib.h>
#include <string.h>

#include "case/link_store.h"
#include "link/link_int.h"
#include "util/escape.h"
#include "util/strbuf.h"

typedef struct acct {
    char *service, *account;
    uint32_t dev;
} acct;

static int acct_cmp(const void *pa, const void *pb)
{
    const acct *a = pa, *b = pb;
    int d = strcmp(a->service, b->service);
    if (!d)
        d = strcmp(a->account, b->account);
    if (!d)
        d = (a->dev > b->dev) - (a->dev < b->dev);
    return d;
}

static int load(case_db *c, const link_dev *devs, size_t n, acct **out, size_t *nout,
                trawl_err *err)
{
    acct *v = NULL;
    size_t nv = 0, cap = 0;
    int rc = 0;
    for (size_t d = 0; !rc && d < n; d++) {
        case_val val;
        case_rows *rows;
        int more;
        if ((rc = case_device_accounts(c, devs[d].id, &val, &rows, err)))
            break;
        while (!rc && !(rc = case_rows_next(rows, &more, err)) && more) {
            if (val.type == CASE_NULL)
                continue;
            const char *value = val.s;
            if (nv == cap) {
                cap = cap ? cap * 2 : 1024;
                acct *nvv = realloc(v, cap * sizeof *v);
                if (!nvv) {
                    rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                    break;
                }
                v = nvv;
            }
            const char *colon = strchr(value, ':');
            acct *a = &v[nv];
            a->dev = (uint32_t)d;
            a->service = colon ? strndup(value, (size_t)(colon - value)) : strdup("");
            a->account = strdup(colon ? colon + 1 : value);
            if (!a->service || !a->account) {
                free(a->service);
                free(a->account);
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
            nv++;
        }
        case_rows_close(rows);
    }
    if (rc) {
        for (size_t i = 0; i < nv; i++)
            free(v[i].service), free(v[i].account);
        free(v);
        return rc;
    }
    if (nv)
        qsort(v, nv, sizeof *v, acct_cmp);
    *out = v;
    *nout = nv;
    return 0;
}

static void csv_field(strbuf *sb, const char *s)
{
    esc_csv(sb, s, strlen(s));
}

int link_accounts(case_db *c, const link_dev *devs, size_t n, const link_options *opt, size_t *rows,
                  trawl_err *err)
{
    acct *v = NULL;
    size_t nv = 0;
    *rows = 0;
    if (load(c, devs, n, &v, &nv, err))
        return err->code;
    uint32_t *per_dev = calloc(n ? n : 1, sizeof *per_dev);
    strbuf csv = STRBUF_INIT, names = STRBUF_INIT, flags = STRBUF_INIT;
    int rc = 0;
    if (!per_dev)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc)
        rc = case_accounts_clear(c, err);
    sb_adds(&csv, "service,account,devices,flags\n");
    /* One service at a time: first count accounts per device, then emit. */
    for (size_t s = 0; !rc && s < nv;) {
        size_t e = s;
        while (e < nv && strcmp(v[e].service, v[s].service) == 0)
            e++;
        memset(per_dev, 0, n * sizeof *per_dev);
        for (size_t i = s; i < e; i++)
            per_dev[v[i].dev]++;
        for (size_t d = 0; !rc && d < n; d++) {
            if (!per_dev[d])
                continue;
            rc = case_account_device_put(c, v[s].service, devs[d].name, per_dev[d],
                                         per_dev[d] >= (uint32_t)opt->many_accounts, err);
        }
        for (size_t a = s; !rc && a < e;) {
            size_t b = a;
            int many = 0;
            sb_reset(&names);
            while (b < e && strcmp(v[b].account, v[a].account) == 0) {
                if (b > a)
                    sb_addc(&names, ';');
                sb_adds(&names, devs[v[b].dev].name);
                if (per_dev[v[b].dev] >= (uint32_t)opt->many_accounts)
                    many = 1;
                b++;
            }
            size_t ndev = b - a;
            sb_reset(&flags);
            if (many)
                sb_adds(&flags, "many-accounts-device");
            if (ndev >= (size_t)opt->multi_device)
                sb_adds(&flags, many ? ";multi-device" : "multi-device");
            csv_field(&csv, v[a].service);
            sb_addc(&csv, ',');
            csv_field(&csv, v[a].account);
            sb_addc(&csv, ',');
            csv_field(&csv, sb_cstr(&names));
            sb_addc(&csv, ',');
            csv_field(&csv, sb_cstr(&flags));
            sb_adds(&csv, "\n");
            rc = case_account_put(c, v[a].service, v[a].account, sb_cstr(&names), (int64_t)ndev,
                                  sb_cstr(&flags), err);
            (*rows)++;
            a = b;
        }
        s = e;
    }
    if (!rc && (csv.oom || names.oom || flags.oom))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc) {
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/accounts.csv", case_dir(c));
        rc = link_write_file(sb_cstr(&path), csv.buf ? csv.buf : "", csv.len, err);
        sb_free(&path);
    }
    sb_free(&csv);
    sb_free(&names);
    sb_free(&flags);
    free(per_dev);
    for (size_t i = 0; i < nv; i++)
        free(v[i].service), free(v[i].account);
    free(v);
    return rc;
}
