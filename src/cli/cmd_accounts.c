/* cmd_accounts.c: `trawl accounts CASE [--service S] [--json]`: the
 * accounts view 'trawl link' built: each account with the devices holding
 * it and its flags (many-accounts-device, multi-device), then the devices
 * holding many accounts of one service. */
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt accounts_opts[] = {
    {"json", 'J', NULL, "print one JSON object per account"},
    {"service", 's', "S", "only accounts of service S (facebook, x, instagram, ...)"},
    {NULL, 0, NULL, NULL},
};

static void jfield(strbuf *sb, const char *key, sqlite3_stmt *st, int i)
{
    sb_addf(sb, "\"%s\":\"", key);
    esc_json(sb, cli_col(st, i), (size_t)sqlite3_column_bytes(st, i));
    sb_addc(sb, '"');
}

static void tfield(strbuf *sb, sqlite3_stmt *st, int i)
{
    esc_term(sb, cli_col(st, i), (size_t)sqlite3_column_bytes(st, i));
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
    sqlite3_stmt *st;
    int rc = EXIT_DONE;
    if (case_prepare(c,
                     "SELECT service, account, devices, flags FROM accounts WHERE ?1 IS NULL OR "
                     "service = ?1 ORDER BY service, account",
                     &st, &err)) {
        case_close(c);
        return cli_report("accounts", &err);
    }
    if (service)
        sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    strbuf sb = STRBUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sb_reset(&sb);
        if (json) {
            sb_addc(&sb, '{');
            jfield(&sb, "service", st, 0);
            sb_addc(&sb, ',');
            jfield(&sb, "account", st, 1);
            sb_adds(&sb, ",\"devices\":[");
            /* device names never hold ';' here: join/split as the link stage did */
            const char *d = cli_col(st, 2);
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
            const char *f = cli_col(st, 3);
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
            tfield(&sb, st, 0);
            sb_addc(&sb, ' ');
            tfield(&sb, st, 1);
            sb_adds(&sb, "  ");
            tfield(&sb, st, 2);
            if (*cli_col(st, 3)) {
                sb_adds(&sb, "  [");
                tfield(&sb, st, 3);
                sb_addc(&sb, ']');
            }
            sb_addc(&sb, '\n');
        }
        fputs(sb_cstr(&sb), stdout);
    }
    sqlite3_finalize(st);
    if (!json && case_prepare(c,
                              "SELECT device, service, accounts FROM account_devices WHERE flagged "
                              "AND (?1 IS NULL OR service = ?1) ORDER BY service, device",
                              &st, &err) == 0) {
        if (service)
            sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
        int header = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            sb_reset(&sb);
            if (!header++)
                sb_adds(&sb, "\nDevices holding many accounts of one service:\n");
            sb_adds(&sb, "  ");
            tfield(&sb, st, 0);
            sb_addf(&sb, ": %lld ", (long long)sqlite3_column_int64(st, 2));
            tfield(&sb, st, 1);
            sb_adds(&sb, " accounts\n");
            fputs(sb_cstr(&sb), stdout);
        }
        sqlite3_finalize(st);
    }
    sb_free(&sb);
    case_close(c);
    return rc;
}
