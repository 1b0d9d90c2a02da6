/* cmd_info.c: `trawl info CASE [--json]`: the case's devices, their images,
 * sizes, hashes and verification state. */
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt info_opts[] = {
    {"json", 'J', NULL, "print JSON instead of text"},
    {NULL, 0, NULL, NULL},
};

static void term(const char *s)
{
    strbuf sb = STRBUF_INIT;
    cli_term(&sb, s);
    fputs(sb_cstr(&sb), stdout);
    sb_free(&sb);
}

int cmd_info(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "info",
        .synopsis = "trawl info [--json] CASE",
        .about = "List the devices of a case: name, size, state, and for each image its path,\n"
                 "format, MD5, SHA-1, SHA-256 and verification result ('match' with the hashes\n"
                 "an E01 stores, 'mismatch', or 'computed' where the image stores none).",
        .opts = info_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    const char *v;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("info", "give exactly one case folder");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("info", &err);
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT d.name, d.size, d.state, d.exhibit, d.custodian, d.examiner, "
                     "i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, i.verification, "
                     "i.acquisition, (SELECT count(*) FROM identifiers x WHERE x.device_id=d.id), "
                     "d.scan_finished FROM devices d JOIN images i ON i.device_id=d.id "
                     "ORDER BY d.name, i.seq",
                     &st, &err)) {
        case_close(c);
        return cli_report("info", &err);
    }
    strbuf sb = STRBUF_INIT;
    if (json)
        sb_adds(&sb, "{\"devices\":[");
    char last[512] = "";
    int ndev = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = cli_col(st, 0);
        int newdev = strcmp(name, last) != 0;
        snprintf(last, sizeof last, "%s", name);
        if (json) {
            if (newdev) {
                if (ndev)
                    sb_adds(&sb, "]},");
                sb_addc(&sb, '{');
                cli_json_col(&sb, "name", st, 0);
                sb_addc(&sb, ','), cli_json_col(&sb, "size", st, 1);
                sb_addc(&sb, ','), cli_json_col(&sb, "state", st, 2);
                sb_addc(&sb, ','), cli_json_col(&sb, "exhibit", st, 3);
                sb_addc(&sb, ','), cli_json_col(&sb, "custodian", st, 4);
                sb_addc(&sb, ','), cli_json_col(&sb, "examiner", st, 5);
                sb_addc(&sb, ','), cli_json_col(&sb, "identifiers", st, 14);
                sb_addc(&sb, ','), cli_json_col(&sb, "scan_finished", st, 15);
                sb_adds(&sb, ",\"images\":[");
            } else {
                sb_addc(&sb, ',');
            }
            sb_addc(&sb, '{');
            cli_json_col(&sb, "path", st, 6);
            sb_addc(&sb, ','), cli_json_col(&sb, "format", st, 7);
            sb_addc(&sb, ','), cli_json_col(&sb, "media_size", st, 8);
            sb_addc(&sb, ','), cli_json_col(&sb, "md5", st, 9);
            sb_addc(&sb, ','), cli_json_col(&sb, "sha1", st, 10);
            sb_addc(&sb, ','), cli_json_col(&sb, "sha256", st, 11);
            sb_addc(&sb, ','), cli_json_col(&sb, "verification", st, 12);
            sb_adds(&sb, ",\"acquisition\":");
            sb_adds(&sb, sqlite3_column_type(st, 13) == SQLITE_NULL ? "null" : cli_col(st, 13));
            sb_addc(&sb, '}');
        } else {
            if (newdev) {
                printf("%sdevice ", ndev ? "\n" : "");
                term(name);
                printf("  %lld bytes  %s  %lld identifiers", (long long)sqlite3_column_int64(st, 1),
                       cli_col(st, 2), (long long)sqlite3_column_int64(st, 14));
                if (*cli_col(st, 3)) {
                    printf("  exhibit ");
                    term(cli_col(st, 3));
                }
                if (*cli_col(st, 4)) {
                    printf("  custodian ");
                    term(cli_col(st, 4));
                }
                printf("\n");
            }
            printf("  image  ");
            term(cli_col(st, 6));
            printf("\n    format %s  size %lld  verification %s\n    md5    %s\n    sha1   %s\n"
                   "    sha256 %s\n",
                   cli_col(st, 7), (long long)sqlite3_column_int64(st, 8), cli_col(st, 12),
                   cli_col(st, 9), cli_col(st, 10), cli_col(st, 11));
        }
        if (newdev)
            ndev++;
    }
    sqlite3_finalize(st);
    if (json) {
        sb_adds(&sb, ndev ? "]}]}" : "]}");
        puts(sb_cstr(&sb));
    } else if (!ndev) {
        printf("no devices\n");
    }
    sb_free(&sb);
    case_close(c);
    return EXIT_DONE;
}
