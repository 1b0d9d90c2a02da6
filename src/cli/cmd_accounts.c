/* cmd_accounts.c: `trawl accounts CASE [--service S] [--json]`: the
 * accounts view 'trawl link' built: each account with the devices holding
 * it and its flags (many-accounts-device, multi-device), then the devices
 * holding many accounts of one service. */
#include <string.h>

#include "case/case.h"
#include "case/q_links.h"
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
    case_account a;
    case_rows *rows;
    if (case_accounts(c, service, &a, &rows, &err)) {
        case_close(c);
        return cli_report("accounts", &err);
    }
    strbuf sb = STRBUF_INIT;
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        sb_reset(&sb);
        if (json) {
            sb_addc(&sb, '{');
            jfield(&sb, "service", &a.service);
            sb_addc(&sb, ',');
            jfield(&sb, "account", &a.account);
            sb_adds(&sb, ",\"devices\":[");
            /* device names never hold ';' here: join/split as the link stage did */
            const char *d = a.devices.s;
            int firstdev = 1;
            while (*d) {
                const char *e = strchr(d, ';');
                size_t len = e ? (size_t)(e - d) : strlen(d);
                sb_adds(&sb, firstdev ? "\"" : ",\"");
                esc_json(&sb, d, len);
                sb_addc(&sb, '"');
                firstdev = 0;
                d += len + (e ? 1 : 0);
            }
            sb_adds(&sb, "],\"flags\":[");
            const char *f = a.flags.s;
            int firstflag = 1;
            while (*f) {
                const char *e = strchr(f, ';');
                size_t len = e ? (size_t)(e - f) : strlen(f);
                sb_adds(&sb, firstflag ? "\"" : ",\"");
                esc_json(&sb, f, len);
                sb_addc(&sb, '"');
                firstflag = 0;
                f += len + (e ? 1 : 0);
            }
            sb_adds(&sb, "]}\n");
        } else {
            tfield(&sb, &a.service);
            sb_addc(&sb, ' ');
            tfield(&sb, &a.account);
            sb_adds(&sb, "  ");
            tfield(&sb, &a.devices);
            if (*a.flags.s) {
                sb_adds(&sb, "  [");
                tfield(&sb, &a.flags);
                sb_addc(&sb, ']');
            }
            sb_addc(&sb, '\n');
        }
        fputs(sb_cstr(&sb), stdout);
    }
    case_rows_close(rows);
    if (err.code) {
        sb_free(&sb);
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
