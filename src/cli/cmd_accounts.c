/* cmd_accounts.c: `trawl accounts CASE [--service S] [--json]`: the
 * accounts view 'trawl link' built: each account with the devices holding
 * it and its flags (many-accounts-device, multi-device), and where the
 * case has times for it (hits from records with a time column) the first
 * and last seen per device; then the devices holding many accounts of one
 * service. */
#include <string.h>

#include "case/case.h"
#include "case/q_links.h"
#include "case/q_seen.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt accounts_opts[] = {
    {"json", 'J', NULL, "print one JSON object per account"},
    {"service", 's', "S", "only accounts of service S (facebook, x, instagram, ...)"},
    {NULL, 0, NULL, NULL},
};

static void jfield(strbuf *sb, const char *key, const case_val *v)
{
    sb_addf(sb, "\"%s\":\"", key);
    esc_json(sb, v->s, v->len);
    sb_addc(sb, '"');
}

static void tfield(strbuf *sb, const case_val *v)
{
    esc_term(sb, v->s, v->len);
}

/* A ';'-joined list as a JSON array of strings. */
static void jlist(strbuf *sb, const char *key, const case_val *v)
{
    sb_addf(sb, ",\"%s\":[", key);
    const char *d = v->s;
    int first = 1;
    while (*d) {
        const char *e = strchr(d, ';');
        size_t len = e ? (size_t)(e - d) : strlen(d);
        sb_adds(sb, first ? "\"" : ",\"");
        esc_json(sb, d, len);
        sb_addc(sb, '"');
        first = 0;
        d += len + (e ? 1 : 0);
    }
    sb_addc(sb, ']');
}

/* The account being printed: its line so far (service and account, devices,
 * flags), its per-device times, and the earliest and latest of them. */
typedef struct acct_line {
    strbuf key;   /* service NUL account */
    strbuf head;  /* text: "service account  devices  [flags]"; json: up to flags */
    strbuf seen;  /* text: "dev first to last; ..."; json: {"device":...},... */
    strbuf first; /* earliest time (ISO 8601 strings order as times) */
    strbuf last;  /* latest time */
    int open, json;
} acct_line;

static void acct_start(acct_line *l, const case_account_seen *a)
{
    sb_reset(&l->key), sb_reset(&l->head), sb_reset(&l->seen);
    sb_reset(&l->first), sb_reset(&l->last);
    sb_adds(&l->key, a->service.s);
    sb_addc(&l->key, 0);
    sb_adds(&l->key, a->account.s);
    l->open = 1;
    if (l->json) {
        sb_addc(&l->head, '{');
        jfield(&l->head, "service", &a->service);
        sb_addc(&l->head, ',');
        jfield(&l->head, "account", &a->account);
        /* device names never hold ';' here: join/split as the link stage did */
        jlist(&l->head, "devices", &a->devices);
        jlist(&l->head, "flags", &a->flags);
        return;
    }
    tfield(&l->head, &a->service);
    sb_addc(&l->head, ' ');
    tfield(&l->head, &a->account);
    sb_adds(&l->head, "  ");
    tfield(&l->head, &a->devices);
    if (*a->flags.s) {
        sb_adds(&l->head, "  [");
        tfield(&l->head, &a->flags);
        sb_addc(&l->head, ']');
    }
}

static void acct_seen(acct_line *l, const case_account_seen *a)
{
    if (a->first.type == CASE_NULL || a->last.type == CASE_NULL)
        return;
    if (!l->first.len || strcmp(a->first.s, sb_cstr(&l->first)) < 0) {
        sb_reset(&l->first);
        sb_adds(&l->first, a->first.s);
    }
    if (strcmp(a->last.s, sb_cstr(&l->last)) > 0) {
        sb_reset(&l->last);
        sb_adds(&l->last, a->last.s);
    }
    if (l->json) {
        sb_adds(&l->seen, l->seen.len ? ",{" : "{");
        jfield(&l->seen, "device", &a->device);
        sb_addc(&l->seen, ',');
        jfield(&l->seen, "first_seen", &a->first);
        sb_addc(&l->seen, ',');
        jfield(&l->seen, "last_seen", &a->last);
        sb_addc(&l->seen, '}');
        return;
    }
    if (l->seen.len)
        sb_adds(&l->seen, "; ");
    tfield(&l->seen, &a->device);
    sb_addc(&l->seen, ' ');
    tfield(&l->seen, &a->first);
    sb_adds(&l->seen, " to ");
    tfield(&l->seen, &a->last);
}

/* Print the account held, if any. */
static void acct_flush(acct_line *l)
{
    if (!l->open)
        return;
    l->open = 0;
    strbuf *o = &l->head;
    if (l->json) {
        if (l->first.len)
            sb_addf(o, ",\"first_seen\":\"%s\",\"last_seen\":\"%s\"", sb_cstr(&l->first),
                    sb_cstr(&l->last));
        else
            sb_adds(o, ",\"first_seen\":null,\"last_seen\":null");
        sb_adds(o, ",\"seen\":[");
        sb_adds(o, sb_cstr(&l->seen));
        sb_adds(o, "]}");
    } else if (l->seen.len) {
        sb_adds(o, "  seen ");
        sb_adds(o, sb_cstr(&l->seen));
    }
    sb_addc(o, '\n');
    fputs(sb_cstr(o), stdout);
}

static void acct_free(acct_line *l)
{
    sb_free(&l->key), sb_free(&l->head), sb_free(&l->seen);
    sb_free(&l->first), sb_free(&l->last);
}

int cmd_accounts(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "accounts",
        .synopsis = "trawl accounts [--json] [--service S] CASE",
        .about = "Show the accounts (service:id identifiers) of a case as 'trawl link' left\n"
                 "them: service, account, the devices holding it and its flags:\n"
                 "many-accounts-device (held on a device with many accounts of the service) and\n"
                 "multi-device (seen on many devices); thresholds are 'trawl link' options.\n"
                 "Where the case has times for an account (from records with a time column:\n"
                 "a cookie's creation, a visit), its first and last seen per device follow\n"
                 "(ISO 8601 UTC).\n"
                 "Text output ends with the flagged devices and their account counts.",
        .opts = accounts_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    const char *v, *service = NULL;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
        if (ch == 's')
            service = v;
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("accounts", "give exactly one case folder");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("accounts", &err);
    int rc = EXIT_DONE, row;
    case_account_seen a;
    case_rows *rows;
    if (case_accounts_seen(c, service, &a, &rows, &err)) {
        case_close(c);
        return cli_report("accounts", &err);
    }
    /* Rows come one per (account, device with times): an account's line is
     * held in acc until a row of another account arrives. */
    acct_line acc = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, json};
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        if (!acc.open || strcmp(sb_cstr(&acc.key), a.service.s) ||
            strcmp(sb_cstr(&acc.key) + strlen(a.service.s) + 1, a.account.s)) {
            acct_flush(&acc);
            acct_start(&acc, &a);
        }
        if (a.device.type != CASE_NULL)
            acct_seen(&acc, &a);
    }
    acct_flush(&acc);
    acct_free(&acc);
    case_rows_close(rows);
    strbuf sb = STRBUF_INIT;
    if (err.code) {
        case_close(c);
        return cli_report("accounts", &err);
    }
    case_account_device ad;
    if (!json && case_account_devices_flagged(c, service, &ad, &rows, &err) == 0) {
        int header = 0;
        while (case_rows_next(rows, &row, &err) == 0 && row) {
            sb_reset(&sb);
            if (!header++)
                sb_adds(&sb, "\nDevices holding many accounts of one service:\n");
            sb_adds(&sb, "  ");
            tfield(&sb, &ad.device);
            sb_addf(&sb, ": %lld ", (long long)ad.accounts.i);
            tfield(&sb, &ad.service);
            sb_adds(&sb, " accounts\n");
            fputs(sb_cstr(&sb), stdout);
        }
        case_rows_close(rows);
    }
    sb_free(&sb);
    case_close(c);
    return rc;
}
